import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import type { Table } from '../src/core/io/table.ts'
import type { ColumnMeta, MetadataDocument } from '../src/core/meta/document.ts'
import { DEFAULT_ENCODING, type ColumnEncoding } from '../src/core/model/encoding.ts'
import { budgetWeight, fitPrivateEncoding } from '../src/core/model/privateEncoding.ts'
import type { ColumnPlan } from '../src/core/model/synthesizer.ts'
import { defaultDelta, type PrivacyRecord } from '../src/core/privacy/dpsgd.ts'
import { ENCODING_EPSILON_SHARE, EncodingBudget } from '../src/core/privacy/encodingBudget.ts'
import { SecureRandom } from '../src/core/privacy/mechanisms.ts'
import { ADULT_CSV, runCli, tempDir } from './helpers.ts'

/** The parts of model.json this file reads. */
interface Manifest {
  readonly metadata: MetadataDocument
  readonly encoding: { readonly columns: readonly ColumnEncoding[] }
  readonly plans: readonly ColumnPlan[]
  readonly training: { readonly rows: number; readonly epochs: readonly { loss: number | null }[]; readonly privacy?: PrivacyRecord }
}

const PLANTED_COUNTRY = 'Atlantis-7f3a'
const PLANTED_WEIGHT = '987654321'
const ROWS = 5000

/**
 * Adult's first 5,000 rows with one row's country and weight made unique, and a metadata document with value
 * protection off for both columns, so that only differential privacy can keep them out of the model.
 */
async function plantedAdult(dir: string): Promise<{ source: string; meta: string }> {
  const lines = (await readFile(ADULT_CSV, 'utf8')).split('\n').slice(0, ROWS + 1)
  const header = lines[0].split(',')
  const cells = lines[1].split(',')
  cells[header.indexOf('native-country')] = ` ${PLANTED_COUNTRY}`
  cells[header.indexOf('fnlwgt')] = PLANTED_WEIGHT
  lines[1] = cells.join(',')
  const source = path.join(dir, 'adult.csv')
  await writeFile(source, `${lines.join('\n')}\n`)
  const meta = path.join(dir, 'adult.synth-meta.json')
  const extracted = await runCli('meta', source, '-o', meta)
  assert.equal(extracted.code, 0, extracted.stderr)
  const document = JSON.parse(await readFile(meta, 'utf8')) as MetadataDocument
  const columns = document.columns.map((c) => (c.name === 'native-country' || c.name === 'fnlwgt' ? { ...c, protect: false } : c))
  await writeFile(meta, JSON.stringify({ ...document, columns }, null, 1))
  return { source, meta }
}

async function train(source: string, meta: string, model: string, ...options: string[]) {
  const trained = await runCli('train', source, '--meta', meta, '-o', model, '--holdout', '0', '--epochs', '2', ...options)
  assert.equal(trained.code, 0, trained.stderr)
  return { stdout: trained.stdout, text: await readFile(path.join(model, 'model.json'), 'utf8') }
}

