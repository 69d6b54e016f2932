import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { SparkSynthError } from '../src/core/errors.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import type { Table } from '../src/core/io/table.ts'
import { extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { loadModel, saveModel } from '../src/core/model/modelFolder.ts'
import { Synthesizer } from '../src/core/model/synthesizer.ts'
import { combinedName } from '../src/core/model/ruleConstruction.ts'
import { loadTensorFlow } from '../src/core/model/tensorflow.ts'
import { sampleIndependentMarginals } from '../src/core/quality/baseline.ts'
import { scoreQuality } from '../src/core/quality/score.ts'
import { Random } from '../src/core/random.ts'
import { EXAMPLE_ADULT, tempDir } from './helpers.ts'

const { tf, backend } = await loadTensorFlow()
const adult = await sampleDataset(EXAMPLE_ADULT, { rows: 20_000, seed: 4 })
const adultMeta = extractMetadata(adult.summary, adult.table)
const column = (table: Table, name: string) => table.values[table.columns.findIndex((c) => c.name === name)]

test(`trains on Adult (${backend}) to quality well above independent marginals, without leaking tensors`, async () => {
  const before = tf.memory().numTensors
  const reports: number[] = []
  const { synthesizer, epochs } = await Synthesizer.train(
    tf,
    adult.table,
    adultMeta,
    { epochs: 6, seed: 1 },
    { onEpoch: (r) => reports.push(r.loss) },
  )
  assert.equal(epochs.length, 6)
  assert.ok(reports[5] < reports[0], `loss falls: ${reports.map((l) => l.toFixed(2)).join(' ')}`)
  const synthetic = synthesizer.sample(20_000, 2)
  const model = scoreQuality(adult.table, synthetic, adultMeta.columns)
  const marginals = scoreQuality(adult.table, sampleIndependentMarginals(adult.table, 20_000, 2), adultMeta.columns)
  assert.ok(model.columnShapes > 0.93, `shapes ${model.columnShapes}`)
  assert.ok(
    model.columnPairTrends > marginals.columnPairTrends + 0.03,
    `pairs ${model.columnPairTrends} vs marginals ${marginals.columnPairTrends}`,
  )
  // education-num is an exact function of education: rebuilt by lookup, never contradicted.
  const pairs = new Map<unknown, unknown>()
  column(adult.table, 'education').forEach((e, i) => pairs.set(e, column(adult.table, 'education-num')[i]))
  column(synthetic, 'education').forEach((e, i) => {
    assert.equal(column(synthetic, 'education-num')[i], pairs.get(e))
  })
  // Income depends on the rest: married rows earn >50K far more often, as in the data.
  const share = (table: Table, status: string) => {
    const rows = column(table, 'marital-status')
      .map((m, i) => [m, column(table, 'income')[i]])
      .filter(([m]) => m === status)
    return rows.filter(([, income]) => income === '>50K').length / rows.length
  }
  assert.ok(share(synthetic, 'Married-civ-spouse') > 2 * share(synthetic, 'Never-married'), 'income follows marital status')
  assert.deepEqual(synthesizer.sample(500, 9).values, synthesizer.sample(500, 9).values, 'same seed, same rows')
  assert.notDeepEqual(synthesizer.sample(500, 9).values, synthesizer.sample(500, 10).values)
  synthesizer.dispose()
  assert.equal(tf.memory().numTensors, before, 'every tensor is disposed')
})

test('a model folder round-trips and refuses a different metadata document', async () => {
  const dir = await tempDir()
  const folder = path.join(dir, 'model')
  const { synthesizer, epochs } = await Synthesizer.train(tf, adult.table, adultMeta, { epochs: 2, seed: 3 })
  await saveModel(folder, synthesizer, { backend, rows: adult.table.rowCount, epochs })
  assert.deepEqual((await readdir(dir)).sort(), ['model'], 'no temporary folder left')
  const loaded = await loadModel(tf, folder, adultMeta)
  assert.deepEqual(loaded.synthesizer.sample(300, 5).values, synthesizer.sample(300, 5).values)
  const edited: MetadataDocument = {
    ...adultMeta,
    columns: adultMeta.columns.map((c) => (c.name === 'race' ? { ...c, exclude: true } : c)),
  }
  await assert.rejects(
    loadModel(tf, folder, edited),
    (error: unknown) => error instanceof SparkSynthError && error.message.includes('different metadata document'),
  )
  synthesizer.dispose()
  loaded.synthesizer.dispose()
})

test('overrides are honoured: excluded columns absent, kind overrides, masking, conditions', async () => {
  const document: MetadataDocument = {
    ...adultMeta,
    columns: adultMeta.columns.map((c) => {
      if (c.name === 'fnlwgt') return { ...c, exclude: true }
      if (c.name === 'native-country') return { ...c, sensitive: 'exclude' as const }
      if (c.name === 'occupation') return { ...c, sensitive: 'mask' as const }
      if (c.name === 'education-num') return { ...c, kind: 'categorical' as const }
      return c
    }),
  }
  const { synthesizer } = await Synthesizer.train(tf, adult.table, document, { epochs: 2, seed: 1 })
  const synthetic = synthesizer.sample(400, 1)
  const names = synthetic.columns.map((c) => c.name)
  assert.ok(!names.includes('fnlwgt') && !names.includes('native-country'))
  const realOccupations = new Set(column(adult.table, 'occupation'))
  const masked = column(synthetic, 'occupation') as string[]
  assert.ok(
    masked.every((v) => v === '?' || !realOccupations.has(v)),
    'masked values are not the real ones (a value without letters or digits masks to itself)',
  )
  assert.ok(
    masked.every((v) => /^[A-Za-z?-]+$/.test(v)),
    'masking keeps the format',
  )
  // education and education-num (now categorical) are learned as one category: the combination extraction detected.
  assert.equal(synthesizer.encoding.columns.find((c) => c.column === combinedName(['education', 'education-num']))?.type, 'categorical')
  const rich = synthesizer.sampleWhere(200, 3, { income: '>50K' })
  assert.equal(rich.rowCount, 200)
  assert.ok(column(rich, 'income').every((v) => v === '>50K'))
  assert.throws(() => synthesizer.sampleWhere(10, 3, { income: 'millionaire' }), /too rare/)
  assert.throws(
    () => synthesizer.sampleWhere(10, 3, { fnlwgt: '1' }),
    (error: unknown) =>
      error instanceof SparkSynthError &&
      error.column === 'fnlwgt' &&
      /there is no such synthesised column\. Condition on one of: .*\bincome\b/.test(error.message),
  )
  synthesizer.dispose()
})

test('a column the user declares not nullable gets no nulls; one left nullable keeps its null share', async () => {
  const rows = 2000
  const table: Table = {
    columns: [
      { name: 'score', sparkType: { id: 'double' }, nullable: true, nested: false, partition: false },
      { name: 'group', sparkType: { id: 'string' }, nullable: true, nested: false, partition: false },
    ],
    values: [
      Array.from({ length: rows }, (_, i) => (i % 10 < 3 ? null : (i % 97) / 7)),
      Array.from({ length: rows }, (_, i) => (i % 10 < 2 ? null : ['a', 'b', 'c'][i % 3])),
    ],
    rowCount: rows,
  }
  const summary = { path: '/x', format: 'parquet' as const, files: [], rowCount: rows, sampleSize: rows, seed: 1 }
  const extracted = extractMetadata(summary, table)
  const document: MetadataDocument = {
    ...extracted,
    columns: extracted.columns.map((c) => (c.name === 'score' ? { ...c, nullable: false } : c)),
  }
  const { synthesizer } = await Synthesizer.train(tf, table, document, { epochs: 2, seed: 1 })
  const synthetic = synthesizer.sample(1000, 2)
  assert.ok(
    column(synthetic, 'score').every((v) => typeof v === 'number'),
    'no nulls where the user said none',
  )
  const groupNulls = column(synthetic, 'group').filter((v) => v === null).length / 1000
  assert.ok(groupNulls > 0.12 && groupNulls < 0.28, `the nullable column keeps about 20% nulls: ${groupNulls}`)
  synthesizer.dispose()
})

test('dates keep their week: business days stay business days; evenly spread days learn no weekday', async () => {
  const rows = 3000
  const DAY = 86_400_000
  const start = Date.UTC(2024, 0, 1)
  const random = new Random(5)
  // Orders on weekdays only over two years; amounts larger on Mondays. Visits on any day.
  const businessDay = () => {
    for (;;) {
      const date = new Date(start + random.int(730) * DAY)
      if (date.getUTCDay() % 6 !== 0) return date
    }
  }
  const ordered = Array.from({ length: rows }, businessDay)
  const table: Table = {
    columns: [
      { name: 'ordered', sparkType: { id: 'date' }, nullable: false, nested: false, partition: false },
      { name: 'amount', sparkType: { id: 'double' }, nullable: false, nested: false, partition: false },
      { name: 'visited', sparkType: { id: 'date' }, nullable: false, nested: false, partition: false },
    ],
    values: [
      ordered,
      ordered.map((d) => (d.getUTCDay() === 1 ? 500 : 100) + random.next() * 50),
      Array.from({ length: rows }, () => new Date(start + random.int(730) * DAY)),
    ],
    rowCount: rows,
  }
  const summary = { path: '/x', format: 'parquet' as const, files: [], rowCount: rows, sampleSize: rows, seed: 1 }
  const { synthesizer } = await Synthesizer.train(tf, table, extractMetadata(summary, table), { seed: 1 })
  const weekdays = synthesizer.encoding.columns.filter((c) => c.type === 'categorical' && c.calendar === 'weekday').map((c) => c.column)
  assert.deepEqual(weekdays, ['ordered'], 'only the column whose week has a shape learns its weekday')
  const synthetic = synthesizer.sample(2000, 3)
  const dates = column(synthetic, 'ordered') as Date[]
  const weekend = dates.filter((d) => d.getUTCDay() % 6 === 0).length / dates.length
  assert.ok(weekend < 0.03, `weekend share of business-day dates: ${weekend}`)
  const amounts = column(synthetic, 'amount') as number[]
  const mondays = dates.flatMap((d, i) => (d.getUTCDay() === 1 ? [amounts[i]] : []))
  const others = dates.flatMap((d, i) => (d.getUTCDay() !== 1 ? [amounts[i]] : []))
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
  assert.ok(
    mean(mondays) > mean(others) + 150,
    `Monday amounts ${mean(mondays)} vs others ${mean(others)}: the weekday carries its relationship`,
  )
  const first = Math.min(...dates.map((d) => d.getTime()))
  const last = Math.max(...dates.map((d) => d.getTime()))
  assert.ok(
    first >= Math.min(...ordered.map((d) => d.getTime())) && last <= Math.max(...ordered.map((d) => d.getTime())),
    'moved dates stay in the learned range',
  )
  synthesizer.dispose()
})

test('identifiers and free text are generated fresh, never copied', async () => {
  const dir = await tempDir()
  const n = 600
  const file = path.join(dir, 'tickets.parquet')
  const words = ['printer', 'broken', 'again', 'please', 'call', 'me', 'today', 'invoice', 'missing', 'refund']
  await writeFile(
    file,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'ticket_id', data: Array.from({ length: n }, () => randomUUID()), type: 'STRING' },
          { name: 'email', data: Array.from({ length: n }, (_, i) => `agent${i}@corp.example`), type: 'STRING' },
          {
            name: 'body',
            data: Array.from({ length: n }, (_, i) => `${words[i % 10]} ${words[(i * 3) % 10]} ${words[(i * 7) % 10]} ticket ${i}`),
            type: 'STRING',
          },
          { name: 'priority', data: Array.from({ length: n }, (_, i) => ['low', 'high'][i % 2]), type: 'STRING' },
          { name: 'minutes', data: Array.from({ length: n }, (_, i) => (i % 2 ? 30 : 300) + (i % 17)), type: 'INT32' },
        ],
      }),
    ),
  )
  const { summary, table } = await sampleDataset(file)
  const document = extractMetadata(summary, table)
  assert.deepEqual(
    document.columns.map((c) => c.kind),
    ['identifier', 'identifier', 'text', 'categorical', 'integer'],
  )
  const { synthesizer } = await Synthesizer.train(tf, table, document, { epochs: 3, seed: 1 })
  const synthetic = synthesizer.sample(1000, 4)
  for (const name of ['ticket_id', 'email', 'body']) {
    const real = new Set(column(table, name))
    const generated = column(synthetic, name)
    assert.ok(
      generated.every((v) => !real.has(v)),
      `${name}: no training value copied`,
    )
  }
  assert.equal(new Set(column(synthetic, 'ticket_id')).size, 1000, 'identifiers are unique')
  assert.ok((column(synthetic, 'email') as string[]).every((v) => /^agent\d+@corp\.example$/.test(v)))
  synthesizer.dispose()
})

test('a table too wide for the network is refused before it is built, naming the input and what to exclude', async () => {
  const dir = await tempDir()
  const file = path.join(dir, 'wide.parquet')
  const random = new Random(3)
  // 300 categories of 40 values each: 12,000 slots, a direct connection of 144 million weights.
  const columnData = Array.from({ length: 300 }, (_, c) => ({
    name: `c${c}`,
    type: 'STRING' as const,
    data: Array.from({ length: 400 }, (_, r) => `v${(r + random.int(2)) % 40}`),
  }))
  await writeFile(file, new Uint8Array(parquetWriteBuffer({ columnData })))
  const { summary, table } = await sampleDataset(file, { rows: 400, seed: 1 })
  const before = tf.memory().numTensors
  await assert.rejects(
    // Unprotected (k = 1), so that every one of the 40 values has a slot.
    Synthesizer.train(tf, table, extractMetadata(summary, table, 1), { epochs: 1, seed: 1 }),
    (error: unknown) =>
      error instanceof SparkSynthError &&
      error.file === file &&
      /300 learned columns take 12,\d{3} slots/.test(error.problem) &&
      error.hint.includes('"exclude": true'),
  )
  assert.equal(tf.memory().numTensors, before, 'no tensor was allocated')
})
