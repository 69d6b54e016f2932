// The child process of the Files part: reads each input it is sent through the product's public
// entry and replies with what became of it. A crash, a hang or an out-of-memory ends this process,
// which the parent counts and restarts from (`isolatedReader.ts`).
import { SparkSynthError, describeCause } from '../../src/core/errors.ts'
import { sampleDataset } from '../../src/core/io/dataset.ts'
import { extractMetadata } from '../../src/core/meta/document.ts'
import type { ReadReply, ReadRequest } from './isolatedReader.ts'

/** Enough rows to decode pages of every row group a small file has, few enough to keep each input quick. */
const ROW_BUDGET = 200

async function readInput(input: string): Promise<Omit<ReadReply, 'peakRssMb'>> {
  try {
    const { summary, table } = await sampleDataset(input, { rows: ROW_BUDGET, seed: 1 })
    extractMetadata(summary, table)
    return { outcome: 'read' }
  } catch (error) {
    if (error instanceof SparkSynthError && error.message.includes(input)) return { outcome: 'refused' }
    const kind =
      error instanceof SparkSynthError ? 'SparkSynthError not naming the file' : error instanceof Error ? error.name : typeof error
    return { outcome: 'other', detail: `${kind}: ${describeCause(error)}` }
  }
}

process.on('message', (request: ReadRequest) => {
  void readInput(request.input).then((reply) => {
    process.send?.({ ...reply, peakRssMb: process.resourceUsage().maxRSS / 1024 } satisfies ReadReply)
  })
})
