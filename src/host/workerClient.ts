import { fork } from 'node:child_process'
import { abandonSync } from '../core/io/staging.ts'
import type { ColumnFigures, RestateJob } from '../core/meta/nullValues.ts'
import { isWorkerToHost, type HostToWorker, type WorkerToHost } from '../protocol/worker.ts'
import { messagePreview } from './messagePreview.ts'

type Done = Extract<WorkerToHost, { type: 'done' }>
/** A preview job's result: its rows, as display text. */
export type PreviewRows = Extract<WorkerToHost, { type: 'previewRows' }>
/** The messages that end a job: `previewRows` a preview job, `done` any other. */
type Finished = Done | PreviewRows

export interface WorkerRun<Result extends Finished = Done> {
  readonly pid: number | undefined
  readonly result: Promise<Result>
  /** True once `cancel` was called. */
  readonly cancelled: boolean
  cancel(): void
}

/** What a run reports while it works. */
export interface WorkerEvents {
  progress?(message: string): void
  log?(message: string): void
  warning?(message: string): void
  epoch?(report: Extract<WorkerToHost, { type: 'epoch' }>): void
  step?(report: Extract<WorkerToHost, { type: 'step' }>): void
  rows?(done: number, total: number): void
  /** A restate job's answer. */
  figures?(figures: Extract<WorkerToHost, { type: 'figures' }>): void
}

/** The worker failed: its message, and the file and column when the input was at fault. */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly column?: string,
  ) {
    super(message)
    this.name = 'WorkerError'
  }
}

type PreviewJob = Extract<HostToWorker, { type: 'previewReal' | 'previewSynthetic' }>

/**
 * Runs one job in a fresh worker process. Progress and log lines go to the callbacks; the
 * result settles on `done`, on `error`, or when the process dies (a crash or out of memory
 * reaches the caller as an error, never as silence).
 */
export function runInWorker(workerScript: string, job: HostToWorker, on: WorkerEvents = {}): WorkerRun {
  return startWorker(workerScript, job, on, 'done')
}

/** Runs a preview job in a fresh worker process: it settles on the rows, as `runInWorker` does on `done`. */
export function previewInWorker(workerScript: string, job: PreviewJob, on: WorkerEvents = {}): WorkerRun<PreviewRows> {
  return startWorker(workerScript, job, on, 'previewRows')
}

function startWorker<Result extends Finished>(
  workerScript: string,
  job: HostToWorker,
  on: WorkerEvents,
  ending: Result['type'],
): WorkerRun<Result> {
  const child = fork(workerScript, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  let cancelled = false
  const result = new Promise<Result>((resolve, reject) => {
    let settled = false
    child.on('message', (message: unknown) => {
      if (!isWorkerToHost(message)) {
        on.log?.(`ignored an invalid message from the worker: ${messagePreview(message)}`)
        return
      }
      switch (message.type) {
        case 'progress':
          on.progress?.(message.message)
          break
        case 'epoch':
          on.epoch?.(message)
          break
        case 'step':
          on.step?.(message)
          break
        case 'rows':
          on.rows?.(message.done, message.total)
          break
        case 'log':
          on.log?.(message.message)
          break
        case 'figures':
          on.figures?.(message)
          break
        case 'warning':
          on.warning?.(message.message)
          break
        case 'done':
        case 'previewRows':
          settled = true
          if (message.type === ending) resolve(message as Result)
          else reject(new WorkerError(`the worker ended a ${job.type} job with ${message.type}, not ${ending}`))
          break
        case 'error':
          settled = true
          reject(new WorkerError(message.message, message.file, message.column))
          break
      }
    })
    child.on('error', (error) => {
      settled = true
      reject(new WorkerError(`the worker could not start: ${error.message}`))
    })
    child.on('exit', (code, signal) => {
      if (settled) return
      // A worker killed (after a cancel it did not answer in time, or by a crash) cannot remove
      // its temporary output itself; nothing half-written may remain.
      if ('output' in job && child.pid) abandonSync(job.output, child.pid)
      if (cancelled) reject(new WorkerError('cancelled'))
      else
        reject(
          new WorkerError(
            `the worker stopped unexpectedly (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`,
          ),
        )
    })
  })
  child.send(job)
  return {
    pid: child.pid,
    result,
    get cancelled() {
      return cancelled
    },
    cancel() {
      cancelled = true
      // The worker removes its temporary output and exits; a worker that does not, within a second, is killed.
      if (child.connected) child.send({ type: 'cancel' } satisfies HostToWorker)
      setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 1000).unref()
    },
  }
}

/** Runs a restate job in a worker: the column's figures, once the worker is done. */
export async function restateInWorker(workerScript: string, job: RestateJob): Promise<ColumnFigures> {
  let answer: ColumnFigures | undefined
  await runInWorker(
    workerScript,
    { type: 'restate', ...job, nullValues: job.nullValues && [...job.nullValues] },
    {
      figures: ({ nullFraction, precisionNote, stats }) =>
        (answer = { nullFraction, ...(precisionNote === undefined ? {} : { precisionNote }), stats }),
    },
  ).result
  if (!answer) throw new WorkerError('the worker finished without the column’s figures')
  return answer
}
