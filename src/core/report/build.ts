import type { Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import type { Tf } from '../model/tensorflow.ts'
import { scoreDiagnostic } from '../quality/diagnostic.ts'
import { scorePrivacy } from '../quality/privacy.ts'
import { scoreQuality } from '../quality/score.ts'
import { splitTrainHoldout } from '../quality/split.ts'
import { classifierAuc } from '../quality/utility.ts'
import { columnOf, DISCRETE_KINDS, NUMERIC_KINDS } from './cells.ts'
import { correlationMatrices } from './correlation.ts'
import { categoryHistogram, numericHistogram } from './histograms.ts'
import type { ColumnReport, PrivacyReport, QualityReport, UtilityReport } from './types.ts'

export const GENERATED_BY = 'Spark Synth'
export const OVERALL_DEFINITION = 'mean of Column Shapes and Column Pair Trends (the SDMetrics Quality Report score)'
const SPLIT_SEED = 0
const TRAIN_SHARE = 0.8

export interface QualityReportInput {
  /** The rows the synthesizer learned from. */
  readonly real: Table
  readonly synthetic: Table
  readonly columns: readonly ColumnMeta[]
  /** Real rows the synthesizer never saw; without it, `real` is split 80/20 for privacy and utility. */
  readonly holdout?: Table
  /** A binary target for machine-learning utility; needs `tf`. */
  readonly target?: { readonly column: string; readonly positive: string }
  readonly tf?: Tf
  readonly backend?: string
  /** Fixed in tests; the current time otherwise. */
  readonly now?: Date
}

/** The columns scored from learned distributions, as `scoreQuality` scores them. */
const scoredColumns = (columns: readonly ColumnMeta[]) =>
  columns.filter((c) => !c.exclude && (NUMERIC_KINDS.has(c.kind) || DISCRETE_KINDS.has(c.kind)))

export async function buildQualityReport(input: QualityReportInput): Promise<QualityReport> {
  const { real, synthetic } = input
  const columns = scoredColumns(input.columns)
  const quality = scoreQuality(real, synthetic, columns)

  const columnReports: ColumnReport[] = quality.columns.map((shape) => {
    const meta = columns.find((c) => c.name === shape.column)
    if (!meta) throw new Error(`the scores name column "${shape.column}", which is not scored`)
    const r = columnOf(real, shape.column)
    const s = columnOf(synthetic, shape.column)
    const histogram = NUMERIC_KINDS.has(meta.kind)
      ? numericHistogram(r, s, meta.kind === 'date' || meta.kind === 'timestamp')
      : categoryHistogram(r, s)
    return { column: shape.column, kind: meta.kind, metric: shape.metric, score: shape.score, histogram }
  })

  const split = input.holdout ? { train: real, holdout: input.holdout } : splitTrainHoldout(real, TRAIN_SHARE, SPLIT_SEED)
  const privacyScores = scorePrivacy(split.train, split.holdout, synthetic, columns, { seed: 1 })
  const privacy: PrivacyReport = {
    holdout: input.holdout ? 'given' : 'split',
    note: input.holdout
      ? `distances to ${split.train.rowCount} training rows against ${split.holdout.rowCount} holdout rows`
      : `no holdout given: the real rows were split ${TRAIN_SHARE * 100}/${100 - TRAIN_SHARE * 100} (seeded shuffle, seed ${SPLIT_SEED}) into ${split.train.rowCount} training and ${split.holdout.rowCount} holdout rows; the synthesizer saw both parts, so the closer-to-train share is not a memorisation test here`,
    ...privacyScores,
  }

  let utility: UtilityReport | null = null
  if (input.target && input.tf) {
    const options = { target: input.target.column, positive: input.target.positive }
    const realAuc = await classifierAuc(input.tf, split.train, split.holdout, split.train, columns, options)
    const syntheticAuc = await classifierAuc(input.tf, synthetic, split.holdout, split.train, columns, options)
    utility = { target: options.target, positive: options.positive, realAuc, syntheticAuc, ratio: syntheticAuc / realAuc }
  }

  return {
    generatedBy: GENERATED_BY,
    generatedAt: (input.now ?? new Date()).toISOString(),
    backend: input.backend ?? null,
    rows: { real: real.rowCount, synthetic: synthetic.rowCount, holdout: split.holdout.rowCount },
    scores: {
      overall: (quality.columnShapes + quality.columnPairTrends) / 2,
      overallDefinition: OVERALL_DEFINITION,
      columnShapes: quality.columnShapes,
      columnPairTrends: quality.columnPairTrends,
    },
    diagnostic: scoreDiagnostic(
      real,
      synthetic,
      input.columns.filter((c) => !c.exclude && c.sensitive !== 'exclude'),
    ),
    columns: columnReports.sort((a, b) => a.score - b.score),
    pairs: [...quality.pairs].sort((a, b) => a.score - b.score),
    correlation: correlationMatrices(real, synthetic, columns),
    privacy,
    utility,
  }
}
