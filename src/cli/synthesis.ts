import { writeSparkFolder } from '../core/io/sparkWriter.ts'
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

export async function sampleCommand(request: SampleRequest): Promise<void> {
  const loaded = await loadTensorFlow(request.backend)
  reportBackend(loaded)
  const { tf } = loaded
  const { synthesizer } = await loadModel(tf, request.model)
  try {
    const started = performance.now()
    const table = Object.keys(request.where).length
      ? synthesizer.sampleWhere(request.rows, request.seed, request.where)
      : synthesizer.sample(request.rows, request.seed)
    const generated = performance.now()
    await writeSparkFolder(table, request.output, { overwrite: request.overwrite })
    const rate = request.rows / ((generated - started) / 1000)
    console.log(`wrote ${request.output}: ${request.rows.toLocaleString('en-US')} rows, ${table.columns.length} columns (${Math.round(rate).toLocaleString('en-US')} rows/s generated)`)
  } finally {
    synthesizer.dispose()
  }
}
