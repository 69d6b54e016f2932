import path from 'node:path'
import { SparkSynthError } from '../errors.ts'
import { Random, sampleIndices } from '../random.ts'
import { openArrowFile } from './arrowFile.ts'
import { openCsvFile } from './csvFile.ts'
import { discoverDataFiles, type DataFile, type DataFormat } from './discover.ts'
import type { FileReader } from './fileReader.ts'
import { openParquetFile } from './parquetFile.ts'
import { convertPartitionValue, inferPartitionType, type PartitionType } from './partitions.ts'
import type { Cell, SourceColumn, Table } from './table.ts'

export const DEFAULT_ROW_BUDGET = 50_000
export const DEFAULT_SEED = 42

export interface SampleOptions {
  /** At most this many rows are sampled (default 50,000). */
  readonly rows?: number
  readonly seed?: number
  /** Read only these columns (default: all). */
  readonly columns?: readonly string[]
  /** Draw only from the rows that the sample with this budget and seed leaves out: a holdout. */
  readonly excluding?: { readonly rows: number; readonly seed: number }
}

/** What was read, for the metadata document's `source` section. */
export interface DatasetSummary {
  readonly path: string
  readonly format: DataFormat
  readonly files: readonly { readonly path: string; readonly rows: number }[]
  readonly rowCount: number
  readonly sampleSize: number
  readonly seed: number
}

export interface DatasetSample {
  readonly summary: DatasetSummary
  readonly table: Table
}

interface FilePlan {
  readonly file: DataFile
  readonly columns: readonly SourceColumn[]
  readonly rowCount: number
}

const OPENERS: Record<DataFormat, (file: string) => Promise<FileReader>> = {
  parquet: openParquetFile,
  arrow: openArrowFile,
  csv: openCsvFile,
}

async function withReader<T>(file: DataFile, use: (reader: FileReader) => Promise<T>): Promise<T> {
  const reader = await OPENERS[file.format](file.path)
  try {
    return await use(reader)
  } finally {
    await reader.close()
  }
}

/** Widening Spark allows when merging part-file schemas. */
function mergeTypes(a: string, b: string): string | undefined {
  if (a === b) return a
  const integers = ['tinyint', 'smallint', 'int', 'bigint']
  if (integers.includes(a) && integers.includes(b)) return integers[Math.max(integers.indexOf(a), integers.indexOf(b))]
  const floats = ['float', 'double']
  if (floats.includes(a) && floats.includes(b)) return 'double'
  return undefined
}

/**
 * One schema over all part files: columns in order of first appearance, a column missing from
 * some files becomes nullable (it reads as null there), and incompatible types are an error
 * naming both files.
 */
function unifySchemas(plans: readonly FilePlan[]): SourceColumn[] {
  const merged = new Map<string, { column: SourceColumn; file: string; files: number }>()
  for (const plan of plans) {
    for (const column of plan.columns) {
      const seen = merged.get(column.name)
      if (!seen) {
        merged.set(column.name, { column, file: plan.file.path, files: 1 })
        continue
      }
      const sparkType = mergeTypes(seen.column.sparkType, column.sparkType)
      if (!sparkType) {
        throw new SparkSynthError(
          `the column is ${seen.column.sparkType} in ${seen.file} but ${column.sparkType} in ${plan.file.path}`,
          'The part files do not form one table: load them separately, or rewrite them with one schema',
          { file: plan.file.path, column: column.name },
        )
      }
      seen.column = { ...seen.column, sparkType, nullable: seen.column.nullable || column.nullable }
      seen.files++
    }
  }
  return [...merged.values()].map(({ column, files }) => (files < plans.length ? { ...column, nullable: true } : column))
}

/** Partition columns from the folders, typed by Spark's inference over all their values. */
function partitionColumns(files: readonly DataFile[], dataColumns: readonly SourceColumn[]): { column: SourceColumn; type: PartitionType }[] {
  const keys: string[] = []
  for (const file of files) for (const segment of file.partitions) if (!keys.includes(segment.key)) keys.push(segment.key)
  return keys
    .filter((key) => !dataColumns.some((column) => column.name === key))
    .map((key) => {
      const values = files.map((file) => file.partitions.find((segment) => segment.key === key)?.value ?? null)
      const type = inferPartitionType(values)
      return { column: { name: key, sparkType: type, nullable: values.includes(null), nested: false, partition: true }, type }
    })
}

