import type { ColumnMeta, MetadataDocument } from './document.ts'

/**
 * Value protection: in a protected column a value seen in fewer than k sampled rows is never
 * emitted (nor listed in the metadata document), and numbers, dates and timestamps are clipped to
 * the k-th smallest and k-th largest value. k = 5 follows MOSTLY AI's engine, whose threshold is
 * drawn from 5–7 rows; SDV has no such default and clips to the sample's own min and max.
 */
export const DEFAULT_RARE_VALUE_ROWS = 5

/** What a string value seen in fewer than k rows becomes (MOSTLY AI's token). */
export const RARE_PLACEHOLDER = '_RARE_'

/** The document's k, or the default for documents written before protection. */
export function rareValueRowsOf(document: Pick<MetadataDocument, 'privacy'>): number {
  return document.privacy?.rareValueRows ?? DEFAULT_RARE_VALUE_ROWS
}

/** Whether value protection covers a column: absent `protect` means protected. */
export function isProtected(column: Pick<ColumnMeta, 'protect'>): boolean {
  return column.protect !== false
}

/** A column's k when it is protected, else undefined. */
export function protectionOf(column: Pick<ColumnMeta, 'protect'>, rareValueRows: number): number | undefined {
  return isProtected(column) ? rareValueRows : undefined
}

/**
 * The protected range of ascending values: the k-th smallest to the k-th largest, so that at least
 * k rows lie at or beyond each bound; fewer than 2k values all clip to the middle one.
 */
export function protectedRange(sorted: ArrayLike<number>, k: number): { min: number; max: number } {
  const n = sorted.length
  if (n < 2 * k) return { min: sorted[(n - 1) >> 1], max: sorted[(n - 1) >> 1] }
  return { min: sorted[k - 1], max: sorted[n - k] }
}

/** Ascending values clipped in place to their protected range (unchanged when k is undefined). */
export function clipToProtected(sorted: Float64Array, k: number | undefined): Float64Array {
  if (k === undefined || sorted.length === 0) return sorted
  const { min, max } = protectedRange(sorted, k)
  return sorted.map((v) => Math.max(min, Math.min(max, v)))
}
