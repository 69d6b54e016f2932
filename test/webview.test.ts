import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseMetadata, serializeMetadata } from '../src/core/meta/metadataFile.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { privacyChoices } from '../src/core/meta/privacyChoices.ts'
import { applyColumnEdit } from '../src/host/columnEdit.ts'
import { applyPrivacyEdit } from '../src/host/privacyEdit.ts'
import { contentSecurityPolicy, metadataEditorHtml } from '../src/host/webviewHtml.ts'
import { isHostToWebview, isWebviewToHost, MAX_GENERATE_ROWS, type SessionView } from '../src/protocol/webview.ts'
import { histogramBars } from '../webview/charts.ts'
import { formatInstant, formatNumber, formatShare, formatValue } from '../webview/format.ts'
import { parseRows, parseSeed } from '../webview/generateInput.ts'
import { privacySummary, protectionSummary } from '../webview/privacyChoices.ts'
import { canGenerate, formatTimeLeft, formatTrainedAt, generationStatus, IDLE_SESSION, trainingStatus } from '../webview/synthesisStatus.ts'
import { scrollToReveal, targetRow, visibleWindow } from '../webview/virtualRows.ts'
import { wideDocument } from './e2e/wideDocument.ts'
import { EXAMPLE_ADULT, defined } from './helpers.ts'

const adult: Promise<MetadataDocument> = sampleDataset(EXAMPLE_ADULT, { rows: 2000, seed: 3 }).then(({ summary, table }) =>
  extractMetadata(summary, table),
)

test('the webview → host guard accepts the declared messages', () => {
  assert.ok(isWebviewToHost({ type: 'ready' }))
  assert.ok(isWebviewToHost({ type: 'openAsText' }))
  assert.ok(isWebviewToHost({ type: 'editColumn', index: 0, name: 'age', field: 'kind', value: 'categorical' }))
  assert.ok(isWebviewToHost({ type: 'editColumn', index: 14, name: 'income', field: 'exclude', value: true }))
  assert.ok(isWebviewToHost({ type: 'editColumn', index: 3, name: 'education', field: 'sensitive', value: 'fake' }))
  assert.ok(isWebviewToHost({ type: 'editColumn', index: 2, name: 'fnlwgt', field: 'nullable', value: false }))
  assert.ok(isWebviewToHost({ type: 'train' }))
  assert.ok(isWebviewToHost({ type: 'cancel' }))
  assert.ok(isWebviewToHost({ type: 'generate', rows: 1000, seed: -3 }))
  assert.ok(isWebviewToHost({ type: 'generate', rows: MAX_GENERATE_ROWS, seed: 0 }))
  assert.ok(isWebviewToHost({ type: 'openReport' }))
  assert.ok(isWebviewToHost({ type: 'editColumn', index: 2, name: 'fnlwgt', field: 'protect', value: false }))
  assert.ok(isWebviewToHost({ type: 'editPrivacy', field: 'holdoutShare', value: 0 }))
  assert.ok(isWebviewToHost({ type: 'editPrivacy', field: 'epsilon', value: 4 }))
  assert.ok(isWebviewToHost({ type: 'editPrivacy', field: 'epsilon', value: null }))
  assert.ok(isWebviewToHost({ type: 'editPrivacy', field: 'delta', value: 1e-6 }))
  assert.ok(isWebviewToHost({ type: 'editPrivacy', field: 'delta', value: null }))
})

