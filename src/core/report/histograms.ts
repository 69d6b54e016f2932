import type { Cell } from '../io/table.ts'
import { asCategory, asNumber } from './cells.ts'
import type { CategoryHistogram, NumericHistogram } from './types.ts'

const NUMERIC_BINS = 20
const TOP_CATEGORIES = 12

const nullShare = (cells: readonly Cell[], present: number) => (cells.length ? 1 - present / cells.length : 0)
const shares = (counts: readonly number[], total: number) => counts.map((c) => (total ? c / total : 0))

/** Shared equal-width bins over the real range, so both tables are drawn on the same axis. */
export function numericHistogram(real: readonly Cell[], synthetic: readonly Cell[], temporal: boolean): NumericHistogram {
  const realValues = real.map(asNumber).filter((v): v is number => v !== null)
  const syntheticValues = synthetic.map(asNumber).filter((v): v is number => v !== null)
  let min = Infinity
  let max = -Infinity
  for (const v of realValues) {
    if (v < min) min = v
    if (v > max) max = v
  }
  if (realValues.length === 0) min = max = 0
  const bins = min === max ? 1 : NUMERIC_BINS
  const width = (max - min) / bins || 1
  const count = (values: readonly number[]) => {
    const counts = new Array<number>(bins).fill(0)
    for (const v of values) counts[Math.max(0, Math.min(bins - 1, Math.floor((v - min) / width)))]++
    return shares(counts, values.length)
  }
  return {
    type: 'numeric',
    temporal,
    edges: Array.from({ length: bins + 1 }, (_, i) => (i === bins ? Math.max(max, min + width) : min + i * width)),
    real: count(realValues),
    synthetic: count(syntheticValues),
    realNullShare: nullShare(real, realValues.length),
    syntheticNullShare: nullShare(synthetic, syntheticValues.length),
  }
}

/** The most frequent real categories (ties by name), the rest of either table summed as "other". */
export function categoryHistogram(real: readonly Cell[], synthetic: readonly Cell[]): CategoryHistogram {
  const tally = (cells: readonly Cell[]) => {
    const counts = new Map<string, number>()
    let present = 0
    for (const cell of cells) {
      const key = asCategory(cell)
      if (key === null) continue
      present++
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    return { counts, present }
  }
  const r = tally(real)
  const s = tally(synthetic)
  const categories = [...r.counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TOP_CATEGORIES)
    .map(([key]) => key)
  const pick = (t: typeof r) =>
    shares(
      categories.map((c) => t.counts.get(c) ?? 0),
      t.present,
    )
  const realShares = pick(r)
  const syntheticShares = pick(s)
  const rest = (values: readonly number[], present: number) => (present ? Math.max(0, 1 - values.reduce((a, b) => a + b, 0)) : 0)
  return {
    type: 'categorical',
    categories,
    real: realShares,
    synthetic: syntheticShares,
    realOther: rest(realShares, r.present),
    syntheticOther: rest(syntheticShares, s.present),
    realNullShare: nullShare(real, r.present),
    syntheticNullShare: nullShare(synthetic, s.present),
  }
}
