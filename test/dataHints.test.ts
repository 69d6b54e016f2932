import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { parseSparkType } from '../src/core/io/sparkType.ts'
import type { Cell, SourceColumn } from '../src/core/io/table.ts'
import { describeColumn, extractMetadata, type ColumnMeta, type MetadataDocument } from '../src/core/meta/document.ts'
import { dataHints, hintText } from '../src/core/meta/hints.ts'
import { parseMetadata, serializeMetadata, writeMetadataFile } from '../src/core/meta/metadataFile.ts'
import { applyNullValues, restateJob, withRestatedColumn, type NullValue } from '../src/core/meta/nullValues.ts'
import { restatedFigures } from '../src/core/meta/nullValuesSample.ts'
import { metadataDigest } from '../src/core/model/modelFolder.ts'
import { runTrainJob } from '../src/core/model/trainJob.ts'
import { generateSynthetic } from '../src/core/output/syntheticRun.ts'
import type { QualityReport } from '../src/core/report/types.ts'
import { applyNullValuesEdit } from '../src/host/nullValuesEdit.ts'
import { restateInWorker } from '../src/host/workerClient.ts'
import { ADULT_CSV, defined, ROOT, runCli, tempDir } from './helpers.ts'

const adult = await sampleDataset(ADULT_CSV)
const document = extractMetadata(adult.summary, adult.table)
const columnOf = (doc: MetadataDocument, name: string): ColumnMeta =>
  defined(
    doc.columns.find((c) => c.name === name),
    name,
  )
const indexOf = (name: string) => document.columns.findIndex((c) => c.name === name)

const source = (type: string, name = 'x'): SourceColumn => ({
  name,
  sparkType: parseSparkType(type),
  nullable: true,
  nested: false,
  partition: false,
})
/** Treat as null as the editor does it, with the figures computed in this process (the worker runs the same function). */
async function withNullValues(doc: MetadataDocument, index: number, values: NullValue[] | null, input: string): Promise<MetadataDocument> {
  return withRestatedColumn(doc, index, values, await restatedFigures(restateJob(doc, index, values, input)))
}
const repeated = (value: Cell, times: number): Cell[] => new Array<Cell>(times).fill(value)

test("Adult's hints: '?' in workclass, occupation and native-country, 99,999 in capital-gain; none on clean columns", () => {
  assert.deepEqual(columnOf(document, 'workclass').hints, [{ kind: 'token', value: '?', rows: 1836 }])
  assert.deepEqual(columnOf(document, 'occupation').hints, [{ kind: 'token', value: '?', rows: 1843 }])
  assert.deepEqual(columnOf(document, 'native-country').hints, [{ kind: 'token', value: '?', rows: 583 }])
  assert.deepEqual(columnOf(document, 'capital-gain').hints, [{ kind: 'number', value: 99999, rows: 159 }])
  for (const clean of ['age', 'fnlwgt', 'education', 'education-num', 'capital-loss', 'hours-per-week', 'income'])
    assert.equal(columnOf(document, clean).hints, undefined, `${clean} has no hint`)
  assert.equal(
    hintText({ kind: 'token', value: '?', rows: 1836 }, document.source.sampleSize),
    '"?" in 5.6 % of sampled rows looks like a missing-value marker',
  )
  assert.equal(
    hintText({ kind: 'number', value: 99999, rows: 159 }, document.source.sampleSize),
    '99,999 in 0.5 % of sampled rows stands apart from the other values, like a missing-value marker',
  )
})

test('inspect prints the hints under the columns, and none for clean columns', async () => {
  const { code, stdout } = await runCli('inspect', ADULT_CSV)
  assert.equal(code, 0)
  assert.match(
    stdout,
    /^hint on workclass: "\?" in 5\.6 % of sampled rows looks like a missing-value marker \(list it in "nullValues" to read it as null\)$/m,
  )
  assert.match(stdout, /^hint on capital-gain: 99,999 in 0\.5 % of sampled rows stands apart from the other values/m)
  assert.equal(stdout.match(/^hint on /gm)?.length, 4, 'workclass, occupation, capital-gain, native-country')
})

