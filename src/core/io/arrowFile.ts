import { readFile } from 'node:fs/promises'
import { DataType, Precision, Type, tableFromIPC, type Field, type Table as ArrowTable } from 'apache-arrow'
import { SparkSynthError, describeCause } from '../errors.ts'
import { checkArrowFraming } from './arrowFraming.ts'
import type { FileReader } from './fileReader.ts'
import type { SparkType } from './sparkType.ts'
import type { Cell, SourceColumn } from './table.ts'

/** The Spark SQL type of an Arrow type, as Spark's ArrowUtils maps them. */
export function sparkTypeOfArrow(type: DataType): SparkType {
  if (DataType.isDictionary(type)) return sparkTypeOfArrow(type.dictionary as DataType)
  if (DataType.isBool(type)) return { id: 'boolean' }
  if (DataType.isInt(type)) {
    const widths = { 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' } as const
    // Unsigned integers widen to the signed type of twice the width; uint64 to a whole decimal.
    if (!type.isSigned && type.bitWidth === 64) return { id: 'decimal', precision: 20, scale: 0 }
    return { id: widths[type.isSigned ? type.bitWidth : ((type.bitWidth * 2) as 16 | 32 | 64)] }
  }
  if (DataType.isFloat(type)) return { id: type.precision === Precision.DOUBLE ? 'double' : 'float' }
  if (DataType.isDecimal(type)) return { id: 'decimal', precision: type.precision, scale: type.scale }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return { id: 'string' }
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) return { id: 'binary' }
  if (DataType.isDate(type)) return { id: 'date' }
  if (DataType.isTimestamp(type)) return { id: 'timestamp', utc: Boolean(type.timezone) }
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) return { id: 'array', element: sparkTypeOfArrow(childType(type, 0)) }
  if (DataType.isMap(type)) {
    const entries = childType(type, 0)
    return { id: 'map', key: sparkTypeOfArrow(childType(entries, 0)), value: sparkTypeOfArrow(childType(entries, 1)) }
  }
  if (DataType.isStruct(type)) {
    return {
      id: 'struct',
      fields: type.children.map((field: Field<DataType>) => ({ name: field.name, type: sparkTypeOfArrow(field.type) })),
    }
  }
  return { id: 'string' }
}

/** The type of a nested type's i-th child (Arrow types its children loosely). */
function childType(type: DataType, index: number): DataType {
  const child = (type.children as Field<DataType>[] | null)?.[index]
  if (!child) throw new Error(`The Arrow ${Type[type.typeId]} type has no child ${index}`)
  return child.type
}

const NESTED = new Set([Type.List, Type.FixedSizeList, Type.Map, Type.Struct])

/** Converts an Arrow value to a sample cell: 64-bit integers and decimals become numbers, dates Date objects. */
function toCell(value: unknown, type: DataType): Cell {
  if (value === null || value === undefined) return null
  if (DataType.isDate(type) || DataType.isTimestamp(type)) {
    const date = new Date(Number(value))
    if (Number.isNaN(date.getTime())) throw new Error(`${Number(value)} ms is past the ±8.64e15 ms a JavaScript date holds`)
    return date
  }
  // Arrow's decimal values print as their unscaled integer.
  if (DataType.isDecimal(type)) return Number((value as { toString(): string }).toString()) / 10 ** type.scale
  if (typeof value === 'bigint') return Number(value)
  // Struct, map and list values are Arrow objects; their JSON form is the plain nested value.
  if (typeof value === 'object' && 'toJSON' in value) return (value as { toJSON(): Cell }).toJSON()
  return value as Cell
}

const ARROW_REWRITE_HINT = 'Write it again with pyarrow.feather.write_feather(..., version=2) or Arrow IPC, or export Parquet instead'

/** Opens an Arrow IPC file or stream (`.arrow`, `.feather` v2, `.ipc`). */
export async function openArrowFile(file: string): Promise<FileReader> {
  let table: ArrowTable
  try {
    const bytes = await readFile(file)
    checkArrowFraming(bytes)
    table = tableFromIPC(bytes)
  } catch (cause) {
    throw new SparkSynthError(`not a readable Arrow IPC file (${describeCause(cause)})`, ARROW_REWRITE_HINT, { file }, { cause })
  }
  const fields = table.schema.fields as Field<DataType>[]
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
    readRows: (rows, names) =>
      Promise.resolve().then(() =>
        names.map((name) => {
          const vector = table.getChild(name)
          const field = fields.find((f) => f.name === name)
          if (!vector || !field) throw new SparkSynthError('no such column in the file', 'Check the column name', { file, column: name })
          try {
            return Array.from(rows, (row) => toCell(vector.get(row), field.type))
          } catch (cause) {
            // A damaged buffer decodes into values no cell can hold (a 64-bit integer past 2^53, say).
            throw new SparkSynthError(
              `cannot decode the column's values (${describeCause(cause)})`,
              ARROW_REWRITE_HINT,
              { file, column: name },
              { cause },
            )
          }
        }),
      ),
    close: () => Promise.resolve(),
  }
}
