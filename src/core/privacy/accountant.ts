/**
 * The privacy accountant of DP-SGD: Rényi differential privacy (RDP) of the Poisson-sampled Gaussian mechanism,
 * composed over the training steps and converted to (ε, δ)-DP, as Opacus's RDP accountant and Google's
 * dp-accounting (`RdpAccountant`, formerly TensorFlow Privacy's) compute it.
 *
 * One step samples each row with probability q, clips each row's gradient to norm C and adds N(0, σ²C²) noise.
 * Its RDP at order α is log(A_α) / (α − 1) (Mironov, Talwar & Zhang 2019, "Rényi Differential Privacy of the
 * Sampled Gaussian Mechanism"), and T steps compose to T times that.
 */
import { logAbsBinomial, logErfc } from './specialFunctions.ts'

/**
 * The orders α the bound is minimised over: dp-accounting's `DEFAULT_RDP_ORDERS`, which holds Opacus's
 * `DEFAULT_ALPHAS` (1.1 … 10.9, 12 … 63) and adds 11 and 128 … 1024 for small ε and very noisy training.
 */
export const RDP_ORDERS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, x) => 1 + (x + 1) / 10),
  ...Array.from({ length: 53 }, (_, k) => 11 + k),
  128,
  256,
  512,
  1024,
]

/** T steps of DP-SGD: each step samples rows with probability `samplingRate` and adds noise `noiseMultiplier` × the clip norm. */
export interface SampledGaussian {
  readonly noiseMultiplier: number
  readonly samplingRate: number
  readonly steps: number
}

/** The (ε, δ) guarantee and the order α that gave it. */
export interface PrivacySpent {
  readonly epsilon: number
  readonly order: number
}

/** The RDP of T steps at each order (+∞ where the mechanism gives none, as with no noise). */
export function rdpOfSampledGaussian(mechanism: SampledGaussian, orders: readonly number[] = RDP_ORDERS): number[] {
  checkMechanism(mechanism)
  const { noiseMultiplier: sigma, samplingRate: q, steps } = mechanism
  return orders.map((alpha) => {
    if (q === 0) return 0
    if (sigma === 0) return Infinity
    if (q === 1) return (steps * alpha) / (2 * sigma * sigma)
    const logA = Number.isInteger(alpha) ? logAIntegerOrder(q, sigma, alpha) : logAFractionalOrder(q, sigma, alpha)
    return (steps * logA) / (alpha - 1)
  })
}

/** ε at `delta` after T steps, minimised over `orders`. */
export function epsilonFor(
  { delta, ...mechanism }: SampledGaussian & { readonly delta: number },
  orders: readonly number[] = RDP_ORDERS,
): PrivacySpent {
  checkDelta(delta)
  const rdp = rdpOfSampledGaussian(mechanism, orders)
  let best: PrivacySpent = { epsilon: Infinity, order: orders[0] }
  orders.forEach((alpha, i) => {
    const epsilon = epsilonFromRdp(alpha, rdp[i], delta)
    if (epsilon < best.epsilon) best = { epsilon, order: alpha }
  })
  return best
}

/**
 * RDP ε_α at order α as (ε, δ)-DP: the bound of Balle et al. 2020 ("Hypothesis Testing Interpretations and Rényi
 * Differential Privacy", Proposition 12) that Opacus's `get_privacy_spent` and dp-accounting's `compute_epsilon`
 * use, ε = ε_α − (log δ + log α)/(α − 1) + log((α − 1)/α). As dp-accounting also does, it is never below 0, and it is
 * 0 when δ alone covers the divergence (δ² ≥ 1 − e^(−ε_α), since the total variation is at most √(1 − e^(−KL))):
 * so no sampling (q = 0) spends no privacy.
 */
function epsilonFromRdp(alpha: number, rdp: number, delta: number): number {
  if (delta * delta + Math.expm1(-rdp) > 0) return 0
  return Math.max(0, rdp + Math.log1p(-1 / alpha) - Math.log(delta * alpha) / (alpha - 1))
}

/** Opacus's `epsilon_tolerance` of `get_noise_multiplier`. */
export const NOISE_SEARCH_TOLERANCE = 0.01
/** Noise beyond this (Opacus's `MAX_SIGMA`) means ε is out of reach. */
const MAX_NOISE_MULTIPLIER = 1e6

/**
 * The noise multiplier σ that meets `epsilon` at `delta` after T steps at the sampling rate: found by bisection
 * as Opacus's `get_noise_multiplier` does, it is the σ found whose ε lies in [epsilon − tolerance, epsilon] (the
 * least noise to within that), or, where ε jumps over that window, the σ where the bisection interval has shrunk
 * to 1e-12 of it. A RangeError names `epsilon` when even σ ≈ 10⁶ (2²⁰) gives more.
 */
