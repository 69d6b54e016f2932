/**
 * Synthetic-data quality metrics with the SDMetrics definitions, so that our figures mean what
 * the field's figures mean. Missing values (null, NaN) are dropped per metric, as SDMetrics does.
 */

export type Discrete = string | number | boolean

const present = <T>(values: readonly (T | null)[]): T[] =>
  values.filter((v): v is T => v !== null && !(typeof v === 'number' && Number.isNaN(v)))

/** KSComplement: 1 − the Kolmogorov–Smirnov statistic (largest gap between the two empirical CDFs). */
export function ksComplement(real: readonly (number | null)[], synthetic: readonly (number | null)[]): number {
  const a = Float64Array.from(present(real)).sort()
  const b = Float64Array.from(present(synthetic)).sort()
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0
  let i = 0
  let j = 0
  let gap = 0
  while (i < a.length && j < b.length) {
    const value = Math.min(a[i], b[j])
    while (i < a.length && a[i] === value) i++
    while (j < b.length && b[j] === value) j++
    gap = Math.max(gap, Math.abs(i / a.length - j / b.length))
  }
  return 1 - gap
}

function frequencies(values: readonly Discrete[]): Map<Discrete, number> {
  const counts = new Map<Discrete, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  for (const [key, count] of counts) counts.set(key, count / values.length)
  return counts
}

/** TVComplement: 1 − the total variation distance between the two category frequency tables. */
export function tvComplement(real: readonly (Discrete | null)[], synthetic: readonly (Discrete | null)[]): number {
  const p = frequencies(present(real))
  const q = frequencies(present(synthetic))
  let distance = 0
  for (const key of new Set([...p.keys(), ...q.keys()])) distance += Math.abs((p.get(key) ?? 0) - (q.get(key) ?? 0))
  return 1 - distance / 2
}

/** Pearson correlation over the rows where both values are present; 0 for a constant column. */
export function pearson(x: readonly (number | null)[], y: readonly (number | null)[]): number {
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < x.length; i++) {
    const u = x[i]
    const v = y[i]
    if (u === null || v === null || Number.isNaN(u) || Number.isNaN(v)) continue
    a.push(u)
    b.push(v)
  }
  const ma = a.reduce((s, v) => s + v, 0) / a.length
  const mb = b.reduce((s, v) => s + v, 0) / b.length
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb)
    saa += (a[i] - ma) ** 2
    sbb += (b[i] - mb) ** 2
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb)
}

/** CorrelationSimilarity: 1 − |r_real − r_synthetic| / 2 (Pearson). */
export function correlationSimilarity(
  real: readonly [readonly (number | null)[], readonly (number | null)[]],
  synthetic: readonly [readonly (number | null)[], readonly (number | null)[]],
): number {
  return 1 - Math.abs(pearson(real[0], real[1]) - pearson(synthetic[0], synthetic[1])) / 2
}

/**
 * ContingencySimilarity: 1 − the total variation distance between the two joint frequency
 * tables of a column pair (rows with a missing value in either column dropped).
 */
export function contingencySimilarity(
  real: readonly [readonly (Discrete | null)[], readonly (Discrete | null)[]],
  synthetic: readonly [readonly (Discrete | null)[], readonly (Discrete | null)[]],
): number {
  const joint = ([a, b]: readonly [readonly (Discrete | null)[], readonly (Discrete | null)[]]) => {
    const cells: Discrete[] = []
    for (let i = 0; i < a.length; i++) {
      const x = a[i]
      const y = b[i]
      if (x === null || y === null) continue
      cells.push(`${typeof x}:${String(x)}\u0000${typeof y}:${String(y)}`)
    }
    return cells
  }
  return tvComplement(joint(real), joint(synthetic))
}

/**
 * SDMetrics' discretisation of a numeric column for contingency tables: 10 equal-width bins
 * over the real column's range, the outer edges opened to ±∞ so synthetic outliers still land.
 */
export function discretize(real: readonly (number | null)[], synthetic: readonly (number | null)[], bins = 10): [(number | null)[], (number | null)[]] {
  const values = present(real)
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    if (v < min) min = v
    if (v > max) max = v
  }
  const width = (max - min) / bins
  const bin = (v: number | null) => {
    if (v === null || Number.isNaN(v)) return null
    if (width === 0 || !Number.isFinite(width)) return 0
    return Math.max(0, Math.min(bins - 1, Math.floor((v - min) / width)))
  }
  return [real.map(bin), synthetic.map(bin)]
}

/** Area under the ROC curve (Mann–Whitney U, ties counted half). */
export function rocAuc(labels: readonly boolean[], scores: ArrayLike<number>): number {
  const order = Array.from(labels.keys()).sort((a, b) => scores[a] - scores[b])
  let positives = 0
  let rankSum = 0
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++
    const averageRank = (start + end + 1) / 2
    for (let k = start; k < end; k++) {
      if (labels[order[k]]) {
        positives++
        rankSum += averageRank
      }
    }
    start = end
  }
  const negatives = labels.length - positives
  if (positives === 0 || negatives === 0) return 0.5
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}
