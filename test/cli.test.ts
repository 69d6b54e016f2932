import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { cp, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { sampleDataset } from '../src/core/io/dataset.ts'
import type { MetadataDocument } from '../src/core/meta/document.ts'
import { parseMetadata, serializeMetadata } from '../src/core/meta/metadataFile.ts'
import type { HoldoutRecord } from '../src/core/model/holdout.ts'
import { parseQualityReport } from '../src/core/report/index.ts'
import { DEFAULT_SEED } from '../src/core/samplingDefaults.ts'
import { CLI, EXAMPLE_ADULT, INTEROP_FILES, OUTPUT_FOLDER_ENTRIES, ROOT, SPARK_TABLES, runCli, tempDir } from './helpers.ts'

test('--help works for the CLI and every command', async () => {
  const top = await runCli('--help')
  assert.equal(top.code, 0)
  for (const command of ['inspect', 'meta', 'train', 'sample', 'report', 'demo']) {
    assert.match(top.stdout, new RegExp(`\\b${command}\\b`))
    const help = await runCli(command, '--help')
    assert.equal(help.code, 0)
    assert.match(help.stdout, new RegExp(`^spark-synth ${command}`))
  }
})

test('inspect prints one row per column with kinds and partitions', async () => {
  const result = await runCli('inspect', path.join(SPARK_TABLES, 'http_requests'), '--rows', '500', '--seed', '3')
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /2 files, 1,581 rows; sampled 500 with seed 3/)
  assert.match(result.stdout, /date \(partition\)\s+date\s+date/)
  assert.match(result.stdout, /EdgeStartTimestamp\s+timestamp_ntz\s+timestamp/)
})

test('meta writes the document beside the input by default, or where -o says', async () => {
  const dir = await tempDir()
  const input = path.join(dir, 'adult')
  await cp(EXAMPLE_ADULT, input, { recursive: true })
  const result = await runCli('meta', input, '--rows', '1000')
  assert.equal(result.code, 0, result.stderr)
  const beside = `${input}.synth-meta.json`
  const document = parseMetadata(await readFile(beside, 'utf8'), beside)
  assert.equal(document.source.path, 'adult')
  assert.equal(document.source.sampleSize, 1000)
  const chosen = path.join(dir, 'elsewhere.json')
  assert.equal((await runCli('meta', input, '-o', chosen)).code, 0)
  assert.ok((await stat(chosen)).size > 1000)
})

test('bad input exits non-zero with a one-paragraph error naming the file', async () => {
  const corrupt = path.join(INTEROP_FILES, 'datapage_v1-corrupt-checksum.parquet')
  const result = await runCli('inspect', corrupt)
  assert.equal(result.code, 1)
  assert.equal(result.stdout, '')
  assert.equal(result.stderr.trim().split('\n').length, 1, 'one paragraph, no stack trace')
  assert.match(result.stderr, /datapage_v1-corrupt-checksum\.parquet, column "a": page checksum mismatch/)
  assert.equal((await runCli('inspect', '/does/not/exist')).code, 1)
})

test('wrong usage exits 2 with the command help', async () => {
  const noInput = await runCli('meta')
  assert.equal(noInput.code, 2)
  assert.match(noInput.stderr, /expected one input/)
  assert.match(noInput.stderr, /spark-synth meta <input>/)
  assert.equal((await runCli('inspect', 'x', '--rows', 'many')).code, 2)
  assert.equal((await runCli('frobnicate')).code, 2)
})

/** A model folder's manifest, as written. */
async function modelManifest(model: string) {
  return JSON.parse(await readFile(path.join(model, 'model.json'), 'utf8')) as {
    metadata: MetadataDocument
    training: { rows: number; holdout?: HoldoutRecord; privacy?: { epsilon: number; delta: number } }
  }
}

/** A small model of the embedded data set, trained once for the tests below. */
const smallModel = (async () => {
  const model = path.join(await tempDir(), 'model')
  const trained = await runCli('train', EXAMPLE_ADULT, '-o', model, '--rows', '3000', '--epochs', '2')
  assert.equal(trained.code, 0, trained.stderr)
  return { model, trained }
})()

