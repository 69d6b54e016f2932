import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { FromSchema } from 'json-schema-to-ts'
import { SparkSynthError } from '../errors.ts'
import { StagedFolder } from '../io/staging.ts'
import { checkSchema, lazyValidator, type DeepReadonly } from '../jsonSchema.ts'
import type { MetadataDocument } from '../meta/document.ts'
import type { PrivacyRecord } from '../privacy/dpsgd.ts'
import { metadataSchema } from '../schemas/metadataSchema.ts'
import { modelSchema } from '../schemas/modelSchema.ts'
import type { HoldoutRecord } from './holdout.ts'
import { DEFAULT_SAMPLER, Made, type WeightShape, type WeightTensor } from './made.ts'
import type { Model } from './model.ts'
import { Synthesizer } from './synthesizer.ts'
import type { BackendName, Tf } from './tensorflow.ts'

/**
 * A trained model as a folder the user keeps: `model.json` (the manifest) and `weights.bin`
 * (float32 little-endian, in the order of `weights` in the manifest), written to a temporary
 * folder and renamed when complete. docs/model-format.md documents both for other implementations;
 * schemas/model.schema.json is the manifest's schema, checked on load.
 */

/**
 * `model.json` as schemas/model.schema.json declares it (its descriptions say what each field means).
 * The encoding, plans, options, network and sampler are the model's own types written out: the
 * compiler checks that each fits the schema's on save and the schema's fits it on load.
 */
type Manifest = DeepReadonly<Omit<FromSchema<typeof modelSchema, { references: [typeof metadataSchema] }>, 'metadata'>> & {
  // FromSchema resolves the metadata schema's own `#/definitions` against this schema: its type is taken whole.
  readonly metadata: MetadataDocument
}

export const MODEL_FORMAT = modelSchema.properties.format.const
export const MODEL_VERSION = modelSchema.properties.version.const
const MANIFEST = 'model.json'
const WEIGHTS = 'weights.bin'

/** How a model was trained, as its manifest records it (`trainedAt` is added on save). */
export type TrainingRecord = Omit<Manifest['training'], 'trainedAt'>

const manifestValidator = lazyValidator<Manifest>(modelSchema, [metadataSchema])

/**
 * Identifies a metadata document by the choices that shape a model: the columns, their types and
 * what the user decided for each (not where the data was read from, nor the sample's statistics).
 */
export function metadataDigest(document: MetadataDocument): string {
  // Markers go last and only when set, so that documents without them keep their digests.
  const choices = document.columns.map((c) => [
    c.name,
    c.sparkType,
    c.nullable,
    c.partition,
    c.kind,
    c.exclude,
    c.sensitive,
    ...(c.nullValues ? [c.nullValues] : []),
  ])
  return createHash('sha256').update(JSON.stringify(choices)).digest('hex').slice(0, 16)
}

export async function saveModel(folder: string, model: Model, training: TrainingRecord): Promise<void> {
  await writeModelInto(await StagedFolder.open(folder, { overwrite: true, purpose: 'saving a model' }), model, training)
}

