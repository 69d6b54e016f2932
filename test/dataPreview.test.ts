/**
 * The editor's data preview: the worker's preview jobs in a real child process (real rows from a Spark
 * folder, synthetic rows from a model trained on it), the messages that carry them, and the page's grid rows.
 */
import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { cellDisplay, DISPLAY_CELL_CHARS, displayRows } from '../src/core/io/cellDisplay.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { parseSparkType } from '../src/core/io/sparkType.ts'
import { SparkFolderWriter } from '../src/core/io/sparkWriter.ts'
import type { Cell, SourceColumn, Table } from '../src/core/io/table.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { writeMetadataFile } from '../src/core/meta/metadataFile.ts'
import { evenlySpaced } from '../src/core/previewRows.ts'
import { previewInWorker, runInWorker, WorkerError } from '../src/host/workerClient.ts'
import { PREVIEW_COLUMNS, previewColumns, syntheticRefusal } from '../src/protocol/dataPreview.ts'
import { isHostToWebview, isWebviewToHost, type PreviewRowsMessage } from '../src/protocol/webview.ts'
import { previewGridRows } from '../webview/previewRows.ts'
import { IDLE_SESSION } from '../webview/synthesisStatus.ts'
import { wideDocument } from './e2e/wideDocument.ts'
import { ROOT, tempDir } from './helpers.ts'

const WORKER = path.join(ROOT, 'dist', 'worker.cjs')
const ROWS = 300
const COLUMNS = ['id', 'price', 'day', 'note']

const column = (name: string, ddl: string, nullable = true): SourceColumn => ({
  name,
  sparkType: parseSparkType(ddl),
  nullable,
  nested: false,
  partition: false,
})

/** What row `id` holds in the fixture: a decimal with two places, a date, and a note that is null every fourth row. */
const expected = (id: number) => ({
  price: (id * 1.25).toFixed(2),
  day: new Date(Date.UTC(2024, 0, 1 + (id % 30))).toISOString().slice(0, 10),
  note: id % 4 === 0 ? null : `note ${id % 7}`,
})

/** A Spark folder of `ROWS` rows and its metadata document (with `id` excluded from synthesis). */
async function fixture(): Promise<{ readonly folder: string; readonly meta: string; readonly dir: string }> {
  const dir = await tempDir()
  const folder = path.join(dir, 'orders')
  const ids = Array.from({ length: ROWS }, (_, i) => i + 1)
  const values: Cell[][] = [
    ids,
    ids.map((id) => id * 1.25),
    ids.map((id) => new Date(`${expected(id).day}T00:00:00Z`)),
    ids.map((id) => expected(id).note),
  ]
  const table: Table = {
    columns: [column('id', 'int', false), column('price', 'decimal(10,2)'), column('day', 'date'), column('note', 'string')],
    values,
    rowCount: ROWS,
  }
  const writer = await SparkFolderWriter.open(folder, table.columns)
  writer.write(table)
  await writer.commit()
  const { summary, table: sample } = await sampleDataset(folder, { rows: ROWS, seed: 42 })
  const document = extractMetadata(summary, sample)
  const meta = path.join(dir, 'orders.synth-meta.json')
  await writeMetadataFile(
    { ...document, columns: document.columns.map((c) => (c.name === 'id' ? { ...c, exclude: true, excludeReason: 'a row number' } : c)) },
    meta,
  )
  return { folder, meta, dir }
}

test('a real worker reads preview rows of the sample as display text: decimals to their scale, dates as days, null apart', async () => {
  const { folder } = await fixture()
  const result = await previewInWorker(WORKER, {
    type: 'previewReal',
    input: folder,
    sampleSize: ROWS,
    seed: 42,
    columns: COLUMNS,
    rows: 200,
  }).result
  assert.deepEqual(result.columns, COLUMNS)
  assert.equal(result.rows.length, 200)
  const ids = result.rows.map((row) => Number(row[0]))
  // Spread over the whole sample, not its first 200 rows.
  assert.equal(ids[0], 1)
  assert.ok(ids[199] > 290, `last row shown: ${ids[199]}`)
  for (const [id, price, day, note] of result.rows) {
    assert.deepEqual({ price, day, note }, expected(Number(id)), `row ${id}`)
  }
  assert.ok(
    result.rows.some((row) => row[3] === null),
    'nulls arrive as null, never as the text "null"',
  )

  const reordered = await previewInWorker(WORKER, {
    type: 'previewReal',
    input: folder,
    sampleSize: ROWS,
    seed: 42,
    columns: ['note', 'price'],
    rows: 5,
  }).result
  assert.deepEqual(reordered.columns, ['note', 'price'], 'the columns asked for, in the order asked')
  assert.equal(reordered.rows.length, 5)
})

