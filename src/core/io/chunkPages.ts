import { crc32 } from 'node:zlib'
import type { AsyncBuffer, ColumnChunk, ColumnMetaData, PageHeader } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'

/** Where a stored page checksum disagrees with the page bytes. */
export interface ChecksumMismatch {
  readonly pageOffset: number
}

/** The bytes `[start, end)` a column chunk spans in its file. */
export function chunkRange(meta: ColumnMetaData): { readonly start: number; readonly end: number } {
  const dataOffset = Number(meta.data_page_offset)
  const dictionaryOffset = meta.dictionary_page_offset === undefined ? undefined : Number(meta.dictionary_page_offset)
  // Some writers record a dictionary offset of 0 when there is none; the chunk then starts at its data page.
  const start = dictionaryOffset && dictionaryOffset < dataOffset ? dictionaryOffset : dataOffset
  return { start, end: start + Number(meta.total_compressed_size) }
}

/**
 * The fields Parquet's Thrift definition marks required, per page type. hyparquet decodes without
 * checking them, and a missing one (a damaged header) turns into a read at offset NaN that never ends.
 */
const REQUIRED_FIELDS = {
  DATA_PAGE: ['num_values', 'encoding', 'definition_level_encoding', 'repetition_level_encoding'],
  DATA_PAGE_V2: ['num_values', 'num_nulls', 'num_rows', 'encoding', 'definition_levels_byte_length', 'repetition_levels_byte_length'],
  DICTIONARY_PAGE: ['num_values', 'encoding'],
} as const

/** Why a page header cannot be decoded safely, or undefined when it can. */
function headerProblem(header: PageHeader): string | undefined {
  if (!(header.compressed_page_size >= 0 && header.uncompressed_page_size >= 0)) {
    return `a header with page sizes ${String(header.compressed_page_size)} (stored) and ${String(header.uncompressed_page_size)} (decoded)`
  }
  const details: Partial<Record<keyof typeof REQUIRED_FIELDS, object>> = {
    DATA_PAGE: header.data_page_header,
    DATA_PAGE_V2: header.data_page_header_v2,
    DICTIONARY_PAGE: header.dictionary_page_header,
  }
  if (!(header.type in REQUIRED_FIELDS)) return header.type === 'INDEX_PAGE' ? undefined : `unknown page type ${header.type}`
  const type = header.type as keyof typeof REQUIRED_FIELDS
  const detail = details[type] as Readonly<Record<string, unknown>> | undefined
  const missing = REQUIRED_FIELDS[type].filter((field) => detail?.[field] === undefined)
  if (missing.length > 0) return `a ${type} header without ${missing.join(', ')}`
  const v2 = header.data_page_header_v2
  if (type === 'DATA_PAGE_V2' && v2) {
    const levels = v2.definition_levels_byte_length + v2.repetition_levels_byte_length
    if (!(v2.num_nulls >= 0 && v2.num_nulls <= v2.num_values && v2.num_rows <= v2.num_values)) {
      return `a page of ${v2.num_values} values claims ${v2.num_nulls} nulls and ${v2.num_rows} rows`
    }
    if (!(levels >= 0 && levels <= header.compressed_page_size))
      return `levels of ${levels} bytes in a page of ${header.compressed_page_size}`
  }
  return undefined
}

/**
 * Walks the page headers of a column chunk before hyparquet decodes it: each header must hold the
 * fields it needs, the data pages must add up to the chunk's value count, and the optional CRC-32 of
 * each page (Parquet's `PageHeader.crc`, over the page bytes as stored) must match, since a corrupt
 * page would otherwise decode into plausible but wrong values. Throws when a header does not hold together.
 */
export async function verifyChunkPages(file: AsyncBuffer, chunk: ColumnChunk): Promise<ChecksumMismatch | undefined> {
  const meta = chunk.meta_data
  if (!meta) return undefined
  const { start, end } = chunkRange(meta)
  const buffer = await file.slice(start, end)
  const reader = { view: new DataView(buffer), offset: 0 }
  let values = 0
  let mismatch: ChecksumMismatch | undefined
  while (reader.offset < buffer.byteLength) {
    const pageOffset = start + reader.offset
    const header = parquetHeader(reader)
    const problem = headerProblem(header)
    if (problem) throw new Error(`the page at byte ${pageOffset} has ${problem}`)
    values += header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? 0
    const bodyStart = reader.offset
    reader.offset += header.compressed_page_size
    if (header.crc === undefined || mismatch) continue
    const body = new Uint8Array(buffer, bodyStart, Math.min(header.compressed_page_size, buffer.byteLength - bodyStart))
    if (crc32(body) !== header.crc >>> 0) mismatch = { pageOffset }
  }
  if (values !== Number(meta.num_values)) throw new Error(`its data pages hold ${values} values where the footer counts ${meta.num_values}`)
  return mismatch
}
