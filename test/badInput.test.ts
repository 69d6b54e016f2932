import assert from 'node:assert/strict'
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { DateMillisecond, Table, tableToIPC, vectorFromArray } from 'apache-arrow'
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { SparkSynthError } from '../src/core/errors.ts'
import { PAGE_CODECS } from '../src/core/io/pageCodecs.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { EXAMPLE_ADULT, INTEROP_FILES, SHARED_DATA, defined, digestOf, partFiles, tempDir } from './helpers.ts'

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

// Found by `npm run fuzz` (files part): damage that the engines parse without complaint but that
// used to surface as a TypeError from deeper in the reader.

test('a footer whose schema claims more columns than it lists is refused as corrupt', async () => {
  const dir = await tempDir()
  const bytes = Buffer.from(await readFile(path.join(INTEROP_FILES, 'rle_boolean_encoding.parquet')))
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path.join(INTEROP_FILES, 'rle_boolean_encoding.parquet')))
  // The root SchemaElement: its name, then field 5 (num_children, a Thrift compact i32: header 0x15, zigzag varint).
  const root = metadata.schema[0]
  const name = Buffer.from(root.name)
  const at = bytes.indexOf(name, bytes.length - 8 - metadata.metadata_length) + name.length
  assert.deepEqual([bytes[at], bytes[at + 1]], [0x15, Number(root.num_children) * 2], 'num_children follows the root name')
  bytes[at + 1] = 0x7e // 63 children where there is 1
  const damaged = path.join(dir, 'schema.parquet')
  await writeFile(damaged, bytes)
  await assertClearError(damaged, { problem: /footer is corrupt/ })
})

test('an Arrow date past what a JavaScript number holds is refused with its column', async () => {
  const dir = await tempDir()
  const day = Date.UTC(2024, 0, 1)
  const bytes = Buffer.from(tableToIPC(new Table({ day: vectorFromArray([new Date(day)], new DateMillisecond()) }), 'file'))
  const stored = Buffer.alloc(8)
  stored.writeBigInt64LE(BigInt(day))
  const at = bytes.indexOf(stored)
  assert.ok(at > 0, 'the date is stored as a 64-bit integer')
  for (const [name, byte, value] of [
    ['unsafe', 7, 0x40], // 2^62 milliseconds: past 2^53
    ['undated', 6, 0x1f], // about 8.7e15 milliseconds: a safe integer, past the years a Date holds
  ] as const) {
    const damaged = path.join(dir, `${name}.arrow`)
    await writeFile(damaged, Buffer.from(bytes).fill(value, at + byte, at + byte + 1))
    await assertClearError(damaged, { problem: /cannot decode the column's values/, column: 'day' })
  }
})

test('a Delta protocol action of the wrong shape is refused as damage', async () => {
  const dir = await tempDir()
  for (const [name, protocol] of Object.entries({
    features: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: 'deletionVectors' },
    version: { minReaderVersion: '3', minWriterVersion: 7, readerFeatures: ['deletionVectors'] },
  })) {
    const table = path.join(dir, name)
    await cp(path.join(SHARED_DATA, 'delta', 'table-with-dv-small'), table, { recursive: true })
    const commit = path.join(table, '_delta_log', '00000000000000000000.json')
    const lines = (await readFile(commit, 'utf8')).split('\n')
    const index = lines.findIndex((line) => line.startsWith('{"protocol"'))
    lines[index] = JSON.stringify({ protocol })
    await writeFile(commit, lines.join('\n'))
    await assertClearError(table, { problem: /malformed protocol action/ })
  }
})

/** `bytes` with the uncompressed size in the page header at `page` set to the largest positive value its varint's width holds. */
function claimHugePage(bytes: Buffer, page: number): Buffer {
  const damaged = Buffer.from(bytes)
  let at = page
  // PageHeader in the Thrift compact protocol: field 1 (type) then field 2 (uncompressed_page_size), both i32 (header 0x15).
  assert.equal(damaged[at++], 0x15, 'the page header starts with its type')
  while ((damaged[at] & 0x80) !== 0) at++
  at++
  assert.equal(damaged[at++], 0x15, 'then its uncompressed size')
  assert.ok((damaged[at] & 0x80) !== 0, 'a size of more than one varint byte')
  damaged[at++] = 0xfe // zigzag: an even varint is positive
  while ((damaged[at] & 0x80) !== 0) damaged[at++] = 0xff
  damaged[at] = 0x7f
  return damaged
}

test('a page header claiming more uncompressed bytes than its page holds is refused without allocating them', async () => {
  const dir = await tempDir()
  const file = path.join(INTEROP_FILES, 'large_string_map.brotli.parquet')
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file))
  const chunk = defined(metadata.row_groups[0].columns[0].meta_data, 'the metadata of column chunk 0')
  const damaged = path.join(dir, path.basename(file))
  await writeFile(damaged, claimHugePage(await readFile(file), Number(chunk.dictionary_page_offset ?? chunk.data_page_offset)))
  // The bundled Brotli decoder allocated the claimed size and returned it whole; Node's stops at the data.
  await assertClearError(damaged, { problem: /decompressed page length \d+ does not match header/, column: chunk.path_in_schema[0] })
  // Codecs with a bounded expansion refuse the claim before their decoder allocates it.
  assert.throws(
    () => PAGE_CODECS.SNAPPY?.(new Uint8Array(100), 2 ** 30),
    /claims 1073741824 uncompressed bytes, more than 100 SNAPPY bytes can hold/,
  )
  assert.throws(() => PAGE_CODECS.GZIP?.(new Uint8Array(100), 2 ** 30), /more than 100 GZIP bytes can hold/)
})

