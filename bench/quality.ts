// The synthesizer's quality bar on Adult (issue figures) and what it learns on the Spark tables.
// Run by bench/run.ts; prints markdown. Nothing is asserted: figures are printed beside the
// marginals baseline computed in the same run.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sampleDataset } from '../src/core/io/dataset.ts'
import type { Table } from '../src/core/io/table.ts'
import { extractMetadata, type ColumnMeta } from '../src/core/meta/document.ts'
import { SparkFolderWriter } from '../src/core/io/sparkWriter.ts'
import { saveModel } from '../src/core/model/modelFolder.ts'
import { Synthesizer } from '../src/core/model/synthesizer.ts'
import { generateSynthetic } from '../src/core/output/syntheticRun.ts'
import { loadTensorFlow, type Tf } from '../src/core/model/tensorflow.ts'
import { sampleIndependentMarginals } from '../src/core/quality/baseline.ts'
import { scorePrivacy } from '../src/core/quality/privacy.ts'
import { scoreQuality } from '../src/core/quality/score.ts'
import { splitTrainHoldout } from '../src/core/quality/split.ts'
import { classifierAuc } from '../src/core/quality/utility.ts'
import { formatCount } from '../src/core/formatCount.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const SHARED = path.resolve(ROOT, '..', 'shared', 'data')
const { tf, backend } = await loadTensorFlow((process.argv[2] as 'auto' | undefined) ?? 'auto')
const seconds = (from: number) => (performance.now() - from) / 1000

async function judge(
  tf: Tf,
  name: string,
  train: Table,
  holdout: Table,
  synthetic: Table,
  columns: readonly ColumnMeta[],
  realAuc: number,
) {
  const quality = scoreQuality(train, synthetic, columns)
  const auc = await classifierAuc(tf, synthetic, holdout, train, columns, { target: 'income', positive: '>50K' })
  const privacy = scorePrivacy(train, holdout, synthetic, columns, { seed: 1 })
  return { name, quality, auc, ratio: auc / realAuc, privacy }
}

console.log(`## Synthesizer quality on Adult (backend ${backend})\n`)
const { summary, table } = await sampleDataset(path.join(SHARED, 'adult.csv'), { rows: Number.MAX_SAFE_INTEGER })
const { train, holdout } = splitTrainHoldout(table, 0.8, 0)
const columns = extractMetadata(summary, train).columns
const document = { ...extractMetadata(summary, train), columns }
const realAuc = await classifierAuc(tf, train, holdout, train, columns, { target: 'income', positive: '>50K' })

const trainStarted = performance.now()
const { synthesizer, epochs } = await Synthesizer.train(tf, train, document, { seed: 0 })
const trainSeconds = seconds(trainStarted)
const sampleStarted = performance.now()
const synthetic = synthesizer.sample(train.rowCount, 1)
const sampleSeconds = seconds(sampleStarted)
// Where the milliseconds of 100,000 rows go: the network's draw, decoding it, writing it.
const stream = synthesizer.stream(2)
const drawStarted = performance.now()
const draw = synthesizer.draw(100_000, stream.modelSeed(0))
const drawSeconds = seconds(drawStarted)
const decodeStarted = performance.now()
const decodedBatch = stream.decode(100_000, draw)
const decodeSeconds = seconds(decodeStarted)
const scratch = await mkdtemp(path.join(tmpdir(), 'spark-synth-bench-'))
const writeStarted = performance.now()
const writer = await SparkFolderWriter.open(path.join(scratch, 'written'), decodedBatch.columns)
writer.write(decodedBatch)
await writer.commit()
const writeSeconds = seconds(writeStarted)
// End to end, as `spark-synth sample` runs: 1,000,000 rows generated and written, in this thread and with the sampling threads.
const model = path.join(scratch, 'model')
await saveModel(model, synthesizer, { backend, rows: train.rowCount, epochs })
const generated = []
for (const threads of [0, undefined]) {
  const result = await generateSynthetic({
    model,
    rows: 1_000_000,
    output: path.join(scratch, `out-${threads ?? 'pool'}`),
    seed: 3,
    backend,
    report: false,
    threads,
  })
  generated.push(result)
}
await rm(scratch, { recursive: true, force: true })

