import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import type { MetadataDocument } from '../src/core/meta/document.ts'
import { comparedColumns, sharedColumns, unscoredColumns } from '../src/core/report/fromDatasets.ts'
import { buildQualityReport, parseQualityReport, renderQualityReportHtml } from '../src/core/report/index.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { EXAMPLE_ADULT, runCli, tempDir } from './helpers.ts'

const dir = await tempDir()
const metaFile = path.join(dir, 'adult.synth-meta.json')
assert.equal((await runCli('meta', EXAMPLE_ADULT, '-o', metaFile, '--rows', '4000')).code, 0)
const ADULT = JSON.parse(await readFile(metaFile, 'utf8')) as MetadataDocument

function marked(document: MetadataDocument, handling: Readonly<Record<string, 'mask' | 'fake' | 'exclude'>>): MetadataDocument {
  return { ...document, columns: document.columns.map((c) => ({ ...c, sensitive: handling[c.name] ?? c.sensitive })) }
}

/** Trains on Adult with `document` through the CLI, as a user would, and returns the report of the rows generated. */
async function reportOf(name: string, document: MetadataDocument) {
  const meta = path.join(dir, `${name}.synth-meta.json`)
  await writeFile(meta, JSON.stringify(document))
  const model = path.join(dir, `model-${name}`)
  const output = path.join(dir, `out-${name}`)
  const trained = await runCli('train', EXAMPLE_ADULT, '--meta', meta, '-o', model, '--epochs', '10', '--seed', '0')
  assert.equal(trained.code, 0, trained.stderr)
  const sampled = await runCli('sample', model, '-n', '4000', '-o', output, '--seed', '1')
  assert.equal(sampled.code, 0, sampled.stderr)
  return parseQualityReport(await readFile(path.join(output, 'quality-report.json'), 'utf8'))
}

test('marking a column sensitive never makes a privacy figure worse: the report compares what is shared', async () => {
  const kept = await reportOf('kept', ADULT)
  const masked = await reportOf('masked', marked(ADULT, { occupation: 'mask' }))
  // The masked column is compared as written: leaving a column out of the comparison counted rows that differ
  // from every training row only there as copies (fnlwgt once read 13.7 % for 0 % on the whole of Adult).
  assert.ok(
    masked.privacy.exactCopyShare <= kept.privacy.exactCopyShare,
    `exact copies ${masked.privacy.exactCopyShare} masked, ${kept.privacy.exactCopyShare} kept`,
  )
  assert.ok(masked.privacy.holdoutCopyShare <= kept.privacy.holdoutCopyShare)
  assert.deepEqual(masked.privacy.columns, kept.privacy.columns)
  assert.ok(masked.privacy.columns.includes('occupation'))
  assert.deepEqual(
    masked.unscored.map((u) => u.column),
    ['occupation'],
  )
})

test('mask or fake on a column that does not hold strings is refused: it would share the values unawares', async () => {
  const meta = path.join(dir, 'masked-number.synth-meta.json')
  await writeFile(meta, JSON.stringify(marked(ADULT, { fnlwgt: 'mask' })))
  const trained = await runCli('train', EXAMPLE_ADULT, '--meta', meta, '-o', path.join(dir, 'never'), '--epochs', '1')
  assert.equal(trained.code, 1)
  assert.match(trained.stderr, /masked-number\.synth-meta\.json, column "fnlwgt": "sensitive": "mask" rewrites string values only/)
  assert.match(trained.stderr, /Use "exclude" to leave the column out/)
})

test('masked and faked text is compared as written for privacy, and listed with the reason where the charts leave it out', async () => {
  const document = marked(ADULT, { workclass: 'mask', occupation: 'fake', 'native-country': 'exclude' })
  const names = (columns: readonly { name: string }[]) => columns.map((c) => c.name)
  assert.ok(names(sharedColumns(document)).includes('workclass') && names(sharedColumns(document)).includes('occupation'))
  assert.ok(!names(sharedColumns(document)).includes('native-country'), 'an excluded column is not shared')
  assert.ok(!names(comparedColumns(document)).includes('workclass') && names(comparedColumns(document)).includes('fnlwgt'))
  const unscored = unscoredColumns(document)
  assert.deepEqual(
    unscored.map((u) => u.column),
    ['workclass', 'occupation', 'native-country'],
  )
  assert.match(unscored[0].reason, /^sensitive: mask, so the text written is not the real values/)
  assert.match(unscored[2].reason, /^sensitive: exclude/)

  const { table } = await sampleDataset(EXAMPLE_ADULT, { rows: 200, seed: 3 })
  const report = await buildQualityReport({
    real: table,
    synthetic: table,
    columns: comparedColumns(document),
    shared: sharedColumns(document),
    unscored,
  })
  assert.ok(report.privacy.columns.includes('workclass') && !report.columns.some((c) => c.column === 'workclass'))
  assert.match(renderQualityReportHtml(report), /Not scored or charted:.*<strong>workclass<\/strong>: sensitive: mask/s)
})
