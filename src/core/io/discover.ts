import { open, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { SparkSynthError } from '../errors.ts'
import { parsePartitionSegment, type PartitionSegment } from './partitions.ts'

import type { DataFormat } from './tableSource.ts'

/** One data file of a dataset, with the partition values its folders carry. */
export interface DataFile {
  readonly path: string
  /** Path relative to the dataset root, with `/` separators. */
  readonly relativePath: string
  readonly format: DataFormat
  readonly partitions: readonly PartitionSegment[]
}

const EXTENSION_FORMATS: Partial<Record<string, DataFormat>> = {
  '.parquet': 'parquet',
  '.parq': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.csv': 'csv',
}

/**
 * Files Spark and Hadoop write beside the data (`_SUCCESS`, `_committed_*`, `_started_*`,
 * `_temporary/`, `_delta_log/`, `.crc` checksums, `.part-….crc`) and hidden files: never data.
 */
function isSideFile(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.') || name.endsWith('.crc')
}

/** The format of a file from its extension, or from its magic bytes for Hive's extensionless part files. */
async function detectFormat(file: string): Promise<DataFormat | undefined> {
  const byExtension = EXTENSION_FORMATS[path.extname(file).toLowerCase()]
  if (byExtension) return byExtension
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(6)
    const { bytesRead } = await handle.read(head, 0, 6, 0)
    const text = head.subarray(0, bytesRead).toString('latin1')
    // PARE starts an encrypted Parquet file: claimed here so that the Parquet reader can say so.
    if (text.startsWith('PAR1') || text.startsWith('PARE')) return 'parquet'
    if (text === 'ARROW1') return 'arrow'
    return undefined
  } finally {
    await handle.close()
  }
}

/**
 * The data files of an input: the file itself, or every part file below a Spark output
 * folder, in a stable order, with hive partitions (`key=value/`) parsed from their folders.
 */
export async function discoverDataFiles(input: string): Promise<DataFile[]> {
  const root = path.resolve(input)
  const info = await stat(root).catch(() => undefined)
  if (!info) {
    throw new SparkSynthError('no such file or folder', 'Check the path, or pick a Parquet/Arrow file or a Spark output folder', {
      file: input,
    })
  }
  if (info.isFile()) {
    const format = await detectFormat(root)
    if (!format) {
      throw new SparkSynthError(
        'not a Parquet, Arrow or CSV file (unknown extension and no PAR1/ARROW1 magic bytes)',
        'Pick a .parquet, .arrow, .feather, .ipc or .csv file, or a Spark output folder',
        { file: input },
      )
    }
    return [{ path: root, relativePath: path.basename(root), format, partitions: [] }]
  }

  const files: DataFile[] = []
  await walk(root, root, [], files)
  if (files.length === 0) {
    const entries = await readdir(root)
    const problem =
      entries.length === 0
        ? 'the folder is empty'
        : 'the folder holds no data files (no .parquet, .arrow, .feather, .ipc or .csv part files below it)'
    throw new SparkSynthError(problem, 'Pick a folder that Spark wrote with df.write.parquet(...), or a single data file', { file: input })
  }
  const formats = new Set(files.map((f) => f.format))
  if (formats.size > 1) {
    throw new SparkSynthError(
      `the folder mixes data formats (${[...formats].join(', ')})`,
      'Point at a folder that holds one table in one format',
      { file: input },
    )
  }
  return files
}

async function walk(root: string, folder: string, partitions: PartitionSegment[], out: DataFile[]): Promise<void> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    if (isSideFile(entry.name)) continue
    const full = path.join(folder, entry.name)
    if (entry.isDirectory()) {
      const segment = parsePartitionSegment(entry.name)
      await walk(root, full, segment ? [...partitions, segment] : partitions, out)
    } else if (entry.isFile()) {
      const format = await detectFormat(full)
      const relativePath = path.relative(root, full).split(path.sep).join('/')
      if (format) out.push({ path: full, relativePath, format, partitions })
    }
  }
}
