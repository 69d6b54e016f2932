import { randomUUID } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { SchemaElement } from 'hyparquet'
import { ParquetWriter } from 'hyparquet-writer'
import { fileWriter } from 'hyparquet-writer/src/node.js'
import { SparkSynthError } from '../errors.ts'
import type { Cell, SourceColumn, Table } from './table.ts'

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

export interface SparkFolderOptions {
  /** Replace an existing output (otherwise an existing output is an error). */
  readonly overwrite?: boolean
  /** A part file is closed after this many rows (Spark sizes files by task; a million rows is tens of MB). */
  readonly rowsPerFile?: number
}

/** Removes temporary folders left beside `folder` by runs that were killed (their process is gone). */
async function removeStaleTemporaries(folder: string): Promise<void> {
  const prefix = `${path.basename(folder)}.`
  for (const name of await readdir(path.dirname(folder)).catch(() => [] as string[])) {
    const pid = Number(/^(\d+)\.tmp$/.exec(name.slice(prefix.length))?.[1])
    if (!name.startsWith(prefix) || !pid || pid === process.pid) continue
    const alive = (() => {
      try {
        process.kill(pid, 0)
        return true
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM'
      }
    })()
    if (!alive) await rm(path.join(path.dirname(folder), name), { recursive: true, force: true })
  }
}

/**
 * A Spark output folder written as rows arrive: each batch becomes a row group, part files
 * are named as Spark names them, `_SUCCESS` is written last, and everything goes to a temporary
 * folder beside the target that is renamed into place only on `commit`.
 */
export class SparkFolderWriter {
  private writer: ParquetWriter | undefined
  private rowsInFile = 0
  private readonly files: string[] = []
  private readonly uuid = randomUUID()
  private readonly schema: SchemaElement[]

  private constructor(
    private readonly folder: string,
    private readonly temporary: string,
    private readonly columns: readonly SourceColumn[],
    private readonly options: SparkFolderOptions,
  ) {
    this.schema = [{ name: 'spark_schema', num_children: columns.length }, ...columns.map((c) => parquetElement(c.name, c.sparkType, c.nullable))]
  }

  static async open(target: string, columns: readonly SourceColumn[], options: SparkFolderOptions = {}): Promise<SparkFolderWriter> {
    const folder = path.resolve(target)
    await removeStaleTemporaries(folder)
    if (!options.overwrite && (await stat(folder).then(() => true, () => false))) {
      throw new SparkSynthError('the output already exists', 'Choose another output path, or pass --overwrite to replace it', { file: folder })
    }
    const temporary = `${folder}.${process.pid}.tmp`
    await rm(temporary, { recursive: true, force: true })
    await mkdir(temporary, { recursive: true })
    return new SparkFolderWriter(folder, temporary, columns, options)
  }

  /** Appends a batch of rows (its columns in the order given to `open`) as one row group. */
  write(batch: Table): void {
    if (!this.writer || this.rowsInFile >= (this.options.rowsPerFile ?? 1_000_000)) this.startFile()
    const columnData = this.columns.map((column, c) => ({ name: column.name, data: writerValues(batch.values[c], this.schema[c + 1]) }))
    this.writer!.write({ columnData: columnData as never, rowGroupSize: Math.max(1, batch.rowCount) })
    this.rowsInFile += batch.rowCount
  }

  private startFile(): void {
    this.writer?.finish()
    const name = `part-${String(this.files.length).padStart(5, '0')}-${this.uuid}-c000.snappy.parquet`
    this.files.push(name)
    this.writer = new ParquetWriter({ writer: fileWriter(path.join(this.temporary, name)), schema: this.schema, codec: 'SNAPPY', createdBy: 'spark-synth' })
    this.rowsInFile = 0
  }

  /** Closes the last part file, writes `_SUCCESS`, and moves the folder into place. */
  async commit(): Promise<string[]> {
    if (!this.writer) this.startFile()
    this.writer!.finish()
    await writeFile(path.join(this.temporary, '_SUCCESS'), '')
    await rm(this.folder, { recursive: true, force: true })
    await rename(this.temporary, this.folder)
    return this.files
  }

  /** Drops everything written so far. */
  async abort(): Promise<void> {
    await rm(this.temporary, { recursive: true, force: true })
  }
}
