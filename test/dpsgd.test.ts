import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { LEARNED_KINDS } from '../src/core/meta/kinds.ts'
import { encodeRows, fitEncoding } from '../src/core/model/encoding.ts'
import { DEFAULT_MADE, Made, batchTensors } from '../src/core/model/made.ts'
import { runTrainJob } from '../src/core/model/trainJob.ts'
import { loadTensorFlow } from '../src/core/model/tensorflow.ts'
import { epsilonFor, noiseMultiplierFor } from '../src/core/privacy/accountant.ts'
import { defaultDelta, gaussianNoise, type PrivacyRecord } from '../src/core/privacy/dpsgd.ts'
import { splitBudget } from '../src/core/privacy/encodingBudget.ts'
import { parseQualityReport } from '../src/core/report/index.ts'
import { EXAMPLE_ADULT, runCli, tempDir } from './helpers.ts'

const { tf } = await loadTensorFlow('cpu')

/** The parts of model.json this file reads. */
interface TrainingManifest {
  readonly training: { readonly rows: number; readonly privacy: PrivacyRecord }
}

test("per-row gradients: each row's norm and the clipped sum match a loop of tf.grads over single rows", async () => {
  const { summary, table } = await sampleDataset(EXAMPLE_ADULT, { rows: 300, seed: 5 })
  const document = extractMetadata(summary, table)
  // Categorical and numeric columns, so that log σ and the offsets take part.
  const columns = document.columns.filter((c) => LEARNED_KINDS.has(c.kind)).slice(0, 5)
  assert.ok(columns.some((c) => c.kind === 'categorical') && columns.some((c) => c.kind !== 'categorical'))
  const encoding = fitEncoding(table, columns, 1)
  const made = new Made(tf, encoding, { ...DEFAULT_MADE, hidden: [12, 10] })
  const data = encodeRows(encoding, table, 2)
  const rows = Array.from({ length: 24 }, (_, i) => i * 7)

  const perRow = rows.map((row) => {
    const batch = made.batchOf(data, [row])
    const grads = made.gradients(batch)
    const values = grads.map((g) => g.dataSync() as Float32Array)
    tf.dispose([...grads, ...batchTensors(batch)])
    return values
  })
  const norms = perRow.map((grads) => Math.sqrt(grads.reduce((sum, g) => sum + g.reduce((s, v) => s + v * v, 0), 0)))
  // A clip norm between the rows' norms, so that some rows are clipped and some are not.
  const clipNorm = [...norms].sort((a, b) => a - b)[rows.length / 2]
  assert.ok(Math.min(...norms) < clipNorm && clipNorm < Math.max(...norms))

  const batch = made.batchOf(data, rows)
  const result = made.clippedGradientSum(batch, clipNorm)
  const computedNorms = result.norms.dataSync()
  norms.forEach((norm, i) => {
    assert.ok(Math.abs(computedNorms[i] - norm) <= 1e-4 * norm, `row ${rows[i]}: ${computedNorms[i]} vs ${norm}`)
  })
  result.sums.forEach((sum, v) => {
    const computed = sum.dataSync()
    const expected = new Float64Array(computed.length)
    perRow.forEach((grads, i) => {
      const factor = Math.min(1, clipNorm / (norms[i] + 1e-6))
      grads[v].forEach((g, j) => {
        expected[j] += g * factor
      })
    })
    const scale = Math.max(1e-6, ...expected.map(Math.abs))
    const worst = Math.max(...computed.map((c, j) => Math.abs(c - expected[j])))
    assert.ok(worst <= 1e-4 * scale, `weight ${v}: off by ${worst} at scale ${scale}`)
  })
  tf.dispose([result.norms, result.loss, ...result.sums, ...batchTensors(batch)])
})

test('the noise is standard normal and not seeded: two draws differ', () => {
  const draws = gaussianNoise(200_001)
  const mean = draws.reduce((s, v) => s + v, 0) / draws.length
  const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length
  assert.ok(Math.abs(mean) < 0.01 && Math.abs(variance - 1) < 0.02, `mean ${mean}, variance ${variance}`)
  assert.notDeepEqual(gaussianNoise(8), gaussianNoise(8))
})

