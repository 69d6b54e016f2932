// Generating on Spark: the export-spark bundle of an Adult model on local[1] and local[2], beside the
// local TypeScript sampler (`spark-synth sample`) generating as many rows in the same run.
// Run by bench/run.ts; prints markdown. Nothing is asserted.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import path from 'node:path'
import { ensurePythonEnv, pythonEnvironment } from '../scripts/python-env.mjs'
import { formatCount } from '../src/core/formatCount.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const CLI = path.join(ROOT, 'dist', 'cli.cjs')
const ROWS = 1_000_000
const GOAL_PER_CORE = 50_000

interface SparkRun {
  rows: number
  cores: number
  seconds: number
  peakTaskMb: number
  bytes: number
}

const scratch = mkdtempSync(path.join(tmpdir(), 'spark-synth-bench-spark-'))
const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: 'pipe' })
const figure = (value: number) => formatCount(Math.round(value))
try {
  const model = path.join(scratch, 'model')
  const bundle = path.join(scratch, 'bundle')
  // One epoch: the speed of a draw depends on the network's shape, not on how long it trained.
  cli('train', path.join(ROOT, 'examples', 'adult'), '-o', model, '--epochs', '1')
  cli('export-spark', model, '-o', bundle)

  const localStarted = performance.now()
  cli('sample', model, '-n', String(ROWS), '-o', path.join(scratch, 'local'), '--no-report')
  const localSeconds = (performance.now() - localStarted) / 1000

  const python = ensurePythonEnv()
  const specs = [`200000:1`, `${ROWS}:1`, `${3 * ROWS}:1`, `${ROWS}:2`]
  const output = execFileSync(python, [path.join(ROOT, 'bench', 'spark_job.py'), bundle, scratch, ...specs], {
    cwd: ROOT,
    env: pythonEnvironment(python),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const runs = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as SparkRun)
  const find = (rows: number, cores: number) => {
    const run = runs.find((r) => r.rows === rows && r.cores === cores)
    if (!run) throw new Error(`the Spark job reported no run of ${rows} rows on ${cores} cores`)
    return run
  }
  const one = find(ROWS, 1)
  const two = find(ROWS, 2)
  const perCoreOne = ROWS / one.seconds
  const perCoreTwo = ROWS / two.seconds / 2
  const scaling = one.seconds / two.seconds / 2

  console.log(`## Generating on Spark (Adult model, ${figure(ROWS)} rows written as Parquet; ${cpus().length} cores here)\n`)
  console.log(
    `- local TypeScript sampler (\`spark-synth sample\`, worker threads on every core): ${localSeconds.toFixed(1)} s, ${figure(ROWS / localSeconds)} rows/s`,
  )
  console.log(`- Spark job, local[1], 1 partition: ${one.seconds.toFixed(1)} s, ${figure(ROWS / one.seconds)} rows/s`)
  console.log(
    `- Spark job, local[2], 2 partitions: ${two.seconds.toFixed(1)} s, ${figure(ROWS / two.seconds)} rows/s (${(localSeconds / two.seconds).toFixed(2)}× the local sampler on the same cores)`,
  )
  console.log(
    `- per executor core: ${figure(perCoreOne)} rows/s on local[1], ${figure(perCoreTwo)} on local[2]; goal ≥ ${figure(GOAL_PER_CORE)} → ${Math.min(perCoreOne, perCoreTwo) >= GOAL_PER_CORE ? 'met' : 'missed'}`,
  )
  console.log(
    `- scaling from one core to two: ${scaling.toFixed(2)} (time on one core / (2 × time on two)); goal ≥ 0.8 → ${scaling >= 0.8 ? 'met' : 'missed'}`,
  )
  const memory = [200_000, ROWS, 3 * ROWS].map((rows) => `${figure(rows)} rows ${find(rows, 1).peakTaskMb.toFixed(0)} MB`)
  console.log(`- memory per task (largest Python worker's resident set, local[1]): ${memory.join(', ')}`)
  const bytesPerRow = two.bytes / ROWS
  const projected = perCoreTwo * 100 * Math.min(1, scaling)
  console.log(
    `- 100 executor cores, projected: ${figure(projected)} rows/s, a billion rows in ${(1e9 / projected / 60).toFixed(1)} min, writing ` +
      `${((projected * bytesPerRow) / 1e6).toFixed(0)} MB/s (${bytesPerRow.toFixed(1)} bytes a row as Parquet). Evidence: each task draws its ` +
      `own rows from its own seed and writes its own files, with no shuffle and nothing shared but the model (shipped once per executor), ` +
      `so the rate per core measured here holds on each executor until the storage's write bandwidth is reached.`,
  )
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
