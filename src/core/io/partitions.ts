/** Hive-style partition folders (`key=value/`) as Spark writes and reads them. */
import { MILLIS_PER_DAY, daysFromCivil } from './calendar.ts'
import { sameSparkType, sparkTypeDdl, unhandledType, type SparkType } from './sparkType.ts'
import type { Cell } from './table.ts'

export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__'

/** The types Spark infers for partition values (its decimals are whole: scale 0). */
export type PartitionType = Extract<SparkType, { readonly id: 'int' | 'bigint' | 'decimal' | 'double' | 'date' | 'timestamp' | 'string' }>

/** One `key=value` folder segment, value already unescaped (`null` for the default partition). */
export interface PartitionSegment {
  readonly key: string
  readonly value: string | null
}

/** Parses a folder name like `date=2023-04-13`; anything else is not a partition folder. */
export function parsePartitionSegment(folder: string): PartitionSegment | undefined {
  const eq = folder.indexOf('=')
  if (eq <= 0) return undefined
  const key = unescapePathName(folder.slice(0, eq))
  const raw = unescapePathName(folder.slice(eq + 1))
  return { key, value: raw === HIVE_DEFAULT_PARTITION ? null : raw }
}

/** Spark's `ExternalCatalogUtils.unescapePathName`: `%XX` hex escapes decoded, anything else kept. */
export function unescapePathName(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

/** The characters Spark's `ExternalCatalogUtils.escapePathName` writes as `%XX` (on every platform). */
function needsEscaping(code: number): boolean {
  return code < 0x20 || code === 0x7f || '"#%\'*/:=?\\{[]^'.includes(String.fromCharCode(code))
}

/** Spark's `escapePathName`: a partition key or value as it appears in a folder name. */
export function escapePathName(text: string): string {
  let escaped = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    escaped += needsEscaping(code) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : text[i]
  }
  return escaped
}

/**
 * A partition value as Spark writes it in a folder name (before escaping): dates as `yyyy-MM-dd`,
 * timestamps as `yyyy-MM-dd HH:mm:ss[.SSS]` (UTC), doubles with a fraction, null and the empty
 * string as the default partition.
 */
export function partitionValueText(value: Cell, type: SparkType): string {
  if (value === null || value === '') return HIVE_DEFAULT_PARTITION
  if (value instanceof Date) {
    const iso = value.toISOString()
    return type.id === 'date'
      ? iso.slice(0, 10)
      : iso.slice(0, 19).replace('T', ' ') + (value.getUTCMilliseconds() ? iso.slice(19, 23) : '')
  }
  if (typeof value === 'number' && (type.id === 'double' || type.id === 'float') && Number.isInteger(value)) return value.toFixed(1)
  if (typeof value === 'object' && !(value instanceof Uint8Array)) throw new Error('A nested value cannot name a partition folder')
  return String(value)
}

/** Java's `Integer.parseInt` / `Long.parseLong` input. */
const INTEGER = /^[+-]?\d+$/
/** Java's `BigDecimal` input: digits with an optional fraction and exponent. */
const BIG_DECIMAL = /^[+-]?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/
/** Java's `Double.parseDouble` input (after trimming), bar hexadecimal (`0x1p3`). */
const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/
/**
 * Spark's partition date and timestamp patterns, `yyyy-MM-dd` and `yyyy-MM-dd HH:mm:ss[.S]`, in one:
 * one fraction digit at most, so Spark itself reads a timestamp partition with milliseconds back as a string.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.(\d))?)?$/

/** Java's `String.trim`: every character up to the space (U+0020) off both ends. */
function javaTrim(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && text.charCodeAt(start) <= 0x20) start++
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--
  return text.slice(start, end)
}

/** A number as Java's `Double.parseDouble` reads it, or undefined where Java throws. */
function javaDouble(text: string): number | undefined {
  const trimmed = javaTrim(text)
  return JAVA_DOUBLE.test(trimmed) ? Number(trimmed.replace(/[fFdD]$/, '')) : undefined
}

/** Digits of a `BigDecimal` with no fraction, e.g. `1.5E10` (15000000000), if it has none. */
function wholeDecimalDigits(text: string): string | undefined {
  const match = BIG_DECIMAL.exec(text)
  if (!match) return undefined
  const [, whole = '', fraction = '', onlyFraction = '', exponent = '0'] = match
  const digits = whole + (fraction || onlyFraction)
  const zeros = Number(exponent) - (fraction || onlyFraction).length
  if (zeros < 0) return undefined
  return (digits + '0'.repeat(zeros)).replace(/^0+(?=\d)/, '')
}

