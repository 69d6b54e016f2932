/**
 * The host ↔ metadata editor webview protocol: the only messages that cross the webview boundary.
 * Each message is declared once, as a schema: its type and the check each side runs on what it
 * receives both derive from it. The schemas are valibot's, which check without compiling code
 * (the webview's content security policy forbids `eval`). Objects are strict: a field the other
 * side does not know is a mistake to surface, not to drop, and `__proto__` or `constructor` keys
 * are refused.
 */
import * as v from 'valibot'
import { SENSITIVE_HANDLING, type MetadataDocument } from '../core/meta/document.ts'
import { COLUMN_KINDS } from '../core/meta/kinds.ts'
import { MAX_CHOSEN_EPOCHS, MODEL_SIZES } from '../core/meta/trainingChoices.ts'
import { MAX_EXPRESSION_LENGTH } from '../core/rules/expression.ts'
import { HOLDOUT_SHARE_LIMIT } from '../core/samplingDefaults.ts'
import { FINITE, NON_NEGATIVE_INTEGER, notArray } from './schemas.ts'

/** A change to one column. `name` guards `index` against a document that changed meanwhile. */
const EDITED_COLUMN = { type: v.literal('editColumn'), index: NON_NEGATIVE_INTEGER, name: v.string() }

/** The most missing-value markers one column may list. */
export const MAX_NULL_VALUES = 100

/**
 * A column's missing-value markers (schemas/synth-meta.schema.json `nullValues`): distinct strings or numbers,
 * at least one (null removes them all). The host checks they fit the column's type.
 */
const NULL_VALUES = v.pipe(
  v.array(v.union([v.string(), FINITE])),
  v.minLength(1),
  v.maxLength(MAX_NULL_VALUES),
  v.check((values) => new Set(values).size === values.length, 'expected distinct values'),
)

/** Each editable field, with the values it takes. */
const EDIT_COLUMN = v.variant('field', [
  v.strictObject({ ...EDITED_COLUMN, field: v.literal('kind'), value: v.picklist(COLUMN_KINDS) }),
  v.strictObject({ ...EDITED_COLUMN, field: v.literal('exclude'), value: v.boolean() }),
  v.strictObject({ ...EDITED_COLUMN, field: v.literal('nullable'), value: v.boolean() }),
  v.strictObject({ ...EDITED_COLUMN, field: v.literal('sensitive'), value: v.picklist(SENSITIVE_HANDLING) }),
  v.strictObject({ ...EDITED_COLUMN, field: v.literal('protect'), value: v.boolean() }),
  v.strictObject({ ...EDITED_COLUMN, field: v.literal('nullValues'), value: v.nullable(NULL_VALUES) }),
])

/** The holdout shares a document may choose: 0 (none) up to below one half. */
const HOLDOUT_SHARE = v.pipe(v.number(), v.minValue(0), v.ltValue(HOLDOUT_SHARE_LIMIT))
const EPSILON = v.pipe(FINITE, v.gtValue(0))
const DELTA = v.pipe(v.number(), v.gtValue(0), v.ltValue(1))
const CHOSEN_EPOCHS = v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_CHOSEN_EPOCHS))

/**
 * A change to the document's privacy choices (schemas/synth-meta.schema.json `privacy`). ε null trains
 * without differential privacy; δ null takes the default. k is set at extraction: the document's
 * statistics were protected with it.
 */
const EDIT_PRIVACY = v.variant('field', [
  v.strictObject({ type: v.literal('editPrivacy'), field: v.literal('holdoutShare'), value: HOLDOUT_SHARE }),
  v.strictObject({ type: v.literal('editPrivacy'), field: v.literal('epsilon'), value: v.nullable(EPSILON) }),
  v.strictObject({ type: v.literal('editPrivacy'), field: v.literal('delta'), value: v.nullable(DELTA) }),
])
export type PrivacyEdit = OmitEach<v.InferOutput<typeof EDIT_PRIVACY>, 'type'>

