import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Table } from '../src/core/io/table.ts'
import type { ColumnMeta } from '../src/core/meta/document.ts'
import { DEFAULT_ENCODING, fitEncoding, type CategoricalEncoding } from '../src/core/model/encoding.ts'

const meta = { name: 'make', sparkType: 'string', nullable: true, kind: 'categorical' } as ColumnMeta
const tableOf = (values: string[]): Table => ({
  columns: [{ name: 'make', sparkType: { id: 'string' }, nullable: true, nested: false, partition: false }],
  values: [values],
  rowCount: values.length,
})
const encode = (values: string[]) => fitEncoding(tableOf(values), [meta], 0).columns[0] as CategoricalEncoding

test('a category seen in two rows has a slot of its own; values seen once share the rare bucket', () => {
  // 1 % of rows is far under any share threshold: the rule is the count, so small samples keep their categories.
  const values = [...Array.from({ length: 196 }, (_, i) => (i % 2 ? 'Boeing' : 'Airbus')), 'Cessna', 'Cessna', 'Piper', 'Beech']
  const encoding = encode(values)
  assert.deepEqual(encoding.categories, ['Airbus', 'Boeing', 'Cessna'])
  assert.deepEqual(encoding.rare?.values, ['Beech', 'Piper'])
  assert.equal(encoding.size, 4)
})

test(`at most ${DEFAULT_ENCODING.maxCategorySlots} categories get a slot, the most frequent ones`, () => {
  const distinct = DEFAULT_ENCODING.maxCategorySlots + 50
  // Value v appears 2 + (v < 10 ? 5 : 0) times: the ten frequent ones must keep their slots.
  const values = Array.from({ length: distinct }, (_, v) => Array<string>(v < 10 ? 7 : 2).fill(`model-${v}`)).flat()
  const encoding = encode(values)
  assert.equal(encoding.categories.length, DEFAULT_ENCODING.maxCategorySlots)
  for (let v = 0; v < 10; v++) assert.ok(encoding.categories.includes(`model-${v}`), `model-${v} keeps a slot`)
  assert.equal(encoding.rare?.values.length, 50)
})
