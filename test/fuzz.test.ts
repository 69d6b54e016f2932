import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzMessages } from '../bench/fuzz/messages.ts'

/** Every must-be-zero outcome of every row is zero, and every row tried something. */
const assertClean = (rows: Awaited<ReturnType<typeof fuzzMessages>>) => {
  assert.ok(rows.length > 0)
  for (const row of rows) {
    assert.ok(row.tried > 0, `${row.case}: nothing tried`)
    for (const outcome of row.mustBeZero)
      assert.equal(row.outcomes[outcome], 0, `${row.case}: ${outcome} (${(row.examples ?? []).join(' | ')})`)
  }
}

test('fuzzed messages: the protocol checks agree with the rules, the real worker refuses invalid jobs cleanly, the host ignores invalid answers (seeded slice)', async () => {
  assertClean(await fuzzMessages({ seed: 1, scale: 0.1 }))
})
