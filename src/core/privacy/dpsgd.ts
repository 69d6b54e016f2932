/**
 * The privacy side of DP-SGD training: from the ε and δ a user states, the noise the network's training adds,
 * and afterwards the (ε, δ) the steps actually taken spent, as the model folder records it.
 */
import { randomFillSync } from 'node:crypto'
import { epsilonFor, noiseMultiplierFor } from './accountant.ts'

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
 * The guarantee as the manifest and the log state it. `scope: 'network'`: it covers the network's weights only;
 * what the encodings and plans learn from the rows (category lists, ranges, mixture modes, quantiles, lookups) is
 * not yet private.
 */
export interface PrivacyRecord extends DpSgdSettings {
  readonly epsilon: number
  readonly delta: number
  /** Batch size over rows trained on: the accountant's Poisson sampling rate q. */
  readonly samplingRate: number
  /** Optimizer steps taken: the accountant composes this many. */
  readonly steps: number
  readonly scope: 'network'
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

/** One planned training: the noise for the stated ε over all planned steps. */
export interface DpSgdPlan extends DpSgdSettings {
  readonly delta: number
  readonly samplingRate: number
  readonly stepsPerEpoch: number
}

/**
 * The noise that meets `request` after `epochs` epochs of `stepsPerEpoch` batches of `batch` rows out of
 * `rows`. The accountant assumes Poisson sampling (each row in each step with probability q = batch / rows);
 * training shuffles and takes fixed-size batches, the approximation Opacus's documentation also states, which
 * the literature treats as close but does not prove equivalent.
 */
export function planDpSgd(request: PrivacyRequest, rows: number, batch: number, stepsPerEpoch: number, epochs: number): DpSgdPlan {
  const delta = request.delta ?? defaultDelta(rows)
  const samplingRate = Math.min(1, batch / rows)
  const noiseMultiplier = noiseMultiplierFor({ epsilon: request.epsilon, delta, samplingRate, steps: stepsPerEpoch * epochs })
  return { noiseMultiplier, clipNorm: DEFAULT_CLIP_NORM, delta, samplingRate, stepsPerEpoch }
}

/** The (ε, δ) spent by the epochs trained: fewer than planned (a time budget) spend less than the stated ε. */
export function privacySpent(plan: DpSgdPlan, epochsTrained: number): PrivacyRecord {
  const steps = plan.stepsPerEpoch * epochsTrained
  const { epsilon } = epsilonFor({ noiseMultiplier: plan.noiseMultiplier, samplingRate: plan.samplingRate, steps, delta: plan.delta })
  const { noiseMultiplier, clipNorm, delta, samplingRate } = plan
  return { epsilon, delta, noiseMultiplier, clipNorm, samplingRate, steps, scope: 'network' }
}

/** One line for the CLI and the worker's log. */
export function describePrivacy(record: PrivacyRecord): string {
  return (
    `differential privacy: (ε = ${record.epsilon.toPrecision(3)}, δ = ${record.delta.toExponential(1)}) for the network's weights ` +
    `(DP-SGD, noise multiplier ${record.noiseMultiplier.toPrecision(3)}, clip norm ${record.clipNorm}, ${record.steps} steps at ` +
    `sampling rate ${record.samplingRate.toPrecision(3)}); the encodings (category lists, ranges, mixture modes) and the training losses are not yet private`
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