test('a preview of a missing source fails with the path and what to do', async () => {
  const run = previewInWorker(WORKER, { type: 'previewReal', input: '/no/such/table', sampleSize: 10, seed: 1, columns: ['a'], rows: 5 })
  await assert.rejects(
    run.result,
    (error: unknown) => error instanceof WorkerError && error.file === '/no/such/table' && error.message.includes('no such file'),
  )
})

test('a real worker draws synthetic preview rows from a model, in memory: the seed decides them, excluded columns are absent', async () => {
  const { folder, meta, dir } = await fixture()
  const model = path.join(dir, 'orders.synth-model')
  await runInWorker(WORKER, { type: 'train', input: folder, meta, output: model, epochs: 1, backend: 'auto' }).result
  const before = (await readdir(dir, { recursive: true })).sort()
  const draw = (seed: number) =>
    previewInWorker(WORKER, { type: 'previewSynthetic', model, backend: 'auto', seed, columns: COLUMNS, rows: 200 }).result
  const first = await draw(7)
  assert.deepEqual(first.columns, ['price', 'day', 'note'], 'id is excluded: the model does not generate it')
  assert.equal(first.rows.length, 200)
  for (const [price, day, note] of first.rows) {
    assert.match(String(price), /^-?\d+\.\d{2}$/, 'a decimal(10,2) shows two places')
    assert.match(String(day), /^2024-01-\d{2}$/)
    assert.ok(note === null || /^note \d$/.test(note), String(note))
  }
  assert.ok(
    first.rows.some((row) => row[2] === null),
    'a quarter of the notes are null in the data: some drawn ones are',
  )
  assert.deepEqual((await draw(7)).rows, first.rows, 'the same seed draws the same rows')
  assert.notDeepEqual((await draw(8)).rows, first.rows, 'another seed draws other rows')
  assert.deepEqual((await readdir(dir, { recursive: true })).sort(), before, 'nothing written')

  await assert.rejects(
    previewInWorker(WORKER, {
      type: 'previewSynthetic',
      model: path.join(dir, 'none'),
      backend: 'auto',
      seed: 1,
      columns: COLUMNS,
      rows: 5,
    }).result,
    (error: unknown) => error instanceof WorkerError && error.message.includes(path.join(dir, 'none')),
  )
})

test('display text: decimals padded to their scale from the shortest text, exponents and whole scales left alone', () => {
  const decimal = parseSparkType('decimal(38,18)')
  assert.equal(cellDisplay(0.1, decimal), '0.100000000000000000', 'the shortest text, padded: never 0.100000000000000006')
  assert.equal(cellDisplay(3, parseSparkType('decimal(10,2)')), '3.00')
  assert.equal(cellDisplay(1e-7, decimal), '1e-7')
  assert.equal(cellDisplay(42, parseSparkType('decimal(10,0)')), '42')
  assert.equal(cellDisplay(null, decimal), null)
  assert.equal(cellDisplay('null', parseSparkType('string')), 'null', 'the text "null" stays text')
})

test('display rows keep the named columns in the order named, and cut long texts', () => {
  const table: Table = {
    columns: [column('a', 'string'), column('b', 'int')],
    values: [
      ['x'.repeat(2 * DISPLAY_CELL_CHARS), null],
      [1, 2],
    ],
    rowCount: 2,
  }
  const shown = displayRows(table, ['b', 'missing', 'a'], [1, 0])
  assert.deepEqual(shown.columns, ['b', 'a'])
  assert.deepEqual(shown.rows[0], ['2', null])
  assert.equal(shown.rows[1][1], `${'x'.repeat(DISPLAY_CELL_CHARS - 1)}…`)
})

