/**
 * The differential privacy mechanisms the encodings are learned with under `--epsilon`: noisy counts, the
 * selection of values by noisy counts, and quantiles by the exponential mechanism. Each is accounted in
 * zero-concentrated DP (ρ-zCDP, Bun & Steinke 2016), which composes by adding ρ; a selection also spends a δ,
 * the chance that a value held by one row is released at all. Randomness comes from the operating system, as
 * DP-SGD's noise does: noise an attacker could regenerate from the recorded seed would protect nothing.
 */
import { randomFillSync } from 'node:crypto'
import { logErfc } from './specialFunctions.ts'

/** Uniform and Gaussian draws from the operating system's random source, fetched in blocks. */
export class SecureRandom {
  private readonly words = new Uint32Array(1024)
  private next = this.words.length

  /** Uniform in (0, 1), 53 bits. */
  uniform(): number {
    if (this.next + 2 > this.words.length) {
      randomFillSync(this.words)
      this.next = 0
    }
    const high = this.words[this.next++] >>> 5
    const low = this.words[this.next++] >>> 6
    return (high * 67108864 + low + 0.5) / 9007199254740992
  }

  /** Standard normal (Box–Muller). */
  gaussian(): number {
    return Math.sqrt(-2 * Math.log(this.uniform())) * Math.cos(2 * Math.PI * this.uniform())
  }
}

/**
 * The ρ-zCDP that an (ε, δ) budget allows: the largest ρ with ρ + 2√(ρ log(1/δ)) ≤ ε, the conversion of Bun &
 * Steinke 2016 (Proposition 1.3), solved for ρ.
 */
export function rhoFor(epsilon: number, delta: number): number {
  const log = Math.log(1 / delta)
  return (Math.sqrt(log + epsilon) - Math.sqrt(log)) ** 2
}

/** The ε of ρ-zCDP at δ (Bun & Steinke 2016, Proposition 1.3). */
export function epsilonOfRho(rho: number, delta: number): number {
  return rho + 2 * Math.sqrt(rho * Math.log(1 / delta))
}

/** The Gaussian mechanism's noise for ρ-zCDP at L2 sensitivity Δ: ρ = Δ² / (2σ²) (Bun & Steinke 2016, Proposition 1.6). */
export function gaussianSigma(rho: number, sensitivity = 1): number {
  return sensitivity / Math.sqrt(2 * rho)
}

/**
 * The ε of an exponential mechanism that is ρ-zCDP: ε-DP exponential mechanisms are ε²/8-zCDP (Cesar & Rogers
 * 2021, "Bounding, Concentrating, and Truncating", Lemma 3.2), so ε = √(8ρ).
 */
export function exponentialEpsilon(rho: number): number {
  return Math.sqrt(8 * rho)
}

/** z with P(N(0, 1) ≥ z) = p, for 0 < p ≤ 0.5, by bisection on log erfc (to 1e-12). */
export function gaussianTailInverse(p: number): number {
  if (!(p > 0 && p <= 0.5)) throw new RangeError(`a tail probability in (0, 0.5] is needed, got ${p}`)
  const logTail = (z: number) => logErfc(z / Math.SQRT2) - Math.LN2
  let low = 0
  let high = 1
  while (logTail(high) > Math.log(p)) high *= 2
  while (high - low > 1e-12 * high) {
    const middle = (low + high) / 2
    if (logTail(middle) > Math.log(p)) low = middle
    else high = middle
  }
  return high
}

/**
 * The threshold a noisy count (a row adds at most 1 to each of `keysPerRow` keys, Gaussian noise σ) must reach
 * for its key to be released, so that the keys a single row holds alone are released with probability at most
 * δ in all: each passes with P(1 + N(0, σ²) ≥ τ) ≤ δ / keysPerRow. Stability-based selection (Korolova,
 * Kenthapadi, Mishra & Ntoulas 2009) with Gaussian noise, as Google's DP partition selection does it (Wilson et
 * al. 2020, "Differentially Private SQL with Bounded User Contribution").
 */
export function selectionThreshold(sigma: number, delta: number, keysPerRow = 1): number {
  return 1 + sigma * gaussianTailInverse(delta / keysPerRow)
}

