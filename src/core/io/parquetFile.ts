import { parquetMetadata, parquetRead, parquetSchema, type ColumnData, type FileMetaData, type ParquetParsers } from 'hyparquet'
import { PAGE_CODECS } from './pageCodecs.ts'
import { SparkSynthError, describeCause } from '../errors.ts'
import { openFileBuffer, type FileBuffer } from './fileBuffer.ts'
import { MILLIS_PER_DAY } from './calendar.ts'
import { verifyChunkPages } from './chunkPages.ts'
import { checkFooter } from './footerCheck.ts'
import { calendarRebase, cellConverters, storedValuesMetadata, type Converter } from './parquetCells.ts'
import { sourceColumnsOf } from './parquetSchema.ts'
import type { Cell } from './table.ts'
import type { FileReader } from './fileReader.ts'

const REWRITE_HINT = 'The file is damaged: copy or export it again from its source (Spark: df.write.parquet(...))'

/**
 * Engine conversions for the nested columns, which are only shown: dates and timestamps as epoch
 * milliseconds. Top-level columns are converted from their stored values (`parquetCells.ts`).
 */
const NESTED_PARSERS: Partial<ParquetParsers> = {
  dateFromDays: (days) => days * MILLIS_PER_DAY,
  timestampFromMilliseconds: (millis) => Number(millis),
  timestampFromMicroseconds: (micros) => Number(micros / 1000n),
  timestampFromNanoseconds: (nanos) => Number(nanos / 1_000_000n),
}

/** Reads the footer, telling truncated, foreign, encrypted and corrupt files apart. */
async function readFooter(buffer: FileBuffer, file: string): Promise<FileMetaData> {
  const size = buffer.byteLength
  const head = Buffer.from(await buffer.slice(0, Math.min(4, size))).toString('latin1')
  const tailBytes = new Uint8Array(await buffer.slice(Math.max(0, size - 8), size))
  const tail = Buffer.from(tailBytes.subarray(4)).toString('latin1')
  if (head === 'PARE' || tail === 'PARE') {
    throw new SparkSynthError(
      'the file is an encrypted Parquet file (PARE magic)',
      'Spark Synth does not read encrypted data: write a decrypted sample with Spark (configure the key, then df.write.parquet(...)) and load that',
      { file },
    )
  }
  if (head.length === 4 && head !== 'PAR1') {
    throw new SparkSynthError(
      `wrong magic bytes "${head.replace(/[^\x20-\x7e]/g, '?')}" where a Parquet file starts with "PAR1"`,
      'This is not a Parquet file: check the file name and format',
      { file },
    )
  }
  if (size < 12) {
    throw new SparkSynthError(`the file is ${size} bytes long, too short to be Parquet (it is empty or truncated)`, REWRITE_HINT, { file })
  }
  if (tail !== 'PAR1') {
    throw new SparkSynthError('the Parquet footer is missing (no "PAR1" at the end): the file is truncated', REWRITE_HINT, { file })
  }
  const footerLength = new DataView(tailBytes.buffer).getUint32(0, true)
  if (footerLength + 12 > size) {
    throw new SparkSynthError(`the footer claims ${footerLength} bytes but the file has ${size}: the file is truncated`, REWRITE_HINT, {
      file,
    })
  }
  const footer = await buffer.slice(size - 8 - footerLength, size)
  let metadata: FileMetaData
  try {
    metadata = parquetMetadata(footer)
  } catch (cause) {
    throw new SparkSynthError(`the footer is corrupt (${describeCause(cause)})`, REWRITE_HINT, { file }, { cause })
  }
  const encrypted = metadata.row_groups.some((group) => group.columns.some((chunk) => chunk.encrypted_column_metadata))
  if (encrypted) {
    throw new SparkSynthError(
      'the file has encrypted columns',
      'Spark Synth does not read encrypted data: write a decrypted sample with Spark and load that',
      { file },
    )
  }
  return metadata
}

/** An open Parquet file, as reading its rows needs it. */
interface ParquetSource {
  readonly file: string
  readonly buffer: FileBuffer
  readonly metadata: FileMetaData
  /** The footer hyparquet decodes pages by: top-level columns this module converts keep their stored type. */
  readonly storedMetadata: FileMetaData
  /** Per top-level column, from stored value to cell. */
  readonly converters: ReadonlyMap<string, Converter>
  /** Row group g holds the rows `[groupBounds[g], groupBounds[g + 1])`. */
  readonly groupBounds: readonly number[]
}

/** Opens a Parquet file: footer and schema now, pages only when rows are read. */
export async function openParquetFile(file: string): Promise<FileReader> {
  const buffer = await openFileBuffer(file)
  try {
    const metadata = await readFooter(buffer, file)
    const schema = parquetSchema(metadata)
    checkFooter(metadata, schema, buffer.byteLength - 8 - metadata.metadata_length)
    const groupBounds = rowGroupBounds(metadata)
    const source: ParquetSource = {
      file,
      buffer,
      metadata,
      storedMetadata: storedValuesMetadata(metadata, schema),
      converters: cellConverters(schema, calendarRebase(metadata), file),
      groupBounds,
    }
    return {
      path: file,
      columns: sourceColumnsOf(schema),
      rowCount: groupBounds[groupBounds.length - 1],
      readRows: (rows, names) => readRows(source, rows, names),
      close: () => buffer.close(),
    }
  } catch (error) {
    await buffer.close()
    if (error instanceof SparkSynthError) throw error
    // The footer parsed, but its schema, row groups or key-value metadata do not hold together (a damaged byte).
    throw new SparkSynthError(`the footer is corrupt (${describeCause(error)})`, REWRITE_HINT, { file }, { cause: error })
  }
}