test('train → sample round trip on the embedded data set: data, snippets and report, with a condition', async () => {
  const { model, trained } = await smallModel
  assert.match(trained.stderr, /TensorFlow\.js backend: (wasm|tensorflow|cpu)/)
  assert.match(trained.stderr, /epoch 2\/2/)
  const output = path.join(await tempDir(), 'synthetic')
  const sampled = await runCli('sample', model, '-n', '500', '-o', output, '--where', 'sex=Female', '--target', 'income')
  assert.equal(sampled.code, 0, sampled.stderr)
  assert.deepEqual((await readdir(output)).sort(), OUTPUT_FOLDER_ENTRIES)
  const files = await readdir(path.join(output, 'data'))
  assert.ok(files.includes('_SUCCESS') && files.some((f) => /^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/.test(f)), files.join())
  const { table } = await sampleDataset(path.join(output, 'data'), { rows: 10_000 })
  const source = await sampleDataset(EXAMPLE_ADULT, { rows: 10 })
  assert.equal(table.rowCount, 500)
  assert.deepEqual(
    table.columns.map((c) => [c.name, c.sparkType]),
    source.table.columns.map((c) => [c.name, c.sparkType]),
  )
  assert.ok(table.values[table.columns.findIndex((c) => c.name === 'sex')].every((v) => v === 'Female'))

  const report = parseQualityReport(await readFile(path.join(output, 'quality-report.json'), 'utf8'))
  assert.equal(report.rows.synthetic, 500)
  assert.deepEqual(
    (await modelManifest(model)).training.holdout,
    { kind: 'unsampled', seed: DEFAULT_SEED + 1, rows: 3000 },
    'a source larger than the sample: the whole sample is trained on, and the rows it left out are the holdout',
  )
  assert.deepEqual([report.privacy.holdout, report.rows.real, report.rows.holdout], ['unsampled', 3000, 3000])
  assert.equal(report.utility?.target, 'income')
  assert.equal(report.utility.positive, '>50K', 'the rarer of the two classes')
  assert.match(sampled.stdout, new RegExp(`column shapes ${report.scores.columnShapes.toFixed(3)}`))
  await promisify(execFile)('python3', ['-m', 'py_compile', path.join(output, 'reload_synthetic.py'), path.join(output, 'take_sample.py')])
  const reload = await readFile(path.join(output, 'reload_synthetic.py'), 'utf8')
  assert.ok(reload.includes(`SYNTHETIC_PATH = '${path.join(output, 'data')}'`), 'the snippet reads the data folder where it lands')
  const takeSample = await readFile(path.join(output, 'take_sample.py'), 'utf8')
  assert.ok(
    takeSample.includes(`DEFAULT_TABLE = '${EXAMPLE_ADULT}'`) && takeSample.includes('DEFAULT_ROWS = 3000'),
    'the next sample is drawn like the one the model learned from',
  )

  const again = await runCli('sample', model, '-n', '10', '-o', output)
  assert.equal(again.code, 1, 'an existing output is not overwritten without --overwrite')
  assert.match(again.stderr, /already exists.*--overwrite/)
  const unknownTarget = await runCli('sample', model, '-n', '10', '-o', path.join(path.dirname(output), 'other'), '--target', 'salary')
  assert.equal(unknownTarget.code, 1)
  assert.match(unknownTarget.stderr, /column "salary": the model has no such column to predict. Pick one of: age, workclass/)
})

test('sample --format delta writes data/ as a Delta table; any other format is wrong usage', async () => {
  const { model } = await smallModel
  const dir = await tempDir()
  const sampled = await runCli('sample', model, '-n', '50', '-o', path.join(dir, 'delta'), '--format', 'delta', '--no-report')
  assert.equal(sampled.code, 0, sampled.stderr)
  assert.match(sampled.stdout, /data \(a Delta table\): 50 rows/)
  const files = await readdir(path.join(dir, 'delta', 'data'))
  assert.ok(files.includes('_delta_log') && !files.includes('_SUCCESS'), files.join())
  const bad = await runCli('sample', model, '-n', '5', '-o', path.join(dir, 'orc'), '--format', 'orc')
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--format takes parquet or delta, not "orc"/)
  assert.deepEqual(await readdir(dir), ['delta'], 'nothing written')
  assert.match((await runCli('sample', '--help')).stdout, /-f, --format F {6}parquet \(default\)/)
})

test('report scores a synthetic output against the real data and writes both files', async () => {
  const { model } = await smallModel
  const dir = await tempDir()
  const output = path.join(dir, 'synthetic')
  assert.equal((await runCli('sample', model, '-n', '400', '-o', output, '--no-report')).code, 0)
  assert.ok(!(await readdir(output)).includes('quality-report.json'), '--no-report writes none')
  const reportDir = path.join(dir, 'report')
  const result = await runCli('report', '--real', EXAMPLE_ADULT, '--synthetic', output, '-o', reportDir)
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual((await readdir(reportDir)).sort(), ['quality-report.html', 'quality-report.json'])
  const report = parseQualityReport(await readFile(path.join(reportDir, 'quality-report.json'), 'utf8'))
  assert.equal(report.rows.synthetic, 400)
  assert.equal(report.utility?.target, 'income', 'no --target: the target of the document extracted from the input')
  assert.equal((await runCli('report', '--real', EXAMPLE_ADULT)).code, 2)
})

