// The child process that runs the heavy work (Parquet engine, TensorFlow.js), so that the
// extension host stays light and a crash or a cancel cannot take it down.
import { SparkSynthError } from '../core/errors.ts'
import { sampleDataset } from '../core/io/dataset.ts'
import type { DisplayRows } from '../core/io/cellDisplay.ts'
import { abandonSync } from '../core/io/staging.ts'
import { extractMetadata } from '../core/meta/document.ts'
import { writeMetadataFile } from '../core/meta/metadataFile.ts'
import { restatedFigures } from '../core/meta/nullValuesSample.ts'
import { describeBackend, type LoadedTensorFlow } from '../core/model/tensorflow.ts'
import { etaSeconds } from '../core/model/epochLog.ts'
import { describeHoldout } from '../core/model/holdout.ts'
import { describePrivacy } from '../core/privacy/dpsgd.ts'
import { describeWarning } from '../core/privacy/guard.ts'
import { runTrainJob } from '../core/model/trainJob.ts'
import { generateSynthetic } from '../core/output/syntheticRun.ts'
import { drawSyntheticRows, readRealRows } from '../core/previewRows.ts'
import {
  readHostToWorker,
  type ExtractJob,
  type GenerateWorkerJob,
  type HostToWorker,
  type PreviewRealJob,
  type PreviewSyntheticJob,
  type RestateWorkerJob,
  type TrainWorkerJob,
  type WorkerToHost,
} from '../protocol/worker.ts'
import { formatCount } from '../core/formatCount.ts'

/** `then` runs once the message is handed to the channel (a disconnect before that can lose a long one). */
function send(message: WorkerToHost, then: () => void = () => undefined): void {
  // A send failing means the host is gone; the 'disconnect' handler below then ends the process.
  if (process.connected) process.send?.(message, then)
}

/** A refusal quotes the values at fault, which may be megabytes long: the host needs the start. */
const MAX_REFUSAL_CHARS = 2000

async function extract(job: ExtractJob): Promise<void> {
  send({ type: 'progress', message: `sampling up to ${formatCount(job.rows)} rows` })
  const { summary, table } = await sampleDataset(job.input, { rows: job.rows, seed: job.seed })
  send({ type: 'log', message: `read ${summary.files.length} file(s), ${summary.rowCount} rows; sampled ${summary.sampleSize}` })
  send({ type: 'progress', message: 'describing columns' })
  const document = extractMetadata(summary, table, job.rareValueRows)
  await writeMetadataFile(document, job.output)
  send({ type: 'done', output: job.output, columns: document.columns.length, sampleSize: summary.sampleSize })
}

async function restate(job: RestateWorkerJob): Promise<void> {
  const figures = await restatedFigures(job)
  send({ type: 'figures', nullFraction: figures.nullFraction, precisionNote: figures.precisionNote, stats: figures.stats })
  send({ type: 'done', output: job.input, columns: 1, sampleSize: job.rows })
}

function logBackend(loaded: LoadedTensorFlow): void {
  send({ type: 'log', message: describeBackend(loaded) })
}

async function generate(job: GenerateWorkerJob): Promise<void> {
  send({ type: 'progress', message: 'loading the model' })
  const result = await generateSynthetic(job, {
    onBackend: logBackend,
    onRows: (done, total) => {
      send({ type: 'rows', done, total })
    },
    onPhase: (message) => {
      send({ type: 'progress', message })
    },
  })
  if (result.reportSkipped) send({ type: 'log', message: `no quality report: ${result.reportSkipped}` })
  send({ type: 'done', output: result.output, columns: result.columns, sampleSize: result.rows })
}

/** Step progress goes to the host at most this often. */
const STEP_INTERVAL_MS = 250

async function train(job: TrainWorkerJob): Promise<void> {
  send({ type: 'progress', message: 'sampling the data' })
  let lastStep = 0
  const result = await runTrainJob(job, {
    onBackend: logBackend,
    onWarning: (warning) => {
      send({ type: 'warning', message: describeWarning(warning) })
    },
    onStep: (report) => {
      const now = performance.now()
      if (now - lastStep < STEP_INTERVAL_MS) return
      lastStep = now
      // Field by field: the host refuses fields it does not know, which a spread could add.
      send({ type: 'step', epoch: report.epoch, epochs: report.epochs, step: report.step, steps: report.steps })
    },
    onEpoch: (report) => {
      send({
        type: 'epoch',
        epoch: report.epoch,
        epochs: report.epochs,
        loss: report.loss,
        ...(report.holdoutLoss === undefined ? {} : { holdoutLoss: report.holdoutLoss }),
        seconds: report.seconds,
        rowsPerSecond: report.rowsPerSecond,
        etaSeconds: etaSeconds(report),
      })
    },
  })
  send({ type: 'log', message: describeHoldout(result.holdout, result.rows) })
  if (result.privacy) send({ type: 'log', message: describePrivacy(result.privacy) })
  send({ type: 'done', output: job.output, columns: result.columns, sampleSize: result.rows })
}

/** Sends the rows and settles once the channel has them: the process disconnects right after, which could cut a long message. */
function sendRows(rows: DisplayRows): Promise<void> {
  return new Promise((resolve) => {
    send({ type: 'previewRows', ...rows }, resolve)
  })
}

async function previewReal(job: PreviewRealJob): Promise<void> {
  send({ type: 'progress', message: 'reading the sample' })
  await sendRows(await readRealRows(job))
}

async function previewSynthetic(job: PreviewSyntheticJob): Promise<void> {
  send({ type: 'progress', message: 'loading the model' })
  await sendRows(await drawSyntheticRows(job, logBackend))
}

function runJob(job: Exclude<HostToWorker, { type: 'cancel' }>): Promise<void> {
  switch (job.type) {
    case 'extract':
      return extract(job)
    case 'train':
      return train(job)
    case 'generate':
      return generate(job)
    case 'previewReal':
      return previewReal(job)
    case 'previewSynthetic':
      return previewSynthetic(job)
    case 'restate':
      return restate(job)
  }
}

let current: HostToWorker | undefined

/** Ends the process, leaving nothing: outputs are renamed into place only when complete. */
function stop(): never {
  if (current && 'output' in current) abandonSync(current.output)
  process.exit(0)
}

// The host went away (the window closed, the extension host stopped): a cancel it could not send.
process.on('disconnect', stop)

process.on('message', (received: unknown) => {
  const read = readHostToWorker(received)
  if ('refused' in read) {
    send({ type: 'log', message: `ignored an invalid message: ${JSON.stringify(received).slice(0, 200)}` })
    // Before any job, the host is waiting for the one it sent: it hears why that job cannot run.
    if (!current) {
      send({ type: 'error', message: `the worker refused the job: ${read.refused}`.slice(0, MAX_REFUSAL_CHARS) }, () => {
        if (process.connected) process.disconnect()
      })
    }
    return
  }
  const message = read.message
  if (message.type === 'cancel') stop()
  current = message
  runJob(message)
    .catch((error: unknown) => {
      const known = error instanceof SparkSynthError
      send({
        type: 'error',
        message: known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error),
        file: known ? error.file : undefined,
        column: known ? error.column : undefined,
      })
    })
    .finally(() => {
      process.disconnect()
    })
})