/** Year, month, day, hour, minute, second, tenths of a second. */
type DateTimeFields = readonly [number, number, number, number, number, number, number]

/** The fields of a date or timestamp Spark's cast accepts (not `2021-02-30` or `24:00:00`). */
function dateTimeFields(text: string): DateTimeFields | undefined {
  const match = DATE_TIME.exec(text)
  if (!match) return undefined
  // The time's groups are absent (undefined) in a date.
  const [year, month, day, hour, minute, second, tenths] = match.slice(1).map((field) => Number((field as string | undefined) ?? 0))
  const daysInMonth = daysFromCivil(month === 12 ? year + 1 : year, (month % 12) + 1, 1) - daysFromCivil(year, month, 1)
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60
  return valid ? [year, month, day, hour, minute, second, tenths] : undefined
}

const INT: PartitionType = { id: 'int' }
const BIGINT: PartitionType = { id: 'bigint' }
const DOUBLE: PartitionType = { id: 'double' }
const DATE: PartitionType = { id: 'date' }
const TIMESTAMP: PartitionType = { id: 'timestamp', utc: true }
const STRING: PartitionType = { id: 'string' }

/** The type Spark's `inferPartitionColumnValue` gives one value: int, long, whole decimal, double, timestamp, date, string. */
function valueType(value: string): PartitionType {
  if (INTEGER.test(value)) {
    const integer = BigInt(value)
    if (integer >= -(2n ** 31n) && integer < 2n ** 31n) return INT
    if (integer >= -(2n ** 63n) && integer < 2n ** 63n) return BIGINT
  }
  const digits = wholeDecimalDigits(value)
  if (digits !== undefined && digits.length <= 38) return { id: 'decimal', precision: digits.length, scale: 0 }
  if (javaDouble(value) !== undefined) return DOUBLE
  if (dateTimeFields(value)) return value.includes(' ') ? TIMESTAMP : DATE
  return STRING
}

/** Digits of the integral types as decimals, for widening them together. */
function integralDigits(type: PartitionType): number | undefined {
  switch (type.id) {
    case 'int':
      return 10
    case 'bigint':
      return 20
    case 'decimal':
      return type.precision
    default:
      return undefined
  }
}

/** Whether `a` and `b` are the types `x` and `y`, in either order. */
function isPair(a: PartitionType, b: PartitionType, x: PartitionType['id'], y: PartitionType['id']): boolean {
  return (a.id === x && b.id === y) || (a.id === y && b.id === x)
}

/**
 * Spark's `findWiderTypeForPartitionColumn`: integral types widen to bigint or a whole decimal,
 * int to double, date to timestamp; double with bigint or decimal, and any other pair, to string
 * (Spark refuses to lose precision there).
 */
function widerType(a: PartitionType, b: PartitionType): PartitionType {
  if (sameSparkType(a, b)) return a
  const [digitsA, digitsB] = [integralDigits(a), integralDigits(b)]
  if (digitsA !== undefined && digitsB !== undefined) {
    return a.id === 'decimal' || b.id === 'decimal' ? { id: 'decimal', precision: Math.max(digitsA, digitsB), scale: 0 } : BIGINT
  }
  if (isPair(a, b, 'double', 'int')) return DOUBLE
  if (isPair(a, b, 'date', 'timestamp')) return TIMESTAMP
  return STRING
}

/** The type Spark infers for a partition key from all its values; nulls fit every type, and all nulls are a string. */
export function inferPartitionType(values: readonly (string | null)[]): PartitionType {
  const present = values.filter((v): v is string => v !== null)
  return present.length ? present.map(valueType).reduce(widerType) : STRING
}

/**
 * A partition value converted to the type inferred for its key: numbers as the nearest double,
 * timestamps in UTC (as a session in UTC reads them).
 */
export function convertPartitionValue(value: string | null, type: PartitionType): number | string | Date | null {
  if (value === null) return null
  switch (type.id) {
    case 'int':
    case 'bigint':
    case 'decimal':
      return Number(value)
    case 'double':
      return javaDouble(value) ?? notOfType(value, type)
    case 'date':
    case 'timestamp': {
      const [year, month, day, hour, minute, second, tenths] = dateTimeFields(value) ?? notOfType(value, type)
      return new Date(daysFromCivil(year, month, day) * MILLIS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + tenths * 100)
    }
    case 'string':
      return value
    default:
      return unhandledType(type)
  }
}

/** A value the inference did not give `type` (the caller passed another key's type). */
function notOfType(value: string, type: PartitionType): never {
  throw new Error(`The partition value ${JSON.stringify(value)} is not a ${sparkTypeDdl(type)}`)
}
