import type { Cell, Table } from '../io/table.ts'

export const NUMERIC_KINDS = new Set(['continuous', 'integer', 'date', 'timestamp'])
export const DISCRETE_KINDS = new Set(['categorical', 'boolean'])

/** Null and NaN are missing for every figure in the report, as for the SDMetrics metrics. */
export const isMissing = (cell: Cell) => cell === null || (typeof cell === 'number' && Number.isNaN(cell))

export const asNumber = (cell: Cell): number | null =>
  cell instanceof Date ? cell.getTime() : typeof cell === 'number' && !Number.isNaN(cell) ? cell : null

export const asCategory = (cell: Cell): string | null => (cell === null || isMissing(cell) ? null : categoryText(cell))

/** A present cell as category text: instants as ISO text; binary and nested values (never scored) by their contents. */
export function categoryText(cell: Exclude<Cell, null>): string {
  if (cell instanceof Date) return cell.toISOString()
  if (typeof cell === 'object')
    return JSON.stringify(cell, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))
  return String(cell)
}

export function columnOf(table: Table, name: string): readonly Cell[] {
  const index = table.columns.findIndex((c) => c.name === name)
  if (index < 0) throw new Error(`the table lacks column "${name}"`)
  return table.values[index]
}
