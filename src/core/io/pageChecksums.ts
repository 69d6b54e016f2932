import { crc32 } from 'node:zlib'
import type { AsyncBuffer, ColumnChunk } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'

/** Where a stored page checksum disagrees with the page bytes. */
export interface ChecksumMismatch {
  readonly pageOffset: number
}

/**
 * Verifies the optional CRC-32 of every page in a column chunk (Parquet's `PageHeader.crc`,
 * computed over the page bytes as stored). hyparquet does not check it, and a corrupt page
 * would otherwise decode into plausible but wrong values.
 */
export async function verifyPageChecksums(file: AsyncBuffer, chunk: ColumnChunk): Promise<ChecksumMismatch | undefined> {
  const meta = chunk.meta_data
  if (!meta) return undefined
  const dataOffset = Number(meta.data_page_offset)
  const dictionaryOffset = meta.dictionary_page_offset === undefined ? undefined : Number(meta.dictionary_page_offset)
  // Some writers record a dictionary offset of 0 when there is none; the chunk then starts at its data page.
  const start = dictionaryOffset && dictionaryOffset < dataOffset ? dictionaryOffset : dataOffset
  const end = start + Number(meta.total_compressed_size)
  const buffer = await file.slice(start, end)
  const reader = { view: new DataView(buffer), offset: 0 }
  while (reader.offset < buffer.byteLength) {
    const pageOffset = start + reader.offset
    const header = parquetHeader(reader)
    const bodyStart = reader.offset
    reader.offset += header.compressed_page_size
    if (header.crc === undefined) continue
    const body = new Uint8Array(buffer, bodyStart, Math.min(header.compressed_page_size, buffer.byteLength - bodyStart))
    if (crc32(body) !== header.crc >>> 0) return { pageOffset }
  }
  return undefined
}
