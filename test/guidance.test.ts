/** The editor's guidance: kinds that fit each Spark type, descriptions, the mask and fake preview, log-scale histograms. */
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { SparkSynthError } from '../src/core/errors.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { parseSparkType } from '../src/core/io/sparkType.ts'
import type { Table } from '../src/core/io/table.ts'
import { KIND_DESCRIPTIONS, SENSITIVE_DESCRIPTIONS, kindHelp, sensitiveHelp } from '../src/core/meta/descriptions.ts'
import { extractMetadata, SENSITIVE_HANDLING, type MetadataDocument } from '../src/core/meta/document.ts'
import { COLUMN_KINDS, detectKind, kindsFitting } from '../src/core/meta/kinds.ts'
import { parseMetadata, serializeMetadata } from '../src/core/meta/metadataFile.ts'
import { previewRewrites } from '../src/core/model/sensitiveValues.ts'
import { Synthesizer } from '../src/core/model/synthesizer.ts'
import { loadTensorFlow } from '../src/core/model/tensorflow.ts'
import { applyColumnEdit } from '../src/host/columnEdit.ts'
import { histogramBars, LOG_SCALE_RATIO, suggestedScale } from '../webview/charts.ts'
import { EXAMPLE_ADULT, INTEROP_FILES, SPARK_TABLES, defined } from './helpers.ts'

const adult: Promise<MetadataDocument> = sampleDataset(EXAMPLE_ADULT, { rows: 2000, seed: 3 }).then(({ summary, table }) =>
  extractMetadata(summary, table),
)

test('an int column is offered no date, timestamp, boolean or text; a string column no number or instant kind', () => {
  assert.deepEqual(kindsFitting('int'), ['continuous', 'integer', 'categorical', 'identifier', 'constant'])
  assert.deepEqual(kindsFitting('bigint'), kindsFitting('decimal(12,0)'), 'whole decimals are keys or counts like integers')
  assert.deepEqual(kindsFitting('double'), ['continuous', 'integer', 'categorical', 'constant'])
  assert.deepEqual(kindsFitting('decimal(10,2)'), kindsFitting('float'))
  assert.deepEqual(kindsFitting('string'), ['categorical', 'identifier', 'text', 'constant'])
  assert.deepEqual(kindsFitting('boolean'), ['boolean', 'constant'])
  assert.deepEqual(kindsFitting('date'), ['date', 'constant'])
  assert.deepEqual(kindsFitting('timestamp_ntz'), ['timestamp', 'constant'])
  assert.deepEqual(kindsFitting('array<struct<a:int>>'), ['text', 'constant'])
  assert.deepEqual(kindsFitting('binary'), ['text', 'constant'])
  for (const type of ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'string', 'boolean', 'date', 'timestamp', 'binary']) {
    const fitting = kindsFitting(type)
    assert.deepEqual(
      fitting,
      COLUMN_KINDS.filter((kind) => fitting.includes(kind)),
      `${type}: in the order of the schema's kinds`,
    )
  }
})

test('every kind extraction detects fits the column type, whatever the values', async () => {
  const inputs = [
    path.join(SPARK_TABLES, 'http_requests'),
    ...['alltypes_tiny_pages', 'list_columns', 'binary', 'nullable.impala'].map((name) => path.join(INTEROP_FILES, `${name}.parquet`)),
  ]
  const documents = [await adult, ...(await Promise.all(inputs.map(documentOf)))]
  for (const column of documents.flatMap((d) => d.columns))
    assert.ok(
      kindsFitting(column.sparkType).includes(column.detectedKind),
      `${column.name}: ${column.detectedKind} for ${column.sparkType}`,
    )
  const cases = [
    ['boolean', [true, false, true]],
    ['binary', [new Uint8Array([1])]],
    ['double', [Number.NaN, Number.NaN]],
    ['int', [7, 7, 7]],
    ['date', [new Date(0), new Date(86_400_000)]],
    ['string', []],
  ] as const
  for (const [type, values] of cases) {
    const column = { name: 'c', sparkType: parseSparkType(type), nullable: true, nested: false, partition: false }
    const { kind } = detectKind(column, values)
    assert.ok(kindsFitting(type).includes(kind), `${type}: detected ${kind}`)
  }
})

