/** Mutants of single Parquet and Arrow files: bit flips, truncations, damaged page headers and footers. */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Random } from '../../src/core/random.ts'
import { flipBits, pickSome, type Mutant } from './mutant.ts'
import { pageHeaderLengths, parquetLayout } from './parquetLayout.ts'

/** A source file's name and bytes. */
export interface SourceBytes {
  readonly name: string
  readonly bytes: Uint8Array
}

/** A mutant that is `bytes` written under the source's own name (its extension chooses the reader). */
function fileMutant(kind: string, source: SourceBytes, damage: string, bytes: Uint8Array): Mutant {
  return {
    case: kind,
    label: `${source.name}, ${damage}`,
    write: async (dir) => {
      const file = path.join(dir, source.name)
      await writeFile(file, bytes)
      return file
    },
  }
}

export function bitFlips(kind: string, source: SourceBytes, count: number, random: Random): Mutant[] {
  return Array.from({ length: count }, () => {
    const { bytes, offsets } = flipBits(source.bytes, 1 + random.int(8), random)
    return fileMutant(kind, source, `bits flipped at ${offsets.join(', ')}`, bytes)
  })
}

export function truncations(kind: string, source: SourceBytes, boundaries: readonly number[]): Mutant[] {
  return boundaries
    .filter((end) => end < source.bytes.length)
    .map((end) => fileMutant(kind, source, `truncated to ${end} bytes`, source.bytes.subarray(0, end)))
}

/** Every 8-byte-aligned offset: Arrow aligns each message and body buffer to 8 bytes. */
export function arrowBoundaries(bytes: Uint8Array): number[] {
  return Array.from({ length: Math.ceil(bytes.length / 8) }, (_, i) => i * 8)
}

/** Truncations at the structure boundaries the footer gives (magic, footer, chunks, pages). */
export function parquetTruncations(kind: string, source: SourceBytes, count: number, random: Random): Mutant[] {
  const { boundaries } = parquetLayout(source.bytes)
  return truncations(kind, source, pickSome(boundaries, count, random))
}

/** The same number of bytes as a varint, holding the largest value that width can: a length far past the file's end. */
const hugeVarint = (width: number) => [...new Array<number>(width - 1).fill(0xff), 0x7f]
const randomVarint = (width: number, random: Random) => [
  ...Array.from({ length: width - 1 }, () => 0x80 | random.int(128)),
  random.int(128),
]

/** Page headers with a length overwritten in place (huge or random) or scribbled over. */
export function pageHeaderDamage(kind: string, source: SourceBytes, pagesPerFile: number, random: Random): Mutant[] {
  const { pages } = parquetLayout(source.bytes)
  return pickSome(pages, pagesPerFile, random).flatMap((page) => {
    const fields = pageHeaderLengths(source.bytes, page)
    const overwrite = (id: number, value: (width: number) => number[], damage: string) => {
      const field = fields.find((f) => f.id === id)
      if (!field) return []
      const bytes = Uint8Array.from(source.bytes)
      bytes.set(value(field.end - field.start), field.start)
      return [fileMutant(kind, source, `page at ${page}: ${damage}`, bytes)]
    }
    const scribbled = Uint8Array.from(source.bytes)
    const length = 1 + random.int(16)
    for (let i = page; i < Math.min(page + length, scribbled.length); i++) scribbled[i] = random.int(256)
    return [
      ...overwrite(2, hugeVarint, 'uncompressed size huge'),
      ...overwrite(3, hugeVarint, 'compressed size huge'),
      ...overwrite(3, (width) => randomVarint(width, random), 'compressed size random'),
      fileMutant(kind, source, `page at ${page}: ${length} header bytes scribbled`, scribbled),
    ]
  })
}

/** Footer damage: Thrift bytes scribbled (anywhere, or in the schema at its start), cut out, or a wrong footer length. */
export function footerDamage(kind: string, source: SourceBytes, count: number, random: Random): Mutant[] {
  const { footer } = parquetLayout(source.bytes)
  const size = source.bytes.length
  const footerLength = footer.end - footer.start
  return Array.from({ length: count }, (_, i) => {
    const bytes = Uint8Array.from(source.bytes)
    const view = new DataView(bytes.buffer)
    switch (i % 4) {
      case 0: {
        const at = footer.start + random.int(footerLength)
        bytes[at] = random.int(256)
        return fileMutant(kind, source, `footer byte ${at} scribbled`, bytes)
      }
      case 1: {
        const at = footer.start + random.int(Math.min(64, footerLength))
        for (let j = at; j < Math.min(at + 1 + random.int(4), footer.end); j++) bytes[j] = random.int(256)
        return fileMutant(kind, source, `schema bytes at ${at} scribbled`, bytes)
      }
      case 2: {
        const lengths = [0, 1, footerLength - 1, footerLength + 1, size - 8, size, 0xffffffff, random.int(footerLength * 2)]
        const claimed = lengths[random.int(lengths.length)]
        view.setUint32(size - 8, claimed >>> 0, true)
        return fileMutant(kind, source, `footer length ${claimed >>> 0} instead of ${footerLength}`, bytes)
      }
      default: {
        // Cut a span out of the Thrift bytes and fix the length, so the damage is inside the footer itself.
        const from = footer.start + random.int(footerLength)
        const cut = 1 + random.int(Math.max(1, Math.min(32, footer.end - from)))
        const shorter = new Uint8Array(size - cut)
        shorter.set(bytes.subarray(0, from))
        shorter.set(bytes.subarray(from + cut), from)
        new DataView(shorter.buffer).setUint32(shorter.length - 8, footerLength - cut, true)
        return fileMutant(kind, source, `${cut} footer bytes cut at ${from}`, shorter)
      }
    }
  })
}
