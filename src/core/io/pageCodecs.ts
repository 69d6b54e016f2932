/**
 * The page decompressors the Parquet reader uses: hyparquet-compressors' codecs, with the page
 * header's claimed uncompressed size capped by what the compressed bytes can expand to. A corrupt
 * header would otherwise make a decoder allocate gigabytes up front, before any byte is decoded.
 */
import { brotliDecompressSync } from 'node:zlib'
import type { Compressors } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

/**
 * The most each format can expand by, from its encoding: a snappy copy of 64 bytes takes at least 2,
 * an LZ4 sequence's match runs 255 bytes per length byte, deflate tops out at 1032 to 1.
 */
const MAX_EXPANSION = { SNAPPY: 32, LZ4: 256, LZ4_RAW: 256, GZIP: 1032 } as const

/** Headers and block framing a tiny page still carries, however little it compresses. */
const FRAMING_BYTES = 64

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array

function capped(codec: keyof typeof MAX_EXPANSION, decompress: Decompress): Decompress {
  return (input, outputLength) => {
    const most = input.length * MAX_EXPANSION[codec] + FRAMING_BYTES
    if (outputLength > most) {
      throw new Error(`the page header claims ${outputLength} uncompressed bytes, more than ${input.length} ${codec} bytes can hold`)
    }
    return decompress(input, outputLength)
  }
}

function defined(decompress: Decompress | undefined, codec: string): Decompress {
  if (!decompress) throw new Error(`hyparquet-compressors has no ${codec} codec`)
  return decompress
}

export const PAGE_CODECS: Compressors = {
  ...compressors,
  SNAPPY: capped('SNAPPY', defined(compressors.SNAPPY, 'SNAPPY')),
  LZ4: capped('LZ4', defined(compressors.LZ4, 'LZ4')),
  LZ4_RAW: capped('LZ4_RAW', defined(compressors.LZ4_RAW, 'LZ4_RAW')),
  GZIP: capped('GZIP', defined(compressors.GZIP, 'GZIP')),
  // Brotli has no useful bound on its expansion: Node's decoder grows its output with the data
  // actually decoded and stops at the claimed size, where the bundled one allocates the claim first.
  BROTLI: (input, outputLength) => brotliDecompressSync(input, { maxOutputLength: Math.max(1, outputLength) }),
}
