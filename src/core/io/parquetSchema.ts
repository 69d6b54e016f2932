import type { SchemaElement, SchemaTree } from 'hyparquet'
import { ddlFieldName, type SourceColumn } from './table.ts'

/** The Spark SQL type of a primitive Parquet column, following Spark's ParquetToSparkSchemaConverter. */
function primitiveSparkType(element: SchemaElement): string {
  const logical = element.logical_type
  const converted = element.converted_type
  if (logical?.type === 'DECIMAL') return `decimal(${logical.precision},${logical.scale})`
  if (converted === 'DECIMAL') return `decimal(${element.precision ?? 38},${element.scale ?? 0})`
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean'
    case 'INT32': {
      if (logical?.type === 'DATE' || converted === 'DATE') return 'date'
      const bits = logical?.type === 'INTEGER' ? logical.bitWidth : converted === 'INT_8' ? 8 : converted === 'INT_16' ? 16 : undefined
      const unsigned = (logical?.type === 'INTEGER' && !logical.isSigned) || converted?.startsWith('UINT_')
      if (unsigned) return converted === 'UINT_32' || bits === 32 ? 'bigint' : converted === 'UINT_16' || bits === 16 ? 'int' : 'smallint'
      if (bits === 8) return 'tinyint'
      if (bits === 16) return 'smallint'
      return 'int'
    }
    case 'INT64': {
      if (logical?.type === 'TIMESTAMP') return logical.isAdjustedToUTC ? 'timestamp' : 'timestamp_ntz'
      if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return 'timestamp'
      if ((logical?.type === 'INTEGER' && !logical.isSigned) || converted === 'UINT_64') return 'decimal(20,0)'
      return 'bigint'
    }
    case 'INT96':
      return 'timestamp'
    case 'FLOAT':
      return 'float'
    case 'DOUBLE':
      return 'double'
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical?.type === 'FLOAT16') return 'float'
      if (logical?.type === 'UUID') return 'string'
      return 'binary'
    case 'BYTE_ARRAY':
      if (logical?.type === 'STRING' || logical?.type === 'ENUM' || logical?.type === 'JSON') return 'string'
      if (converted === 'UTF8' || converted === 'ENUM' || converted === 'JSON') return 'string'
      return 'binary'
    default:
      return 'binary'
  }
}

/** The Spark SQL type of any schema node, nested ones written as DDL (`struct<a:int>`, `array<…>`, `map<…,…>`). */
export function sparkTypeOf(node: SchemaTree): string {
  const { element, children } = node
  if (!children.length) {
    const type = primitiveSparkType(element)
    return element.repetition_type === 'REPEATED' ? `array<${type}>` : type
  }
  const annotation = element.logical_type?.type ?? element.converted_type
  if (annotation === 'LIST') return `array<${listElementType(children[0])}>`
  if (annotation === 'MAP' || annotation === 'MAP_KEY_VALUE') {
    const [key, value] = children[0].children
    return `map<${sparkTypeOf(key)},${value ? sparkTypeOf(value) : 'string'}>`
  }
  const struct = structType(children)
  return element.repetition_type === 'REPEATED' ? `array<${struct}>` : struct
}

function structType(children: SchemaTree[]): string {
  return `struct<${children.map((child) => `${ddlFieldName(child.element.name)}:${sparkTypeOf(child)}`).join(',')}>`
}

/**
 * The element type of a LIST's repeated node, with the Parquet spec's backward-compatibility
 * rules for legacy two-level lists (a repeated primitive, a repeated group of several fields,
 * or a group named `array` / `…_tuple`, is itself the element).
 */
function listElementType(repeated: SchemaTree): string {
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
