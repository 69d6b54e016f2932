/**
 * The host ↔ worker protocol: the only messages that cross the child-process boundary.
 * Each message is declared once, as a schema; its type and its runtime check both derive from it.
 * Objects are strict: both ends are built from these declarations, so a field the other side does
 * not know is a mistake (a field renamed, or added on one side only) that must fail loudly rather
 * than be dropped; it also refuses `__proto__` and `constructor` keys.
 */
import * as v from 'valibot'
import { TABLE_FORMATS } from '../core/io/tableFormat.ts'
import { COLUMN_KINDS } from '../core/meta/kinds.ts'
import type { RestateJob } from '../core/meta/nullValues.ts'
import { MODEL_SIZES } from '../core/meta/trainingChoices.ts'
import { BACKENDS } from '../core/model/tensorflow.ts'
import type { TrainJob } from '../core/model/trainJob.ts'
import type { GenerateJob } from '../core/output/syntheticRun.ts'
import type { RealRowsRequest, SyntheticRowsRequest } from '../core/previewRows.ts'
import { HOLDOUT_SHARE_LIMIT } from '../core/samplingDefaults.ts'
import { FINITE, NON_NEGATIVE_INTEGER, POSITIVE_INTEGER, SEED, describeIssues, notArray } from './schemas.ts'

const BACKEND_CHOICES = ['auto', ...BACKENDS] as const

/** An unknown name is refused here, never taken for `auto`: the user asked for that backend. */
const BACKEND = v.picklist(BACKEND_CHOICES, (issue) => `unknown backend ${issue.received}: choose ${BACKEND_CHOICES.join(', ')}`)

/**
 * One schema for each field of a core job: a field added to the job type but not to its schema
 * here (as `GenerateJob.threads` once was) fails to compile, and so does a schema that lets
 * through a value the job does not take.
 */
type JobFields<Job> = { readonly [K in keyof Required<Job>]: v.GenericSchema<unknown, Job[K]> }

/** `timestamp` is a `Date`, which JSON messages cannot carry; only the CLI offers it. */
const TRAIN_JOB_FIELDS = {
  input: v.string(),
  output: v.string(),
  meta: v.optional(v.string()),
  rows: v.optional(POSITIVE_INTEGER),
  seed: v.optional(SEED),
  epochs: v.optional(POSITIVE_INTEGER),
  timeBudgetSeconds: v.optional(v.pipe(FINITE, v.gtValue(0))),
  modelSize: v.optional(v.picklist(MODEL_SIZES)),
  backend: BACKEND,
  version: v.optional(NON_NEGATIVE_INTEGER),
  holdoutShare: v.optional(v.pipe(FINITE, v.minValue(0), v.ltValue(HOLDOUT_SHARE_LIMIT))),
  epsilon: v.optional(v.pipe(FINITE, v.gtValue(0))),
  delta: v.optional(v.pipe(FINITE, v.gtValue(0), v.ltValue(1))),
  rareValueRows: v.optional(POSITIVE_INTEGER),
} satisfies JobFields<Omit<TrainJob, 'timestamp'>>

/** Conditions (`where`) are the CLI's alone. */
const GENERATE_JOB_FIELDS = {
  model: v.string(),
  rows: POSITIVE_INTEGER,
  output: v.string(),
  seed: SEED,
  overwrite: v.optional(v.boolean()),
  format: v.optional(v.picklist(TABLE_FORMATS)),
  backend: BACKEND,
  report: v.optional(v.boolean()),
  target: v.optional(v.string()),
  threads: v.optional(NON_NEGATIVE_INTEGER),
} satisfies JobFields<Omit<GenerateJob, 'where'>>

const EXTRACT_JOB = v.strictObject({
  type: v.literal('extract'),
  input: v.string(),
  /** Where the metadata document is written. */
  output: v.string(),
  rows: POSITIVE_INTEGER,
  seed: SEED,
  rareValueRows: v.optional(POSITIVE_INTEGER),
})

/** A missing-value marker: a string, or a number JSON carries. */
const NULL_VALUE = v.union([v.string(), FINITE])

/** The editor's "treat as null": one column's statistics restated from the document's sample (see `restatedFigures`). */
const RESTATE_JOB = v.strictObject({
  type: v.literal('restate'),
  ...({
    input: v.string(),
    rows: POSITIVE_INTEGER,
    seed: SEED,
    version: v.optional(NON_NEGATIVE_INTEGER),
    column: v.string(),
    kind: v.picklist(COLUMN_KINDS),
    nullValues: v.nullable(v.array(NULL_VALUE)),
    rareValueRows: POSITIVE_INTEGER,
  } satisfies JobFields<RestateJob>),
})

/** Trains the synthesizer and writes the model folder. */
const TRAIN_WORKER_JOB = v.strictObject({ type: v.literal('train'), ...TRAIN_JOB_FIELDS })