test('the webview → host guard refuses malformed messages', () => {
  const edit = { type: 'editColumn', index: 0, name: 'age', field: 'kind', value: 'integer' }
  const malformed: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [edit]],
    ['no type', { ...edit, type: undefined }],
    ['an unknown type', { type: 'deleteColumn' }],
    ['an inherited property as type', { type: 'toString' }],
    ['an unknown kind', { ...edit, value: 'float' }],
    ['a kind of the wrong type', { ...edit, value: 3 }],
    ['exclude as a string', { ...edit, field: 'exclude', value: 'true' }],
    ['an unknown sensitive handling', { ...edit, field: 'sensitive', value: 'delete' }],
    ['a field that is not editable', { ...edit, field: 'name', value: 'x' }],
    ['an inherited field', { ...edit, field: '__proto__', value: {} }],
    ['a negative index', { ...edit, index: -1 }],
    ['a fractional index', { ...edit, index: 1.5 }],
    ['a NaN index', { ...edit, index: NaN }],
    ['an index as text', { ...edit, index: '0' }],
    ['no column name', { ...edit, name: undefined }],
    ['nullable as a string', { ...edit, field: 'nullable', value: 'false' }],
    ['nullable as a number', { ...edit, field: 'nullable', value: 0 }],
    ['no rows to generate', { type: 'generate', rows: 0, seed: 1 }],
    ['fractional rows', { type: 'generate', rows: 1.5, seed: 1 }],
    ['rows as text', { type: 'generate', rows: '10', seed: 1 }],
    ['more rows than allowed', { type: 'generate', rows: 2e9, seed: 1 }],
    ['NaN rows', { type: 'generate', rows: NaN, seed: 1 }],
    ['a fractional seed', { type: 'generate', rows: 10, seed: 1.5 }],
    ['no seed', { type: 'generate', rows: 10 }],
    ['protect as a string', { ...edit, field: 'protect', value: 'yes' }],
    ['a holdout share of one half', { type: 'editPrivacy', field: 'holdoutShare', value: 0.5 }],
    ['a negative holdout share', { type: 'editPrivacy', field: 'holdoutShare', value: -0.1 }],
    ['a holdout share of null', { type: 'editPrivacy', field: 'holdoutShare', value: null }],
    ['ε of 0', { type: 'editPrivacy', field: 'epsilon', value: 0 }],
    ['an infinite ε', { type: 'editPrivacy', field: 'epsilon', value: Infinity }],
    ['δ of 1', { type: 'editPrivacy', field: 'delta', value: 1 }],
    ['k from the editor (set at extraction)', { type: 'editPrivacy', field: 'rareValueRows', value: 3 }],
    ['an extra field on a privacy edit', { type: 'editPrivacy', field: 'epsilon', value: 4, delta: 1e-5 }],
  ]
  for (const [what, message] of malformed) assert.ok(!isWebviewToHost(message), what)
})

test('the host → webview guard checks the message shapes', async () => {
  assert.ok(isHostToWebview({ type: 'document', document: await adult }))
  assert.ok(isHostToWebview({ type: 'invalid', message: 'x.synth-meta.json: not valid JSON' }))
  assert.ok(!isHostToWebview({ type: 'document', document: { source: {} } }))
  assert.ok(!isHostToWebview({ type: 'document', document: null }))
  assert.ok(!isHostToWebview({ type: 'invalid', message: 42 }))
  assert.ok(!isHostToWebview({ type: 'editColumn', index: 0, name: 'age', field: 'kind', value: 'integer' }))
})

const MODEL = {
  path: '/w/adult.synth-model',
  trainedAt: '2026-11-25T17:02:33.120Z',
  epochs: 20,
  rows: 32561,
  backend: 'wasm',
  stale: false,
}

/** A session: the idle one with some parts replaced. */
function session(change: Partial<SessionView> = {}): SessionView {
  return { ...IDLE_SESSION, ...change }
}

const running = (change: Partial<SessionView['training']> = {}): Partial<SessionView> => ({
  training: {
    status: 'running',
    epoch: 3,
    epochs: 20,
    step: 0,
    steps: 0,
    losses: [14.2, 13.1, 12.471],
    holdoutLosses: [14.5, 13.6, 13.2],
    rowsPerSecond: 25_312,
    etaSeconds: 40.2,
    message: 'sampling the data',
    warnings: [],
    ...change,
  },
})