const results = [
  await judge(tf, 'spark-synth (MADE)', train, holdout, synthetic, columns, realAuc),
  await judge(tf, 'independent marginals', train, holdout, sampleIndependentMarginals(train, train.rowCount, 1), columns, realAuc),
]
const mark = (ok: boolean) => (ok ? '✓' : '✗')
console.log(`Split: seeded shuffle (seed 0), ${train.rowCount} train / ${holdout.rowCount} holdout rows; synthetic rows = train rows.`)
console.log(`Classifier (MLP 64, 10 epochs) trained on real rows: holdout AUC ${realAuc.toFixed(4)}\n`)
console.log(
  '| synthesizer | column shapes (≥ 0.97) | column pair trends (≥ 0.97) | TSTR AUC | ratio to real (≥ 0.98) | closer to train (≤ 0.53) | exact copies (≤ 0.5 %) |',
)
console.log('|---|---|---|---|---|---|---|')
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.quality.columnShapes.toFixed(4)} ${mark(r.quality.columnShapes >= 0.97)} | ${r.quality.columnPairTrends.toFixed(4)} ${mark(r.quality.columnPairTrends >= 0.97)} | ${r.auc.toFixed(4)} | ${r.ratio.toFixed(4)} ${mark(r.ratio >= 0.98)} | ${r.privacy.closerToTrainShare.toFixed(4)} ${mark(r.privacy.closerToTrainShare <= 0.53)} | ${(r.privacy.exactCopyShare * 100).toFixed(2)} % ${mark(r.privacy.exactCopyShare <= 0.005)} |`,
  )
}
const worst = [...results[0].quality.pairs].sort((a, b) => a.score - b.score).slice(0, 3)
console.log(`\nWeakest pairs: ${worst.map((p) => `${p.columns.join(' ~ ')} ${p.score.toFixed(3)}`).join(', ')}`)
const epochSeconds = epochs.map((e, i) => e.elapsedSeconds - (epochs[i - 1]?.elapsedSeconds ?? 0))
console.log(
  `\nSpeed: training ${trainSeconds.toFixed(1)} s (target ≤ 60 s) for ${epochs.length} epochs, ${(epochSeconds.reduce((s, v) => s + v, 0) / epochSeconds.length).toFixed(2)} s per epoch; ` +
    `encoding and setup ${(trainSeconds - (epochs.at(-1)?.elapsedSeconds ?? 0)).toFixed(1)} s. Sampling ${train.rowCount} rows ${sampleSeconds.toFixed(2)} s.`,
)
const rate = (rows: number, s: number) => `${formatCount(Math.round(rows / s))} rows/s`
console.log(
  `Sampling 100,000 rows: network draw ${drawSeconds.toFixed(2)} s, decoding ${decodeSeconds.toFixed(2)} s, writing ${writeSeconds.toFixed(2)} s (one thread).`,
)
console.log(
  `Generating and writing 1,000,000 rows (\`spark-synth sample\`, no report): ${rate(generated[0].rows, generated[0].seconds)} in one thread; ` +
    `${rate(generated[1].rows, generated[1].seconds)} with ${generated[1].threads} sampling threads (target ≥ 100,000).`,
)
synthesizer.dispose()

console.log('\n## What it learns on the Spark tables (default training, synthetic rows = sample rows)\n')
console.log('| table | rows | columns learned / generated / excluded | column shapes | column pair trends |')
console.log('|---|---|---|---|---|')
for (const name of (await readdir(path.join(SHARED, 'spark'))).sort()) {
  const sample = await sampleDataset(path.join(SHARED, 'spark', name))
  const meta = extractMetadata(sample.summary, sample.table)
  const trained = await Synthesizer.train(tf, sample.table, meta, { seed: 0 })
  const out = trained.synthesizer.sample(sample.table.rowCount, 1)
  const scores = scoreQuality(sample.table, out, meta.columns)
  const plans = trained.synthesizer.plans
  const learned = plans.filter((p) => p.source === 'learned' || p.source === 'derived').length
  console.log(
    `| ${name} | ${sample.table.rowCount} | ${learned} / ${plans.length - learned} / ${meta.columns.length - plans.length} | ${scores.columnShapes.toFixed(3)} | ${scores.columns.length > 1 ? scores.columnPairTrends.toFixed(3) : '–'} |`,
  )
  trained.synthesizer.dispose()
}
