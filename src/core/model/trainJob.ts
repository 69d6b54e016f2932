import { sampleDataset } from '../io/dataset.ts'
import { StagedFolder, exists } from '../io/staging.ts'
import { extractMetadata, type MetadataDocument } from '../meta/document.ts'
import { rareValueRowsOf } from '../meta/protection.ts'
import { trainingChoices, type ModelSize } from '../meta/trainingChoices.ts'
import { defaultMetadataPath, readMetadataFile } from '../meta/metadataFile.ts'
import { sampleWithDocument } from '../meta/nullValuesSample.ts'
import { DEFAULT_HOLDOUT_SHARE } from '../samplingDefaults.ts'
import { chooseHoldout, splitHoldout, type HoldoutRecord } from './holdout.ts'
import type { EpochReport, TrainEvents } from './made.ts'
import { writeModelInto } from './modelFolder.ts'
import { hiddenWidths } from './modelSize.ts'
import { Synthesizer, outputColumns } from './synthesizer.ts'
import type { PrivacyRecord, PrivacyRequest } from '../privacy/dpsgd.ts'
import { sampleWarnings, type PrivacyWarning } from '../privacy/guard.ts'
import { comparedColumns } from '../report/fromDatasets.ts'
import { loadTensorFlow, type BackendName, type LoadedTensorFlow } from './tensorflow.ts'

/** Everything a training run needs; shared by the CLI and the worker process. */
export interface TrainJob {
  readonly input: string
  /** The model folder to write. */
  readonly output: string
  /** The metadata document (default: beside the input, else extracted now). */
  readonly meta?: string
  readonly rows?: number
  readonly seed?: number
  /** Epochs, time budget and model size, in place of the document's (see `trainingChoices`). */
  readonly epochs?: number
  readonly timeBudgetSeconds?: number
  readonly modelSize?: ModelSize
  readonly backend: BackendName | 'auto'
  /** Delta tables: the version to learn from (default: the metadata's, else the latest). */
  readonly version?: number
  /** Delta tables: learn from the latest version committed at or before this instant. */
  readonly timestamp?: Date
  /**
   * When the sample is the whole source, this share of it is kept out of training (0 keeps none out); in
   * place of the document's (default 0.1).
   */
  readonly holdoutShare?: number
  /** Train with DP-SGD to this ε, in place of the document's choice (absent there too: no differential privacy). */
  readonly epsilon?: number
  /** DP-SGD's δ, in place of the document's (default 1 / (10 × rows trained on), see `defaultDelta`). */
  readonly delta?: number
  /** k of value protection, in place of the metadata document's (default 5). */
  readonly rareValueRows?: number
}

export interface TrainJobEvents extends TrainEvents {
  onBackend?(loaded: LoadedTensorFlow): void
  /** Before training: what makes the sample unsafe to learn from without copying rows. */
  onWarning?(warning: PrivacyWarning): void
}

export interface TrainJobResult {
  /** False when stopped: then nothing was written. */
  readonly written: boolean
  readonly backend: BackendName
  /** Rows trained on. */
  readonly rows: number
  /** The real rows kept out of training, for the report. */
  readonly holdout: HoldoutRecord
  readonly columns: number
  readonly epochs: readonly EpochReport[]
  /** The (ε, δ) spent, when trained with DP-SGD. */
  readonly privacy?: PrivacyRecord
  readonly seconds: number
}

/**
 * The privacy a run trains with: the job's (a flag, or a setting where the document is silent), else the
 * document's, else the defaults. The document's ε null is a choice: no differential privacy.
 */
function trainingPrivacy(
  job: Pick<TrainJob, 'holdoutShare' | 'epsilon' | 'delta'>,
  document: MetadataDocument['privacy'],
): { readonly holdoutShare: number; readonly privacy?: PrivacyRequest } {
  const epsilon = job.epsilon ?? document?.epsilon ?? undefined
  return {
    holdoutShare: job.holdoutShare ?? document?.holdoutShare ?? DEFAULT_HOLDOUT_SHARE,
    ...(epsilon === undefined ? {} : { privacy: { epsilon, delta: job.delta ?? document?.delta } }),
  }
}

