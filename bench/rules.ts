// The cost of business rules: Adult trained with its detected rules (plus a unique key the real rows repeat,
// kept only by redrawing) and without any, then 500,000 rows sampled from each in this process.
// Usage: node --import tsx bench/rules.ts
import path from 'node:path'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { Synthesizer } from '../src/core/model/synthesizer.ts'
import { loadTensorFlow } from '../src/core/model/tensorflow.ts'
import { scoreQuality } from '../src/core/quality/score.ts'
import { describeRule, type Rule } from '../src/core/rules/rule.ts'
import { formatCount } from '../src/core/formatCount.ts'

const ROWS = 500_000
const BATCH = 100_000
const { tf, backend } = await loadTensorFlow()
const { summary, table } = await sampleDataset(path.resolve(import.meta.dirname, '..', 'examples', 'adult'), { rows: 20_000, seed: 4 })
const extracted = extractMetadata(summary, table)
const unique: Rule = { kind: 'unique', columns: ['age', 'fnlwgt'], status: 'accepted', origin: 'user' }
const rules = [...(extracted.rules ?? []), unique]

console.log(`## Business rules: Adult, 20,000 training rows, ${formatCount(ROWS)} rows sampled (${backend}, one thread)`)
console.log(`- rules: ${rules.map(describeRule).join('; ')}`)
const measured = []
for (const [name, document] of [
  ['without rules', { ...extracted, rules: undefined }],
  ['with the rules', { ...extracted, rules }],
] as const) {
  const { synthesizer } = await Synthesizer.train(tf, table, document, { epochs: 10, seed: 1 })
  const stream = synthesizer.stream(2)
  const started = performance.now()
  let first
  for (let index = 0; index < ROWS / BATCH; index++) {
    const batch = stream.decode(BATCH, synthesizer.draw(BATCH, stream.modelSeed(index)))
    first ??= batch
  }
  const seconds = (performance.now() - started) / 1000
  const quality = scoreQuality(table, first ?? table, extracted.columns)
  measured.push(seconds)
  console.log(
    `- ${name}: ${seconds.toFixed(1)} s (${formatCount(Math.round(ROWS / seconds))} rows/s), ${formatCount(stream.redrawn())} rows drawn again, column shapes ${quality.columnShapes.toFixed(3)}, pair trends ${quality.columnPairTrends.toFixed(3)} (first ${formatCount(BATCH)} rows)`,
  )
  synthesizer.dispose()
}
console.log(`- sampling time with rules / without: ${(measured[1] / measured[0]).toFixed(2)}`)
