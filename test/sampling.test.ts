import assert from 'node:assert/strict'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { SparkSynthError } from '../src/core/errors.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { Random, sampleIndices } from '../src/core/random.ts'
import { tempDir } from './helpers.ts'

/** A Spark-like folder of `files` part files, each holding `rows` consecutive ids, in small row groups. */
async function numberedTable(files: number, rows: number): Promise<string> {
  const dir = path.join(await tempDir(), 'numbers')
  await mkdir(dir)
  for (let f = 0; f < files; f++) {
    const ids = Array.from({ length: rows }, (_, i) => f * rows + i)
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ids, type: 'INT32' },
        { name: 'file', data: ids.map(() => `f${f}`), type: 'STRING' },
      ],
      rowGroupSize: 250,
    })
    await writeFile(path.join(dir, `part-${String(f).padStart(5, '0')}-x.c000.snappy.parquet`), new Uint8Array(buffer))
  }
  await writeFile(path.join(dir, '_SUCCESS'), '')
  return dir
}

test('sampleIndices draws k distinct sorted indices, reproducibly', () => {
  const a = sampleIndices(1_000_000, 1000, new Random(7))
  const b = sampleIndices(1_000_000, 1000, new Random(7))
  const c = sampleIndices(1_000_000, 1000, new Random(8))
  assert.deepEqual(a, b)
  assert.notDeepEqual(a, c)
  assert.equal(new Set(a).size, 1000)
  for (let i = 1; i < a.length; i++) assert.ok(a[i] > a[i - 1])
  assert.deepEqual(sampleIndices(5, 10, new Random(1)), Float64Array.from([0, 1, 2, 3, 4]))
})

test('the same seed gives the same rows; another seed other rows', async () => {
  const dir = await numberedTable(4, 1000)
  const ids = async (seed: number) => (await sampleDataset(dir, { rows: 300, seed })).table.values[0]
  assert.deepEqual(await ids(1), await ids(1))
  assert.notDeepEqual(await ids(1), await ids(2))
})

test('the sample is uniform over all part files, not just the first', async () => {
  const dir = await numberedTable(4, 1000)
  const { table, summary } = await sampleDataset(dir, { rows: 800, seed: 3 })
  assert.equal(summary.rowCount, 4000)
  assert.equal(table.rowCount, 800)
  const perFile = new Map<string, number>()
  for (const file of table.values[1]) perFile.set(file as string, (perFile.get(file as string) ?? 0) + 1)
  assert.equal(perFile.size, 4)
  // Each file holds a quarter of the rows: 200 expected, binomial sd ≈ 12; 60 is ~5 sd.
  for (const count of perFile.values()) assert.ok(Math.abs(count - 200) < 60, `per-file count ${count}`)
  // Ids are distinct and each id sits with the file that holds it (rows were not mixed up).
  const ids = table.values[0] as number[]
  assert.equal(new Set(ids).size, 800)
  ids.forEach((id, i) => {
    assert.equal(table.values[1][i], `f${Math.floor(id / 1000)}`)
  })
  // Uniform within files too: the mean id is near the middle.
  const mean = ids.reduce((s, v) => s + v, 0) / ids.length
  assert.ok(Math.abs(mean - 2000) < 150, `mean id ${mean}`)
})

test('reading only some columns', async () => {
  const dir = await numberedTable(2, 100)
  const { table } = await sampleDataset(dir, { rows: 50, columns: ['file'] })
  assert.deepEqual(
    table.columns.map((c) => c.name),
    ['file'],
  )
  await assert.rejects(sampleDataset(dir, { columns: ['nope'] }), /no such column/)
})

test('a holdout draws only rows the training sample left out, uniformly over them', async () => {
  const dir = await numberedTable(4, 1000)
  const train = await sampleDataset(dir, { rows: 1500, seed: 5 })
  const holdout = await sampleDataset(dir, { rows: 1500, seed: 6, excluding: { rows: 1500, seed: 5 } })
  const ids = (sample: typeof train) => sample.table.values[0] as number[]
  assert.equal(holdout.summary.sampleSize, 1500)
  assert.equal(new Set([...ids(train), ...ids(holdout)]).size, 3000, 'no row in both')
  const again = await sampleDataset(dir, { rows: 1500, seed: 6, excluding: { rows: 1500, seed: 5 } })
  assert.deepEqual(ids(again), ids(holdout))
  const rest = await sampleDataset(dir, { rows: 5000, seed: 6, excluding: { rows: 1500, seed: 5 } })
  assert.equal(rest.summary.sampleSize, 2500, 'asked for more than is left: every row left out, once')
  assert.deepEqual(
    [...ids(rest), ...ids(train)].sort((a, b) => a - b),
    Array.from({ length: 4000 }, (_, i) => i),
  )
  const perFile = [0, 1, 2, 3].map((f) => ids(holdout).filter((id) => Math.floor(id / 1000) === f).length)
  for (const count of perFile) assert.ok(count > 300 && count < 450, `holdout rows per file: ${perFile.join()}`)
})

test('a folder of many small part files, read several at a time, gives every sampled row in its place', async () => {
  // More part files than are read at once, of uneven sizes, so that reads finish out of order.
  const dir = path.join(await tempDir(), 'many')
  await mkdir(dir)
  let id = 0
  for (let f = 0; f < 150; f++) {
    const ids = Array.from({ length: 1 + ((f * 7) % 40) }, () => id++)
    await writeFile(
      path.join(dir, `part-${String(f).padStart(5, '0')}-x.c000.snappy.parquet`),
      new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: ids, type: 'INT32' }] })),
    )
  }
  const all = await sampleDataset(dir, { rows: id })
  assert.deepEqual(
    all.table.values[0],
    Array.from({ length: id }, (_, i) => i),
  )
  const some = await sampleDataset(dir, { rows: 500, seed: 9 })
  assert.deepEqual(some.table.values[0], Array.from(sampleIndices(id, 500, new Random(9))))
  assert.deepEqual(
    some.summary.files.map((file) => file.path),
    Array.from({ length: 150 }, (_, f) => `part-${String(f).padStart(5, '0')}-x.c000.snappy.parquet`),
  )
})

test('among many part files read at once, the first damaged one in order is the one named, and reading stops there', async () => {
  const dir = path.join(await tempDir(), 'damaged')
  await mkdir(dir)
  const name = (f: number) => `part-${String(f).padStart(5, '0')}-x.c000.snappy.parquet`
  for (let f = 0; f < 120; f++) {
    const bytes = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: [f], type: 'INT32' }] }))
    // Two files with their footers cut off: the later one, being smaller work, may fail first in time.
    await writeFile(path.join(dir, name(f)), f === 70 || f === 90 ? bytes.subarray(0, 10) : bytes)
  }
  await assert.rejects(
    sampleDataset(dir, { rows: 10 }),
    (error: unknown) => error instanceof SparkSynthError && error.message.includes(name(70)),
  )
})