test('evenly spaced rows cover the sample from its first row, and never more rows than it has', () => {
  assert.deepEqual(evenlySpaced(10, 4), [0, 2, 5, 7])
  assert.deepEqual(evenlySpaced(3, 200), [0, 1, 2])
  assert.deepEqual(evenlySpaced(0, 200), [])
})

test('the preview shows the first columns of a wide document and says how many there are', () => {
  const wide = previewColumns(wideDocument(5000))
  assert.equal(wide.columns.length, PREVIEW_COLUMNS)
  assert.equal(wide.columns[0], 'col_000')
  assert.equal(wide.note, `Showing the first ${PREVIEW_COLUMNS} of 5,000 columns.`)
  assert.equal(previewColumns(wideDocument(3)).note, undefined)
})

test('synthetic rows are refused without a model, with a stale one, and while training; allowed otherwise', () => {
  const model = { path: 'm', trainedAt: '2026-01-01T00:00:00Z', epochs: 2, rows: 10, backend: 'cpu', stale: false }
  assert.match(syntheticRefusal(IDLE_SESSION) ?? '', /^There is no model of this document yet\. Train it/)
  assert.match(syntheticRefusal({ ...IDLE_SESSION, model: { ...model, stale: true } }) ?? '', /other column choices.*Train again/)
  assert.match(
    syntheticRefusal({ ...IDLE_SESSION, model, training: { ...IDLE_SESSION.training, status: 'running' } }) ?? '',
    /^Training is running/,
  )
  assert.equal(syntheticRefusal({ ...IDLE_SESSION, model }), undefined)
})

test('preview messages: the guards take the declared shapes and refuse others', () => {
  assert.ok(isWebviewToHost({ type: 'previewRows', which: 'real', rows: 200 }))
  assert.ok(isWebviewToHost({ type: 'previewRows', which: 'synthetic', rows: 200, seed: -4 }))
  assert.ok(!isWebviewToHost({ type: 'previewRows', which: 'both', rows: 200 }))
  assert.ok(!isWebviewToHost({ type: 'previewRows', which: 'real', rows: 1001 }))
  assert.ok(!isWebviewToHost({ type: 'previewRows', which: 'real', rows: 0 }))
  assert.ok(!isWebviewToHost({ type: 'previewRows', which: 'real', rows: 10, seed: 1.5 }))
  assert.ok(isHostToWebview({ type: 'previewRows', which: 'real', columns: ['a'], rows: [['1'], [null]], note: 'n' }))
  assert.ok(!isHostToWebview({ type: 'previewRows', which: 'real', columns: ['a'], rows: [[1]] }))
  assert.ok(!isHostToWebview({ type: 'previewRows', which: 'real', columns: ['a'], rows: [['1']], extra: true }))
  assert.ok(isHostToWebview({ type: 'previewFailed', which: 'synthetic', message: 'no model' }))
  assert.ok(!isHostToWebview({ type: 'previewFailed', which: 'synthetic' }))
})

test('the grid places cells under their columns by name, marks columns a source lacks, and alternates in Both', () => {
  const real: PreviewRowsMessage = {
    type: 'previewRows',
    which: 'real',
    columns: ['a', 'b'],
    rows: [
      ['1', null],
      ['2', 'x'],
    ],
  }
  const synthetic: PreviewRowsMessage = { type: 'previewRows', which: 'synthetic', columns: ['b'], rows: [['y'], ['z'], [null]] }
  assert.deepEqual(previewGridRows('real', ['a', 'b'], real, synthetic), [
    { source: 'real', number: 1, cells: ['1', null] },
    { source: 'real', number: 2, cells: ['2', 'x'] },
  ])
  assert.deepEqual(
    previewGridRows('synthetic', ['a', 'b'], real, synthetic).map((row) => row.cells),
    [
      [undefined, 'y'],
      [undefined, 'z'],
      [undefined, null],
    ],
  )
  assert.deepEqual(
    previewGridRows('both', ['a', 'b'], real, synthetic).map((row) => `${row.source} ${row.number}`),
    ['real 1', 'synthetic 1', 'real 2', 'synthetic 2', 'synthetic 3'],
  )
  assert.deepEqual(previewGridRows('both', ['a', 'b'], undefined, undefined), [])
})
