// One measured run in its own process, so that peak RSS belongs to it alone.
// Usage: node --import tsx bench/readSample.ts <ours|engine> <file> <rows>
import { parquetRead } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { openFileBuffer } from '../src/core/io/fileBuffer.ts'

const [mode, file, rows] = process.argv.slice(2)
const started = performance.now()
let values = 0
if (mode === 'ours') {
  const { table } = await sampleDataset(file, { rows: Number(rows), seed: 1 })
  values = table.rowCount * table.columns.length
} else {
  // The bare engine reading every row of the same columns, column-wise, no sampling.
  const buffer = await openFileBuffer(file)
  await parquetRead({ file: buffer, compressors, utf8: false, onChunk: (chunk) => (values += chunk.columnData.length) })
  await buffer.close()
}
const seconds = (performance.now() - started) / 1000
process.stdout.write(JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, values }))
