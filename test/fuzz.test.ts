// The seeded slice of `npm run fuzz` that runs in every test run: a small share of each part.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { filesPart } from '../bench/fuzz/files.ts'
import { killsPart } from '../bench/fuzz/kills.ts'
import { fuzzMessages } from '../bench/fuzz/messages.ts'
import type { FuzzRow } from '../bench/fuzz/part.ts'
import { shapesPart } from '../bench/fuzz/shapes.ts'

/** Every row tried something, and every outcome that must be zero is zero (its examples say which inputs). */
function assertClean(rows: readonly FuzzRow[]): void {
  assert.ok(rows.length > 0)
  for (const row of rows) {
    assert.ok(row.tried > 0, `${row.case}: nothing tried`)
    for (const outcome of row.mustBeZero) {
      assert.equal(row.outcomes[outcome], 0, `${row.case}: ${outcome} must be 0; examples:\n${(row.examples ?? []).join('\n')}`)
    }
  }
}

test('fuzz slice, files: every mutated Parquet, Arrow and Delta input reads or is refused with a named error', async () => {
  const rows = await filesPart({ seed: 1, scale: 0.02 })
  assert.ok(rows.length >= 8, `every kind of damage is tried: ${rows.map((row) => row.case).join(', ')}`)
  assertClean(rows)
})

test('fuzz slice, messages: the protocol checks agree with the rules, the real worker refuses invalid jobs cleanly, the host ignores invalid answers', async () => {
  assertClean(await fuzzMessages({ seed: 1, scale: 0.1 }))
})

test('fuzz slice, kills: train and generate killed at a random moment leave their target absent or whole; two runs into one model folder, one is told', async () => {
  const rows = await killsPart({ seed: 1, scale: 0.02 })
  assert.equal(rows.length, 5, 'train and generate, through the CLI and the worker, and the race')
  assertClean(rows)
})

test('fuzz slice, shapes: every extreme table shape works through meta, train and sample of the built CLI, or is refused clearly', async () => {
  // The smallest sizes that still show each shape (20 columns, 2,000 categories, 50 part files).
  const rows = await shapesPart({ seed: 1, scale: 0.001 })
  assert.ok(rows.length >= 11, `every shape is tried: ${rows.map((row) => row.case).join(', ')}`)
  assertClean(rows)
})
