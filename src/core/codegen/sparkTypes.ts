/** Spark SQL DDL types as PySpark `DataType` constructors, as Spark's JSON schema types and as DDL text. */

/** Per simple DDL type: its PySpark constructor, and its name in Spark's JSON schema (as Delta's log stores it). */
const SIMPLE_TYPES: Record<string, { readonly pyspark: string; readonly json: string }> = {
  boolean: { pyspark: 'BooleanType()', json: 'boolean' },
  tinyint: { pyspark: 'ByteType()', json: 'byte' },
  smallint: { pyspark: 'ShortType()', json: 'short' },
  int: { pyspark: 'IntegerType()', json: 'integer' },
  bigint: { pyspark: 'LongType()', json: 'long' },
  float: { pyspark: 'FloatType()', json: 'float' },
  double: { pyspark: 'DoubleType()', json: 'double' },
  string: { pyspark: 'StringType()', json: 'string' },
  binary: { pyspark: 'BinaryType()', json: 'binary' },
  date: { pyspark: 'DateType()', json: 'date' },
  timestamp: { pyspark: 'TimestampType()', json: 'timestamp' },
  timestamp_ntz: { pyspark: 'TimestampNTZType()', json: 'timestamp_ntz' },
}

const DECIMAL = /^decimal\((\d+),(\d+)\)$/

function simpleType(sparkType: string, what: string): { readonly pyspark: string; readonly json: string } {
  const simple = SIMPLE_TYPES[sparkType]
  if (simple === undefined) throw new Error(`No ${what} for the Spark type "${sparkType}"`)
  return simple
}

/** The PySpark expression building a column's type, e.g. `DecimalType(10, 2)`. */
export function pysparkType(sparkType: string): string {
  const decimal = DECIMAL.exec(sparkType)
  if (decimal) return `DecimalType(${decimal[1]}, ${decimal[2]})`
  return simpleType(sparkType, 'PySpark type').pyspark
}

/** The type as Spark's JSON schema (`StructType.json`, Delta's `schemaString`) names it, e.g. `integer`. */
export function sparkJsonType(sparkType: string): string {
  const decimal = DECIMAL.exec(sparkType)
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`
  return simpleType(sparkType, 'Spark JSON type').json
}

const DDL_OF_JSON = new Map(Object.entries(SIMPLE_TYPES).map(([ddl, { json }]) => [json, ddl]))

/** The DDL type of a type in Spark's JSON schema (`integer` → `int`, `decimal(9,2)` kept), or undefined for one Spark Synth does not know. */
export function ddlOfSparkJsonType(json: string): string | undefined {
  const decimal = /^decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)$/.exec(json)
  return decimal ? `decimal(${decimal[1]},${decimal[2]})` : DDL_OF_JSON.get(json)
}

/** The class names a schema's types need imported from `pyspark.sql.types`. */
export function pysparkTypeImports(sparkTypes: readonly string[]): string[] {
  return [...new Set(sparkTypes.map((t) => pysparkType(t).replace(/\(.*$/, '')))].sort()
}

/** The type as Spark SQL DDL writes it, e.g. `DECIMAL(10,2)`. */
export function ddlType(sparkType: string): string {
  return sparkType.toUpperCase()
}