/** The metadata the user chose: `meta`, else the document beside the input, else none. */
async function chosenMetadata(input: string, meta?: string): Promise<MetadataDocument | undefined> {
  if (meta) return readMetadataFile(meta)
  const beside = defaultMetadataPath(input)
  return (await exists(beside)) ? readMetadataFile(beside) : undefined
}

/** The metadata the user chose for `input`, else one extracted from a sample with the defaults. */
export async function metadataFor(input: string, meta?: string): Promise<MetadataDocument> {
  const chosen = await chosenMetadata(input, meta)
  if (chosen) return chosen
  const { summary, table } = await sampleDataset(input)
  return extractMetadata(summary, table)
}

/**
 * Samples the input, trains the synthesizer and writes the model folder (unless stopped). The folder
 * is claimed first, so that a second run training into it is told at once, not after its training.
 */
export async function runTrainJob(job: TrainJob, events: TrainJobEvents = {}): Promise<TrainJobResult> {
  const staged = await StagedFolder.open(job.output, { overwrite: true, purpose: `training on ${job.input}` })
  try {
    const result = await trainInto(staged, job, events)
    if (!result.written) await staged.abort()
    return result
  } catch (error) {
    await staged.abort()
    throw error
  }
}

async function trainInto(staged: StagedFolder, job: TrainJob, events: TrainJobEvents): Promise<TrainJobResult> {
  const chosen = await chosenMetadata(job.input, job.meta)
  // The model learns the document's missing-value markers as nulls.
  const { summary, table } = await sampleWithDocument(job.input, chosen, {
    rows: job.rows ?? chosen?.source.sampleSize,
    seed: job.seed ?? chosen?.source.seed,
    // The version the metadata describes, unless the job travels elsewhere itself.
    version: job.version ?? (job.timestamp ? undefined : chosen?.source.version),
    timestamp: job.timestamp,
  })
  // The model records the sample it learned from, so that its report compares with those rows.
  // The model records the k it was protected with, so that its report states the rule it followed.
  const document = chosen
    ? { ...chosen, source: summary, privacy: { ...chosen.privacy, rareValueRows: job.rareValueRows ?? rareValueRowsOf(chosen) } }
    : extractMetadata(summary, table, job.rareValueRows)
  const choices = trainingPrivacy(job, chosen?.privacy)
  const training = trainingChoices(job, chosen?.training)
  // The manifest records the holdout, so that the report draws the same rows again.
  const holdout = chooseHoldout(summary, choices.holdoutShare)
  const split = holdout.kind === 'share' ? splitHoldout(table, holdout) : undefined
  const trained = split?.train ?? table
  for (const warning of sampleWarnings(trained, comparedColumns(document), rareValueRowsOf(document), choices.privacy !== undefined))
    events.onWarning?.(warning)
  const loaded = await loadTensorFlow(job.backend)
  events.onBackend?.(loaded)
  const started = performance.now()
  const stop = () => events.shouldStop?.() ?? false
  const { synthesizer, epochs, privacy } = await Synthesizer.train(
    loaded.tf,
    trained,
    document,
    {
      seed: job.seed ?? document.source.seed,
      epochs: training.epochs ?? undefined,
      timeBudgetSeconds: training.timeBudgetSeconds ?? undefined,
      model: { hidden: hiddenWidths(training.modelSize) },
      privacy: choices.privacy,
      keptOut: split?.holdout,
    },
    { ...events, shouldStop: stop },
  )
  try {
    const written = !stop()
    if (written)
      await writeModelInto(staged, synthesizer, {
        backend: loaded.backend,
        rows: trained.rowCount,
        // Under DP the losses are not saved: each is the mean over the rows of what the model made of them, without noise
        // (the holdout's touches no trained row, but is left out too: a DP model folder holds nothing un-noised).
        epochs: privacy
          ? epochs.map(({ epoch, epochs, rowsPerSecond, elapsedSeconds, seconds }) => ({
              epoch,
              epochs,
              loss: null,
              rowsPerSecond,
              elapsedSeconds,
              seconds,
            }))
          : epochs,
        holdout,
        ...(privacy ? { privacy } : {}),
      })
    return {
      written,
      backend: loaded.backend,
      rows: trained.rowCount,
      holdout,
      columns: outputColumns(document).length,
      epochs,
      privacy,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    synthesizer.dispose()
  }
}
