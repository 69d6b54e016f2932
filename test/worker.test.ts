import assert from 'node:assert/strict'
import { fork } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { parseMetadata } from '../src/core/meta/metadataFile.ts'
import { runInWorker, WorkerError, type WorkerRun } from '../src/host/workerClient.ts'
import { isHostToWorker, isWorkerToHost, type HostToWorker } from '../src/protocol/worker.ts'
import { EXAMPLE_ADULT, ROOT, tempDir } from './helpers.ts'

const WORKER = path.join(ROOT, 'dist', 'worker.cjs')
const FLIGHTS = path.join(ROOT, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet')

/** Kills the run's process as a crash or an out-of-memory would. */
function kill(run: WorkerRun): void {
  assert.ok(run.pid !== undefined, 'the worker started')
  process.kill(run.pid, 'SIGKILL')
}

test('protocol guards accept the declared messages and refuse anything else', () => {
  assert.ok(isHostToWorker({ type: 'extract', input: 'a', output: 'b', rows: 10, seed: 1 }))
  assert.ok(isHostToWorker({ type: 'cancel' }))
  assert.ok(isHostToWorker({ type: 'generate', model: 'm', rows: 10, output: 'o', seed: 1, backend: 'auto', report: false }))
  assert.ok(!isHostToWorker({ type: 'generate', model: 'm', rows: 10, output: 'o', seed: 1, backend: 'auto', report: 'no' }))
  assert.ok(isHostToWorker({ type: 'generate', model: 'm', rows: 10, output: 'o', seed: 1, backend: 'auto', format: 'delta' }))
  assert.ok(!isHostToWorker({ type: 'generate', model: 'm', rows: 10, output: 'o', seed: 1, backend: 'auto', format: 'orc' }))
  assert.ok(!isHostToWorker({ type: 'generate', model: 'm', rows: 10, output: 'o', seed: 1, backend: 'auto', format: null }))
  assert.ok(!isHostToWorker({ type: 'generate', model: 'm', rows: 10, output: 'o', backend: 'auto' }))
  assert.ok(isWorkerToHost({ type: 'rows', done: 5, total: 10 }))
  assert.ok(isWorkerToHost({ type: 'step', epoch: 1, epochs: 20, step: 8, steps: 51 }))
  assert.ok(!isWorkerToHost({ type: 'step', epoch: 1, epochs: 20, step: 8 }))
  assert.ok(!isHostToWorker({ type: 'extract', input: 'a', output: 'b', rows: '10', seed: 1 }))
  assert.ok(!isHostToWorker({ type: 'extract', input: 'a', output: 'b', rows: NaN, seed: 1 }))
  assert.ok(!isHostToWorker({ type: 'toString' }))
  assert.ok(!isHostToWorker(null))
  assert.ok(isWorkerToHost({ type: 'error', message: 'x', file: 'f' }))
  assert.ok(!isWorkerToHost({ type: 'error', message: 'x', file: 3 }))
  assert.ok(!isWorkerToHost({ type: 'done', output: 'x' }))
})

test('a real worker process extracts metadata, reporting progress', async () => {
  const output = path.join(await tempDir(), 'adult.synth-meta.json')
  const progress: string[] = []
  const run = runInWorker(
    WORKER,
    { type: 'extract', input: EXAMPLE_ADULT, output, rows: 2000, seed: 5 },
    { progress: (m) => progress.push(m) },
  )
  const done = await run.result
  assert.equal(done.columns, 15)
  assert.equal(done.sampleSize, 2000)
  assert.ok(progress.length >= 2, `progress: ${progress.join(' | ')}`)
  const document = parseMetadata(await readFile(output, 'utf8'), output)
  assert.equal(document.source.seed, 5)
})

test('bad input reaches the host as an error naming the file', async () => {
  const output = path.join(await tempDir(), 'x.json')
  const run = runInWorker(WORKER, { type: 'extract', input: '/no/such/folder', output, rows: 10, seed: 1 })
  await assert.rejects(
    run.result,
    (error: unknown) => error instanceof WorkerError && error.file === '/no/such/folder' && error.message.includes('no such file'),
  )
})

test('the worker logs an invalid message and, having no job yet, answers why it cannot run it', async () => {
  const child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] })
  const replies: unknown[] = []
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.on('message', (message) => replies.push(message))
  child.send({ type: 'extract', input: 42 })
  await exited
  const [log, error] = replies as { type: string; message: string }[]
  assert.equal(log.type, 'log')
  assert.match(log.message, /ignored an invalid message/)
  assert.equal(error.type, 'error')
  assert.match(error.message, /^the worker refused the job: input: .*string.*; output: .*; rows: .*; seed: /)
  assert.equal(replies.length, 2)
})

