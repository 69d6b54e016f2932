import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import type { Cell, Table } from '../src/core/io/table.ts'
import type { ColumnMeta } from '../src/core/meta/document.ts'
import { DEFAULT_RARE_VALUE_ROWS, RARE_PLACEHOLDER, protectedRange } from '../src/core/meta/protection.ts'
import { categoryStats, numericStats } from '../src/core/meta/stats.ts'
import { fitEncoding, type CategoricalEncoding, type NumericEncoding } from '../src/core/model/encoding.ts'
import { ADULT_CSV, runCli, tempDir } from './helpers.ts'

const K = DEFAULT_RARE_VALUE_ROWS

/** A one-column table and its metadata (protected unless `protect` is false). */
function oneColumn(kind: ColumnMeta['kind'], sparkType: 'string' | 'int' | 'double' | 'boolean', values: Cell[], protect?: boolean) {
  const table: Table = {
    columns: [{ name: 'c', sparkType: { id: sparkType }, nullable: true, nested: false, partition: false }],
    values: [values],
    rowCount: values.length,
  }
  const meta = { name: 'c', sparkType, nullable: true, kind, ...(protect === undefined ? {} : { protect }) } as ColumnMeta
  return fitEncoding(table, [meta], 0).columns[0]
}

const repeat = <T>(value: T, times: number): T[] => Array<T>(times).fill(value)

test('protected strings seen in fewer than k rows get no slot, are not stored, and come back as shown strings by frequency', () => {
  const values = [...repeat('Airbus', 100), ...repeat('Boeing', K), ...repeat('Cessna', K - 1), 'Piper', null, null]
  const encoding = oneColumn('categorical', 'string', values) as CategoricalEncoding
  assert.deepEqual(encoding.categories, ['Airbus', 'Boeing', null])
  assert.deepEqual(encoding.rare, { values: ['Airbus', 'Boeing'], weights: [100 / (100 + K), K / (100 + K)] })
  assert.equal(encoding.size, 4)
  assert.doesNotMatch(JSON.stringify(encoding), /Cessna|Piper/)
  // Unprotected, both are categories of their own: the rule above is what keeps them out.
  const open = oneColumn('categorical', 'string', values, false) as CategoricalEncoding
  assert.deepEqual(open.categories, ['Airbus', 'Boeing', 'Cessna', null, 'Piper'])
})

test('protected numbers with few values: extremes clip to the k-th largest, a rare one comes back as the nearest kept number', () => {
  const values = [...repeat(1, 60), 4, ...repeat(5, 20), 1_000_000]
  const encoding = oneColumn('integer', 'int', values) as CategoricalEncoding
  assert.deepEqual(encoding.categories, [1, 5])
  assert.deepEqual(encoding.rare, { values: [5], weights: [1] })
  assert.doesNotMatch(JSON.stringify(encoding), /1000000/)
})

test('protected booleans: a rare one comes back as a kept one; a sample too small to hide anything keeps its values', () => {
  const booleans = oneColumn('boolean', 'boolean', [...repeat(true, 30), false]) as CategoricalEncoding
  assert.deepEqual([booleans.categories, booleans.rare], [[true], { values: [true], weights: [1] }])
  // Fewer than 2k rows: hiding every value would leave a non-null column nothing to hold.
  const tiny = oneColumn('boolean', 'boolean', [true, true, false]) as CategoricalEncoding
  assert.deepEqual(new Set(tiny.categories), new Set([true, false]))
  const tinyNumbers = oneColumn('integer', 'int', [3, 7, 9]) as CategoricalEncoding
  assert.deepEqual(tinyNumbers.categories, [7], 'clipped to the middle value')
  const tinyStrings = oneColumn('categorical', 'string', ['a', 'b', 'c']) as CategoricalEncoding
  assert.deepEqual([tinyStrings.categories, tinyStrings.rare?.values], [[], [RARE_PLACEHOLDER]])
})

test('protected numeric columns are learned clipped to the k-th smallest and k-th largest value', () => {
  const values: number[] = [...Array.from({ length: 500 }, (_, i) => 1000 + i), 987_654_321, -5e9]
  const encoding = oneColumn('integer', 'int', values) as NumericEncoding
  const sorted = Float64Array.from(values).sort()
  assert.deepEqual([encoding.min, encoding.max], [sorted[K - 1], sorted[values.length - K]])
  assert.deepEqual([encoding.min, encoding.max], [1003, 1496])
  assert.ok([...encoding.means, ...encoding.spikes].every((v) => v === null || (v >= 1003 && v <= 1496)))
  const open = oneColumn('integer', 'int', values, false) as NumericEncoding
  assert.deepEqual([open.min, open.max], [-5e9, 987_654_321])
  assert.deepEqual(protectedRange([1, 2, 3], K), { min: 2, max: 2 }, 'fewer than 2k values: the middle one')
})

