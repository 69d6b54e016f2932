/**
 * One synthetic output, what the user takes home: a folder holding the synthetic table as a Spark
 * output folder or a Delta table (`data/`), the PySpark snippets that reload it with the source
 * schema and draw the next sample, and the quality report. Written under a temporary name and
 * renamed into place only when all of it is complete.
 */
import { writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { reloadSnippet } from '../codegen/reloadSnippet.ts'
import { takeSampleSnippet } from '../codegen/takeSampleSnippet.ts'
import { SparkSynthError, describeCause } from '../errors.ts'
import { SparkFolderWriter } from '../io/sparkWriter.ts'
import { StagedFolder, exists } from '../io/staging.ts'
import type { Table } from '../io/table.ts'
import type { TableFormat } from '../io/tableFormat.ts'
import type { HoldoutRecord } from '../model/holdout.ts'
import type { PrivacyRecord } from '../privacy/dpsgd.ts'
import { loadModel } from '../model/modelFolder.ts'
import type { Model, ModelDraw } from '../model/model.ts'
import { SamplingPool } from '../model/samplingPool.ts'
import { outputColumns } from '../model/synthesizer.ts'
import { loadTensorFlow, type BackendName, type LoadedTensorFlow } from '../model/tensorflow.ts'
import { comparedColumns, reportFromDatasets } from '../report/fromDatasets.ts'
import type { QualityReport } from '../report/types.ts'
import { writeQualityReport } from '../report/write.ts'
import { RELOAD_SNIPPET, SYNTHETIC_DATA, TAKE_SAMPLE_SNIPPET } from './layout.ts'

/** Rows generated and written per batch: one row group each, so memory stays flat at any row count. */
export const BATCH_ROWS = 100_000

export interface GenerateJob {
  /** The model folder to sample from. */
  readonly model: string
  readonly rows: number
  /** The output folder to write. */
  readonly output: string
  readonly seed: number
  /** Only rows whose columns hold these values (`income` = `>50K`). */
  readonly where?: Readonly<Record<string, string>>
  readonly overwrite?: boolean
  /** How `data/` is written: a Spark Parquet folder (default) or a Delta table. */
  readonly format?: TableFormat
  readonly backend: BackendName | 'auto'
  /** Write the quality report (default); it reads the source again, which must still be there. */
  readonly report?: boolean
  /** A column to measure machine-learning utility on in the report. */
  readonly target?: string
  /** Threads drawing from the network (default: one per core, up to four; 0 or 1: this one). */
  readonly threads?: number
}

export interface GenerateEvents {
  onBackend?(loaded: LoadedTensorFlow): void
  onRows?(done: number, total: number): void
  onPhase?(message: string): void
  shouldStop?(): boolean
}

export interface GenerateResult {
  /** False when stopped: then nothing was written. */
  readonly written: boolean
  readonly output: string
  readonly rows: number
  /** Columns in the synthetic table. */
  readonly columns: number
  /** Threads that drew the rows (0: the calling one). */
  readonly threads: number
  /** Seconds spent generating and writing rows (the report comes after). */
  readonly seconds: number
  /** Rows drawn again because they broke a rule (model/ruleGuard.ts), beyond the rows written. */
  readonly redrawn?: number
  readonly report?: QualityReport
  /** Why there is no report when one was asked for. */
  readonly reportSkipped?: string
}

/** The Spark folder inside an output folder; a plain Spark folder is its own data. */
export async function syntheticDataPath(output: string): Promise<string> {
  const inside = path.join(output, SYNTHETIC_DATA)
  return (await exists(inside)) ? inside : output
}

/** Samples the model batch by batch into the output folder's `data/`, then adds the snippets and the report. */
export async function generateSynthetic(job: GenerateJob, events: GenerateEvents = {}): Promise<GenerateResult> {
  const stop = () => events.shouldStop?.() ?? false
  const output = path.resolve(job.output)
  const staged = await StagedFolder.open(output, {
    overwrite: job.overwrite,
    hint: 'Choose another output path, or allow replacing it (--overwrite)',
    purpose: `generating rows from ${job.model}`,
  })
  let model: Model
  let loaded: LoadedTensorFlow
  let holdout: HoldoutRecord | undefined
  let differentialPrivacy: PrivacyRecord | undefined
  try {
    loaded = await loadTensorFlow(job.backend)
    events.onBackend?.(loaded)
    const { synthesizer, training } = await loadModel(loaded.tf, job.model)
    model = synthesizer
    holdout = training.holdout
    differentialPrivacy = training.privacy
  } catch (error) {
    await staged.abort()
    throw error
  }
  const document = model.document
  const columns = outputColumns(document).length
  let source: BatchSource | undefined
  try {
    if (job.target !== undefined && !comparedColumns(document).some((c) => c.name === job.target)) {
      throw new SparkSynthError(
        'the model has no such column to predict',
        `Pick one of: ${comparedColumns(document)
          .map((c) => c.name)
          .join(', ')}`,
        { file: job.model, column: job.target },
      )
    }
    const started = performance.now()
    source = await batchSource(model, job, loaded.backend, events)
    let writer: SparkFolderWriter | undefined
    for (let done = 0; done < job.rows;) {
      // Generating is synchronous work: a turn of the event loop lets a cancel request arrive.
      await new Promise(setImmediate)
      if (stop()) {
        await writer?.abort()
        await staged.abort()
        return { written: false, output, rows: done, columns, threads: source.threads, seconds: (performance.now() - started) / 1000 }
      }
      const rows = Math.min(BATCH_ROWS, job.rows - done)
      const batch = await source.next(rows)
      writer ??= await SparkFolderWriter.open(path.join(staged.path, SYNTHETIC_DATA), batch.columns, { format: job.format })
      writer.write(batch)
      done += rows
      events.onRows?.(done, job.rows)
    }
    await source.close()
    if (!writer)
      throw new SparkSynthError('no rows were asked for, so there is nothing to write', 'Ask for at least one row', { file: output })
    await writer.commit()
    const seconds = (performance.now() - started) / 1000
    const redrawn = source.redrawn()

    const sourcePath = document.source.path
    await writeFile(path.join(staged.path, RELOAD_SNIPPET), reloadSnippet(document, path.join(output, SYNTHETIC_DATA), job.format))
    await writeFile(
      path.join(staged.path, TAKE_SAMPLE_SNIPPET),
      takeSampleSnippet({
        table: sourcePath,
        rows: document.source.sampleSize,
        seed: document.source.seed,
        output: `${path.basename(sourcePath)}_sample`,
      }),
    )

    let report: QualityReport | undefined
    let reportSkipped: string | undefined
    if (job.report !== false && !stop()) {
      events.onPhase?.('comparing the synthetic rows with the real ones')
      try {
        report = await reportFromDatasets({
          real: sourcePath,
          synthetic: path.join(staged.path, SYNTHETIC_DATA),
          document,
          target: job.target,
          tensorflow: loaded,
          holdout,
          differentialPrivacy,
        })
        await writeQualityReport(report, staged.path)
      } catch (error) {
        // The synthetic data stands without its report; `spark-synth report` can add it later.
        reportSkipped = describeCause(error)
      }
    }
    if (stop()) {
      await staged.abort()
      return { written: false, output, rows: job.rows, columns, threads: source.threads, seconds }
    }
    await staged.commit()
    return { written: true, output, rows: job.rows, columns, threads: source.threads, seconds, redrawn, report, reportSkipped }
  } catch (error) {
    await staged.abort()
    throw error
  } finally {
    await source?.close()
    model.dispose()
  }
}

/** Where the batches come from; `threads` says how many threads draw them (0: this one). */
interface BatchSource {
  readonly threads: number
  next(rows: number): Promise<Table>
  /** Rows drawn again so far to keep the rules. */
  redrawn(): number
  close(): Promise<void>
}

/** Threads worth drawing on: native TensorFlow runs on all cores by itself; the others on one each. */
function samplingThreads(backend: BackendName): number {
  return backend === 'tensorflow' ? 0 : Math.min(availableParallelism(), MAX_SAMPLING_THREADS)
}

const MAX_SAMPLING_THREADS = 4

/**
 * Conditioned batches are drawn and filtered in this process; otherwise the stream's draws are
 * made by a pool of threads, as many batches ahead as there are threads, and decoded in order.
 */
async function batchSource(model: Model, job: GenerateJob, backend: BackendName, events: GenerateEvents): Promise<BatchSource> {
  const where = job.where ?? {}
  if (Object.keys(where).length > 0) {
    let done = 0
    return {
      threads: 0,
      next: (rows) => {
        const batch = model.sampleWhere(rows, job.seed + done, where)
        done += rows
        return Promise.resolve(batch)
      },
      // Conditioned batches filter far more rows than the rules ever redraw; those redraws are not counted apart.
      redrawn: () => 0,
      close: () => Promise.resolve(),
    }
  }
  const stream = model.stream(job.seed)
  const batches = Array.from({ length: Math.ceil(job.rows / BATCH_ROWS) }, (_, i) => Math.min(BATCH_ROWS, job.rows - i * BATCH_ROWS))
  // Threads draw whole batches: one batch is drawn faster here than a thread starts.
  const threads = Math.min(job.threads ?? samplingThreads(backend), batches.length)
  const pool =
    threads > 1
      ? await SamplingPool.open(job.model, backend, threads).catch((error: unknown) => {
          events.onPhase?.(`sampling in one thread: the sampling threads did not start (${describeCause(error)})`)
          return undefined
        })
      : undefined
  let index = 0
  if (!pool) {
    return {
      threads: 0,
      next: (rows) => Promise.resolve(stream.decode(rows, model.draw(rows, stream.modelSeed(index++)))),
      redrawn: () => stream.redrawn(),
      close: () => Promise.resolve(),
    }
  }
  const ahead: Promise<ModelDraw>[] = []
  return {
    threads: pool.size,
    next: async (rows) => {
      while (ahead.length < pool.size && index < batches.length) {
        const draw = pool.draw(batches[index], stream.modelSeed(index++))
        // Awaited in turn below; until then a failure must not count as unhandled.
        draw.catch(() => undefined)
        ahead.push(draw)
      }
      const drawn = ahead.shift()
      if (!drawn) throw new Error(`more batches were asked for than the job's ${batches.length}`)
      return stream.decode(rows, await drawn)
    },
    redrawn: () => stream.redrawn(),
    close: () => pool.close(),
  }
}
