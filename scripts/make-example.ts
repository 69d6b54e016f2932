// Writes the embedded default data set, examples/adult/, from the UCI Adult CSV: a Spark-style
// output folder (two snappy part files and _SUCCESS) so that the demo and the first run of the
// extension need nothing outside the clone. Run: npx tsx scripts/make-example.ts <adult.csv>
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { sampleDataset } from '../src/core/io/dataset.ts'

const source = process.argv[2] ?? '../shared/data/adult.csv'
const target = path.resolve('examples', 'adult')
// A budget above the row count takes every row, in file order.
const { table } = await sampleDataset(source, { rows: Number.MAX_SAFE_INTEGER })

await rm(target, { recursive: true, force: true })
await mkdir(target, { recursive: true })
const uuid = randomUUID()
const half = Math.ceil(table.rowCount / 2)
for (const [part, start, end] of [
  [0, 0, half],
  [1, half, table.rowCount],
] as const) {
  const buffer = parquetWriteBuffer({
    columnData: table.columns.map((column, c) => ({
      name: column.name,
      data: table.values[c].slice(start, end) as (string | number)[],
      type: column.sparkType.id === 'int' ? 'INT32' : 'STRING',
      nullable: false,
    })),
    codec: 'SNAPPY',
    createdBy: 'spark-synth make-example (UCI Adult)',
  })
  await writeFile(path.join(target, `part-0000${part}-${uuid}-c000.snappy.parquet`), new Uint8Array(buffer))
}
await writeFile(path.join(target, '_SUCCESS'), '')
console.log(`wrote ${target}`)
