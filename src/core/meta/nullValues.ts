/**
 * "Treat as null": a column's `nullValues` (missing-value markers such as "?" or 99999) read as null. What
 * reads no data lives here, for the extension host; the readers are in nullValuesSample.ts.
 */
import { isNumericType, parseSparkType } from '../io/sparkType.ts'
import type { Cell, Table } from '../io/table.ts'
import type { ColumnMeta, MetadataDocument } from './document.ts'
import type { ColumnKind } from './kinds.ts'
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

/** `values` with the markers read as null (strings and numbers compare as they are). */
export function markersAsNull(values: readonly Cell[], markers: readonly NullValue[]): readonly Cell[] {
  const nulls = new Set<Cell>(markers)
  return values.map((value) => (nulls.has(value) ? null : value))
}

/** The table with each column's `nullValues` (as the document lists them) read as null. */
export function applyNullValues(table: Table, columns: readonly ColumnMeta[]): Table {
  const markers = new Map(columns.flatMap((c) => (c.nullValues ? [[c.name, c.nullValues] as const] : [])))
  if (markers.size === 0) return table
  return {
    ...table,
    values: table.values.map((values, c) => {
      const nulls = markers.get(table.columns[c].name)
      return nulls ? markersAsNull(values, nulls) : values
    }),
  }
}

/** What restating a column needs (the worker does it): where the document's sample is, and how to read the column. */
export interface RestateJob {
  readonly input: string
  readonly rows: number
  readonly seed: number
  /** Delta tables: the version the document describes. */
  readonly version?: number
  readonly column: string
  readonly kind: ColumnKind
  /** The markers to read as null; null: none. */
  readonly nullValues: readonly NullValue[] | null
  readonly rareValueRows: number
}

export type ColumnFigures = Pick<ColumnMeta, 'nullFraction' | 'precisionNote' | 'stats'>

/** The job restating column `index` of the document, whose source is `input` (resolved), with `nullValues` as null. */
export function restateJob(document: MetadataDocument, index: number, nullValues: readonly NullValue[] | null, input: string): RestateJob {
  const { source } = document
  const column = document.columns[index]
  return {
    input,
    rows: source.sampleSize,
    seed: source.seed,
    ...(source.version === undefined ? {} : { version: source.version }),
    column: column.name,
    kind: column.kind,
    nullValues,
    rareValueRows: rareValueRowsOf(document),
  }
}

/**
 * The document with column `index` reading `nullValues` as null (null: none) and restated with `figures`. The
 * user's choices stay (hints too, so that a marker can be kept as a value again); markers make the column
 * nullable, since the synthetic column will hold nulls.
 */
export function withRestatedColumn(
  document: MetadataDocument,
  index: number,
  nullValues: readonly NullValue[] | null,
  figures: ColumnFigures,
): MetadataDocument {
  const column = document.columns[index]
  const restated: ColumnMeta = {
    ...column,
    nullable: column.nullable || nullValues !== null,
    nullValues: nullValues ?? undefined,
    precisionNote: figures.precisionNote,
    nullFraction: figures.nullFraction,
    stats: figures.stats,
  }
  return { ...document, columns: document.columns.map((c, i) => (i === index ? restated : c)) }
}