/**
 * A change to the document's training choices (schemas/synth-meta.schema.json `training`). null removes the
 * choice: the settings apply, else the default (epochs from the sample size, no time limit, medium).
 */
const EDIT_TRAINING = v.variant('field', [
  v.strictObject({ type: v.literal('editTraining'), field: v.literal('epochs'), value: v.nullable(CHOSEN_EPOCHS) }),
  v.strictObject({
    type: v.literal('editTraining'),
    field: v.literal('timeBudgetSeconds'),
    value: v.nullable(v.pipe(FINITE, v.gtValue(0))),
  }),
  v.strictObject({ type: v.literal('editTraining'), field: v.literal('modelSize'), value: v.nullable(v.picklist(MODEL_SIZES)) }),
])
export type TrainingEdit = OmitEach<v.InferOutput<typeof EDIT_TRAINING>, 'type'>

/** The utility target (schemas/synth-meta.schema.json `target`): a column's name, or null for none. */
const EDIT_TARGET = v.strictObject({ type: v.literal('editTarget'), column: v.nullable(v.pipe(v.string(), v.minLength(1))) })

const COLUMN_NAME = v.pipe(v.string(), v.minLength(1))
const distinctNames = (least: number) =>
  v.pipe(
    v.array(COLUMN_NAME),
    v.minLength(least),
    v.check((names) => new Set(names).size === names.length, 'expected distinct column names'),
  )

/**
 * A rule the user writes (schemas/synth-meta.schema.json `definitions.rule`, without status, origin and support: the
 * host adds it accepted, from the user). The host checks its columns, types and expression on the document.
 */
const RULE_DRAFT = v.variant('kind', [
  v.strictObject({ kind: v.literal('inequality'), low: COLUMN_NAME, high: COLUMN_NAME, strict: v.boolean() }),
  v.strictObject({ kind: v.literal('combination'), columns: distinctNames(2) }),
  v.strictObject({
    kind: v.literal('range'),
    column: COLUMN_NAME,
    min: v.optional(FINITE),
    max: v.optional(FINITE),
    minExclusive: v.optional(v.boolean()),
    maxExclusive: v.optional(v.boolean()),
  }),
  v.strictObject({ kind: v.literal('increment'), column: COLUMN_NAME, step: v.pipe(FINITE, v.gtValue(0)) }),
  v.strictObject({
    kind: v.literal('expression'),
    column: COLUMN_NAME,
    expression: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_EXPRESSION_LENGTH)),
    tolerance: v.optional(v.pipe(FINITE, v.minValue(0))),
  }),
  v.strictObject({ kind: v.literal('unique'), columns: distinctNames(1) }),
])
export type RuleDraft = v.InferOutput<typeof RULE_DRAFT>

/** A rule the webview drew: its position, and what it said (`describeRule`) to guard against a document that changed meanwhile. */
const SHOWN_RULE = { index: NON_NEGATIVE_INTEGER, said: v.string() }

/** The rules panel's edits: a rule's status set, a user's rule removed, a rule added. */
const EDIT_RULES = [
  v.strictObject({ type: v.literal('setRuleStatus'), ...SHOWN_RULE, status: v.picklist(['accepted', 'rejected']) }),
  v.strictObject({ type: v.literal('removeRule'), ...SHOWN_RULE }),
  v.strictObject({ type: v.literal('addRule'), rule: notArray(RULE_DRAFT) }),
] as const

/** `Omit` applied to each member of a union (TypeScript's own merges the members first). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** A change to one column, as the host applies it: the message without its `type`. */
export type ColumnEdit = OmitEach<v.InferOutput<typeof EDIT_COLUMN>, 'type'>

/** Where a run (training or generating) stands. */
const RUN_STATUS = v.picklist(['idle', 'running', 'done', 'failed', 'cancelled'])
export type RunStatus = v.InferOutput<typeof RUN_STATUS>

