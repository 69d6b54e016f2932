import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Table } from '../src/core/io/table.ts'
import { chooseHoldout, splitHoldout } from '../src/core/model/holdout.ts'

/** A sample of `rows` rows whose only column holds each row's position. */
function numbered(rows: number): Table {
  return {
    columns: [{ name: 'id', sparkType: { id: 'int' }, nullable: false, nested: false, partition: false }],
    values: [Array.from({ length: rows }, (_, i) => i)],
    rowCount: rows,
  }
}

const ids = (table: Table) => table.values[0] as number[]

test('the holdout: rows outside the sample when the source has more, else a share of the sample, else none', () => {
  assert.deepEqual(chooseHoldout({ rowCount: 5000, sampleSize: 1000, seed: 7 }, 0.1), { kind: 'unsampled', seed: 8, rows: 1000 })
  assert.deepEqual(chooseHoldout({ rowCount: 1200, sampleSize: 1000, seed: 7 }, 0.1), { kind: 'unsampled', seed: 8, rows: 200 })
  assert.deepEqual(chooseHoldout({ rowCount: 1200, sampleSize: 1000, seed: 7 }, 0), { kind: 'unsampled', seed: 8, rows: 200 }, 'free')
  assert.deepEqual(chooseHoldout({ rowCount: 1000, sampleSize: 1000, seed: 7 }, 0.1), { kind: 'share', share: 0.1, seed: 8, rows: 100 })
  assert.deepEqual(chooseHoldout({ rowCount: 1000, sampleSize: 1000, seed: 7 }, 0.25), { kind: 'share', share: 0.25, seed: 8, rows: 250 })
  assert.deepEqual(
    chooseHoldout({ rowCount: 3, sampleSize: 3, seed: 7 }, 0.1),
    { kind: 'share', share: 0.1, seed: 8, rows: 1 },
    'one row at least',
  )
  assert.deepEqual(chooseHoldout({ rowCount: 1000, sampleSize: 1000, seed: 7 }, 0), { kind: 'none' })
  assert.deepEqual(chooseHoldout({ rowCount: 1, sampleSize: 1, seed: 7 }, 0.1), { kind: 'none' }, 'a single row is trained on')
})

test('a share holdout is seeded, disjoint from the training rows and as large as recorded', () => {
  const sample = numbered(1000)
  const record = chooseHoldout({ rowCount: 1000, sampleSize: 1000, seed: 42 }, 0.1)
  assert.equal(record.kind, 'share')
  const { train, holdout } = splitHoldout(sample, record)
  assert.equal(holdout.rowCount, record.rows)
  assert.equal(train.rowCount + holdout.rowCount, sample.rowCount)
  const trained = new Set(ids(train))
  assert.ok(
    ids(holdout).every((id) => !trained.has(id)),
    'no held-out row is trained on',
  )
  assert.deepEqual(
    [...trained, ...ids(holdout)].sort((a, b) => a - b),
    ids(sample),
    'together, the whole sample',
  )
  assert.deepEqual(
    ids(train),
    [...ids(train)].sort((a, b) => a - b),
    'training rows keep the sample order',
  )
  assert.deepEqual(splitHoldout(sample, record), { train, holdout }, 'the same record draws the same rows')
  const other = splitHoldout(sample, { ...record, seed: record.seed + 1 })
  assert.notDeepEqual(ids(other.holdout), ids(holdout), 'another seed, other rows')
  const [first, last] = [Math.min(...ids(holdout)), Math.max(...ids(holdout))]
  assert.ok(first < 100 && last > 900, `drawn over the whole sample: ${first}…${last}`)
})
