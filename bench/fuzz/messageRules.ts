/**
 * The fuzzer's own reading of the two message protocols, written from their documented rules
 * (`src/protocol/*.ts`) without calling their schemas: it decides which generated messages are
 * allowed, and the schemas must agree. Only the lists of values (backends, formats, column kinds,
 * sensitive handling) are shared, as they are the product's vocabulary rather than its checks.
 */
import { TABLE_FORMATS } from '../../src/core/io/tableFormat.ts'
import { SENSITIVE_HANDLING } from '../../src/core/meta/document.ts'
import { COLUMN_KINDS } from '../../src/core/meta/kinds.ts'
import { MODEL_SIZES } from '../../src/core/meta/trainingChoices.ts'
import { BACKENDS } from '../../src/core/model/tensorflow.ts'

export type Rule = (value: unknown) => boolean

/** An object as messages carry it: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const text: Rule = (value) => typeof value === 'string'
const flag: Rule = (value) => typeof value === 'boolean'
/** What JSON carries faithfully: not NaN, not ±Infinity. */
const finite: Rule = (value) => typeof value === 'number' && Number.isFinite(value)
const wholeFrom =
  (low: number, high = Number.MAX_SAFE_INTEGER): Rule =>
  (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= low && value <= high
const count = wholeFrom(0)
const positiveCount = wholeFrom(1)
const seedNumber = wholeFrom(Number.MIN_SAFE_INTEGER)
const positive: Rule = (value) => finite(value) && (value as number) > 0
const atLeastZero: Rule = (value) => typeof value === 'number' && value >= 0 && Number.isFinite(value)
/** Strictly between 0 and 1: δ. */
const share: Rule = (value) => positive(value) && (value as number) < 1
/** From 0 to below one half: the holdout share. */
const holdoutShare: Rule = (value) => atLeastZero(value) && (value as number) < 0.5
const oneOf =
  (values: readonly string[]): Rule =>
  (value) =>
    typeof value === 'string' && values.includes(value)
const nullOr =
  (rule: Rule): Rule =>
  (value) =>
    value === null || rule(value)
const listOf =
  (rule: Rule): Rule =>
  (value) =>
    Array.isArray(value) && value.every(rule)

interface Field {
  readonly rule: Rule
  readonly optional: boolean
}
type Fields = Readonly<Record<string, Field>>

const required = (rule: Rule): Field => ({ rule, optional: false })
const optional = (rule: Rule): Field => ({ rule, optional: true })

/** Exactly the declared own keys (no others, `__proto__` included), each present unless optional (absent or undefined). */
function exactly(fields: Fields): Rule {
  return (value) =>
    isRecord(value) &&
    Object.keys(value).every((key) => Object.hasOwn(fields, key)) &&
    Object.entries(fields).every(([key, field]) =>
      Object.hasOwn(value, key) ? (field.optional && value[key] === undefined) || field.rule(value[key]) : field.optional,
    )
}

/** One of several messages told apart by `type`: the message of that type must hold exactly its own fields. */
function byType(messages: Readonly<Record<string, readonly Fields[]>>): Rule {
  const rules = new Map(
    Object.entries(messages).map(([type, variants]) => [type, variants.map((fields) => exactly({ type: required(text), ...fields }))]),
  )
  return (value) => {
    if (!isRecord(value) || !Object.hasOwn(value, 'type') || typeof value.type !== 'string') return false
    return rules.get(value.type)?.some((rule) => rule(value)) ?? false
  }
}

const backend = required(oneOf(['auto', ...BACKENDS]))

/** The columns a preview job reads or draws: names, in order. */
const columnNames = required(listOf(text))

/** A missing-value marker: a string or a finite number. */
const nullValue: Rule = (value) => text(value) || finite(value)
const objectValue: Rule = isRecord

/** host → worker: six jobs (two of them the editor's data preview, one restating a column's figures) and a cancel. */
export const hostToWorkerAllowed = byType({
  restate: [
    {
      input: required(text),
      rows: required(positiveCount),
      seed: required(seedNumber),
      version: optional(count),
      column: required(text),
      kind: required(oneOf(COLUMN_KINDS)),
      nullValues: required(nullOr(listOf(nullValue))),
      rareValueRows: required(positiveCount),
    },
  ],
  extract: [
    {
      input: required(text),
      output: required(text),
      rows: required(positiveCount),
      seed: required(seedNumber),
      rareValueRows: optional(positiveCount),
    },
  ],
  train: [
    {
      input: required(text),
      output: required(text),
      meta: optional(text),
      rows: optional(positiveCount),
      seed: optional(seedNumber),
      epochs: optional(positiveCount),
      timeBudgetSeconds: optional(positive),
      modelSize: optional(oneOf(MODEL_SIZES)),
      backend,
      version: optional(count),
      holdoutShare: optional(holdoutShare),
      epsilon: optional(positive),
      delta: optional(share),
      rareValueRows: optional(positiveCount),
    },
  ],
  generate: [
    {
      model: required(text),
      rows: required(positiveCount),
      output: required(text),
      seed: required(seedNumber),
      overwrite: optional(flag),
      format: optional(oneOf(TABLE_FORMATS)),
      backend,
      report: optional(flag),
      target: optional(text),
      threads: optional(count),
    },
  ],
  previewReal: [
    {
      input: required(text),
      sampleSize: required(positiveCount),
      seed: required(seedNumber),
      version: optional(count),
      columns: columnNames,
      rows: required(positiveCount),
    },
  ],
  previewSynthetic: [{ model: required(text), backend, seed: required(seedNumber), columns: columnNames, rows: required(positiveCount) }],
  cancel: [{}],
})

/** Rows of display text: each cell a string, or null for a null value. */
const displayRows = required(listOf(listOf(nullOr(text))))
const previewSource = required(oneOf(['real', 'synthetic']))

/** worker → host: progress, logs, the result or the error. */
export const workerToHostAllowed = byType({
  progress: [{ message: required(text) }],
  epoch: [
    {
      epoch: required(finite),
      epochs: required(finite),
      loss: required(finite),
      holdoutLoss: optional(finite),
      seconds: required(finite),
      rowsPerSecond: required(finite),
      etaSeconds: required(finite),
    },
  ],
  step: [{ epoch: required(finite), epochs: required(finite), step: required(finite), steps: required(finite) }],
  rows: [{ done: required(finite), total: required(finite) }],
  figures: [
    {
      nullFraction: required((value) => finite(value) && (value as number) >= 0 && (value as number) <= 1),
      precisionNote: optional(text),
      stats: required(objectValue),
    },
  ],
  log: [{ message: required(text) }],
  warning: [{ message: required(text) }],
  done: [{ output: required(text), columns: required(finite), sampleSize: required(finite) }],
  error: [{ message: required(text), file: optional(text), column: optional(text) }],
  previewRows: [{ columns: columnNames, rows: displayRows }],
})

/** The editable column fields and the values each takes. */
const COLUMN_FIELDS: Readonly<Record<string, Rule>> = {
  kind: oneOf(COLUMN_KINDS),
  exclude: flag,
  nullable: flag,
  sensitive: oneOf(SENSITIVE_HANDLING),
  protect: flag,
  /** Null, or 1 to 100 distinct strings or finite numbers. */
  nullValues: nullOr(
    (value) =>
      listOf(nullValue)(value) &&
      (value as unknown[]).length >= 1 &&
      (value as unknown[]).length <= 100 &&
      new Set(value as unknown[]).size === (value as unknown[]).length,
  ),
}

/** A column's name in a rule: never empty. */
const columnName: Rule = (value) => typeof value === 'string' && value.length > 0
/** At least `least` distinct column names. */
const distinctNames =
  (least: number): Rule =>
  (value) =>
    listOf(columnName)(value) && (value as unknown[]).length >= least && new Set(value as unknown[]).size === (value as unknown[]).length

/** A rule the user writes: the schema's rule fields by kind, without status, origin or support (the host adds them). */
const RULE_KINDS: Readonly<Record<string, Fields>> = {
  inequality: { low: required(columnName), high: required(columnName), strict: required(flag) },
  combination: { columns: required(distinctNames(2)) },
  range: {
    column: required(columnName),
    min: optional(finite),
    max: optional(finite),
    minExclusive: optional(flag),
    maxExclusive: optional(flag),
  },
  increment: { column: required(columnName), step: required(positive) },
  expression: {
    column: required(columnName),
    expression: required((value) => typeof value === 'string' && value.length >= 1 && value.length <= 2000),
    tolerance: optional(atLeastZero),
  },
  unique: { columns: required(distinctNames(1)) },
}
const ruleDraft: Rule = (value) =>
  isRecord(value) &&
  typeof value.kind === 'string' &&
  Object.hasOwn(RULE_KINDS, value.kind) &&
  exactly({ kind: required(text), ...RULE_KINDS[value.kind] })(value)

/** A rule the webview drew: its position and what it said. */
const SHOWN_RULE = { index: required(count), said: required(text) }

/** The Generate form's rows and seed. */
const GENERATE_FORM = { rows: required(wholeFrom(1, 1_000_000_000)), seed: required(seedNumber) }

/** webview → host: the editor's requests. */
export const webviewToHostAllowed = byType({
  ready: [{}],
  editColumn: Object.entries(COLUMN_FIELDS).map(([field, rule]) => ({
    index: required(count),
    name: required(text),
    field: required(oneOf([field])),
    value: required(rule),
  })),
  openAsText: [{}],
  train: [{}],
  cancel: [{}],
  generate: [GENERATE_FORM],
  rememberGenerate: [GENERATE_FORM],
  openReport: [{}],
  /** Up to 1,000 rows; a seed only draws synthetic rows, but may come with either. */
  previewRows: [{ which: previewSource, rows: required(wholeFrom(1, 1000)), seed: optional(seedNumber) }],
  editPrivacy: [
    { field: required(oneOf(['holdoutShare'])), value: required(holdoutShare) },
    { field: required(oneOf(['epsilon'])), value: required(nullOr(positive)) },
    { field: required(oneOf(['delta'])), value: required(nullOr(share)) },
  ],
  /** null removes a training choice; epochs at most 10,000 as the document schema says. */
  editTraining: [
    { field: required(oneOf(['epochs'])), value: required(nullOr(wholeFrom(1, 10_000))) },
    { field: required(oneOf(['timeBudgetSeconds'])), value: required(nullOr(positive)) },
    { field: required(oneOf(['modelSize'])), value: required(nullOr(oneOf(MODEL_SIZES))) },
  ],
  /** A column's name (never empty), or null for no target. */
  editTarget: [{ column: required(nullOr((value) => typeof value === 'string' && value.length > 0)) }],
  /** The user sets accepted or rejected; proposed is extraction's. */
  setRuleStatus: [{ ...SHOWN_RULE, status: required(oneOf(['accepted', 'rejected'])) }],
  removeRule: [SHOWN_RULE],
  addRule: [{ rule: required(ruleDraft) }],
})

const status = required(oneOf(['idle', 'running', 'done', 'failed', 'cancelled']))

const session = exactly({
  training: required(
    exactly({
      status,
      epoch: required(finite),
      epochs: required(finite),
      step: required(finite),
      steps: required(finite),
      losses: required(listOf(finite)),
      holdoutLosses: required(listOf(finite)),
      rowsPerSecond: required(finite),
      etaSeconds: required(finite),
      message: required(text),
      warnings: required(listOf(text)),
    }),
  ),
  model: required(
    nullOr(
      exactly({
        path: required(text),
        trainedAt: required(text),
        epochs: required(finite),
        rows: required(finite),
        backend: required(text),
        stale: required(flag),
      }),
    ),
  ),
  generation: required(
    exactly({ status, rowsDone: required(finite), rows: required(finite), message: required(text), output: optional(text) }),
  ),
  report: required(
    nullOr(
      exactly({ path: required(text), overall: required(finite), columnShapes: required(finite), columnPairTrends: required(finite) }),
    ),
  ),
  defaults: required(
    exactly({
      rows: required(finite),
      seed: required(finite),
      holdoutShare: required(holdoutShare),
      epsilon: required(atLeastZero),
      delta: required((value) => atLeastZero(value) && (value as number) < 1),
      epochs: required(count),
      timeBudgetSeconds: required(atLeastZero),
      modelSize: required(oneOf(MODEL_SIZES)),
    }),
  ),
})

/** The webview checks only a document's outline (the host validated it): an object with a `source` object and a `columns` array. */
const documentOutline: Rule = (value) =>
  isRecord(value) &&
  Object.hasOwn(value, 'source') &&
  isRecord(value.source) &&
  Object.hasOwn(value, 'columns') &&
  Array.isArray(value.columns)

/**
 * host → webview: the document, why it is invalid, the synthesis session, the data preview's rows or why there are
 * none, or why a rules edit was refused.
 */
export const hostToWebviewAllowed = byType({
  document: [{ document: required(documentOutline) }],
  invalid: [{ message: required(text) }],
  session: [{ session: required(session) }],
  previewRows: [{ which: previewSource, columns: columnNames, rows: displayRows, note: optional(text) }],
  previewFailed: [{ which: previewSource, message: required(text) }],
  ruleRefused: [{ message: required(text) }],
})
