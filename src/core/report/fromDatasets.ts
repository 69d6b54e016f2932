import { SparkSynthError } from '../errors.ts'
import { columnValues } from '../io/columnLookup.ts'
import { cellText } from '../io/cellText.ts'
import { sampleDataset, type DatasetSample } from '../io/dataset.ts'
import type { Table } from '../io/table.ts'
import type { ColumnMeta, MetadataDocument } from '../meta/document.ts'
import { sampleWithDocument } from '../meta/nullValuesSample.ts'
import { LEARNED_KINDS } from '../meta/kinds.ts'
import { chooseHoldout, splitHoldout, type HoldoutRecord } from '../model/holdout.ts'
import { rewritesValues } from '../model/sensitiveValues.ts'
import { outputColumns } from '../model/synthesizer.ts'
import type { LoadedTensorFlow } from '../model/tensorflow.ts'
import type { PrivacyRecord } from '../privacy/dpsgd.ts'
import { buildQualityReport, type HeldOutRows } from './build.ts'
import { ruleCheckColumns } from './rules.ts'
import type { QualityReport, UnscoredColumn } from './types.ts'
import { formatCount } from '../formatCount.ts'

export interface DatasetReportRequest {
  /** The source the synthesizer learned from. */
  readonly real: string
  /** A Spark folder of synthetic rows. */
  readonly synthetic: string
  /** Kinds of the columns, and the budget and seed of the sample the synthesizer learned from. */
  readonly document: MetadataDocument
  /** A column to measure machine-learning utility on (train synthetic, test real). */
  readonly target?: string
  readonly tensorflow?: LoadedTensorFlow
  /**
   * The rows the model was kept from, as its manifest records them. Without it (no model at hand, or
   * one trained before holdouts were recorded): rows outside the sample when the source has more.
   */
  readonly holdout?: HoldoutRecord
  /** The model's differential privacy, as its manifest records it (none: trained without it, or no model at hand). */
  readonly differentialPrivacy?: PrivacyRecord
}

/**
 * The columns a report's quality scores compare: those in the synthetic output whose values the model learned
 * and writes as they are (identifiers and text are generated fresh, masked and faked text differs by design).
 */
export function comparedColumns(document: MetadataDocument): ColumnMeta[] {
  return sharedColumns(document).filter((c) => !rewritesValues(c))
}

/**
 * The columns the privacy figures compare: every learned column the user shares, masked and faked ones
 * included, as written. Leaving a sensitive column out would measure a narrower row than the one shared, and
 * marking a column sensitive would then make copies look more frequent (Adult with `fnlwgt` masked: 0 % → 13 %).
 */
export function sharedColumns(document: MetadataDocument): ColumnMeta[] {
  return outputColumns(document).filter((c) => LEARNED_KINDS.has(c.kind))
}

/** The document's columns the quality scores and charts leave out, and why. */
export function unscoredColumns(document: MetadataDocument): UnscoredColumn[] {
  return document.columns.flatMap((c): UnscoredColumn[] => {
    const reason = unscoredReason(c)
    return reason === undefined ? [] : [{ column: c.name, reason }]
  })
}

function unscoredReason(column: ColumnMeta): string | undefined {
  if (column.exclude) return `excluded: ${column.excludeReason ?? 'excluded in the metadata document'}`
  if (column.sensitive === 'exclude') return 'sensitive: exclude, so it is not in the synthetic output'
  if (column.kind === 'identifier' || column.kind === 'text')
    return `${column.kind}: generated fresh in the column's format, never a real value`
  if (column.kind === 'constant') return 'constant: one value (or none) written as it is'
  if (rewritesValues(column))
    return `sensitive: ${column.sensitive}, so the text written is not the real values to compare with; the privacy figures compare it as written`
  return undefined
}