test('train --epsilon 4: a value one unprotected row holds is nowhere in the model folder, which states (ε, δ) for the whole model', async () => {
  const dir = await tempDir()
  const { source, meta } = await plantedAdult(dir)

  // Without DP and without protection the planted values are in model.json: what follows can fail.
  const open = await train(source, meta, path.join(dir, 'open'))
  assert.match(open.text, new RegExp(PLANTED_COUNTRY))

  const { stdout, text } = await train(source, meta, path.join(dir, 'private'), '--epsilon', '4')
  assert.doesNotMatch(text, new RegExp(`${PLANTED_COUNTRY}|${PLANTED_WEIGHT}`))
  const manifest = JSON.parse(text) as Manifest
  const privacy = manifest.training.privacy
  assert.ok(privacy)
  assert.equal(manifest.training.rows, ROWS)

  // The composed (ε, δ) is the one asked for, split as stated.
  assert.equal(privacy.scope, 'model')
  assert.ok(Math.abs(privacy.epsilon - 4) < 1e-6, `ε ${privacy.epsilon}`)
  assert.ok(Math.abs(privacy.delta - defaultDelta(ROWS)) < 1e-6 * defaultDelta(ROWS), `δ ${privacy.delta}`)
  assert.ok(Math.abs(privacy.encodings.epsilon - 4 * ENCODING_EPSILON_SHARE) < 1e-9, `encodings ε ${privacy.encodings.epsilon}`)
  assert.ok(Math.abs(privacy.encodings.epsilon + privacy.network.epsilon - privacy.epsilon) < 1e-12)
  assert.ok(Math.abs(privacy.encodings.delta + privacy.network.delta - privacy.delta) < 1e-18)
  assert.match(stdout, /differential privacy: \(ε = 4\.00, δ = 2\.0e-5\) for the whole model: the encodings \(ε = 1\.00/)

  // Nothing else data-dependent: no lookups between columns, no statistics, no losses.
  assert.ok(manifest.plans.every((plan) => plan.source === 'learned'))
  assert.ok(manifest.metadata.columns.every((c) => Object.keys(c.stats).length === 0 && c.nullFraction === 0 && !c.precisionNote))
  assert.ok(manifest.training.epochs.length === 2 && manifest.training.epochs.every((e) => e.loss === null))
  // Every learned category column keeps its rare bucket, whether or not the data needed one.
  assert.ok(manifest.encoding.columns.every((c) => c.type === 'numeric' || c.calendar !== undefined || c.rare !== undefined))
  const weight = manifest.encoding.columns.find((c) => c.column === 'fnlwgt')
  assert.ok(weight?.type === 'numeric' && weight.max < Number(PLANTED_WEIGHT))
})

test('DP encodings: categories by noisy counts, null slots by the metadata, a bucket always, whole-number bounds; the budget spent whole', () => {
  const rows = 5000
  const names = Array.from({ length: rows }, (_, i) =>
    i < 3000 ? 'Airbus' : i < 4500 ? 'Boeing' : i === 4500 ? 'Solo' : i < 4600 ? null : 'Cessna',
  )
  const ages = Array.from({ length: rows }, (_, i) => 18 + (i % 73))
  const table: Table = {
    columns: [
      { name: 'maker', sparkType: { id: 'string' }, nullable: true, nested: false, partition: false },
      { name: 'age', sparkType: { id: 'int' }, nullable: false, nested: false, partition: false },
    ],
    values: [names, ages],
    rowCount: rows,
  }
  const columns = [
    { name: 'maker', sparkType: 'string', nullable: true, kind: 'categorical', protect: false },
    { name: 'age', sparkType: 'int', nullable: false, kind: 'integer', protect: false },
  ] as ColumnMeta[]
  const budget = new EncodingBudget({ epsilon: 1, delta: 1e-5 }, columns.map(budgetWeight))
  const { encoding, counts } = fitPrivateEncoding(table, columns, DEFAULT_ENCODING, budget, new SecureRandom())
  const [maker, age] = encoding.columns
  assert.ok(maker.type === 'categorical' && age.type === 'numeric')
  // Cessna's 400 rows clear the threshold (about 115 rows here); Solo's one row does not.
  assert.deepEqual(maker.categories, ['Airbus', 'Boeing', 'Cessna', null])
  // Solo's row comes back as a selected maker, never as a value the column does not hold.
  assert.deepEqual(maker.rare?.values, ['Airbus', 'Boeing', 'Cessna'])
  const slotCounts = counts[0]
  assert.ok(
    slotCounts && Math.abs(slotCounts[0] - 3000) < 150 && Math.abs(slotCounts[3] - 99) < 150,
    JSON.stringify(Array.from(slotCounts ?? [])),
  )
  // Not nullable: no null spike; whole numbers: whole bounds inside the DP range.
  assert.ok(
    !age.spikes.includes(null) && Number.isInteger(age.min) && Number.isInteger(age.max) && age.min < 30 && age.max > 75,
    `${age.min}–${age.max}`,
  )
  const spent = budget.spent()
  assert.ok(Math.abs(spent.epsilon - 1) < 1e-9 && Math.abs(spent.delta - 1e-5) < 1e-15, JSON.stringify(spent))
})
