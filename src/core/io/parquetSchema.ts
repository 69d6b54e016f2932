import type { SchemaElement, SchemaTree } from 'hyparquet'
import type { SparkType } from './sparkType.ts'
import type { SourceColumn } from './table.ts'

/** The Spark SQL type of a primitive Parquet column, following Spark's ParquetToSparkSchemaConverter. */
function primitiveSparkType(element: SchemaElement): SparkType {
  const logical = element.logical_type
  const converted = element.converted_type
  if (logical?.type === 'DECIMAL') return { id: 'decimal', precision: logical.precision, scale: logical.scale }
  if (converted === 'DECIMAL') return { id: 'decimal', precision: element.precision ?? 38, scale: element.scale ?? 0 }
  switch (element.type) {
    case 'BOOLEAN':
      return { id: 'boolean' }
    case 'INT32': {
      if (logical?.type === 'DATE' || converted === 'DATE') return { id: 'date' }
      const bits = logical?.type === 'INTEGER' ? logical.bitWidth : converted === 'INT_8' ? 8 : converted === 'INT_16' ? 16 : undefined
      const unsigned = (logical?.type === 'INTEGER' && !logical.isSigned) || converted?.startsWith('UINT_')
      if (unsigned) {
        return { id: converted === 'UINT_32' || bits === 32 ? 'bigint' : converted === 'UINT_16' || bits === 16 ? 'int' : 'smallint' }
      }
      if (bits === 8) return { id: 'tinyint' }
      if (bits === 16) return { id: 'smallint' }
      return { id: 'int' }
    }
    case 'INT64': {
      if (logical?.type === 'TIMESTAMP') return { id: 'timestamp', utc: logical.isAdjustedToUTC }
      if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return { id: 'timestamp', utc: true }
      if ((logical?.type === 'INTEGER' && !logical.isSigned) || converted === 'UINT_64') return { id: 'decimal', precision: 20, scale: 0 }
      return { id: 'bigint' }
    }
    case 'INT96':
      return { id: 'timestamp', utc: true }
    case 'FLOAT':
      return { id: 'float' }
    case 'DOUBLE':
      return { id: 'double' }
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical?.type === 'FLOAT16') return { id: 'float' }
      if (logical?.type === 'UUID') return { id: 'string' }
      return { id: 'binary' }
    case 'BYTE_ARRAY':
      if (logical?.type === 'STRING' || logical?.type === 'ENUM' || logical?.type === 'JSON') return { id: 'string' }
      if (converted === 'UTF8' || converted === 'ENUM' || converted === 'JSON') return { id: 'string' }
      return { id: 'binary' }
    default:
      return { id: 'binary' }
  }
}

/** The Spark SQL type of any schema node, nested ones (struct, array, map) included. */
export function sparkTypeOf(node: SchemaTree): SparkType {
  const { element, children } = node
  const repeated = (type: SparkType): SparkType => (element.repetition_type === 'REPEATED' ? { id: 'array', element: type } : type)
  if (!children.length) return repeated(primitiveSparkType(element))
  const annotation = element.logical_type?.type ?? element.converted_type
  if (annotation === 'LIST') return { id: 'array', element: listElementType(children[0]) }
  if (annotation === 'MAP' || annotation === 'MAP_KEY_VALUE') {
    const [key, value] = children[0].children as [SchemaTree, SchemaTree | undefined]
    return { id: 'map', key: sparkTypeOf(key), value: value ? sparkTypeOf(value) : { id: 'string' } }
  }
  return repeated(structType(children))
}

function structType(children: SchemaTree[]): SparkType {
  return { id: 'struct', fields: children.map((child) => ({ name: child.element.name, type: sparkTypeOf(child) })) }
}

/**
 * The element type of a LIST's repeated node, with the Parquet spec's backward-compatibility
 * rules for legacy two-level lists (a repeated primitive, a repeated group of several fields,
 * or a group named `array` / `…_tuple`, is itself the element).
 */
function listElementType(repeated: SchemaTree): SparkType {
  const { element, children } = repeated
  if (!children.length) return primitiveSparkType(element)
  if (children.length > 1 || element.name === 'array' || element.name.endsWith('_tuple')) return structType(children)
  return sparkTypeOf(children[0])
}

/** The top-level columns of a Parquet file as Spark sees them. */
export function sourceColumnsOf(schema: SchemaTree): SourceColumn[] {
  return schema.children.map((child) => ({
    name: child.element.name,
    sparkType: sparkTypeOf(child),
    nullable: child.element.repetition_type !== 'REQUIRED',
    nested: child.children.length > 0 || child.element.repetition_type === 'REPEATED',
    partition: false,
  }))
}
