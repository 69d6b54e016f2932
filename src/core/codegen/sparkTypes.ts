/** Spark SQL DDL types as PySpark `DataType` constructors and as DDL text. */

const SIMPLE_TYPES: Record<string, string> = {
  boolean: 'BooleanType()',
  tinyint: 'ByteType()',
  smallint: 'ShortType()',
  int: 'IntegerType()',
  bigint: 'LongType()',
  float: 'FloatType()',
  double: 'DoubleType()',
  string: 'StringType()',
  binary: 'BinaryType()',
  date: 'DateType()',
  timestamp: 'TimestampType()',
  timestamp_ntz: 'TimestampNTZType()',
}

const DECIMAL = /^decimal\((\d+),(\d+)\)$/

/** The PySpark expression building a column's type, e.g. `DecimalType(10, 2)`. */
export function pysparkType(sparkType: string): string {
  const decimal = DECIMAL.exec(sparkType)
  if (decimal) return `DecimalType(${decimal[1]}, ${decimal[2]})`
  const simple = SIMPLE_TYPES[sparkType]
  if (simple === undefined) throw new Error(`No PySpark type for the Spark type "${sparkType}"`)
  return simple
}

/** The class names a schema's types need imported from `pyspark.sql.types`. */
export function pysparkTypeImports(sparkTypes: readonly string[]): string[] {
  return [...new Set(sparkTypes.map((t) => pysparkType(t).replace(/\(.*$/, '')))].sort()
}

/** The type as Spark SQL DDL writes it, e.g. `DECIMAL(10,2)`. */
export function ddlType(sparkType: string): string {
  return sparkType.toUpperCase()
}
