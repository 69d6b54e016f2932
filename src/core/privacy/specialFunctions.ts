/**
 * The two special functions the privacy accountant needs, in log space and to about 1e-14 (checked against scipy): log |Γ(x)| for
 * binomial coefficients of fractional orders (whose Γ(α − i + 1) goes negative), and log erfc(x) far into the
 * tail, where erfc itself underflows (erfc(27) < 1e-308).
 */

// Lanczos's approximation with g = 7 and nine coefficients (the set Numerical Recipes and most libraries use).
const LANCZOS_G = 7
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI)

/** log |Γ(x)|, as scipy's `gammaln`: +∞ at the poles 0, −1, −2, … */
export function logAbsGamma(x: number): number {
  // Exactly 0, not Lanczos's 1e-16: C(α, 0) = 1 must hold exactly, for an RDP of 1e-9 is a sum of terms near 1 in log space.
  if (x === 1 || x === 2) return 0
  if (x < 0.5) {
    // Reflection, Γ(x) Γ(1 − x) = π / sin(πx); sin(πx) is 0 exactly at the poles.
    if (Number.isInteger(x)) return Infinity
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logAbsGamma(1 - x)
  }
  const z = x - 1
  let sum = LANCZOS[0]
  for (let k = 1; k < LANCZOS.length; k++) sum += LANCZOS[k] / (z + k)
  const t = z + LANCZOS_G + 0.5
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** log |C(n, k)| for real n, as `gammaln(n + 1) − gammaln(k + 1) − gammaln(n − k + 1)`. */
export function logAbsBinomial(n: number, k: number): number {
  return logAbsGamma(n + 1) - logAbsGamma(k + 1) - logAbsGamma(n - k + 1)
}

// Below it, 1 − erf(x) by erf's series loses at most 2 of 16 digits (erfc(2) ≈ 0.005); from it on the continued
// fraction converges within 60 terms (10 at x = 10).
const SERIES_LIMIT = 2

/** log erfc(x) for any real x, without underflow for large x. */
export function logErfc(x: number): number {
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)))
  if (x < SERIES_LIMIT) return Math.log1p(-erfSeries(x))
  return -x * x - LOG_SQRT_PI + Math.log(erfcContinuedFraction(x))
}

/** erf(x) = 2/√π e^(−x²) Σ 2ⁿ x^(2n+1) / (2n+1)!!: every term positive, so no cancellation. */
function erfSeries(x: number): number {
  const x2 = x * x
  let term = x
  let sum = x
  for (let n = 1; term > sum * Number.EPSILON; n++) {
    term *= (2 * x2) / (2 * n + 1)
    sum += term
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum
}

/** √π e^(x²) erfc(x) = 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + …)))), by Lentz's method. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let k = 1; k < 10_000; k++) {
    const a = k / 2
    d = x + a * d
    d = 1 / (d === 0 ? tiny : d)
    c = x + a / c
    if (c === 0) c = tiny
    const step = c * d
    f *= step
    if (Math.abs(step - 1) < Number.EPSILON) break
  }
  return 1 / f
}
