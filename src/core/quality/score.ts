import { columnValues } from '../io/columnLookup.ts'
import type { Cell, Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { LEARNED_KINDS, NUMERIC_KINDS } from '../meta/kinds.ts'
import {
  contingencySimilarity,
  cramersV,
  correlationSimilarity,
  discretize,
  ksComplement,
  pearson,
  tvComplement,
  type Discrete,
} from './metrics.ts'

export interface ColumnShapeScore {
  readonly column: string
  readonly metric: 'KSComplement' | 'TVComplement'
  readonly score: number
}

export interface PairTrendScore {
  readonly columns: readonly [string, string]
  readonly metric: 'CorrelationSimilarity' | 'ContingencySimilarity'
  readonly score: number
  /** The real pair is related enough to count in Column Pair Trends (SDMetrics' thresholds). */
  readonly counted: boolean
}

/**
 * SDMetrics' QualityReport (0.32) averages Column Pair Trends over the pairs related in the real data:
 * numeric pairs whose |Pearson r| exceeds 0.5, other pairs whose Cramér's V exceeds 0.3.
 */
export const REAL_CORRELATION_THRESHOLD = 0.5
export const REAL_ASSOCIATION_THRESHOLD = 0.3

export interface QualityScores {
  /** Mean of the column shape scores (SDMetrics "Column Shapes"). */
  readonly columnShapes: number
  /** Mean of the counted column pair scores (SDMetrics "Column Pair Trends"); of all pairs when none counts. */
  readonly columnPairTrends: number
  readonly columns: readonly ColumnShapeScore[]
  readonly pairs: readonly PairTrendScore[]
}

interface Scored {
  readonly name: string
  readonly numeric: boolean
  readonly real: readonly (number | Discrete | null)[]
  readonly synthetic: readonly (number | Discrete | null)[]
}

function asNumber(cell: Cell): number | null {
  if (cell instanceof Date) return cell.getTime()
  return typeof cell === 'number' ? cell : null
}

function asDiscrete(cell: Cell): Discrete | null {
  if (cell instanceof Date) return cell.toISOString()
  return typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean' ? cell : null
}

const mean = (values: readonly number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : 1)

/**
 * SDMetrics' Column Shapes and Column Pair Trends of a synthetic table against the real one,
 * over the columns that are synthesised from learned distributions (identifiers, free text and
 * constants are generated, not learned, and are left out as SDMetrics leaves out keys and PII).
 */
export function scoreQuality(real: Table, synthetic: Table, columns: readonly ColumnMeta[]): QualityScores {
  const scored: Scored[] = columns
    .filter((c) => !c.exclude && LEARNED_KINDS.has(c.kind))
    .map((c) => {
      const numeric = NUMERIC_KINDS.has(c.kind)
      const convert = numeric ? asNumber : asDiscrete
      return {
        name: c.name,
        numeric,
        real: columnValues(real, c.name).map(convert),
        synthetic: columnValues(synthetic, c.name).map(convert),
      }
    })

  const shapes: ColumnShapeScore[] = scored.map((c) =>
    c.numeric
      ? { column: c.name, metric: 'KSComplement', score: ksComplement(c.real as (number | null)[], c.synthetic as (number | null)[]) }
      : { column: c.name, metric: 'TVComplement', score: tvComplement(c.real, c.synthetic) },
  )

  const binned = new Map(
    scored
      .filter((c) => c.numeric)
      .map((c) => [c.name, [discretize(c.real as (number | null)[]), discretize(c.synthetic as (number | null)[])] as const]),
  )
  const pairs: PairTrendScore[] = []
  for (let i = 0; i < scored.length; i++) {
    for (let j = i + 1; j < scored.length; j++) {
      const a = scored[i]
      const b = scored[j]
      const names = [a.name, b.name] as const
      if (a.numeric && b.numeric) {
        const real = [a.real, b.real] as [(number | null)[], (number | null)[]]
        const score = correlationSimilarity(real, [a.synthetic as (number | null)[], b.synthetic as (number | null)[]])
        pairs.push({
          columns: names,
          metric: 'CorrelationSimilarity',
          score,
          counted: Math.abs(pearson(...real)) > REAL_CORRELATION_THRESHOLD,
        })
      } else {
        const [ar, as] = binned.get(a.name) ?? [a.real, a.synthetic]
        const [br, bs] = binned.get(b.name) ?? [b.real, b.synthetic]
        const score = contingencySimilarity([ar, br], [as, bs])
        pairs.push({ columns: names, metric: 'ContingencySimilarity', score, counted: cramersV([ar, br]) > REAL_ASSOCIATION_THRESHOLD })
      }
    }
  }
  return {
    columnShapes: mean(shapes.map((s) => s.score)),
    columnPairTrends: mean((pairs.some((p) => p.counted) ? pairs.filter((p) => p.counted) : pairs).map((p) => p.score)),
    columns: shapes,
    pairs,
  }
}