/** Counts with N(0, σ²) noise each. */
export function noisyCounts(counts: readonly number[], sigma: number, random: SecureRandom): number[] {
  return counts.map((count) => count + sigma * random.gaussian())
}

/**
 * The keys whose noisy count reaches `threshold`, with their noisy counts, most frequent first. Keys a row adds
 * are absent from the other dataset: their release is what `selectionThreshold` bounds by δ; the counts of the
 * keys both hold are the Gaussian mechanism's.
 */
export function selectKeys<K>(counts: ReadonlyMap<K, number>, sigma: number, threshold: number, random: SecureRandom): [K, number][] {
  const kept: [K, number][] = []
  for (const [key, count] of counts) {
    const noisy = count + sigma * random.gaussian()
    if (noisy >= threshold) kept.push([key, noisy])
  }
  return kept.sort((a, b) => b[1] - a[1])
}

/**
 * A DP quantile of sorted values clipped to [low, high] (bounds not taken from the data): the exponential
 * mechanism of Smith 2011 ("Privacy-preserving statistical estimation with optimal convergence rates"), as
 * OpenDP and MOSTLY AI's engine use it. The gap between the i-th and (i+1)-th value (the bounds at the ends)
 * is drawn with weight length × exp(−ε |i − p·n| / 2), the utility's sensitivity being 1, then a point in it
 * uniformly. ε-DP.
 */
export function smithQuantile(
  sorted: ArrayLike<number>,
  p: number,
  low: number,
  high: number,
  epsilon: number,
  random: SecureRandom,
): number {
  const n = sorted.length
  const at = (i: number) => (i === 0 ? low : i === n + 1 ? high : Math.max(low, Math.min(high, sorted[i - 1])))
  const logWeights = new Float64Array(n + 1)
  let top = -Infinity
  for (let i = 0; i <= n; i++) {
    const length = at(i + 1) - at(i)
    logWeights[i] = length > 0 ? Math.log(length) - (epsilon / 2) * Math.abs(i - p * n) : -Infinity
    top = Math.max(top, logWeights[i])
  }
  if (top === -Infinity) return low
  let total = 0
  for (let i = 0; i <= n; i++) total += Math.exp(logWeights[i] - top)
  let u = random.uniform() * total
  for (let i = 0; i <= n; i++) {
    u -= Math.exp(logWeights[i] - top)
    if (u <= 0 || i === n) return at(i) + random.uniform() * (at(i + 1) - at(i))
  }
  return high
}

/** Levels of `dpQuantiles` for m probabilities: each value takes part in one exponential mechanism per level. */
export function quantileLevels(count: number): number {
  return Math.ceil(Math.log2(count + 1))
}

/**
 * DP quantiles at ascending probabilities by the recursive splitting of Kaplan, Schnapp & Stemmer 2022
 * ("Differentially Private Approximate Quantiles"): the middle probability's quantile first, then each side's
 * quantiles among the values on that side only. A value is in one sub-problem per level, so the whole costs
 * `quantileLevels(m)` times the ε of one quantile (ε per level), not m times. Ascending by construction.
 */
export function dpQuantiles(
  sorted: ArrayLike<number>,
  probabilities: readonly number[],
  low: number,
  high: number,
  epsilonPerLevel: number,
  random: SecureRandom,
): number[] {
  if (probabilities.length === 0) return []
  const middle = probabilities.length >> 1
  const p = probabilities[middle]
  const value = smithQuantile(sorted, p, low, high, epsilonPerLevel, random)
  let split = 0
  while (split < sorted.length && sorted[split] <= value) split++
  const below = Array.prototype.slice.call(sorted, 0, split) as number[]
  const above = Array.prototype.slice.call(sorted, split) as number[]
  return [
    ...dpQuantiles(
      below,
      probabilities.slice(0, middle).map((q) => q / p),
      low,
      value,
      epsilonPerLevel,
      random,
    ),
    value,
    ...dpQuantiles(
      above,
      probabilities.slice(middle + 1).map((q) => (q - p) / (1 - p)),
      value,
      high,
      epsilonPerLevel,
      random,
    ),
  ]
}