test('the host → webview guard checks session messages', () => {
  const full = session({
    ...running(),
    model: MODEL,
    generation: { status: 'done', rowsDone: 10, rows: 10, message: '', output: '/w/out' },
    report: { path: '/w/out/report.json', overall: 0.987, columnShapes: 0.991, columnPairTrends: 0.982 },
  })
  assert.ok(isHostToWebview({ type: 'session', session: IDLE_SESSION }))
  assert.ok(isHostToWebview({ type: 'session', session: full }))
  const malformed: [string, unknown][] = [
    ['no session', undefined],
    ['a training status not in the list', { ...full, training: { ...full.training, status: 'paused' } }],
    ['a generation status not in the list', { ...full, generation: { ...full.generation, status: 'finished' } }],
    ['a loss that is a string', { ...full, training: { ...full.training, losses: [14.2, '13.1'] } }],
    ['a loss that is not finite', { ...full, training: { ...full.training, losses: [Infinity] } }],
    ['no step count', { ...full, training: { ...full.training, steps: undefined } }],
    ['a model without stale', { ...full, model: { ...MODEL, stale: undefined } }],
    ['an output that is not text', { ...full, generation: { ...full.generation, output: 3 } }],
    ['no defaults', { ...full, defaults: undefined }],
  ]
  for (const [what, value] of malformed) assert.ok(!isHostToWebview({ type: 'session', session: value }), what)
})

test('the Generate fields read whole numbers with separators, and say what is wrong otherwise', () => {
  for (const [text, rows] of [
    ['1000', 1000],
    [' 50000 ', 50000],
    ['1,000,000', 1e6],
    ['1_000_000', 1e6],
    ['007', 7],
    ['1,000,000,000', MAX_GENERATE_ROWS],
  ] as const) {
    assert.deepEqual(parseRows(text), { value: rows }, text)
  }
  const rowsProblem = (text: string) => {
    const parsed = parseRows(text)
    return 'problem' in parsed ? parsed.problem : undefined
  }
  assert.equal(rowsProblem(''), 'Rows: enter how many rows to generate.')
  for (const text of ['abc', '1.5', '1e6', '-5', '10,00', '1,0000', '+3', '12 000', '0x10'])
    assert.equal(rowsProblem(text), 'Rows must be a whole number, such as 50000 or 50,000.', text)
  assert.equal(rowsProblem('0'), 'Rows must be at least 1.')
  assert.equal(rowsProblem('1_000_000_001'), 'Rows can be at most 1,000,000,000.')

  for (const [text, seed] of [
    ['42', 42],
    ['-3', -3],
    ['0', 0],
    ['-0', 0],
    ['1_000', 1000],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', Number.MIN_SAFE_INTEGER],
  ] as const) {
    assert.deepEqual(parseSeed(text), { value: seed }, text)
  }
  assert.ok('problem' in parseSeed(''))
  for (const text of ['1.5', 'abc', '--1', '- 1', '4e2'])
    assert.deepEqual(parseSeed(text), { problem: 'Seed must be a whole number, such as 42 or -7.' }, text)
  assert.deepEqual(parseSeed('9007199254740992'), { problem: 'Seed must lie between -9,007,199,254,740,991 and 9,007,199,254,740,991.' })
})

