/**
 * What the TypeScript sampler makes from a model folder, as JSON on stdout, for the Python port's
 * parity tests (python/tests/test_python_sampler.py):
 *   node --import tsx test/support/modelDraws.ts <model-dir> <seed> <rows> [<rows>…] [--where col=value]…
 * One entry per batch of a stream with <seed>: the network's draw (slots, offsets), the decoded rows,
 * and the network's output for the batch's drawn rows fed back as its input; with --where, also
 * `where`: as many rows as the first batch, sampled with <seed> under the conditions; `redrawn`: the rows the
 * stream's rule guard drew again.
 */
import type * as TF from '@tensorflow/tfjs'
import { parseArgs } from 'node:util'
import type { Cell, Table } from '../../src/core/io/table.ts'
import { denseRows, sparseRows } from '../../src/core/model/layers.ts'
import type { Batch } from '../../src/core/model/made.ts'
import { loadModel } from '../../src/core/model/modelFolder.ts'
import { loadTensorFlow } from '../../src/core/model/tensorflow.ts'

const { values: options, positionals } = parseArgs({ allowPositionals: true, options: { where: { type: 'string', multiple: true } } })
const [folder, seedText, ...batchTexts] = positionals
const where = Object.fromEntries(
  (options.where ?? []).map((condition) => [condition.slice(0, condition.indexOf('=')), condition.slice(condition.indexOf('=') + 1)]),
)
const { tf, backend } = await loadTensorFlow()
const { synthesizer } = await loadModel(tf, folder)
const { inputs, columns } = synthesizer.describe().network
/** The forward pass is the network's own, which `Made` keeps private; it reads the input by its nonzero entries. */
const network = synthesizer.model as unknown as { forward(batch: Pick<Batch, 'sparse'>): TF.Tensor2D }
const offsetPositions = columns.filter((head) => head.modes > 0).map((head) => head.inputStart + head.logitCount)
const stream = synthesizer.stream(Number(seedText))

/** Dates as their milliseconds, tagged, so that they stay apart from strings and numbers. */
const cellJson = (cell: Cell) => (cell instanceof Date ? { ms: cell.getTime() } : cell)
const tableJson = (table: Table) => Object.fromEntries(table.columns.map((column, c) => [column.name, table.values[c].map(cellJson)]))

const batches = batchTexts.map((text, index) => {
  const rows = Number(text)
  const draw = synthesizer.draw(rows, stream.modelSeed(index))
  const table = stream.decode(rows, draw)
  // The drawn rows as the network's input: each column's one-hot slot, then its offset in a mode.
  const hot = new Int32Array(rows * columns.length)
  const offsetValues = new Float32Array(rows * offsetPositions.length)
  let offsetColumn = 0
  columns.forEach((head, c) => {
    const offsets = draw.offsets[c]
    if (head.modes > 0 && !offsets) throw new Error(`column ${c} has ${head.modes} modes but the draw gave it no offsets`)
    for (let r = 0; r < rows; r++) {
      const slot = draw.slots[c][r]
      hot[r * columns.length + c] = head.inputStart + slot
      if (offsets && slot >= head.spikes) {
        offsetValues[r * offsetPositions.length + offsetColumn] = offsets[r]
      }
    }
    if (head.modes > 0) offsetColumn++
  })
  const input = denseRows(hot, offsetValues, rows, inputs, offsetPositions)
  // A model that learns no column (every one computed or made up) has no network to run: its output is empty.
  const output =
    columns.length === 0
      ? Array.from({ length: rows }, () => [])
      : tf.tidy(() => network.forward({ sparse: sparseRows(tf, hot, offsetValues, rows, inputs, offsetPositions) }).arraySync())
  return {
    slots: draw.slots.map((s) => Array.from(s)),
    offsets: draw.offsets.map((o) => (o ? Array.from(o) : null)),
    rows: tableJson(table),
    input: Array.from({ length: rows }, (_, r) => Array.from(input.subarray(r * inputs, (r + 1) * inputs))),
    output,
  }
})
const conditioned = options.where ? tableJson(synthesizer.sampleWhere(Number(batchTexts[0]), Number(seedText), where)) : null
process.stdout.write(JSON.stringify({ backend, batches, redrawn: stream.redrawn(), where: conditioned }))
