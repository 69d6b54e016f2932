import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { takeRows } from '../src/core/io/table.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { duplicateShare, MIN_PRIVATE_ROWS, sampleWarnings } from '../src/core/privacy/guard.ts'
import { comparedColumns } from '../src/core/report/fromDatasets.ts'
import { EXAMPLE_ADULT, SPARK_TABLES } from './helpers.ts'

const adult = await sampleDataset(EXAMPLE_ADULT)
const adultColumns = comparedColumns(extractMetadata(adult.summary, adult.table))

test('Adult as sampled: thousands of rows, few repeated, so the guard says nothing', () => {
  assert.ok(adult.table.rowCount > MIN_PRIVATE_ROWS)
  assert.ok(duplicateShare(adult.table, adultColumns) < 0.01)
  assert.deepEqual(sampleWarnings(adult.table, adultColumns, 5, false), [])
})

test('a small sample is named with its row count and what to do; under DP only the cost is said', () => {
  const small = takeRows(
    adult.table,
    Array.from({ length: 300 }, (_, i) => i),
  )
  const [warning, ...others] = sampleWarnings(small, adultColumns, 5, false)
  assert.equal(others.length, 0)
  assert.match(warning.problem, /learns from only 300 rows: from so few, models copy real rows/)
  assert.match(warning.hint, /Sample more rows \(--rows, sparkSynth\.rowBudget\).*--epsilon/)
  const [dp] = sampleWarnings(small, adultColumns, 5, true)
  assert.match(dp.problem, /differential privacy holds, but noise enough for it drowns/)
  const tiny = sampleWarnings(takeRows(adult.table, [0, 1, 2, 3, 4, 5]), adultColumns, 5, false)
  assert.match(tiny[0].problem, /fewer than 10 rows, value protection \(k = 5\) cannot hide the values of non-string columns/)
})

test('a sample whose rows repeat is named with the share that repeats', () => {
  // Every row four times: three of four repeat an earlier one.
  const rows = Array.from({ length: 2_000 }, (_, i) => i % 500)
  const repeated = takeRows(adult.table, rows)
  assert.equal(duplicateShare(repeated, adultColumns), 0.75)
  const warnings = sampleWarnings(repeated, adultColumns, 5, false)
  assert.equal(warnings.length, 1)
  assert.match(warnings[0].problem, /^75\.0 % of the 2,000 rows repeat another row on every compared column/)
  assert.match(warnings[0].hint, /exclude or fake the identifying columns/)
  // Repeats on the compared columns only: a column that differs in every row makes each row its own.
  assert.equal(duplicateShare(repeated, []), 0)
  assert.deepEqual(
    sampleWarnings(takeRows(adult.table, rows.slice(0, 500)), adultColumns, 5, false).length,
    1,
    'no repeats: only too small',
  )
})

test('Spark tables: the tiny ones are too small, http_requests repeats its rows; both are said before training', async () => {
  for (const name of ['cdf-table', 'delta-0.8.0-partitioned']) {
    const { summary, table } = await sampleDataset(path.join(SPARK_TABLES, name))
    const [warning] = sampleWarnings(table, comparedColumns(extractMetadata(summary, table)), 5, false)
    assert.match(warning.problem, new RegExp(`learns from only ${table.rowCount} rows`), name)
  }
  const { summary, table } = await sampleDataset(path.join(SPARK_TABLES, 'http_requests'))
  const warnings = sampleWarnings(table, comparedColumns(extractMetadata(summary, table)), 5, false)
  assert.equal(warnings.length, 1)
  assert.match(warnings[0].problem, /^9\d\.\d % of the 1,581 rows repeat another row/)
})