/** Writes the model into a folder claimed earlier (a training run claims it before it starts) and moves it into place. */
export async function writeModelInto(staged: StagedFolder, model: Model, training: TrainingRecord): Promise<void> {
  const { metadata, encoding, plans, options, network, sampler, seed, weights } = model.describe()
  const manifest: Manifest = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    metadataDigest: metadataDigest(metadata),
    metadata,
    encoding,
    plans,
    model: options,
    network,
    sampler,
    seed,
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
  await writeFile(path.join(staged.path, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`)
  await writeFile(path.join(staged.path, WEIGHTS), new Uint8Array(bytes.buffer))
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

const TRAIN_AGAIN = 'Train the model again with this version of Spark Synth'

/** A damaged or foreign model folder: the problem names the file and field. */
function damaged(folder: string, problem: string, hint = 'The model folder is damaged: train the model again'): SparkSynthError {
  return new SparkSynthError(problem, hint, { file: folder })
}

/** Reads and checks `model.json`: its JSON, its format and version, its schema, its digest. */
async function readManifest(folder: string): Promise<Manifest> {
  const text = await readFile(path.join(folder, MANIFEST), 'utf8').catch(() => {
    throw damaged(
      folder,
      `no ${MANIFEST} here: this is not a Spark Synth model folder`,
      'Train one first with `spark-synth train <input> -o <model-dir>`',
    )
  })
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    throw damaged(folder, `${MANIFEST} is not valid JSON (${(cause as Error).message})`)
  }
  const { format, version } = (parsed ?? {}) as { format?: unknown; version?: unknown }
  if (format !== MODEL_FORMAT)
    throw damaged(
      folder,
      `${MANIFEST} has format ${JSON.stringify(format)}, not ${MODEL_FORMAT}: this is not a Spark Synth model`,
      TRAIN_AGAIN,
    )
  if (version !== MODEL_VERSION)
    throw damaged(
      folder,
      `${MANIFEST} is ${MODEL_FORMAT} version ${JSON.stringify(version)}; this Spark Synth reads version ${MODEL_VERSION}`,
      TRAIN_AGAIN,
    )
  const checked = checkSchema(manifestValidator(), parsed)
  if (!checked.valid) throw damaged(folder, `${MANIFEST} is invalid: ${checked.problems.join('; ')}`)
  const manifest = checked.document
  if (metadataDigest(manifest.metadata) !== manifest.metadataDigest)
    throw damaged(folder, `${MANIFEST}: metadataDigest does not match metadata`)
  return manifest
}

export async function readModelSummary(folder: string): Promise<ModelSummary> {
  const { metadataDigest, training } = await readManifest(folder)
  return { metadataDigest, backend: training.backend, rows: training.rows, epochs: training.epochs.length, trainedAt: training.trainedAt }
}

/** What a report needs of a model without its weights: the metadata it learned from (`source` is its sample) and the rows it was kept from. */
export async function readModelSample(
  folder: string,
): Promise<{ readonly document: MetadataDocument; readonly holdout?: HoldoutRecord; readonly differentialPrivacy?: PrivacyRecord }> {
  const { metadata, training } = await readManifest(folder)
  return { document: metadata, holdout: training.holdout, differentialPrivacy: training.privacy }
}

/** Where two JSON values first differ, as a field path with both values (`network.inputs is 12, expected 13`). */
function firstDifference(found: unknown, expected: unknown, at: string): string | undefined {
  if (Array.isArray(found) && Array.isArray(expected)) {
    if (found.length !== expected.length) return `${at} has ${found.length} entries, expected ${expected.length}`
    for (let i = 0; i < found.length; i++) {
      const difference = firstDifference(found[i], expected[i], `${at}[${i}]`)
      if (difference) return difference
    }
    return undefined
  }
  if (found && expected && typeof found === 'object' && typeof expected === 'object') {
    for (const key of new Set([...Object.keys(found), ...Object.keys(expected)])) {
      const difference = firstDifference(
        (found as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${at}.${key}`,
      )
      if (difference) return difference
    }
    return undefined
  }
  return found === expected ? undefined : `${at} is ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`
}

/** `weights.bin` cut into the tensors the manifest lists, which must use every value. */
async function readWeights(folder: string, shapes: readonly WeightShape[]): Promise<WeightTensor[]> {
  const raw = await readFile(path.join(folder, WEIGHTS)).catch(() => {
    throw damaged(folder, `${WEIGHTS} is missing`)
  })
  if (raw.byteLength % 4 !== 0) throw damaged(folder, `${WEIGHTS} holds ${raw.byteLength} bytes, not a whole number of float32 values`)
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
  const listed = shapes.reduce((sum, { shape }) => sum + shape.reduce((a, b) => a * b, 1), 0)
  if (listed !== values.length) throw damaged(folder, `${WEIGHTS} holds ${values.length} values where ${MANIFEST}'s weights list ${listed}`)
  let offset = 0
  return shapes.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1)
    offset += size
    return { name, shape, values: values.subarray(offset - size, offset) }
  })
}

/**
 * Loads a model folder. With `expected`, a model trained on a different metadata document is
 * refused: its encoders would not fit the columns the user now describes.
 */
export async function loadModel(
  tf: Tf,
  folder: string,
  expected?: MetadataDocument,
): Promise<{ synthesizer: Synthesizer; training: Manifest['training'] }> {
  const manifest = await readManifest(folder)
  if (expected && metadataDigest(expected) !== manifest.metadataDigest) {
    throw new SparkSynthError(
      'the model was trained on a different metadata document (columns, kinds or exclusions changed since)',
      'Train the model again on the current metadata, or sample with the metadata it was trained on',
      { file: folder },
    )
  }
  const weights = await readWeights(folder, manifest.weights)
  const network = new Made(tf, manifest.encoding, manifest.model, manifest.sampler ?? DEFAULT_SAMPLER)
  try {
    // The recorded wiring and weights must be the ones this network derives from the encoding.
    const mismatch =
      firstDifference(manifest.weights, network.weightShapes(), 'weights') ??
      (manifest.network && firstDifference(manifest.network, network.networkLayout(), 'network'))
    if (mismatch) throw damaged(folder, `${MANIFEST} does not fit its encoding: ${mismatch}`)
    network.restore(weights)
  } catch (error) {
    network.dispose()
    throw error
  }
  return {
    synthesizer: Synthesizer.restore(manifest.metadata, manifest.plans, manifest.encoding, network, manifest.seed),
    training: manifest.training,
  }
}