test('a sample that is the whole input: a seeded share is kept out of training, recorded, and the report tests memorisation on it', async () => {
  const dir = await tempDir()
  const model = path.join(dir, 'model')
  const trained = await runCli('train', EXAMPLE_ADULT, '-o', model, '--epochs', '1', '--holdout', '0.2')
  assert.equal(trained.code, 0, trained.stderr)
  const { rowCount } = (await sampleDataset(EXAMPLE_ADULT, { rows: 1 })).summary
  const held = Math.round(rowCount * 0.2)
  const { metadata, training } = await modelManifest(model)
  assert.equal(metadata.source.sampleSize, rowCount, 'the default budget samples every row')
  assert.deepEqual(training.holdout, { kind: 'share', share: 0.2, seed: DEFAULT_SEED + 1, rows: held })
  assert.equal(training.rows, rowCount - held, 'the held-out rows were not trained on')
  assert.doesNotMatch(trained.stderr, /privacy warning/, 'thousands of rows, few repeated: nothing to warn of')
  assert.match(trained.stdout, new RegExp(`on ${(rowCount - held).toLocaleString('en-US')} rows`))
  assert.match(
    trained.stdout,
    new RegExp(`holdout: ${held.toLocaleString('en-US')} of the ${rowCount.toLocaleString('en-US')} sampled rows .* kept out of training`),
  )

  const output = path.join(dir, 'synthetic')
  const sampled = await runCli('sample', model, '-n', '1000', '-o', output)
  assert.equal(sampled.code, 0, sampled.stderr)
  const report = parseQualityReport(await readFile(path.join(output, 'quality-report.json'), 'utf8'))
  assert.deepEqual([report.privacy.holdout, report.rows.real, report.rows.holdout], ['share', training.rows, held])
  assert.equal(metadata.target, 'income', 'extraction suggested the label')
  assert.equal(report.utility?.target, 'income', 'no --target: the target of the document the model learned from')
  assert.match(sampled.stdout, /^utility \(income = >50K\): AUC trained on synthetic/m)
  assert.match(
    report.privacy.note,
    new RegExp(`^holdout: ${held.toLocaleString('en-US')} of the ${rowCount.toLocaleString('en-US')} sampled rows`),
  )
  assert.match(sampled.stdout, /exact copies.*\(holdout rows: \d+\.\d%\), membership-inference AUC \d\.\d{3} \(0\.5: no leak\); holdout: /)
  assert.match(sampled.stdout, /^privacy verdict: (No sign of memorisation|Check before sharing|Do not share as is): /m)

  // `report` draws the same rows again from the model; without it, it cannot know them, and says so.
  const again = path.join(dir, 'again')
  const withModel = await runCli('report', '--real', EXAMPLE_ADULT, '--synthetic', output, '--model', model, '-o', again)
  assert.equal(withModel.code, 0, withModel.stderr)
  assert.deepEqual(parseQualityReport(await readFile(path.join(again, 'quality-report.json'), 'utf8')).privacy, report.privacy)
  const blind = path.join(dir, 'blind')
  assert.equal((await runCli('report', '--real', EXAMPLE_ADULT, '--synthetic', output, '-o', blind)).code, 0)
  const { privacy } = parseQualityReport(await readFile(path.join(blind, 'quality-report.json'), 'utf8'))
  assert.equal(privacy.holdout, 'split')
  assert.match(privacy.note, /a report made without its model.*not a memorisation test$/)
  const both = await runCli('report', '--real', EXAMPLE_ADULT, '--synthetic', output, '--model', model, '--meta', 'x.json')
  assert.equal(both.code, 2)

  const tooLarge = await runCli('train', EXAMPLE_ADULT, '-o', path.join(dir, 'other'), '--holdout', '0.5')
  assert.equal(tooLarge.code, 2)
  assert.match(tooLarge.stderr, /--holdout "0\.5": Holdout share must be a number from 0 to below 0\.5/)
})