/** Up to `budget` sorted row indices drawn uniformly from those the `excluded` sample does not hold. */
function sampleOutside(rowCount: number, budget: number, seed: number, excluded: { readonly rows: number; readonly seed: number }): Float64Array {
  const taken = sampleIndices(rowCount, excluded.rows, new Random(excluded.seed))
  const picked = sampleIndices(rowCount - taken.length, budget, new Random(seed))
  // The i-th remaining row is i plus the number of taken rows at or before it: one merge pass.
  let skipped = 0
  return picked.map((index) => {
    while (skipped < taken.length && taken[skipped] <= index + skipped) skipped++
    return index + skipped
  })
}

/**
 * Samples up to `rows` rows uniformly over the whole dataset with a seed: the same seed gives
 * the same rows. Only footers are read up front; then each file is read for its sampled rows
 * only, row group by row group, so memory follows the budget rather than the dataset's size.
 */
export async function sampleDataset(input: string, options: SampleOptions = {}): Promise<DatasetSample> {
  const budget = options.rows ?? DEFAULT_ROW_BUDGET
  const seed = options.seed ?? DEFAULT_SEED
  if (!Number.isInteger(budget) || budget < 1) {
    throw new SparkSynthError(`the row budget ${budget} is not a positive whole number`, 'Pass a row budget such as 50000', { file: input })
  }
  const files = await discoverDataFiles(input)
  const plans: FilePlan[] = []
  for (const file of files) {
    plans.push(await withReader(file, async (reader) => ({ file, columns: reader.columns, rowCount: reader.rowCount })))
  }
  const dataColumns = unifySchemas(plans)
  const partitions = partitionColumns(files, dataColumns)
  const allColumns = [...dataColumns, ...partitions.map((p) => p.column)]
  const wanted = options.columns ? allColumns.filter((column) => options.columns!.includes(column.name)) : allColumns
  const missing = options.columns?.filter((name) => !allColumns.some((column) => column.name === name)) ?? []
  if (missing.length > 0) {
    throw new SparkSynthError('no such column', `The table has: ${allColumns.map((c) => c.name).join(', ')}`, { file: input, column: missing[0] })
  }

  const rowCount = plans.reduce((sum, plan) => sum + plan.rowCount, 0)
  if (rowCount === 0) {
    throw new SparkSynthError(
      plans.length === 1 ? 'the file holds zero rows' : `the ${plans.length} data files hold zero rows`,
      'There is nothing to learn from: sample a table that has rows',
      { file: input },
    )
  }
  const rows = options.excluding ? sampleOutside(rowCount, budget, seed, options.excluding) : sampleIndices(rowCount, budget, new Random(seed))
  const values: Cell[][] = wanted.map(() => new Array<Cell>(rows.length))
  let offset = 0
  let next = 0
  for (const plan of plans) {
    let last = next
    while (last < rows.length && rows[last] < offset + plan.rowCount) last++
    if (last > next) {
      const local = rows.slice(next, last).map((row) => row - offset)
      const fileColumns = wanted.filter((column) => !column.partition && plan.columns.some((c) => c.name === column.name))
      const read = await withReader(plan.file, (reader) => reader.readRows(local, fileColumns.map((c) => c.name)))
      wanted.forEach((column, c) => {
        const target = values[c]
        const readIndex = fileColumns.indexOf(column)
        const partition = partitions.find((p) => p.column === column)
        const constant = partition
          ? convertPartitionValue(plan.file.partitions.find((s) => s.key === column.name)?.value ?? null, partition.type)
          : null
        for (let i = next; i < last; i++) target[i] = readIndex >= 0 ? read[readIndex][i - next] : constant
      })
    }
    offset += plan.rowCount
    next = last
  }

  return {
    summary: {
      path: path.resolve(input),
      format: files[0].format,
      files: plans.map((plan) => ({ path: plan.file.relativePath, rows: plan.rowCount })),
      rowCount,
      sampleSize: rows.length,
      seed,
    },
    table: { columns: wanted, values, rowCount: rows.length },
  }
}
