/** A one-dimensional Gaussian mixture fitted by expectation–maximisation. */
export interface Mixture {
  readonly means: number[]
  readonly stds: number[]
  readonly weights: number[]
}

/**
 * Fits `k` components to `values`, initialised at evenly spaced quantiles (deterministic, so
 * the same data gives the same modes); `stdFloor` keeps components from collapsing onto one value.
 */
export function fitMixture(values: Float64Array, k: number, stdFloor: number, iterations = 200): Mixture {
  const n = values.length
  const sorted = Float64Array.from(values).sort()
  const means = Array.from({ length: k }, (_, j) => sorted[Math.min(n - 1, Math.floor(((j + 0.5) / k) * n))])
  const overallMean = values.reduce((s, v) => s + v, 0) / n
  const overallStd = Math.sqrt(values.reduce((s, v) => s + (v - overallMean) ** 2, 0) / n)
  const stds = new Array<number>(k).fill(Math.max(overallStd / k, stdFloor))
  const weights = new Array<number>(k).fill(1 / k)
  const responsibility = new Float64Array(n * k)
  let previous = -Infinity
  for (let iteration = 0; iteration < iterations; iteration++) {
    let logLikelihood = 0
    for (let i = 0; i < n; i++) {
      let total = 0
      for (let j = 0; j < k; j++) {
        const z = (values[i] - means[j]) / stds[j]
        const p = (weights[j] / stds[j]) * Math.exp(-0.5 * z * z)
        responsibility[i * k + j] = p
        total += p
      }
      total ||= 1e-300
      logLikelihood += Math.log(total)
      for (let j = 0; j < k; j++) responsibility[i * k + j] /= total
    }
    for (let j = 0; j < k; j++) {
      let mass = 0
      let sum = 0
      for (let i = 0; i < n; i++) {
        mass += responsibility[i * k + j]
        sum += responsibility[i * k + j] * values[i]
      }
      if (mass < 1e-8) {
        weights[j] = 0
        continue
      }
      const mean = sum / mass
      let variance = 0
      for (let i = 0; i < n; i++) variance += responsibility[i * k + j] * (values[i] - mean) ** 2
      means[j] = mean
      stds[j] = Math.max(Math.sqrt(variance / mass), stdFloor)
      weights[j] = mass / n
    }
    if (Math.abs(logLikelihood - previous) < 1e-6 * Math.abs(logLikelihood)) break
    previous = logLikelihood
  }
  return { means, stds, weights }
}
