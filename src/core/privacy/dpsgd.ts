/**
 * The privacy side of DP-SGD training: from the ε and δ a user states, the noise the network's training adds,
 * and afterwards the (ε, δ) the steps actually taken spent, as the model folder records it.
 */
import { randomFillSync } from 'node:crypto'
import { epsilonFor, noiseMultiplierFor } from './accountant.ts'
import type { Budget } from './encodingBudget.ts'

/** What the user asks for: ε, and δ (default {@link defaultDelta}). */
export interface PrivacyRequest {
  readonly epsilon: number
  readonly delta?: number
}

/** How DP-SGD trains: each row's gradient clipped to `clipNorm`, and N(0, (noiseMultiplier · clipNorm)²) added to the batch's sum. */
export interface DpSgdSettings {
  readonly noiseMultiplier: number
  readonly clipNorm: number
}

/**
 * The guarantee as the manifest and the log state it. `scope: 'model'`: it covers the whole model folder, the
 * encodings (what they learn from the rows, by the mechanisms of encodingBudget.ts) and the network's weights
 * (DP-SGD), composed: ε = encodings.epsilon + network.epsilon, δ = encodings.delta + network.delta.
 */
export interface PrivacyRecord extends DpSgdSettings {
  readonly epsilon: number
  readonly delta: number
  readonly encodings: Budget
  readonly network: Budget
  /** Batch size over rows trained on: the accountant's Poisson sampling rate q. */
  readonly samplingRate: number
  /** Optimizer steps taken: the accountant composes this many. */
  readonly steps: number
  readonly scope: 'model'
}

/** Opacus's and TensorFlow Privacy's usual clip norm; Adam adapts the step size to the clipped gradients' scale. */
export const DEFAULT_CLIP_NORM = 1

/**
 * δ = 1 / (10 n) for n rows trained on: well below 1/n, the chance at which a mechanism that publishes one
 * random row whole would meet it, and it shrinks as tables grow, where a fixed 10⁻⁵ would not (at a million
 * rows it would allow ten rows' worth of failure).
 */
export function defaultDelta(rows: number): number {
  return 1 / (10 * Math.max(1, rows))
}

/** One planned training: the noise for the network's (ε, δ) over all planned steps. */
export interface DpSgdPlan extends DpSgdSettings {
  readonly delta: number
  readonly samplingRate: number
  readonly stepsPerEpoch: number
}

/**
 * The bisection's tolerance on the network's ε, relative: the whole model's recorded ε then equals the stated one
 * to 10⁻⁷ of it when every planned step is taken (Opacus stops 0.01 below, which the record would show).
 */
const NETWORK_EPSILON_TOLERANCE = 1e-7

/**
 * The noise that meets the network's `budget` after `epochs` epochs of `stepsPerEpoch` batches of `batch` rows
 * out of `rows`. The accountant assumes Poisson sampling (each row in each step with probability q = batch /
 * rows); training shuffles and takes fixed-size batches, the approximation Opacus's documentation also states,
 * which the literature treats as close but does not prove equivalent.
 */
export function planDpSgd(budget: Budget, rows: number, batch: number, stepsPerEpoch: number, epochs: number): DpSgdPlan {
  const samplingRate = Math.min(1, batch / rows)
  const steps = stepsPerEpoch * epochs
  const tolerance = NETWORK_EPSILON_TOLERANCE * budget.epsilon
  const noiseMultiplier = noiseMultiplierFor({ epsilon: budget.epsilon, delta: budget.delta, samplingRate, steps, tolerance })
  return { noiseMultiplier, clipNorm: DEFAULT_CLIP_NORM, delta: budget.delta, samplingRate, stepsPerEpoch }
}

/**
 * The whole model's record: the (ε, δ) the encodings spent and the network's epochs trained spent (fewer than
 * planned, a time budget, spend less than its share), composed by adding them.
 */
export function privacySpent(plan: DpSgdPlan, epochsTrained: number, encodings: Budget): PrivacyRecord {
  const steps = plan.stepsPerEpoch * epochsTrained
  const { epsilon } = epsilonFor({ noiseMultiplier: plan.noiseMultiplier, samplingRate: plan.samplingRate, steps, delta: plan.delta })
  const { noiseMultiplier, clipNorm, delta, samplingRate } = plan
  return {
    epsilon: encodings.epsilon + epsilon,
    delta: encodings.delta + delta,
    encodings,
    network: { epsilon, delta },
    noiseMultiplier,
    clipNorm,
    samplingRate,
    steps,
    scope: 'model',
  }
}

/** One line for the CLI and the worker's log. */
export function describePrivacy(record: PrivacyRecord): string {
  const pair = ({ epsilon, delta }: Budget) => `ε = ${epsilon.toPrecision(3)}, δ = ${delta.toExponential(1)}`
  return (
    `differential privacy: (${pair(record)}) for the whole model: the encodings (${pair(record.encodings)}: noisy counts, ` +
    `selected categories, DP quantiles) and the network's weights (${pair(record.network)}: DP-SGD, noise multiplier ` +
    `${record.noiseMultiplier.toPrecision(3)}, clip norm ${record.clipNorm}, ${record.steps} steps at sampling rate ` +
    `${record.samplingRate.toPrecision(3)}); the training losses are not saved`
  )
}

/**
 * `count` standard normal draws from the operating system's random source, not from the training seed: noise an
 * attacker could regenerate from the recorded seed would protect nothing.
 */
export function gaussianNoise(count: number): Float32Array {
  const out = new Float32Array(count)
  const pairs = Math.ceil(count / 2)
  const bits = randomFillSync(new Uint32Array(pairs * 4))
  // Two 53-bit uniforms per pair (Box–Muller); u1 in (0, 1] so that its log is finite.
  const uniform = (i: number) => ((bits[i] >>> 5) * 67108864 + (bits[i + 1] >>> 6) + 1) / 9007199254740992
  for (let p = 0; p < pairs; p++) {
    const radius = Math.sqrt(-2 * Math.log(uniform(4 * p)))
    const angle = 2 * Math.PI * uniform(4 * p + 2)
    out[2 * p] = radius * Math.cos(angle)
    if (2 * p + 1 < count) out[2 * p + 1] = radius * Math.sin(angle)
  }
  return out
}
