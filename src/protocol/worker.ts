import type { TrainJob } from '../core/model/trainJob.ts'

/**
 * The host ↔ worker protocol: the only messages that cross the child-process boundary.
 * Declared once here; both sides validate what they receive with the guards below.
 */

export interface ExtractJob {
  readonly type: 'extract'
  readonly input: string
  /** Where the metadata document is written. */
  readonly output: string
  readonly rows: number
  readonly seed: number
}

/** Trains the synthesizer and writes the model folder; the backend name is checked by the worker. */
export interface TrainWorkerJob extends Omit<TrainJob, 'backend'> {
  readonly type: 'train'
  readonly backend: string
}

export type HostToWorker = ExtractJob | TrainWorkerJob | { readonly type: 'cancel' }

export type WorkerToHost =
  | { readonly type: 'progress'; readonly message: string }
  | { readonly type: 'epoch'; readonly epoch: number; readonly epochs: number; readonly loss: number; readonly rowsPerSecond: number; readonly etaSeconds: number }
  | { readonly type: 'log'; readonly message: string }
  /** `sampleSize`: rows sampled (extract) or trained on (train). */
  | { readonly type: 'done'; readonly output: string; readonly columns: number; readonly sampleSize: number }
  | { readonly type: 'error'; readonly message: string; readonly file?: string; readonly column?: string }

type Shape = Record<string, 'string' | 'number' | 'string?' | 'number?'>

function matches(value: unknown, shape: Shape): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return Object.entries(shape).every(([key, type]) => {
    if (type === 'string?') return record[key] === undefined || typeof record[key] === 'string'
    if (type === 'number?') return record[key] === undefined || (typeof record[key] === 'number' && Number.isFinite(record[key]))
    return typeof record[key] === type && (type !== 'number' || Number.isFinite(record[key]))
  })
}

const HOST_MESSAGES: Record<HostToWorker['type'], Shape> = {
  extract: { input: 'string', output: 'string', rows: 'number', seed: 'number' },
  train: { input: 'string', output: 'string', meta: 'string?', rows: 'number?', seed: 'number?', epochs: 'number?', timeBudgetSeconds: 'number?', backend: 'string' },
  cancel: {},
}

const WORKER_MESSAGES: Record<WorkerToHost['type'], Shape> = {
  progress: { message: 'string' },
  epoch: { epoch: 'number', epochs: 'number', loss: 'number', rowsPerSecond: 'number', etaSeconds: 'number' },
  log: { message: 'string' },
  done: { output: 'string', columns: 'number', sampleSize: 'number' },
  error: { message: 'string', file: 'string?', column: 'string?' },
}

export function isHostToWorker(value: unknown): value is HostToWorker {
  const type = (value as { type?: unknown } | null)?.type
  return typeof type === 'string' && Object.hasOwn(HOST_MESSAGES, type) && matches(value, HOST_MESSAGES[type as HostToWorker['type']])
}

export function isWorkerToHost(value: unknown): value is WorkerToHost {
  const type = (value as { type?: unknown } | null)?.type
  return typeof type === 'string' && Object.hasOwn(WORKER_MESSAGES, type) && matches(value, WORKER_MESSAGES[type as WorkerToHost['type']])
}
