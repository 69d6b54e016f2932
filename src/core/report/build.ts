import { columnNamed, columnValues } from '../io/columnLookup.ts'
import type { Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { DISCRETE_KINDS, NUMERIC_KINDS, REWRITING_HANDLING } from '../meta/kinds.ts'
import { protectionOf } from '../meta/protection.ts'
import type { Tf } from '../model/tensorflow.ts'
import type { PrivacyRecord } from '../privacy/dpsgd.ts'
import type { Rule } from '../rules/rule.ts'
import { scoreDiagnostic } from '../quality/diagnostic.ts'
import { membershipAuc } from '../quality/membership.ts'
import { scorePrivacy } from '../quality/privacy.ts'
import { scoreQuality } from '../quality/score.ts'
import { splitTrainHoldout } from '../quality/split.ts'
import { classifierAuc } from '../quality/utility.ts'
import { correlationMatrices } from './correlation.ts'
import { categoryHistogram, numericHistogram } from './histograms.ts'
import { privacyVerdict } from './privacyVerdict.ts'
import { judgeRules } from './rules.ts'
import type { ColumnReport, PrivacyReport, QualityReport, UnscoredColumn, UtilityReport } from './types.ts'
import { formatCount } from '../formatCount.ts'

export const GENERATED_BY = 'Spark Synth'
export const OVERALL_DEFINITION = 'mean of Column Shapes and Column Pair Trends (the SDMetrics Quality Report score)'
const SPLIT_SEED = 0
const TRAIN_SHARE = 0.8

export interface QualityReportInput {
  /** The rows the synthesizer learned from. */
  readonly real: Table
  readonly synthetic: Table
  /** Synthetic rows in the output, of which `synthetic` is a sample (default: as many). */
  readonly generatedRows?: number
  readonly columns: readonly ColumnMeta[]
  /** The columns the user shares, as written (masked and faked ones too), for the privacy figures; default `columns`. */
  readonly shared?: readonly ColumnMeta[]
  /** The source's columns left out of the quality scores and charts, and why. */
  readonly unscored?: readonly UnscoredColumn[]
  /** Real rows the synthesizer never saw, and which they are; without it, `real` is split 80/20 for privacy and utility. */
  readonly holdout?: HeldOutRows
  /** k of the value protection the model was trained with; undefined when none is recorded (models trained before it). */
  readonly rareValueRows?: number
  /** The model's differential privacy, as its manifest records it. */
  readonly differentialPrivacy?: PrivacyRecord
  /** The document's business rules, judged on `synthetic` against `real` (none: no "Rules" section). */
  readonly rules?: readonly Rule[]
  /** A binary target for machine-learning utility; needs `tf`. */
  readonly target?: { readonly column: string; readonly positive: string }
  readonly tf?: Tf
  readonly backend?: string
  /** Fixed in tests; the current time otherwise. */
  readonly now?: Date
}

/** Real rows kept from the synthesizer: rows of the source outside its sample, or a share of the sample kept out of training. */
export interface HeldOutRows {
  readonly kind: Exclude<PrivacyReport['holdout'], 'split'>
  readonly rows: Table
}

/** Which rows the privacy figures compare, and whether they test memorisation. */
function holdoutNote(kind: PrivacyReport['holdout'], train: number, holdout: number): string {
  switch (kind) {
    case 'unsampled':
      return `holdout: ${formatCount(holdout)} rows of the source that the sample left out, against the ${formatCount(train)} sampled rows the synthesizer learned from`
    case 'share':
      return `holdout: ${formatCount(holdout)} of the ${formatCount(train + holdout)} sampled rows, kept out of training (a seeded share), against the other ${formatCount(train)}`
    case 'split':
      return `no holdout known (a model trained with holdout share 0 or before holdouts were kept, or a report made without its model): the ${formatCount(train + holdout)} sampled rows were split ${TRAIN_SHARE * 100}/${100 - TRAIN_SHARE * 100} (seeded shuffle, seed ${SPLIT_SEED}) into ${formatCount(train)} training and ${formatCount(holdout)} holdout rows, and the synthesizer may have seen both parts, so these figures are not a memorisation test`
  }
}

/** The part of a DP record the report states. */
const pickGuarantee = ({ epsilon, delta, scope }: PrivacyRecord) => ({ epsilon, delta, scope })

/** The compared columns value protection does not cover: all of them when no protection is recorded, or when k = 1. */
function unprotectedColumns(columns: readonly ColumnMeta[], rareValueRows: number | undefined): string[] {
  return columns
    .filter((c) => rareValueRows === undefined || rareValueRows === 1 || protectionOf(c, rareValueRows) === undefined)
    .map((c) => c.name)
}

/** The value-protection rule as the report states it, with the compared columns it does not cover. */
export function protectionNote(columns: readonly ColumnMeta[], rareValueRows: number | undefined): string {
  if (rareValueRows === undefined)
    return 'no value protection recorded (a model trained before it was kept): rare values and extremes may be generated verbatim'
  const open = unprotectedColumns(columns, rareValueRows)
  if (open.length === columns.length) return 'value protection is off: rare values and extremes may be generated verbatim'
  const rule = `value protection, k = ${rareValueRows}: a value seen in fewer than ${rareValueRows} sampled rows is never generated (its rows take values seen in at least ${rareValueRows} rows: a number the nearest, anything else one drawn by frequency), and numbers, dates and timestamps are clipped to the ${rareValueRows}th smallest and largest value`
  return open.length === 0 ? rule : `${rule}; off in ${open.join(', ')}`
}

/** The columns written other than drawn: masked and faked ones. */
const rewrittenColumns = (columns: readonly ColumnMeta[]) =>
  new Set(columns.filter((c) => REWRITING_HANDLING.has(c.sensitive)).map((c) => c.name))

/** The columns scored from learned distributions, as `scoreQuality` scores them. */
const scoredColumns = (columns: readonly ColumnMeta[]) =>
  columns.filter((c) => !c.exclude && (NUMERIC_KINDS.has(c.kind) || DISCRETE_KINDS.has(c.kind)))

export async function buildQualityReport(input: QualityReportInput): Promise<QualityReport> {
  const { real, synthetic } = input
  const columns = scoredColumns(input.columns)
  const quality = scoreQuality(real, synthetic, columns)
  const shared = input.shared ?? input.columns

  const columnReports: ColumnReport[] = quality.columns.map((shape) => {
    const meta = columnNamed(columns, shape.column)
    const r = columnValues(real, shape.column)
    const s = columnValues(synthetic, shape.column)
    const histogram = NUMERIC_KINDS.has(meta.kind)
      ? numericHistogram(r, s, meta.kind === 'date' || meta.kind === 'timestamp')
      : categoryHistogram(r, s)
    return { column: shape.column, kind: meta.kind, metric: shape.metric, score: shape.score, histogram }
  })

  const split = input.holdout ? { train: real, holdout: input.holdout.rows } : splitTrainHoldout(real, TRAIN_SHARE, SPLIT_SEED)
  const kind: PrivacyReport['holdout'] = input.holdout?.kind ?? 'split'
  const figures = {
    holdout: kind,
    differentialPrivacy: input.differentialPrivacy ? pickGuarantee(input.differentialPrivacy) : null,
    columns: scoredColumns(shared).map((c) => c.name),
    ...scorePrivacy(split.train, split.holdout, synthetic, shared, { seed: 1 }),
    membershipAuc: membershipAuc(split.train, split.holdout, synthetic, shared, { seed: 1 }),
  }
  const privacy: PrivacyReport = {
    verdict: privacyVerdict(figures, unprotectedColumns(columns, input.rareValueRows)),
    note: holdoutNote(kind, split.train.rowCount, split.holdout.rowCount),
    protection: protectionNote(columns, input.rareValueRows),
    ...figures,
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
    rows: {
      real: real.rowCount,
      synthetic: synthetic.rowCount,
      generated: input.generatedRows ?? synthetic.rowCount,
      holdout: split.holdout.rowCount,
    },
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
    unscored: input.unscored ?? [],
    pairs: [...quality.pairs].sort((a, b) => a.score - b.score),
    correlation: correlationMatrices(real, synthetic, columns),
    privacy,
    utility,
    ...(input.rules?.length ? { rules: judgeRules(input.rules, real, synthetic, rewrittenColumns(shared)) } : {}),
  }
}
