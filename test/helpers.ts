import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after } from 'node:test'
import { promisify } from 'node:util'
import { tableFromIPC, type Table as ArrowTable } from 'apache-arrow'
import { readParquet } from 'parquet-wasm/node'

export const ROOT = path.resolve(import.meta.dirname, '..')
export const SHARED_DATA = path.resolve(ROOT, '..', 'shared', 'data')
export const SPARK_TABLES = path.join(SHARED_DATA, 'spark')
export const INTEROP_FILES = path.join(SHARED_DATA, 'parquet')
export const ADULT_CSV = path.join(SHARED_DATA, 'adult.csv')
export const EXAMPLE_ADULT = path.join(ROOT, 'examples', 'adult')
export const CLI = path.join(ROOT, 'dist', 'cli.cjs')
/** What a synthetic output folder holds (with a quality report), sorted: as a user lists it. */
export const OUTPUT_FOLDER_ENTRIES = ['data', 'quality-report.html', 'quality-report.json', 'reload_synthetic.py', 'take_sample.py']

/** Runs the built CLI (`npm run build` first) as a user would; resolves with its exit code and output. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: ROOT })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

/** A fresh temporary folder, removed when the test file ends. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'spark-synth-test-'))
  after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** Every file below a folder, recursively. */
export async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}

/** The Parquet part files of a Spark folder, as Spark would pick them. */
export async function partFiles(folder: string): Promise<string[]> {
  return (await listFiles(folder)).filter((f) => f.endsWith('.parquet'))
}

/** Reads a whole Parquet file with a second, independent engine (Rust parquet via wasm). */
export async function readWithParquetWasm(file: string): Promise<ArrowTable> {
  return tableFromIPC(readParquet(await readFile(file)).intoIPCStream())
}

/** A digest of every byte below a path, to prove sources are never modified. */
export async function digestOf(target: string): Promise<string> {
  const hash = createHash('sha256')
  const files = (await readdir(target, { withFileTypes: true }).catch(() => undefined)) ? await listFiles(target) : [target]
  for (const file of files) hash.update(file).update(await readFile(file))
  return hash.digest('hex')
}

/** `value`, failing the test with a message naming `what` when it is missing (instead of a non-null assertion). */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) assert.fail(`${what} is missing`)
  return value
}
