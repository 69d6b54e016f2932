import assert from 'node:assert/strict'
import { cp, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { deltaPartitionValue } from '../src/core/io/delta/deltaSchema.ts'
import { parseSparkType } from '../src/core/io/sparkType.ts'
import { SparkSynthError } from '../src/core/errors.ts'
import { MicrosecondTimestamp } from '../src/core/io/table.ts'
import { SHARED_DATA, digestOf, tempDir } from './helpers.ts'

const DELTA = path.join(SHARED_DATA, 'delta')

test('a Delta table is read through its log: live files and rows only, sources untouched', async () => {
  const before = await digestOf(DELTA)
  const simple = await sampleDataset(path.join(DELTA, 'simple_table'))
  assert.equal(simple.summary.format, 'delta')
  assert.equal(simple.summary.version, 4)
  assert.equal(simple.summary.files.length, 5)
  assert.deepEqual([...simple.table.values[0]].sort(), [5, 7, 9])
  const onDisk = (await readdir(path.join(DELTA, 'simple_table'))).filter((name) => name.endsWith('.parquet'))
  assert.ok(onDisk.length > simple.summary.files.length, 'files the log removed are on disk but not read')
  assert.equal((await sampleDataset(path.join(DELTA, 'table-with-dv-small'))).summary.rowCount, 8)
  assert.equal(await digestOf(DELTA), before)
})

test('sampling a table with a deletion vector is uniform over its live rows', async () => {
  const table = path.join(DELTA, 'table-with-dv-small')
  const counts = new Map<unknown, number>()
  const draws = 800
  for (let seed = 0; seed < draws; seed++) {
    const value = (await sampleDataset(table, { rows: 1, seed })).table.values[0][0]
    counts.set(value, (counts.get(value) ?? 0) + 1)
  }
  assert.deepEqual([...counts.keys()].sort(), [1, 2, 3, 4, 5, 6, 7, 8], 'deleted rows (0 and 9) are never drawn')
  // Each of 8 live rows expects 100 draws; 60–140 holds for a fair draw with overwhelming probability.
  for (const [value, count] of counts) assert.ok(count > 60 && count < 140, `value ${String(value)} drawn ${count} times of ${draws}`)
})

test('only the files holding sampled rows are opened', async () => {
  const table = path.join(await tempDir(), 'mapped')
  await cp(path.join(DELTA, 'table_with_column_mapping'), table, { recursive: true })
  // The log's statistics give each file's row count, so a damaged file not sampled from is never read.
  const damaged = path.join(table, 'BH')
  const [file] = (await readdir(damaged)).filter((name) => name.endsWith('.parquet'))
  await truncate(path.join(damaged, file), (await stat(path.join(damaged, file))).size - 20)
  let read = 0
  let refused = 0
  for (let seed = 0; seed < 20; seed++) {
    try {
      const { table: rows } = await sampleDataset(table, { rows: 1, seed })
      assert.equal(rows.values[0][0], 'BME')
      read++
    } catch (error) {
      assert.ok(error instanceof SparkSynthError && error.message.includes(file), String(error))
      refused++
    }
  }
  assert.ok(read > 0 && refused > 0, `${read} samples read the intact file, ${refused} hit the damaged one`)
})

test('time travel and its errors', async () => {
  const table = path.join(DELTA, 'simple_table')
  const first = await sampleDataset(table, { version: 0 })
  assert.deepEqual([...first.table.values[0]].sort(), [0, 1, 2, 3, 4])
  await assert.rejects(sampleDataset(table, { version: 5 }), /version 5 does not exist: the log's versions end at 4/)
  await assert.rejects(sampleDataset(path.join(SHARED_DATA, 'spark', 'cdf-table'), { version: 0 }), /applies to Delta tables only/)
  await assert.rejects(sampleDataset(table, { timestamp: new Date('2000-01-01T00:00:00Z') }), /before the earliest version available/)
  const folder = path.join(DELTA, 'delta-0.8.0-partitioned', 'year=2020')
  await assert.rejects(sampleDataset(folder), /lies inside the Delta table .*delta-0\.8\.0-partitioned/)
})

test('a corrupt commit names the table and the version', async () => {
  const table = path.join(await tempDir(), 'simple')
  await cp(path.join(DELTA, 'simple_table'), table, { recursive: true })
  await writeFile(path.join(table, '_delta_log', '00000000000000000004.json'), '{"add": {"path": \n')
  await assert.rejects(
    sampleDataset(table),
    (error: Error) =>
      error instanceof SparkSynthError &&
      error.message.includes(table) &&
      error.message.includes('version 4 of the Delta log is corrupt: line 1'),
  )
})

test('partition values from the log are typed by the schema', () => {
  const where = { file: 't', column: 'c' }
  assert.equal(deltaPartitionValue(null, parseSparkType('int'), where), null)
  assert.equal(deltaPartitionValue('', parseSparkType('string'), where), null)
  assert.equal(deltaPartitionValue('-12', parseSparkType('int'), where), -12)
  assert.equal(deltaPartitionValue('12.34', parseSparkType('decimal(9,2)'), where), 12.34)
  assert.equal(deltaPartitionValue('false', parseSparkType('boolean'), where), false)
  assert.deepEqual(deltaPartitionValue('0001-01-01', parseSparkType('date'), where), new Date('0001-01-01T00:00:00Z'))
  const instant = deltaPartitionValue('0050-02-03 04:05:06.789012', parseSparkType('timestamp'), where)
  assert.ok(instant instanceof MicrosecondTimestamp)
  assert.equal(instant.toISOString(), '0050-02-03T04:05:06.789Z')
  assert.equal(instant.microsOfMillisecond, 12)
  assert.throws(() => deltaPartitionValue('12x', parseSparkType('int'), where), /"12x" in the log is not a valid int/)
  assert.throws(() => deltaPartitionValue('maybe', parseSparkType('boolean'), where), /not a valid boolean/)
})

test('damaged statistics in the log fall back to the files footers', async () => {
  const table = path.join(await tempDir(), 'mapped')
  await cp(path.join(DELTA, 'table_with_column_mapping'), table, { recursive: true })
  const commit = path.join(table, '_delta_log', '00000000000000000000.json')
  const lines = (await readFile(commit, 'utf8')).split('\n').map((line) => {
    if (!line.includes('"add"')) return line
    const action = JSON.parse(line) as { add: { stats: string } }
    action.add.stats = '{"numRecords": 4, broken'
    return JSON.stringify(action)
  })
  await writeFile(commit, lines.join('\n'))
  assert.equal((await sampleDataset(table)).summary.rowCount, 5)
})
