/**
 * The first commit of a Delta table over Parquet files already written, as the Delta transaction log
 * protocol (delta-io/delta PROTOCOL.md) describes it: `_delta_log/00000000000000000000.json` holding
 * the commit's provenance, the protocol, the table's metadata (Spark JSON schema, partition columns)
 * and one `add` per data file with its statistics.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { partitionValueText } from './partitions.ts'
import { sparkJsonTypeName } from './sparkJsonType.ts'
import { unhandledType, type SparkType } from './sparkType.ts'
import type { Cell, SourceColumn } from './table.ts'

export const DELTA_LOG = '_delta_log'
export const FIRST_COMMIT = '00000000000000000000.json'

/** Delta's default prefix of a string kept in min/max statistics (`dataSkippingStringPrefixLength`). */
const STRING_PREFIX = 32

/** Types Delta keeps min/max statistics for (its `SkippingEligibleDataType`); others get null counts only. */
function hasBounds(type: SparkType): boolean {
  switch (type.id) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'float':
    case 'double':
    case 'decimal':
    case 'date':
    case 'timestamp':
    case 'string':
      return true
    case 'boolean':
    case 'binary':
    case 'array':
    case 'map':
    case 'struct':
      return false
    default:
      return unhandledType(type)
  }
}

/** The code point at `index`, which the caller knows to be inside the string. */
function codePointAt(text: string, index: number): number {
  const code = text.codePointAt(index)
  if (code === undefined) throw new RangeError(`No character at ${index} of a string of ${text.length}`)
  return code
}

/** Orders strings as Spark does, by UTF-8 bytes: code point order, which UTF-16's `<` is not. */
function compareStrings(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length;) {
    const x = codePointAt(a, i)
    const y = codePointAt(b, i)
    if (x !== y) return x - y
    i += x > 0xffff ? 2 : 1
  }
  return a.length - b.length
}

/** The first `STRING_PREFIX` UTF-16 units of a string, without splitting a surrogate pair. */
function stringPrefix(text: string): string {
  if (text.length <= STRING_PREFIX) return text
  const end = codePointAt(text, STRING_PREFIX - 1) > 0xffff ? STRING_PREFIX + 1 : STRING_PREFIX
  return text.slice(0, end)
}

/**
 * An upper bound of every string up to `max` in a few characters, as Delta writes it: the prefix and a
 * character above the one cut off; undefined when nothing is above it.
 */
function stringUpperBound(max: string): string | undefined {
  const prefix = stringPrefix(max)
  if (prefix === max) return max
  const next = codePointAt(max, prefix.length)
  if (next < 0x7f) return `${prefix}\x7f`
  return next < 0x10ffff ? `${prefix}\u{10ffff}` : undefined
}

/** A min or max value in the JSON form Delta parses: dates as `yyyy-MM-dd`, instants in ISO 8601 to the millisecond. */
function statValue(value: Cell, type: SparkType): unknown {
  if (!(value instanceof Date)) return value
  const iso = value.toISOString()
  if (type.id === 'date') return iso.slice(0, 10)
  return type.id === 'timestamp' && !type.utc ? iso.slice(0, -1) : iso
}

/** One column's statistics within a file. */
interface ColumnStats {
  nullCount: number
  min: Cell
  max: Cell
  /** NaN or ±Infinity seen: no bound JSON can state holds them, so none is written. */
  unbounded: boolean
}

/** The statistics Delta keeps for data skipping, over the data (not partition) columns of one file. */
export class DeltaFileStats {
  private rowCount = 0
  private readonly stats: ColumnStats[]

  constructor(private readonly columns: readonly SourceColumn[]) {
    this.stats = columns.map(() => ({ nullCount: 0, min: null, max: null, unbounded: false }))
  }

  get rows(): number {
    return this.rowCount
  }

  /** Counts a batch of `rows` rows: one array of values per column, in the columns' order. */
  add(values: readonly (readonly Cell[])[], rows: number): void {
    this.rowCount += rows
    values.forEach((column, c) => {
      const stats = this.stats[c]
      const bounded = hasBounds(this.columns[c].sparkType)
      for (const value of column) {
        if (value === null) stats.nullCount++
        else if (!bounded) continue
        else if (typeof value === 'number' && !Number.isFinite(value)) stats.unbounded = true
        else {
          if (stats.min === null || compare(value, stats.min) < 0) stats.min = value
          if (stats.max === null || compare(value, stats.max) > 0) stats.max = value
        }
      }
    })
  }

  /** The `stats` field of an `add` action: a JSON string. */
  json(): string {
    const minValues: Record<string, unknown> = {}
    const maxValues: Record<string, unknown> = {}
    const nullCount: Record<string, number> = {}
    this.columns.forEach(({ name, sparkType }, c) => {
      const { min, max, unbounded } = this.stats[c]
      nullCount[name] = this.stats[c].nullCount
      if (min === null || max === null || unbounded) return
      const upper = typeof max === 'string' ? stringUpperBound(max) : max
      minValues[name] = statValue(typeof min === 'string' ? stringPrefix(min) : min, sparkType)
      if (upper !== undefined) maxValues[name] = statValue(upper, sparkType)
    })
    return JSON.stringify({ numRecords: this.rowCount, minValues, maxValues, nullCount })
  }
}

