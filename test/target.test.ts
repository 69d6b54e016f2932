/**
 * The utility target: suggested at extraction only when one column reads clearly as a label, refused
 * on load when it names a column that cannot be predicted, set and cleared by the editor's edits.
 */
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { csvFormat } from 'd3-dsv'
import { SparkSynthError } from '../src/core/errors.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { parseMetadata, serializeMetadata } from '../src/core/meta/metadataFile.ts'
import { suggestTarget, targetCandidates } from '../src/core/meta/target.ts'
import { applyColumnEdit } from '../src/host/columnEdit.ts'
import { applyTargetEdit } from '../src/host/targetEdit.ts'
import { isWebviewToHost } from '../src/protocol/webview.ts'
import { targetChoices } from '../webview/targetChoices.ts'
import { EXAMPLE_ADULT, ROOT, SPARK_TABLES, tempDir } from './helpers.ts'

async function metadataOf(input: string): Promise<MetadataDocument> {
  const { summary, table } = await sampleDataset(input, { rows: 5000, seed: 1 })
  return extractMetadata(summary, table)
}

const adult = metadataOf(EXAMPLE_ADULT)
const names = (document: MetadataDocument) => targetCandidates(document.columns).map((c) => c.name)

test('extraction suggests income on Adult, among the categories that could be predicted', async () => {
  const document = await adult
  assert.equal(document.target, 'income')
  assert.ok(names(document).includes('sex') && names(document).includes('education-num'), 'categories and small integers are offered')
  assert.ok(!names(document).includes('age') && !names(document).includes('fnlwgt'), 'integers with many values are quantities')
  assert.match(
    serializeMetadata(document),
    /"rareValueRows": 5\n {2}},\n {2}"target": "income",\n {2}"rules": \[[^]*?\n {2}\],\n {2}"columns"/,
    'placed before the detected rules and the columns',
  )
})

test('penguins: Species is suggested; with two label-like columns none is', async () => {
  const file = path.join(await tempDir(), 'penguins.csv')
  const rows = JSON.parse(await readFile(path.join(ROOT, 'node_modules', 'vega-datasets', 'data', 'penguins.json'), 'utf8')) as Record<
    string,
    unknown
  >[]
  await writeFile(file, csvFormat(rows))
  const document = await metadataOf(file)
  assert.equal(document.target, 'Species')
  const ambiguous = document.columns.map((c) => (c.name === 'Island' ? { ...c, name: 'class' } : c))
  assert.equal(suggestTarget(ambiguous), undefined, 'Species and class both read as labels')
})

test('the Spark tables have no label: nothing is suggested, and http_requests offers no column, saying why', async () => {
  for (const table of ['http_requests', 'cdf-table', 'delta-0.8.0-partitioned', 'table_with_liquid_clustering']) {
    const document = await metadataOf(path.join(SPARK_TABLES, table))
    assert.equal(document.target, undefined, table)
  }
  const http = await metadataOf(path.join(SPARK_TABLES, 'http_requests'))
  const choices = targetChoices(http)
  assert.deepEqual(choices.candidates, [])
  assert.match(
    choices.hint,
    /^No column can be the target, so utility is not measured: ClientIP is a constant column, not a class to predict; .*; 6 more likewise\. A target is a kept categorical, boolean or integer column with 2 to 20 values\.$/,
  )
})

test('a target that cannot be predicted is refused on load, naming the column and the columns to pick', async () => {
  const document = await adult
  const refused = (edit: (d: MetadataDocument) => MetadataDocument, pattern: RegExp) => {
    assert.throws(
      () => parseMetadata(serializeMetadata(edit(document)), 'adult.synth-meta.json'),
      (error: unknown) => error instanceof SparkSynthError && pattern.test(error.message),
    )
  }
  refused(
    (d) => ({ ...d, target: 'salary' }),
    /^adult\.synth-meta\.json, column "salary": "target" names no column of the metadata\. Pick one of workclass, .*income as "target", or remove "target"/,
  )
  refused(
    (d) => ({ ...d, target: 'age' }),
    /column "age": "target" names a column that is an integer column with \d+ values: a quantity, not a class/,
  )
  const excluded = (d: MetadataDocument) => ({ ...d, columns: d.columns.map((c) => (c.name === 'income' ? { ...c, exclude: true } : c)) })
  refused(excluded, /column "income": "target" names a column that is left out of the synthetic data\./)
  const asText = (d: MetadataDocument) => ({
    ...d,
    columns: d.columns.map((c) => (c.name === 'income' ? { ...c, kind: 'text' as const } : c)),
  })
  refused(asText, /"target" names a column that is a text column, not a class to predict/)
  const asId = (d: MetadataDocument) => ({
    ...d,
    columns: d.columns.map((c) => (c.name === 'income' ? { ...c, kind: 'identifier' as const } : c)),
  })
  refused(asId, /"target" names a column that is an identifier column/)
  const masked = (d: MetadataDocument) => ({
    ...d,
    columns: d.columns.map((c) => (c.name === 'income' ? { ...c, sensitive: 'mask' as const } : c)),
  })
  refused(masked, /has its values rewritten \(sensitive: mask\)/)
  assert.equal(parseMetadata(serializeMetadata({ ...document, target: 'sex' }), 'x').target, 'sex')
})

test('target edits: set, cleared, refused with the reason; a column edit that makes the target unpredictable drops it', async () => {
  const document = await adult
  const sex = applyTargetEdit(document, 'sex')
  assert.ok('document' in sex && sex.document.target === 'sex')
  const none = applyTargetEdit(document, null)
  assert.ok('document' in none)
  assert.doesNotMatch(serializeMetadata(none.document), /"target"/)
  assert.deepEqual(applyTargetEdit(document, 'fnlwgt'), {
    problem: `the target "fnlwgt" is an integer column with ${document.columns[2].stats.numeric?.distinct} values: a quantity, not a class (at most 20 values)`,
  })
  assert.deepEqual(applyTargetEdit(document, 'nope'), { problem: 'the target "nope" is not a column of the document' })
  const excluded = applyColumnEdit(document, { index: 14, name: 'income', field: 'exclude', value: true })
  assert.ok('document' in excluded && excluded.document.target === undefined)
  assert.equal(parseMetadata(serializeMetadata(excluded.document), 'x').target, undefined, 'still a valid document')
  const other = applyColumnEdit(document, { index: 9, name: 'sex', field: 'exclude', value: true })
  assert.ok('document' in other && other.document.target === 'income', 'another column excluded keeps the target')
  assert.equal(
    targetChoices(document).hint,
    'The report predicts income from the other columns, trained on synthetic rows and on real ones (utility).',
  )
})

test('the editTarget message: a name or null, nothing else', () => {
  assert.ok(isWebviewToHost({ type: 'editTarget', column: 'income' }))
  assert.ok(isWebviewToHost({ type: 'editTarget', column: null }))
  for (const malformed of [
    { type: 'editTarget' },
    { type: 'editTarget', column: '' },
    { type: 'editTarget', column: 3 },
    { type: 'editTarget', column: 'income', index: 14 },
    { type: 'editTarget', column: ['income'] },
  ])
    assert.ok(!isWebviewToHost(malformed), JSON.stringify(malformed))
})