const TRAINING_VIEW = v.strictObject({
  status: RUN_STATUS,
  /** Epochs finished and planned (0 of 0 before the first step is reported). */
  epoch: FINITE,
  epochs: FINITE,
  /** Within the epoch after the finished ones: `step` of its `steps` optimizer steps done. */
  step: FINITE,
  steps: FINITE,
  /** The loss after each finished epoch, oldest first: the loss chart. */
  losses: v.array(FINITE),
  /** The same loss on the rows kept out of training, epoch by epoch; empty when the run keeps none out of its sample. */
  holdoutLosses: v.array(FINITE),
  rowsPerSecond: FINITE,
  etaSeconds: FINITE,
  /** What it is doing now (`sampling the data`), or why it failed. */
  message: v.string(),
  /** Before training: what makes the sample unsafe to learn from without copying rows, and what to do. */
  warnings: v.array(v.string()),
})
export type TrainingView = v.InferOutput<typeof TRAINING_VIEW>

/** Nothing trained yet in this session of the editor. */
export const IDLE_TRAINING: TrainingView = {
  status: 'idle',
  epoch: 0,
  epochs: 0,
  step: 0,
  steps: 0,
  losses: [],
  holdoutLosses: [],
  rowsPerSecond: 0,
  etaSeconds: 0,
  message: '',
  warnings: [],
}

/** The model trained on this document, if any. */
const MODEL_VIEW = v.strictObject({
  path: v.string(),
  trainedAt: v.string(),
  epochs: FINITE,
  rows: FINITE,
  backend: v.string(),
  /** Trained on other column choices than the document's now: generating needs training again. */
  stale: v.boolean(),
})
export type ModelView = v.InferOutput<typeof MODEL_VIEW>

const GENERATION_VIEW = v.strictObject({
  status: RUN_STATUS,
  rowsDone: FINITE,
  rows: FINITE,
  message: v.string(),
  /** The output folder, once written. */
  output: v.optional(v.string()),
})
export type GenerationView = v.InferOutput<typeof GENERATION_VIEW>

export const IDLE_GENERATION: GenerationView = { status: 'idle', rowsDone: 0, rows: 0, message: '' }

/** The headline scores of the last output's quality report. */
const REPORT_VIEW = v.strictObject({ path: v.string(), overall: FINITE, columnShapes: FINITE, columnPairTrends: FINITE })
export type ReportView = v.InferOutput<typeof REPORT_VIEW>

/** Everything the editor shows about synthesis for its document; sent whole on every change. */
const SESSION_VIEW = v.strictObject({
  training: notArray(TRAINING_VIEW),
  model: v.nullable(notArray(MODEL_VIEW)),
  generation: notArray(GENERATION_VIEW),
  report: v.nullable(notArray(REPORT_VIEW)),
  /**
   * Rows and seed the Generate form starts with (from the settings and the document), and the privacy and
   * training settings that apply where the document is silent (ε 0: none; δ 0: the default; epochs 0: from
   * the sample size; time budget 0: no limit).
   */
  defaults: notArray(
    v.strictObject({
      rows: FINITE,
      seed: FINITE,
      holdoutShare: HOLDOUT_SHARE,
      epsilon: v.pipe(FINITE, v.minValue(0)),
      delta: v.pipe(FINITE, v.minValue(0), v.ltValue(1)),
      epochs: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
      timeBudgetSeconds: v.pipe(FINITE, v.minValue(0)),
      modelSize: v.picklist(MODEL_SIZES),
    }),
  ),
})
export type SessionView = v.InferOutput<typeof SESSION_VIEW>

/** The most rows one Generate may ask for. */
export const MAX_GENERATE_ROWS = 1_000_000_000

/** The Generate form: rows and seed. */
const GENERATE_FORM = {
  rows: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_GENERATE_ROWS)),
  seed: v.pipe(v.number(), v.safeInteger()),
}

/** The most rows one preview may ask for: a preview is for the eye, and the rows travel as text. */
export const MAX_PREVIEW_ROWS = 1000

