import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { Ajv, type SchemaObject } from 'ajv'
import { SparkSynthError } from '../src/core/errors.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { numericStats } from '../src/core/meta/stats.ts'
import { parseMetadata, readMetadataFile, serializeMetadata, writeMetadataFile } from '../src/core/meta/metadataFile.ts'
import { ADULT_CSV, EXAMPLE_ADULT, ROOT, SPARK_TABLES, defined, tempDir } from './helpers.ts'

async function metadataOf(input: string, rows = 5000): Promise<MetadataDocument> {
  const { summary, table } = await sampleDataset(input, { rows, seed: 1 })
  return extractMetadata(summary, table)
}

const kinds = (document: MetadataDocument) => Object.fromEntries(document.columns.map((c) => [c.name, c.kind]))

test('Adult: integers, categoricals and the income target are detected as such', async () => {
  const document = await metadataOf(EXAMPLE_ADULT)
  assert.deepEqual(kinds(document), {
    age: 'integer',
    workclass: 'categorical',
    fnlwgt: 'integer',
    education: 'categorical',
    'education-num': 'integer',
    'marital-status': 'categorical',
    occupation: 'categorical',
    relationship: 'categorical',
    race: 'categorical',
    sex: 'categorical',
    'capital-gain': 'integer',
    'capital-loss': 'integer',
    'hours-per-week': 'integer',
    'native-country': 'categorical',
    income: 'categorical',
  })
  const income = defined(
    document.columns.find((c) => c.name === 'income'),
    'the income column',
  )
  assert.deepEqual(income.stats.categories?.top.map((t) => t.value).sort(), ['<=50K', '>50K'])
  const educationNum = defined(
    document.columns.find((c) => c.name === 'education-num')?.stats.numeric,
    'the numeric statistics of education-num',
  )
  assert.equal(educationNum.histogram.counts.length, 16, 'one bin per education level')
  assert.equal(
    educationNum.histogram.counts.reduce((s, v) => s + v, 0),
    document.source.sampleSize,
  )
})

test('the same figures from the CSV and from the Parquet copy of Adult', async () => {
  const fromCsv = await metadataOf(ADULT_CSV, 100_000)
  const fromParquet = await metadataOf(EXAMPLE_ADULT, 100_000)
  assert.deepEqual(
    fromCsv.columns.map((c) => c.stats),
    fromParquet.columns.map((c) => c.stats),
  )
})

test('identifiers (unique values only), free text, constants and booleans are told apart', async () => {
  const dir = await tempDir()
  const n = 400
  const words = ['quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'river', 'stone', 'cloud', 'green', 'house']
  const sentence = (i: number) =>
    Array.from({ length: 5 + (i % 7) }, (_, w) => words[(i * 7 + w * 3 + i * w) % words.length]).join(' ') + ` #${i}`
  const file = path.join(dir, 'people.parquet')
  await writeFile(
    file,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'customer_id', data: Array.from({ length: n }, (_, i) => BigInt(1000 + i)), type: 'INT64' },
          { name: 'session', data: Array.from({ length: n }, () => randomUUID()), type: 'STRING' },
          { name: 'email', data: Array.from({ length: n }, (_, i) => `user${i}@example.org`), type: 'STRING' },
          { name: 'comment', data: Array.from({ length: n }, (_, i) => sentence(i)), type: 'STRING' },
          { name: 'country', data: Array.from({ length: n }, (_, i) => ['FR', 'DE', 'NL'][i % 3]), type: 'STRING' },
          // Names that repeat: 150 over 400 rows, too many for a plain category, yet not keys.
          {
            name: 'director',
            data: Array.from({ length: n }, (_, i) => `${words[((i * 7) % 150) % 12]} ${words[((i * 7) % 150) % 11]}son${(i * 7) % 150}`),
            type: 'STRING',
          },
          {
            name: 'order_code',
            data: Array.from({ length: n }, (_, i) => `ORD-${String((i * 37) % 10_007).padStart(5, '0')}`),
            type: 'STRING',
          },
          { name: 'source', data: Array.from({ length: n }, () => 'web'), type: 'STRING' },
          { name: 'active', data: Array.from({ length: n }, (_, i) => i % 4 === 0), type: 'BOOLEAN' },
          { name: 'score', data: Array.from({ length: n }, (_, i) => Math.sin(i) * 10), type: 'DOUBLE' },
          { name: 'signup', data: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 3_600_000)), type: 'TIMESTAMP' },
        ],
      }),
    ),
  )
  const document = await metadataOf(file)
  assert.deepEqual(kinds(document), {
    customer_id: 'identifier',
    session: 'identifier',
    email: 'identifier',
    comment: 'text',
    country: 'categorical',
    director: 'categorical',
    order_code: 'identifier',
    source: 'constant',
    active: 'boolean',
    score: 'continuous',
    signup: 'timestamp',
  })
  const email = defined(
    document.columns.find((c) => c.name === 'email'),
    'the email column',
  )
  assert.equal(email.stats.text?.pattern, 'email')
  assert.ok(!JSON.stringify(email.stats).includes('@example.org'), 'identifier stats hold no value')
})