async function documentOf(input: string): Promise<MetadataDocument> {
  const { summary, table } = await sampleDataset(input, { rows: 500, seed: 1 })
  return extractMetadata(summary, table)
}

test('a document whose kind does not fit the column type is refused on load, naming the column and the kinds that fit', async () => {
  const document = await adult
  const dated = { ...document, columns: document.columns.map((c) => (c.name === 'age' ? { ...c, kind: 'date' as const } : c)) }
  assert.throws(
    () => parseMetadata(serializeMetadata(dated), 'adult.synth-meta.json'),
    (error: unknown) => {
      assert.ok(error instanceof SparkSynthError)
      assert.match(
        error.message,
        /adult\.synth-meta\.json, column "age": "kind": "date" does not fit the column's int values.*Use one of continuous, integer, categorical, identifier, constant \(the column was detected as integer\)/s,
      )
      return true
    },
  )
  const numbered = {
    ...document,
    columns: document.columns.map((c) => (c.name === 'workclass' ? { ...c, kind: 'continuous' as const } : c)),
  }
  assert.throws(() => parseMetadata(serializeMetadata(numbered), 'x.json'), /column "workclass": "kind": "continuous" does not fit/)
  assert.deepEqual(applyColumnEdit(document, { index: 0, name: 'age', field: 'kind', value: 'boolean' }), {
    problem: '"boolean" does not fit "age", which holds int values',
  })
  const edited = applyColumnEdit(document, { index: 0, name: 'age', field: 'kind', value: 'categorical' })
  assert.ok('document' in edited && parseMetadata(serializeMetadata(edited.document), 'x.json').columns[0].kind === 'categorical')
})

test('every kind and every sensitive handling has one plain sentence', () => {
  const sentences = [...COLUMN_KINDS.map((kind) => KIND_DESCRIPTIONS[kind]), ...SENSITIVE_HANDLING.map((h) => SENSITIVE_DESCRIPTIONS[h])]
  assert.equal(sentences.length, COLUMN_KINDS.length + SENSITIVE_HANDLING.length)
  for (const sentence of sentences) {
    assert.match(sentence, /^[a-z][^.]*\.$/, `one sentence: ${sentence}`)
    assert.ok(sentence.length <= 130, `short: ${sentence}`)
  }
  assert.equal(new Set(sentences).size, sentences.length, 'no two alike')
  assert.equal(kindHelp('categorical'), `Kind: categorical — ${KIND_DESCRIPTIONS.categorical}`)
  assert.match(sensitiveHelp('mask'), /^Sensitive: mask — each letter becomes another letter/)
})

