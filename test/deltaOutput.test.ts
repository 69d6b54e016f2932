/**
 * `--format delta`: the synthetic table's Parquet files committed in a Delta log, as the Delta protocol
 * describes the first commit. Spark reads these tables in python/tests (test_delta_output.py).
 */
import assert from 'node:assert/strict'
import { readFile, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { reloadSnippet } from '../src/core/codegen/reloadSnippet.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { DELTA_LOG, FIRST_COMMIT, deltaFilePath, deltaPartitionValue } from '../src/core/io/deltaLogWriter.ts'
import { parseSparkType, sparkTypeDdl } from '../src/core/io/sparkType.ts'
import { SparkFolderWriter } from '../src/core/io/sparkWriter.ts'
import type { Cell, SourceColumn, Table } from '../src/core/io/table.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { runTrainJob } from '../src/core/model/trainJob.ts'
import { generateSynthetic } from '../src/core/output/syntheticRun.ts'
import { SPARK_TABLES, readWithParquetWasm, tempDir } from './helpers.ts'

const column = (name: string, sparkType: string, options: Partial<SourceColumn> = {}): SourceColumn => ({
  name,
  sparkType: parseSparkType(sparkType),
  nullable: true,
  nested: false,
  partition: false,
  ...options,
})

interface Commit {
  commitInfo: { operation: string; operationParameters: Record<string, string>; operationMetrics: Record<string, string> }
  protocol: Record<string, unknown>
  metaData: { id: string; format: unknown; schemaString: string; partitionColumns: string[]; configuration: unknown; createdTime: number }
  adds: {
    path: string
    partitionValues: Record<string, string | null>
    size: number
    modificationTime: number
    dataChange: boolean
    stats: string
  }[]
}

/** An `add` action's `stats` string, parsed. */
interface FileStats {
  numRecords: number
  minValues: Record<string, unknown>
  maxValues: Record<string, unknown>
  nullCount: Record<string, number>
}

const parseStats = (stats: string) => JSON.parse(stats) as FileStats

/** Writes `table` as a Delta table in batches and returns the folder and its first commit, action by action. */
async function writeDelta(table: Table, batch = table.rowCount): Promise<{ folder: string; commit: Commit }> {
  const folder = path.join(await tempDir(), 'table')
  const writer = await SparkFolderWriter.open(folder, table.columns, { format: 'delta' })
  for (let start = 0; start < table.rowCount; start += batch) {
    const rows = Math.min(batch, table.rowCount - start)
    writer.write({ ...table, values: table.values.map((values) => values.slice(start, start + rows)), rowCount: rows })
  }
  await writer.commit()
  const lines = (await readFile(path.join(folder, DELTA_LOG, FIRST_COMMIT), 'utf8')).split('\n')
  assert.equal(lines.pop(), '', 'every action ends its line')
  const actions = lines.map((line) => JSON.parse(line) as Record<string, never>)
  assert.deepEqual(
    actions.slice(0, 3).map((action) => Object.keys(action)),
    [['commitInfo'], ['protocol'], ['metaData']],
  )
  assert.ok(actions.slice(3).every((action) => Object.keys(action).join() === 'add'))
  const [{ commitInfo }, { protocol }, { metaData }] = actions
  return { folder, commit: { commitInfo, protocol, metaData, adds: actions.slice(3).map((action) => action.add) } }
}

const TYPES_TABLE: Table = (() => {
  const columns = [
    column('b', 'boolean'),
    column('t', 'tinyint'),
    column('s', 'smallint'),
    column('i', 'int', { nullable: false }),
    column('l', 'bigint'),
    column('f', 'float'),
    column('d', 'double'),
    column('m', 'decimal(10,2)'),
    column('str', 'string'),
    column('bin', 'binary'),
    column('day', 'date'),
    column('ts', 'timestamp'),
    column('dotted.name', 'string'),
  ]
  const values: Cell[][] = [
    [true, null, false],
    [-3, 7, null],
    [300, null, -300],
    [1, 2, 3],
    [2 ** 40, -5, null],
    [0.5, -1.25, null],
    [1.5, Number.NaN, -2],
    [12.34, -0.05, null],
    ['b', 'x', 'é'],
    [new Uint8Array([1]), null, new Uint8Array([2])],
    [new Date('2024-02-29T00:00:00Z'), null, new Date('1999-12-31T00:00:00Z')],
    [new Date('2024-05-01T12:34:56.789Z'), new Date('2024-05-01T00:00:00Z'), null],
    [null, null, null],
  ]
  return { columns, values, rowCount: 3 }
})()

test('the first commit: protocol, metadata with the Spark JSON schema, commit info, one add per file', async () => {
  const { folder, commit } = await writeDelta(TYPES_TABLE)
  assert.deepEqual(
    (await readdir(folder)).filter((name) => !name.startsWith('part-')),
    [DELTA_LOG],
    'no _SUCCESS: the log is the commit',
  )
  assert.deepEqual(await readdir(path.join(folder, DELTA_LOG)), [FIRST_COMMIT])
  assert.deepEqual(commit.protocol, { minReaderVersion: 1, minWriterVersion: 2 })
  const { metaData } = commit
  assert.match(metaData.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.deepEqual(metaData.format, { provider: 'parquet', options: {} })
  assert.deepEqual(metaData.partitionColumns, [])
  assert.deepEqual(metaData.configuration, {})
  assert.ok(Math.abs(metaData.createdTime - Date.now()) < 60_000)
  assert.deepEqual(JSON.parse(metaData.schemaString), {
    type: 'struct',
    fields: [
      ['b', 'boolean'],
      ['t', 'byte'],
      ['s', 'short'],
      ['i', 'integer'],
      ['l', 'long'],
      ['f', 'float'],
      ['d', 'double'],
      ['m', 'decimal(10,2)'],
      ['str', 'string'],
      ['bin', 'binary'],
      ['day', 'date'],
      ['ts', 'timestamp'],
      ['dotted.name', 'string'],
    ].map(([name, type]) => ({ name, type, nullable: name !== 'i', metadata: {} })),
  })
  assert.equal(commit.commitInfo.operation, 'WRITE')
  assert.deepEqual(commit.commitInfo.operationParameters, { mode: 'ErrorIfExists', partitionBy: '[]' })
  assert.equal(commit.commitInfo.operationMetrics.numOutputRows, '3')

  assert.equal(commit.adds.length, 1)
  const [add] = commit.adds
  assert.match(add.path, /^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/)
  assert.deepEqual(add.partitionValues, {})
  assert.equal(add.dataChange, true)
  const file = await stat(path.join(folder, add.path))
  assert.equal(add.size, file.size)
  assert.equal(add.modificationTime, Math.floor(file.mtimeMs))
  assert.deepEqual(JSON.parse(add.stats), {
    numRecords: 3,
    // As Delta keeps them: no bounds for booleans and binary, nor for a double column holding NaN.
    minValues: { t: -3, s: -300, i: 1, l: -5, f: -1.25, m: -0.05, str: 'b', day: '1999-12-31', ts: '2024-05-01T00:00:00.000Z' },
    maxValues: { t: 7, s: 300, i: 3, l: 2 ** 40, f: 0.5, m: 12.34, str: 'é', day: '2024-02-29', ts: '2024-05-01T12:34:56.789Z' },
    nullCount: { b: 1, t: 1, s: 1, i: 0, l: 1, f: 1, d: 0, m: 1, str: 0, bin: 1, day: 1, ts: 1, 'dotted.name': 3 },
  })
})

test('string statistics: min cut to 32 characters, max raised above the cut; code point order as Spark compares', async () => {
  const long = 'x'.repeat(31) + 'yz beyond'
  const strings = (values: string[]) => ({ columns: [column('s', 'string')], values: [values], rowCount: values.length })
  const statsOf = async (values: string[]) => parseStats((await writeDelta(strings(values))).commit.adds[0].stats)
  assert.deepEqual((await statsOf(['a', long])).maxValues, { s: `${long.slice(0, 32)}\x7f` })
  assert.deepEqual((await statsOf([long, 'y'])).minValues, { s: long.slice(0, 32) })
  assert.deepEqual((await statsOf(['z'.repeat(32) + 'é'])).maxValues, { s: `${'z'.repeat(32)}\u{10ffff}` })
  // U+FF5E sorts before U+1F389 by code point (and in UTF-8), after it in UTF-16 units.
  assert.deepEqual((await statsOf(['～', '🎉'])).maxValues, { s: '🎉' })
})

test('partitions: values as the protocol serializes them, paths URI-encoded over the hive-escaped folders', async () => {
  const values = ['a/b', 'x=y', '100%', null, '', 'plain', 'über', 'tab\there', 'two words', '#?']
  const table: Table = {
    columns: [column('n', 'int', { nullable: false }), column('p', 'string', { partition: true })],
    values: [values.map((_, i) => i), values],
    rowCount: values.length,
  }
  const { folder, commit } = await writeDelta(table, 4)
  assert.deepEqual(commit.metaData.partitionColumns, ['p'])
  const folderOf = (add: Commit['adds'][number]) => add.path.slice(0, add.path.indexOf('/'))
  const byValue = new Map(commit.adds.filter((add) => add.partitionValues.p !== null).map((add) => [add.partitionValues.p, folderOf(add)]))
  assert.deepEqual(Object.fromEntries(byValue), {
    'a/b': 'p=a%252Fb',
    'x=y': 'p=x%253Dy',
    '100%': 'p=100%2525',
    plain: 'p=plain',
    über: 'p=%C3%BCber',
    'tab\there': 'p=tab%2509here',
    'two words': 'p=two%20words',
    '#?': 'p=%2523%253F',
  })
  // Null and the empty string share the default partition folder (and file), and are null in the log.
  assert.deepEqual(commit.adds.filter((add) => add.partitionValues.p === null).map(folderOf), ['p=__HIVE_DEFAULT_PARTITION__'])
  let rows = 0
  for (const add of commit.adds) {
    const file = path.join(folder, decodeURIComponent(add.path))
    assert.equal(add.size, (await stat(file)).size, `${add.path} decodes to the file on disk`)
    const { numRecords, nullCount } = parseStats(add.stats)
    assert.equal(numRecords, (await readWithParquetWasm(file)).numRows)
    assert.deepEqual(nullCount, { n: 0 }, 'statistics cover the data columns only')
    rows += numRecords
  }
  assert.equal(rows, values.length)
})

test('partition values: dates as yyyy-MM-dd, timestamps in UTC ISO 8601 to the microsecond, numbers as Spark casts them', () => {
  const instant = new Date('2024-05-01T12:34:56.789Z')
  assert.equal(deltaPartitionValue(instant, parseSparkType('timestamp')), '2024-05-01T12:34:56.789000Z')
  assert.equal(deltaPartitionValue(instant, parseSparkType('timestamp_ntz')), '2024-05-01 12:34:56.789')
  assert.equal(deltaPartitionValue(instant, parseSparkType('date')), '2024-05-01')
  assert.equal(deltaPartitionValue(2, parseSparkType('double')), '2.0')
  assert.equal(deltaPartitionValue(-7, parseSparkType('int')), '-7')
  assert.equal(deltaPartitionValue(false, parseSparkType('boolean')), 'false')
  assert.equal(deltaPartitionValue('007', parseSparkType('string')), '007')
  assert.equal(deltaPartitionValue(null, parseSparkType('int')), null)
  assert.equal(deltaFilePath('k=a%2Fb/v=x y/part-0.parquet'), 'k=a%252Fb/v=x%20y/part-0.parquet')
  assert.equal(deltaFilePath("k=(it's)~,;$&+@/part"), "k=(it's)~,;$&+@/part", 'what RFC 2396 allows in a path stays')
})

test('timestamp_ntz needs the timestampNtz table feature: protocol 3/7', async () => {
  const table: Table = {
    columns: [column('at', 'timestamp_ntz'), column('n', 'int', { nullable: false })],
    values: [[new Date('2024-01-02T03:04:05.006Z')], [1]],
    rowCount: 1,
  }
  const { commit } = await writeDelta(table)
  assert.deepEqual(commit.protocol, {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ['timestampNtz'],
    writerFeatures: ['appendOnly', 'invariants', 'timestampNtz'],
  })
  assert.equal((JSON.parse(commit.metaData.schemaString) as { fields: { type: unknown }[] }).fields[0].type, 'timestamp_ntz')
  const stats = parseStats(commit.adds[0].stats)
  assert.deepEqual(stats.minValues.at, '2024-01-02T03:04:05.006', 'no zone: a wall-clock time')
})

test('sample --format delta: data/ is a Delta table that reads back, and reload_synthetic.py reads it as Delta', async () => {
  const dir = await tempDir()
  const input = path.join(SPARK_TABLES, 'http_requests')
  const model = path.join(dir, 'model')
  await runTrainJob({ input, output: model, epochs: 1, backend: 'auto' })
  const output = path.join(dir, 'synthetic')
  const result = await generateSynthetic({ model, rows: 250, output, seed: 2, backend: 'auto', format: 'delta', report: false })
  assert.ok(result.written)
  const data = path.join(output, 'data')
  assert.ok((await readdir(data)).includes(DELTA_LOG))
  const actions = (await readFile(path.join(data, DELTA_LOG, FIRST_COMMIT), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { add?: Commit['adds'][number] })
  const adds = actions.flatMap((action) => (action.add ? [action.add] : []))
  for (const add of adds) assert.ok(add.path.startsWith(`date=${add.partitionValues.date}/`), `${add.path} is in its date's folder`)
  assert.equal(
    adds.reduce((sum, add) => sum + parseStats(add.stats).numRecords, 0),
    250,
  )
  const back = await sampleDataset(data, { rows: 1000 })
  assert.equal(back.summary.rowCount, 250)
  const source = await sampleDataset(input, { rows: 10 })
  assert.deepEqual(
    extractMetadata(back.summary, back.table)
      .columns.map((c) => [c.name, c.sparkType])
      .sort(),
    source.table.columns.map((c) => [c.name, sparkTypeDdl(c.sparkType)]).sort(),
  )

  const script = await readFile(path.join(output, 'reload_synthetic.py'), 'utf8')
  assert.match(script.split('\n\n')[0], /Delta table \(spark\.read\.format\("delta"\)\)/, 'the header says how it reads')
  assert.ok(script.includes('spark.read.format("delta").load(path)'))
  assert.ok(!script.includes('.parquet(path)'))
})

test('reload_synthetic.py for a Parquet folder still reads Parquet with the schema', async () => {
  const source = await sampleDataset(path.join(SPARK_TABLES, 'http_requests'), { rows: 50 })
  const script = reloadSnippet(extractMetadata(source.summary, source.table), '/out/data')
  assert.ok(script.includes('spark.read.schema(SCHEMA).option("basePath", path).parquet(path)'))
  assert.ok(!script.includes('delta'))
})
