import type { Cell, Table } from '../io/table.ts'
import { Random } from '../random.ts'

/**
 * The floor any synthesizer must beat: every column drawn independently from its own empirical
 * distribution. It reproduces marginals perfectly and every relationship between columns not at all.
 */
export function sampleIndependentMarginals(table: Table, rows: number, seed: number): Table {
  const random = new Random(seed)
  const values: Cell[][] = table.values.map((column) => Array.from({ length: rows }, () => column[random.int(column.length)]))
  return { columns: table.columns, values, rowCount: rows }
}