test('the mask and fake preview equals what the synthesizer writes for those values', async () => {
  const { tf } = await loadTensorFlow()
  const rows = 300
  const emails = ['alice@example.com', 'bob.smith@corp.org', 'carol-99@mail.net', 'dan@example.com']
  const table: Table = {
    columns: [
      { name: 'email', sparkType: { id: 'string' }, nullable: false, nested: false, partition: false },
      { name: 'visits', sparkType: { id: 'int' }, nullable: false, nested: false, partition: false },
    ],
    values: [Array.from({ length: rows }, (_, i) => emails[i % 4]), Array.from({ length: rows }, (_, i) => (i % 4) * 10 + (i % 3))],
    rowCount: rows,
  }
  const summary = { path: '/x', format: 'parquet' as const, files: [], rowCount: rows, sampleSize: rows, seed: 11 }
  const extracted = extractMetadata(summary, table)
  // Four addresses repeated: kept as categories (rather than keys), the model draws them and the handling rewrites them.
  const email = { ...extracted.columns[0], kind: 'categorical' as const }
  const handled = (sensitive: 'keep' | 'mask' | 'fake'): MetadataDocument => ({
    ...extracted,
    columns: extracted.columns.map((c) => (c.name === 'email' ? { ...email, sensitive } : c)),
  })
  // The editor trains with the document's seed: the preview is keyed by it.
  const seed = summary.seed
  const drawn = async (document: MetadataDocument) => {
    const { synthesizer } = await Synthesizer.train(tf, table, document, { epochs: 1, seed })
    const values = synthesizer.sample(200, 5).values[0] as string[]
    synthesizer.dispose()
    return values
  }
  const kept = await drawn(handled('keep'))
  assert.ok(new Set(kept).size > 1 && kept.every((v) => emails.includes(v)), 'the model draws the real values when kept')
  for (const handling of ['mask', 'fake'] as const) {
    const written = await drawn(handled(handling))
    const preview = previewRewrites(email, handling, kept, seed)
    assert.deepEqual(
      preview.map((p) => p.written),
      written,
      `${handling}: the preview of the drawn values is what was written`,
    )
    assert.ok(
      written.every((v, i) => v !== kept[i]),
      `${handling} rewrites every value`,
    )
  }
  const [alice] = previewRewrites(email, 'mask', ['alice@example.com'], seed)
  assert.match(alice.written, /^[a-z]{5}@[a-z]{7}\.[a-z]{3}$/, 'mask keeps the format')
})

test('a histogram whose tallest bin dwarfs the rest is drawn on a log count scale', async () => {
  const capitalGain = [558, 2, 5, 2, 2, 4, 4, 0, 0, 7, 5, 0, 0, 0, 0, 0, 0, 0, 2, 9]
  assert.equal(suggestedScale(capitalGain), 'log', "Adult's capital-gain: 558 zeros beside a median bin of 4 rows")
  assert.equal(suggestedScale([34, 36, 50, 48, 55, 48, 47, 41, 48, 47, 29, 24, 21, 22, 16, 9, 11, 3, 3, 8]), 'linear', 'age')
  assert.equal(suggestedScale([LOG_SCALE_RATIO * 4, 4, 4]), 'linear', 'exactly the ratio stays linear')
  assert.equal(suggestedScale([LOG_SCALE_RATIO * 4 + 1, 4, 4]), 'log')
  assert.equal(suggestedScale([1000, 0, 0]), 'linear', 'a single filled bin has nothing to dwarf')
  assert.equal(suggestedScale([]), 'linear')
  const document = await adult
  const scales = Object.fromEntries(
    document.columns.flatMap((c) => (c.stats.numeric ? [[c.name, suggestedScale(c.stats.numeric.histogram.counts)]] : [])),
  )
  assert.equal(scales['capital-gain'], 'log')
  assert.equal(scales['capital-loss'], 'log')
  assert.equal(scales.age, 'linear')

  const plot = { left: 0, top: 0, width: 200, height: 100 }
  const histogram = { edges: Array.from({ length: 21 }, (_, i) => i * 5000), counts: capitalGain }
  const log = histogramBars(histogram, true, plot, 'log')
  const linear = histogramBars(histogram, true, plot, 'linear')
  const share = (count: number) => Math.log1p(count) / Math.log1p(558)
  for (const [i, bar] of log.entries()) {
    assert.ok(Math.abs(bar.height - share(capitalGain[i]) * 100) < 1e-9, `bin ${i}: log(1 + count) of the plot`)
    assert.ok(Math.abs(bar.y + bar.height - 100) < 1e-9, 'bars stand on the baseline')
  }
  assert.equal(log[0].height, 100, 'the tallest fills the plot')
  assert.equal(log[7].height, 0, 'an empty bin stays empty')
  assert.ok(log[1].height > 10, `a bin of 2 rows is readable on the log scale: ${log[1].height.toFixed(1)}`)
  assert.ok(linear[1].height < 0.5, `…and not on the linear one: ${linear[1].height.toFixed(2)}`)
  const heights = defined(log.at(-1), 'the last bar').height
  assert.ok(heights > log[1].height, 'more rows, a taller bar')
})
