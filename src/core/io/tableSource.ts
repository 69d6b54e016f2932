/** A table as a list of data files with what each contributes, whatever says which files are live. */
import { openArrowFile } from './arrowFile.ts'
import { openCsvFile } from './csvFile.ts'
import type { FileReader } from './fileReader.ts'
import { openParquetFile } from './parquetFile.ts'
import type { Cell, SourceColumn } from './table.ts'

export type DataFormat = 'parquet' | 'arrow' | 'csv'

/** What a source is: data files of one format in a folder, or a Delta table read through its log. */
export type SourceFormat = DataFormat | 'delta'

/** One data file of a table. */
export interface SourceFile {
  readonly path: string
  /** Path relative to the table's root, with `/` separators. */
  readonly relativePath: string
  readonly format: DataFormat
  /** Rows stored in the file, deleted ones included. */
  readonly rowCount: number
  /** Rows a Delta deletion vector removes from the file; read only when rows are sampled from it. */
  readonly deleted?: { readonly count: number; readonly rows: () => Promise<Float64Array> }
  /** Values of the columns the file does not store: partition values, by column name. */
  readonly constants: ReadonlyMap<string, Cell>
  /** Column name → the name the file stores it under, where they differ (Delta column mapping). */
  readonly physicalNames?: ReadonlyMap<string, string>
}

export interface TableSource {
  readonly format: SourceFormat
  readonly columns: readonly SourceColumn[]
  readonly files: readonly SourceFile[]
  /** The Delta version read, and the instant asked for when it was chosen by time. */
  readonly delta?: { readonly version: number; readonly timestamp?: string }
}

const OPENERS: Record<DataFormat, (file: string) => Promise<FileReader>> = {
  parquet: openParquetFile,
  arrow: openArrowFile,
  csv: openCsvFile,
}

/** Opens a data file for the duration of `use`. */
export async function withReader<T>(
  file: { readonly path: string; readonly format: DataFormat },
  use: (reader: FileReader) => Promise<T>,
): Promise<T> {
  const reader = await OPENERS[file.format](file.path)
  try {
    return await use(reader)
  } finally {
    await reader.close()
  }
}

/** Rows of a file that are live: stored minus deleted. */
export function liveRows(file: SourceFile): number {
  return file.rowCount - (file.deleted?.count ?? 0)
}
