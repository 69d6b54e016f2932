/** Valid messages of every type, for each protocol direction: the fuzzer mutates these. */
import { IDLE_GENERATION, IDLE_TRAINING } from '../../src/protocol/webview.ts'

export const HOST_TO_WORKER: readonly unknown[] = [
  { type: 'extract', input: 'data/adult.csv', output: 'adult.synth-meta.json', rows: 2000, seed: 5 },
  { type: 'train', input: 'data/adult.csv', output: 'adult.synth-model', backend: 'auto' },
  {
    type: 'train',
    input: 'data/adult.csv',
    output: 'adult.synth-model',
    meta: 'adult.synth-meta.json',
    rows: 1000,
    seed: 2,
    epochs: 3,
    timeBudgetSeconds: 60,
    modelSize: 'small',
    backend: 'wasm',
    version: 3,
  },
  { type: 'generate', model: 'adult.synth-model', rows: 10, output: 'out', seed: 1, backend: 'cpu' },
  {
    type: 'generate',
    model: 'adult.synth-model',
    rows: 10,
    output: 'out',
    seed: 1,
    overwrite: true,
    format: 'delta',
    backend: 'tensorflow',
    report: false,
    target: 'income',
    threads: 4,
  },
  { type: 'cancel' },
]

export const WORKER_TO_HOST: readonly unknown[] = [
  { type: 'progress', message: 'sampling the data' },
  { type: 'epoch', epoch: 1, epochs: 20, loss: 0.5, holdoutLoss: 0.6, seconds: 1.5, rowsPerSecond: 1000, etaSeconds: 12 },
  { type: 'step', epoch: 1, epochs: 20, step: 8, steps: 51 },
  { type: 'rows', done: 5, total: 10 },
  { type: 'log', message: 'backend: wasm' },
  { type: 'warning', message: 'privacy warning: the model learns from only 6 rows. Sample more rows.' },
  { type: 'done', output: 'out', columns: 15, sampleSize: 2000 },
  { type: 'error', message: 'no such file', file: 'data/x.csv', column: 'age' },
  { type: 'error', message: 'out of memory' },
]

const edit = (field: string, value: unknown) => ({ type: 'editColumn', index: 2, name: 'age', field, value })

export const WEBVIEW_TO_HOST: readonly unknown[] = [
  { type: 'ready' },
  edit('kind', 'categorical'),
  edit('exclude', true),
  edit('nullable', false),
  edit('sensitive', 'mask'),
  edit('protect', false),
  { type: 'editPrivacy', field: 'holdoutShare', value: 0.2 },
  { type: 'editPrivacy', field: 'epsilon', value: 4 },
  { type: 'editPrivacy', field: 'epsilon', value: null },
  { type: 'editPrivacy', field: 'delta', value: 1e-6 },
  { type: 'editPrivacy', field: 'delta', value: null },
  { type: 'editTraining', field: 'epochs', value: 30 },
  { type: 'editTraining', field: 'epochs', value: null },
  { type: 'editTraining', field: 'timeBudgetSeconds', value: 90 },
  { type: 'editTraining', field: 'timeBudgetSeconds', value: null },
  { type: 'editTraining', field: 'modelSize', value: 'small' },
  { type: 'editTraining', field: 'modelSize', value: null },
  { type: 'editTarget', column: 'income' },
  { type: 'editTarget', column: null },
  { type: 'openAsText' },
  { type: 'train' },
  { type: 'cancel' },
  { type: 'generate', rows: 1000, seed: 7 },
  { type: 'generate', rows: 1_000_000_000, seed: -3 },
  { type: 'openReport' },
]

const DEFAULTS = {
  rows: 10,
  seed: 1,
  holdoutShare: 0.1,
  epsilon: 0,
  delta: 0,
  epochs: 0,
  timeBudgetSeconds: 0,
  modelSize: 'medium' as const,
}
const SESSION = { training: IDLE_TRAINING, model: null, generation: IDLE_GENERATION, report: null, defaults: DEFAULTS }

export const HOST_TO_WEBVIEW: readonly unknown[] = [
  {
    type: 'document',
    document: { version: 1, source: { path: 'data/adult.csv', seed: 5 }, columns: [{ name: 'age', kind: 'continuous' }] },
  },
  { type: 'invalid', message: 'adult.synth-meta.json: columns[0].kind: must be one of …' },
  { type: 'session', session: SESSION },
  {
    type: 'session',
    session: {
      training: {
        ...IDLE_TRAINING,
        status: 'done',
        epoch: 2,
        epochs: 2,
        step: 5,
        steps: 5,
        losses: [1.2, 0.8],
        holdoutLosses: [1.3, 1.0],
        message: 'trained',
        warnings: ['privacy warning: the model learns from only 300 rows.'],
      },
      model: { path: 'adult.synth-model', trainedAt: '2026-01-01T00:00:00Z', epochs: 2, rows: 2000, backend: 'wasm', stale: false },
      generation: { status: 'done', rowsDone: 10, rows: 10, message: '', output: 'out' },
      report: { path: 'out/report.html', overall: 0.9, columnShapes: 0.92, columnPairTrends: 0.88 },
      defaults: { ...DEFAULTS, rows: 1000, seed: 3, epsilon: 4, delta: 1e-6, epochs: 30, timeBudgetSeconds: 600, modelSize: 'large' },
    },
  },
]
