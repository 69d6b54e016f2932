import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { SchemaElement } from 'hyparquet'
import { ParquetWriter } from 'hyparquet-writer'
import { fileWriter } from 'hyparquet-writer/src/node.js'
import { DeltaFileStats, writeDeltaLog } from './deltaLogWriter.ts'
import { escapePathName, partitionValueText } from './partitions.ts'
import { StagedFolder } from './staging.ts'
import { unhandledType, type SparkType } from './sparkType.ts'
import type { Cell, SourceColumn, Table } from './table.ts'
import type { TableFormat } from './tableFormat.ts'

/** The Parquet schema element Spark writes for a Spark SQL type. */
export function parquetElement(name: string, type: SparkType, nullable: boolean): SchemaElement {
  const repetition_type = nullable ? 'OPTIONAL' : 'REQUIRED'
  switch (type.id) {
    case 'boolean':
      return { name, repetition_type, type: 'BOOLEAN' }
    // Converted types only: hyparquet-writer 0.17 encodes the INTEGER logical type's i8 bit width
    // as a zig-zag varint (16 reads back as 32 in other engines); INT_8/INT_16 say the same to Spark.
    case 'tinyint':
      return { name, repetition_type, type: 'INT32', converted_type: 'INT_8' }
    case 'smallint':
      return { name, repetition_type, type: 'INT32', converted_type: 'INT_16' }
    case 'int':
      return { name, repetition_type, type: 'INT32' }
    case 'bigint':
      return { name, repetition_type, type: 'INT64' }
    case 'float':
      return { name, repetition_type, type: 'FLOAT' }
    case 'double':
      return { name, repetition_type, type: 'DOUBLE' }
    case 'decimal': {
      const { precision, scale } = type
      const logical_type = { type: 'DECIMAL', precision, scale } as const
      const physical =
        precision <= 9
          ? { type: 'INT32' as const }
          : precision <= 18
            ? { type: 'INT64' as const }
            : { type: 'FIXED_LEN_BYTE_ARRAY' as const, type_length: 16 }
      return { name, repetition_type, ...physical, converted_type: 'DECIMAL', precision, scale, logical_type }
    }
    case 'date':
      return { name, repetition_type, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } }
    case 'timestamp':
      return { name, repetition_type, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: type.utc, unit: 'MICROS' } }
    case 'binary':
      return { name, repetition_type, type: 'BYTE_ARRAY' }
    // Nested columns are not synthesised: one the user keeps in is generated, and written, as text.
    case 'string':
    case 'array':
    case 'map':
    case 'struct':
      return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }
    default:
      return unhandledType(type)
  }
}

/** A cell of a string column as text: instants in ISO 8601, nested values as JSON. */
function cellText(cell: Cell): string | null {
  if (cell === null) return null
  if (cell instanceof Date) return cell.toISOString()
  return typeof cell === 'object' ? JSON.stringify(cell) : String(cell)
}

/**
 * hyparquet-writer's calls return a promise only when the file writer flushes asynchronously;
 * `fileWriter` writes synchronously, which keeps row groups in the order batches arrive.
 */
function synchronously(result: void | Promise<void>): void {
  if (result instanceof Promise) throw new Error('The Parquet writer went asynchronous: its file writer must write synchronously')
}

/** Values in the form the writer takes for a column's physical type. */
function writerValues(values: readonly Cell[], element: SchemaElement): unknown[] {
  if (element.type === 'INT64' && element.converted_type !== 'DECIMAL' && !element.logical_type) {
    return values.map((v) => (typeof v === 'number' ? BigInt(Math.round(v)) : null))
  }
  if (element.logical_type?.type === 'STRING') return values.map(cellText)
  return values as unknown[]
}

export interface SparkFolderOptions {
  /** Replace an existing output (otherwise an existing output is an error). */
  readonly overwrite?: boolean
  /** A part file is closed after this many rows (Spark sizes files by task; a million rows is tens of MB). */
  readonly rowsPerFile?: number
  /** `delta`: the same files, committed in a Delta log instead of marked by `_SUCCESS` (default `parquet`). */
  readonly format?: TableFormat
}

/** Partition folders written to at once; beyond this the least recently used part file is closed. */
const MAX_OPEN_PARTITIONS = 64

/** One part file. */
interface PartFile {
  /** Below the folder's root, with `/` separators. */
  readonly name: string
  readonly writer: ParquetWriter
  /** Its rows' partition column values (one folder holds one value each). */
  readonly partitionValues: readonly Cell[]
  /** Delta tables only: the statistics of its rows for the log. */
  readonly stats?: DeltaFileStats
  rows: number
}

/**
 * A Spark output folder written as rows arrive: each batch becomes a row group (per partition
 * folder when the table has partition columns), part files are named as Spark names them,
 * `_SUCCESS` (or, for Delta, the log's first commit) is written last, and everything goes to a
 * temporary folder beside the target that is renamed into place only on `commit`.
 */
export class SparkFolderWriter {
  /** Open part files by partition folder (`''` for an unpartitioned table), least recently used first. */
  private readonly open = new Map<string, PartFile>()
  private readonly files: PartFile[] = []
  private readonly uuid = randomUUID()
  private readonly schema: SchemaElement[]
  /** Positions of the columns stored in the files, and of those that name partition folders. */
  private readonly dataColumns: number[]
  private readonly partitionColumns: number[]

