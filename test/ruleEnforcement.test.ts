/**
 * Rules kept by every generated row, on real tables whose rules are known: Adult's education and
 * education-num (a combination), Seattle's daily minimum and maximum (an inequality), the US employment
 * series whose totals are sums of their parts (expressions); a million rows keep them all, the quality
 * stays that of training without them, a saved model keeps them, and rules that cannot hold are refused
 * naming the rule.
 */
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { SparkSynthError } from '../src/core/errors.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import type { Table } from '../src/core/io/table.ts'
import { extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { parseMetadata, serializeMetadata } from '../src/core/meta/metadataFile.ts'
import { loadModel, saveModel } from '../src/core/model/modelFolder.ts'
import { Synthesizer } from '../src/core/model/synthesizer.ts'
import { loadTensorFlow } from '../src/core/model/tensorflow.ts'
import { scoreQuality } from '../src/core/quality/score.ts'
import { combinationsIn, rowsKeeping } from '../src/core/rules/check.ts'
import { ruleColumns, type Rule } from '../src/core/rules/rule.ts'
import { judgeRules } from '../src/core/report/rules.ts'
import { EXAMPLE_ADULT, ROOT, tempDir } from './helpers.ts'

const { tf, backend } = await loadTensorFlow()
const VEGA = path.join(ROOT, 'node_modules', 'vega-datasets', 'data')
const column = (table: Table, name: string) => table.values[table.columns.findIndex((c) => c.name === name)]

/** A rule as a user adds it. */
const userRule = (rule: Record<string, unknown>) => ({ status: 'accepted', origin: 'user', ...rule }) as Rule

/** The document of a sample with exactly these rules (extraction's own proposals replaced). */
function withRules(document: MetadataDocument, rules: readonly Rule[]): MetadataDocument {
  return { ...document, rules }
}

/** Every rule's share of rows kept, combinations judged against the real rows' combinations. */
function keptShares(rules: readonly Rule[], real: Table, synthetic: Table): number[] {
  return rules.map(
    (rule) =>
      rowsKeeping(rule, synthetic, rule.kind === 'combination' ? combinationsIn(real, rule.columns) : undefined) / synthetic.rowCount,
  )
}

const ADULT_RULES = [
  userRule({ kind: 'combination', columns: ['education', 'education-num'] }),
  userRule({ kind: 'range', column: 'capital-gain', min: 0 }),
  userRule({ kind: 'increment', column: 'hours-per-week', step: 5 }),
  userRule({ kind: 'unique', columns: ['age', 'fnlwgt'] }),
]

test('Adult: a million generated rows keep a combination, a range, an increment and a unique key', { timeout: 600_000 }, async () => {
  const { summary, table } = await sampleDataset(EXAMPLE_ADULT, { rows: 20_000, seed: 4 })
  const document = withRules(extractMetadata(summary, table), ADULT_RULES)
  const { synthesizer, epochs } = await Synthesizer.train(tf, table, document, { epochs: 4, seed: 1 })
  // The combination is learned as one category: education and education-num are one column to the network.
  assert.deepEqual(
    synthesizer.plans.filter((plan) => plan.source === 'combination').map((plan) => plan.column),
    ['education', 'education-num'],
  )
  const folder = path.join(await tempDir(), 'adult.synth-model')
  await saveModel(folder, synthesizer, { backend, rows: table.rowCount, epochs })
  const { synthesizer: loaded } = await loadModel(tf, folder)
  const next = loaded.sampler(11)
  const batches = Array.from({ length: 10 }, () => next(100_000))
  for (const batch of batches) {
    assert.deepEqual(keptShares(ADULT_RULES.slice(0, 3), table, batch), [1, 1, 1])
  }
  // Unique across the whole stream, not only within a batch.
  const keys = new Set<string>()
  const [age, fnlwgt] = ['age', 'fnlwgt'].map((name) => batches[0].columns.findIndex((c) => c.name === name))
  for (const batch of batches)
    for (let r = 0; r < batch.rowCount; r++) keys.add(JSON.stringify([batch.values[age][r], batch.values[fnlwgt][r]]))
  assert.equal(keys.size, 1_000_000)
  assert.ok(rowsKeeping(ADULT_RULES[3], table) < table.rowCount, 'the real rows repeat some keys: the guard is what keeps them unique')
  // Conditioned rows (--where) come through the same guard.
  const bachelors = loaded.sampleWhere(5_000, 3, { education: 'Bachelors' })
  assert.deepEqual(keptShares(ADULT_RULES, table, bachelors), [1, 1, 1, 1])
  assert.ok(bachelors.values[bachelors.columns.findIndex((c) => c.name === 'education-num')].every((v) => v === 13))
  // The same seed gives the same rows from the model as trained and as loaded.
  assert.deepEqual(synthesizer.sample(2_000, 5).values, loaded.sample(2_000, 5).values)
  synthesizer.dispose()
  loaded.dispose()
})

test(
  'Seattle weather: the maximum is learned as a gap above the minimum, never below it, and quality does not drop',
  { timeout: 600_000 },
  async () => {
    const { summary, table } = await sampleDataset(path.join(VEGA, 'seattle-weather.csv'), { rows: 100_000 })
    const rules = [
      userRule({ kind: 'inequality', low: 'temp_min', high: 'temp_max', strict: false }),
      userRule({ kind: 'range', column: 'precipitation', min: 0 }),
    ]
    const plain = withRules(extractMetadata(summary, table), [])
    const scores = []
    for (const document of [plain, withRules(plain, rules)]) {
      const { synthesizer } = await Synthesizer.train(tf, table, document, { epochs: 150, seed: 0 })
      const synthetic = synthesizer.sample(table.rowCount, 1)
      synthesizer.dispose()
      scores.push({ shares: keptShares(rules, table, synthetic), quality: scoreQuality(table, synthetic, document.columns) })
    }
    const [without, kept] = scores
    assert.ok(without.shares[0] < 1, `without the rule some rows break it: ${without.shares[0]}`)
    assert.deepEqual(kept.shares, [1, 1])
    assert.ok(
      kept.quality.columnShapes >= without.quality.columnShapes - 0.005,
      `shapes ${kept.quality.columnShapes} vs ${without.quality.columnShapes}`,
    )
    assert.ok(
      kept.quality.columnPairTrends >= without.quality.columnPairTrends - 0.005,
      `pairs ${kept.quality.columnPairTrends} vs ${without.quality.columnPairTrends}`,
    )
  },
)

test(
  'US employment: totals computed as the sum of their parts hold exactly, a second sum on one column by redrawing',
  { timeout: 600_000 },
  async () => {
    const { summary, table } = await sampleDataset(path.join(VEGA, 'us-employment.csv'), { rows: 100_000 })
    const rules = [
      userRule({ kind: 'expression', column: 'nonfarm', expression: '`private` + `government`' }),
      userRule({ kind: 'expression', column: 'private', expression: '`goods_producing` + `private_service_providing`' }),
      userRule({ kind: 'inequality', low: 'government', high: 'private', strict: true }),
    ]
    assert.deepEqual(keptShares(rules, table, table), [1, 1, 1], 'the rules hold on the real rows')
    const document = withRules(extractMetadata(summary, table), rules)
    const { synthesizer } = await Synthesizer.train(tf, table, document, { epochs: 100, seed: 0 })
    assert.deepEqual(
      synthesizer.plans.filter((plan) => plan.source === 'expression').map((plan) => plan.column),
      ['nonfarm', 'private'],
    )
    const stream = synthesizer.stream(3)
    const synthetic = stream.decode(20_000, synthesizer.draw(20_000, stream.modelSeed(0)))
    assert.deepEqual(keptShares(rules, table, synthetic), [1, 1, 1])
    // `private` is computed, so government < private is kept by drawing again the rows that break it.
    assert.ok(stream.redrawn() >= 0)
    synthesizer.dispose()
  },
)

test(
  'bird strikes: a total computed from its parts wins over the inequalities on it, with no rows drawn again and no loss of shape',
  { timeout: 600_000 },
  async () => {
    const { summary, table } = await sampleDataset(path.join(VEGA, 'birdstrikes.csv'), { rows: 100_000 })
    const detected = extractMetadata(summary, table)
    const onTotal = (detected.rules ?? []).filter((rule) => ruleColumns(rule).includes('Cost Total $')).map((rule) => rule.kind)
    // Extraction lists the inequalities (Cost Other, Cost Repair <= Cost Total $) before the sum.
    assert.deepEqual(onTotal, ['inequality', 'inequality', 'expression', 'range'])
    const rejected = withRules(
      detected,
      (detected.rules ?? []).map((rule) => ({ ...rule, status: 'rejected' as const })),
    )
    const runs = []
    for (const document of [rejected, detected]) {
      const { synthesizer } = await Synthesizer.train(tf, table, document, { epochs: 20, seed: 0 })
      const stream = synthesizer.stream(1)
      const synthetic = stream.decode(table.rowCount, synthesizer.draw(table.rowCount, stream.modelSeed(0)))
      const shapes = scoreQuality(table, synthetic, document.columns).columns
      runs.push({
        plans: synthesizer.plans,
        redrawn: stream.redrawn(),
        shapeOf: (name: string) => shapes.find((c) => c.column === name)?.score ?? 0,
      })
      synthesizer.dispose()
    }
    const [without, kept] = runs
    assert.equal(kept.plans.find((plan) => plan.column === 'Cost Total $')?.source, 'expression')
    assert.equal(kept.redrawn, 0)
    for (const name of ['Cost Total $', 'Cost Repair', 'Cost Other'])
      assert.ok(kept.shapeOf(name) >= without.shapeOf(name) - 0.005, `${name}: ${kept.shapeOf(name)} vs ${without.shapeOf(name)}`)
  },
)

test('rules that cannot hold are refused when the document is read, naming the rule', async () => {
  const { summary, table } = await sampleDataset(path.join(VEGA, 'seattle-weather.csv'), { rows: 200 })
  const document = extractMetadata(summary, table)
  const refused = (rules: readonly Record<string, unknown>[], pattern: RegExp) => {
    const text = serializeMetadata({ ...document, rules: rules.map(userRule) })
    assert.throws(
      () => parseMetadata(text, 'weather.synth-meta.json'),
      (error: unknown) => error instanceof SparkSynthError && pattern.test(error.message) && error.file === 'weather.synth-meta.json',
    )
  }
  refused(
    [{ kind: 'inequality', low: 'temp_min', high: 'temp_maxx', strict: false }],
    /rule 1 \(`temp_min` <= `temp_maxx`\) names `temp_maxx`, which is not a column/,
  )
  refused(
    [{ kind: 'inequality', low: 'weather', high: 'date', strict: false }],
    /rule 1 .*compares `weather` \(string\) with `date` \(date\)/,
  )
  refused(
    [
      { kind: 'range', column: 'wind', min: 0 },
      { kind: 'inequality', low: 'temp_min', high: 'temp_max', strict: true },
      { kind: 'inequality', low: 'temp_max', high: 'temp_min', strict: false },
    ],
    /rule 2 \(`temp_min` < `temp_max`\) asks for `temp_min` < `temp_max`, and rule 3 for `temp_max` <= `temp_min`/,
  )
  refused([{ kind: 'range', column: 'wind', min: 5, max: 1 }], /rule 1 .* allows no value/)
  refused([{ kind: 'expression', column: 'wind', expression: '`temp_max` +' }], /does not parse: the expression ends early/)
  refused([{ kind: 'expression', column: 'wind', expression: '`wind` * 2' }], /computes `wind` from itself/)
  refused([{ kind: 'increment', column: 'weather', step: 5 }], /needs numbers, and `weather` holds string values/)
  // A rejected rule is not checked: the user said no to it.
  const rejected = { ...userRule({ kind: 'inequality', low: 'temp_min', high: 'nope', strict: false }), status: 'rejected' }
  assert.doesNotThrow(() => parseMetadata(serializeMetadata({ ...document, rules: [rejected as Rule] }), 'weather.synth-meta.json'))
})

test('a combination with a masked member is still generated as one category, and the report does not judge its masked values', async () => {
  const { summary, table } = await sampleDataset(EXAMPLE_ADULT, { rows: 3_000, seed: 5 })
  const extracted = extractMetadata(summary, table)
  const document: MetadataDocument = {
    ...withRules(extracted, [ADULT_RULES[0]]),
    columns: extracted.columns.map((column) => (column.name === 'education' ? { ...column, sensitive: 'mask' } : column)),
  }
  const { synthesizer } = await Synthesizer.train(tf, table, document, { epochs: 2, seed: 1 })
  const synthetic = synthesizer.sample(3_000, 2)
  synthesizer.dispose()
  const [education, number] = ['education', 'education-num'].map(
    (name) => synthetic.values[synthetic.columns.findIndex((c) => c.name === name)],
  )
  const pairs = new Map<unknown, Set<unknown>>()
  education.forEach((masked, r) => pairs.set(masked, (pairs.get(masked) ?? new Set()).add(number[r])))
  assert.ok(
    [...pairs.values()].every((numbers) => numbers.size === 1),
    'each masked education goes with one education-num',
  )
  assert.ok(!education.some((value) => column(table, 'education').includes(value)), 'no real education is written')
  const [judged] = judgeRules(document.rules ?? [], table, synthetic, new Set(['education']))
  assert.equal(judged.verdict, 'unchecked')
  assert.match(judged.note ?? '', /`education` is masked or faked/)
})
