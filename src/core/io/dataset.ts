import { stat } from 'node:fs/promises'
import path from 'node:path'
import { SparkSynthError } from '../errors.ts'
import { Random, sampleIndices } from '../random.ts'
import { DEFAULT_ROW_BUDGET, DEFAULT_SEED } from '../samplingDefaults.ts'
import { enclosingDeltaTable, isDeltaTable, openDeltaTable } from './delta/deltaTable.ts'
import { openSparkFolder } from './sparkFolder.ts'
import type { Cell, SourceColumn, Table } from './table.ts'
import { ROW_READS_AT_ONCE, inOrder } from './inOrder.ts'
import { liveRows, withReader, type SourceFile, type SourceFormat, type TableSource } from './tableSource.ts'

export interface SampleOptions {
  /** At most this many rows are sampled (default 50,000). */
  readonly rows?: number
  readonly seed?: number
  /** Read only these columns (default: all). */
  readonly columns?: readonly string[]
  /** Draw only from the rows that the sample with this budget and seed leaves out: a holdout. */
  readonly excluding?: { readonly rows: number; readonly seed: number }
  /** Delta tables: read this version (default: the latest). */
  readonly version?: number
  /** Delta tables: read the latest version committed at or before this instant. */
  readonly timestamp?: Date
}

/** What was read, for the metadata document's `source` section. */
export interface DatasetSummary {
  readonly path: string
  readonly format: SourceFormat
  /** Delta tables: the version read, and the instant it was chosen by, when it was. */
  readonly version?: number
  readonly timestamp?: string
  /** Data files with their live rows. */
  readonly files: readonly { readonly path: string; readonly rows: number }[]
  readonly rowCount: number
  readonly sampleSize: number
  readonly seed: number
}

export interface DatasetSample {
  readonly summary: DatasetSummary
  readonly table: Table
}

/** The i-th of the rows that remain once `removed` (sorted) are taken out, for each sorted i in `picked`: one merge pass. */
function remainingRows(picked: Float64Array, removed: ArrayLike<number>): Float64Array {
  let skipped = 0
  return picked.map((index) => {
    while (skipped < removed.length && removed[skipped] <= index + skipped) skipped++
    return index + skipped
  })
}

/** Up to `budget` sorted row indices drawn uniformly from those the `excluded` sample does not hold. */
function sampleOutside(
  rowCount: number,
  budget: number,
  seed: number,
  excluded: { readonly rows: number; readonly seed: number },
): Float64Array {
  const taken = sampleIndices(rowCount, excluded.rows, new Random(excluded.seed))
  return remainingRows(sampleIndices(rowCount - taken.length, budget, new Random(seed)), taken)
}

/** A Delta table read through its log; anything else as a file or a Spark output folder. */
async function openTable(input: string, options: SampleOptions): Promise<TableSource> {
  const root = path.resolve(input)
  if (await isDeltaTable(root)) return openDeltaTable(root, { version: options.version, timestamp: options.timestamp })
  if (options.version !== undefined || options.timestamp !== undefined) {
    throw new SparkSynthError(
      'a version or timestamp applies to Delta tables only, and this is not one (it has no _delta_log folder)',
      'Leave out --version and --timestamp',
      { file: input },
    )
  }
  const table = (await stat(root).catch(() => undefined))?.isDirectory() ? await enclosingDeltaTable(root) : undefined
  if (table) {
    throw new SparkSynthError(
      `the folder lies inside the Delta table ${table}, whose log decides which of its files are live`,
      `Load the table's root folder ${table} instead (files removed by later versions would otherwise be read as data)`,
      { file: input },
    )
  }
  return openSparkFolder(input)
}

/** Reads the given live-row indices (sorted, file-relative) of one file: its stored columns, then its constants. */
async function readFileRows(file: SourceFile, live: Float64Array, columns: readonly SourceColumn[]): Promise<Cell[][]> {
  const rows = file.deleted?.count ? remainingRows(live, await file.deleted.rows()) : live
  const stored = columns.filter((column) => !file.constants.has(column.name))
  const physical = (name: string) => file.physicalNames?.get(name) ?? name
  const read = await withReader(file, (reader) => {
    // A column the file lacks (added to the table after the file was written) reads as null.
    const present = stored.filter((column) => reader.columns.some((c) => c.name === physical(column.name)))
    return reader
      .readRows(
        rows,
        present.map((column) => physical(column.name)),
      )
      .then((values) => new Map(present.map((column, i) => [column, values[i]])))
  })
  return columns.map((column) => read.get(column) ?? new Array<Cell>(rows.length).fill(file.constants.get(column.name) ?? null))
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
  const source = await openTable(input, options)
  const allColumns = source.columns
  const names = options.columns
  const wanted = names ? allColumns.filter((column) => names.includes(column.name)) : allColumns
  const missing = names?.filter((name) => !allColumns.some((column) => column.name === name)) ?? []
  if (missing.length > 0) {
    throw new SparkSynthError('no such column', `The table has: ${allColumns.map((c) => c.name).join(', ')}`, {
      file: input,
      column: missing[0],
    })
  }

  const rowCount = source.files.reduce((sum, file) => sum + liveRows(file), 0)
  if (rowCount === 0) {
    throw new SparkSynthError(
      source.files.length === 1 ? 'the file holds zero rows' : `the ${source.files.length} data files hold zero rows`,
      'There is nothing to learn from: sample a table that has rows',
      { file: input },
    )
  }
  const rows = options.excluding
    ? sampleOutside(rowCount, budget, seed, options.excluding)
    : sampleIndices(rowCount, budget, new Random(seed))
  const values: Cell[][] = wanted.map(() => new Array<Cell>(rows.length))
  // Each file's share of the sampled rows: rows[next, last), file-relative from `offset`.
  const shares: { file: SourceFile; offset: number; next: number; last: number }[] = []
  let offset = 0
  let next = 0
  for (const file of source.files) {
    const live = liveRows(file)
    let last = next
    while (last < rows.length && rows[last] < offset + live) last++
    if (last > next) shares.push({ file, offset, next, last })
    offset += live
    next = last
  }
  await inOrder(shares, ROW_READS_AT_ONCE, async (share) => {
    const read = await readFileRows(
      share.file,
      rows.slice(share.next, share.last).map((row) => row - share.offset),
      wanted,
    )
    wanted.forEach((_, c) => {
      for (let i = share.next; i < share.last; i++) values[c][i] = read[c][i - share.next]
    })
  })

  return {
    summary: {
      path: path.resolve(input),
      format: source.format,
      ...(source.delta ?? {}),
      files: source.files.map((file) => ({ path: file.relativePath, rows: liveRows(file) })),
      rowCount,
      sampleSize: rows.length,
      seed,
    },
    table: { columns: wanted, values, rowCount: rows.length },
  }
}
