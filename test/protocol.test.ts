import assert from 'node:assert/strict'
import { test } from 'node:test'
import metadataSchema from '../schemas/synth-meta.schema.json' with { type: 'json' }
import { MAX_EXPRESSION_LENGTH } from '../src/core/rules/expression.ts'
import { IDLE_GENERATION, IDLE_TRAINING, isHostToWebview, isWebviewToHost } from '../src/protocol/webview.ts'
import { isHostToWorker, isWorkerToHost, readHostToWorker } from '../src/protocol/worker.ts'
import { IDLE_SESSION } from '../webview/synthesisStatus.ts'

const EXTRACT = { type: 'extract', input: 'a', output: 'b', rows: 10, seed: 1 }
const TRAIN = { type: 'train', input: 'a', output: 'm', epochs: 3, backend: 'auto' }
const GENERATE = { type: 'generate', model: 'm', rows: 10, output: 'o', seed: 1, backend: 'wasm' }
const EDIT = { type: 'editColumn', index: 0, name: 'age', field: 'kind', value: 'categorical' }
const SESSION = {
  training: IDLE_TRAINING,
  model: null,
  generation: IDLE_GENERATION,
  report: null,
  defaults: { ...IDLE_SESSION.defaults, rows: 10, seed: 1 },
}

/** `{ __proto__: … }` in a literal sets the prototype; a message parsed from JSON has it as its own key. */
const withOwnProto = (message: object): unknown => JSON.parse(JSON.stringify(message).replace(/^\{/, '{"__proto__":{"x":1},'))

test('the worker jobs carry every field of the core jobs: a generate job with threads, a train job with a version', () => {
  assert.ok(isHostToWorker({ ...GENERATE, threads: 4 }))
  assert.ok(isHostToWorker({ ...GENERATE, threads: 0, format: 'parquet', overwrite: true, report: false, target: 'income' }))
  assert.ok(isHostToWorker({ ...TRAIN, meta: 'x.json', rows: 100, seed: 2, timeBudgetSeconds: 60, version: 3 }))
  assert.ok(isHostToWorker({ ...GENERATE, seed: -7 }), 'a negative seed')
  assert.ok(isHostToWorker({ ...TRAIN, timeBudgetSeconds: 0.5 }), 'a fractional time budget')
  assert.ok(isHostToWorker({ ...TRAIN, holdoutShare: 0.1 }) && isHostToWorker({ ...TRAIN, holdoutShare: 0 }), 'a holdout share, or none')
  assert.ok(!isHostToWorker({ ...GENERATE, threads: -1 }), 'negative threads')
  assert.ok(!isHostToWorker({ ...GENERATE, threads: 1.5 }), 'fractional threads')
  assert.ok(!isHostToWorker({ ...GENERATE, threads: '2' }), 'threads as text')
  assert.ok(!isHostToWorker({ ...GENERATE, where: { income: '>50K' } }), 'conditions are the CLI’s alone')
  assert.ok(!isHostToWorker({ ...TRAIN, timestamp: '2026-01-01T00:00:00Z' }), 'a timestamp does not cross the process boundary')
})

test('the worker protocol refuses a missing field, a wrong type, an unknown enum value or type, and extra keys', () => {
  const refused: [string, unknown][] = [
    ['extract without seed', { ...EXTRACT, seed: undefined }],
    ['train without output', { ...TRAIN, output: undefined }],
    ['generate without backend', { ...GENERATE, backend: undefined }],
    ['rows as text', { ...GENERATE, rows: '10' }],
    ['infinite rows', { ...GENERATE, rows: Infinity }],
    ['epochs as text', { ...TRAIN, epochs: '3' }],
    ['negative rows to generate', { ...GENERATE, rows: -5 }],
    ['no rows to generate', { ...GENERATE, rows: 0 }],
    ['fractional rows to sample', { ...EXTRACT, rows: 2.5 }],
    ['a fractional seed', { ...GENERATE, seed: 1.5 }],
    ['a seed past what a double holds exactly', { ...EXTRACT, seed: 2 ** 60 }],
    ['zero epochs', { ...TRAIN, epochs: 0 }],
    ['a negative time budget', { ...TRAIN, timeBudgetSeconds: -1 }],
    ['a holdout of half the sample', { ...TRAIN, holdoutShare: 0.5 }],
    ['a negative holdout share', { ...TRAIN, holdoutShare: -0.1 }],
    ['an unknown backend to train on', { ...TRAIN, backend: 'metal' }],
    ['an unknown backend to generate with', { ...GENERATE, backend: 'gpu' }],
    ['a backend of another case', { ...GENERATE, backend: 'WASM' }],
    ['an unknown output format', { ...GENERATE, format: 'csv' }],
    ['an unknown message type', { type: 'pause' }],
    ['an inherited property as type', { type: 'constructor' }],
    ['an array', [EXTRACT]],
    ['an extra field', { ...EXTRACT, verbose: true }],
    ['an extra field on cancel', { type: 'cancel', force: true }],
    ['an own __proto__ key', withOwnProto(EXTRACT)],
    ['a constructor key', { ...GENERATE, constructor: 'x' }],
  ]
  for (const [what, message] of refused) assert.ok(!isHostToWorker(message), what)
  const answers: [string, unknown][] = [
    ['a done without columns', { type: 'done', output: 'o', sampleSize: 3 }],
    ['a NaN loss', { type: 'epoch', epoch: 1, epochs: 2, loss: NaN, seconds: 1, rowsPerSecond: 1, etaSeconds: 1 }],
    ['an unknown answer', { type: 'notice', message: 'x' }],
    ['an extra field', { type: 'log', message: 'x', level: 'info' }],
    ['an own __proto__ key', withOwnProto({ type: 'rows', done: 1, total: 2 })],
  ]
  for (const [what, message] of answers) assert.ok(!isWorkerToHost(message), what)
})

test('a refused worker message says which field is at fault and why', () => {
  const backend = readHostToWorker({ ...TRAIN, backend: 'metal' })
  assert.ok('refused' in backend)
  assert.equal(backend.refused, 'backend: unknown backend "metal": choose auto, tensorflow, wasm, cpu')
  const rows = readHostToWorker({ ...EXTRACT, rows: 'ten' })
  assert.ok('refused' in rows)
  assert.match(rows.refused, /^rows: .*number/)
  const extra = readHostToWorker({ ...EXTRACT, verbose: true })
  assert.ok('refused' in extra)
  assert.match(extra.refused, /^verbose: /)
  const ok = readHostToWorker({ ...GENERATE, threads: 2 })
  assert.deepEqual(ok, { message: { ...GENERATE, threads: 2 } })
})

test('the webview protocol refuses extra fields and prototype keys, and enum values outside the core lists', () => {
  const refused: [string, unknown][] = [
    ['an extra field on an edit', { ...EDIT, force: true }],
    ['an extra field on ready', { type: 'ready', page: 2 }],
    ['an own __proto__ key on an edit', withOwnProto(EDIT)],
    ['a constructor key', { type: 'train', constructor: 'x' }],
    ['an unknown sensitive handling', { ...EDIT, field: 'sensitive', value: 'hash' }],
    ['a generate without rows', { type: 'generate', seed: 1 }],
    ['an infinite seed', { type: 'generate', rows: 10, seed: Infinity }],
  ]
  for (const [what, message] of refused) assert.ok(!isWebviewToHost(message), what)
  for (const kind of ['continuous', 'integer', 'categorical', 'identifier', 'text', 'constant', 'boolean', 'date', 'timestamp'])
    assert.ok(isWebviewToHost({ ...EDIT, value: kind }), kind)
  for (const handling of ['keep', 'mask', 'fake', 'exclude'])
    assert.ok(isWebviewToHost({ ...EDIT, field: 'sensitive', value: handling }), handling)

  assert.ok(isHostToWebview({ type: 'session', session: SESSION }))
  const sessions: [string, unknown][] = [
    ['an extra field on the session', { ...SESSION, theme: 'dark' }],
    ['an extra field on the training', { ...SESSION, training: { ...IDLE_TRAINING, paused: false } }],
    ['an own __proto__ key on the defaults', { ...SESSION, defaults: withOwnProto({ rows: 10, seed: 1 }) }],
    ['an unknown message type', undefined],
  ]
  for (const [what, session] of sessions)
    assert.ok(!isHostToWebview(session === undefined ? { type: 'refresh' } : { type: 'session', session }), what)
  assert.ok(!isHostToWebview({ type: 'invalid', message: 'x', extra: 1 }), 'an extra field on invalid')
})

test('an array carrying a message’s keys is refused, as structured cloning (the webview’s channel) keeps such keys', () => {
  const asArray = (message: object): unknown => structuredClone(Object.assign([], message))
  assert.ok(!isWebviewToHost(asArray({ type: 'ready' })), 'a ready as an array')
  assert.ok(!isWebviewToHost(asArray(EDIT)), 'an edit as an array')
  assert.ok(!isHostToWorker(asArray(EXTRACT)), 'a job as an array')
  assert.ok(!isWorkerToHost(asArray({ type: 'log', message: 'x' })), 'an answer as an array')
  assert.ok(!isHostToWebview(asArray({ type: 'invalid', message: 'x' })), 'an invalid as an array')
  assert.ok(!isHostToWebview({ type: 'session', session: asArray(SESSION) }), 'the session as an array')
  assert.ok(
    !isHostToWebview({ type: 'session', session: { ...SESSION, defaults: asArray({ rows: 10, seed: 1 }) } }),
    'the defaults as an array',
  )
  assert.ok(!isHostToWebview({ type: 'document', document: { source: [], columns: [] } }), 'a document whose source is an array')
  assert.ok(!isHostToWebview({ type: 'document', document: asArray({ source: {}, columns: [] }) }), 'a document as an array')
  assert.ok(isHostToWebview({ type: 'document', document: { source: {}, columns: [] } }), 'the outline of a document')
})

const said = '`a` <= `b`'

test('the rules messages: declared fields only, kinds and values as the schema allows them', () => {
  const expression = metadataSchema.definitions.rule.oneOf.find((rule) => rule.properties.kind.const === 'expression')
  assert.equal(expression?.properties.expression?.maxLength, MAX_EXPRESSION_LENGTH, 'the schema and the protocol agree')
  const long = { type: 'addRule', rule: { kind: 'expression', column: 'a', expression: '1'.repeat(MAX_EXPRESSION_LENGTH) } }
  assert.ok(isWebviewToHost(long))
  assert.ok(!isWebviewToHost({ ...long, rule: { ...long.rule, expression: `${long.rule.expression}1` } }), 'a longer expression')
  const accepted: unknown[] = [
    { type: 'setRuleStatus', index: 0, said, status: 'rejected' },
    { type: 'removeRule', index: 2, said: '17 <= `age`' },
    { type: 'addRule', rule: { kind: 'range', column: 'age', min: 17, maxExclusive: true } },
    { type: 'addRule', rule: { kind: 'combination', columns: ['a', 'b'] } },
  ]
  for (const message of accepted) assert.ok(isWebviewToHost(message), JSON.stringify(message))
  const refused: [string, unknown][] = [
    ['a status the user does not set', { type: 'setRuleStatus', index: 0, said, status: 'proposed' }],
    ['a negative index', { type: 'removeRule', index: -1, said }],
    ['status from the webview', { type: 'addRule', rule: { kind: 'unique', columns: ['a'], status: 'accepted' } }],
    ['origin from the webview', { type: 'addRule', rule: { kind: 'unique', columns: ['a'], origin: 'detected' } }],
    ['an unknown kind', { type: 'addRule', rule: { kind: 'regex', column: 'a' } }],
    ['a combination of one column', { type: 'addRule', rule: { kind: 'combination', columns: ['a'] } }],
    ['a repeated column', { type: 'addRule', rule: { kind: 'unique', columns: ['a', 'a'] } }],
    ['a step of 0', { type: 'addRule', rule: { kind: 'increment', column: 'a', step: 0 } }],
    ['an infinite bound', { type: 'addRule', rule: { kind: 'range', column: 'a', max: Infinity } }],
    ['a negative tolerance', { type: 'addRule', rule: { kind: 'expression', column: 'a', expression: '1', tolerance: -1 } }],
    ['an empty column name', { type: 'addRule', rule: { kind: 'range', column: '', min: 1 } }],
    ['a rule as an array', { type: 'addRule', rule: Object.assign(['x'], { kind: 'unique', columns: ['a'] }) }],
  ]
  for (const [what, message] of refused) assert.ok(!isWebviewToHost(message), what)
  assert.ok(isHostToWebview({ type: 'ruleRefused', message: 'rule 2 names `nope`' }))
  assert.ok(!isHostToWebview({ type: 'ruleRefused', message: 'x', rule: 1 }))
})
