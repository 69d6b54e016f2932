// The cost of differential privacy on Adult, and what each arm leaks: the same training rows and holdout for a run
// without DP and DP-SGD runs at ε = 10, 4 and 1 (δ default). Run by bench/run.ts after quality, or alone:
// node --import tsx bench/privacy.ts [backend]. Prints markdown; nothing is asserted.
import path from 'node:path'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { takeRows } from '../src/core/io/table.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { Synthesizer } from '../src/core/model/synthesizer.ts'
import { loadTensorFlow } from '../src/core/model/tensorflow.ts'
import { Random, sampleIndices } from '../src/core/random.ts'
import { membershipAuc } from '../src/core/quality/membership.ts'
import { scorePrivacy } from '../src/core/quality/privacy.ts'
import { scoreQuality } from '../src/core/quality/score.ts'
import { splitTrainHoldout } from '../src/core/quality/split.ts'
import { classifierAuc } from '../src/core/quality/utility.ts'
import { formatCount } from '../src/core/formatCount.ts'

const SHARED = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data')
/** Small enough that four trainings fit in about ten minutes on two cores; the default epochs still see 600,000 rows. */
const TRAIN_ROWS = 8000
const HOLDOUT_ROWS = 8000
const ARMS: readonly (number | undefined)[] = [undefined, 10, 4, 1]
const UTILITY = { target: 'income', positive: '>50K' }

const { tf, backend } = await loadTensorFlow((process.argv[2] as 'auto' | undefined) ?? 'auto')
const { summary, table } = await sampleDataset(path.join(SHARED, 'adult.csv'), { rows: Number.MAX_SAFE_INTEGER })
const { train, holdout: rest } = splitTrainHoldout(table, TRAIN_ROWS / table.rowCount, 0)
const holdout = takeRows(rest, sampleIndices(rest.rowCount, HOLDOUT_ROWS, new Random(1)))
const document = extractMetadata(summary, train)
const { columns } = document
const realAuc = await classifierAuc(tf, train, holdout, train, columns, UTILITY)

console.log(`## Differential privacy on Adult: quality and leakage (backend ${backend})\n`)
console.log(
  `${formatCount(train.rowCount)} training rows and ${formatCount(holdout.rowCount)} holdout rows of adult.csv, the same for every arm ` +
    `(seeded shuffle, seed 0); default epochs for the size; as many synthetic rows as training rows. Classifier (MLP 64) trained on the real ` +
    `rows: holdout AUC ${realAuc.toFixed(4)}. ε covers the whole model: a quarter for the encodings (noisy counts, DP quantiles), ` +
    `the rest for DP-SGD. Membership inference: minus the distance to the closest synthetic row, ` +
    `AUC over training rows against as many holdout rows (0.5: no leak).\n`,
)
console.log(
  '| ε | δ | σ | epochs | train s | column shapes | pair trends | TSTR AUC ratio | closer to train | exact copies (holdout) | membership AUC |',
)
console.log('|---|---|---|---|---|---|---|---|---|---|---|')
for (const epsilon of ARMS) {
  const started = performance.now()
  const trained = await Synthesizer.train(tf, train, document, { seed: 0, ...(epsilon === undefined ? {} : { privacy: { epsilon } }) })
  const trainSeconds = (performance.now() - started) / 1000
  const synthetic = trained.synthesizer.sample(train.rowCount, 1)
  trained.synthesizer.dispose()
  const quality = scoreQuality(train, synthetic, columns)
  const ratio = (await classifierAuc(tf, synthetic, holdout, train, columns, UTILITY)) / realAuc
  const privacy = scorePrivacy(train, holdout, synthetic, columns, { seed: 1 })
  const attack = membershipAuc(train, holdout, synthetic, columns, { seed: 1 })
  const dp = trained.privacy
  const percent = (share: number) => `${(share * 100).toFixed(2)} %`
  console.log(
    `| ${dp ? dp.epsilon.toPrecision(3) : 'no DP'} | ${dp ? dp.delta.toExponential(2) : '–'} | ${dp ? dp.noiseMultiplier.toPrecision(3) : '–'} | ` +
      `${trained.epochs.length} | ${trainSeconds.toFixed(0)} | ${quality.columnShapes.toFixed(3)} | ${quality.columnPairTrends.toFixed(3)} | ` +
      `${ratio.toFixed(3)} | ${privacy.closerToTrainShare.toFixed(3)} | ${percent(privacy.exactCopyShare)} (${percent(privacy.holdoutCopyShare)}) | ` +
      `${attack.toFixed(3)} |`,
  )
}
