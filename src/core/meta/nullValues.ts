/**
 * "Treat as null": a column's `nullValues` (missing-value markers such as "?" or 99999) read as null. Every
 * sample read with a document goes through `sampleWithDocument`, so training, the report's real rows and the
 * restated statistics all see the same nulls.
 */
import { sampleDataset, type DatasetSample, type SampleOptions } from '../io/dataset.ts'
import { isNumericType, parseSparkType } from '../io/sparkType.ts'
import type { Cell, Table } from '../io/table.ts'
import { SparkSynthError } from '../errors.ts'
import { columnFigures, type ColumnMeta, type MetadataDocument } from './document.ts'
import { rareValueRowsOf } from './protection.ts'

export type NullValue = NonNullable<ColumnMeta['nullValues']>[number]

/** Why `values` cannot mark nulls in `column`: a marker must be of the type the column holds. */
export function nullValuesProblem(column: Pick<ColumnMeta, 'sparkType'>, values: readonly NullValue[]): string | undefined {
  const type = parseSparkType(column.sparkType)
  const expected = type.id === 'string' ? 'string' : isNumericType(type) ? 'number' : undefined
  if (expected === undefined) return `"nullValues" applies to string and numeric columns, and the column holds ${column.sparkType} values`
  const wrong = values.find((value) => typeof value !== expected)
  if (wrong === undefined) return undefined
  return `"nullValues" holds ${JSON.stringify(wrong)}, a ${typeof wrong}, and the column holds ${column.sparkType} values: list ${expected === 'string' ? 'strings' : 'numbers'} as they appear in the data`
}

/** The table with each column's `nullValues` (as the document lists them) read as null. */
export function applyNullValues(table: Table, columns: readonly ColumnMeta[]): Table {
  const markers = new Map(columns.flatMap((c) => (c.nullValues ? [[c.name, new Set<Cell>(c.nullValues)] as const] : [])))
  if (markers.size === 0) return table
  return {
    ...table,
    values: table.values.map((values, c) => {
      const nulls = markers.get(table.columns[c].name)
      return nulls ? values.map((value) => (nulls.has(value) ? null : value)) : values
    }),
  }
}

/** A sample of `input` as the document (if any) reads it: `sampleDataset`, then its `nullValues` as null. */
export async function sampleWithDocument(
  input: string,
  document: Pick<MetadataDocument, 'columns'> | undefined,
  options: SampleOptions,
): Promise<DatasetSample> {
  const sample = await sampleDataset(input, options)
  return document ? { ...sample, table: applyNullValues(sample.table, document.columns) } : sample
}

/**
 * The document with column `index` reading `nullValues` as null (null: none), its null share and statistics
 * restated from the document's sample of `input` (read again with its budget, seed and version). The user's
 * choices stay; markers make the column nullable, since the synthetic column will hold nulls.
 */
export async function withNullValues(
  document: MetadataDocument,
  index: number,
  nullValues: readonly NullValue[] | null,
  input: string,
): Promise<MetadataDocument> {
  const column = document.columns[index]
  const problem = nullValues && nullValuesProblem(column, nullValues)
  if (problem) throw new SparkSynthError(problem, 'List values of the column’s own type', { column: column.name })
  const { source } = document
  const edited: ColumnMeta = { ...column, nullable: column.nullable || nullValues !== null, nullValues: nullValues ?? undefined }
  const { table } = await sampleWithDocument(
    input,
    { ...document, columns: [edited] },
    {
      rows: source.sampleSize,
      seed: source.seed,
      version: source.version,
      columns: [column.name],
    },
  )
  const restated: ColumnMeta = {
    ...edited,
    precisionNote: undefined,
    ...columnFigures(table.columns[0], column.kind, table.values[0], rareValueRowsOf(document)),
  }
  return { ...document, columns: document.columns.map((c, i) => (i === index ? restated : c)) }
}
