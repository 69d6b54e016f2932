/**
 * The Messages part of `npm run fuzz`: generated messages for each direction of the host ↔ worker
 * and host ↔ webview protocols, judged by the fuzzer's own reading of the protocols
 * (`messageRules.ts`) against the checks the product runs; then a sample of the invalid host → worker
 * messages sent to the real worker process, which must refuse each and exit cleanly.
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Random } from '../../src/core/random.ts'
import { runInWorker, WorkerError } from '../../src/host/workerClient.ts'
import { isHostToWebview, isWebviewToHost } from '../../src/protocol/webview.ts'
import { isHostToWorker, isWorkerToHost, readHostToWorker } from '../../src/protocol/worker.ts'
import { HOST_TO_WEBVIEW, HOST_TO_WORKER, WEBVIEW_TO_HOST, WORKER_TO_HOST } from './messageExamples.ts'
import { generateMessage } from './messageMutations.ts'
import {
  hostToWebviewAllowed,
  hostToWorkerAllowed,
  isRecord,
  webviewToHostAllowed,
  workerToHostAllowed,
  type Rule,
} from './messageRules.ts'
import type { FuzzOptions, FuzzPart, FuzzRow } from './part.ts'
import { workerAnswers } from './workerAnswers.ts'
import { formatCount } from '../../src/core/formatCount.ts'

const PART = 'messages'
const MESSAGES_PER_DIRECTION = 10_000
const WORKER_PROCESSES = 200
/** A worker that has not answered by then counts as hung. */
const WORKER_TIMEOUT_MS = 30_000
const WORKER = path.resolve(import.meta.dirname, '..', '..', 'dist', 'worker.cjs')
const MAX_EXAMPLES = 3
/** Sent through one channel: fewer than the validator's, as about one in ten carries a megabyte string. */
const RECEIVER_MESSAGES = 1_000
const STAND_IN_WORKER = path.join(import.meta.dirname, 'standInWorker.ts')

/** A message for a report line: NaN, ±Infinity, -0 and undefined as themselves, long strings by their length, arrays with their named keys. */
export function describeMessage(message: unknown): string {
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (Object.is(value, -0)) return '-0'
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
    if (value === undefined) return 'undefined'
    if (typeof value === 'string' && value.length > 40) return `<${formatCount(value.length)} characters>`
    if (!Array.isArray(value)) return value
    // JSON would show an array carrying named keys as its items alone.
    const named = Object.entries(value as object).filter(([key]) => !/^\d+$/.test(key))
    return named.length ? { 'array with keys': Object.fromEntries(named) } : value
  }) as string | undefined
  return (json ?? 'undefined').slice(0, 300)
}

function counter<Outcome extends string>(outcomes: readonly Outcome[]) {
  const counts = Object.fromEntries(outcomes.map((outcome) => [outcome, 0])) as Record<Outcome, number>
  const examples: string[] = []
  return {
    counts,
    examples,
    add(outcome: Outcome, message: unknown, mustBeZero: readonly Outcome[]) {
      counts[outcome]++
      if (mustBeZero.includes(outcome) && examples.length < MAX_EXAMPLES) examples.push(`${outcome}: ${describeMessage(message)}`)
    },
  }
}

const VALIDATOR_OUTCOMES = ['accepted', 'refused', 'accepted, not allowed', 'allowed, refused', 'threw'] as const
type ValidatorOutcome = (typeof VALIDATOR_OUTCOMES)[number]
const VALIDATOR_MUST_BE_ZERO: readonly ValidatorOutcome[] = ['accepted, not allowed', 'allowed, refused', 'threw']

interface Direction {
  readonly name: string
  readonly valid: readonly unknown[]
  readonly allowed: Rule
  /** The product's check, true when it accepts the message. */
  readonly accepts: Rule
}

/** Both of the worker's entry points must agree: the guard and the reader that says why. */
const workerAccepts: Rule = (message) => {
  const read = readHostToWorker(message)
  const accepted = isHostToWorker(message)
  if (accepted !== 'message' in read) throw new Error('isHostToWorker and readHostToWorker disagree')
  if ('refused' in read && !read.refused) throw new Error('a refusal without a reason')
  return accepted
}

const DIRECTIONS: readonly Direction[] = [
  { name: 'host → worker', valid: HOST_TO_WORKER, allowed: hostToWorkerAllowed, accepts: workerAccepts },
  { name: 'worker → host', valid: WORKER_TO_HOST, allowed: workerToHostAllowed, accepts: isWorkerToHost },
  { name: 'webview → host', valid: WEBVIEW_TO_HOST, allowed: webviewToHostAllowed, accepts: isWebviewToHost },
  { name: 'host → webview', valid: HOST_TO_WEBVIEW, allowed: hostToWebviewAllowed, accepts: isHostToWebview },
]

function validatorRow(direction: Direction, options: FuzzOptions, count: number): FuzzRow {
  const random = new Random(options.seed)
  const tally = counter(VALIDATOR_OUTCOMES)
  for (let i = 0; i < count; i++) {
    const message = generateMessage(random, direction.valid)
    const allowed = direction.allowed(message)
    let outcome: ValidatorOutcome
    try {
      const accepted = direction.accepts(message)
      outcome = accepted === allowed ? (accepted ? 'accepted' : 'refused') : accepted ? 'accepted, not allowed' : 'allowed, refused'
    } catch {
      outcome = 'threw'
    }
    tally.add(outcome, message, VALIDATOR_MUST_BE_ZERO)
  }
  return {
    part: PART,
    case: `${direction.name}: the check (generated messages)`,
    tried: count,
    outcomes: tally.counts,
    mustBeZero: VALIDATOR_MUST_BE_ZERO,
    examples: tally.examples,
  }
}

