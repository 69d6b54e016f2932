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

/**
 * Pearson correlation over the rows where both values are finite (±Infinity has no correlation: one
 * would make the score NaN); 0 for a constant column.
 */
export function pearson(x: readonly (number | null)[], y: readonly (number | null)[]): number {
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < x.length; i++) {
    const u = x[i]
    const v = y[i]
    if (u === null || v === null || !Number.isFinite(u) || !Number.isFinite(v)) continue
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

/** A cell of a contingency table: a missing value is a category of its own, as in SDMetrics. */
const cellKey = (value: Discrete | null) =>
  value === null || (typeof value === 'number' && Number.isNaN(value)) ? 'null' : `${typeof value}:${String(value)}`

/** The joint frequency table of a column pair, over all rows. */
function jointCounts([a, b]: readonly [readonly (Discrete | null)[], readonly (Discrete | null)[]]): Map<string, number> {
  const counts = new Map<string, number>()
  for (let i = 0; i < a.length; i++) {
    const key = `${cellKey(a[i])}\u0000${cellKey(b[i])}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

/**
 * ContingencySimilarity: 1 − the total variation distance between the two joint frequency tables
 * of a column pair, missing values counted as a category (SDMetrics 0.32 groups with dropna=False).
 */
export function contingencySimilarity(
  real: readonly [readonly (Discrete | null)[], readonly (Discrete | null)[]],
  synthetic: readonly [readonly (Discrete | null)[], readonly (Discrete | null)[]],
): number {
  const p = jointCounts(real)
  const q = jointCounts(synthetic)
  let distance = 0
  for (const key of new Set([...p.keys(), ...q.keys()]))
    distance += Math.abs((p.get(key) ?? 0) / real[0].length - (q.get(key) ?? 0) / synthetic[0].length)
  return 1 - distance / 2
}

/**
 * Cramér's V of a column pair's joint table (without continuity correction, as scipy's
 * `association(method="cramer")`); NaN when either column has a single value.
 */
export function cramersV(pair: readonly [readonly (Discrete | null)[], readonly (Discrete | null)[]]): number {
  const rows = new Map<string, number>()
  const columns = new Map<string, number>()
  const joint = jointCounts(pair)
  for (const [key, n] of joint) {
    const [a, b] = key.split('\u0000')
    rows.set(a, (rows.get(a) ?? 0) + n)
    columns.set(b, (columns.get(b) ?? 0) + n)
  }
  const total = pair[0].length
  if (total === 0 || rows.size < 2 || columns.size < 2) return Number.NaN
  let chi2 = 0
  for (const [a, ra] of rows) {
    for (const [b, cb] of columns) {
      const expected = (ra * cb) / total
      chi2 += ((joint.get(`${a}\u0000${b}`) ?? 0) - expected) ** 2 / expected
    }
  }
  return Math.sqrt(chi2 / (total * (Math.min(rows.size, columns.size) - 1)))
}

/**
 * SDMetrics' discretisation of a numeric column for contingency tables (`np.histogram_bin_edges`,
 * then `np.digitize`): 10 equal-width bins over the column's own range, the maximum in an eleventh
 * bin, values below in bin 0 and missing values in the last bin with the maximum, as numpy puts NaN.
 * SDMetrics discretises the real and the synthetic column each over its own range.
 */
export function discretize(values: readonly (number | null)[], bins = 10): number[] {
  let min = Infinity
  let max = -Infinity
  for (const v of present(values)) {
    if (v < min) min = v
    if (v > max) max = v
  }
  if (min === Infinity) return values.map(() => bins + 1)
  const [first, last] = min === max ? [min - 0.5, max + 0.5] : [min, max]
  const step = (last - first) / bins
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? last : i * step + first))
  return values.map((v) => {
    if (v === null || Number.isNaN(v)) return bins + 1
    let count = 0
    while (count < edges.length && edges[count] <= v) count++
    return count
  })
}

/** Area under the ROC curve (Mann–Whitney U, ties counted half). */
export function rocAuc(labels: readonly boolean[], scores: ArrayLike<number>): number {
  const order = Array.from(labels.keys()).sort((a, b) => scores[a] - scores[b])
  let positives = 0
  let rankSum = 0
  for (let start = 0; start < order.length;) {
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