test('tokens are matched trimmed and case-blind, empty and blank strings too; ordinary words are not', () => {
  const values = [...repeated('N/A', 3), ...repeated('', 2), ...repeated('  ', 1), ...repeated('null', 4), ...repeated('Nancy', 9), 'NA']
  assert.deepEqual(dataHints(source('string'), values, 5), [
    { kind: 'token', value: 'null', rows: 4 },
    { kind: 'token', value: 'N/A', rows: 3 },
    { kind: 'token', value: '', rows: 2 },
    { kind: 'token', value: '  ', rows: 1 },
    { kind: 'token', value: 'NA', rows: 1 },
  ])
  assert.deepEqual(dataHints(source('string'), ['a', 'b', 'Nan Goldin'], 5), [])
})

test('a sentinel number is an extreme made of 9s or -1, repeated at least k rows, standing apart', () => {
  const counts = Array.from({ length: 100 }, (_, i) => i)
  const hints = (values: Cell[], type = 'int') => dataHints(source(type), values, 5)
  assert.deepEqual(hints([...counts, ...repeated(-1, 7)]), [{ kind: 'number', value: -1, rows: 7 }], '-1 among counts')
  assert.deepEqual(hints([...counts, ...repeated(-999, 5)], 'double'), [{ kind: 'number', value: -999, rows: 5 }])
  assert.deepEqual(hints([...counts, ...repeated(9999, 4)]), [], 'fewer rows than k: value protection would hide it')
  assert.deepEqual(hints([...counts, ...repeated(99, 30)]), [], '99 right after 98 stands nowhere apart (hours per week)')
  assert.deepEqual(hints([...counts, ...repeated(120, 30)]), [], 'apart, but not a sentinel-looking number')
  assert.deepEqual(hints(repeated('?', 9), 'date'), [], 'dates have no hints')
})

test('treat as null: the restated column reads "?" as null, is nullable, and keeping it as a value restores the extraction', async () => {
  const workclass = indexOf('workclass')
  const treated = await withNullValues(document, workclass, ['?'], ADULT_CSV)
  const column = treated.columns[workclass]
  assert.deepEqual(column.nullValues, ['?'])
  assert.equal(column.nullable, true)
  assert.equal(column.nullFraction, Number((1836 / 32561).toPrecision(6)))
  const categories = defined(column.stats.categories, 'categories')
  assert.equal(
    categories.top.some((entry) => entry.value === '?'),
    false,
  )
  const job = restateJob(document, workclass, ['?'], ADULT_CSV)
  assert.deepEqual(
    await restateInWorker(path.join(ROOT, 'dist', 'worker.cjs'), job),
    await restatedFigures(job),
    'the worker answers alike',
  )
  assert.equal(categories.distinct, defined(columnOf(document, 'workclass').stats.categories, 'before').distinct - 1)
  assert.deepEqual(column.hints, columnOf(document, 'workclass').hints, 'the hint stays, so the editor can offer "Keep as value"')
  const kept = await withNullValues(treated, workclass, null, ADULT_CSV)
  // The column stays nullable (the user may have chosen it meanwhile); Ctrl+Z restores the document exactly.
  const nullable = { ...document, columns: document.columns.map((c, i) => (i === workclass ? { ...c, nullable: true } : c)) }
  assert.equal(serializeMetadata(kept), serializeMetadata(nullable))

  const gain = await withNullValues(document, indexOf('capital-gain'), [99999], ADULT_CSV)
  const restated = gain.columns[indexOf('capital-gain')]
  const values = adult.table.values[indexOf('capital-gain')].map((v) => (v === 99999 ? null : v))
  const expected = describeColumn(adult.table.columns[indexOf('capital-gain')], values)
  assert.deepEqual(restated.stats, expected.stats, 'the statistics of the values without 99,999')
  assert.equal(restated.nullFraction, expected.nullFraction)
  assert.ok(defined(restated.stats.numeric, 'numeric').max < 99999)
  assert.equal(metadataDigest(gain) === metadataDigest(document), false, 'a model trained before is stale')
})

test('the host refuses markers of the wrong type, and a column that moved', async () => {
  const file = path.join(path.dirname(ADULT_CSV), 'adult.synth-meta.json')
  const relative = { ...document, source: { ...document.source, path: 'adult.csv' } }
  assert.deepEqual(await applyNullValuesEdit(relative, { index: indexOf('age'), name: 'age', value: ['?'] }, file, restatedFigures), {
    problem: 'age: "nullValues" holds "?", a string, and the column holds int values: list numbers as they appear in the data',
  })
  assert.deepEqual(await applyNullValuesEdit(relative, { index: 0, name: 'workclass', value: ['?'] }, file, restatedFigures), {
    problem: 'column 0 is "age", not "workclass"',
  })
  const outcome = await applyNullValuesEdit(
    relative,
    { index: indexOf('workclass'), name: 'workclass', value: ['?'] },
    file,
    restatedFigures,
  )
  assert.ok('document' in outcome)
  assert.deepEqual(outcome.document.columns[indexOf('workclass')].nullValues, ['?'])
})

