// One measured write in its own process. Usage: node --import tsx bench/writeRows.ts <ours|engine> <rows> <dir>
// Rows are Adult rows repeated up to the count, built batch by batch, so only writing is measured.
import path from 'node:path'
import { parquetWriteFile } from 'hyparquet-writer/src/node.js'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { SparkFolderWriter, parquetElement } from '../src/core/io/sparkWriter.ts'
import { takeRows, type Table } from '../src/core/io/table.ts'

const [mode, rowsText, dir] = process.argv.slice(2)
const rows = Number(rowsText)
const { table } = await sampleDataset(path.resolve(import.meta.dirname, '..', 'examples', 'adult'), { rows: Number.MAX_SAFE_INTEGER })
const batchOf = (start: number, count: number): Table =>
  takeRows(
    table,
    Array.from({ length: count }, (_, i) => (start + i) % table.rowCount),
  )
const BATCH = 100_000
const started = performance.now()
if (mode === 'ours') {
  const writer = await SparkFolderWriter.open(path.join(dir, 'ours'), table.columns, { overwrite: true })
  for (let done = 0; done < rows; done += BATCH) writer.write(batchOf(done, Math.min(BATCH, rows - done)))
  await writer.commit()
} else {
  // The bare engine given the whole table at once, with the same schema and codec.
  const whole = batchOf(0, rows)
  const schema = [
    { name: 'spark_schema', num_children: whole.columns.length },
    ...whole.columns.map((c) => parquetElement(c.name, c.sparkType, c.nullable)),
  ]
  parquetWriteFile({
    filename: path.join(dir, 'engine.parquet'),
    schema,
    codec: 'SNAPPY',
    rowGroupSize: BATCH,
    columnData: whole.columns.map((c, i) => ({ name: c.name, data: whole.values[i] })) as never,
  })
}
process.stdout.write(
  JSON.stringify({ seconds: (performance.now() - started) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, values: rows }),
)