export function noiseMultiplierFor({
  epsilon,
  delta,
  samplingRate,
  steps,
  tolerance = NOISE_SEARCH_TOLERANCE,
}: {
  readonly epsilon: number
  readonly delta: number
  readonly samplingRate: number
  readonly steps: number
  readonly tolerance?: number
}): number {
  if (!(epsilon > 0 && epsilon < Infinity)) throw new RangeError(`epsilon must be a positive number, got ${epsilon}`)
  if (!(tolerance > 0 && tolerance < Infinity)) throw new RangeError(`tolerance must be a positive number, got ${tolerance}`)
  const epsilonAt = (noiseMultiplier: number) => epsilonFor({ noiseMultiplier, samplingRate, steps, delta }).epsilon
  if (epsilonAt(0) <= epsilon) return 0
  let low = 0
  let high = 1
  let epsilonHigh = epsilonAt(high)
  while (epsilonHigh > epsilon) {
    if (high >= MAX_NOISE_MULTIPLIER)
      throw new RangeError(
        `epsilon ${epsilon} cannot be met at delta ${delta} over ${steps} steps at sampling rate ${samplingRate}: ` +
          `even noise multiplier ${high} gives epsilon ${epsilonHigh.toPrecision(3)}`,
      )
    low = high
    high *= 2
    epsilonHigh = epsilonAt(high)
  }
  while (epsilon - epsilonHigh > tolerance && high - low > 1e-12 * high) {
    const middle = (low + high) / 2
    const epsilonMiddle = epsilonAt(middle)
    if (epsilonMiddle <= epsilon) [high, epsilonHigh] = [middle, epsilonMiddle]
    else low = middle
  }
  return high
}

/** log(e^a + e^b) without overflow. */
function logAdd(a: number, b: number): number {
  const [small, large] = a < b ? [a, b] : [b, a]
  if (small === -Infinity) return large
  return large + Math.log1p(Math.exp(small - large))
}

/** log A_α for whole α: the binomial expansion Σᵢ C(α, i) qⁱ (1 − q)^(α−i) e^((i² − i)/(2σ²)), 0 < q < 1. */
function logAIntegerOrder(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q)
  const log1mQ = Math.log1p(-q)
  let logA = -Infinity
  for (let i = 0; i <= alpha; i++) {
    logA = logAdd(logA, logAbsBinomial(alpha, i) + i * logQ + (alpha - i) * log1mQ + (i * i - i) / (2 * sigma * sigma))
  }
  return logA
}

/** The fractional series is cut after this many terms; an order it has not converged by gives no bound. */
const MAX_FRACTIONAL_TERMS = 1000

/**
 * log A_α for fractional α (Mironov, Talwar & Zhang 2019, section 3.3): A_α split at z₀ = σ² log(1/q − 1) + 1/2
 * into two series over i = 0, 1, …, summed until both sets of terms fall and are e^30 below the total.
 */
function logAFractionalOrder(q: number, sigma: number, alpha: number): number {
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5
  const logQ = Math.log(q)
  const log1mQ = Math.log1p(-q)
  const scale = Math.SQRT2 * sigma
  let logA0 = -Infinity
  let logA1 = -Infinity
  let lastS0 = -Infinity
  let lastS1 = -Infinity
  for (let i = 0; i < MAX_FRACTIONAL_TERMS; i++) {
    const j = alpha - i
    const logBinomial = logAbsBinomial(alpha, i)
    const s0 = logBinomial + i * logQ + j * log1mQ + (i * i - i) / (2 * sigma * sigma) + Math.log(0.5) + logErfc((i - z0) / scale)
    const s1 = logBinomial + j * logQ + i * log1mQ + (j * j - j) / (2 * sigma * sigma) + Math.log(0.5) + logErfc((z0 - j) / scale)
    logA0 = logAdd(logA0, s0)
    logA1 = logAdd(logA1, s1)
    const total = logAdd(logA0, logA1)
    if (s0 < lastS0 && s1 < lastS1 && Math.max(s0, s1) < total - 30) return total
    lastS0 = s0
    lastS1 = s1
  }
  return Infinity
}

function checkMechanism({ noiseMultiplier, samplingRate, steps }: SampledGaussian): void {
  if (!(noiseMultiplier >= 0 && noiseMultiplier < Infinity))
    throw new RangeError(`noiseMultiplier must be a number ≥ 0, got ${noiseMultiplier}`)
  if (!(samplingRate >= 0 && samplingRate <= 1)) throw new RangeError(`samplingRate must lie in [0, 1], got ${samplingRate}`)
  if (!(Number.isSafeInteger(steps) && steps >= 1)) throw new RangeError(`steps must be a whole number ≥ 1, got ${steps}`)
}

function checkDelta(delta: number): void {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must lie strictly between 0 and 1, got ${delta}`)
}
