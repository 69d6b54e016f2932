import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Table } from '../src/core/io/table.ts'
import type { ColumnMeta } from '../src/core/meta/document.ts'
import { DEFAULT_ENCODING, fitEncoding, type CategoricalEncoding, type NumericEncoding } from '../src/core/model/encoding.ts'

const meta = { name: 'make', sparkType: 'string', nullable: true, kind: 'categorical', protect: false } as ColumnMeta
const tableOf = (values: string[]): Table => ({
  columns: [{ name: 'make', sparkType: { id: 'string' }, nullable: true, nested: false, partition: false }],
  values: [values],
  rowCount: values.length,
})
const encode = (values: string[]) => fitEncoding(tableOf(values), [meta], 0).columns[0] as CategoricalEncoding

test('unprotected, a category seen in two rows has a slot of its own; values seen once share the rare bucket', () => {
  // 1 % of rows is far under any share threshold: the rule is the count, so small samples keep their categories.
  const values = [...Array.from({ length: 196 }, (_, i) => (i % 2 ? 'Boeing' : 'Airbus')), 'Cessna', 'Cessna', 'Piper', 'Beech']
  const encoding = encode(values)
  assert.deepEqual(encoding.categories, ['Airbus', 'Boeing', 'Cessna'])
  assert.deepEqual(encoding.rare?.values, ['Beech', 'Piper'])
  assert.equal(encoding.size, 4)
})

test(`unprotected, at most ${DEFAULT_ENCODING.maxCategorySlots} categories get a slot, the most frequent ones`, () => {
  const distinct = DEFAULT_ENCODING.maxCategorySlots + 50
  // Value v appears 2 + (v < 10 ? 5 : 0) times: the ten frequent ones must keep their slots.
  const values = Array.from({ length: distinct }, (_, v) => Array<string>(v < 10 ? 7 : 2).fill(`model-${v}`)).flat()
  const encoding = encode(values)
  assert.equal(encoding.categories.length, DEFAULT_ENCODING.maxCategorySlots)
  for (let v = 0; v < 10; v++) assert.ok(encoding.categories.includes(`model-${v}`), `model-${v} keeps a slot`)
  assert.equal(encoding.rare?.values.length, 50)
})

test('±Infinity in a numeric column is learned as missing: its range and spikes stay finite, so model.json can hold them', () => {
  // Unprotected, so that the range is the finite values' own.
  const column = { name: 'ratio', sparkType: 'double', nullable: true, kind: 'continuous', protect: false } as ColumnMeta
  // A quarter each of +Infinity and -Infinity: frequent enough to be spikes, were they kept.
  const values = Array.from({ length: 400 }, (_, i) => [Infinity, -Infinity, i / 7, -i / 3][i % 4])
  const table: Table = {
    columns: [{ name: 'ratio', sparkType: { id: 'double' }, nullable: true, nested: false, partition: false }],
    values: [values],
    rowCount: values.length,
  }
  const encoding = fitEncoding(table, [column], 0).columns[0] as NumericEncoding
  assert.equal(encoding.type, 'numeric')
  assert.deepEqual([encoding.min, encoding.max], [-399 / 3, 398 / 7])
  assert.ok(
    encoding.spikes.every((spike) => spike === null || Number.isFinite(spike)),
    `spikes: ${encoding.spikes.join(', ')}`,
  )
  assert.ok([...encoding.means, ...encoding.stds].every(Number.isFinite))
})