test('a time budget that stops DP training early records the smaller ε the network’s steps taken spent', async () => {
  const dir = await tempDir()
  const result = await runTrainJob({
    input: EXAMPLE_ADULT,
    output: path.join(dir, 'model'),
    rows: 2000,
    epochs: 50,
    timeBudgetSeconds: 0.001,
    epsilon: 2,
    backend: 'cpu',
  })
  const privacy = result.privacy
  assert.ok(privacy)
  assert.equal(result.epochs.length, 1)
  const batches = Math.floor(result.rows / DEFAULT_MADE.batchSize)
  assert.equal(privacy.steps, batches)
  assert.ok(Math.abs(privacy.delta - defaultDelta(result.rows)) < 1e-15)
  const network = splitBudget({ epsilon: 2, delta: defaultDelta(result.rows) }).network
  assert.equal(privacy.network.delta, network.delta)
  const planned = noiseMultiplierFor({
    ...network,
    samplingRate: privacy.samplingRate,
    steps: 50 * batches,
    tolerance: 1e-7 * network.epsilon,
  })
  assert.equal(privacy.noiseMultiplier, planned)
  const spent = epsilonFor({ noiseMultiplier: planned, samplingRate: privacy.samplingRate, steps: batches, delta: network.delta })
  assert.equal(privacy.network.epsilon, spent.epsilon)
  assert.equal(privacy.epsilon, privacy.encodings.epsilon + spent.epsilon)
  assert.ok(privacy.network.epsilon < 0.5, `one epoch of fifty spends ε ${privacy.network.epsilon}`)
  const manifest = JSON.parse(await readFile(path.join(dir, 'model', 'model.json'), 'utf8')) as TrainingManifest
  assert.deepEqual(manifest.training.privacy, privacy)
})

test('CLI train --epsilon 4 states the whole model’s (ε = 4, δ) and its split in the manifest and the log, with the accountant’s noise', async () => {
  const dir = await tempDir()
  const model = path.join(dir, 'model')
  const trained = await runCli('train', EXAMPLE_ADULT, '-o', model, '--rows', '3000', '--epochs', '2', '--epsilon', '4')
  assert.equal(trained.code, 0, trained.stderr)
  const { training } = JSON.parse(await readFile(path.join(model, 'model.json'), 'utf8')) as TrainingManifest
  const { privacy } = training
  assert.equal(training.rows, 3000)
  assert.equal(privacy.scope, 'model')
  assert.ok(Math.abs(privacy.delta - 1 / 30_000) < 1e-15)
  assert.equal(privacy.clipNorm, 1)
  assert.equal(privacy.samplingRate, 512 / 3000)
  assert.equal(privacy.steps, 2 * 5)
  assert.ok(Math.abs(privacy.epsilon - 4) < 1e-6, `ε ${privacy.epsilon}`)
  assert.deepEqual(privacy.network.delta, 1 / 60_000)
  const network = { epsilon: 3, delta: 1 / 60_000 }
  assert.equal(
    privacy.noiseMultiplier,
    noiseMultiplierFor({ ...network, samplingRate: 512 / 3000, steps: 10, tolerance: 1e-7 * network.epsilon }),
  )
  assert.match(
    trained.stdout,
    /differential privacy: \(ε = 4\.00, δ = 3\.3e-5\) for the whole model: the encodings \(ε = 1\.00, δ = 1\.7e-5/,
  )
  assert.match(trained.stdout, /network's weights \(ε = 3\.00, δ = 1\.7e-5: DP-SGD/)
  // The report states the guarantee in its verdict and its figures.
  const output = path.join(dir, 'synthetic')
  const sampled = await runCli('sample', model, '-n', '500', '-o', output)
  assert.equal(sampled.code, 0, sampled.stderr)
  const report = parseQualityReport(await readFile(path.join(output, 'quality-report.json'), 'utf8'))
  assert.deepEqual(report.privacy.differentialPrivacy, { epsilon: privacy.epsilon, delta: privacy.delta, scope: privacy.scope })
  assert.match(sampled.stdout, /^privacy verdict: .*\(ε = 4, δ = 3\.3e-5\)-differentially private\./m)

  const deltaAlone = await runCli('train', EXAMPLE_ADULT, '-o', path.join(dir, 'none'), '--delta', '1e-5')
  assert.notEqual(deltaAlone.code, 0)
  assert.match(deltaAlone.stderr, /--delta needs --epsilon/)
})
