import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SparkSynthError } from '../src/core/errors.ts'
import { cellText } from '../src/core/io/cellText.ts'
import { columnIndex, columnNamed, columnValues } from '../src/core/io/columnLookup.ts'
import type { Table } from '../src/core/io/table.ts'
import { COLUMN_KINDS, DISCRETE_KINDS, LEARNED_KINDS, NUMERIC_KINDS, TEMPORAL_KINDS } from '../src/core/meta/kinds.ts'
import { Random, shuffleInPlace } from '../src/core/random.ts'

test('kind groups: learned kinds are the numeric and the discrete ones, apart; generated kinds are in neither', () => {
  assert.deepEqual(
    [...NUMERIC_KINDS].filter((kind) => DISCRETE_KINDS.has(kind)),
    [],
  )
  assert.deepEqual(new Set(LEARNED_KINDS), new Set([...NUMERIC_KINDS, ...DISCRETE_KINDS]))
  assert.ok([...TEMPORAL_KINDS].every((kind) => NUMERIC_KINDS.has(kind)))
  assert.deepEqual(
    COLUMN_KINDS.filter((kind) => !LEARNED_KINDS.has(kind)),
    ['identifier', 'text', 'constant'],
  )
})

const table: Table = {
  columns: ['id', 'city'].map((name) => ({ name, sparkType: { id: 'string' }, nullable: true, nested: false, partition: false })),
  values: [
    ['a', 'b'],
    ['Oslo', 'Lima'],
  ],
  rowCount: 2,
}

test('a column looked up by name gives its values; a missing one is an error naming it and the columns there are', () => {
  assert.deepEqual(columnValues(table, 'city'), ['Oslo', 'Lima'])
  assert.equal(columnIndex(table.columns, 'id'), 0)
  assert.equal(columnNamed(table.columns, 'city'), table.columns[1])
  assert.throws(
    () => columnValues(table, 'town'),
    (error: unknown) =>
      error instanceof SparkSynthError &&
      error.column === 'town' &&
      error.message === 'column "town": there is no such column. The columns are: id, city',
  )
  assert.throws(
    () => columnNamed(table.columns, 'town', { problem: 'no such column to predict', choose: 'Pick one of', file: 'sample.parquet' }),
    (error: unknown) =>
      error instanceof SparkSynthError &&
      error.file === 'sample.parquet' &&
      error.message === 'sample.parquet, column "town": no such column to predict. Pick one of: id, city',
  )
})

test('cell text: one text per value, instants to the millisecond, nested values as JSON', () => {
  assert.deepEqual([null, true, 1.5, NaN, 'x', new Date(Date.UTC(2024, 1, 3, 4, 5, 6, 7)), ['a', 1]].map(cellText), [
    'null',
    'true',
    '1.5',
    'NaN',
    'x',
    '2024-02-03T04:05:06.007Z',
    '["a",1]',
  ])
})

test('the seeded shuffle is a permutation fixed by the seed: Fisher–Yates from the last item, one draw each', () => {
  const shuffled = (seed: number) => {
    const items = Array.from({ length: 50 }, (_, i) => i)
    shuffleInPlace(items, new Random(seed))
    return items
  }
  assert.deepEqual(shuffled(7), shuffled(7))
  assert.notDeepEqual(shuffled(7), shuffled(8))
  assert.deepEqual(
    [...shuffled(7)].sort((a, b) => a - b),
    Array.from({ length: 50 }, (_, i) => i),
  )
  // Trained weights and held-out rows depend on this exact order.
  const random = new Random(7)
  const expected = Array.from({ length: 50 }, (_, i) => i)
  for (let i = expected.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    const swap = expected[i]
    expected[i] = expected[j]
    expected[j] = swap
  }
  assert.deepEqual(shuffled(7), expected)
  assert.deepEqual(shuffled(7).slice(0, 8), [3, 16, 23, 33, 12, 24, 35, 38])
})
