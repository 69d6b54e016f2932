// Z85 (ZeroMQ RFC 32): Delta's Base85 variant for inline deletion vectors and DV file ids.
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#'

const DIGIT_OF = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DIGIT_OF[ALPHABET.charCodeAt(i)] = i

/**
 * Decodes Z85 text: every 5 characters give 4 big-endian bytes. Undefined when the text is not
 * Z85 (a length that is not a multiple of 5, a character outside the alphabet, a block above 2^32).
 */
export function decodeZ85(text: string): Uint8Array | undefined {
  if (text.length % 5 !== 0) return undefined
  const bytes = new Uint8Array((text.length / 5) * 4)
  const view = new DataView(bytes.buffer)
  for (let block = 0; block * 5 < text.length; block++) {
    let value = 0
    for (let i = block * 5; i < block * 5 + 5; i++) {
      const code = text.charCodeAt(i)
      const digit = code < 128 ? DIGIT_OF[code] : -1
      if (digit < 0) return undefined
      value = value * 85 + digit
    }
    if (value > 0xffffffff) return undefined
    view.setUint32(block * 4, value)
  }
  return bytes
}
