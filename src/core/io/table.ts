/** The in-memory shape of a sampled table: typed columns of plain JS values. */
import { floorDiv } from './calendar.ts'
import type { SparkType } from './sparkType.ts'

/** A nested value (struct, array or map) as the engine assembled it. */
export type NestedValue = readonly unknown[] | Readonly<Record<string, unknown>>

/**
 * One cell. Spark types map as: boolean → boolean; byte…long, float, double, decimal → number
 * (NaN kept, distinct from null; 64-bit integers and decimals as the nearest double); string →
 * string; binary → Uint8Array; date → Date (UTC midnight); timestamp → Date (UTC instant), a
 * MicrosecondTimestamp where the source keeps microseconds; struct/array/map → NestedValue.
 */
export type Cell = null | boolean | number | string | Date | Uint8Array | NestedValue

/**
 * A timestamp to the microsecond, as Spark keeps it. Code that sees a Date sees its millisecond
 * (rounded down, so the text of both agrees); the microseconds past it are kept for what shows the
 * exact value.
 */
export class MicrosecondTimestamp extends Date {
  /** Microseconds past the millisecond, 0–999. */
  readonly microsOfMillisecond: number

  constructor(epochMicros: bigint) {
    const millis = floorDiv(epochMicros, 1000n)
    super(Number(millis))
    this.microsOfMillisecond = Number(epochMicros - millis * 1000n)
  }
}

/** A column as the source declares it. */
export interface SourceColumn {
  readonly name: string
  /** Parsed once where the schema is read; `sparkTypeDdl` renders it as `decimal(10,2)`, `array<int>`. */
  readonly sparkType: SparkType
  readonly nullable: boolean
  /** struct, array or map: read and shown, not synthesised. */
  readonly nested: boolean
  /** Restored from a hive partition folder rather than read from the files. */
  readonly partition: boolean
}

/** A sample of rows, stored column by column in source order. */
export interface Table {
  readonly columns: readonly SourceColumn[]
  readonly values: readonly (readonly Cell[])[]
  readonly rowCount: number
}

/** The given rows of a table, in the given order. */
export function takeRows(table: Table, rows: ArrayLike<number>): Table {
  return {
    columns: table.columns,
    values: table.values.map((column) => Array.from(rows, (row) => column[row])),
    rowCount: rows.length,
  }
}
