/** Training as the CLI and the editor run it, on a real table: the holdout's loss per epoch and the model sizes. */
import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { defaultMetadataPath, writeMetadataFile } from '../src/core/meta/metadataFile.ts'
import { runTrainJob } from '../src/core/model/trainJob.ts'
import { runInWorker } from '../src/host/workerClient.ts'
import type { WorkerToHost } from '../src/protocol/worker.ts'
import { ROOT, tempDir } from './helpers.ts'
import { writeSmallTable } from './support/smallTable.ts'

const WORKER = path.join(ROOT, 'dist', 'worker.cjs')

interface Manifest {
  readonly model: { readonly hidden: readonly number[] }
  readonly training: { readonly epochs: readonly Record<string, unknown>[] }
  readonly weights: readonly { readonly shape: readonly number[] }[]
}

async function manifestOf(model: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(model, 'model.json'), 'utf8')) as Manifest
}

/** The float32 values weights.bin holds, counted from its size, and the count the manifest's shapes list. */
async function weightCount(model: string): Promise<number> {
  const { weights } = await manifestOf(model)
  const listed = weights.reduce((sum, { shape }) => sum + shape.reduce((a, b) => a * b, 1), 0)
  assert.equal((await stat(path.join(model, 'weights.bin'))).size, listed * 4, 'weights.bin holds what the manifest lists')
  return listed
}

test("the worker's epoch messages carry the holdout's loss beside the training loss, and the epoch's duration", async () => {
  const input = await writeSmallTable()
  const model = path.join(await tempDir(), 'model')
  const epochs: Extract<WorkerToHost, { type: 'epoch' }>[] = []
  await runInWorker(
    WORKER,
    { type: 'train', input, output: model, seed: 1, epochs: 2, backend: 'auto' },
    { epoch: (message) => epochs.push(message) },
  ).result
  assert.deepEqual(
    epochs.map((e) => e.epoch),
    [1, 2],
  )
  for (const epoch of epochs) {
    const holdoutLoss = epoch.holdoutLoss
    assert.ok(holdoutLoss !== undefined && Number.isFinite(holdoutLoss), `epoch ${epoch.epoch}: a finite holdout loss`)
    assert.notEqual(holdoutLoss, epoch.loss, 'measured on other rows than the training loss')
    assert.ok(epoch.seconds > 0)
  }
  // The manifest keeps them (no differential privacy here).
  const saved = (await manifestOf(model)).training.epochs
  assert.deepEqual(
    saved.map((e) => e.holdoutLoss),
    epochs.map((e) => e.holdoutLoss),
  )
})

test('a sample that keeps no rows out reports no holdout loss', async () => {
  const { epochs } = await runTrainJob({
    input: await writeSmallTable(),
    output: path.join(await tempDir(), 'model'),
    seed: 1,
    epochs: 1,
    holdoutShare: 0,
    backend: 'auto',
  })
  assert.equal(epochs.length, 1)
  assert.equal(epochs[0].holdoutLoss, undefined)
})

test('a DP model shows the holdout loss while training but stores neither loss', async () => {
  const model = path.join(await tempDir(), 'model')
  const { epochs, privacy } = await runTrainJob({
    input: await writeSmallTable(2000),
    output: model,
    seed: 1,
    epochs: 2,
    epsilon: 8,
    backend: 'auto',
  })
  assert.ok(privacy)
  assert.ok(epochs.every((epoch) => Number.isFinite(epoch.holdoutLoss)))
  for (const saved of (await manifestOf(model)).training.epochs) {
    assert.equal(saved.loss, null)
    assert.ok(!('holdoutLoss' in saved), 'no holdout loss in a DP model folder')
  }
})

test("the model size sets the network's widths: the flag over the document's choice over the default", async () => {
  const input = await writeSmallTable()
  const { summary, table } = await sampleDataset(input)
  await writeMetadataFile({ ...extractMetadata(summary, table), training: { epochs: 1, modelSize: 'large' } }, defaultMetadataPath(input))
  const folder = await tempDir()
  const train = async (name: string, modelSize?: 'small' | 'medium') => {
    const output = path.join(folder, name)
    const { epochs } = await runTrainJob({ input, output, seed: 1, backend: 'auto', ...(modelSize ? { modelSize } : {}) })
    assert.equal(epochs.length, 1, "the document's epochs")
    return { hidden: (await manifestOf(output)).model.hidden, weights: await weightCount(output) }
  }
  const large = await train('large')
  const medium = await train('medium', 'medium')
  const small = await train('small', 'small')
  assert.deepEqual(large.hidden, [256, 256], "the document's size where the job is silent")
  assert.deepEqual(medium.hidden, [128, 128])
  assert.deepEqual(small.hidden, [64, 64], 'the flag over the document')
  assert.ok(small.weights < medium.weights && medium.weights < large.weights, `${small.weights} < ${medium.weights} < ${large.weights}`)
  // Between the two hidden layers alone: 64², 128², 256².
  assert.ok(large.weights - medium.weights > 256 * 256 - 128 * 128)
})