test('Spark tables: partitions, nested columns excluded with a reason, dates', async () => {
  const delta = await metadataOf(path.join(SPARK_TABLES, 'delta-1.2.1-only-struct-stats'))
  for (const name of ['struct', 'map', 'array', 'nested_struct', 'struct_of_array_of_map']) {
    const column = defined(
      delta.columns.find((c) => c.name === name),
      `the ${name} column`,
    )
    assert.equal(column.exclude, true)
    assert.match(column.excludeReason ?? '', /nested type/)
  }
  const cdf = await metadataOf(path.join(SPARK_TABLES, 'cdf-table'))
  const birthday = defined(
    cdf.columns.find((c) => c.name === 'birthday'),
    'the birthday column',
  )
  assert.equal(birthday.partition, true)
  assert.equal(birthday.kind, 'date')
  // Protected: the 5th earliest birthday, not the earliest.
  assert.equal(birthday.stats.temporal?.min, '2023-12-23')
})

test('numeric statistics match hand-computed values', () => {
  const stats = numericStats([1, 2, 3, 4, NaN, 10], true)
  assert.equal(stats.min, 1)
  assert.equal(stats.max, 10)
  assert.equal(stats.mean, 4)
  assert.equal(stats.std, Number(Math.sqrt((9 + 4 + 1 + 0 + 36) / 4).toPrecision(6)))
  assert.equal(stats.quantiles.p50, 3)
  assert.equal(stats.nanCount, 1)
  assert.equal(stats.distinct, 5)
  assert.equal(stats.histogram.counts.length, 10)
  assert.deepEqual(stats.histogram.counts, [1, 1, 1, 1, 0, 0, 0, 0, 0, 1])
})

test('the document is stable, valid against its JSON Schema, and round-trips through a file', async () => {
  const dir = await tempDir()
  const first = serializeMetadata(await metadataOf(EXAMPLE_ADULT))
  const second = serializeMetadata(await metadataOf(EXAMPLE_ADULT))
  assert.equal(first, second, 'same input and seed give the same text')
  const schema = JSON.parse(await readFile(path.join(ROOT, 'schemas', 'synth-meta.schema.json'), 'utf8')) as SchemaObject
  const validate = new Ajv({ allowUnionTypes: true }).compile(schema)
  assert.ok(validate(JSON.parse(first)), JSON.stringify(validate.errors))
  const target = path.join(dir, 'adult.synth-meta.json')
  const document = await metadataOf(EXAMPLE_ADULT)
  await writeMetadataFile(document, target)
  const onDisk = JSON.parse(await readFile(target, 'utf8')) as MetadataDocument
  assert.equal(onDisk.source.path, path.relative(dir, EXAMPLE_ADULT), 'source path is relative to the document')
  const loaded = await readMetadataFile(target)
  assert.equal(loaded.source.path, EXAMPLE_ADULT)
  assert.deepEqual(loaded.columns, document.columns)
})

test("a document written with its keys in any order serialises in the schema's order", async () => {
  const text = serializeMetadata(await metadataOf(EXAMPLE_ADULT))
  const reversed = (value: object): object => Object.fromEntries(Object.entries(value).reverse())
  const document = parseMetadata(text, 'x.json')
  const shuffled = reversed({ ...document, source: reversed(document.source), columns: document.columns.map(reversed) })
  assert.notEqual(JSON.stringify(shuffled, null, 2) + '\n', text)
  assert.equal(serializeMetadata(parseMetadata(JSON.stringify(shuffled), 'x.json')), text)
})

test('an edited document with mistakes is refused with the fields named', async () => {
  const text = serializeMetadata(await metadataOf(EXAMPLE_ADULT))
  // Columns as plain objects: the edits make them what the type forbids.
  const document = JSON.parse(text) as { columns: Record<string, unknown>[] }
  document.columns[0].kind = 'number'
  document.columns[2].sensitive = 'hide'
  delete document.columns[3].nullable
  document.columns[4].colour = 'red'
  assert.throws(
    () => parseMetadata(JSON.stringify(document), 'adult.synth-meta.json'),
    (error: unknown) => {
      assert.ok(error instanceof SparkSynthError)
      assert.match(error.message, /adult\.synth-meta\.json/)
      assert.match(error.message, /columns\[0\] \("age"\)\.kind must be one of "continuous"/)
      assert.match(error.message, /columns\[2\] \("fnlwgt"\)\.sensitive must be one of "keep"/)
      assert.match(error.message, /columns\[3\] \("education"\)\.nullable/)
      assert.match(error.message, /columns\[4\] \("education-num"\)\.colour is not a known field/)
      return true
    },
  )
  assert.throws(() => parseMetadata('{ "version": 1,', 'x.json'), /not valid JSON/)
  const withSchema = JSON.parse(text) as MetadataDocument
  const reserialized = serializeMetadata(parseMetadata(JSON.stringify({ $schema: './synth-meta.schema.json', ...withSchema }), 'x.json'))
  assert.ok(reserialized.startsWith('{\n  "$schema": "./synth-meta.schema.json",\n  "version": 1,'), 'a $schema key survives edits')
  const parsed = JSON.parse(text) as MetadataDocument
  const duplicate = { ...parsed, columns: [...parsed.columns, parsed.columns[0]] }
  assert.throws(() => parseMetadata(JSON.stringify(duplicate), 'x.json'), /column "age": the metadata lists the column twice/)
  const mistyped = { ...parsed, columns: parsed.columns.map((c, i) => (i === 1 ? { ...c, sparkType: 'decimal(10' } : c)) }
  assert.throws(
    () => parseMetadata(JSON.stringify(mistyped), 'x.json'),
    /x\.json, column "workclass": malformed Spark type "decimal\(10": .* Write the type as Spark SQL DDL/,
    'a hand-edited Spark type that does not parse is refused on load, naming the column',
  )
})