test('Delta actions with fields of the wrong type are refused as damage, naming the field', async () => {
  const dir = await tempDir()
  const source = path.join(SHARED_DATA, 'delta', 'delta-0.8.0-partitioned')
  const commit = path.join('_delta_log', '00000000000000000000.json')
  const lines = (await readFile(path.join(source, commit), 'utf8')).split('\n').filter(Boolean)
  const addLine = lines.findIndex((line) => line.startsWith('{"add"'))
  const add = (JSON.parse(lines[addLine]) as { add: Record<string, unknown> }).add
  for (const [name, action, field] of [
    ['number', 7, 'the action itself'],
    ['null', null, 'the action itself'],
    ['add', { add: 7 }, 'add'],
    ['path', { add: { ...add, path: -1 } }, 'add.path'],
    ['partitions', { add: { ...add, partitionValues: null } }, 'add.partitionValues'],
  ] as const) {
    const table = path.join(dir, name)
    await cp(source, table, { recursive: true })
    await writeFile(path.join(table, commit), lines.map((line, i) => (i === addLine ? JSON.stringify(action) : line)).join('\n'))
    await assertClearError(table, { problem: new RegExp(`action ${addLine + 1} of 00000000000000000000.json has a malformed ${field}`) })
  }
})

/** A copy of an interop file with single bytes replaced: each `[offset, expected, replacement]` checks the byte it overwrites. */
async function damagedCopy(name: string, edits: readonly (readonly [number, number, number])[]): Promise<string> {
  const bytes = Buffer.from(await readFile(path.join(INTEROP_FILES, name)))
  for (const [offset, expected, replacement] of edits) {
    assert.equal(bytes[offset], expected, `${name}: byte ${offset} is the one the damage targets`)
    bytes[offset] = replacement
  }
  const damaged = path.join(await tempDir(), name)
  await writeFile(damaged, bytes)
  return damaged
}

// Each of these ended outside our named error under `npm run fuzz`: a crash from a sibling column,
// an allocation sized by garbage, or a read that never ends (hence the time limits).

test('a column chunk whose path no longer matches the schema is refused before any page is read', { timeout: 20_000 }, async () => {
  const bytes = await readFile(path.join(INTEROP_FILES, 'nullable.impala.parquet'))
  const name = Buffer.from('int_array_Array')
  const schemaAt = bytes.indexOf(name)
  const chunkAt = bytes.indexOf(name, schemaAt + 1) // the path_in_schema of its column chunk
  const damaged = await damagedCopy('nullable.impala.parquet', [[chunkAt + 4, 'a'.charCodeAt(0), 'e'.charCodeAt(0)]])
  await assertClearError(damaged, {
    problem:
      /footer is corrupt \(row group 0, column chunk 2 is int_erray_Array\.list\.element\.list\.element \(INT32\) where the schema has int_array_Array/,
  })
})

test('a schema element that lost its repetition type is refused, not read as optional', { timeout: 20_000 }, async () => {
  const damaged = await damagedCopy('datapage_v1-snappy-compressed-checksum.parquet', [[3153, 0x00, 0x52]])
  await assertClearError(damaged, { problem: /footer is corrupt \(schema element 2 has no repetition type\)/ })
})

test('a page header missing the fields its page type requires is refused, not read forever', { timeout: 20_000 }, async () => {
  // num_rows of the DATA_PAGE_V2 header loses its varint's second byte, which the parser then reads as field headers.
  const damaged = await damagedCopy('rle_boolean_encoding.parquet', [[17, 0x88, 0x08]])
  await assertClearError(damaged, {
    problem: /a page header is corrupt \(row group 0: the page at byte 4 has a DATA_PAGE_V2 header without encoding/,
    column: 'datatype_boolean',
  })
})

test('a run-length run longer than its page fills the page and no more (hyparquet, patched)', async () => {
  const { readRleBitPackedHybrid } = await import('hyparquet/src/encoding.js')
  // An RLE run header (even varint) claiming 2^31 - 1 values of width 1, value 1; the page holds 4.
  const bytes = Uint8Array.from([0xfe, 0xff, 0xff, 0xff, 0x0f, 0x01])
  const output = new Array<number>(4)
  readRleBitPackedHybrid({ view: new DataView(bytes.buffer), offset: 0 }, 1, output, bytes.length)
  assert.deepEqual(output, [1, 1, 1, 1])
})

test('an Arrow message of an unknown kind is refused before Arrow JS reads it', { timeout: 20_000 }, async () => {
  const bytes = Buffer.from(
    tableToIPC(new Table({ day: vectorFromArray([new Date(Date.UTC(2024, 0, 1))], new DateMillisecond()) }), 'file'),
  )
  // ARROW1 and padding, the continuation marker, the metadata length, then the flatbuffer's root offset.
  assert.equal(bytes.readUInt32LE(8), 0xffffffff)
  assert.equal(bytes[16], 0x14)
  const damaged = path.join(await tempDir(), 'kind.arrow')
  await writeFile(damaged, Buffer.from(bytes).fill(0x34, 16, 17))
  await assertClearError(damaged, { problem: /not a readable Arrow IPC file \(the message at byte 8 is of unknown kind/ })
})
