import { isIntegerType, isNumericType, parseSparkType, sparkTypeDdl, unhandledType } from '../io/sparkType.ts'
import type { Cell, SourceColumn } from '../io/table.ts'
import { metadataSchema } from '../schemas/metadataSchema.ts'
import { dominantPattern } from './stats.ts'

/** The kinds a column may have, as schemas/synth-meta.schema.json declares them. */
export const COLUMN_KINDS = metadataSchema.definitions.kind.enum
export type ColumnKind = (typeof COLUMN_KINDS)[number]

export interface KindDecision {
  readonly kind: ColumnKind
  /** Set when the column cannot be synthesised as it is and is excluded by default. */
  readonly excludeReason?: string
}

/** Names that say "this is a key": `id`, `user_id`, `customerId`, `order-key`, `uuid`. */
const ID_NAME = /(^|[_\s.-])(id|key|uuid|guid)$|[a-z]Id$|^(id|uuid|guid)$/i

/** Strings with at most this many distinct values are categories whatever the sample size. */
const CATEGORY_LIMIT = 100
/** Above this share of distinct values a string column is not a category but keys or prose. */
const CATEGORY_MAX_DISTINCT_SHARE = 0.2
const UNIQUE_SHARE = 0.95
/** Free text repeats little: at least this share of its values are distinct. */
const TEXT_DISTINCT_SHARE = 0.8

function distinctCount(values: readonly Cell[]): number {
  return new Set(values.map((v) => (v instanceof Date ? v.getTime() : v))).size
}

/** Mean number of whitespace-separated words, to tell prose from codes. */
function meanWords(values: readonly string[]): number {
  return values.reduce((sum, v) => sum + v.split(/\s+/).filter(Boolean).length, 0) / values.length
}

/** False for a numeric column whose values are all NaN or ±Infinity: nothing a mixture or a document can hold. */
export function hasFiniteNumber(column: SourceColumn, present: readonly Cell[]): boolean {
  return !isNumericType(column.sparkType) || present.some((v) => typeof v === 'number' && Number.isFinite(v))
}

/**
 * The kind a column is synthesised as, decided from its Spark type and the sampled values
 * (`present` holds the non-null ones).
 */
export function detectKind(column: SourceColumn, present: readonly Cell[]): KindDecision {
  const { sparkType: type, name } = column
  if (column.nested) {
    return { kind: 'text', excludeReason: `nested type ${sparkTypeDdl(type)} is read and shown but not synthesised` }
  }
  if (present.length === 0) {
    return { kind: 'constant', excludeReason: 'every sampled value is null: there is nothing to learn (generated as null)' }
  }
  if (type.id === 'binary') return { kind: 'text', excludeReason: 'binary values are not synthesised' }
  if (!hasFiniteNumber(column, present)) {
    return {
      kind: 'constant',
      excludeReason: 'no sampled value is a finite number (only NaN or ±Infinity): there is nothing to learn (generated as null)',
    }
  }
  const distinct = distinctCount(present)
  if (distinct === 1) return { kind: 'constant' }
  const unique = distinct >= UNIQUE_SHARE * present.length
  switch (type.id) {
    case 'boolean':
      return { kind: 'boolean' }
    case 'date':
      return { kind: 'date' }
    case 'timestamp':
      return { kind: 'timestamp' }
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'float':
    case 'double':
    case 'decimal':
      if (isIntegerType(type)) return { kind: unique && ID_NAME.test(name) ? 'identifier' : 'integer' }
      return { kind: 'continuous' }
    // Nested columns are marked `nested` and excluded above; any other is read as its text.
    case 'string':
    case 'array':
    case 'map':
    case 'struct':
      return stringKind(present as readonly string[], distinct, unique, name)
    default:
      return unhandledType(type)
  }
}

/** The kind of a string column: keys, categories or prose. */
function stringKind(strings: readonly string[], distinct: number, unique: boolean, name: string): KindDecision {
  const pattern = dominantPattern(strings)
  if (pattern === 'uuid' || pattern === 'email') return { kind: 'identifier' }
  if (distinct <= CATEGORY_LIMIT || distinct <= CATEGORY_MAX_DISTINCT_SHARE * strings.length) {
    return { kind: unique && ID_NAME.test(name) ? 'identifier' : 'categorical' }
  }
  // Prose is mostly unique; many values that repeat (names, cities, "Jun 12 1998") are a category with
  // many values, and keys are unique.
  if (meanWords(strings) >= 3 && distinct >= TEXT_DISTINCT_SHARE * strings.length) return { kind: 'text' }
  return { kind: unique ? 'identifier' : 'categorical' }
}

// Kind groups: which kinds the model learns, and whether as numbers or as categories. Every
// consumer (encoding, quality scores, report) reads them here, so a new kind is placed once.

/** Values on a number line (dates and timestamps as epoch milliseconds): learned as mixtures, compared as distributions. */
export const NUMERIC_KINDS: ReadonlySet<ColumnKind> = new Set<ColumnKind>(['continuous', 'integer', 'date', 'timestamp'])
/** Values that are categories: learned as one slot each, compared as frequencies. */
export const DISCRETE_KINDS: ReadonlySet<ColumnKind> = new Set<ColumnKind>(['categorical', 'boolean'])
/** Numeric kinds whose numbers are instants. */
export const TEMPORAL_KINDS: ReadonlySet<ColumnKind> = new Set<ColumnKind>(['date', 'timestamp'])
/**
 * Kinds the model learns and the quality scores compare: the numeric and discrete ones.
 * Identifiers, text and constants are generated without the model.
 */
export const LEARNED_KINDS: ReadonlySet<ColumnKind> = new Set<ColumnKind>([...NUMERIC_KINDS, ...DISCRETE_KINDS])

/**
 * The kinds a column of each Spark type can be synthesised as: the generated value must still be one of
 * the type's (a date drawn for an int column, or text for a double one, could not be written), and a kind
 * must mean something for it (boolean is for booleans: a two-valued column of another type is categorical).
 */
const KINDS_BY_TYPE = {
  boolean: ['boolean', 'constant'],
  integral: ['continuous', 'integer', 'categorical', 'identifier', 'constant'],
  fractional: ['continuous', 'integer', 'categorical', 'constant'],
  date: ['date', 'constant'],
  timestamp: ['timestamp', 'constant'],
  string: ['categorical', 'identifier', 'text', 'constant'],
  // Binary and nested values are shown but not synthesised: excluded as text, or all null.
  opaque: ['text', 'constant'],
} as const satisfies Record<string, readonly ColumnKind[]>

/** The kinds that fit a column of Spark type `sparkType` (DDL), in COLUMN_KINDS order: the editor offers these, the loader refuses others. */
export function kindsFitting(sparkType: string): readonly ColumnKind[] {
  const type = parseSparkType(sparkType)
  if (isIntegerType(type)) return KINDS_BY_TYPE.integral
  if (isNumericType(type)) return KINDS_BY_TYPE.fractional
  switch (type.id) {
    case 'boolean':
    case 'date':
    case 'timestamp':
    case 'string':
      return KINDS_BY_TYPE[type.id]
    default:
      return KINDS_BY_TYPE.opaque
  }
}

/** Whether a column holds strings: only those can take a placeholder, a mask or a fake. */
export function holdsStrings(column: { readonly sparkType: string }): boolean {
  return parseSparkType(column.sparkType).id === 'string'
}

/** The sensitive handlings that rewrite values, and so need a string column. */
export const REWRITING_HANDLING: ReadonlySet<string> = new Set(['mask', 'fake'])
