import assert from 'node:assert/strict'
import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { DataType } from 'apache-arrow'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { SparkFolderWriter } from '../src/core/io/sparkWriter.ts'
import { takeRows, type Table } from '../src/core/io/table.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { SPARK_TABLES, defined, readWithParquetWasm, tempDir } from './helpers.ts'

const source = await sampleDataset(path.join(SPARK_TABLES, 'http_requests'), { rows: 1200, seed: 3 })

async function writeInBatches(table: Table, target: string, batch: number, rowsPerFile: number): Promise<string[]> {
  const writer = await SparkFolderWriter.open(target, table.columns, { rowsPerFile })
  for (let start = 0; start < table.rowCount; start += batch) {
    writer.write(
      takeRows(
        table,
        Array.from({ length: Math.min(batch, table.rowCount - start) }, (_, i) => start + i),
      ),
    )
  }
  return writer.commit()
}

test('a streamed Spark folder reads back with the same types and values, in both engines', async () => {
  const target = path.join(await tempDir(), 'out')
  // The partition column stored as a date column in the files, to check dates round-trip as data too.
  const flat: Table = { ...source.table, columns: source.table.columns.map((c) => ({ ...c, partition: false })) }
  const files = await writeInBatches(flat, target, 250, 500)
  assert.equal(files.length, 3, 'a new part file every 500 rows')
  const listing = (await readdir(target)).sort()
  assert.deepEqual(listing, ['_SUCCESS', ...files].sort())
  for (const file of files) assert.match(file, /^part-0000\d-[0-9a-f-]{36}-c000\.snappy\.parquet$/)
  const back = await sampleDataset(target, { rows: 10_000 })
  assert.equal(back.table.rowCount, 1200)
  assert.deepEqual(
    back.table.columns.map((c) => c.sparkType),
    source.table.columns.map((c) => c.sparkType),
  )
  assert.deepEqual(back.table.values, source.table.values)
  let rows = 0
  for (const file of files) {
    const arrow = await readWithParquetWasm(path.join(target, file))
    rows += arrow.numRows
    const start = defined(
      arrow.schema.fields.find((f) => f.name === 'EdgeStartTimestamp'),
      'the EdgeStartTimestamp field',
    )
    assert.ok(DataType.isTimestamp(start.type) && !start.type.timezone, 'timestamp_ntz stays without UTC adjustment')
    assert.ok(
      DataType.isInt(
        defined(
          arrow.schema.fields.find((f) => f.name === 'EdgeResponseStatus'),
          'the EdgeResponseStatus field',
        ).type,
      ),
    )
  }
  assert.equal(rows, 1200)
})

test('an existing output is kept unless overwriting; aborted and killed runs leave nothing behind', async () => {
  const dir = await tempDir()
  const target = path.join(dir, 'out')
  await mkdir(target)
  await assert.rejects(SparkFolderWriter.open(target, source.table.columns), /already exists/)
  await mkdir(path.join(dir, 'out.999999.tmp'))
  const writer = await SparkFolderWriter.open(target, source.table.columns, { overwrite: true })
  writer.write(source.table)
  await writer.abort()
  assert.deepEqual(await readdir(dir), ['out'], 'the stale temporary folder of a dead process is removed; the aborted one too')
  assert.deepEqual(await readdir(target), [], 'the existing output is untouched by an aborted run')
})

test('partitions are written as Spark writes them: key=value folders, escaped, nulls in the default partition', async () => {
  const values = ['a/b', 'x=y', '100%', null, '', 'plain', 'über', 'tab\there']
  const table: Table = {
    columns: [
      { name: 'n', sparkType: { id: 'int' }, nullable: false, nested: false, partition: false },
      { name: 'p', sparkType: { id: 'string' }, nullable: true, nested: false, partition: true },
    ],
    values: [values.map((_, i) => i), values],
    rowCount: values.length,
  }
  const target = path.join(await tempDir(), 'out')
  const files = await writeInBatches(table, target, 3, 1000)
  const folders = (await readdir(target)).filter((name) => name !== '_SUCCESS').sort()
  assert.deepEqual(folders, ['p=100%25', 'p=__HIVE_DEFAULT_PARTITION__', 'p=a%2Fb', 'p=plain', 'p=tab%09here', 'p=x%3Dy', 'p=über'])
  for (const file of files) {
    const arrow = await readWithParquetWasm(path.join(target, file))
    assert.deepEqual(
      arrow.schema.fields.map((f) => f.name),
      ['n'],
      'partition values live in folder names, not in the files',
    )
  }
  const back = await sampleDataset(target, { rows: 100 })
  const pairs = back.table.values[0].map((n, r) => [n, back.table.values[1][r]]).sort((a, b) => (a[0] as number) - (b[0] as number))
  // Spark reads the empty string back as null too: both went to the default partition.
  assert.deepEqual(
    pairs,
    values.map((v, i) => [i, v === '' ? null : v]),
  )
})

test("a partitioned Spark table written back reads as the same table, and its metadata matches the source's", async () => {
  const target = path.join(await tempDir(), 'out')
  await writeInBatches(source.table, target, 400, 100_000)
  assert.deepEqual((await readdir(target)).sort(), ['_SUCCESS', 'date=2023-04-13', 'date=2023-04-14'])
  const back = await sampleDataset(target, { rows: 10_000 })
  assert.equal(back.summary.rowCount, source.table.rowCount)
  const sortedRows = (table: Table) =>
    Array.from({ length: table.rowCount }, (_, r) => JSON.stringify(table.values.map((column) => column[r]))).sort()
  assert.deepEqual(sortedRows(back.table), sortedRows(source.table))
  const columnsOf = (sample: typeof source) => extractMetadata(sample.summary, sample.table).columns
  assert.deepEqual(columnsOf(back), columnsOf(source))
})
