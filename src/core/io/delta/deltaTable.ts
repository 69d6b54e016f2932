/** A Delta table as a table source: the live files of one version, typed and named by the log. */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SparkSynthError } from '../../errors.ts'
import type { Cell } from '../table.ts'
import { withReader, type SourceFile, type TableSource } from '../tableSource.ts'
import { readDeletionVector } from './deletionVector.ts'
import { DELTA_LOG, readDeltaSnapshot, type DeltaAddFile, type DeltaTimeTravel } from './deltaLog.ts'
import { deltaColumns, deltaPartitionValue, type DeltaColumn } from './deltaSchema.ts'

/** True for a folder holding a `_delta_log/` folder: a Delta table, read through its log. */
export async function isDeltaTable(folder: string): Promise<boolean> {
  return (await stat(path.join(folder, DELTA_LOG)).catch(() => undefined))?.isDirectory() ?? false
}

/** The Delta table a folder lies inside (a partition folder of it, say), if any. */
export async function enclosingDeltaTable(folder: string): Promise<string | undefined> {
  for (let parent = path.dirname(folder); parent !== path.dirname(parent); parent = path.dirname(parent)) {
    if (await isDeltaTable(parent)) return parent
  }
  return undefined
}

/** Where an `add` action's file lies: a path relative to the table, URI-encoded, or an absolute `file:` URI. */
function dataFilePath(table: string, add: DeltaAddFile, version: number): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(add.path)) {
    if (add.path.startsWith('file:')) return fileURLToPath(add.path.replace(/^file:\/*/, 'file:///'))
    throw new SparkSynthError(
      `version ${version} of the log names a data file on remote storage (${add.path})`,
      'Spark Synth reads local tables: copy the table, or a sample of it made with take_sample.py, to this machine',
      { file: table },
    )
  }
  return path.join(table, ...add.path.split('/').map(decodeURIComponent))
}

/** `numRecords` of an `add` action's statistics, when they are there and sound. */
function statsRecords(stats: string | null | undefined): number | undefined {
  try {
    const numRecords = stats ? (JSON.parse(stats) as { numRecords?: unknown }).numRecords : undefined
    return Number.isSafeInteger(numRecords) && (numRecords as number) >= 0 ? (numRecords as number) : undefined
  } catch {
    return undefined // damaged statistics only cost a footer read
  }
}

/** Rows in a data file: from the log's statistics when written, else from the file's footer. */
async function storedRows(file: string, add: DeltaAddFile): Promise<number> {
  const numRecords = statsRecords(add.stats)
  if (numRecords !== undefined) return numRecords
  return withReader({ path: file, format: 'parquet' }, (reader) => Promise.resolve(reader.rowCount))
}

interface TableLayout {
  readonly root: string
  readonly version: number
  readonly partitions: readonly DeltaColumn[]
  readonly physicalNames: ReadonlyMap<string, string>
}

/** One live file: where it is, its rows, its partition values typed by the schema, its deletions. */
async function sourceFileOf(add: DeltaAddFile, { root, version, partitions, physicalNames }: TableLayout): Promise<SourceFile> {
  const file = dataFilePath(root, add, version)
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    throw new SparkSynthError(
      `version ${version} of the log names the data file ${add.path}, which is missing`,
      'The table is incomplete (a file was deleted by hand, or VACUUM ran too early): restore the file, or read an earlier version with --version',
      { file: root },
    )
  }
  const dv = add.deletionVector
  const constants = new Map<string, Cell>(
    partitions.map(({ column, physicalName }) => [
      column.name,
      deltaPartitionValue(add.partitionValues[physicalName] ?? add.partitionValues[column.name], column.sparkType, {
        file: root,
        column: column.name,
      }),
    ]),
  )
  return {
    path: file,
    relativePath: path.relative(root, file).split(path.sep).join('/'),
    format: 'parquet',
    rowCount: await storedRows(file, add),
    constants,
    ...(physicalNames.size > 0 ? { physicalNames } : {}),
    ...(dv ? { deleted: { count: dv.cardinality, rows: () => readDeletionVector(root, dv) } } : {}),
  }
}

/** Opens the table at a version: its schema from the log, its live files with their partition values and deletions. */
export async function openDeltaTable(table: string, travel: DeltaTimeTravel = {}): Promise<TableSource> {
  const root = path.resolve(table)
  const snapshot = await readDeltaSnapshot(root, travel)
  const { metadata, version } = snapshot
  const mappingMode = metadata.configuration?.['delta.columnMapping.mode'] ?? 'none'
  const columns: DeltaColumn[] = deltaColumns(metadata.schemaString, metadata.partitionColumns, mappingMode !== 'none', { file: root })
  const layout: TableLayout = {
    root,
    version,
    partitions: columns.filter((c) => c.column.partition),
    physicalNames: new Map(columns.filter((c) => c.physicalName !== c.column.name).map((c) => [c.column.name, c.physicalName])),
  }
  // One file at a time: a large table has thousands, and each may need its footer opened.
  const files: SourceFile[] = []
  for (const add of snapshot.files) files.push(await sourceFileOf(add, layout))
  files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0))
  return {
    format: 'delta',
    columns: columns.map((c) => c.column),
    files,
    delta: { version, ...(travel.timestamp ? { timestamp: travel.timestamp.toISOString() } : {}) },
  }
}