test('--holdout 0 trains on the whole sample and records that no rows were kept out', async () => {
  const model = path.join(await tempDir(), 'model')
  const trained = await runCli('train', path.join(SPARK_TABLES, 'http_requests'), '-o', model, '--epochs', '1', '--holdout', '0')
  assert.equal(trained.code, 0, trained.stderr)
  const { metadata, training } = await modelManifest(model)
  assert.deepEqual(training.holdout, { kind: 'none' })
  assert.equal(training.rows, metadata.source.rowCount)
  assert.match(trained.stdout, /no holdout \(share 0\).*cannot test memorisation/)
  // Most rows repeat another: the guard says so before training, with what to do.
  assert.match(trained.stderr, /privacy warning: [\d.]+ % of the [\d,]+ rows repeat another row .* exclude or fake the identifying columns/)
})

test("the document's privacy choices train the model (holdout share, ε, δ); a flag overrides them", async () => {
  const dir = await tempDir()
  const meta = path.join(dir, 'requests.json')
  const input = path.join(SPARK_TABLES, 'http_requests')
  assert.equal((await runCli('meta', input, '-o', meta)).code, 0)
  const document = parseMetadata(await readFile(meta, 'utf8'), meta)
  const chosen = { ...document, privacy: { ...document.privacy, rareValueRows: 5, holdoutShare: 0.25, epsilon: 8, delta: 1e-6 } }
  await writeFile(meta, serializeMetadata(chosen))
  const model = path.join(dir, 'model')
  const trained = await runCli('train', input, '--meta', meta, '-o', model, '--epochs', '1')
  assert.equal(trained.code, 0, trained.stderr)
  const { training, metadata } = await modelManifest(model)
  assert.equal(training.holdout?.kind === 'share' && training.holdout.share, 0.25)
  assert.ok(training.privacy && training.privacy.epsilon <= 8 && training.privacy.epsilon > 7, JSON.stringify(training.privacy))
  assert.equal(training.privacy.delta, 1e-6)
  assert.deepEqual(metadata.privacy, chosen.privacy, 'the model records the choices it was trained with')
  // Flags win over the document; ε null in the document is a choice: no differential privacy.
  await writeFile(meta, serializeMetadata({ ...chosen, privacy: { ...chosen.privacy, epsilon: null } }))
  const flagged = await runCli('train', input, '--meta', meta, '-o', model, '--epochs', '1', '--holdout', '0.1')
  assert.equal(flagged.code, 0, flagged.stderr)
  const again = await modelManifest(model)
  assert.equal(again.training.holdout?.kind === 'share' && again.training.holdout.share, 0.1)
  assert.equal(again.training.privacy, undefined)
})

/** Starts the CLI; resolves with the child once its stderr matches `ready`. */
function startUntil(args: string[], ready: RegExp): Promise<{ child: ReturnType<typeof spawn>; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT })
  let stderr = ''
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (ready.test(stderr)) resolve({ child, stderr: () => stderr })
    })
    child.on('exit', (code) => {
      reject(new Error(`the CLI exited (${code}) before printing ${ready}: ${stderr}`))
    })
  })
}

test('a sample run killed midway leaves no output, and the next run clears its remains', async () => {
  const { model } = await smallModel
  const dir = await tempDir()
  const output = path.join(dir, 'synthetic')
  const { child } = await startUntil(['sample', model, '-n', '5000000', '-o', output], /100,000 \/ 5,000,000 rows/)
  child.kill('SIGKILL')
  await new Promise((resolve) => child.on('exit', resolve))
  const left = await readdir(dir)
  assert.deepEqual(
    left.sort(),
    [`synthetic.${child.pid}.tmp`, 'synthetic.lock'],
    'only the temporary folder and the claim of the killed run',
  )
  const next = await runCli('sample', model, '-n', '100', '-o', output, '--no-report')
  assert.equal(next.code, 0, next.stderr)
  assert.deepEqual(await readdir(dir), ['synthetic'], "the dead run's temporary folder is gone")
})