test('a job with a megabyte-long field is refused with a reason the host receives, shortened, before the worker exits', async () => {
  // Found by npm run fuzz: the refusal quoted the whole value and was lost when the worker disconnected.
  const run = runInWorker(WORKER, {
    type: 'extract',
    input: 'a',
    output: 'b',
    rows: 'x'.repeat(1 << 20),
    seed: 1,
  } as unknown as HostToWorker)
  await assert.rejects(run.result, (error: unknown) => {
    assert.ok(error instanceof WorkerError)
    assert.match(error.message, /^the worker refused the job: rows: /)
    assert.ok(error.message.length <= 2000, `${error.message.length} characters`)
    return true
  })
})

test('a real worker refuses a job for an unknown backend with an error naming it, rather than running on another', async () => {
  const dir = await tempDir()
  // What a typo in settings.json sends: the host passes the setting on unchecked.
  const jobs = [
    { type: 'train', input: EXAMPLE_ADULT, output: path.join(dir, 'model'), rows: 100, seed: 1, epochs: 1, backend: 'metal' },
    { type: 'generate', model: path.join(dir, 'model'), rows: 10, output: path.join(dir, 'out'), seed: 1, backend: 'gpu' },
  ] as unknown as HostToWorker[]
  for (const job of jobs) {
    const logs: string[] = []
    const run = runInWorker(WORKER, job, { log: (m) => logs.push(m) })
    await assert.rejects(run.result, (error: unknown) => {
      assert.ok(error instanceof WorkerError)
      assert.match(
        error.message,
        /^the worker refused the job: backend: unknown backend "(metal|gpu)": choose auto, tensorflow, wasm, cpu$/,
      )
      return true
    })
    assert.ok(
      logs.some((line) => line.startsWith('ignored an invalid message')),
      logs.join(' | '),
    )
  }
  assert.deepEqual(await readdir(dir), [], 'nothing trained or written')
})

test('a killed worker is a clear error, and a cancelled one leaves no output', async () => {
  const dir = await tempDir()
  const crashed = runInWorker(
    WORKER,
    { type: 'extract', input: FLIGHTS, output: path.join(dir, 'a.json'), rows: 2_000_000, seed: 1 },
    {
      progress: () => {
        kill(crashed)
      },
    },
  )
  await assert.rejects(crashed.result, /the worker stopped unexpectedly \(SIGKILL\)/)
  const cancelled = runInWorker(
    WORKER,
    { type: 'extract', input: FLIGHTS, output: path.join(dir, 'b.json'), rows: 2_000_000, seed: 1 },
    {
      progress: () => {
        cancelled.cancel()
      },
    },
  )
  await assert.rejects(cancelled.result, /cancelled/)
  assert.deepEqual(await readdir(dir), [])
})

test('a real worker trains a model, streaming epochs, and a cancelled run leaves no model', async () => {
  const dir = await tempDir()
  const model = path.join(dir, 'model')
  const epochs: number[] = []
  const warnings: string[] = []
  const run = runInWorker(
    WORKER,
    { type: 'train', input: EXAMPLE_ADULT, output: model, rows: 3000, seed: 1, epochs: 3, backend: 'auto' },
    { epoch: (e) => epochs.push(e.epoch), warning: (m) => warnings.push(m) },
  )
  const done = await run.result
  assert.deepEqual(epochs, [1, 2, 3])
  assert.equal(done.sampleSize, 3000)
  assert.deepEqual((await readdir(model)).sort(), ['model.json', 'weights.bin'])
  assert.deepEqual(warnings, [])
  // A sample too small to learn from without copying: the guard's warning reaches the host before any epoch.
  const order: string[] = []
  await runInWorker(
    WORKER,
    { type: 'train', input: EXAMPLE_ADULT, output: path.join(await tempDir(), 'small'), rows: 400, seed: 1, epochs: 1, backend: 'auto' },
    { warning: (m) => order.push(m), epoch: () => order.push('epoch') },
  ).result
  assert.equal(order.length, 2, order.join(' | '))
  assert.match(order[0], /^privacy warning: the model learns from only 400 rows/)
  assert.equal(order[1], 'epoch')

  const cancelledModel = path.join(dir, 'cancelled')
  // The host kills a worker that has not stopped a second after the cancel (see runInWorker).
  const steps: { epoch: number; step: number; steps: number }[] = []
  const cancelled = runInWorker(
    WORKER,
    { type: 'train', input: EXAMPLE_ADULT, output: cancelledModel, rows: 20_000, seed: 1, epochs: 50, backend: 'auto' },
    {
      step: (report) => {
        steps.push(report)
        cancelled.cancel()
      },
    },
  )
  await assert.rejects(cancelled.result, /cancelled/)
  assert.equal(steps[0].epoch, 1, 'progress within the first epoch')
  assert.ok(steps[0].step > 0 && steps[0].step < steps[0].steps, `step ${steps[0].step} of ${steps[0].steps}`)
  assert.deepEqual((await readdir(dir)).sort(), ['model'], 'no model folder and no temporary folder for the cancelled run')
})

