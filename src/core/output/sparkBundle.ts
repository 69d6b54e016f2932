/**
 * `spark-synth export-spark`: a folder holding everything a Spark cluster needs to generate synthetic
 * rows from a model: `model/` (model.json + weights.bin), `spark_synth.zip` (the Python sampler) and
 * `generate_synthetic.py` (the job, for spark-submit).
 */
import { copyFile, readFile, readdir, writeFile } from 'node:fs/promises'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateRawSync } from 'node:zlib'
import modelSchema from '../../../schemas/model.schema.json' with { type: 'json' }
import metadataSchema from '../../../schemas/synth-meta.schema.json' with { type: 'json' }
import { sparkJobScript } from '../codegen/sparkJobScript.ts'
import { SparkSynthError } from '../errors.ts'
import { StagedFolder } from '../io/staging.ts'
import type { MetadataDocument } from '../meta/document.ts'
import { readModelSummary } from '../model/modelFolder.ts'

export const BUNDLE_MODEL = 'model'
export const BUNDLE_ZIP = 'spark_synth.zip'
export const BUNDLE_SCRIPT = 'generate_synthetic.py'
const MODEL_FILES = ['model.json', 'weights.bin'] as const

/** How a user runs a bundle written at `folder` (the options in brackets are optional). */
export function sparkSubmitUsage(folder: string): string {
  return `spark-submit ${path.join(folder, BUNDLE_SCRIPT)} --rows N --output PATH [--partitions P] [--format parquet|delta] [--seed S] [--where COLUMN=VALUE]… [--overwrite]`
}
// The tests' local session helper: the sampler does not need it (and it imports delta-spark).
const NOT_SHIPPED = new Set(['session.py'])

// Bundles define `import.meta.url` as undefined and have `__dirname`; sources (ESM) the reverse.
const here = import.meta.url ? path.dirname(fileURLToPath(import.meta.url)) : __dirname

/**
 * The Python package's folder: `python/spark_synth/` beside `dist/` (the built CLI, the packaged
 * extension) or three levels above this source file (running from sources).
 */
export function pythonPackageFolder(): string {
  return import.meta.url ? path.resolve(here, '..', '..', '..', 'python', 'spark_synth') : path.resolve(here, '..', 'python', 'spark_synth')
}

export interface ExportSparkOptions {
  readonly model: string
  readonly output: string
  readonly overwrite?: boolean
  /** Where the Python package's modules are (default: `pythonPackageFolder()`). */
  readonly packageFolder?: string
}

/** Writes the bundle folder, staged and renamed when complete; returns the number of Python modules zipped. */
export async function exportSparkBundle(options: ExportSparkOptions): Promise<{ modules: string[] }> {
  await readModelSummary(options.model) // checks the manifest: format, version, schema, digest
  const manifest = JSON.parse(await readFile(path.join(options.model, 'model.json'), 'utf8')) as { metadata: MetadataDocument }
  const packageFolder = options.packageFolder ?? pythonPackageFolder()
  const modules = (await readdir(packageFolder).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.py') && !NOT_SHIPPED.has(name))
    .sort()
  if (!modules.includes('sampler.py')) {
    throw new SparkSynthError('the Python sampler (spark_synth/*.py) is missing from this installation', 'Reinstall Spark Synth', {
      file: packageFolder,
    })
  }
  const staged = await StagedFolder.open(options.output, {
    overwrite: options.overwrite,
    hint: 'Choose another output folder, or pass --overwrite',
    purpose: `exporting a Spark job from ${options.model}`,
  })
  try {
    await mkdir(path.join(staged.path, BUNDLE_MODEL))
    for (const file of MODEL_FILES) await copyFile(path.join(options.model, file), path.join(staged.path, BUNDLE_MODEL, file))
    const entries = await Promise.all(
      modules.map(async (name) => ({ name: `spark_synth/${name}`, data: await readFile(path.join(packageFolder, name)) })),
    )
    // The sampler validates model.json against these on the executors (spark_synth/json_schema.py).
    for (const schema of [modelSchema, metadataSchema]) {
      entries.push({ name: `spark_synth/schemas/${path.posix.basename(schema.$id)}`, data: Buffer.from(JSON.stringify(schema, null, 2)) })
    }
    await writeFile(path.join(staged.path, BUNDLE_ZIP), zipArchive(entries))
    await writeFile(path.join(staged.path, BUNDLE_SCRIPT), sparkJobScript(manifest.metadata))
    await staged.commit()
  } catch (error) {
    await staged.abort()
    throw error
  }
  return { modules }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** A zip archive (deflated entries, a fixed 1980-01-01 time so that the same files give the same bytes). */
export function zipArchive(entries: readonly { readonly name: string; readonly data: Uint8Array }[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  const DOS_DATE = (0 << 9) | (1 << 5) | 1 // 1980-01-01
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8')
    const compressed = deflateRawSync(data)
    const crc = crc32(data)
    // Local and central headers share these fields, in this order, from "version needed" to the name's length.
    const writeEntryFields = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at)
      header.writeUInt16LE(0x0800, at + 2) // UTF-8 names
      header.writeUInt16LE(8, at + 4) // deflate
      header.writeUInt16LE(0, at + 6)
      header.writeUInt16LE(DOS_DATE, at + 8)
      header.writeUInt32LE(crc, at + 10)
      header.writeUInt32LE(compressed.length, at + 14)
      header.writeUInt32LE(data.length, at + 18)
      header.writeUInt16LE(nameBytes.length, at + 22)
    }
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    writeEntryFields(local, 4)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(0x0314, 4) // made by: Unix, 2.0
    writeEntryFields(central, 6)
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, compressed)
    centrals.push(central, nameBytes)
    offset += local.length + nameBytes.length + compressed.length
  }
  const centralSize = centrals.reduce((sum, b) => sum + b.length, 0)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(centralSize, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, ...centrals, end])
}
