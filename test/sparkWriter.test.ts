import assert from 'node:assert/strict'
import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { DataType } from 'apache-arrow'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { SparkFolderWriter } from '../src/core/io/sparkWriter.ts'
import { takeRows, type Table } from '../src/core/io/table.ts'
import { SPARK_TABLES, readWithParquetWasm, tempDir } from './helpers.ts'

const source = await sampleDataset(path.join(SPARK_TABLES, 'http_requests'), { rows: 1200, seed: 3 })

async function writeInBatches(table: Table, target: string, batch: number, rowsPerFile: number): Promise<string[]> {
  const writer = await SparkFolderWriter.open(target, table.columns, { rowsPerFile })
  for (let start = 0; start < table.rowCount; start += batch) {
    writer.write(takeRows(table, Array.from({ length: Math.min(batch, table.rowCount - start) }, (_, i) => start + i)))
  }
  return writer.commit()
}

test('a streamed Spark folder reads back with the same types and values, in both engines', async () => {
  const target = path.join(await tempDir(), 'out')
  const files = await writeInBatches(source.table, target, 250, 500)
  assert.equal(files.length, 3, 'a new part file every 500 rows')
  const listing = (await readdir(target)).sort()
  assert.deepEqual(listing, ['_SUCCESS', ...files].sort())
  for (const file of files) assert.match(file, /^part-0000\d-[0-9a-f-]{36}-c000\.snappy\.parquet$/)
  const back = await sampleDataset(target, { rows: 10_000 })
  assert.equal(back.table.rowCount, 1200)
  assert.deepEqual(back.table.columns.map((c) => c.sparkType), source.table.columns.map((c) => c.sparkType))
  assert.deepEqual(back.table.values, source.table.values)
  let rows = 0
  for (const file of files) {
    const arrow = await readWithParquetWasm(path.join(target, file))
    rows += arrow.numRows
    const start = arrow.schema.fields.find((f) => f.name === 'EdgeStartTimestamp')!
    assert.ok(DataType.isTimestamp(start.type) && !start.type.timezone, 'timestamp_ntz stays without UTC adjustment')
    assert.ok(DataType.isInt(arrow.schema.fields.find((f) => f.name === 'EdgeResponseStatus')!.type))
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
