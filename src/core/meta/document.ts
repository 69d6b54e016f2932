import type { FromSchema } from 'json-schema-to-ts'
import type { DatasetSummary } from '../io/dataset.ts'
import { isIntegerType, isNumericType, sparkTypeDdl } from '../io/sparkType.ts'
import type { Cell, SourceColumn, Table } from '../io/table.ts'
import type { DeepReadonly } from '../jsonSchema.ts'
import { detectRules } from '../rules/detect.ts'
import { metadataSchema } from '../schemas/metadataSchema.ts'
import { detectKind, hasFiniteNumber, type ColumnKind } from './kinds.ts'
import { dataHints } from './hints.ts'
import { precisionNote } from './precision.ts'
import { DEFAULT_RARE_VALUE_ROWS } from './protection.ts'
import { categoryStats, numericStats, round, temporalStats, textStats } from './stats.ts'
import { suggestTarget } from './target.ts'

/**
 * A metadata document (`<name>.synth-meta.json`) as schemas/synth-meta.schema.json declares it: the
 * schema is the one declaration (its descriptions say what each field means), checked by ajv on read.
 */
export type MetadataDocument = DeepReadonly<FromSchema<typeof metadataSchema>>
export type ColumnMeta = MetadataDocument['columns'][number]
export type ColumnStats = ColumnMeta['stats']
export type SourceMeta = MetadataDocument['source']

export const METADATA_VERSION = metadataSchema.properties.version.const
export const SENSITIVE_HANDLING = metadataSchema.definitions.column.properties.sensitive.enum
export type SensitiveHandling = (typeof SENSITIVE_HANDLING)[number]

/** The stats group that fits a kind, computed from the non-null values, protected with k = `protect`. */
function statsFor(column: SourceColumn, kind: ColumnKind, present: readonly Cell[], protect: number): ColumnStats {
  if (present.length === 0 || column.nested || column.sparkType.id === 'binary' || !hasFiniteNumber(column, present)) return {}
  switch (kind) {
    case 'continuous':
    case 'integer':
      return { numeric: numericStats(present as number[], isIntegerType(column.sparkType), protect) }
    case 'date':
    case 'timestamp':
      return { temporal: temporalStats(present as Date[], kind === 'date', protect) }
    case 'identifier':
    case 'text':
      return isNumericType(column.sparkType)
        ? { numeric: numericStats(present as number[], true, protect) }
        : { text: textStats(present.map(String)) }
    case 'categorical':
    case 'boolean':
    case 'constant':
      return { categories: categoryStats(present.map(categoryValue), protect) }
  }
}

/** A discrete value as JSON can hold it: instants as ISO text. */
function categoryValue(cell: Cell): string | number | boolean {
  if (cell instanceof Date) return cell.toISOString()
  if (typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') return cell
  return JSON.stringify(cell)
}

/** What the sample says of a column synthesised as `kind`: its null share, any precision note, and the statistics. */
export function columnFigures(
  column: SourceColumn,
  kind: ColumnKind,
  values: readonly Cell[],
  rareValueRows: number,
): Pick<ColumnMeta, 'nullFraction' | 'precisionNote' | 'stats'> {
  const present = values.filter((v) => v !== null)
  const note = precisionNote(column.sparkType, present)
  return {
    nullFraction: values.length ? round((values.length - present.length) / values.length) : 0,
    ...(note === undefined ? {} : { precisionNote: note }),
    stats: statsFor(column, kind, present, rareValueRows),
  }
}

/** Describes one column from its sampled values; its statistics show no value protection with k = `rareValueRows` hides. */
export function describeColumn(column: SourceColumn, values: readonly Cell[], rareValueRows = DEFAULT_RARE_VALUE_ROWS): ColumnMeta {
  const present = values.filter((v) => v !== null)
  const decision = detectKind(column, present)
  const hints = dataHints(column, present, rareValueRows)
  const { nullFraction, precisionNote, stats } = columnFigures(column, decision.kind, values, rareValueRows)
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
    protect: true,
    nullFraction,
    ...(precisionNote === undefined ? {} : { precisionNote }),
    ...(hints.length ? { hints } : {}),
    stats,
  }
}

/**
 * The metadata document of a sampled table (like `synthesized.MetaExtractor.extract`), every column
 * protected, with the utility target set when one column reads clearly as a label and the rules every
 * sampled row keeps proposed.
 */
export function extractMetadata(summary: DatasetSummary, table: Table, rareValueRows = DEFAULT_RARE_VALUE_ROWS): MetadataDocument {
  const columns = table.columns.map((column, c) => describeColumn(column, table.values[c], rareValueRows))
  const target = suggestTarget(columns)
  const rules = detectRules(table, columns)
  return {
    version: METADATA_VERSION,
    source: { ...summary },
    privacy: { rareValueRows },
    ...(target === undefined ? {} : { target }),
    ...(rules.length ? { rules } : {}),
    columns,
  }
}