test('the training line says what runs, how the last run ended, or which model there is', () => {
  assert.equal(trainingStatus(IDLE_SESSION), 'No model yet: Train learns the table from the sample.')
  assert.equal(trainingStatus(session(running({ epoch: 0, epochs: 0, losses: [] }))), 'Training: sampling the data')
  assert.equal(
    trainingStatus(session(running({ epoch: 0, epochs: 20, step: 24, steps: 51, losses: [] }))),
    'Training: epoch 1 of 20, step 24 of 51',
    'within the first epoch, its steps',
  )
  assert.equal(trainingStatus(session(running())), 'Training: epoch 3 of 20 · loss 12.471 · 25,300 rows/s · about 40 s left')
  assert.equal(
    trainingStatus(session(running({ epoch: 20, etaSeconds: 0 }))),
    'Training: epoch 20 of 20 · loss 12.471 · 25,300 rows/s',
    'no estimate once nothing is left',
  )
  assert.equal(trainingStatus(session({ model: MODEL })), 'Model trained 2026-11-25 17:02 UTC on 32,561 rows, 20 epochs (wasm)')
  assert.equal(
    trainingStatus(session({ model: { ...MODEL, epochs: 1, rows: 1 } })),
    'Model trained 2026-11-25 17:02 UTC on 1 row, 1 epoch (wasm)',
  )
  assert.equal(
    trainingStatus(session({ model: { ...MODEL, stale: true } })),
    'The model was trained on other column choices: train again before generating.',
  )
  assert.equal(trainingStatus(session(running({ status: 'failed', message: 'out of memory' }))), 'Training failed: out of memory')
  assert.equal(
    trainingStatus(session({ ...running({ status: 'cancelled' }), model: MODEL })),
    'Training cancelled: the previous model, if any, is kept.',
  )
  assert.equal(formatTimeLeft(0.4), '')
  assert.equal(formatTimeLeft(59.4), 'about 59 s left')
  assert.equal(formatTimeLeft(150), 'about 3 min left')
  assert.equal(formatTimeLeft(3 * 3600 + 125), 'about 3 h 2 min left')
  assert.equal(formatTrainedAt('yesterday'), 'yesterday', 'what is not an instant shows as it is')
})

test('the generation line follows the run and ends with the output and its quality', () => {
  const generation = (change: Partial<SessionView['generation']>) => ({
    generation: { status: 'running' as const, rowsDone: 200_000, rows: 1_000_000, message: 'loading the model', ...change },
  })
  assert.equal(generationStatus(IDLE_SESSION), '')
  assert.equal(generationStatus(session(generation({ rowsDone: 0 }))), 'Generating 1,000,000 rows: loading the model')
  assert.equal(generationStatus(session(generation({}))), 'Generating 200,000 of 1,000,000 rows')
  assert.equal(
    generationStatus(session(generation({ rowsDone: 1_000_000, message: 'comparing the synthetic rows with the real ones' }))),
    'Generated 1,000,000 rows: comparing the synthetic rows with the real ones',
  )
  const done = generation({ status: 'done', rowsDone: 1_000_000, output: '/w/adult_synthetic' })
  assert.equal(generationStatus(session(done)), 'Wrote /w/adult_synthetic')
  const report = { path: '/w/adult_synthetic/report.json', overall: 0.98712, columnShapes: 0.991, columnPairTrends: 0.9824 }
  assert.equal(
    generationStatus(session({ ...done, report })),
    'Wrote /w/adult_synthetic · Quality 0.987 (column shapes 0.991, pair trends 0.982)',
  )
  assert.equal(generationStatus(session(generation({ status: 'failed', message: 'disk full' }))), 'Generation failed: disk full')
  assert.equal(generationStatus(session(generation({ status: 'cancelled' }))), 'Generation cancelled: nothing was written.')
})

test('Generate needs a model that fits the document and nothing running', () => {
  assert.ok(!canGenerate(IDLE_SESSION))
  assert.ok(canGenerate(session({ model: MODEL })))
  assert.ok(!canGenerate(session({ model: { ...MODEL, stale: true } })))
  assert.ok(!canGenerate(session({ ...running(), model: MODEL })))
  assert.ok(!canGenerate(session({ model: MODEL, generation: { status: 'running', rowsDone: 0, rows: 10, message: '' } })))
})