/** The value a binary utility target counts as positive: the rarer of the column's two most common values. */
function positiveClass(table: Table, target: string, file: string): string {
  const values = columnValues(table, target, { problem: 'no such column to predict', choose: 'Pick one of', file })
  const counts = new Map<string, number>()
  for (const value of values) {
    if (value === null) continue
    const text = cellText(value)
    counts.set(text, (counts.get(text) ?? 0) + 1)
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 2)
  if (top.length < 2)
    throw new SparkSynthError(
      'the column holds fewer than two values, so there is nothing to predict',
      'Pick a categorical or boolean column',
      { file, column: target },
    )
  return top[1][0]
}

/** The sample's rows the synthesizer learned from, and the real rows it was kept from, drawn again as the model records them. */
async function learnedAndHeldOut(
  request: DatasetReportRequest,
  sample: DatasetSample,
  columns: readonly string[],
): Promise<{ learned: Table; holdout?: HeldOutRows }> {
  const { source } = request.document
  if (request.holdout && sample.summary.rowCount !== source.rowCount) {
    throw new SparkSynthError(
      `the source holds ${formatCount(sample.summary.rowCount)} rows now, where the model learned from one of ${formatCount(source.rowCount)}, so the rows it trained on and those it was kept from cannot be drawn again`,
      'Train the model again on the source as it is now, then generate',
      { file: request.real },
    )
  }
  const holdout = request.holdout ?? chooseHoldout(sample.summary, 0)
  switch (holdout.kind) {
    case 'unsampled': {
      const { table } = await sampleWithDocument(request.real, request.document, {
        rows: holdout.rows,
        seed: holdout.seed,
        columns,
        excluding: { rows: source.sampleSize, seed: source.seed },
        version: source.version,
      })
      return { learned: sample.table, holdout: { kind: 'unsampled', rows: table } }
    }
    case 'share': {
      const split = splitHoldout(sample.table, holdout)
      return { learned: split.train, holdout: { kind: 'share', rows: split.holdout } }
    }
    case 'none':
      return { learned: sample.table }
  }
}

/**
 * Compares synthetic rows with the real ones the synthesizer learned from, read again from the
 * source with the metadata's budget and seed, and judges privacy and utility against the real rows
 * it was kept from: those outside the sample, or the share of the sample kept out of training.
 */
export async function reportFromDatasets(request: DatasetReportRequest): Promise<QualityReport> {
  const { source } = request.document
  const columns = comparedColumns(request.document)
  if (columns.length === 0) {
    throw new SparkSynthError(
      'no column holds values learned from the data (identifiers, text and constants are generated, masked and faked text replaced), so there is nothing to compare',
      'Include a learned column to get a quality report',
      { file: request.real },
    )
  }
  const shared = sharedColumns(request.document)
  const rules = request.document.rules ?? []
  // Rules may name columns the scores leave out (an identifier kept unique): read those the output holds too.
  const written = new Set(outputColumns(request.document).map((c) => c.name))
  const names = [...new Set([...shared.map((c) => c.name), ...ruleCheckColumns(rules).filter((name) => written.has(name))])]
  // A Delta source is compared at the version the model learned from, not at whatever is latest now.
  const sample = await sampleWithDocument(request.real, request.document, {
    rows: source.sampleSize,
    seed: source.seed,
    columns: names,
    version: source.version,
  })
  const { learned, holdout } = await learnedAndHeldOut(request, sample, names)
  // The synthetic rows are read as written: a marker the model still wrote shows as a difference.
  const synthetic = await sampleDataset(request.synthetic, { rows: source.sampleSize, seed: source.seed, columns: names })
  const target =
    request.target === undefined ? undefined : { column: request.target, positive: positiveClass(learned, request.target, request.real) }
  return buildQualityReport({
    real: learned,
    synthetic: synthetic.table,
    generatedRows: synthetic.summary.rowCount,
    holdout,
    columns,
    rareValueRows: request.document.privacy?.rareValueRows,
    differentialPrivacy: request.differentialPrivacy,
    shared,
    unscored: unscoredColumns(request.document),
    rules,
    target,
    tf: request.tensorflow?.tf,
    backend: request.tensorflow?.backend,
  })
}