const WORKER_OUTCOMES = ['refused, exited cleanly', 'ran a job', 'crashed', 'hung', 'answer outside the protocol', 'no refusal'] as const
type WorkerOutcome = (typeof WORKER_OUTCOMES)[number]
const WORKER_MUST_BE_ZERO = WORKER_OUTCOMES.slice(1)

/** Invalid host → worker messages as the channel delivers them (JSON: NaN becomes null, undefined goes). */
function invalidWorkerMessages(options: FuzzOptions, count: number): unknown[] {
  const random = new Random(options.seed + 1)
  const found: unknown[] = []
  while (found.length < count) {
    const json = JSON.stringify(generateMessage(random, HOST_TO_WORKER)) as string | undefined
    if (json === undefined) continue
    const delivered: unknown = JSON.parse(json)
    if (!hostToWorkerAllowed(delivered)) found.push(delivered)
  }
  return found
}

/** Sends one message to a fresh worker process and tells what became of it. */
function sendToWorker(message: unknown): Promise<WorkerOutcome> {
  // As the extension host starts it: without this process's loader.
  const child = fork(WORKER, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json', execArgv: [] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const replies: unknown[] = []
  child.on('message', (reply: unknown) => replies.push(reply))
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const types = replies.map((reply) => (isRecord(reply) ? reply.type : undefined))
      if (signal === 'SIGKILL') resolve('hung')
      else if (code !== 0 || signal || stderr.trim()) resolve('crashed')
      else if (!replies.every(workerToHostAllowed)) resolve('answer outside the protocol')
      else if (types.some((type) => type !== 'log' && type !== 'error')) resolve('ran a job')
      else if (
        !replies.some(
          (reply) => isRecord(reply) && reply.type === 'error' && String(reply.message).startsWith('the worker refused the job'),
        )
      )
        resolve('no refusal')
      else resolve('refused, exited cleanly')
    })
    child.send(message as object)
  })
}

async function workerRow(options: FuzzOptions, count: number): Promise<FuzzRow> {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build first`)
  const tally = counter(WORKER_OUTCOMES)
  for (const message of invalidWorkerMessages(options, count)) tally.add(await sendToWorker(message), message, WORKER_MUST_BE_ZERO)
  return {
    part: PART,
    case: `host → worker: the real worker process (${count} invalid messages, one process each)`,
    tried: count,
    outcomes: tally.counts,
    mustBeZero: WORKER_MUST_BE_ZERO,
    examples: tally.examples,
  }
}

const RECEIVER_OUTCOMES = [
  'handled',
  'ignored',
  'handled, not allowed',
  'ignored, allowed',
  'lost',
  'run not ended by a clear error',
] as const
type ReceiverOutcome = (typeof RECEIVER_OUTCOMES)[number]
const RECEIVER_MUST_BE_ZERO = RECEIVER_OUTCOMES.slice(2)

/**
 * The host's receiver of worker messages (`runInWorker`), fed by a stand-in worker: each valid
 * message reaches its callback, each invalid one is logged as ignored, and when the stand-in exits
 * without a result the run ends as a clear error.
 */
async function hostReceiverRow(options: FuzzOptions, count: number): Promise<FuzzRow> {
  const seed = options.seed + 2
  const events: ('handled' | 'ignored')[] = []
  const handled = () => {
    events.push('handled')
  }
  // The stand-in is TypeScript: it runs with this process's loader (tsx), which forked processes inherit.
  const run = runInWorker(
    STAND_IN_WORKER,
    { type: 'extract', input: '', output: path.join(tmpdir(), 'spark-synth-fuzz-nothing'), rows: count, seed },
    {
      progress: handled,
      epoch: handled,
      step: handled,
      rows: handled,
      figures: handled,
      log: (line) => events.push(line.startsWith('ignored an invalid message from the worker') ? 'ignored' : 'handled'),
      warning: handled,
    },
  )
  const ended = await run.result.then(
    () => false,
    (error: unknown) => error instanceof WorkerError && error.message.startsWith('the worker stopped unexpectedly'),
  )
  const tally = counter(RECEIVER_OUTCOMES)
  workerAnswers(seed, count).forEach((answer, i) => {
    const event = events.at(i)
    const allowed = workerToHostAllowed(answer)
    const outcome: ReceiverOutcome =
      event === undefined
        ? 'lost'
        : event === 'handled'
          ? allowed
            ? 'handled'
            : 'handled, not allowed'
          : allowed
            ? 'ignored, allowed'
            : 'ignored'
    tally.add(outcome, answer, RECEIVER_MUST_BE_ZERO)
  })
  if (!ended) tally.add('run not ended by a clear error', 'the stand-in worker exited', RECEIVER_MUST_BE_ZERO)
  return {
    part: PART,
    case: `worker → host: the host's receiver, runInWorker (${count} generated messages from a stand-in worker)`,
    tried: count,
    outcomes: tally.counts,
    mustBeZero: RECEIVER_MUST_BE_ZERO,
    examples: tally.examples,
  }
}

export const fuzzMessages: FuzzPart = async (options) => {
  const scaled = (full: number) => Math.max(1, Math.round(full * options.scale))
  const rows = DIRECTIONS.map((direction) => validatorRow(direction, options, scaled(MESSAGES_PER_DIRECTION)))
  return [...rows, await workerRow(options, scaled(WORKER_PROCESSES)), await hostReceiverRow(options, scaled(RECEIVER_MESSAGES))]
}