test('an edit changes one field of one column, and the result is a valid document that diffs in one line', async () => {
  const document = await adult
  const outcome = applyColumnEdit(document, { index: 0, name: 'age', field: 'kind', value: 'categorical' })
  assert.ok('document' in outcome)
  assert.equal(outcome.document.columns[0].kind, 'categorical')
  assert.equal(outcome.document.columns[0].detectedKind, 'integer')
  assert.equal(document.columns[0].kind, 'integer', 'the original is not modified')
  const before = serializeMetadata(document).split('\n')
  const after = serializeMetadata(outcome.document).split('\n')
  assert.equal(after.length, before.length)
  assert.deepEqual(
    after.flatMap((line, i) => (line === before[i] ? [] : [[before[i], line]])),
    [['      "kind": "integer",', '      "kind": "categorical",']],
  )
  assert.equal(parseMetadata(serializeMetadata(outcome.document), 'x').columns[0].kind, 'categorical')

  const excluded = applyColumnEdit(document, { index: 14, name: 'income', field: 'exclude', value: true })
  assert.ok('document' in excluded && excluded.document.columns[14].exclude)
  const masked = applyColumnEdit(document, { index: 1, name: 'workclass', field: 'sensitive', value: 'mask' })
  assert.ok('document' in masked && masked.document.columns[1].sensitive === 'mask')
  assert.deepEqual(applyColumnEdit(document, { index: 2, name: 'fnlwgt', field: 'sensitive', value: 'fake' }), {
    problem: '"fake" rewrites strings only, and "fnlwgt" holds int values',
  })
  const required = applyColumnEdit(document, { index: 1, name: 'workclass', field: 'nullable', value: !document.columns[1].nullable })
  assert.ok('document' in required && required.document.columns[1].nullable === !document.columns[1].nullable)
})

test('privacy edits: each choice lands in the document, δ null removes it, ε null stays as the choice of no DP', async () => {
  const document = await adult
  const shared = applyPrivacyEdit(document, { field: 'holdoutShare', value: 0.2 })
  assert.deepEqual(shared.privacy, { rareValueRows: 5, holdoutShare: 0.2 })
  const dp = applyPrivacyEdit(applyPrivacyEdit(shared, { field: 'epsilon', value: 4 }), { field: 'delta', value: 1e-6 })
  assert.deepEqual(dp.privacy, { rareValueRows: 5, holdoutShare: 0.2, epsilon: 4, delta: 1e-6 })
  const off = applyPrivacyEdit(applyPrivacyEdit(dp, { field: 'delta', value: null }), { field: 'epsilon', value: null })
  assert.deepEqual(off.privacy, { rareValueRows: 5, holdoutShare: 0.2, epsilon: null })
  assert.equal(parseMetadata(serializeMetadata(off), 'x').privacy?.epsilon, null, 'a valid document')
  const older = applyPrivacyEdit({ ...document, privacy: undefined }, { field: 'holdoutShare', value: 0 })
  assert.deepEqual(older.privacy, { rareValueRows: 5, holdoutShare: 0 }, 'an older document gains the default k')
  const unprotected = applyColumnEdit(document, { index: 2, name: 'fnlwgt', field: 'protect', value: false })
  assert.ok('document' in unprotected && unprotected.document.columns[2].protect === false)
})

test("the privacy band shows the document's choices, else the settings, and value protection in one sentence", async () => {
  const document = await adult
  const defaults = { ...IDLE_SESSION.defaults, holdoutShare: 0.1, epsilon: 8, delta: 0 }
  assert.deepEqual(privacyChoices(document.privacy, defaults), {
    holdoutShare: 0.1,
    epsilon: 8,
    delta: null,
    fromDocument: { holdoutShare: false, epsilon: false, delta: false },
  })
  const chosen = privacyChoices({ rareValueRows: 5, holdoutShare: 0, epsilon: null }, defaults)
  assert.deepEqual([chosen.holdoutShare, chosen.epsilon, chosen.fromDocument.epsilon], [0, null, true], 'the document says: no DP')
  assert.match(protectionSummary(document), /^Value protection, k = 5: a value seen in fewer than 5 sampled rows is never generated/)
  assert.doesNotMatch(protectionSummary(document), /Off in/)
  const open = { ...document, columns: document.columns.map((c) => (c.name === 'fnlwgt' ? { ...c, protect: false } : c)) }
  assert.match(protectionSummary(open), / Off in fnlwgt \(the Protect column\)\./)
  assert.match(protectionSummary({ ...document, privacy: { rareValueRows: 1 } }), /^Value protection is off \(k = 1\)/)
  assert.equal(privacySummary(chosen, 5), 'Privacy: value protection k = 5 · no holdout · no differential privacy')
  assert.equal(
    privacySummary({ ...chosen, holdoutShare: 0.1, epsilon: 4, delta: 1e-6 }, 1),
    'Privacy: value protection off · holdout 10 % · differential privacy ε = 4, δ = 1.0e-6',
  )
})

