/** Hive-style partition folders (`key=value/`) as Spark writes and reads them. */
import { MILLIS_PER_DAY, daysFromCivil } from './calendar.ts'

export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__'

export type PartitionType = 'int' | 'bigint' | `decimal(${number},0)` | 'double' | 'date' | 'timestamp' | 'string'

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
export function partitionValueText(value: unknown, sparkType: string): string {
  if (value === null || value === undefined || value === '') return HIVE_DEFAULT_PARTITION
  if (value instanceof Date) {
    const iso = value.toISOString()
    return sparkType === 'date'
      ? iso.slice(0, 10)
      : iso.slice(0, 19).replace('T', ' ') + (value.getUTCMilliseconds() ? iso.slice(19, 23) : '')
  }
  if (typeof value === 'number' && (sparkType === 'double' || sparkType === 'float') && Number.isInteger(value)) return value.toFixed(1)
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

/** A number as Java's `Double.parseDouble` reads it, or undefined where Java throws. */
function javaDouble(text: string): number | undefined {
  // Java trims every character up to the space.
  const trimmed = text.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '')
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

/** The fields of a date or timestamp Spark's cast accepts (not `2021-02-30` or `24:00:00`). */
function dateTimeFields(text: string): number[] | undefined {
  const match = DATE_TIME.exec(text)
  if (!match) return undefined
  const [year, month, day, hour, minute, second, tenths] = match.slice(1).map((field) => Number(field ?? 0))
  const daysInMonth = daysFromCivil(month === 12 ? year + 1 : year, (month % 12) + 1, 1) - daysFromCivil(year, month, 1)
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60
  return valid ? [year, month, day, hour, minute, second, tenths] : undefined
}

/** The type Spark's `inferPartitionColumnValue` gives one value: int, long, whole decimal, double, timestamp, date, string. */
function valueType(value: string): PartitionType {
  if (INTEGER.test(value)) {
    const integer = BigInt(value)
    if (integer >= -(2n ** 31n) && integer < 2n ** 31n) return 'int'
    if (integer >= -(2n ** 63n) && integer < 2n ** 63n) return 'bigint'
  }
  const digits = wholeDecimalDigits(value)
  if (digits !== undefined && digits.length <= 38) return `decimal(${digits.length},0)`
  if (javaDouble(value) !== undefined) return 'double'
  if (dateTimeFields(value)) return value.includes(' ') ? 'timestamp' : 'date'
  return 'string'
}

/** Digits of the integral types as decimals, for widening them together. */
function integralDigits(type: PartitionType): number | undefined {
  if (type === 'int') return 10
  if (type === 'bigint') return 20
  const decimal = /^decimal\((\d+),0\)$/.exec(type)
  return decimal ? Number(decimal[1]) : undefined
}

/**
 * Spark's `findWiderTypeForPartitionColumn`: integral types widen to bigint or a whole decimal,
 * int to double, date to timestamp; double with bigint or decimal, and any other pair, to string
 * (Spark refuses to lose precision there).
 */
function widerType(a: PartitionType, b: PartitionType): PartitionType {
  if (a === b) return a
  const [digitsA, digitsB] = [integralDigits(a), integralDigits(b)]
  if (digitsA !== undefined && digitsB !== undefined) {
    return a.startsWith('decimal') || b.startsWith('decimal') ? `decimal(${Math.max(digitsA, digitsB)},0)` : 'bigint'
  }
  if ((a === 'double' && b === 'int') || (a === 'int' && b === 'double')) return 'double'
  if ((a === 'date' && b === 'timestamp') || (a === 'timestamp' && b === 'date')) return 'timestamp'
  return 'string'
}

/** The type Spark infers for a partition key from all its values; nulls fit every type, and all nulls are a string. */
export function inferPartitionType(values: readonly (string | null)[]): PartitionType {
  const present = values.filter((v): v is string => v !== null)
  return present.length ? present.map(valueType).reduce(widerType) : 'string'
}

/**
 * A partition value converted to the type inferred for its key: numbers as the nearest double,
 * timestamps in UTC (as a session in UTC reads them).
 */
export function convertPartitionValue(value: string | null, type: PartitionType): number | string | Date | null {
  if (value === null) return null
  if (type === 'double') return javaDouble(value)!
  if (integralDigits(type) !== undefined) return Number(value)
  if (type === 'date' || type === 'timestamp') {
    const [year, month, day, hour, minute, second, tenths] = dateTimeFields(value)!
    return new Date(daysFromCivil(year, month, day) * MILLIS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + tenths * 100)
  }
  return value
}
