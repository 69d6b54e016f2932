import assert from 'node:assert/strict'
import { test } from 'node:test'
import { filesPart } from '../bench/fuzz/files.ts'

test('fuzz slice, files: every mutated Parquet, Arrow and Delta input reads or is refused with a named error', async () => {
  const rows = await filesPart({ seed: 1, scale: 0.02 })
  assert.ok(rows.length >= 8, `every kind of damage is tried: ${rows.map((row) => row.case).join(', ')}`)
  for (const row of rows) {
    assert.ok(row.tried > 0, `${row.case}: inputs were tried`)
    for (const outcome of row.mustBeZero) {
      assert.equal(row.outcomes[outcome], 0, `${row.case}: ${outcome} must be 0; examples:\n${(row.examples ?? []).join('\n')}`)
    }
  }
})
