import type { DatasetSummary } from '../io/dataset.ts'
import { isIntegerType, isNumericType, sparkTypeDdl } from '../io/sparkType.ts'
import type { Cell, SourceColumn, Table } from '../io/table.ts'
import { detectKind, type ColumnKind } from './kinds.ts'
import { precisionNote } from './precision.ts'
import {
  categoryStats,
  numericStats,
  round,
  temporalStats,
  textStats,
  type CategoryStats,
  type NumericStats,
  type TemporalStats,
  type TextStats,
} from './stats.ts'

export const METADATA_VERSION = 1

export const SENSITIVE_HANDLING = ['keep', 'mask', 'fake', 'exclude'] as const
export type SensitiveHandling = (typeof SENSITIVE_HANDLING)[number]

/** Statistics fitting the column's kind; exactly one group is present (none for all-null columns). */
export interface ColumnStats {
  readonly numeric?: NumericStats
  readonly temporal?: TemporalStats
  readonly categories?: CategoryStats
  readonly text?: TextStats
}

export interface ColumnMeta {
  readonly name: string
  readonly sparkType: string
  readonly nullable: boolean
  /** Restored from a `key=value` folder. */
  readonly partition: boolean
  /** What extraction found; `kind` starts equal and the user may override it. */
  readonly detectedKind: ColumnKind
  readonly kind: ColumnKind
  readonly exclude: boolean
  readonly excludeReason?: string
  readonly sensitive: SensitiveHandling
  readonly nullFraction: number
  /** Present when the sample holds some values less precisely than Spark (see `precision.ts`). */
  readonly precisionNote?: string
  readonly stats: ColumnStats
}

/** What was read; `path` is relative to the metadata document's folder once written. */
export type SourceMeta = DatasetSummary

export interface MetadataDocument {
  /** Where editors find the JSON Schema; kept when present. */
  readonly $schema?: string
  readonly version: typeof METADATA_VERSION
  readonly source: SourceMeta
  readonly columns: readonly ColumnMeta[]
}

/** The stats group that fits a kind, computed from the non-null values. */
function statsFor(column: SourceColumn, kind: ColumnKind, present: readonly Cell[]): ColumnStats {
  if (present.length === 0 || column.nested || column.sparkType.id === 'binary') return {}
  switch (kind) {
    case 'continuous':
    case 'integer':
      return { numeric: numericStats(present as number[], isIntegerType(column.sparkType)) }
    case 'date':
    case 'timestamp':
      return { temporal: temporalStats(present as Date[], kind === 'date') }
    case 'identifier':
    case 'text':
      return isNumericType(column.sparkType)
        ? { numeric: numericStats(present as number[], true) }
        : { text: textStats(present.map(String)) }
    case 'categorical':
    case 'boolean':
    case 'constant':
      return { categories: categoryStats(present.map(categoryValue)) }
  }
}

/** A discrete value as JSON can hold it: instants as ISO text. */
function categoryValue(cell: Cell): string | number | boolean {
  if (cell instanceof Date) return cell.toISOString()
  if (typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') return cell
  return JSON.stringify(cell)
}

/** Describes one column from its sampled values. */
export function describeColumn(column: SourceColumn, values: readonly Cell[]): ColumnMeta {
  const present = values.filter((v) => v !== null)
  const decision = detectKind(column, present)
  const note = precisionNote(column.sparkType, present)
  return {
    name: column.name,
    sparkType: sparkTypeDdl(column.sparkType),
    nullable: column.nullable,
    partition: column.partition,
    detectedKind: decision.kind,
    kind: decision.kind,
    exclude: decision.excludeReason !== undefined,
    ...(decision.excludeReason === undefined ? {} : { excludeReason: decision.excludeReason }),
    sensitive: 'keep',
    nullFraction: values.length ? round((values.length - present.length) / values.length) : 0,
    ...(note === undefined ? {} : { precisionNote: note }),
    stats: statsFor(column, decision.kind, present),
  }
}

/** The metadata document of a sampled table (like `synthesized.MetaExtractor.extract`). */
export function extractMetadata(summary: DatasetSummary, table: Table): MetadataDocument {
  return {
    version: METADATA_VERSION,
    source: { ...summary },
    columns: table.columns.map((column, c) => describeColumn(column, table.values[c])),
  }
}
