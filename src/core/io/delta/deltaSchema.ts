/** A Delta table's schema (the Spark JSON schema in `metaData.schemaString`) as Spark Synth's columns. */
import { SparkSynthError } from '../../errors.ts'
import { sparkTypeOfJsonName } from '../sparkJsonType.ts'
import { sparkTypeDdl, unhandledType, type SparkType, type StructField } from '../sparkType.ts'
import { MicrosecondTimestamp, type Cell, type SourceColumn } from '../table.ts'

/** Spark's JSON data types, as Delta's log stores them. */
export type DeltaType =
  | string
  | { readonly type: 'struct'; readonly fields: readonly DeltaField[] }
  | { readonly type: 'array'; readonly elementType: DeltaType; readonly containsNull: boolean }
  | { readonly type: 'map'; readonly keyType: DeltaType; readonly valueType: DeltaType; readonly valueContainsNull: boolean }

export interface DeltaField {
  readonly name: string
  readonly type: DeltaType
  /** Spark always writes it; a log without it is read as nullable. */
  readonly nullable?: boolean
  readonly metadata?: Readonly<Record<string, unknown>>
}

const PHYSICAL_NAME = 'delta.columnMapping.physicalName'

/** The Spark type of a Delta type, or undefined for a type Spark Synth cannot read (variant, intervals…). */
function sparkTypeOfDelta(type: DeltaType): SparkType | undefined {
  if (typeof type === 'string') return sparkTypeOfJsonName(type)
  switch (type.type) {
    case 'struct': {
      const fields: StructField[] = []
      for (const field of type.fields) {
        const fieldType = sparkTypeOfDelta(field.type)
        if (!fieldType) return undefined
        fields.push({ name: field.name, type: fieldType })
      }
      return { id: 'struct', fields }
    }
    case 'array': {
      const element = sparkTypeOfDelta(type.elementType)
      return element && { id: 'array', element }
    }
    case 'map': {
      const key = sparkTypeOfDelta(type.keyType)
      const value = sparkTypeOfDelta(type.valueType)
      return key && value && { id: 'map', key, value }
    }
  }
}

/** A Delta top-level column: Spark Synth's column plus the name its data files use for it. */
export interface DeltaColumn {
  readonly column: SourceColumn
  /** The name in the Parquet files: the logical name, or the physical one under column mapping. */
  readonly physicalName: string
}

/** Parses `schemaString` into columns in schema order; partition columns are marked, not moved. */
export function deltaColumns(
  schemaString: string,
  partitionColumns: readonly string[],
  columnMapping: boolean,
  where: { readonly file: string },
): DeltaColumn[] {
  let schema: { type?: unknown; fields?: DeltaField[] }
  try {
    schema = JSON.parse(schemaString) as typeof schema
  } catch (cause) {
    throw new SparkSynthError(
      'the table schema in the log is not valid JSON',
      'The Delta log is damaged: restore it or rewrite the table with Spark',
      where,
      { cause },
    )
  }
  if (schema.type !== 'struct' || !Array.isArray(schema.fields)) {
    throw new SparkSynthError(
      'the table schema in the log is not a struct',
      'The Delta log is damaged: restore it or rewrite the table with Spark',
      where,
    )
  }
  return schema.fields.map((field) => {
    const sparkType = sparkTypeOfDelta(field.type)
    if (!sparkType) {
      throw new SparkSynthError(
        `the column's type ${JSON.stringify(field.type)} is not supported`,
        'Cast or drop the column with Spark and sample the table again',
        { ...where, column: field.name },
      )
    }
    const physical = columnMapping ? field.metadata?.[PHYSICAL_NAME] : undefined
    return {
      column: {
        name: field.name,
        sparkType,
        nullable: field.nullable !== false,
        nested: typeof field.type !== 'string',
        partition: partitionColumns.includes(field.name),
      },
      physicalName: typeof physical === 'string' ? physical : field.name,
    }
  })
}

/** A numeric partition value as the log writes it, NaN and infinities included. */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(Infinity|NaN)$/
const PARTITION_TIMESTAMP = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z)?$/

/**
 * A partition value as Delta's log serializes it (always a string; null and "" mean null), typed
 * by the column's Spark type. Timestamps without a zone are read in UTC, as the tests' sessions do.
 */
export function deltaPartitionValue(
  text: string | null | undefined,
  type: SparkType,
  where: { readonly file: string; readonly column: string },
): Cell {
  if (text === null || text === undefined || text === '') return null
  const bad = () =>
    new SparkSynthError(
      `the partition value ${JSON.stringify(text)} in the log is not a valid ${sparkTypeDdl(type)}`,
      'The Delta log is damaged: restore it or rewrite the table with Spark',
      where,
    )
  switch (type.id) {
    case 'string':
      return text
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw bad()
      return text === 'true'
    case 'binary':
      return new TextEncoder().encode(text)
    case 'date': {
      const date = new Date(`${text}T00:00:00Z`)
      if (Number.isNaN(date.getTime())) throw bad()
      return date
    }
    case 'timestamp': {
      const match = PARTITION_TIMESTAMP.exec(text)
      if (!match) throw bad()
      const [, year, month, day, hour, minute, second, fraction = ''] = match
      const instant = new Date(0)
      // setUTCFullYear, not Date.UTC: the latter reads years 0–99 as 1900–1999.
      instant.setUTCFullYear(Number(year), Number(month) - 1, Number(day))
      const micros = Number((fraction.slice(1) + '000000').slice(0, 6))
      instant.setUTCHours(Number(hour), Number(minute), Number(second))
      return new MicrosecondTimestamp(BigInt(instant.getTime()) * 1000n + BigInt(micros))
    }
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'float':
    case 'double':
    case 'decimal': {
      const number = Number(text)
      if (!NUMBER.test(text) || Number.isNaN(number) !== text.endsWith('NaN')) throw bad()
      return number
    }
    // Delta does not partition by nested columns.
    case 'array':
    case 'map':
    case 'struct':
      throw bad()
    default:
      return unhandledType(type)
  }
}
