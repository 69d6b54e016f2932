/** Where a problem was found: the file and, when known, the column. */
export interface ErrorLocation {
  readonly file?: string
  readonly column?: string
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
    const place = [where.file, where.column === undefined ? undefined : `column "${where.column}"`].filter(Boolean).join(', ')
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
