/**
 * The whole output on every Spark table in ../shared/data/spark/: train a small model, generate,
 * and check what the user takes home with this project's reader and an independent one.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { parquetMetadataAsync } from 'hyparquet'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { sparkTypeDdl } from '../src/core/io/sparkType.ts'
import { outputColumns } from '../src/core/model/synthesizer.ts'
import { runTrainJob } from '../src/core/model/trainJob.ts'
import { generateSynthetic } from '../src/core/output/syntheticRun.ts'
import { parseQualityReport } from '../src/core/report/index.ts'
import { SPARK_TABLES, defined, listFiles, readWithParquetWasm, tempDir } from './helpers.ts'

const ROWS = 300

for (const name of await readdir(SPARK_TABLES)) {
  test(`the synthetic output of ${name}: a Spark folder with the source's types and partitions, the snippets, the report`, async () => {
    const dir = await tempDir()
    const input = path.join(SPARK_TABLES, name)
    const model = path.join(dir, 'model')
    // Value protection off: these tables hold 6 to 1,581 rows, and at k = 5 the smallest have nearly every
    // value hidden by design (protection.test.ts checks what it emits); here the output's shape, types and
    // report are checked against the data as it is.
    await runTrainJob({ input, output: model, epochs: 2, backend: 'auto', rareValueRows: 1 })
    const output = path.join(dir, 'synthetic')
    const result = await generateSynthetic({ model, rows: ROWS, output, seed: 9, backend: 'auto' })
    assert.ok(result.written)

    const source = await sampleDataset(input, { rows: 2000 })
    const { metadata } = JSON.parse(await readFile(path.join(model, 'model.json'), 'utf8')) as {
      metadata: Parameters<typeof outputColumns>[0]
    }
    const expected = outputColumns(metadata)
    const data = path.join(output, 'data')
    const back = await sampleDataset(data, { rows: 10_000 })
    assert.equal(back.summary.rowCount, ROWS)
    const byName = new Map(back.table.columns.map((c) => [c.name, c]))
    assert.deepEqual([...byName.keys()].sort(), expected.map((c) => c.name).sort(), 'the columns of the metadata, no more')
    for (const column of expected) {
      const written = defined(byName.get(column.name), `the written column ${column.name}`)
      assert.equal(written.partition, column.partition, `${column.name} is a partition column exactly when it was one`)
      // Partition types are inferred from folder names on reading, as Spark does; file columns keep theirs.
      if (!column.partition) assert.equal(sparkTypeDdl(written.sparkType), column.sparkType, `${column.name} keeps its Spark type`)
    }
    if (source.table.columns.some((c) => c.partition)) {
      assert.ok(
        (await readdir(data)).some((entry) => /^[^=]+=.+$/.test(entry)),
        'key=value folders',
      )
    }

    const parts = (await listFiles(data)).filter((file) => file.endsWith('.parquet'))
    let rows = 0
    for (const part of parts) {
      assert.match(path.basename(part), /^part-\d{5}-[0-9a-f-]{36}-c000\.snappy\.parquet$/)
      rows += (await readWithParquetWasm(part)).numRows
      const bytes = await readFile(part)
      const metadataOfFile = await parquetMetadataAsync(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
      for (const chunk of metadataOfFile.row_groups[0].columns) {
        const column = expected.find((c) => c.name === chunk.meta_data?.path_in_schema[0])
        if (column?.sparkType === 'string')
          assert.ok(chunk.meta_data?.encodings.includes('RLE_DICTIONARY'), `${column.name} is dictionary encoded`)
      }
    }
    assert.equal(rows, ROWS, 'parquet-wasm reads every row')

    await promisify(execFile)('python3', [
      '-m',
      'py_compile',
      path.join(output, 'reload_synthetic.py'),
      path.join(output, 'take_sample.py'),
    ])
    if (result.report) {
      const report = parseQualityReport(await readFile(path.join(output, 'quality-report.json'), 'utf8'))
      assert.equal(report.columns.length, result.report.columns.length)
      assert.ok(report.scores.columnShapes > 0 && report.scores.columnShapes <= 1)
      // Values within the real ranges and categories, keys unique, every column with its type.
      assert.deepEqual(
        [report.diagnostic.validity, report.diagnostic.structure],
        [1, 1],
        JSON.stringify(report.diagnostic.columns.filter((c) => c.score < 1)),
      )
    } else {
      assert.match(result.reportSkipped ?? '', /nothing to compare/, 'a report is skipped only when no column is learned')
    }
  })
}

test('rows drawn by the sampling threads are the rows drawn in process, batch for batch', async () => {
  const dir = await tempDir()
  const model = path.join(dir, 'model')
  await runTrainJob({ input: path.join(SPARK_TABLES, 'http_requests'), output: model, epochs: 2, backend: 'wasm' })
  const rows = 250_000
  const inProcess = await generateSynthetic({
    model,
    rows,
    output: path.join(dir, 'one'),
    seed: 4,
    backend: 'wasm',
    report: false,
    threads: 0,
  })
  const pooled = await generateSynthetic({
    model,
    rows,
    output: path.join(dir, 'pool'),
    seed: 4,
    backend: 'wasm',
    report: false,
    threads: 2,
  })
  assert.equal(inProcess.threads, 0)
  assert.equal(pooled.threads, 2, 'two threads drew the batches')
  const read = async (name: string) =>
    (await sampleDataset(path.join(dir, name, 'data'), { rows, columns: ['EdgeStartTimestamp', 'EdgeResponseBytes', 'date'] })).table
  const [a, b] = [await read('one'), await read('pool')]
  assert.equal(a.rowCount, rows)
  const rowsOf = (table: typeof a) =>
    Array.from({ length: table.rowCount }, (_, r) => JSON.stringify(table.values.map((column) => column[r]))).sort()
  assert.deepEqual(rowsOf(b), rowsOf(a))
})
