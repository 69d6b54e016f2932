/** Spark types as Spark's JSON schema names them (`StructType.json`, Delta's `schemaString`): `integer` where DDL says `int`. */
import { isSimpleType, SIMPLE_TYPE_IDS, sparkTypeDdl, unhandledType, type SimpleTypeId, type SparkType } from './sparkType.ts'

const JSON_NAMES: Readonly<Record<SimpleTypeId, string>> = {
  boolean: 'boolean',
  tinyint: 'byte',
  smallint: 'short',
  int: 'integer',
  bigint: 'long',
  float: 'float',
  double: 'double',
  string: 'string',
  binary: 'binary',
  date: 'date',
}

const SIMPLE_OF_JSON = new Map<string, SparkType>(SIMPLE_TYPE_IDS.map((id) => [JSON_NAMES[id], { id }]))

/** The JSON name of a type that has one (not struct, array or map, which JSON writes as objects), e.g. `integer`. */
export function sparkJsonTypeName(type: SparkType): string {
  if (isSimpleType(type)) return JSON_NAMES[type.id]
  switch (type.id) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`
    case 'timestamp':
      return type.utc ? 'timestamp' : 'timestamp_ntz'
    case 'array':
    case 'map':
    case 'struct':
      throw new Error(`No Spark JSON type name for the Spark type "${sparkTypeDdl(type)}"`)
    default:
      return unhandledType(type)
  }
}

/** The type a JSON name stands for (`integer`, `decimal(9,2)`), or undefined for one Spark Synth does not read (variant, intervals…). */
export function sparkTypeOfJsonName(name: string): SparkType | undefined {
  const decimal = /^decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)$/.exec(name)
  if (decimal) return { id: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) }
  if (name === 'timestamp' || name === 'timestamp_ntz') return { id: 'timestamp', utc: name === 'timestamp' }
  return SIMPLE_OF_JSON.get(name)
}
