/**
 * The host ↔ metadata editor webview protocol: the only messages that cross the webview boundary.
 * Declared once here and imported by the extension host and the webview bundle; each side checks
 * what it receives with the guards below.
 */
import { SENSITIVE_HANDLING, type MetadataDocument, type SensitiveHandling } from '../core/meta/document.ts'
import { COLUMN_KINDS, type ColumnKind } from '../core/meta/kinds.ts'

/** A change to one column. `name` guards `index` against a document that changed meanwhile. */
export type ColumnEdit = { readonly index: number; readonly name: string } & (
  | { readonly field: 'kind'; readonly value: ColumnKind }
  | { readonly field: 'exclude'; readonly value: boolean }
  | { readonly field: 'nullable'; readonly value: boolean }
  | { readonly field: 'sensitive'; readonly value: SensitiveHandling }
)

/** Where a run (training or generating) stands. */
export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled'

export interface TrainingView {
  readonly status: RunStatus
  /** Epochs finished and planned (0 of 0 before the first step is reported). */
  readonly epoch: number
  readonly epochs: number
  /** Within the epoch after the finished ones: `step` of its `steps` optimizer steps done. */
  readonly step: number
  readonly steps: number
  /** The loss after each finished epoch, oldest first: the loss chart. */
  readonly losses: readonly number[]
  readonly rowsPerSecond: number
  readonly etaSeconds: number
  /** What it is doing now (`sampling the data`), or why it failed. */
  readonly message: string
}

/** Nothing trained yet in this session of the editor. */
export const IDLE_TRAINING: TrainingView = {
  status: 'idle',
  epoch: 0,
  epochs: 0,
  step: 0,
  steps: 0,
  losses: [],
  rowsPerSecond: 0,
  etaSeconds: 0,
  message: '',
}

/** The model trained on this document, if any. */
export interface ModelView {
  readonly path: string
  readonly trainedAt: string
  readonly epochs: number
  readonly rows: number
  readonly backend: string
  /** Trained on other column choices than the document's now: generating needs training again. */
  readonly stale: boolean
}

export interface GenerationView {
  readonly status: RunStatus
  readonly rowsDone: number
  readonly rows: number
  readonly message: string
  /** The output folder, once written. */
  readonly output?: string
}

export const IDLE_GENERATION: GenerationView = { status: 'idle', rowsDone: 0, rows: 0, message: '' }

/** The headline scores of the last output's quality report. */
export interface ReportView {
  readonly path: string
  readonly overall: number
  readonly columnShapes: number
  readonly columnPairTrends: number
}

/** Everything the editor shows about synthesis for its document; sent whole on every change. */
export interface SessionView {
  readonly training: TrainingView
  readonly model: ModelView | null
  readonly generation: GenerationView
  readonly report: ReportView | null
  /** Rows and seed the Generate form starts with (from the settings and the document). */
  readonly defaults: { readonly rows: number; readonly seed: number }
}

/** The most rows one Generate may ask for. */
export const MAX_GENERATE_ROWS = 1_000_000_000

export type WebviewToHost =
  /** The page has loaded and listens: the host answers with the document. */
  | { readonly type: 'ready' }
  | ({ readonly type: 'editColumn' } & ColumnEdit)
  /** Reopen the document in the text editor, to fix it by hand. */
  | { readonly type: 'openAsText' }
  /** Train the synthesizer on the document (saving it first when it has unsaved edits). */
  | { readonly type: 'train' }
  /** Stop the training or generation that is running. */
  | { readonly type: 'cancel' }
  | { readonly type: 'generate'; readonly rows: number; readonly seed: number }
  | { readonly type: 'openReport' }

export type HostToWebview =
  /** The document as it now stands (after any edit, undo, redo or revert). */
  | { readonly type: 'document'; readonly document: MetadataDocument }
  /** The text is not a valid metadata document: the editor shows why instead of the table. */
  | { readonly type: 'invalid'; readonly message: string }
  | { readonly type: 'session'; readonly session: SessionView }

type Check = (value: unknown) => boolean

const isString: Check = (value) => typeof value === 'string'
const isIndex: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value)
const isObject: Check = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)
const oneOf =
  (allowed: readonly unknown[]): Check =>
  (value) =>
    allowed.includes(value)

/** The value each editable field accepts. */
const FIELD_VALUES: Record<ColumnEdit['field'], Check> = {
  kind: oneOf(COLUMN_KINDS),
  exclude: (value) => typeof value === 'boolean',
  nullable: (value) => typeof value === 'boolean',
  sensitive: oneOf(SENSITIVE_HANDLING),
}

const RUN_STATUSES: readonly RunStatus[] = ['idle', 'running', 'done', 'failed', 'cancelled']
const fields =
  (checks: Record<string, Check>): Check =>
  (value) =>
    isObject(value) && Object.entries(checks).every(([key, check]) => check((value as Record<string, unknown>)[key]))
const nullOr =
  (check: Check): Check =>
  (value) =>
    value === null || check(value)

const isSession: Check = fields({
  training: fields({
    status: oneOf(RUN_STATUSES),
    epoch: isNumber,
    epochs: isNumber,
    step: isNumber,
    steps: isNumber,
    losses: (v) => Array.isArray(v) && v.every(isNumber),
    rowsPerSecond: isNumber,
    etaSeconds: isNumber,
    message: isString,
  }),
  model: nullOr(
    fields({
      path: isString,
      trainedAt: isString,
      epochs: isNumber,
      rows: isNumber,
      backend: isString,
      stale: (v) => typeof v === 'boolean',
    }),
  ),
  generation: fields({
    status: oneOf(RUN_STATUSES),
    rowsDone: isNumber,
    rows: isNumber,
    message: isString,
    output: (v) => v === undefined || isString(v),
  }),
  report: nullOr(fields({ path: isString, overall: isNumber, columnShapes: isNumber, columnPairTrends: isNumber })),
  defaults: fields({ rows: isNumber, seed: isNumber }),
})

const isDocument: Check = (value) =>
  isObject(value) && isObject((value as MetadataDocument).source) && Array.isArray((value as MetadataDocument).columns)

const WEBVIEW_MESSAGES: Record<WebviewToHost['type'], Record<string, Check>> = {
  ready: {},
  editColumn: {
    index: isIndex,
    name: isString,
    field: (value) => isString(value) && Object.hasOwn(FIELD_VALUES, value as string),
  },
  openAsText: {},
  train: {},
  cancel: {},
  generate: {
    rows: (value) => Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_GENERATE_ROWS,
    seed: (value) => Number.isSafeInteger(value),
  },
  openReport: {},
}

const HOST_MESSAGES: Record<HostToWebview['type'], Record<string, Check>> = {
  document: { document: isDocument },
  invalid: { message: isString },
  session: { session: isSession },
}

function matches(value: unknown, table: Record<string, Record<string, Check>>): boolean {
  if (!isObject(value)) return false
  const record = value as Record<string, unknown>
  if (!isString(record.type) || !Object.hasOwn(table, record.type as string)) return false
  return Object.entries(table[record.type as string]).every(([key, check]) => check(record[key]))
}

export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!matches(value, WEBVIEW_MESSAGES)) return false
  const message = value as WebviewToHost
  return message.type !== 'editColumn' || FIELD_VALUES[message.field](message.value)
}

export function isHostToWebview(value: unknown): value is HostToWebview {
  return matches(value, HOST_MESSAGES)
}
