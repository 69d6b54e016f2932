import { readFile } from 'node:fs/promises'
import { DataType, Type, tableFromIPC, type Field, type Table as ArrowTable } from 'apache-arrow'
import { SparkSynthError, describeCause } from '../errors.ts'
import type { FileReader } from './fileReader.ts'
import type { Cell, SourceColumn } from './table.ts'

/** The Spark SQL type of an Arrow type, as Spark's ArrowUtils maps them. */
export function sparkTypeOfArrow(type: DataType): string {
  if (DataType.isDictionary(type)) return sparkTypeOfArrow(type.dictionary)
  if (DataType.isBool(type)) return 'boolean'
  if (DataType.isInt(type)) {
    const widths: Record<number, string> = { 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' }
    const width = type.isSigned ? type.bitWidth : Math.min(type.bitWidth * 2, 64)
    return type.isSigned || type.bitWidth < 64 ? widths[width] : 'decimal(20,0)'
  }
  if (DataType.isFloat(type)) return type.precision === 2 ? 'double' : 'float'
  if (DataType.isDecimal(type)) return `decimal(${type.precision},${type.scale})`
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'string'
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) return 'binary'
  if (DataType.isDate(type)) return 'date'
  if (DataType.isTimestamp(type)) return type.timezone ? 'timestamp' : 'timestamp_ntz'
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) return `array<${sparkTypeOfArrow(type.children[0].type)}>`
  if (DataType.isMap(type)) {
    const [key, value] = type.children[0].type.children
    return `map<${sparkTypeOfArrow(key.type)},${sparkTypeOfArrow(value.type)}>`
  }
  if (DataType.isStruct(type)) return `struct<${type.children.map((f: Field) => `${f.name}:${sparkTypeOfArrow(f.type)}`).join(',')}>`
  return 'string'
}

const NESTED = new Set([Type.List, Type.FixedSizeList, Type.Map, Type.Struct])

/** Converts an Arrow value to a sample cell: 64-bit integers and decimals become numbers, dates Date objects. */
function toCell(value: unknown, type: DataType): Cell {
  if (value === null || value === undefined) return null
  if (DataType.isDate(type) || DataType.isTimestamp(type)) return new Date(Number(value))
  if (DataType.isDecimal(type)) return Number(String(value)) / 10 ** type.scale
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'object' && value !== null && 'toJSON' in value && typeof value.toJSON === 'function') return value.toJSON() as Cell
  return value as Cell
}

/** Opens an Arrow IPC file or stream (`.arrow`, `.feather` v2, `.ipc`). */
export async function openArrowFile(file: string): Promise<FileReader> {
  let table: ArrowTable
  try {
    table = tableFromIPC(await readFile(file))
  } catch (cause) {
    throw new SparkSynthError(
      `not a readable Arrow IPC file (${describeCause(cause)})`,
      'Write it again with pyarrow.feather.write_feather(..., version=2) or Arrow IPC, or export Parquet instead',
      { file },
      { cause },
    )
  }
  const fields = table.schema.fields
  const columns: SourceColumn[] = fields.map((field) => ({
    name: field.name,
    sparkType: sparkTypeOfArrow(field.type),
    nullable: field.nullable,
    nested: NESTED.has(field.typeId),
    partition: false,
  }))
  return {
    path: file,
    columns,
    rowCount: table.numRows,
    async readRows(rows, names) {
      return names.map((name) => {
        const vector = table.getChild(name)
        const field = fields.find((f) => f.name === name)
        if (!vector || !field) throw new SparkSynthError('no such column in the file', 'Check the column name', { file, column: name })
        return Array.from(rows, (row) => toCell(vector.get(row), field.type))
      })
    },
    close: async () => undefined,
  }
}
