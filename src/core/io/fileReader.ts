import type { Cell, SourceColumn } from './table.ts'

/** One open data file, whatever its format: schema and row count up front, rows on demand. */
export interface FileReader {
  readonly path: string
  /** The file's own columns, in file order (partition columns come from folders, not from here). */
  readonly columns: readonly SourceColumn[]
  readonly rowCount: number
  /** The values at the given sorted, file-relative row indices, one array per named column. */
  readRows(rows: Float64Array, columns: readonly string[]): Promise<Cell[][]>
  close(): Promise<void>
}
