/** How a synthetic table is written: a Spark Parquet folder, or the same files as a Delta table. */
export const TABLE_FORMATS = ['parquet', 'delta'] as const
export type TableFormat = (typeof TABLE_FORMATS)[number]
