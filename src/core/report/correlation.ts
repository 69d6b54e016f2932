import { columnValues } from '../io/columnLookup.ts'
import type { Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { NUMERIC_KINDS } from '../meta/kinds.ts'
import { cramersV, discretize, pearson } from '../quality/metrics.ts'
import { asCategory, asNumber } from './cells.ts'
import type { CorrelationMatrices } from './types.ts'

export const CORRELATION_METHOD =
  "Pearson r between two numeric columns (−1…1), rows missing either value dropped; Cramér's V (0…1) for any pair with a categorical column, numbers binned into 10 equal-width bins over each table's own range and missing values counted as a category, as for ContingencySimilarity"

/** Real and synthetic association matrices over the scored columns, for side-by-side heat maps. */
export function correlationMatrices(real: Table, synthetic: Table, columns: readonly ColumnMeta[]): CorrelationMatrices {
  const prepared = columns.map((c) => {
    const numeric = NUMERIC_KINDS.has(c.kind)
    if (!numeric) {
      const convert = (t: Table) => columnValues(t, c.name).map(asCategory)
      return { numeric, real: convert(real), synthetic: convert(synthetic), binned: [convert(real), convert(synthetic)] }
    }
    const r = columnValues(real, c.name).map(asNumber)
    const s = columnValues(synthetic, c.name).map(asNumber)
    return { numeric, real: r, synthetic: s, binned: [discretize(r), discretize(s)] }
  })
  const matrix = (side: 0 | 1) =>
    prepared.map((a, i) =>
      prepared.map((b, j) => {
        if (i === j) return 1
        if (a.numeric && b.numeric) {
          const pick = (c: typeof a) => (side === 0 ? c.real : c.synthetic)
          return pearson(pick(a), pick(b))
        }
        return cramersV([a.binned[side], b.binned[side]]) || 0
      }),
    )
  return { method: CORRELATION_METHOD, columns: columns.map((c) => c.name), real: matrix(0), synthetic: matrix(1) }
}