/** The index of each row group's first row, then the row count. */
function rowGroupBounds(metadata: FileMetaData): number[] {
  const bounds = [0]
  for (const group of metadata.row_groups) bounds.push(bounds[bounds.length - 1] + Number(group.num_rows))
  return bounds
}

/**
 * The values at the sorted `rows` of the named columns: row group by row group, each group's
 * checksums verified and only the span from its first to its last wanted row decoded.
 */
async function readRows(source: ParquetSource, rows: Float64Array, names: readonly string[]): Promise<Cell[][]> {
  const out: Cell[][] = names.map(() => new Array<Cell>(rows.length))
  let next = 0
  for (let g = 0; g < source.metadata.row_groups.length && next < rows.length; g++) {
    const groupEnd = source.groupBounds[g + 1]
    let last = next
    while (last < rows.length && rows[last] < groupEnd) last++
    if (last === next) continue
    await verifyGroup(source, g, names)
    const chunks = await readSpan(source, names, rows[next], rows[last - 1] + 1)
    names.forEach((name, c) => {
      const convert = converterOf(source, name)
      try {
        pick(
          chunks.filter((chunk) => chunk.columnName === name),
          rows,
          next,
          last,
          out[c],
          convert,
        )
      } catch (cause) {
        // Pages that decode into values of the wrong shape for the column's type.
        throw new SparkSynthError(
          `cannot decode the column's values (${describeCause(cause)})`,
          REWRITE_HINT,
          { file: source.file, column: name },
          { cause },
        )
      }
    })
    next = last
  }
  return out
}

function converterOf(source: ParquetSource, name: string): Converter {
  const converter = source.converters.get(name)
  if (!converter) throw new SparkSynthError('no such column in the file', 'Check the column name', { file: source.file, column: name })
  return converter
}

/** Reads `[rowStart, rowEnd)` of some columns, as hyparquet's column chunks. */
async function readRange(source: ParquetSource, names: readonly string[], rowStart: number, rowEnd: number): Promise<ColumnData[]> {
  const chunks: ColumnData[] = []
  await parquetRead({
    file: source.buffer,
    metadata: source.storedMetadata,
    columns: [...names],
    rowStart,
    rowEnd,
    compressors: PAGE_CODECS,
    parsers: NESTED_PARSERS,
    utf8: false,
    onChunk: (chunk) => chunks.push(chunk),
  })
  return chunks
}

/** `readRange`, with a failure explained by the column whose pages do not decode. */
async function readSpan(source: ParquetSource, names: readonly string[], rowStart: number, rowEnd: number): Promise<ColumnData[]> {
  try {
    return await readRange(source, names, rowStart, rowEnd)
  } catch (cause) {
    return explainReadFailure(source, cause, names, rowStart, rowEnd)
  }
}

/** Verifies page checksums of the chunks about to be read, naming the column of a bad one. */
async function verifyGroup(source: ParquetSource, groupIndex: number, names: readonly string[]): Promise<void> {
  const { file } = source
  for (const chunk of source.metadata.row_groups[groupIndex].columns) {
    const column = chunk.meta_data?.path_in_schema[0]
    if (column === undefined || !names.includes(column)) continue
    const mismatch = await verifyChunkPages(source.buffer, chunk).catch((cause: unknown) => {
      throw new SparkSynthError(
        `a page header is corrupt (row group ${groupIndex}: ${describeCause(cause)})`,
        REWRITE_HINT,
        { file, column },
        { cause },
      )
    })
    if (mismatch) {
      throw new SparkSynthError(
        `page checksum mismatch (row group ${groupIndex}, page at byte ${mismatch.pageOffset}): the page is corrupt`,
        REWRITE_HINT,
        { file, column },
      )
    }
  }
}

/** Re-reads column by column to name the one whose pages fail to decode. */
async function explainReadFailure(
  source: ParquetSource,
  cause: unknown,
  names: readonly string[],
  rowStart: number,
  rowEnd: number,
): Promise<never> {
  const { file } = source
  for (const column of names) {
    try {
      await readRange(source, [column], rowStart, rowEnd)
    } catch (columnCause) {
      if (describeCause(columnCause).includes('string longer than')) {
        throw new SparkSynthError(
          'a value in this column is longer than the 512 MiB a JavaScript string can hold',
          'Drop or truncate the column with Spark before sampling the table',
          { file, column },
          { cause: columnCause },
        )
      }
      throw new SparkSynthError(
        `cannot decode the column's pages (${describeCause(columnCause)})`,
        REWRITE_HINT,
        { file, column },
        { cause: columnCause },
      )
    }
  }
  throw new SparkSynthError(`cannot decode the file (${describeCause(cause)})`, REWRITE_HINT, { file }, { cause })
}

/** Copies the values at `rows[from..to)` out of one column's chunks (sorted by row) into `target`. */
function pick(chunks: ColumnData[], rows: Float64Array, from: number, to: number, target: Cell[], convert: Converter): void {
  chunks.sort((a, b) => a.rowStart - b.rowStart)
  let c = 0
  for (let i = from; i < to; i++) {
    const row = rows[i]
    while (c < chunks.length && chunks[c].rowEnd <= row) c++
    target[i] = c < chunks.length && chunks[c].rowStart <= row ? convert(chunks[c].columnData[row - chunks[c].rowStart]) : null
  }
}