/** Bins per doubling of the public grid `dpRange` counts on. */
const GRID_BINS_PER_OCTAVE = 4
/** The grid spans magnitudes 2^-20 … 2^64 on either side of zero (smaller magnitudes share zero's bin). */
const GRID_LOWEST_OCTAVE = -20
const GRID_OCTAVES = 84

/** The bin of a public log-scale grid a value falls in: 0 for magnitudes below the grid, ± the step above it. */
function gridBin(value: number): number {
  const magnitude = Math.abs(value)
  if (magnitude < 2 ** GRID_LOWEST_OCTAVE) return 0
  const step = Math.min(
    GRID_OCTAVES * GRID_BINS_PER_OCTAVE,
    Math.floor((Math.log2(magnitude) - GRID_LOWEST_OCTAVE) * GRID_BINS_PER_OCTAVE) + 1,
  )
  return Math.sign(value) * step
}

/** A grid bin's lower and upper edges. */
function gridEdges(bin: number): [number, number] {
  if (bin === 0) return [-(2 ** GRID_LOWEST_OCTAVE), 2 ** GRID_LOWEST_OCTAVE]
  const inner = 2 ** (GRID_LOWEST_OCTAVE + (Math.abs(bin) - 1) / GRID_BINS_PER_OCTAVE)
  const outer = 2 ** (GRID_LOWEST_OCTAVE + Math.abs(bin) / GRID_BINS_PER_OCTAVE)
  return bin > 0 ? [inner, outer] : [-outer, -inner]
}

/** Bins the range reaches beyond the outermost that clear the bar: those hold values too, too few to clear it. */
const RANGE_MARGIN_BINS = 2

/**
 * A range holding the values, not taken from them: noisy counts (Gaussian, σ) of the values in the bins of a
 * public log-scale grid (a quarter octave each, ±2^-20 … ±2^64), and the outer edges of the lowest and highest
 * bins whose noisy count clears a bar an empty bin clears with probability 10⁻⁴ all told (a bar for accuracy:
 * the grid is public, so no δ), widened by two bins each side. As MOSTLY AI's engine bounds values
 * (`dp_approx_bounds`, after SmartNoise). Undefined when no bin clears it.
 */
export function dpRange(values: readonly number[], sigma: number, random: SecureRandom): { low: number; high: number } | undefined {
  const counts = new Map<number, number>()
  for (const value of values) counts.set(gridBin(value), (counts.get(gridBin(value)) ?? 0) + 1)
  const bins = 2 * GRID_OCTAVES * GRID_BINS_PER_OCTAVE + 1
  const bar = sigma * gaussianTailInverse(1e-4 / bins)
  let lowest = Infinity
  let highest = -Infinity
  // Empty bins get noise too (they could clear the bar); only their count of clearing matters, so it is drawn.
  const emptyClearing = binomial(bins - counts.size, 1e-4 / bins, random)
  for (const [bin, count] of counts) {
    if (count + sigma * random.gaussian() < bar) continue
    lowest = Math.min(lowest, bin)
    highest = Math.max(highest, bin)
  }
  for (let i = 0; i < emptyClearing; i++) {
    let bin: number
    do bin = Math.floor(random.uniform() * bins) - (bins >> 1)
    while (counts.has(bin))
    lowest = Math.min(lowest, bin)
    highest = Math.max(highest, bin)
  }
  if (lowest === Infinity) return undefined
  const last = GRID_OCTAVES * GRID_BINS_PER_OCTAVE
  return {
    low: gridEdges(Math.max(-last, lowest - RANGE_MARGIN_BINS))[0],
    high: gridEdges(Math.min(last, highest + RANGE_MARGIN_BINS))[1],
  }
}

/** Binomial(n, p) for a tiny p, by counting successes in geometric jumps. */
function binomial(n: number, p: number, random: SecureRandom): number {
  let successes = 0
  for (
    let at = Math.floor(Math.log(random.uniform()) / Math.log1p(-p));
    at < n;
    at += 1 + Math.floor(Math.log(random.uniform()) / Math.log1p(-p))
  )
    successes++
  return successes
}
