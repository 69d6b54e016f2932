import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import type { MetadataDocument } from '../src/core/meta/document.ts'
import { parseQualityReport } from '../src/core/report/index.ts'
import { EXAMPLE_ADULT, defined, runCli, tempDir } from './helpers.ts'

/** Trains on Adult with `document` through the CLI, as a user would, and returns the report of the rows generated. */
async function reportOf(dir: string, name: string, document: MetadataDocument) {
  const meta = path.join(dir, `${name}.synth-meta.json`)
  await writeFile(meta, JSON.stringify(document))
  const model = path.join(dir, `model-${name}`)
  const output = path.join(dir, `out-${name}`)
  const trained = await runCli('train', EXAMPLE_ADULT, '--meta', meta, '-o', model, '--epochs', '10', '--seed', '0')
  assert.equal(trained.code, 0, trained.stderr)
  const sampled = await runCli('sample', model, '-n', '4000', '-o', output, '--seed', '1')
  assert.equal(sampled.code, 0, sampled.stderr)
  const html = await readFile(path.join(output, 'quality-report.html'), 'utf8')
  return { report: parseQualityReport(await readFile(path.join(output, 'quality-report.json'), 'utf8')), html }
}

test('marking a column sensitive never makes a privacy figure worse: the report compares what is shared', async () => {
  const dir = await tempDir()
  const metaFile = path.join(dir, 'adult.synth-meta.json')
  assert.equal((await runCli('meta', EXAMPLE_ADULT, '-o', metaFile, '--rows', '4000')).code, 0)
  const document = JSON.parse(await readFile(metaFile, 'utf8')) as MetadataDocument
  const masked = { ...document, columns: document.columns.map((c) => (c.name === 'fnlwgt' ? { ...c, sensitive: 'mask' as const } : c)) }
  const kept = await reportOf(dir, 'kept', document)
  const mask = await reportOf(dir, 'masked', masked)

  // A masked number is written as learned, so the rows shared are the same and so must the figures be. Leaving
  // fnlwgt out of the comparison made rows that differ from every training row in it count as copies.
  assert.ok(mask.report.privacy.columns.includes('fnlwgt'), 'the masked column is compared as written')
  assert.ok(
    mask.report.privacy.exactCopyShare <= kept.report.privacy.exactCopyShare,
    `exact copies ${mask.report.privacy.exactCopyShare} masked, ${kept.report.privacy.exactCopyShare} kept`,
  )
  assert.ok(mask.report.privacy.holdoutCopyShare <= kept.report.privacy.holdoutCopyShare)
  assert.deepEqual(mask.report.privacy.columns, kept.report.privacy.columns)

  // Its chart is left out, and the report says why.
  assert.ok(!mask.report.columns.some((c) => c.column === 'fnlwgt'))
  assert.deepEqual(kept.report.unscored, [])
  const listed = defined(
    mask.report.unscored.find((u) => u.column === 'fnlwgt'),
    'fnlwgt among the unscored columns',
  )
  assert.match(listed.reason, /^sensitive: mask/)
  assert.match(mask.html, /Not scored or charted:.*<strong>fnlwgt<\/strong>: sensitive: mask/s)
})
