/**
 * The Kills part of `npm run fuzz`: training and generating runs, through the CLI and through the
 * worker process the editor starts, killed with SIGKILL at a random moment of their life. After each
 * kill the target must be absent or whole (a model that loads, an output whose data reads with every
 * row), never half-written; after the last, one more run must leave nothing beside the target. Then
 * pairs of runs (a worker, as an editor window starts it, and the CLI) train into the same model
 * folder at once: one wins, the other is told, and the folder holds one whole model.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SparkSynthError } from '../../src/core/errors.ts'
import { sampleDataset } from '../../src/core/io/dataset.ts'
import { loadModel } from '../../src/core/model/modelFolder.ts'
import { loadTensorFlow, type LoadedTensorFlow } from '../../src/core/model/tensorflow.ts'
import { RELOAD_SNIPPET, SYNTHETIC_DATA, TAKE_SAMPLE_SNIPPET } from '../../src/core/output/layout.ts'
import { Random } from '../../src/core/random.ts'
import { runInWorker } from '../../src/host/workerClient.ts'
import type { HostToWorker } from '../../src/protocol/worker.ts'
import { scaled } from './mutant.ts'
import type { FuzzPart, FuzzRow } from './part.ts'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
const CLI = path.join(ROOT, 'dist', 'cli.cjs')
const WORKER = path.join(ROOT, 'dist', 'worker.cjs')
const INPUT = path.join(ROOT, 'examples', 'adult')
const RUNS_PER_CASE = 50
const RACES = 10
/** Small enough that a run takes seconds, large enough that it has phases to be killed in. */
const TRAIN = { rows: 2000, epochs: 2 }
/** Two batches, so that a kill can fall between the writes of part files. */
const GENERATE_ROWS = 150_000
const MAX_EXAMPLES = 3

/** One run that can be killed: started, it resolves when it ends, with its exit and what it printed. */
interface Started {
  readonly pid: number
  readonly ended: Promise<{ readonly ok: boolean; readonly said: string }>
}

type Front = 'CLI' | 'worker'
type Work = 'train' | 'generate'

interface Setup {
  readonly dir: string
  /** A model for the generating runs to sample. */
  readonly model: string
}

function startCli(args: readonly string[]): Started {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  let said = ''
  child.stderr.on('data', (chunk: Buffer) => (said = (said + chunk.toString()).slice(-4000)))
  const ended = new Promise<{ ok: boolean; said: string }>((resolve) =>
    child.on('exit', (code) => {
      resolve({ ok: code === 0, said })
    }),
  )
  if (child.pid === undefined) throw new Error(`could not start ${CLI}`)
  return { pid: child.pid, ended }
}

function startWorker(job: HostToWorker): Started {
  const run = runInWorker(WORKER, job)
  if (run.pid === undefined) throw new Error(`could not start ${WORKER}`)
  const ended = run.result.then(
    () => ({ ok: true, said: '' }),
    (error: unknown) => ({ ok: false, said: error instanceof Error ? error.message : String(error) }),
  )
  return { pid: run.pid, ended }
}

function start(front: Front, work: Work, target: string, setup: Setup): Started {
  if (work === 'train') {
    return front === 'CLI'
      ? startCli(['train', INPUT, '-o', target, '--rows', String(TRAIN.rows), '--epochs', String(TRAIN.epochs)])
      : startWorker({ type: 'train', input: INPUT, output: target, ...TRAIN, backend: 'auto' })
  }
  return front === 'CLI'
    ? startCli(['sample', setup.model, '-n', String(GENERATE_ROWS), '-o', target, '--overwrite', '--no-report'])
    : startWorker({
        type: 'generate',
        model: setup.model,
        rows: GENERATE_ROWS,
        output: target,
        seed: 1,
        overwrite: true,
        backend: 'auto',
        report: false,
      })
}

