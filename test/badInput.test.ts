import assert from 'node:assert/strict'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { SparkSynthError } from '../src/core/errors.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { EXAMPLE_ADULT, INTEROP_FILES, defined, digestOf, partFiles, tempDir } from './helpers.ts'

/** Asserts that sampling fails with a SparkSynthError naming the file (and column) and saying what to do. */
async function assertClearError(input: string, expected: { problem: RegExp; file?: string; column?: string }) {
  const before = await digestOf(input).catch(() => undefined)
  await assert.rejects(sampleDataset(input), (error: unknown) => {
    assert.ok(error instanceof SparkSynthError, `a SparkSynthError, got ${String(error)}`)
    assert.match(error.message, expected.problem)
    assert.ok(error.message.includes(expected.file ?? input), `names the file: ${error.message}`)
    if (expected.column) assert.equal(error.column, expected.column)
    assert.ok(error.hint.length > 10, 'says what to do')
    return true
  })
  assert.equal(await digestOf(input).catch(() => undefined), before, 'the input is not modified')
}

const adultPart = async () => (await partFiles(EXAMPLE_ADULT))[0]

test('missing path', async () => {
  await assertClearError('/no/such/table.parquet', { problem: /no such file or folder/ })
})

test('empty folder and folder without data files', async () => {
  const dir = await tempDir()
  const empty = path.join(dir, 'empty')
  await mkdir(empty)
  await assertClearError(empty, { problem: /folder is empty/ })
  const noData = path.join(dir, 'nodata')
  await mkdir(path.join(noData, 'year=2020'), { recursive: true })
  await writeFile(path.join(noData, '_SUCCESS'), '')
  await writeFile(path.join(noData, 'year=2020', '.part-0.crc'), 'x')
  await writeFile(path.join(noData, 'notes.txt'), 'hello')
  await assertClearError(noData, { problem: /no data files/ })
})

test('truncated file and wrong magic bytes', async () => {
  const dir = await tempDir()
  const bytes = await readFile(await adultPart())
  const truncated = path.join(dir, 'truncated.parquet')
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)))
  await assertClearError(truncated, { problem: /truncated/ })
  const tiny = path.join(dir, 'tiny.parquet')
  await writeFile(tiny, bytes.subarray(0, 5))
  await assertClearError(tiny, { problem: /too short/ })
  const csvNamedParquet = path.join(dir, 'wrong.parquet')
  await writeFile(csvNamedParquet, 'name,age\nalice,31\nbob,42\n')
  await assertClearError(csvNamedParquet, { problem: /wrong magic bytes/ })
})

test('a corrupt page is reported with its column', async () => {
  const dir = await tempDir()
  const part = await adultPart()
  const bytes = Buffer.from(await readFile(part))
  // Scribble over the page header of one column chunk, keeping the footer intact.
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(part))
  const chunk = defined(metadata.row_groups[0].columns[3].meta_data, 'the metadata of column chunk 3')
  bytes.fill(0xff, Number(chunk.data_page_offset), Number(chunk.data_page_offset) + 24)
  const corrupt = path.join(dir, 'corrupt.parquet')
  await writeFile(corrupt, bytes)
  await assert.rejects(sampleDataset(corrupt), (error: unknown) => {
    assert.ok(error instanceof SparkSynthError)
    assert.equal(error.column, 'education', `names the column: ${error.message}`)
    assert.match(error.message, /corrupt\.parquet/)
    return true
  })
})

test('the three interop files that must fail, fail cleanly', async () => {
  await assertClearError(path.join(INTEROP_FILES, 'datapage_v1-corrupt-checksum.parquet'), { problem: /checksum mismatch/, column: 'a' })
  await assertClearError(path.join(INTEROP_FILES, 'nation.dict-malformed.parquet'), { problem: /cannot decode/, column: 'name' })
  await assertClearError(path.join(INTEROP_FILES, 'uniform_encryption.parquet.encrypted'), { problem: /encrypted/ })
})

test('a zero-row file is an error, but a zero-row part beside others is not', async () => {
  const dir = await tempDir()
  const zero = parquetWriteBuffer({ columnData: [{ name: 'x', data: [], type: 'INT32' }] })
  const single = path.join(dir, 'zero.parquet')
  await writeFile(single, new Uint8Array(zero))
  await assertClearError(single, { problem: /zero rows/ })
  const folder = path.join(dir, 'table')
  await mkdir(folder)
  await writeFile(path.join(folder, 'part-00000.parquet'), new Uint8Array(zero))
  await writeFile(
    path.join(folder, 'part-00001.parquet'),
    new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'x', data: [1, 2, 3], type: 'INT32' }] })),
  )
  const { summary } = await sampleDataset(folder)
  assert.equal(summary.rowCount, 3)
})

test('a column of all nulls is kept, marked constant and excluded with a reason', async () => {
  const dir = await tempDir()
  const file = path.join(dir, 'nulls.parquet')
  await writeFile(
    file,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'x', data: [1, 2, 3], type: 'INT32' },
          { name: 'empty', data: [null, null, null], type: 'STRING' },
        ],
      }),
    ),
  )
  const { summary, table } = await sampleDataset(file)
  const meta = extractMetadata(summary, table).columns[1]
  assert.equal(meta.name, 'empty')
  assert.equal(meta.kind, 'constant')
  assert.equal(meta.nullFraction, 1)
  assert.equal(meta.exclude, true)
  assert.match(meta.excludeReason ?? '', /every sampled value is null/)
})

test('part files with incompatible types name both files and the column', async () => {
  const dir = await tempDir()
  await copyFile(await adultPart(), path.join(dir, 'part-00000.parquet'))
  await writeFile(
    path.join(dir, 'part-00001.parquet'),
    new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'age', data: ['old'], type: 'STRING' }] })),
  )
  await assert.rejects(sampleDataset(dir), (error: unknown) => {
    assert.ok(error instanceof SparkSynthError)
    assert.equal(error.column, 'age')
    assert.match(error.message, /part-00000\.parquet.*part-00001\.parquet/)
    return true
  })
})