test('an edit of a column that is not there is refused with the reason', async () => {
  const document = await adult
  const outOfRange = applyColumnEdit(document, { index: 15, name: 'income', field: 'exclude', value: true })
  assert.deepEqual(outOfRange, { problem: 'column index 15 is out of range (the document has 15 columns)' })
  const moved = applyColumnEdit(document, { index: 0, name: 'income', field: 'exclude', value: true })
  assert.deepEqual(moved, { problem: 'column 0 is "age", not "income"' })
})

test('the page allows only its own nonce-tagged script and local styles', () => {
  const cspSource = 'https://file+.vscode-resource.vscode-cdn.net'
  const html = metadataEditorHtml({
    cspSource,
    scriptUri: `${cspSource}/dist/webview/main.js`,
    styleUri: `${cspSource}/media/editor.css`,
    nonce: 'abc123',
  })
  const policy = contentSecurityPolicy(cspSource, 'abc123')
  assert.ok(html.includes(`content="${policy}"`))
  assert.match(policy, /^default-src 'none'; /)
  assert.match(policy, /script-src 'nonce-abc123'(;|$)/)
  assert.match(policy, new RegExp(`style-src ${cspSource.replace(/[.+]/g, '\\$&')} 'nonce-abc123'`))
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/)
  assert.match(html, /<script nonce="abc123" src="[^"]+\/dist\/webview\/main\.js"><\/script>/)
  assert.match(html, /<meta property="csp-nonce" content="abc123">/)
  assert.equal(html.match(/<script/g)?.length, 1)
  const fresh = [
    metadataEditorHtml({ cspSource, scriptUri: 's', styleUri: 'c' }),
    metadataEditorHtml({ cspSource, scriptUri: 's', styleUri: 'c' }),
  ]
  const nonceOf = (page: string) => /nonce-([\w-]+)/.exec(page)?.[1]
  assert.ok(nonceOf(fresh[0]))
  assert.notEqual(nonceOf(fresh[0]), nonceOf(fresh[1]), 'a new nonce per page')
})

test('windowing draws the rows in view plus the overscan, and clamps at both ends', () => {
  assert.deepEqual(visibleWindow(0, 360, 36, 250, 5), { first: 0, end: 15 })
  assert.deepEqual(visibleWindow(3600, 360, 36, 250, 5), { first: 95, end: 115 })
  assert.deepEqual(visibleWindow(250 * 36 - 360, 360, 36, 250, 5), { first: 235, end: 250 })
  assert.deepEqual(visibleWindow(-40, 360, 36, 250, 0), { first: 0, end: 10 })
  assert.deepEqual(visibleWindow(0, 360, 36, 0, 5), { first: 0, end: 0 })
  const rows = visibleWindow(5000, 900, 36, 250, 6)
  assert.ok(rows.end - rows.first <= 900 / 36 + 13, 'a window, not the whole table')
})

