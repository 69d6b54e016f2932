// The child process that runs the heavy work (Parquet engine, and later TensorFlow.js), so that
// the extension host stays light and a crash or a cancel cannot take it down.
import { SparkSynthError } from '../core/errors.ts'
import { sampleDataset } from '../core/io/dataset.ts'
import { extractMetadata } from '../core/meta/document.ts'
import { writeMetadataFile } from '../core/meta/metadataFile.ts'
import { isHostToWorker, type ExtractJob, type WorkerToHost } from '../protocol/worker.ts'

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

process.on('message', (message: unknown) => {
  if (!isHostToWorker(message)) {
    send({ type: 'log', message: `ignored an invalid message: ${JSON.stringify(message)?.slice(0, 200)}` })
    return
  }
  if (message.type === 'cancel') process.exit(0)
  extract(message)
    .catch((error: unknown) => {
      const known = error instanceof SparkSynthError
      send({ type: 'error', message: known ? error.message : String((error as Error)?.stack ?? error), file: known ? error.file : undefined, column: known ? error.column : undefined })
    })
    .finally(() => process.disconnect?.())
})
