import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readSchemaModule, renderSchemaModule, SCHEMA_MODULES } from '../scripts/schema-modules.ts'

// The document types are derived from these mirrors: a schema edited without running the script would
// leave the types (and the validators) describing the old schema.
for (const entry of SCHEMA_MODULES) {
  test(`${entry.module} mirrors ${entry.schema}`, async () => {
    assert.equal(await readSchemaModule(entry), await renderSchemaModule(entry), 'run: node --import tsx scripts/schema-modules.ts')
  })
}
