import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseMetadata, serializeMetadata } from '../src/core/meta/metadataFile.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { applyColumnEdit } from '../src/host/columnEdit.ts'
import { contentSecurityPolicy, metadataEditorHtml } from '../src/host/webviewHtml.ts'
import { isHostToWebview, isWebviewToHost } from '../src/protocol/webview.ts'
import { histogramBars } from '../webview/charts.ts'
import { formatInstant, formatNumber, formatShare, formatValue } from '../webview/format.ts'
import { scrollToReveal, targetRow, visibleWindow } from '../webview/virtualRows.ts'
import { wideDocument } from './e2e/wideDocument.ts'
import { EXAMPLE_ADULT } from './helpers.ts'

const adult: Promise<MetadataDocument> = sampleDataset(EXAMPLE_ADULT, { rows: 2000, seed: 3 }).then(({ summary, table }) => extractMetadata(summary, table))

test('the webview → host guard accepts the declared messages', () => {
  assert.ok(isWebviewToHost({ type: 'ready' }))
  assert.ok(isWebviewToHost({ type: 'openAsText' }))
  assert.ok(isWebviewToHost({ type: 'editColumn', index: 0, name: 'age', field: 'kind', value: 'categorical' }))
  assert.ok(isWebviewToHost({ type: 'editColumn', index: 14, name: 'income', field: 'exclude', value: true }))
  assert.ok(isWebviewToHost({ type: 'editColumn', index: 3, name: 'education', field: 'sensitive', value: 'fake' }))
})

test('the webview → host guard refuses malformed messages', () => {
  const edit = { type: 'editColumn', index: 0, name: 'age', field: 'kind', value: 'integer' }
  const malformed: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [edit]],
    ['no type', { ...edit, type: undefined }],
    ['an unknown type', { type: 'train' }],
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
  assert.deepEqual(after.flatMap((line, i) => (line === before[i] ? [] : [[before[i], line]])), [['      "kind": "integer",', '      "kind": "categorical",']])
  assert.equal(parseMetadata(serializeMetadata(outcome.document), 'x').columns[0].kind, 'categorical')

  const excluded = applyColumnEdit(document, { index: 14, name: 'income', field: 'exclude', value: true })
  assert.ok('document' in excluded && excluded.document.columns[14].exclude)
  const masked = applyColumnEdit(document, { index: 1, name: 'workclass', field: 'sensitive', value: 'mask' })
  assert.ok('document' in masked && masked.document.columns[1].sensitive === 'mask')
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
  const html = metadataEditorHtml({ cspSource, scriptUri: `${cspSource}/dist/webview/main.js`, styleUri: `${cspSource}/media/editor.css`, nonce: 'abc123' })
  const policy = contentSecurityPolicy(cspSource, 'abc123')
  assert.ok(html.includes(`content="${policy}"`))
  assert.match(policy, /^default-src 'none'; /)
  assert.match(policy, /script-src 'nonce-abc123'(;|$)/)
  assert.match(policy, new RegExp(`style-src ${cspSource.replace(/[.+]/g, '\\$&')} 'nonce-abc123'`))
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/)
  assert.match(html, /<script nonce="abc123" src="[^"]+\/dist\/webview\/main\.js"><\/script>/)
  assert.match(html, /<meta property="csp-nonce" content="abc123">/)
  assert.equal(html.match(/<script/g)?.length, 1)
  const fresh = [metadataEditorHtml({ cspSource, scriptUri: 's', styleUri: 'c' }), metadataEditorHtml({ cspSource, scriptUri: 's', styleUri: 'c' })]
  assert.notEqual(fresh[0].match(/nonce-([\w-]+)/)![1], fresh[1].match(/nonce-([\w-]+)/)![1], 'a new nonce per page')
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
  const age = (await adult).columns.find((c) => c.name === 'education-num')!.stats.numeric!.histogram
  const bars = histogramBars(age, true, { left: 0, top: 0, width: 160, height: 100 })
  assert.equal(bars.length, 16)
  assert.deepEqual(bars.map((b) => b.label).slice(0, 3), ['1', '2', '3'], 'one bar per whole number')
  const tallest = Math.max(...age.counts)
  for (const [i, bar] of bars.entries()) {
    assert.ok(Math.abs(bar.height - (age.counts[i] / tallest) * 100) < 1e-9)
    assert.ok(Math.abs(bar.y + bar.height - 100) < 1e-9, 'bars stand on the baseline')
  }
  const continuous = histogramBars({ edges: [0, 2.5, 5], counts: [3, 1] }, false)
  assert.deepEqual(continuous.map((b) => b.label), ['0 to 2.5', '2.5 to 5 (inclusive)'])
  assert.ok(continuous[1].height * 3 - continuous[0].height < 1e-9)
  const halves = histogramBars({ edges: [0.5, 1.5, 2.5], counts: [1, 1] }, false)
  assert.deepEqual(halves.map((b) => b.label), ['0.5 to 1.5', '1.5 to 2.5 (inclusive)'], 'half edges of doubles are ranges, not values')
  const days = histogramBars({ edges: ['2023-04-13', '2023-04-14', '2023-04-15'], counts: [144, 1437] }, false)
  assert.deepEqual(days.map((b) => b.label), ['2023-04-13', '2023-04-14'])
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
