import { parquetMetadata, parquetRead, parquetSchema, type ColumnData, type FileMetaData, type ParquetParsers } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { SparkSynthError, describeCause } from '../errors.ts'
import { openFileBuffer, type FileBuffer } from './fileBuffer.ts'
import { MILLIS_PER_DAY } from './calendar.ts'
import { verifyPageChecksums } from './pageChecksums.ts'
import { calendarRebase, cellConverters, storedValuesMetadata, type Converter } from './parquetCells.ts'
import { sourceColumnsOf } from './parquetSchema.ts'
import type { Cell, SourceColumn } from './table.ts'
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

/** Opens a Parquet file: footer and schema now, pages only when rows are read. */
export async function openParquetFile(file: string): Promise<FileReader> {
  const buffer = await openFileBuffer(file)
  let metadata: FileMetaData
  try {
    metadata = await readFooter(buffer, file)
  } catch (error) {
    await buffer.close()
    throw error
  }
  const schema = parquetSchema(metadata)
  const columns: SourceColumn[] = sourceColumnsOf(schema)
  const converters = cellConverters(schema, calendarRebase(metadata), file)
  const storedMetadata = storedValuesMetadata(metadata, schema)
  const groupStarts: number[] = []
  let rowCount = 0
  for (const group of metadata.row_groups) {
    groupStarts.push(rowCount)
    rowCount += Number(group.num_rows)
  }

  /** Reads `[rowStart, rowEnd)` of some columns, as hyparquet's column chunks. */
  async function readRange(names: readonly string[], rowStart: number, rowEnd: number): Promise<ColumnData[]> {
    const chunks: ColumnData[] = []
    await parquetRead({
      file: buffer,
      metadata: storedMetadata,
      columns: [...names],
      rowStart,
      rowEnd,
      compressors,
      parsers: NESTED_PARSERS,
      utf8: false,
      onChunk: (chunk) => chunks.push(chunk),
    })
    return chunks
  }

  /** Verifies page checksums of the chunks about to be read, naming the column of a bad one. */
  async function verifyGroup(groupIndex: number, names: readonly string[]): Promise<void> {
    for (const chunk of metadata.row_groups[groupIndex].columns) {
      const column = chunk.meta_data?.path_in_schema[0]
      if (column === undefined || !names.includes(column)) continue
      const mismatch = await verifyPageChecksums(buffer, chunk).catch((cause: unknown) => {
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
  async function explainReadFailure(cause: unknown, names: readonly string[], rowStart: number, rowEnd: number): Promise<never> {
    for (const column of names) {
      try {
        await readRange([column], rowStart, rowEnd)
      } catch (columnCause) {
        if (/string longer than/.test(describeCause(columnCause))) {
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

  async function readRows(rows: Float64Array, names: readonly string[]): Promise<Cell[][]> {
    const out: Cell[][] = names.map(() => new Array<Cell>(rows.length))
    let next = 0
    for (let g = 0; g < groupStarts.length && next < rows.length; g++) {
      const groupEnd = groupStarts[g] + Number(metadata.row_groups[g].num_rows)
      let last = next
      while (last < rows.length && rows[last] < groupEnd) last++
      if (last === next) continue
      const rowStart = rows[next]
      const rowEnd = rows[last - 1] + 1
      await verifyGroup(g, names)
      let chunks: ColumnData[]
      try {
        chunks = await readRange(names, rowStart, rowEnd)
      } catch (cause) {
        return explainReadFailure(cause, names, rowStart, rowEnd)
      }
      names.forEach((name, c) =>
        pick(
          chunks.filter((chunk) => chunk.columnName === name),
          rows,
          next,
          last,
          out[c],
          converters.get(name)!,
        ),
      )
      next = last
    }
    return out
  }

  return {
    path: file,
    columns,
    rowCount,
    readRows,
    close: () => buffer.close(),
  }
}

/** Copies the values at `rows[from..to)` out of one column's chunks (sorted by row) into `target`. */
function pick(chunks: ColumnData[], rows: Float64Array, from: number, to: number, target: Cell[], convert: Converter): void {
  chunks.sort((a, b) => a.rowStart - b.rowStart)
  let c = 0
  for (let i = from; i < to; i++) {
    const row = rows[i]
    while (c < chunks.length && chunks[c].rowEnd <= row) c++
    const chunk = chunks[c]
    target[i] = chunk && chunk.rowStart <= row ? convert(chunk.columnData[row - chunk.rowStart]) : null
  }
}