/** Whether `target` is absent or whole: a model that loads, or an output whose data holds every row. */
async function absentOrWhole(work: Work, target: string, tf: LoadedTensorFlow): Promise<boolean> {
  if (!existsSync(target)) return true
  try {
    if (work === 'train') {
      ;(await loadModel(tf.tf, target)).synthesizer.dispose()
      return true
    }
    const entries = await readdir(target)
    if (!(entries.includes(RELOAD_SNIPPET) && entries.includes(TAKE_SAMPLE_SNIPPET))) return false
    const data = path.join(target, SYNTHETIC_DATA)
    return existsSync(path.join(data, '_SUCCESS')) && (await sampleDataset(data, { rows: 1 })).summary.rowCount === GENERATE_ROWS
  } catch (error) {
    if (error instanceof SparkSynthError) return false
    throw error
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function killRuns(front: Front, work: Work, runs: number, random: Random, setup: Setup, tf: LoadedTensorFlow): Promise<FuzzRow> {
  const folder = await mkdtemp(path.join(setup.dir, `${front}-${work}-`))
  const target = path.join(folder, work === 'train' ? 'model' : 'synthetic')
  // A clean run first: the killed ones replace it, and its length sets the window the kills fall in.
  const started = performance.now()
  const clean = await start(front, work, target, setup).ended
  if (!clean.ok) throw new Error(`a clean ${work} run through the ${front} failed: ${clean.said}`)
  const window = performance.now() - started
  const outcomes = { killed: 0, 'ended before the kill': 0, 'target half-written': 0, 'remains after the next run': 0 }
  const examples: string[] = []
  for (let i = 0; i < runs; i++) {
    const run = start(front, work, target, setup)
    const delay = random.next() * window * 1.1
    const finished = await Promise.race([run.ended.then(() => true), sleep(delay).then(() => false)])
    if (finished) outcomes['ended before the kill']++
    else {
      process.kill(run.pid, 'SIGKILL')
      outcomes.killed++
    }
    await run.ended
    if (!(await absentOrWhole(work, target, tf))) {
      outcomes['target half-written']++
      if (examples.length < MAX_EXAMPLES)
        examples.push(`${front} ${work}, killed after ${delay.toFixed(0)} ms: ${(await readdir(target)).join(', ')}`)
    }
  }
  const last = await start(front, work, target, setup).ended
  const remains = (await readdir(folder)).filter((name) => name !== path.basename(target))
  if (!last.ok || remains.length > 0) {
    outcomes['remains after the next run'] = remains.length || 1
    examples.push(`after the next run (${last.ok ? 'ok' : last.said}): ${remains.join(', ')}`)
  }
  return {
    part: 'kills',
    case: `${work} through the ${front}, SIGKILL within ${(window / 1000).toFixed(1)} s of the start`,
    tried: runs,
    outcomes,
    mustBeZero: ['target half-written', 'remains after the next run'],
    examples,
  }
}

/** A worker (an editor window) and the CLI train into one model folder, the second starting up to 300 ms after the first. */
async function races(count: number, random: Random, setup: Setup, tf: LoadedTensorFlow): Promise<FuzzRow> {
  const outcomes = {
    'one won, the other was told': 0,
    'one after the other': 0,
    'both wrote': 0,
    'not told clearly': 0,
    'model not whole': 0,
  }
  const examples: string[] = []
  for (let i = 0; i < count; i++) {
    const folder = await mkdtemp(path.join(setup.dir, 'race-'))
    const target = path.join(folder, 'model')
    const fronts: Front[] = random.int(2) === 0 ? ['worker', 'CLI'] : ['CLI', 'worker']
    const first = start(fronts[0], 'train', target, setup)
    const firstEnded = first.ended.then((result) => ({ ...result, at: performance.now() }))
    await sleep(random.int(300))
    const secondStarted = performance.now()
    const second = await start(fronts[1], 'train', target, setup).ended
    const firstResult = await firstEnded
    const results = [firstResult, second]
    const won = results.filter((result) => result.ok).length
    const loser = results.find((result) => !result.ok)
    let outcome: keyof typeof outcomes
    if (won === 2) outcome = firstResult.at < secondStarted ? 'one after the other' : 'both wrote'
    else if (won === 1 && loser?.said.includes('another run is writing here: training on')) outcome = 'one won, the other was told'
    else outcome = 'not told clearly'
    if (!(await absentOrWhole('train', target, tf)) || !existsSync(target)) outcome = 'model not whole'
    outcomes[outcome]++
    if (outcome !== 'one won, the other was told' && outcome !== 'one after the other' && examples.length < MAX_EXAMPLES) {
      examples.push(`${fronts.join(' then ')}: ${outcome}; ${results.map((result) => result.said.trim().split('\n').at(-1)).join(' | ')}`)
    }
  }
  return {
    part: 'kills',
    case: 'two runs train into one model folder at once (a worker, as an editor window starts it, and the CLI)',
    tried: count,
    outcomes,
    mustBeZero: ['both wrote', 'not told clearly', 'model not whole'],
    examples,
  }
}

export const killsPart: FuzzPart = async ({ seed, scale, only }) => {
  for (const built of [CLI, WORKER]) if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`)
  const random = new Random(seed)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'spark-synth-kills-'))
  const tf = await loadTensorFlow('auto')
  try {
    const model = path.join(dir, 'model')
    const trained = await start('CLI', 'train', model, { dir, model }).ended
    if (!trained.ok) throw new Error(`training the model to sample failed: ${trained.said}`)
    const setup = { dir, model }
    const rows: FuzzRow[] = []
    for (const work of ['train', 'generate'] as const) {
      for (const front of ['CLI', 'worker'] as const) {
        if (only === undefined || `${work} through the ${front}`.includes(only))
          rows.push(await killRuns(front, work, scaled(RUNS_PER_CASE, scale), random, setup, tf))
      }
    }
    if (only === undefined || 'two runs'.includes(only)) rows.push(await races(scaled(RACES, scale), random, setup, tf))
    return rows
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