test('a precision note says how many bigint values lie beyond ±2^53, only where some do, and survives the round trip', async () => {
  const dir = await tempDir()
  const file = path.join(dir, 'keys.parquet')
  const beyond = [2n ** 53n, 2n ** 53n + 1n, -(2n ** 63n)]
  await writeFile(
    file,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'big', data: [...beyond, ...Array.from({ length: 7 }, (_, i) => BigInt(i))], type: 'INT64' },
          { name: 'small', data: Array.from({ length: 10 }, (_, i) => BigInt(2 ** 53 - 1 - i)), type: 'INT64' },
        ],
      }),
    ),
  )
  const document = await metadataOf(file)
  const [big, small] = document.columns
  assert.equal(big.precisionNote?.startsWith('3 of 10 sampled values lie beyond ±2^53 (9007199254740992)'), true, big.precisionNote)
  assert.equal(small.precisionNote, undefined)
  const target = path.join(dir, 'keys.synth-meta.json')
  await writeMetadataFile(document, target)
  assert.deepEqual((await readMetadataFile(target)).columns, document.columns)
})

test('columns of only NaN or ±Infinity are excluded, infinities stay out of the figures, and the document loads again', async () => {
  const dir = await tempDir()
  const file = path.join(dir, 'non-finite.parquet')
  const rows = 40
  const column = (name: string, value: (i: number) => number) => ({
    name,
    type: 'DOUBLE' as const,
    data: Array.from({ length: rows }, (_, i) => value(i)),
  })
  await writeFile(
    file,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          column('all_nan', () => Number.NaN),
          column('infinite', (i) => (i % 2 ? Infinity : -Infinity)),
          column('mostly_finite', (i) => [Infinity, -Infinity, Number.NaN, i][i % 4]),
        ],
      }),
    ),
  )
  const document = await metadataOf(file)
  const [allNan, infinite, mostlyFinite] = document.columns
  for (const excluded of [allNan, infinite]) {
    assert.equal(excluded.kind, 'constant', excluded.name)
    assert.match(excluded.excludeReason ?? '', /no sampled value is a finite number/)
    assert.deepEqual(excluded.stats, {})
  }
  assert.equal(mostlyFinite.kind, 'continuous')
  const numeric = defined(mostlyFinite.stats.numeric, 'the numeric stats')
  // The finite values 3, 7, …, 39, clipped to the 5th smallest and 5th largest by value protection.
  assert.deepEqual([numeric.min, numeric.max, numeric.nanCount], [19, 23, 10])
  // JSON writes ±Infinity and NaN as null, which the schema refuses: the round trip proves none is left.
  assert.deepEqual(parseMetadata(serializeMetadata(document), file), JSON.parse(serializeMetadata(document)))
})

test('an error about a column with a 10,000-character name shows the start of the name and its length, not all of it', async () => {
  const dir = await tempDir()
  const file = path.join(dir, 'long-name.parquet')
  const name = 'n'.repeat(9_999) + 'x'
  await writeFile(file, new Uint8Array(parquetWriteBuffer({ columnData: [{ name, type: 'INT32', data: Int32Array.from([1, 2, 3]) }] })))
  const document = await metadataOf(file)
  const meta = path.join(dir, 'long-name.synth-meta.json')
  await writeMetadataFile({ ...document, columns: document.columns.map((c) => ({ ...c, sparkType: 'decimal(10' })) }, meta)
  await assert.rejects(readMetadataFile(meta), (error: unknown) => {
    assert.ok(error instanceof SparkSynthError)
    assert.equal(error.column, name, 'the error keeps the whole name for code that reads it')
    assert.ok(error.message.includes(`column "${'n'.repeat(120)}…" (a name of 10,000 characters)`), error.message.slice(0, 400))
    assert.ok(error.message.length < 600, `${error.message.length} characters`)
    return true
  })
})
