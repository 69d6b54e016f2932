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
