import { formatCount } from './formatCount.ts'

/** Where a problem was found: the file and, when known, the column. */
export interface ErrorLocation {
  readonly file?: string
  readonly column?: string
}

/** Names longer than this are cut in messages: a 10,000-character name would bury the problem and the hint. */
const SHOWN_NAME_LENGTH = 120

/** `column "name"`, a very long name cut to its start and its length (the error's `column` keeps it whole). */
function columnLabel(name: string): string {
  if (name.length <= SHOWN_NAME_LENGTH) return `column "${name}"`
  return `column "${name.slice(0, SHOWN_NAME_LENGTH)}…" (a name of ${formatCount(name.length)} characters)`
}

/**
 * An error the user can act on: it names the file (and column) and says what to do.
 * Every failure that reaches the CLI or the editor is one of these.
 */
export class SparkSynthError extends Error {
  readonly file?: string
  readonly column?: string
  /** What is wrong, without the place and the hint: for re-raising with a more precise place. */
  readonly problem: string
  readonly hint: string

  constructor(problem: string, hint: string, where: ErrorLocation = {}, options?: { cause?: unknown }) {
    const place = [where.file, where.column === undefined ? undefined : columnLabel(where.column)].filter(Boolean).join(', ')
    super(`${place ? `${place}: ` : ''}${problem}. ${hint}`, options)
    this.name = 'SparkSynthError'
    this.file = where.file
    this.column = where.column
    this.problem = problem
    this.hint = hint
  }
}

/** The first line of any thrown value, for wrapping engine errors. */
export function describeCause(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause)
  return text.split('\n')[0]
}