/** Samples a model into an output folder (data, snippets, report). */
const GENERATE_WORKER_JOB = v.strictObject({ type: v.literal('generate'), ...GENERATE_JOB_FIELDS })

/** The editor's data preview: rows of the document's sample (`sampleSize`, `seed`, `version` say which sample), shown as text. */
const PREVIEW_REAL_JOB = v.strictObject({
  type: v.literal('previewReal'),
  input: v.string(),
  sampleSize: POSITIVE_INTEGER,
  seed: SEED,
  version: v.optional(NON_NEGATIVE_INTEGER),
  columns: v.array(v.string()),
  rows: POSITIVE_INTEGER,
} satisfies JobFields<RealRowsRequest> & { type: unknown })

/** The editor's data preview: rows freshly drawn from the model, kept in memory. */
const PREVIEW_SYNTHETIC_JOB = v.strictObject({
  type: v.literal('previewSynthetic'),
  model: v.string(),
  backend: BACKEND,
  seed: SEED,
  columns: v.array(v.string()),
  rows: POSITIVE_INTEGER,
} satisfies JobFields<SyntheticRowsRequest> & { type: unknown })

const HOST_TO_WORKER = notArray(
  v.variant('type', [
    EXTRACT_JOB,
    TRAIN_WORKER_JOB,
    GENERATE_WORKER_JOB,
    PREVIEW_REAL_JOB,
    PREVIEW_SYNTHETIC_JOB,
    RESTATE_JOB,
    v.strictObject({ type: v.literal('cancel') }),
  ]),
)

const WORKER_TO_HOST = notArray(
  v.variant('type', [
    v.strictObject({ type: v.literal('progress'), message: v.string() }),
    v.strictObject({
      type: v.literal('epoch'),
      epoch: FINITE,
      epochs: FINITE,
      loss: FINITE,
      /** The same loss on the rows kept out of training; absent when the sample kept none out. */
      holdoutLoss: v.optional(FINITE),
      /** How long the epoch took. */
      seconds: FINITE,
      rowsPerSecond: FINITE,
      etaSeconds: FINITE,
    }),
    /** Within an epoch: `step` of its `steps` optimizer steps done (a few times a second at most). */
    v.strictObject({ type: v.literal('step'), epoch: FINITE, epochs: FINITE, step: FINITE, steps: FINITE }),
    /** Synthetic rows generated and written so far. */
    v.strictObject({ type: v.literal('rows'), done: FINITE, total: FINITE }),
    v.strictObject({ type: v.literal('log'), message: v.string() }),
    /** Before training: what makes the sample unsafe to learn from without copying rows, and what to do. */
    v.strictObject({ type: v.literal('warning'), message: v.string() }),
    /**
     * A restate job's answer, before `done`: the column's null share and statistics. Their shape is the metadata
     * schema's, which the host checks when it puts them into the document.
     */
    v.strictObject({
      type: v.literal('figures'),
      nullFraction: v.pipe(FINITE, v.minValue(0), v.maxValue(1)),
      precisionNote: v.optional(v.string()),
      stats: notArray(v.looseObject({})),
    }),
    /** `sampleSize`: rows sampled (extract, restate), trained on (train) or generated (generate). */
    v.strictObject({ type: v.literal('done'), output: v.string(), columns: FINITE, sampleSize: FINITE }),
    v.strictObject({ type: v.literal('error'), message: v.string(), file: v.optional(v.string()), column: v.optional(v.string()) }),
    /** A preview job's result, which ends it (in place of `done`): column names and each row's display text, null for null. */
    v.strictObject({ type: v.literal('previewRows'), columns: v.array(v.string()), rows: v.array(v.array(v.nullable(v.string()))) }),
  ]),
)

export type ExtractJob = v.InferOutput<typeof EXTRACT_JOB>
export type TrainWorkerJob = v.InferOutput<typeof TRAIN_WORKER_JOB>
export type GenerateWorkerJob = v.InferOutput<typeof GENERATE_WORKER_JOB>
export type PreviewRealJob = v.InferOutput<typeof PREVIEW_REAL_JOB>
export type PreviewSyntheticJob = v.InferOutput<typeof PREVIEW_SYNTHETIC_JOB>
export type RestateWorkerJob = v.InferOutput<typeof RESTATE_JOB>
export type HostToWorker = v.InferOutput<typeof HOST_TO_WORKER>
export type WorkerToHost = v.InferOutput<typeof WORKER_TO_HOST>

/** The message the worker received, or why it is not one it takes (each field at fault). */
export function readHostToWorker(value: unknown): { readonly message: HostToWorker } | { readonly refused: string } {
  const result = v.safeParse(HOST_TO_WORKER, value)
  return result.success ? { message: result.output } : { refused: describeIssues(result.issues) }
}

export function isHostToWorker(value: unknown): value is HostToWorker {
  return v.is(HOST_TO_WORKER, value)
}

export function isWorkerToHost(value: unknown): value is WorkerToHost {
  return v.is(WORKER_TO_HOST, value)
}