test('a real worker generates an output folder, streaming rows; a cancelled or orphaned run leaves nothing', async () => {
  const dir = await tempDir()
  const model = path.join(dir, 'model')
  await runInWorker(WORKER, { type: 'train', input: EXAMPLE_ADULT, output: model, rows: 2000, seed: 1, epochs: 1, backend: 'auto' }).result
  const output = path.join(dir, 'synthetic')
  const rows: number[] = []
  const done = await runInWorker(
    WORKER,
    { type: 'generate', model, rows: 250_000, output, seed: 3, backend: 'auto', report: false },
    { rows: (n) => rows.push(n) },
  ).result
  assert.deepEqual(rows, [100_000, 200_000, 250_000])
  assert.equal(done.sampleSize, 250_000)
  assert.equal(done.columns, 15)
  assert.deepEqual((await readdir(output)).sort(), ['data', 'reload_synthetic.py', 'take_sample.py'])
  await runInWorker(WORKER, {
    type: 'generate',
    model,
    rows: 100,
    output: path.join(dir, 'delta'),
    seed: 3,
    format: 'delta',
    backend: 'auto',
    report: false,
  }).result
  assert.ok((await readdir(path.join(dir, 'delta', 'data'))).includes('_delta_log'), 'the format reaches the writer')

  const cancelled = runInWorker(
    WORKER,
    { type: 'generate', model, rows: 5_000_000, output: path.join(dir, 'cancelled'), seed: 3, backend: 'auto' },
    {
      rows: () => {
        cancelled.cancel()
      },
    },
  )
  await assert.rejects(cancelled.result, /cancelled/)
  assert.deepEqual((await readdir(dir)).sort(), ['delta', 'model', 'synthetic'], 'no output and no temporary folder for the cancelled run')

  // A host that goes away without a word (the window closed): the worker stops and cleans up.
  const orphan = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] })
  const exited = new Promise((resolve) => orphan.on('exit', resolve))
  orphan.on('message', (message: { type?: string }) => {
    if (message.type === 'rows') orphan.disconnect()
  })
  orphan.send({ type: 'generate', model, rows: 5_000_000, output: path.join(dir, 'orphaned'), seed: 3, backend: 'auto' })
  await exited
  assert.deepEqual((await readdir(dir)).sort(), ['delta', 'model', 'synthetic'])
})

test('a worker killed while training reaches the host as a clear error', async () => {
  const dir = await tempDir()
  const run = runInWorker(
    WORKER,
    { type: 'train', input: EXAMPLE_ADULT, output: path.join(dir, 'm'), rows: 20_000, seed: 1, epochs: 50, backend: 'auto' },
    {
      epoch: () => {
        kill(run)
      },
    },
  )
  await assert.rejects(run.result, /the worker stopped unexpectedly \(SIGKILL\)/)
})

test('a real worker trains with differential privacy when the job states ε and δ, and its log says what the whole model spent', async () => {
  const dir = await tempDir()
  const model = path.join(dir, 'model')
  const logs: string[] = []
  const job = {
    type: 'train',
    input: EXAMPLE_ADULT,
    output: model,
    rows: 2000,
    seed: 1,
    epochs: 2,
    epsilon: 3,
    delta: 1e-6,
    backend: 'auto',
  }
  await runInWorker(WORKER, job as HostToWorker, { log: (m) => logs.push(m) }).result
  const { training } = JSON.parse(await readFile(path.join(model, 'model.json'), 'utf8')) as {
    training: { privacy: { epsilon: number; delta: number } }
  }
  // The whole model's: the encodings' and the network's parts add up to the (ε, δ) asked for.
  assert.ok(Math.abs(training.privacy.delta - 1e-6) < 1e-18, `δ ${training.privacy.delta}`)
  assert.ok(Math.abs(training.privacy.epsilon - 3) < 1e-6, `ε ${training.privacy.epsilon}`)
  const said = logs.find((line) => line.startsWith('differential privacy'))
  assert.ok(said?.includes('ε = 3.00, δ = 1.0e-6) for the whole model'), logs.join(' | '))
})
