// The child process that runs the heavy work (Parquet engine, TensorFlow.js), so that the
// extension host stays light and a crash or a cancel cannot take it down.
import { rmSync } from 'node:fs'
import { SparkSynthError } from '../core/errors.ts'
import { sampleDataset } from '../core/io/dataset.ts'
import { temporaryPathFor } from '../core/io/staging.ts'
import { extractMetadata } from '../core/meta/document.ts'
import { writeMetadataFile } from '../core/meta/metadataFile.ts'
import { BACKENDS, type BackendName } from '../core/model/tensorflow.ts'
import { runTrainJob } from '../core/model/trainJob.ts'
import { isHostToWorker, type ExtractJob, type HostToWorker, type TrainWorkerJob, type WorkerToHost } from '../protocol/worker.ts'

function send(message: WorkerToHost): void {
  process.send?.(message)
}

async function extract(job: ExtractJob): Promise<void> {
  send({ type: 'progress', message: `sampling up to ${job.rows.toLocaleString('en-US')} rows` })
  const { summary, table } = await sampleDataset(job.input, { rows: job.rows, seed: job.seed })
  send({ type: 'log', message: `read ${summary.files.length} file(s), ${summary.rowCount} rows; sampled ${summary.sampleSize}` })
  send({ type: 'progress', message: 'describing columns' })
  const document = extractMetadata(summary, table)
  await writeMetadataFile(document, job.output)
  send({ type: 'done', output: job.output, columns: document.columns.length, sampleSize: summary.sampleSize })
}

async function train(job: TrainWorkerJob): Promise<void> {
  const backend = job.backend === 'auto' || (BACKENDS as readonly string[]).includes(job.backend) ? (job.backend as BackendName | 'auto') : 'auto'
  send({ type: 'progress', message: 'sampling the data' })
  const result = await runTrainJob(
    { ...job, backend },
    {
      onBackend: (loaded) => send({ type: 'log', message: `TensorFlow.js backend: ${loaded.backend}${loaded.skipped.length ? ` (not available: ${loaded.skipped.join('; ')})` : ''}` }),
      onEpoch: (report) =>
        send({
          type: 'epoch',
          epoch: report.epoch,
          epochs: report.epochs,
          loss: report.loss,
          rowsPerSecond: report.rowsPerSecond,
          etaSeconds: Math.max(0, (report.epochs - report.epoch) * (report.elapsedSeconds / report.epoch)),
        }),
    },
  )
  send({ type: 'done', output: job.output, columns: result.columns, sampleSize: result.rows })
}

let current: HostToWorker | undefined

process.on('message', (message: unknown) => {
  if (!isHostToWorker(message)) {
    send({ type: 'log', message: `ignored an invalid message: ${JSON.stringify(message)?.slice(0, 200)}` })
    return
  }
  if (message.type === 'cancel') {
    // Outputs are renamed into place only when complete: removing the temporary one leaves nothing.
    if (current && 'output' in current) rmSync(temporaryPathFor(current.output), { recursive: true, force: true })
    process.exit(0)
  }
  current = message
  ;(message.type === 'train' ? train(message) : extract(message))
    .catch((error: unknown) => {
      const known = error instanceof SparkSynthError
      send({ type: 'error', message: known ? error.message : String((error as Error)?.stack ?? error), file: known ? error.file : undefined, column: known ? error.column : undefined })
    })
    .finally(() => process.disconnect?.())
})
