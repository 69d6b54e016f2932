/**
 * Parquet values to cells, as Spark reads them. Decimals, dates and timestamps are converted here
 * from what the file stores, not by the engine, whose conversions lose what Spark keeps: decimals
 * pass through inexact double arithmetic, timestamps are cut to milliseconds, and INT96 values
 * before 4713 BC decode wrong.
 */
import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet'
import { SparkSynthError, type ErrorLocation } from '../errors.ts'
import { MICROS_PER_DAY, MILLIS_PER_DAY, civilYear, floorDiv, julianToGregorianDays, julianToGregorianMicros } from './calendar.ts'
import { MicrosecondTimestamp, type Cell } from './table.ts'

/** A JavaScript Date holds ±8.64e15 ms around 1970 (±100,000,000 days): -271821-04-20 to +275760-09-13. */
const DATE_LIMIT_DAYS = 100_000_000
const DATE_LIMIT_MILLIS = BigInt(DATE_LIMIT_DAYS * MILLIS_PER_DAY)

/** Julian day number of 1970-01-01, the day count INT96 timestamps store. */
const JULIAN_DAY_OF_EPOCH = 2_440_588n

/**
 * Time zones in which Spark's legacy timestamp rebasing is the plain calendar shift (their rebase
 * tables equal UTC's); in other zones it also depends on the zone's history before 1900.
 */
const UTC_ZONES = new Set([
  'UTC',
  'Etc/UTC',
  'GMT',
  'Etc/GMT',
  'Z',
  '+00:00',
  'UCT',
  'Etc/UCT',
  'Universal',
  'Etc/Universal',
  'Zulu',
  'Etc/Zulu',
  'GMT0',
  'Etc/GMT0',
  'Etc/GMT+0',
  'Etc/GMT-0',
  'Greenwich',
  'Etc/Greenwich',
])

/** 1900-01-01T00:00:00Z: from here on, legacy rebasing changes no timestamp in any time zone. */
const LAST_REBASE_SWITCH_MICROS = -2_208_988_800_000_000n

const LEGACY_REBASE_HINT =
  'Rewrite the table with Spark 3 in CORRECTED mode (spark.sql.parquet.datetimeRebaseModeInWrite=CORRECTED, and int96RebaseModeInWrite for INT96), or write it with the session time zone UTC'

/**
 * Whether a file's dates and timestamps were written in the hybrid Julian/Gregorian calendar and
 * must be rebased, as Spark's `DataSourceUtils.datetimeRebaseSpec` and `int96RebaseSpec` decide from
 * the footer: files by Spark before 3.0 (INT96: 3.1), or written in LEGACY mode. Files that no Spark
 * wrote are read as stored (proleptic Gregorian), where Spark asks for `datetimeRebaseModeInRead`.
 */
export interface CalendarRebase {
  /** Dates and INT64 timestamps adjusted to UTC. */
  readonly datetime: boolean
  readonly int96: boolean
  /** The session time zone the legacy timestamps were written in, when the file records it. */
  readonly timeZone?: string
}

export function calendarRebase(metadata: FileMetaData): CalendarRebase {
  const footer = new Map((metadata.key_value_metadata ?? []).map(({ key, value }) => [key, value ?? '']))
  const version = footer.get('org.apache.spark.version')
  // Spark compares version strings as strings; so do we.
  const legacy = (minVersion: string, key: string) => version !== undefined && (version < minVersion || footer.has(key))
  return {
    datetime: legacy('3.0.0', 'org.apache.spark.legacyDateTime'),
    int96: legacy('3.1.0', 'org.apache.spark.legacyINT96'),
    timeZone: footer.get('org.apache.spark.timeZone'),
  }
}

export type Converter = (stored: unknown) => Cell

/** The annotation of a column this module converts itself, if it does. */
function ownConversion(element: SchemaElement): 'decimal' | 'date' | 'timestamp' | 'int96' | undefined {
  const logical = element.logical_type?.type
  if (logical === 'DECIMAL' || element.converted_type === 'DECIMAL') return 'decimal'
  if (logical === 'DATE' || element.converted_type === 'DATE') return 'date'
  if (logical === 'TIMESTAMP' || element.converted_type === 'TIMESTAMP_MILLIS' || element.converted_type === 'TIMESTAMP_MICROS')
    return 'timestamp'
  if (element.type === 'INT96') return 'int96'
  return undefined
}

/** Top-level primitive columns: the ones read into cells (nested ones are only shown). */
function flatColumns(schema: SchemaTree): SchemaElement[] {
  return schema.children
    .filter((child) => !child.children.length && child.element.repetition_type !== 'REPEATED')
    .map((child) => child.element)
}

/**
 * The metadata to read a file with: the columns converted here lose their annotations, so the
 * engine hands over the stored values, and INT96 columns are read as their 12 raw bytes.
 */
