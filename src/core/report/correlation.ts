import type { Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { discretize, pearson } from '../quality/metrics.ts'
import { asCategory, asNumber, columnOf, NUMERIC_KINDS } from './cells.ts'
import type { CorrelationMatrices } from './types.ts'

export const CORRELATION_METHOD =
  'Pearson r between two numeric columns (−1…1); Cramér\'s V (0…1) for any pair with a categorical column, numbers binned into 10 equal-width bins over the real range as for ContingencySimilarity; rows missing either value dropped'

/** Cramér's V of two discrete columns: √(χ² / (n · (min(rows, columns) − 1))); 0 when either is constant. */
export function cramersV(x: readonly (string | number | null)[], y: readonly (string | number | null)[]): number {
  const joint = new Map<string, number>()
  const xs = new Map<string | number, number>()
  const ys = new Map<string | number, number>()
  let n = 0
  for (let i = 0; i < x.length; i++) {
    const a = x[i]
    const b = y[i]
    if (a === null || b === null) continue
    n++
    xs.set(a, (xs.get(a) ?? 0) + 1)
    ys.set(b, (ys.get(b) ?? 0) + 1)
    const key = JSON.stringify([a, b])
    joint.set(key, (joint.get(key) ?? 0) + 1)
  }
  const k = Math.min(xs.size, ys.size)
  if (n === 0 || k < 2) return 0
  let chi2 = 0
  for (const [a, ca] of xs) {
    for (const [b, cb] of ys) {
      const expected = (ca * cb) / n
      const observed = joint.get(JSON.stringify([a, b])) ?? 0
      chi2 += (observed - expected) ** 2 / expected
    }
  }
  return Math.sqrt(chi2 / (n * (k - 1)))
}

/** Real and synthetic association matrices over the scored columns, for side-by-side heat maps. */
export function correlationMatrices(real: Table, synthetic: Table, columns: readonly ColumnMeta[]): CorrelationMatrices {
  const prepared = columns.map((c) => {
    const numeric = NUMERIC_KINDS.has(c.kind)
    if (!numeric) {
      const convert = (t: Table) => columnOf(t, c.name).map(asCategory)
      return { numeric, real: convert(real), synthetic: convert(synthetic), binned: [convert(real), convert(synthetic)] }
    }
    const r = columnOf(real, c.name).map(asNumber)
    const s = columnOf(synthetic, c.name).map(asNumber)
    return { numeric, real: r, synthetic: s, binned: discretize(r, s) }
  })
  const matrix = (side: 0 | 1) =>
    prepared.map((a, i) =>
      prepared.map((b, j) => {
        if (i === j) return 1
        if (a.numeric && b.numeric) {
          const pick = (c: typeof a) => (side === 0 ? c.real : c.synthetic) as (number | null)[]
          return pearson(pick(a), pick(b))
        }
        return cramersV(a.binned[side], b.binned[side])
      }),
    )
  return { method: CORRELATION_METHOD, columns: columns.map((c) => c.name), real: matrix(0), synthetic: matrix(1) }
}
