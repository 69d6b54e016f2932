import { stat } from 'node:fs/promises'
import { sampleDataset } from '../core/io/dataset.ts'
import { writeSparkFolder } from '../core/io/sparkWriter.ts'
import { extractMetadata, type MetadataDocument } from '../core/meta/document.ts'
import { defaultMetadataPath, readMetadataFile } from '../core/meta/metadataFile.ts'
import { loadModel, saveModel } from '../core/model/modelFolder.ts'
import { Synthesizer } from '../core/model/synthesizer.ts'
import { loadTensorFlow, type BackendName } from '../core/model/tensorflow.ts'

/** One status line on stderr, rewritten in place on a terminal. */
function status(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`)
  else process.stderr.write(`${text}\n`)
}

function endStatus(): void {
  if (process.stderr.isTTY) process.stderr.write('\n')
}

async function loadBackend(preferred: BackendName | 'auto') {
  const loaded = await loadTensorFlow(preferred)
  process.stderr.write(`TensorFlow.js backend: ${loaded.backend}${loaded.skipped.length ? ` (not available: ${loaded.skipped.join('; ')})` : ''}\n`)
  return loaded
}

export interface TrainRequest {
  readonly input: string
  readonly output: string
  readonly meta?: string
  readonly rows?: number
  readonly seed?: number
  readonly epochs?: number
  readonly timeBudgetSeconds?: number
  readonly backend: BackendName | 'auto'
}

/** The metadata the user chose: `--meta`, else the document beside the input, else a fresh extraction. */
async function metadataFor(request: TrainRequest): Promise<MetadataDocument | undefined> {
  if (request.meta) return readMetadataFile(request.meta)
  const beside = defaultMetadataPath(request.input)
  return (await stat(beside).then(() => true, () => false)) ? readMetadataFile(beside) : undefined
}

export async function trainCommand(request: TrainRequest): Promise<void> {
  const chosen = await metadataFor(request)
  const { summary, table } = await sampleDataset(request.input, {
    rows: request.rows ?? chosen?.source.sampleSize,
    seed: request.seed ?? chosen?.source.seed,
  })
  const document = chosen ?? extractMetadata(summary, table)
  const { tf, backend } = await loadBackend(request.backend)
  let cancelled = false
  const onInterrupt = () => {
    cancelled = true
    status('cancelling…')
  }
  process.once('SIGINT', onInterrupt)
  const started = performance.now()
  try {
    const { synthesizer, epochs } = await Synthesizer.train(
      tf,
      table,
      document,
      { seed: request.seed ?? document.source.seed, epochs: request.epochs, timeBudgetSeconds: request.timeBudgetSeconds },
      (report) => {
        const perEpoch = report.elapsedSeconds / report.epoch
        const eta = Math.max(0, (report.epochs - report.epoch) * perEpoch)
        status(`epoch ${report.epoch}/${report.epochs}  loss ${report.loss.toFixed(3)}  ${Math.round(report.rowsPerSecond).toLocaleString('en-US')} rows/s  ETA ${eta.toFixed(0)} s`)
      },
      () => cancelled,
    )
    endStatus()
    if (cancelled) {
      synthesizer.dispose()
      process.stderr.write('cancelled: no model was written\n')
      process.exitCode = 130
      return
    }
    await saveModel(request.output, synthesizer, { backend, rows: table.rowCount, epochs })
    synthesizer.dispose()
    const seconds = (performance.now() - started) / 1000
    console.log(`wrote ${request.output}: ${epochs.length} epochs on ${table.rowCount.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${backend}), final loss ${epochs.at(-1)?.loss.toFixed(3) ?? '–'}`)
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
  const { tf } = await loadBackend(request.backend)
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