  private constructor(
    private readonly staged: StagedFolder,
    private readonly columns: readonly SourceColumn[],
    private readonly options: SparkFolderOptions,
  ) {
    this.dataColumns = columns.flatMap((c, i) => (c.partition ? [] : [i]))
    this.partitionColumns = columns.flatMap((c, i) => (c.partition ? [i] : []))
    this.schema = [
      { name: 'spark_schema', num_children: this.dataColumns.length },
      ...this.dataColumns.map((i) => parquetElement(columns[i].name, columns[i].sparkType, columns[i].nullable)),
    ]
  }

  static async open(target: string, columns: readonly SourceColumn[], options: SparkFolderOptions = {}): Promise<SparkFolderWriter> {
    const staged = await StagedFolder.open(target, {
      overwrite: options.overwrite,
      hint: 'Choose another output path, or pass --overwrite to replace it',
    })
    return new SparkFolderWriter(staged, columns, options)
  }

  /** Appends a batch of rows (its columns in the order given to `open`). */
  write(batch: Table): void {
    for (const [folder, rows] of this.rowsByPartition(batch)) {
      const part = this.partFile(
        folder,
        this.partitionColumns.map((c) => batch.values[c][rows?.[0] ?? 0]),
      )
      const values = this.dataColumns.map((c) => (rows === undefined ? batch.values[c] : rows.map((r) => batch.values[c][r])))
      const columnData = values.map((data, k) => ({ name: this.schema[k + 1].name, data: writerValues(data, this.schema[k + 1]) }))
      const count = rows?.length ?? batch.rowCount
      synchronously(part.writer.write({ columnData, rowGroupSize: Math.max(1, count) }))
      part.stats?.add(values, count)
      part.rows += count
    }
  }

  /** The batch's rows grouped by partition folder; `undefined` rows mean all of them. */
  private rowsByPartition(batch: Table): Map<string, number[] | undefined> {
    if (this.partitionColumns.length === 0) return new Map([['', undefined]])
    const groups = new Map<string, number[]>()
    for (let r = 0; r < batch.rowCount; r++) {
      const folder = this.partitionColumns
        .map(
          (c) =>
            `${escapePathName(this.columns[c].name)}=${escapePathName(partitionValueText(batch.values[c][r], this.columns[c].sparkType))}`,
        )
        .join('/')
      const rows = groups.get(folder)
      if (rows) rows.push(r)
      else groups.set(folder, [r])
    }
    return groups
  }

  /** The open part file of a partition folder, starting a new one when it is full or was closed. */
  private partFile(folder: string, partitionValues: readonly Cell[]): PartFile {
    let part = this.open.get(folder)
    if (part && part.rows >= (this.options.rowsPerFile ?? 1_000_000)) {
      this.close(folder)
      part = undefined
    }
    if (part) {
      // Most recently used last, so that the first entry is the one to close when too many are open.
      this.open.delete(folder)
      this.open.set(folder, part)
      return part
    }
    const leastRecent = this.open.keys().next()
    if (this.open.size >= MAX_OPEN_PARTITIONS && !leastRecent.done) this.close(leastRecent.value)
    const name = path.posix.join(folder, `part-${String(this.files.length).padStart(5, '0')}-${this.uuid}-c000.snappy.parquet`)
    mkdirSync(path.join(this.staged.path, folder), { recursive: true })
    part = {
      name,
      writer: new ParquetWriter({
        writer: fileWriter(path.join(this.staged.path, name)),
        schema: this.schema,
        codec: 'SNAPPY',
        createdBy: 'spark-synth',
      }),
      partitionValues,
      stats: this.options.format === 'delta' ? new DeltaFileStats(this.dataColumns.map((c) => this.columns[c])) : undefined,
      rows: 0,
    }
    this.files.push(part)
    this.open.set(folder, part)
    return part
  }

  private close(folder: string): void {
    const part = this.open.get(folder)
    if (part) synchronously(part.writer.finish())
    this.open.delete(folder)
  }

  /** Closes the part files, marks the table complete, and moves the folder into place; returns the part files' paths. */
  async commit(): Promise<string[]> {
    const delta = this.options.format === 'delta'
    // Spark writes one empty part file for an empty table; a Delta log simply adds no file.
    if (this.files.length === 0 && !delta) this.partFile('', [])
    for (const folder of [...this.open.keys()]) this.close(folder)
    if (delta) {
      await writeDeltaLog(
        this.staged.path,
        this.columns,
        this.files.map((part) => {
          if (!part.stats) throw new Error(`The part file ${part.name} of a Delta table has no statistics`)
          return { path: part.name, partitionValues: part.partitionValues, stats: part.stats }
        }),
      )
    } else {
      await writeFile(path.join(this.staged.path, '_SUCCESS'), '')
    }
    await this.staged.commit()
    return this.files.map((part) => part.name)
  }

  /** Drops everything written so far. */
  async abort(): Promise<void> {
    this.open.clear()
    await this.staged.abort()
  }
}