function compare(a: Cell, b: Cell): number {
  return typeof a === 'string' && typeof b === 'string' ? compareStrings(a, b) : Number(a) - Number(b)
}

/**
 * A partition value as the log stores it: text, or null for null and the empty string (which Spark
 * reads as null). Timestamps in UTC ISO 8601 with microseconds, as Delta writes them, so that no
 * reader's time zone changes them; everything else as in the `key=value` folder names.
 */
export function deltaPartitionValue(value: Cell, type: SparkType): string | null {
  if (value === null || value === '') return null
  if (value instanceof Date && type.id === 'timestamp' && type.utc) return value.toISOString().replace(/Z$/, '000Z')
  return partitionValueText(value, type)
}

/** Characters Java's `URI` keeps in a path (RFC 2396); Delta's writer stores file paths through it. */
const URI_PATH_CHARACTER = /^[A-Za-z0-9\-_.!~*'(),;:$&+=/@]$/

/** A relative file path as an `add` action's URI: `%` of hive escapes and anything else outside RFC 2396 percent-encoded. */
export function deltaFilePath(relative: string): string {
  return Array.from(relative, (char) => (URI_PATH_CHARACTER.test(char) ? char : encodeURIComponent(char))).join('')
}

/** A data file of the table, as the writer recorded it. */
export interface DeltaDataFile {
  /** Below the table's root, as on disk (hive-escaped `key=value` folders), with `/` separators. */
  readonly path: string
  /** Its rows' values of the table's partition columns, in the order of the table's columns. */
  readonly partitionValues: readonly Cell[]
  readonly stats: DeltaFileStats
}

/**
 * Protocol 1/2; `timestamp_ntz` needs readers and writers that know the `timestampNtz` table feature
 * (protocol 3/7), where writer features are listed: those of writer version 2 too (NOT NULL columns
 * are `invariants`), as Delta lists them when it upgrades a table.
 */
function protocolFor(columns: readonly SourceColumn[]): Record<string, unknown> {
  const types = columns.map((c) => c.sparkType)
  if (!types.some((type) => type.id === 'timestamp' && !type.utc)) return { minReaderVersion: 1, minWriterVersion: 2 }
  return {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ['timestampNtz'],
    writerFeatures: ['appendOnly', 'invariants', 'timestampNtz'],
  }
}

/** Writes the table's first commit into `table/_delta_log/`; the data files must be complete. */
export async function writeDeltaLog(table: string, columns: readonly SourceColumn[], files: readonly DeltaDataFile[]): Promise<void> {
  const now = Date.now()
  const partitionColumns = columns.filter((c) => c.partition)
  const schema = {
    type: 'struct',
    fields: columns.map((c) => ({ name: c.name, type: sparkJsonTypeName(c.sparkType), nullable: c.nullable, metadata: {} })),
  }
  const adds = await Promise.all(
    files.map(async (file) => {
      const { size, mtimeMs } = await stat(path.join(table, file.path))
      const partitionValues = Object.fromEntries(
        partitionColumns.map((c, i) => [c.name, deltaPartitionValue(file.partitionValues[i], c.sparkType)]),
      )
      return {
        path: deltaFilePath(file.path),
        partitionValues,
        size,
        modificationTime: Math.floor(mtimeMs),
        dataChange: true,
        stats: file.stats.json(),
      }
    }),
  )
  const partitionBy = partitionColumns.map((c) => c.name)
  const commitInfo = {
    timestamp: now,
    operation: 'WRITE',
    operationParameters: { mode: 'ErrorIfExists', partitionBy: JSON.stringify(partitionBy) },
    isBlindAppend: true,
    operationMetrics: {
      numFiles: String(adds.length),
      numOutputRows: String(files.reduce((sum, file) => sum + file.stats.rows, 0)),
      numOutputBytes: String(adds.reduce((sum, add) => sum + add.size, 0)),
    },
    engineInfo: 'spark-synth',
  }
  const metaData = {
    id: randomUUID(),
    format: { provider: 'parquet', options: {} },
    schemaString: JSON.stringify(schema),
    partitionColumns: partitionBy,
    configuration: {},
    createdTime: now,
  }
  const actions = [{ commitInfo }, { protocol: protocolFor(columns) }, { metaData }, ...adds.map((add) => ({ add }))]
  await mkdir(path.join(table, DELTA_LOG))
  await writeFile(path.join(table, DELTA_LOG, FIRST_COMMIT), actions.map((action) => `${JSON.stringify(action)}\n`).join(''))
}