export function storedValuesMetadata(metadata: FileMetaData, schema: SchemaTree): FileMetaData {
  const own = new Map(
    flatColumns(schema)
      .filter((element) => ownConversion(element))
      .map((element) => [element.name, element]),
  )
  const int96 = new Set([...own.values()].filter((element) => element.type === 'INT96').map((element) => element.name))
  const stored = (element: SchemaElement): SchemaElement => {
    const plain = { ...element }
    delete plain.converted_type
    delete plain.logical_type
    return element.type === 'INT96' ? { ...plain, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 12 } : plain
  }
  return {
    ...metadata,
    schema: metadata.schema.map((element) => (own.get(element.name) === element ? stored(element) : element)),
    row_groups: metadata.row_groups.map((group) => ({
      ...group,
      columns: group.columns.map((chunk) =>
        chunk.meta_data?.path_in_schema.length === 1 && int96.has(chunk.meta_data.path_in_schema[0])
          ? { ...chunk, meta_data: { ...chunk.meta_data, type: 'FIXED_LEN_BYTE_ARRAY' } }
          : chunk,
      ),
    })),
  }
}

/** A two's-complement big-endian integer, as decimals are stored in (fixed-length) byte arrays. */
function bigEndianInteger(bytes: Uint8Array): bigint {
  let value = 0n
  for (const byte of bytes) value = (value << 8n) | BigInt(byte)
  return bytes.length && bytes[0] & 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value
}

/** Microseconds of an INT96 timestamp: nanoseconds of the day (int64), then the Julian day (int32), little-endian. */
function int96Micros(bytes: Uint8Array): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 12)
  const nanosOfDay = view.getBigInt64(0, true)
  const julianDay = BigInt(view.getInt32(8, true))
  // As Spark's `fromJulianDay`: the nanoseconds divide toward zero.
  return (julianDay - JULIAN_DAY_OF_EPOCH) * MICROS_PER_DAY + nanosOfDay / 1000n
}

/**
 * How each top-level column's values become cells, by column name. Dates and timestamps a Date
 * cannot hold (before year −271821 or after 275760, which Spark can store) are refused naming the
 * file and column.
 */
export function cellConverters(schema: SchemaTree, rebase: CalendarRebase, file: string): Map<string, Converter> {
  const flat = new Set(flatColumns(schema))
  return new Map(
    schema.children.map(({ element }) => [
      element.name,
      flat.has(element) ? cellConverter(element, rebase, { file, column: element.name }) : engineCell,
    ]),
  )
}

/** A value the engine converted: 64-bit integers become the nearest double. */
function engineCell(value: unknown): Cell {
  return value === undefined ? null : typeof value === 'bigint' ? Number(value) : (value as Cell)
}

function cellConverter(element: SchemaElement, rebase: CalendarRebase, where: Required<ErrorLocation>): Converter {
  const beyondDates = (year: number, what: string): never => {
    throw new SparkSynthError(
      `${what} in year ${year} lies outside -271821-04-20 to +275760-09-13, the range Spark Synth can hold (a JavaScript Date's)`,
      'Filter such rows out or clamp the column with Spark before sampling the table',
      where,
    )
  }
  const rebasedMicros = (stored: bigint, legacy: boolean): bigint => {
    if (!legacy || stored >= LAST_REBASE_SWITCH_MICROS) return stored
    if (!UTC_ZONES.has(rebase.timeZone ?? '')) {
      const zone = rebase.timeZone ? `the time zone ${rebase.timeZone}` : 'a time zone it does not record'
      throw new SparkSynthError(
        `the file holds timestamps before 1900 in Spark's legacy calendar, written in ${zone}, which Spark Synth cannot rebase (it rebases those written in UTC)`,
        LEGACY_REBASE_HINT,
        where,
      )
    }
    return julianToGregorianMicros(stored)
  }
  const timestamp = (stored: bigint, legacy: boolean): Cell => {
    const micros = rebasedMicros(stored, legacy)
    const millis = floorDiv(micros, 1000n)
    if (millis < -DATE_LIMIT_MILLIS || millis > DATE_LIMIT_MILLIS)
      beyondDates(civilYear(Number(floorDiv(micros, MICROS_PER_DAY))), 'a timestamp')
    return new MicrosecondTimestamp(micros)
  }
  const present =
    (convert: Converter): Converter =>
    (stored) =>
      stored === null || stored === undefined ? null : convert(stored)

  switch (ownConversion(element)) {
    case 'decimal': {
      const scale = element.logical_type?.type === 'DECIMAL' ? element.logical_type.scale : (element.scale ?? 0)
      // The decimal text parses to the double nearest the exact value.
      return present((stored) =>
        Number(`${stored instanceof Uint8Array ? bigEndianInteger(stored) : BigInt(stored as number | bigint)}e-${scale}`),
      )
    }
    case 'date':
      return present((stored) => {
        const days = rebase.datetime ? julianToGregorianDays(stored as number) : (stored as number)
        if (Math.abs(days) > DATE_LIMIT_DAYS) beyondDates(civilYear(days), 'a date')
        return new Date(days * MILLIS_PER_DAY)
      })
    case 'int96':
      return present((stored) => timestamp(int96Micros(stored as Uint8Array), rebase.int96))
    case 'timestamp': {
      const logical = element.logical_type?.type === 'TIMESTAMP' ? element.logical_type : undefined
      const unit = logical?.unit ?? (element.converted_type === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS')
      // Spark never rebases timestamp_ntz.
      const legacy = rebase.datetime && (logical?.isAdjustedToUTC ?? true)
      const toMicros = (value: bigint) => (unit === 'MILLIS' ? value * 1000n : unit === 'NANOS' ? floorDiv(value, 1000n) : value)
      return present((stored) => timestamp(toMicros(stored as bigint), legacy))
    }
    default:
      return engineCell
  }
}
