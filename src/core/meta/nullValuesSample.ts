/**
 * The readers of "treat as null": every sample read with a document goes through `sampleWithDocument`, so
 * training and the report's real rows see the same nulls; `restatedFigures` gives a column's statistics as
 * they then read (in the worker, for the editor).
 */
import { sampleDataset, type DatasetSample, type SampleOptions } from '../io/dataset.ts'
import { columnFigures, type MetadataDocument } from './document.ts'
import { applyNullValues, markersAsNull, type ColumnFigures, type RestateJob } from './nullValues.ts'

/** A sample of `input` as the document (if any) reads it: `sampleDataset`, then its `nullValues` as null. */
export async function sampleWithDocument(
  input: string,
  document: Pick<MetadataDocument, 'columns'> | undefined,
  options: SampleOptions,
): Promise<DatasetSample> {
  const sample = await sampleDataset(input, options)
  return document ? { ...sample, table: applyNullValues(sample.table, document.columns) } : sample
}

/** The column's null share and statistics from the document's sample (read again: same budget, seed, version), markers as null. */
export async function restatedFigures(job: RestateJob): Promise<ColumnFigures> {
  const { table } = await sampleDataset(job.input, { rows: job.rows, seed: job.seed, version: job.version, columns: [job.column] })
  return columnFigures(table.columns[0], job.kind, markersAsNull(table.values[0], job.nullValues ?? []), job.rareValueRows)
}
