import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SparkSynthError } from '../errors.ts'
import { StagedFolder } from '../io/staging.ts'
import type { MetadataDocument } from '../meta/document.ts'
import type { TableEncoding } from './encoding.ts'
import { Made, type EpochReport, type MadeOptions } from './made.ts'
import { Synthesizer, type ColumnPlan } from './synthesizer.ts'
import type { BackendName, Tf } from './tensorflow.ts'

/**
 * A trained model as a folder the user keeps: `model.json` (metadata document, its digest,
 * encoders, column plans, training record) and `weights.bin` (float32 little-endian, in the
 * order of `weights` in the manifest). Written to a temporary folder and renamed when complete.
 */

export const MODEL_FORMAT = 'spark-synth-model'
export const MODEL_VERSION = 1

interface Manifest {
  readonly format: typeof MODEL_FORMAT
  readonly version: typeof MODEL_VERSION
  readonly metadataDigest: string
  readonly metadata: MetadataDocument
  readonly encoding: TableEncoding
  readonly plans: readonly ColumnPlan[]
  readonly model: MadeOptions
  readonly seed: number
  readonly training: { readonly backend: BackendName; readonly rows: number; readonly epochs: readonly EpochReport[]; readonly trainedAt: string }
  readonly weights: readonly { readonly name: string; readonly shape: readonly number[] }[]
}

export interface TrainingRecord {
  readonly backend: BackendName
  readonly rows: number
  readonly epochs: readonly EpochReport[]
}

/**
 * Identifies a metadata document by the choices that shape a model: the columns, their types and
 * what the user decided for each (not where the data was read from, nor the sample's statistics).
 */
export function metadataDigest(document: MetadataDocument): string {
  const choices = document.columns.map((c) => [c.name, c.sparkType, c.nullable, c.partition, c.kind, c.exclude, c.sensitive])
  return createHash('sha256').update(JSON.stringify(choices)).digest('hex').slice(0, 16)
}

export async function saveModel(folder: string, synthesizer: Synthesizer, training: TrainingRecord): Promise<void> {
  const weights = synthesizer.model.weights()
  const manifest: Manifest = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    metadataDigest: metadataDigest(synthesizer.document),
    metadata: synthesizer.document,
    encoding: synthesizer.encoding,
    plans: synthesizer.plans,
    model: synthesizer.model.options,
    seed: synthesizer.seed,
    training: { ...training, trainedAt: new Date().toISOString() },
    weights: weights.map(({ name, shape }) => ({ name, shape })),
  }
  const total = weights.reduce((sum, w) => sum + w.values.length, 0)
  const bytes = new Float32Array(total)
  let offset = 0
  for (const w of weights) {
    bytes.set(w.values, offset)
    offset += w.values.length
  }
  const staged = await StagedFolder.open(folder, { overwrite: true })
  await writeFile(path.join(staged.path, 'model.json'), `${JSON.stringify(manifest, null, 1)}\n`)
  await writeFile(path.join(staged.path, 'weights.bin'), new Uint8Array(bytes.buffer))
  await staged.commit()
}

/** What a model folder says of itself, for showing it without loading its weights. */
export interface ModelSummary {
  readonly metadataDigest: string
  readonly backend: BackendName
  readonly rows: number
  readonly epochs: number
  readonly trainedAt: string
}

async function readManifest(folder: string): Promise<Manifest> {
  const manifestText = await readFile(path.join(folder, 'model.json'), 'utf8').catch(() => {
    throw new SparkSynthError('no model.json here: this is not a Spark Synth model folder', 'Train one first with `spark-synth train <input> -o <model-dir>`', { file: folder })
  })
  const manifest = JSON.parse(manifestText) as Manifest
  if (manifest.format !== MODEL_FORMAT || manifest.version !== MODEL_VERSION) {
    throw new SparkSynthError(`model format ${manifest.format} v${manifest.version} is not ${MODEL_FORMAT} v${MODEL_VERSION}`, 'Train the model again with this version of Spark Synth', { file: folder })
  }
  return manifest
}

export async function readModelSummary(folder: string): Promise<ModelSummary> {
  const { metadataDigest, training } = await readManifest(folder)
  return { metadataDigest, backend: training.backend, rows: training.rows, epochs: training.epochs.length, trainedAt: training.trainedAt }
}

/**
 * Loads a model folder. With `expected`, a model trained on a different metadata document is
 * refused: its encoders would not fit the columns the user now describes.
 */
export async function loadModel(tf: Tf, folder: string, expected?: MetadataDocument): Promise<{ synthesizer: Synthesizer; training: Manifest['training'] }> {
  const manifest = await readManifest(folder)
  if (expected && metadataDigest(expected) !== manifest.metadataDigest) {
    throw new SparkSynthError(
      'the model was trained on a different metadata document (columns, kinds or exclusions changed since)',
      'Train the model again on the current metadata, or sample with the metadata it was trained on',
      { file: folder },
    )
  }
  const raw = await readFile(path.join(folder, 'weights.bin'))
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
  let offset = 0
  const weights = manifest.weights.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1)
    const slice = values.subarray(offset, offset + size)
    offset += size
    return { name, shape, values: slice }
  })
  if (offset !== values.length) {
    throw new SparkSynthError(`weights.bin holds ${values.length} values where the manifest lists ${offset}`, 'The model folder is damaged: train the model again', { file: folder })
  }
  const model = new Made(tf, manifest.encoding, manifest.model)
  model.restore(weights)
  return { synthesizer: Synthesizer.restore(manifest.metadata, manifest.plans, manifest.encoding, model, manifest.seed), training: manifest.training }
}
