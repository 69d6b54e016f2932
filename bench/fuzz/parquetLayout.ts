/**
 * Where a Parquet file's structures start, found from its own footer: the places where a truncation
 * or a scribble hurts most (magic, footer length, column chunks, pages and their headers).
 */
import { parquetMetadata } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { chunkRange } from '../../src/core/io/chunkPages.ts'

export interface ParquetLayout {
  /** Offsets where a structure starts or ends, sorted, without duplicates. */
  readonly boundaries: readonly number[]
  /** Where each page header starts. */
  readonly pages: readonly number[]
  /** The footer's Thrift bytes: `[start, end)`; the 4-byte length follows. */
  readonly footer: { readonly start: number; readonly end: number }
}

/** The layout of a Parquet file; only magic and footer places when its footer does not parse (encrypted). */
export function parquetLayout(bytes: Uint8Array): ParquetLayout {
  const size = bytes.length
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(size - 8, true)
  const footer = { start: size - 8 - footerLength, end: size - 8 }
  const places = [0, 4, footer.start, footer.end, size - 4, size - 1]
  const pages: number[] = []
  let metadata
  try {
    metadata = parquetMetadata(bytes)
  } catch {
    return { boundaries: [...new Set(places)].sort((a, b) => a - b), pages, footer }
  }
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data
      if (!meta) continue
      const { start, end } = chunkRange(meta)
      places.push(start, end)
      pages.push(...pageStarts(bytes, start, Math.min(end, size)))
    }
  }
  places.push(...pages)
  return { boundaries: [...new Set(places)].sort((a, b) => a - b), pages, footer }
}

/** The offsets of the page headers in one column chunk, walking header to header. */
function pageStarts(bytes: Uint8Array, start: number, end: number): number[] {
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset + start, end - start), offset: 0 }
  const starts: number[] = []
  try {
    while (reader.offset < end - start) {
      starts.push(start + reader.offset)
      const header = parquetHeader(reader)
      reader.offset += header.compressed_page_size
    }
  } catch {
    // A header the engine cannot parse ends the walk: the pages found so far are enough.
  }
  return starts
}

/** A zigzag varint field of a Thrift compact struct: where its value bytes lie. */
export interface VarintField {
  readonly id: number
  readonly start: number
  readonly end: number
}

/**
 * The leading i32 fields of a page header (type, uncompressed size, compressed size): enough of the
 * Thrift compact protocol to overwrite a length in place.
 */
export function pageHeaderLengths(bytes: Uint8Array, offset: number): VarintField[] {
  const fields: VarintField[] = []
  let position = offset
  let id = 0
  while (fields.length < 3 && position < bytes.length) {
    const header = bytes[position++]
    const I32 = 5
    if ((header & 0x0f) !== I32 || header >> 4 === 0) break
    id += header >> 4
    const start = position
    while (position < bytes.length && (bytes[position] & 0x80) !== 0) position++
    position++
    fields.push({ id, start, end: position })
  }
  return fields
}
