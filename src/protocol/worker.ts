import { TABLE_FORMATS } from '../core/io/tableFormat.ts'
import type { TrainJob } from '../core/model/trainJob.ts'
import type { GenerateJob } from '../core/output/syntheticRun.ts'

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

/** Samples a model into an output folder (data, snippets, report); conditions are the CLI's alone. */
export interface GenerateWorkerJob extends Omit<GenerateJob, 'backend' | 'where'> {
  readonly type: 'generate'
  readonly backend: string
}

export type HostToWorker = ExtractJob | TrainWorkerJob | GenerateWorkerJob | { readonly type: 'cancel' }

export type WorkerToHost =
  | { readonly type: 'progress'; readonly message: string }
  | {
      readonly type: 'epoch'
      readonly epoch: number
      readonly epochs: number
      readonly loss: number
      readonly rowsPerSecond: number
      readonly etaSeconds: number
    }
  /** Within an epoch: `step` of its `steps` optimizer steps done (a few times a second at most). */
  | { readonly type: 'step'; readonly epoch: number; readonly epochs: number; readonly step: number; readonly steps: number }
  /** Synthetic rows generated and written so far. */
  | { readonly type: 'rows'; readonly done: number; readonly total: number }
  | { readonly type: 'log'; readonly message: string }
  /** `sampleSize`: rows sampled (extract), trained on (train) or generated (generate). */
  | { readonly type: 'done'; readonly output: string; readonly columns: number; readonly sampleSize: number }
  | { readonly type: 'error'; readonly message: string; readonly file?: string; readonly column?: string }

/** Each field's type, or the values it may hold (`undefined` among them when it may be left out). */
type Shape = Record<string, 'string' | 'number' | 'boolean' | 'string?' | 'number?' | 'boolean?' | readonly unknown[]>

function matches(value: unknown, shape: Shape): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return Object.entries(shape).every(([key, type]) => {
    if (typeof type !== 'string') return type.includes(record[key])
    if (type.endsWith('?') && record[key] === undefined) return true
    const required = type.replace('?', '')
    return typeof record[key] === required && (required !== 'number' || Number.isFinite(record[key]))
  })
}

const HOST_MESSAGES: Record<HostToWorker['type'], Shape> = {
  extract: { input: 'string', output: 'string', rows: 'number', seed: 'number' },
  train: {
    input: 'string',
    output: 'string',
    meta: 'string?',
    rows: 'number?',
    seed: 'number?',
    epochs: 'number?',
    timeBudgetSeconds: 'number?',
    backend: 'string',
  },
  generate: {
    model: 'string',
    rows: 'number',
    output: 'string',
    seed: 'number',
    overwrite: 'boolean?',
    format: [undefined, ...TABLE_FORMATS],
    backend: 'string',
    report: 'boolean?',
    target: 'string?',
  },
  cancel: {},
}

const WORKER_MESSAGES: Record<WorkerToHost['type'], Shape> = {
  progress: { message: 'string' },
  epoch: { epoch: 'number', epochs: 'number', loss: 'number', rowsPerSecond: 'number', etaSeconds: 'number' },
  step: { epoch: 'number', epochs: 'number', step: 'number', steps: 'number' },
  rows: { done: 'number', total: 'number' },
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