test('two runs training into the same model folder: one wins, the other is told at once; the folder holds one whole model', async () => {
  const dir = await tempDir()
  const model = path.join(dir, 'model')
  const train = (seed: string) => runCli('train', EXAMPLE_ADULT, '-o', model, '--rows', '2000', '--epochs', '3', '--seed', seed)
  const results = await Promise.all([train('1'), train('2')])
  const won = results.filter((result) => result.code === 0)
  const told = results.filter((result) => result.code !== 0)
  assert.equal(won.length, 1, results.map((result) => result.stderr).join('\n---\n'))
  assert.equal(told[0].code, 1)
  assert.match(told[0].stderr, /another run is writing here: training on .*adult \(process \d+ on .*, since .*\)/)
  assert.doesNotMatch(told[0].stderr, /epoch 1\//, 'told before training, not after')
  assert.deepEqual((await readdir(dir)).sort(), ['model'])
  const sampled = await runCli('sample', model, '-n', '50', '-o', path.join(dir, 'synthetic'), '--no-report')
  assert.equal(sampled.code, 0, sampled.stderr)
})

test('Ctrl-C while sampling cancels and writes no output', async () => {
  const { model } = await smallModel
  const dir = await tempDir()
  const { child, stderr } = await startUntil(
    ['sample', model, '-n', '5000000', '-o', path.join(dir, 'synthetic')],
    /100,000 \/ 5,000,000 rows/,
  )
  child.kill('SIGINT')
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  assert.equal(code, 130, stderr())
  assert.match(stderr(), /cancelled: no output was written/)
  assert.deepEqual(await readdir(dir), [])
})

// http_requests has fewer batches an epoch than the training loop once yielded after: Ctrl-C was heard only at the end.
for (const input of [EXAMPLE_ADULT, path.join(SPARK_TABLES, 'http_requests')]) {
  test(`Ctrl-C while training on ${path.basename(input)} cancels and writes no model`, async () => {
    const dir = await tempDir()
    const model = path.join(dir, 'model')
    const child = spawn(process.execPath, [CLI, 'train', input, '-o', model, '--epochs', '200'], { cwd: ROOT })
    let stderr = ''
    let interrupted = false
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      // One Ctrl-C cancels; a second one would end the process at once, as in any terminal program.
      if (!interrupted && stderr.includes('epoch 1/')) {
        interrupted = true
        child.kill('SIGINT')
      }
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    assert.equal(code, 130, stderr)
    assert.match(stderr, /cancelled: no model was written/)
    assert.deepEqual(await readdir(dir), [])
  })
}

test('export-spark writes model/, spark_synth.zip and generate_synthetic.py; usage errors exit 2, bad input 1', async () => {
  const dir = await tempDir()
  const model = path.join(dir, 'model')
  const trained = await runCli('train', EXAMPLE_ADULT, '-o', model, '--epochs', '1', '--rows', '2000')
  assert.equal(trained.code, 0, trained.stderr)
  const bundle = path.join(dir, 'job')
  const exported = await runCli('export-spark', model, '-o', bundle)
  assert.equal(exported.code, 0, exported.stderr)
  assert.match(exported.stdout, /spark-submit .*generate_synthetic\.py --rows N --output PATH/)
  assert.deepEqual((await readdir(bundle)).sort(), ['generate_synthetic.py', 'model', 'spark_synth.zip'])
  assert.deepEqual((await readdir(path.join(bundle, 'model'))).sort(), ['model.json', 'weights.bin'])
  assert.deepEqual(await readFile(path.join(bundle, 'model', 'weights.bin')), await readFile(path.join(model, 'weights.bin')))
  assert.equal((await readdir(dir)).filter((name) => name.endsWith('.tmp')).length, 0)
  const listing = String.raw`
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    print(json.dumps(sorted(z.namelist())))
`
  const names = JSON.parse((await promisify(execFile)('python3', ['-c', listing, path.join(bundle, 'spark_synth.zip')])).stdout) as string[]
  const modules = (await readdir(path.join(ROOT, 'python', 'spark_synth'))).filter((name) => name.endsWith('.py') && name !== 'session.py')
  const schemas = ['model.schema.json', 'synth-meta.schema.json'].map((name) => `spark_synth/schemas/${name}`)
  assert.deepEqual(names, [...modules.map((name) => `spark_synth/${name}`), ...schemas].sort())
  await promisify(execFile)('python3', ['-m', 'py_compile', path.join(bundle, 'generate_synthetic.py')])

  const again = await runCli('export-spark', model, '-o', bundle)
  assert.equal(again.code, 1)
  assert.match(again.stderr, /already exists/)
  assert.equal((await runCli('export-spark', model, '-o', bundle, '--overwrite')).code, 0)
  const notModel = await runCli('export-spark', dir, '-o', path.join(dir, 'other'))
  assert.equal(notModel.code, 1)
  assert.match(notModel.stderr, /no model\.json here/)
  for (const args of [
    ['export-spark', model],
    ['export-spark', '-o', path.join(dir, 'x')],
    ['export-spark', model, model, '-o', path.join(dir, 'x')],
    ['export-spark', model, '-o', path.join(dir, 'x'), '--rows', '5'],
  ]) {
    const usage = await runCli(...args)
    assert.equal(usage.code, 2, args.join(' '))
    assert.match(usage.stderr, /spark-synth export-spark <model-dir> -o <dir>/)
  }
  assert.match((await runCli('--help')).stdout, /export-spark/)
})
