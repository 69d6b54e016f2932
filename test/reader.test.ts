import assert from 'node:assert/strict'
import { readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { DataType, Precision, tableFromArrays, tableToIPC, type Field } from 'apache-arrow'
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm/node'
import { SparkSynthError } from '../src/core/errors.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { openParquetFile } from '../src/core/io/parquetFile.ts'
import { sparkTypeDdl } from '../src/core/io/sparkType.ts'
import { MicrosecondTimestamp, type Cell } from '../src/core/io/table.ts'
import { INTEROP_FILES, ROOT, SPARK_TABLES, defined, digestOf, partFiles, readWithParquetWasm, tempDir } from './helpers.ts'

const ALL = Number.MAX_SAFE_INTEGER
/** The interop files that must fail (malformed, bad checksum, encrypted) or hold values too large for JS. */
const FAILING = new Set([
  'nation.dict-malformed.parquet',
  'datapage_v1-corrupt-checksum.parquet',
  'uniform_encryption.parquet.encrypted',
  'large_string_map.brotli.parquet',
])

/** Two's-complement little-endian 32-bit words (Arrow's decimal storage) as a number. */
function decimalWords(words: Uint32Array, scale: number): number {
  let unscaled = 0n
  for (let i = words.length - 1; i >= 0; i--) unscaled = (unscaled << 32n) | BigInt(words[i])
  const bits = BigInt(words.length * 32)
  if (unscaled >> (bits - 1n)) unscaled -= 1n << bits
  return Number(unscaled) / 10 ** scale
}

/** A value from either engine in one comparable form. */
function comparable(value: unknown, field?: Field): unknown {
  if (value === null || value === undefined) return null
  if (field && DataType.isDecimal(field.type)) return decimalWords(value as Uint32Array, field.type.scale)
  if (field && (DataType.isTimestamp(field.type) || DataType.isDate(field.type))) return Math.floor(Number(value))
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex')
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN'
  if (typeof value === 'number' && field && DataType.isFloat(field.type) && field.type.precision === Precision.SINGLE)
    return Math.fround(value)
  return value
}

/** Reads a whole file with our reader and with parquet-wasm, and compares every flat column value by value. */
async function crossCheckFile(file: string): Promise<number> {
  const ours = await openParquetFile(file)
  const theirs = await readWithParquetWasm(file)
  try {
    assert.equal(ours.rowCount, theirs.numRows, `${file}: row count`)
    const flat = ours.columns.filter((c) => !c.nested)
    const all = Float64Array.from({ length: ours.rowCount }, (_, i) => i)
    const values = await ours.readRows(
      all,
      flat.map((c) => c.name),
    )
    flat.forEach((column, c) => {
      const field = theirs.schema.fields.find((f) => f.name === column.name)
      const vector = theirs.getChild(column.name)
      assert.ok(field && vector, `${file}: parquet-wasm lacks ${column.name}`)
      for (let row = 0; row < ours.rowCount; row++) {
        assert.deepEqual(comparable(values[c][row]), comparable(vector.get(row), field), `${path.basename(file)} ${column.name} row ${row}`)
      }
    })
    return ours.rowCount
  } finally {
    await ours.close()
  }
}

for (const table of await readdir(SPARK_TABLES)) {
  test(`Spark table ${table}: every part file agrees with parquet-wasm value by value`, async () => {
    const files = await partFiles(path.join(SPARK_TABLES, table))
    assert.ok(files.length > 0)
    let rows = 0
    for (const file of files) rows += await crossCheckFile(file)
    const before = await digestOf(path.join(SPARK_TABLES, table))
    const { summary, table: sample } = await sampleDataset(path.join(SPARK_TABLES, table), { rows: ALL })
    assert.equal(summary.files.length, files.length, 'part files found (no _SUCCESS, .crc or hidden files)')
    assert.equal(summary.rowCount, rows)
    assert.equal(sample.rowCount, rows)
    assert.equal(await digestOf(path.join(SPARK_TABLES, table)), before, 'the source is not modified')
  })
}

test('hive partitions become typed columns with the values of their folders', async () => {
  const { summary, table } = await sampleDataset(path.join(SPARK_TABLES, 'delta-0.8.0-partitioned'), { rows: ALL })
  const names = table.columns.map((c) => c.name)
  assert.deepEqual(names, ['value', 'year', 'month', 'day'])
  for (const key of ['year', 'month', 'day']) {
    const column = table.columns[names.indexOf(key)]
    assert.equal(column.partition, true)
    assert.equal(sparkTypeDdl(column.sparkType), 'int')
  }
  // Each row's partition values are the ones in its file's folder path.
  let row = 0
  for (const file of summary.files) {
    const folders = Object.fromEntries(
      file.path
        .split('/')
        .slice(0, -1)
        .map((segment) => segment.split('=') as [key: string, value: string]),
    )
    for (let i = 0; i < file.rows; i++, row++) {
      for (const key of ['year', 'month', 'day']) assert.equal(table.values[names.indexOf(key)][row], Number(folders[key]))
    }
  }
  const dates = await sampleDataset(path.join(SPARK_TABLES, 'cdf-table'), { rows: ALL })
  const birthday = dates.table.columns.find((c) => c.name === 'birthday')
  assert.equal(birthday && sparkTypeDdl(birthday.sparkType), 'date')
  assert.ok(dates.table.values[dates.table.columns.indexOf(defined(birthday, 'the birthday column'))].every((v) => v instanceof Date))
})

test('Spark types map exactly: INT96 timestamps, decimals, dates, binary and nested columns', async () => {
  const { table } = await sampleDataset(path.join(SPARK_TABLES, 'delta-1.2.1-only-struct-stats'), { rows: ALL })
  const types = Object.fromEntries(table.columns.map((c) => [c.name, sparkTypeDdl(c.sparkType)]))
  assert.deepEqual(types, {
    integer: 'int',
    null: 'boolean',
    boolean: 'boolean',
    double: 'double',
    decimal: 'decimal(8,5)',
    string: 'string',
    binary: 'binary',
    date: 'date',
    timestamp: 'timestamp',
    struct: 'struct<struct_element:string>',
    map: 'map<string,string>',
    array: 'array<string>',
    nested_struct: 'struct<struct_element:struct<nested_struct_element:string>>',
    struct_of_array_of_map: 'struct<struct_element:array<map<string,string>>>',
    new_column: 'int',
  })
  const nested = table.columns.filter((c) => c.nested).map((c) => c.name)
  assert.deepEqual(nested, ['struct', 'map', 'array', 'nested_struct', 'struct_of_array_of_map'])
  const column = (name: string): readonly Cell[] => table.values[table.columns.findIndex((c) => c.name === name)]
  assert.ok(column('timestamp').some((v) => v instanceof Date && v.getUTCFullYear() === 2022))
  assert.ok(column('decimal').some((v) => v === -5.678))
  assert.ok(column('binary').some((v) => v instanceof Uint8Array && Buffer.from(v).toString() === 'bytes'))
})

test('timestamps with and without UTC adjustment, and NaN apart from null', async () => {
  const http = await sampleDataset(path.join(SPARK_TABLES, 'http_requests'), { rows: 10 })
  const start = http.table.columns.find((c) => c.name === 'EdgeStartTimestamp')
  assert.equal(start && sparkTypeDdl(start.sparkType), 'timestamp_ntz')
  const nulls = await sampleDataset(path.join(INTEROP_FILES, 'float16_nonzeros_and_nans.parquet'), { rows: ALL })
  const x = nulls.table.values[0]
  assert.ok(x.includes(null) && x.some((v) => Number.isNaN(v)), 'float16 column keeps nulls and NaNs apart')
})

for (const name of (await readdir(INTEROP_FILES)).filter((f) => !FAILING.has(f))) {
  test(`interop file ${name} reads and agrees with parquet-wasm`, async (t) => {
    const file = path.join(INTEROP_FILES, name)
    const { summary } = await sampleDataset(file, { rows: ALL })
    const reference = await readWithParquetWasm(file).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
    if (reference instanceof Error) {
      // parquet-wasm cannot read this one (dict-page-offset-zero): our count comes from the footer alone.
      t.diagnostic(`parquet-wasm fails: ${reference.message.split('\n')[0]}`)
      assert.ok(summary.rowCount > 0)
      return
    }
    assert.equal(summary.rowCount, reference.numRows)
    await crossCheckFile(file)
  })
}

test('every codec Spark and its peers write reads: snappy, gzip, zstd, lz4 in both framings, brotli', async () => {
  const dir = await tempDir()
  const rows = 3000
  const ids = Int32Array.from({ length: rows }, (_, i) => i * 7)
  const names = Array.from({ length: rows }, (_, i) => `name-${i % 97}`)
  const arrow = tableToIPC(tableFromArrays({ id: ids, name: names }), 'stream')
  // parquet-rs writes LZ4 with Hadoop's framing and LZ4_RAW without it.
  for (const codec of ['SNAPPY', 'GZIP', 'ZSTD', 'LZ4', 'LZ4_RAW', 'BROTLI'] as const) {
    const file = path.join(dir, `${codec.toLowerCase()}.parquet`)
    const properties = new WriterPropertiesBuilder().setCompression(Compression[codec]).build()
    await writeFile(file, writeParquet(WasmTable.fromIPCStream(arrow), properties))
    const { table } = await sampleDataset(file, { rows: ALL })
    assert.deepEqual(table.values[0], Array.from(ids), `${codec}: the numbers`)
    assert.deepEqual(table.values[1], names, `${codec}: the strings`)
  }
})

test('a timestamp beyond what a JavaScript Date holds is refused naming file, column and year; other columns read to the microsecond', async () => {
  // Written by Spark 3.5: far = timestamp_micros(9223372036854775807) in row 1, near = timestamp_micros(id * 1000001).
  const file = path.join(ROOT, 'test', 'fixtures', 'timestamp-beyond-javascript-date.parquet')
  await assert.rejects(sampleDataset(file, { rows: ALL }), (error: unknown) => {
    assert.ok(error instanceof SparkSynthError)
    assert.equal(error.file, file)
    assert.equal(error.column, 'far')
    assert.match(error.message, /a timestamp in year 294247 lies outside -271821-04-20 to \+275760-09-13/)
    return true
  })
  const { table } = await sampleDataset(file, { rows: ALL, columns: ['near'] })
  const near = table.values[0] as MicrosecondTimestamp[]
  assert.deepEqual(
    near.map((t) => [t.toISOString(), t.microsOfMillisecond]),
    [
      ['1970-01-01T00:00:00.000Z', 0],
      ['1970-01-01T00:00:01.000Z', 1],
      ['1970-01-01T00:00:02.000Z', 2],
    ],
  )
})
