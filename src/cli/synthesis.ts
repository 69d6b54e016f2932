import { SparkFolderWriter } from '../core/io/sparkWriter.ts'
import { loadModel } from '../core/model/modelFolder.ts'
import { loadTensorFlow, type BackendName, type LoadedTensorFlow } from '../core/model/tensorflow.ts'
import { runTrainJob, type TrainJob } from '../core/model/trainJob.ts'

/** One status line on stderr, rewritten in place on a terminal. */
function status(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`)
  else process.stderr.write(`${text}\n`)
}

function endStatus(): void {
  if (process.stderr.isTTY) process.stderr.write('\n')
}

function reportBackend(loaded: LoadedTensorFlow): void {
  process.stderr.write(`TensorFlow.js backend: ${loaded.backend}${loaded.skipped.length ? ` (not available: ${loaded.skipped.join('; ')})` : ''}\n`)
}

/** The user stopped the command (Ctrl-C); the CLI exits with 130 as shells expect. */
export class Cancelled extends Error {}

export async function trainCommand(job: TrainJob): Promise<void> {
  let cancelled = false
  const onInterrupt = () => {
    cancelled = true
    status('cancelling…')
  }
  process.once('SIGINT', onInterrupt)
  try {
    const result = await runTrainJob(job, {
      onBackend: reportBackend,
      onEpoch: (report) => {
        const eta = Math.max(0, (report.epochs - report.epoch) * (report.elapsedSeconds / report.epoch))
        status(`epoch ${report.epoch}/${report.epochs}  loss ${report.loss.toFixed(3)}  ${Math.round(report.rowsPerSecond).toLocaleString('en-US')} rows/s  ETA ${eta.toFixed(0)} s`)
      },
      shouldStop: () => cancelled,
    })
    endStatus()
    if (!result.written) throw new Cancelled('cancelled: no model was written')
    console.log(`wrote ${job.output}: ${result.epochs.length} epochs on ${result.rows.toLocaleString('en-US')} rows in ${result.seconds.toFixed(1)} s (${result.backend}), final loss ${result.epochs.at(-1)?.loss.toFixed(3) ?? '–'}`)
  } finally {
    process.removeListener('SIGINT', onInterrupt)
  }
}

export interface SampleRequest {
  readonly model: string
  readonly rows: number
  readonly output: string
  readonly seed: number
  readonly where: Readonly<Record<string, string>>
  readonly overwrite: boolean
  readonly backend: BackendName | 'auto'
}

/** Rows generated and written per batch: one row group each, so memory stays flat at any row count. */
const BATCH_ROWS = 100_000

export async function sampleCommand(request: SampleRequest): Promise<void> {
  const loaded = await loadTensorFlow(request.backend)
  reportBackend(loaded)
  const { synthesizer } = await loadModel(loaded.tf, request.model)
  let writer: SparkFolderWriter | undefined
  try {
    const started = performance.now()
    const conditioned = Object.keys(request.where).length > 0
    const next = synthesizer.sampler(request.seed)
    for (let done = 0; done < request.rows; ) {
      const rows = Math.min(BATCH_ROWS, request.rows - done)
      const batch = conditioned ? synthesizer.sampleWhere(rows, request.seed + done, request.where) : next(rows)
      writer ??= await SparkFolderWriter.open(request.output, batch.columns, { overwrite: request.overwrite })
      writer.write(batch)
      done += rows
      if (request.rows > BATCH_ROWS) status(`${done.toLocaleString('en-US')} / ${request.rows.toLocaleString('en-US')} rows`)
    }
    if (request.rows > BATCH_ROWS) endStatus()
    await writer!.commit()
    const rate = request.rows / ((performance.now() - started) / 1000)
    console.log(`wrote ${request.output}: ${request.rows.toLocaleString('en-US')} rows (${Math.round(rate).toLocaleString('en-US')} rows/s generated and written)`)
  } catch (error) {
    await writer?.abort()
    throw error
  } finally {
    synthesizer.dispose()
  }
}
