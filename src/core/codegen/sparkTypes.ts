/** Spark types as generated PySpark code writes them: `DataType` constructors and upper-case DDL. */
import { isSimpleType, sparkTypeDdl, unhandledType, type SimpleTypeId, type SparkType } from '../io/sparkType.ts'

const PYSPARK_TYPES: Readonly<Record<SimpleTypeId, string>> = {
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
}

/** The PySpark expression building a column's type, e.g. `DecimalType(10, 2)`; nested types are never output columns. */
export function pysparkType(type: SparkType): string {
  if (isSimpleType(type)) return PYSPARK_TYPES[type.id]
  switch (type.id) {
    case 'decimal':
      return `DecimalType(${type.precision}, ${type.scale})`
    case 'timestamp':
      return type.utc ? 'TimestampType()' : 'TimestampNTZType()'
    case 'array':
    case 'map':
    case 'struct':
      throw new Error(`No PySpark type for the Spark type "${sparkTypeDdl(type)}"`)
    default:
      return unhandledType(type)
  }
}

/** The class names a schema's types need imported from `pyspark.sql.types`. */
export function pysparkTypeImports(types: readonly SparkType[]): string[] {
  return [...new Set(types.map((type) => pysparkType(type).replace(/\(.*$/, '')))].sort()
}

/** The type as Spark SQL DDL writes it, e.g. `DECIMAL(10,2)`. */
export function ddlType(type: SparkType): string {
  return sparkTypeDdl(type).toUpperCase()
}
