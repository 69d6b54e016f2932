/** The in-memory shape of a sampled table: typed columns of plain JS values. */

/** A nested value (struct, array or map) as the engine assembled it. */
export type NestedValue = readonly unknown[] | { readonly [key: string]: unknown }

/**
 * One cell. Spark types map as: boolean → boolean; byte…long, float, double, decimal → number
 * (NaN kept, distinct from null); string → string; binary → Uint8Array; date, timestamp → Date
 * (UTC instant); struct/array/map → NestedValue.
 */
export type Cell = null | boolean | number | string | Date | Uint8Array | NestedValue

/** A column as the source declares it. */
export interface SourceColumn {
  readonly name: string
  /** Spark SQL DDL type, e.g. `decimal(10,2)`, `timestamp`, `array<int>`. */
  readonly sparkType: string
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

/** True for Spark types whose values are whole numbers. */
export function isIntegerType(sparkType: string): boolean {
  return ['tinyint', 'smallint', 'int', 'bigint'].includes(sparkType) || /^decimal\(\d+,0\)$/.test(sparkType)
}

/** True for Spark types whose values are numbers. */
export function isNumericType(sparkType: string): boolean {
  return isIntegerType(sparkType) || ['float', 'double'].includes(sparkType) || sparkType.startsWith('decimal(')
}

/** The given rows of a table, in the given order. */
export function takeRows(table: Table, rows: ArrayLike<number>): Table {
  return {
    columns: table.columns,
    values: table.values.map((column) => Array.from(rows, (row) => column[row])),
    rowCount: rows.length,
  }
}
