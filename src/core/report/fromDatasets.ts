import { SparkSynthError } from '../errors.ts'
import { columnValues } from '../io/columnLookup.ts'
import { cellText } from '../io/cellText.ts'
import { sampleDataset } from '../io/dataset.ts'
import type { Table } from '../io/table.ts'
import type { ColumnMeta, MetadataDocument } from '../meta/document.ts'
import { LEARNED_KINDS } from '../meta/kinds.ts'
import { outputColumns } from '../model/synthesizer.ts'
import type { LoadedTensorFlow } from '../model/tensorflow.ts'
import { buildQualityReport } from './build.ts'
import type { QualityReport } from './types.ts'

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
}

/**
 * The columns a report compares: those in the synthetic output whose values the model learned and
 * keeps (identifiers and text are generated fresh, masked and faked values differ by design).
 */
export function comparedColumns(document: MetadataDocument): ColumnMeta[] {
  return outputColumns(document).filter((c) => c.sensitive === 'keep' && LEARNED_KINDS.has(c.kind))
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

/**
 * Compares synthetic rows with the real ones the synthesizer learned from, read again from the
 * source with the metadata's budget and seed. When the source holds more rows than that sample,
 * as many other rows are drawn as a holdout, which privacy and utility are judged against.
 */
export async function reportFromDatasets(request: DatasetReportRequest): Promise<QualityReport> {
  const { source } = request.document
  const columns = comparedColumns(request.document)
  if (columns.length === 0) {
    throw new SparkSynthError(
      'no column holds values learned from the data (identifiers, text and constants are generated, masked and faked values replaced), so there is nothing to compare',
      'Include a learned column to get a quality report',
      { file: request.real },
    )
  }
  const names = columns.map((c) => c.name)
  // A Delta source is compared at the version the model learned from, not at whatever is latest now.
  const version = source.version
  const real = await sampleDataset(request.real, { rows: source.sampleSize, seed: source.seed, columns: names, version })
  const holdout =
    real.summary.rowCount > real.summary.sampleSize
      ? (
          await sampleDataset(request.real, {
            rows: source.sampleSize,
            seed: source.seed + 1,
            columns: names,
            excluding: { rows: source.sampleSize, seed: source.seed },
            version,
          })
        ).table
      : undefined
  const synthetic = await sampleDataset(request.synthetic, { rows: source.sampleSize, seed: source.seed, columns: names })
  const target =
    request.target === undefined ? undefined : { column: request.target, positive: positiveClass(real.table, request.target, request.real) }
  return buildQualityReport({
    real: real.table,
    synthetic: synthetic.table,
    holdout,
    columns,
    target,
    tf: request.tensorflow?.tf,
    backend: request.tensorflow?.backend,
  })
}
