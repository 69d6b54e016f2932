import type { DatasetSummary } from '../io/dataset.ts'
import { takeRows, type Table } from '../io/table.ts'
import { Random, sampleIndices } from '../random.ts'
import type { TrainingRecord } from './modelFolder.ts'
import { formatCount } from '../formatCount.ts'

/** The real rows a model was kept from, as its manifest records them (schemas/model.schema.json). */
export type HoldoutRecord = NonNullable<TrainingRecord['holdout']>
export type ShareHoldout = Extract<HoldoutRecord, { readonly kind: 'share' }>

/**
 * The holdout of a run on `source`'s sample: the rows the sample left out when the source has more
 * (as many as the sample, or all there are), so that training keeps its whole sample; else `share` of
 * the sample (at least one row, at most half). Drawn with a seed apart from the sample's.
 */
export function chooseHoldout(source: Pick<DatasetSummary, 'rowCount' | 'sampleSize' | 'seed'>, share: number): HoldoutRecord {
  const seed = source.seed + 1
  if (source.rowCount > source.sampleSize)
    return { kind: 'unsampled', seed, rows: Math.min(source.sampleSize, source.rowCount - source.sampleSize) }
  const rows = share > 0 && source.sampleSize > 1 ? Math.max(1, Math.round(source.sampleSize * share)) : 0
  return rows === 0 ? { kind: 'none' } : { kind: 'share', share, seed, rows }
}

/** The sample cut as `holdout` says: the rows trained on and those kept out, each in sample order. */
export function splitHoldout(sample: Table, holdout: ShareHoldout): { train: Table; holdout: Table } {
  const held = sampleIndices(sample.rowCount, holdout.rows, new Random(holdout.seed))
  const kept = new Uint8Array(sample.rowCount).fill(1)
  for (const row of held) kept[row] = 0
  const train = Array.from({ length: sample.rowCount }, (_, row) => row).filter((row) => kept[row])
  return { train: takeRows(sample, train), holdout: takeRows(sample, held) }
}

/** What a run kept out of training, in a sentence for the log. */
export function describeHoldout(holdout: HoldoutRecord, trainedRows: number): string {
  switch (holdout.kind) {
    case 'unsampled':
      return `holdout: ${formatCount(holdout.rows)} rows of the source outside the sample, drawn by the report; all ${formatCount(trainedRows)} sampled rows trained on`
    case 'share':
      return `holdout: ${formatCount(holdout.rows)} of the ${formatCount(trainedRows + holdout.rows)} sampled rows (share ${holdout.share}, seed ${holdout.seed}) kept out of training`
    case 'none':
      return 'no holdout (share 0): every sampled row was trained on, so the report cannot test memorisation'
  }
}