test('a malformed nullValues is refused on load, naming the column and the field', () => {
  const withField = (name: string, field: unknown) =>
    JSON.stringify({ ...document, columns: document.columns.map((c) => (c.name === name ? { ...c, nullValues: field } : c)) })
  assert.throws(
    () => parseMetadata(withField('workclass', '?'), 'adult.synth-meta.json'),
    /columns\[1\] \("workclass"\)\.nullValues must be array/,
  )
  assert.throws(() => parseMetadata(withField('workclass', []), 'adult.synth-meta.json'), /nullValues must NOT have fewer than 1 items/)
  assert.throws(
    () => parseMetadata(withField('capital-gain', ['99999']), 'adult.synth-meta.json'),
    (error: Error) => {
      assert.match(error.message, /capital-gain/)
      assert.match(error.message, /"nullValues" holds "99999", a string, and the column holds int values: list numbers/)
      return true
    },
  )
  assert.deepEqual(
    parseMetadata(withField('capital-gain', [99999]), 'adult.synth-meta.json').columns[indexOf('capital-gain')].nullValues,
    [99999],
  )
})

test('applyNullValues leaves columns without markers, and other values, as they are', () => {
  const table = {
    columns: [source('string', 'a'), source('int', 'b')],
    values: [
      ['?', 'x', null],
      [99999, 1, 99999],
    ],
    rowCount: 3,
  }
  const columns = [
    { ...columnOf(document, 'workclass'), name: 'a', nullValues: ['?'] },
    { ...columnOf(document, 'capital-gain'), name: 'b' },
  ]
  assert.deepEqual(applyNullValues(table, columns).values, [
    [null, 'x', null],
    [99999, 1, 99999],
  ])
})

test('trained with workclass "?" read as null, the synthetic rows hold nulls at about the real share and never "?"', async () => {
  const dir = await tempDir()
  const input = path.join(dir, 'adult.csv')
  const lines = (await readFile(ADULT_CSV, 'utf8')).split('\n')
  await writeFile(input, `${lines.slice(0, 3001).join('\n')}\n`)
  const sample = await sampleDataset(input)
  const extracted = extractMetadata(sample.summary, sample.table)
  const workclass = extracted.columns.findIndex((c) => c.name === 'workclass')
  const realShare = sample.table.values[workclass].filter((v) => v === '?').length / sample.table.rowCount
  assert.ok(realShare > 0.03, `the slice holds "?" (${realShare})`)
  const meta = path.join(dir, 'adult.synth-meta.json')
  await writeMetadataFile(await withNullValues(extracted, workclass, ['?'], input), meta)
  const model = path.join(dir, 'model')
  await runTrainJob({ input, output: model, meta, epochs: 8, backend: 'auto' })
  const output = path.join(dir, 'synthetic')
  await generateSynthetic({ model, rows: 3000, output, seed: 3, backend: 'auto' })
  const synthetic = await sampleDataset(path.join(output, 'data'))
  const values = synthetic.table.values[synthetic.table.columns.findIndex((c) => c.name === 'workclass')]
  assert.equal(values.includes('?'), false, 'no "?" is generated')
  const nullShare = values.filter((v) => v === null).length / values.length
  assert.ok(nullShare > realShare / 2 && nullShare < realShare * 2, `nulls ${nullShare} near the real share ${realShare}`)
  const report = JSON.parse(await readFile(path.join(output, 'quality-report.json'), 'utf8')) as QualityReport
  const histogram = defined(
    report.columns.find((c) => c.column === 'workclass'),
    'the workclass comparison',
  ).histogram
  assert.equal(histogram.type, 'categorical')
  assert.equal(histogram.categories.includes('?'), false, 'the report reads the real rows with "?" as null')
  assert.ok(Math.abs(histogram.realNullShare - realShare) < 0.01, `the real null share ${histogram.realNullShare} is the "?" share`)
  assert.ok(histogram.syntheticNullShare > 0)
})
