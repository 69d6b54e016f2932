/**
 * What the data preview's grid shows, from the rows the host sent: pure, so that the merging of real
 * and synthetic rows is tested without a page.
 */
import type { PreviewRowsMessage, PreviewSource } from '../src/protocol/webview.ts'

/** Real rows, synthetic rows, or both alternating (a real row, then a synthetic one). */
export const PREVIEW_MODES = ['real', 'synthetic', 'both'] as const
export type PreviewMode = (typeof PREVIEW_MODES)[number]

/** One grid row: its source, its number among that source's rows (from 1), and a cell per grid column. */
export interface PreviewGridRow {
  readonly source: PreviewSource
  readonly number: number
  /** Display text; null for a null value; undefined where the source has no such column (not synthesised). */
  readonly cells: readonly (string | null | undefined)[]
}

/** The rows of one source, their cells placed under the grid's columns by name. */
function sourceRows(source: PreviewSource, columns: readonly string[], received: PreviewRowsMessage | undefined): PreviewGridRow[] {
  if (!received) return []
  const at = columns.map((name) => received.columns.indexOf(name))
  return received.rows.map((row, r) => ({ source, number: r + 1, cells: at.map((c) => (c < 0 ? undefined : row[c])) }))
}

/** The grid's rows for a mode: `both` takes a real row, then a synthetic one, while either has rows left. */
export function previewGridRows(
  mode: PreviewMode,
  columns: readonly string[],
  real: PreviewRowsMessage | undefined,
  synthetic: PreviewRowsMessage | undefined,
): PreviewGridRow[] {
  const realRows = mode === 'synthetic' ? [] : sourceRows('real', columns, real)
  const syntheticRows = mode === 'real' ? [] : sourceRows('synthetic', columns, synthetic)
  if (mode !== 'both') return [...realRows, ...syntheticRows]
  const rows: PreviewGridRow[] = []
  for (let i = 0; i < Math.max(realRows.length, syntheticRows.length); i++)
    rows.push(...realRows.slice(i, i + 1), ...syntheticRows.slice(i, i + 1))
  return rows
}
