/** Data hints found at extraction: values that look like missing-value markers rather than data. */
import type { Cell, SourceColumn } from '../io/table.ts'
import { isNumericType } from '../io/sparkType.ts'
import type { ColumnMeta } from './document.ts'
import { formatCount } from '../formatCount.ts'

export type DataHint = NonNullable<ColumnMeta['hints']>[number]

/** Strings that say "no value" (compared trimmed and case-blind); empty and blank strings count too. */
const MISSING_TOKENS = new Set(['?', 'n/a', 'na', 'null', 'none', 'nan', '-'])

/** 99, 999, 99999, -999…, and -1: the numbers people write for "unknown". */
const SENTINEL_NUMBER = /^-?9{2,}$|^-1$/

/**
 * An extreme stands apart when it is the only side of zero it is on (-1 among counts), or when its gap to
 * the next value is at least this share of the spread of the other values (99,999 after 41,310 in 0…41,310).
 */
const APART_SHARE = 0.5

function isMissingToken(value: string): boolean {
  const trimmed = value.trim()
  return trimmed === '' || MISSING_TOKENS.has(trimmed.toLowerCase())
}

function tokenHints(present: readonly Cell[]): DataHint[] {
  const counts = new Map<string, number>()
  for (const value of present) if (typeof value === 'string' && isMissingToken(value)) counts.set(value, (counts.get(value) ?? 0) + 1)
  return [...counts].map(([value, rows]) => ({ kind: 'token', value, rows }))
}

/**
 * The largest or the smallest value when it reads as a sentinel: made of 9s or -1, held by at least
 * `minRows` rows (so that, under value protection, the document shows no value it would hide), and
 * standing apart from the rest (see APART_SHARE).
 */
function numberHints(present: readonly Cell[], minRows: number): DataHint[] {
  const counts = new Map<number, number>()
  for (const value of present) if (typeof value === 'number' && Number.isFinite(value)) counts.set(value, (counts.get(value) ?? 0) + 1)
  const distinct = [...counts.keys()].sort((a, b) => a - b)
  if (distinct.length < 3) return []
  const ends: [value: number, next: number, otherEnd: number][] = [
    [distinct[distinct.length - 1], distinct[distinct.length - 2], distinct[0]],
    [distinct[0], distinct[1], distinct[distinct.length - 1]],
  ]
  return ends.flatMap(([value, next, otherEnd]): DataHint[] => {
    const rows = counts.get(value) ?? 0
    if (rows < minRows || !SENTINEL_NUMBER.test(String(value))) return []
    const signApart = value < 0 && next >= 0
    const gapApart = Math.abs(value - next) >= APART_SHARE * Math.abs(next - otherEnd)
    return signApart || gapApart ? [{ kind: 'number', value, rows }] : []
  })
}

/** The likely missing-value markers among a column's non-null sampled values, most frequent first. */
export function dataHints(column: SourceColumn, present: readonly Cell[], rareValueRows: number): DataHint[] {
  if (column.nested) return []
  const hints =
    column.sparkType.id === 'string'
      ? tokenHints(present)
      : isNumericType(column.sparkType)
        ? numberHints(present, Math.max(2, rareValueRows))
        : []
  return hints.sort((a, b) => b.rows - a.rows || String(a.value).localeCompare(String(b.value)))
}

/** The hint as one line, the same in the terminal and the editor: `"?" in 5.6 % of sampled rows looks like a missing-value marker`. */
export function hintText(hint: DataHint, sampleSize: number): string {
  const percent = (100 * hint.rows) / Math.max(1, sampleSize)
  const share = `${percent < 0.1 ? '<0.1' : percent.toFixed(1)} % of sampled rows`
  return typeof hint.value === 'string'
    ? `${JSON.stringify(hint.value)} in ${share} looks like a missing-value marker`
    : `${formatCount(hint.value)} in ${share} stands apart from the other values, like a missing-value marker`
}
