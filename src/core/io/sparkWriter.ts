import { randomUUID } from 'node:crypto'
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { SchemaElement } from 'hyparquet'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { SparkSynthError } from '../errors.ts'
import type { Cell, Table } from './table.ts'

/** The Parquet schema element Spark writes for a Spark SQL type. */
export function parquetElement(name: string, sparkType: string, nullable: boolean): SchemaElement {
  const repetition_type = nullable ? 'OPTIONAL' : 'REQUIRED'
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(sparkType)
  if (decimal) {
    const precision = Number(decimal[1])
    const scale = Number(decimal[2])
    const logical_type = { type: 'DECIMAL', precision, scale } as const
    const physical = precision <= 9 ? { type: 'INT32' as const } : precision <= 18 ? { type: 'INT64' as const } : { type: 'FIXED_LEN_BYTE_ARRAY' as const, type_length: 16 }
    return { name, repetition_type, ...physical, converted_type: 'DECIMAL', precision, scale, logical_type }
  }
  switch (sparkType) {
    case 'boolean':
      return { name, repetition_type, type: 'BOOLEAN' }
    case 'tinyint':
      return { name, repetition_type, type: 'INT32', converted_type: 'INT_8', logical_type: { type: 'INTEGER', bitWidth: 8, isSigned: true } }
    case 'smallint':
      return { name, repetition_type, type: 'INT32', converted_type: 'INT_16', logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: true } }
    case 'int':
      return { name, repetition_type, type: 'INT32' }
    case 'bigint':
      return { name, repetition_type, type: 'INT64' }
    case 'float':
      return { name, repetition_type, type: 'FLOAT' }
    case 'double':
      return { name, repetition_type, type: 'DOUBLE' }
    case 'date':
      return { name, repetition_type, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } }
    case 'timestamp':
    case 'timestamp_ntz':
      return { name, repetition_type, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: sparkType === 'timestamp', unit: 'MICROS' } }
    case 'binary':
      return { name, repetition_type, type: 'BYTE_ARRAY' }
    default:
      return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }
  }
}

/** Values in the form the writer takes for a column's physical type. */
function writerValues(values: readonly Cell[], element: SchemaElement): unknown[] {
  if (element.type === 'INT64' && element.converted_type !== 'DECIMAL' && !element.logical_type) {
    return values.map((v) => (typeof v === 'number' ? BigInt(Math.round(v)) : null))
  }
  if (element.logical_type?.type === 'STRING') return values.map((v) => (v === null ? null : v instanceof Date ? v.toISOString() : String(v)))
  return values as unknown[]
}

/**
 * Writes a table as a Spark output folder: one snappy part file named as Spark names them and
 * `_SUCCESS`, all in a temporary folder beside the target renamed into place when complete.
 * An existing target is replaced only with `overwrite`.
 */
export async function writeSparkFolder(table: Table, target: string, options: { overwrite?: boolean } = {}): Promise<string[]> {
  const folder = path.resolve(target)
  const exists = await stat(folder).then(() => true, () => false)
  if (exists && !options.overwrite) {
    throw new SparkSynthError('the output already exists', 'Choose another output path, or pass --overwrite to replace it', { file: folder })
  }
  const temporary = `${folder}.${process.pid}.tmp`
  await rm(temporary, { recursive: true, force: true })
  await mkdir(temporary, { recursive: true })
  const schema: SchemaElement[] = [{ name: 'spark_schema', num_children: table.columns.length }]
  const columnData = table.columns.map((column, c) => {
    const element = parquetElement(column.name, column.sparkType, column.nullable || table.values[c].includes(null))
    schema.push(element)
    return { name: column.name, data: writerValues(table.values[c], element) }
  })
  const file = `part-00000-${randomUUID()}-c000.snappy.parquet`
  const buffer = parquetWriteBuffer({ columnData: columnData as never, schema, codec: 'SNAPPY', createdBy: 'spark-synth', rowGroupSize: 1_000_000 })
  await writeFile(path.join(temporary, file), new Uint8Array(buffer))
  await writeFile(path.join(temporary, '_SUCCESS'), '')
  if (exists) await rm(folder, { recursive: true, force: true })
  await rename(temporary, folder)
  return [file]
}
