/**
 * Seeded pseudo-random numbers (sfc32): fast, 32-bit state words, and the same stream
 * on every platform, so a seed reproduces a sample or a synthetic table exactly.
 */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed >>> 0
    for (let i = 0; i < 15; i++) this.next()
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return (t >>> 0) / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }
}

/**
 * Shuffles `items` in place (Fisher–Yates, from the last item down, one `random.int` each): the
 * order a seed gives is fixed, since trained weights and held-out rows depend on it.
 */
export function shuffleInPlace(items: unknown[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    ;[items[i], items[j]] = [items[j], items[i]]
  }
}

/** A 32-bit integer hash (Wellons' lowbias32): every input bit moves about half the output bits. */
function mix32(x: number): number {
  x ^= x >>> 16
  x = Math.imul(x, 0x21f0aaad)
  x ^= x >>> 15
  x = Math.imul(x, 0x735a2d97)
  x ^= x >>> 15
  return x >>> 0
}

/** The key of a counter-based stream, mixed from whole numbers (a seed, then indices that name the stream). */
export function streamKey(...parts: number[]): number {
  let key = 0x243f6a88
  for (const part of parts) key = mix32((key ^ mix32(part >>> 0)) >>> 0)
  return key
}

/**
 * Uniform number `counter` in [0, 1) of the stream `key`: a hash of the two, with no state carried
 * from one number to the next, so that a block of them is computed at once where a loop is slow
 * (numpy on Spark executors, `python/spark_synth/random.py`) and gives the same numbers.
 */
export function uniformAt(key: number, counter: number): number {
  return mix32((mix32((Math.imul(counter, 0x9e3779b9) ^ key) >>> 0) + key) >>> 0) / 4294967296
}

/** Standard normal (Box–Muller) from uniforms `counter` and `counter + 1` of the stream `key`. */
export function normalAt(key: number, counter: number): number {
  return Math.sqrt(-2 * Math.log(1 - uniformAt(key, counter))) * Math.cos(2 * Math.PI * uniformAt(key, counter + 1))
}

/**
 * `k` distinct indices drawn uniformly from [0, n), sorted ascending.
 * Floyd's algorithm: O(k) memory whatever n is, so a 100k sample of a billion rows is cheap.
 */
export function sampleIndices(n: number, k: number, random: Random): Float64Array {
  if (k >= n) return Float64Array.from({ length: n }, (_, i) => i)
  const chosen = new Set<number>()
  for (let j = n - k; j < n; j++) {
    const t = random.int(j + 1)
    chosen.add(chosen.has(t) ? j : t)
  }
  return Float64Array.from(chosen).sort()
}