test('the statistics list no value seen in fewer than k rows and show the protected range', () => {
  const stats = categoryStats([...repeat('a', 10), ...repeat('b', K), 'lonely'], K)
  assert.deepEqual(
    stats.top.map((t) => t.value),
    ['a', 'b'],
  )
  assert.equal(stats.otherCount, 1)
  const numbers = numericStats([...Array.from({ length: 100 }, (_, i) => i), 1e12], true, K)
  assert.deepEqual([numbers.min, numbers.max], [4, 96])
  assert.ok(numbers.mean < 100, `the mean ${numbers.mean} hides the extreme`)
})

/** Adult with one row made unique on purpose: a country no one else has and a weight far above any other. */
const UNIQUE_COUNTRY = 'Atlantis-7f3a'
const HUGE_WEIGHT = 987_654_321
/** The weight as the document writes it (6 significant digits) and as the model does. */
const WEIGHT_DIGITS = '987654'

async function adultWithOutlier(dir: string): Promise<string> {
  const lines = (await readFile(ADULT_CSV, 'utf8')).trimEnd().split('\n')
  const header = lines[0].split(',')
  const cells = lines[1].split(',')
  cells[header.indexOf('native-country')] = ` ${UNIQUE_COUNTRY}`
  cells[header.indexOf('fnlwgt')] = String(HUGE_WEIGHT)
  lines[1] = cells.join(',')
  const file = path.join(dir, 'adult.csv')
  await writeFile(file, lines.join('\n') + '\n')
  return file
}

test('on Adult with a value seen once and an extreme, 1,000,000 generated rows hold neither, nor do the document and the model', async () => {
  const dir = await tempDir()
  const input = await adultWithOutlier(dir)
  const meta = path.join(dir, 'adult.synth-meta.json')
  assert.equal((await runCli('meta', input, '-o', meta)).code, 0)
  const document = await readFile(meta, 'utf8')
  assert.doesNotMatch(document, new RegExp(`${UNIQUE_COUNTRY}|${WEIGHT_DIGITS}|Holand-Netherlands`))
  assert.match(document, /"rareValueRows": 5/)
  // The same document unprotected lists the outliers: the test can tell.
  const open = path.join(dir, 'open.synth-meta.json')
  assert.equal((await runCli('meta', input, '-o', open, '--rare-rows', '1')).code, 0)
  assert.match(await readFile(open, 'utf8'), new RegExp(`${UNIQUE_COUNTRY}|${WEIGHT_DIGITS}`))

  const model = path.join(dir, 'model')
  // No holdout: the unique row is trained on.
  const trained = await runCli('train', input, '--meta', meta, '-o', model, '--holdout', '0', '--epochs', '2')
  assert.equal(trained.code, 0, trained.stderr)
  assert.doesNotMatch(await readFile(path.join(model, 'model.json'), 'utf8'), new RegExp(`${UNIQUE_COUNTRY}|${WEIGHT_DIGITS}`))

  const output = path.join(dir, 'synthetic')
  const rows = 1_000_000
  const sampled = await runCli('sample', model, '-n', String(rows), '-o', output, '--no-report')
  assert.equal(sampled.code, 0, sampled.stderr)
  const real = await sampleDataset(input, { rows: 100_000 })
  const { table } = await sampleDataset(path.join(output, 'data'), { rows: 2 * rows })
  assert.equal(table.rowCount, rows)
  const column = (t: Table, name: string) => t.values[t.columns.findIndex((c) => c.name === name)]
  const strings = (t: Table, name: string) => column(t, name) as (string | null)[]
  // Every generated category was seen in at least k real rows: no placeholder either (category adherence).
  for (const name of ['workclass', 'education', 'occupation', 'native-country']) {
    const seen = new Map<string | null, number>()
    for (const value of strings(real.table, name)) seen.set(value, (seen.get(value) ?? 0) + 1)
    for (const value of new Set(strings(table, name))) assert.ok(value === null || (seen.get(value) ?? 0) >= K, `${name}: ${value}`)
  }
  assert.ok(![...new Set(strings(table, 'native-country'))].some((v) => v?.includes(UNIQUE_COUNTRY)))
  // fnlwgt stays within its protected range, far below the extreme.
  const weights = Float64Array.from(column(real.table, 'fnlwgt') as number[]).sort()
  const { min, max } = protectedRange(weights, K)
  let low = Infinity
  let high = -Infinity
  for (const value of column(table, 'fnlwgt') as number[]) {
    low = Math.min(low, value)
    high = Math.max(high, value)
  }
  assert.ok(low >= min && high <= max, `fnlwgt ${low}–${high} outside the protected ${min}–${max}`)
  assert.ok(max < HUGE_WEIGHT / 100)
})
