import { cellText } from '../io/cellText.ts'
import type { Cell } from '../io/table.ts'

/** Null and NaN are missing for every figure in the report, as for the SDMetrics metrics. */
export const isMissing = (cell: Cell) => cell === null || (typeof cell === 'number' && Number.isNaN(cell))

export const asNumber = (cell: Cell): number | null =>
  cell instanceof Date ? cell.getTime() : typeof cell === 'number' && !Number.isNaN(cell) ? cell : null

export const asCategory = (cell: Cell): string | null => (isMissing(cell) ? null : cellText(cell))