test('keyboard navigation targets and the scroll that reveals a row', () => {
  assert.equal(targetRow('ArrowDown', 0, 250, 20), 1)
  assert.equal(targetRow('ArrowDown', 249, 250, 20), 249)
  assert.equal(targetRow('ArrowUp', 0, 250, 20), 0)
  assert.equal(targetRow('PageDown', 240, 250, 20), 249)
  assert.equal(targetRow('PageUp', 30, 250, 20), 10)
  assert.equal(targetRow('End', 3, 250, 20), 249)
  assert.equal(targetRow('Home', 200, 250, 20), 0)
  assert.equal(targetRow('Enter', 3, 250, 20), undefined)
  assert.equal(scrollToReveal(249, 0, 360, 36), 249 * 36 + 36 - 360, 'below: scroll until its bottom shows')
  assert.equal(scrollToReveal(2, 720, 360, 36), 72, 'above: scroll to its top')
  assert.equal(scrollToReveal(22, 720, 360, 36), 720, 'in view: stay')
})

test('histogram bars are proportional and labelled by value, range or day', async () => {
  const age = defined(
    (await adult).columns.find((c) => c.name === 'education-num')?.stats.numeric,
    'the numeric statistics of education-num',
  ).histogram
  const bars = histogramBars(age, true, { left: 0, top: 0, width: 160, height: 100 })
  // 2 to 16: value protection clips the level 1, seen in fewer than 5 of the 2,000 rows, to 2.
  assert.equal(bars.length, 15)
  assert.deepEqual(bars.map((b) => b.label).slice(0, 3), ['2', '3', '4'], 'one bar per whole number')
  const tallest = Math.max(...age.counts)
  for (const [i, bar] of bars.entries()) {
    assert.ok(Math.abs(bar.height - (age.counts[i] / tallest) * 100) < 1e-9)
    assert.ok(Math.abs(bar.y + bar.height - 100) < 1e-9, 'bars stand on the baseline')
  }
  const continuous = histogramBars({ edges: [0, 2.5, 5], counts: [3, 1] }, false)
  assert.deepEqual(
    continuous.map((b) => b.label),
    ['0 to 2.5', '2.5 to 5 (inclusive)'],
  )
  assert.ok(continuous[1].height * 3 - continuous[0].height < 1e-9)
  const halves = histogramBars({ edges: [0.5, 1.5, 2.5], counts: [1, 1] }, false)
  assert.deepEqual(
    halves.map((b) => b.label),
    ['0.5 to 1.5', '1.5 to 2.5 (inclusive)'],
    'half edges of doubles are ranges, not values',
  )
  const days = histogramBars({ edges: ['2023-04-13', '2023-04-14', '2023-04-15'], counts: [144, 1437] }, false)
  assert.deepEqual(
    days.map((b) => b.label),
    ['2023-04-13', '2023-04-14'],
  )
  const instants = histogramBars({ edges: ['2023-04-13T23:58:58.000Z', '2023-04-14T00:00:45.000Z'], counts: [5] }, false)
  assert.equal(instants[0].label, '2023-04-13 23:58:58Z to 2023-04-14 00:00:45Z (inclusive)')
})

test('figures read the same whatever the locale', () => {
  assert.equal(formatNumber(1484710), '1,484,710')
  assert.equal(formatNumber(38.58164), '38.5816')
  assert.equal(formatNumber(Number.NaN), 'NaN')
  assert.equal(formatShare(0), '0%')
  assert.equal(formatShare(0.0004), '<0.1%')
  assert.equal(formatShare(0.1234), '12.3%')
  assert.equal(formatShare(0.9999), '>99.9%')
  assert.equal(formatShare(1), '100%')
  assert.equal(formatInstant('2024-01-01T06:00:00.000Z'), '2024-01-01 06:00:00Z')
  assert.equal(formatInstant('2024-01-01T06:00:00.250Z'), '2024-01-01 06:00:00.250Z')
  assert.deepEqual([formatValue(''), formatValue('1'), formatValue(1), formatValue(true)], ['""', '"1"', '1', 'true'])
})

test('the 250-column document of the end-to-end test is a valid metadata document', () => {
  const document = parseMetadata(serializeMetadata(wideDocument(250)), 'wide.synth-meta.json')
  assert.equal(document.columns.length, 250)
  assert.equal(new Set(document.columns.map((c) => c.kind)).size, 4)
})
