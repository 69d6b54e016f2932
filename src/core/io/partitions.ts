/** Hive-style partition folders (`key=value/`) as Spark writes and reads them. */

export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__'

export type PartitionType = 'int' | 'bigint' | 'double' | 'date' | 'timestamp' | 'string'

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
    return sparkType === 'date' ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ') + (value.getUTCMilliseconds() ? iso.slice(19, 23) : '')
  }
  if (typeof value === 'number' && (sparkType === 'double' || sparkType === 'float') && Number.isInteger(value)) return value.toFixed(1)
  return String(value)
}

const INT_PATTERN = /^-?\d+$/
const DOUBLE_PATTERN = /^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/

/**
 * The narrowest type that every value of a partition key fits, in the order Spark's
 * partition inference tries them; nulls fit every type.
 */
export function inferPartitionType(values: readonly (string | null)[]): PartitionType {
  const present = values.filter((v): v is string => v !== null)
  const all = (test: (v: string) => boolean) => present.length > 0 && present.every(test)
  if (all((v) => INT_PATTERN.test(v) && Math.abs(Number(v)) <= 2147483647)) return 'int'
  if (all((v) => INT_PATTERN.test(v) && Number.isSafeInteger(Number(v)))) return 'bigint'
  if (all((v) => DOUBLE_PATTERN.test(v))) return 'double'
  if (all((v) => DATE_PATTERN.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))) return 'date'
  if (all((v) => TIMESTAMP_PATTERN.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T') + 'Z')))) {
    return 'timestamp'
  }
  return 'string'
}

/** A partition value converted to the type inferred for its key. */
export function convertPartitionValue(value: string | null, type: PartitionType): number | string | Date | null {
  if (value === null) return null
  switch (type) {
    case 'int':
    case 'bigint':
    case 'double':
      return Number(value)
    case 'date':
      return new Date(`${value}T00:00:00Z`)
    case 'timestamp':
      return new Date(value.replace(' ', 'T') + 'Z')
    case 'string':
      return value
  }
}