/** The data preview's two sources: the document's real sample, or rows freshly drawn from its model. */
const PREVIEW_SOURCE = v.picklist(['real', 'synthetic'])
export type PreviewSource = v.InferOutput<typeof PREVIEW_SOURCE>

const WEBVIEW_TO_HOST = notArray(
  v.variant('type', [
    /** The page has loaded and listens: the host answers with the document. */
    v.strictObject({ type: v.literal('ready') }),
    EDIT_COLUMN,
    EDIT_PRIVACY,
    EDIT_TRAINING,
    EDIT_TARGET,
    ...EDIT_RULES,
    /** Reopen the document in the text editor, to fix it by hand. */
    v.strictObject({ type: v.literal('openAsText') }),
    /** Train the synthesizer on the document (saving it first when it has unsaved edits). */
    v.strictObject({ type: v.literal('train') }),
    /** Stop the training or generation that is running. */
    v.strictObject({ type: v.literal('cancel') }),
    v.strictObject({ type: v.literal('generate'), ...GENERATE_FORM }),
    /** The Generate form's values as typed (once they read as numbers): kept for the next editor of the document. */
    v.strictObject({ type: v.literal('rememberGenerate'), ...GENERATE_FORM }),
    v.strictObject({ type: v.literal('openReport') }),
    /** Rows for the data preview; `seed` draws synthetic rows (real rows follow the document's sample). */
    v.strictObject({
      type: v.literal('previewRows'),
      which: PREVIEW_SOURCE,
      rows: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_PREVIEW_ROWS)),
      seed: v.optional(v.pipe(v.number(), v.safeInteger())),
    }),
  ]),
)
export type WebviewToHost = v.InferOutput<typeof WEBVIEW_TO_HOST>
export type RuleEdit = Extract<WebviewToHost, { type: (typeof EDIT_RULES)[number]['entries']['type']['literal'] }>

/**
 * The host sends a document it has validated against the metadata JSON Schema (or the `invalid`
 * message instead): the webview checks only its outline, and the bundle stays without that schema.
 */
const DOCUMENT = v.custom<MetadataDocument>(
  (value) => v.is(notArray(v.looseObject({ source: notArray(v.looseObject({})), columns: v.array(v.unknown()) })), value),
  'expected a metadata document',
)

const HOST_TO_WEBVIEW = notArray(
  v.variant('type', [
    /** The document as it now stands (after any edit, undo, redo or revert). */
    v.strictObject({ type: v.literal('document'), document: DOCUMENT }),
    /** The text is not a valid metadata document: the editor shows why instead of the table. */
    v.strictObject({ type: v.literal('invalid'), message: v.string() }),
    v.strictObject({ type: v.literal('session'), session: notArray(SESSION_VIEW) }),
    /**
     * The data preview's rows as display text (null for null), for the named columns in document order;
     * `note` says what is left out (columns past the first few, excluded ones).
     */
    v.strictObject({
      type: v.literal('previewRows'),
      which: PREVIEW_SOURCE,
      columns: v.array(v.string()),
      rows: v.array(v.array(v.nullable(v.string()))),
      note: v.optional(v.string()),
    }),
    /** Why the rules panel's last edit was refused (naming the rule); the document is unchanged. */
    v.strictObject({ type: v.literal('ruleRefused'), message: v.string() }),
    /** Why the preview has no rows, and what to do. */
    v.strictObject({ type: v.literal('previewFailed'), which: PREVIEW_SOURCE, message: v.string() }),
  ]),
)
export type PreviewRowsMessage = Extract<v.InferOutput<typeof HOST_TO_WEBVIEW>, { type: 'previewRows' }>
export type HostToWebview = v.InferOutput<typeof HOST_TO_WEBVIEW>

export function isWebviewToHost(value: unknown): value is WebviewToHost {
  return v.is(WEBVIEW_TO_HOST, value)
}

export function isHostToWebview(value: unknown): value is HostToWebview {
  return v.is(HOST_TO_WEBVIEW, value)
}
