import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { Ajv } from 'ajv'
import modelSchema from '../schemas/model.schema.json' with { type: 'json' }
import metadataSchema from '../schemas/synth-meta.schema.json' with { type: 'json' }
import { SparkSynthError } from '../src/core/errors.ts'
import { parseSparkType } from '../src/core/io/sparkType.ts'
import type { Table } from '../src/core/io/table.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import type { TableEncoding } from '../src/core/model/encoding.ts'
import type { MadeOptions, NetworkLayout, SamplerSettings, WeightShape } from '../src/core/model/made.ts'
import type { ModelDraw } from '../src/core/model/model.ts'
import { loadModel, saveModel } from '../src/core/model/modelFolder.ts'
import { Synthesizer, type ColumnPlan } from '../src/core/model/synthesizer.ts'
import { loadTensorFlow } from '../src/core/model/tensorflow.ts'
import { Random } from '../src/core/random.ts'
import { defined, tempDir } from './helpers.ts'

/**
 * The model folder as docs/model-format.md describes it: the manifest against its schema, the
 * weights against the manifest, and the documented forward pass and draw, written here from the
 * page alone, against the model's own draws.
 */

const { tf, backend } = await loadTensorFlow()
const DAY = 86_400_000

/** A table with every encoding the page describes: modes and spikes, nulls, a rare bucket, a weekday, a lookup, an identifier, a constant. */
function mixedTable(rows: number): Table {
  const random = new Random(7)
  const groups = ['north', 'south', 'east', 'west']
  const group = Array.from({ length: rows }, (_, i) => (i < 6 ? `rare${i}` : groups[random.int(4)]))
  const businessDay = () => {
    for (;;) {
      const date = new Date(Date.UTC(2024, 0, 1) + random.int(400) * DAY)
      if (date.getUTCDay() % 6 !== 0) return date
    }
  }
  const column = (name: string, sparkType: string) => ({
    name,
    sparkType: parseSparkType(sparkType),
    nullable: true,
    nested: false,
    partition: false,
  })
  return {
    columns: [
      column('group', 'string'),
      column('region', 'string'),
      column('amount', 'double'),
      column('ordered', 'date'),
      column('order_id', 'bigint'),
      column('site', 'string'),
    ],
    values: [
      group,
      group.map((g) => (g.startsWith('rare') ? 'other' : g === 'north' || g === 'east' ? 'A' : 'B')),
      group.map((g, i) => (i % 10 === 0 ? null : i % 7 === 0 ? 0 : (g === 'north' ? 1000 : 50) + random.normal() * 10)),
      Array.from({ length: rows }, businessDay),
      Array.from({ length: rows }, (_, i) => 10_000 + i),
      Array.from({ length: rows }, () => 'main'),
    ],
    rowCount: rows,
  }
}

const table = mixedTable(2000)
const extracted = extractMetadata(
  { path: '/x', format: 'parquet', files: [], rowCount: table.rowCount, sampleSize: table.rowCount, seed: 1 },
  table,
)
// `group` unprotected, so that its values seen once form a verbatim rare bucket and it keys the lookup of `region`
// (the combination extraction proposes for them rejected: rules' plans are test/ruleEnforcement.test.ts's).
const document = {
  ...extracted,
  columns: extracted.columns.map((c) => (c.name === 'group' ? { ...c, protect: false } : c)),
  rules: extracted.rules?.map((rule) => (rule.kind === 'combination' ? { ...rule, status: 'rejected' as const } : rule)),
}
const { synthesizer, epochs } = await Synthesizer.train(tf, table, document, { epochs: 2, seed: 5 })
const folder = path.join(await tempDir(), 'model')
await saveModel(folder, synthesizer, { backend, rows: table.rowCount, epochs })
const manifestText = await readFile(path.join(folder, 'model.json'), 'utf8')
/** The fields of model.json this page reads, as docs/model-format.md lists them (modelFolder.ts keeps its manifest type to itself). */
interface ModelJson {
  readonly plans: readonly ColumnPlan[]
  readonly encoding: TableEncoding
  readonly model: MadeOptions
  readonly network: NetworkLayout
  readonly sampler: SamplerSettings
  readonly weights: readonly WeightShape[]
}
const manifest = JSON.parse(manifestText) as ModelJson
const weightsBin = await readFile(path.join(folder, 'weights.bin'))
const { network } = manifest

test('the trained model covers every encoding, and its model.json validates against the schema', () => {
  const plans = manifest.plans.map((p) => p.source)
  assert.deepEqual(plans, ['learned', 'derived', 'learned', 'learned', 'lookalike', 'constant'])
  const encoded = manifest.encoding.columns
  assert.ok(
    encoded.some((c) => c.type === 'categorical' && c.rare !== undefined),
    'a rare bucket',
  )
  assert.ok(
    encoded.some((c) => c.type === 'categorical' && c.calendar === 'weekday'),
    'a weekday',
  )
  assert.ok(
    encoded.some((c) => c.type === 'numeric' && c.spikes.includes(null) && c.means.length > 0),
    'null and modes',
  )
  const validate = new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    discriminator: true,
    schemas: [metadataSchema],
  }).compile(modelSchema)
  assert.ok(validate(manifest), JSON.stringify(validate.errors))
})

test('weights.bin holds exactly the weights the manifest lists, in its order', () => {
  const sizes = manifest.weights.map(({ shape }) => shape.reduce((a, b) => a * b, 1))
  assert.equal(weightsBin.byteLength, 4 * sizes.reduce((a, b) => a + b, 0))
  const values = new Float32Array(weightsBin.buffer.slice(weightsBin.byteOffset, weightsBin.byteOffset + weightsBin.byteLength))
  let offset = 0
  synthesizer.describe().weights.forEach((weight, i) => {
    assert.equal(weight.name, manifest.weights[i].name)
    assert.deepEqual(values.subarray(offset, offset + sizes[i]), weight.values, weight.name)
    offset += sizes[i]
  })
  const hidden = manifest.model.hidden.length
  assert.deepEqual(
    manifest.weights.map((w) => w.name),
    [
      ...Array.from({ length: hidden }, (_, l) => [`hidden${l}.w`, `hidden${l}.b`]).flat(),
      'output.w',
      'output.b',
      'direct.w',
      'direct.b',
      'log_sigma',
    ],
  )
})

test('the network layout is as documented: heads tile the input and output vectors', () => {
  const shape = (name: string) =>
    defined(
      manifest.weights.find((w) => w.name === name),
      `weight ${name} in model.json`,
    ).shape
  assert.equal(network.logits, manifest.encoding.categories)
  assert.equal(network.outputs, network.logits + network.means)
  assert.deepEqual(shape('output.w'), [manifest.model.hidden.at(-1), network.outputs])
  assert.deepEqual(shape('direct.w'), [network.inputs, network.outputs])
  assert.deepEqual(shape('hidden0.w'), [network.inputs, manifest.model.hidden[0]])
  assert.deepEqual(shape('log_sigma'), [Math.max(1, network.means)])
  let input = 0
  let logit = 0
  let sigma = 0
  network.columns.forEach((head, c) => {
    const encoding = manifest.encoding.columns[c]
    assert.equal(head.column, encoding.column)
    assert.equal(head.inputStart, input)
    assert.equal(head.logitStart, logit)
    assert.equal(head.logitStart, encoding.start)
    assert.equal(head.logitCount, encoding.size)
    assert.equal(head.modes, encoding.type === 'numeric' ? encoding.means.length : 0)
    assert.equal(head.spikes, encoding.type === 'numeric' ? encoding.spikes.length : encoding.size)
    assert.equal(head.inputWidth, head.logitCount + (head.modes > 0 ? 1 : 0))
    assert.equal(head.sigmaStart, sigma)
    assert.equal(head.meanStart, network.logits + head.sigmaStart)
    assert.deepEqual(network.degrees.input.slice(head.inputStart, head.inputStart + head.inputWidth), Array(head.inputWidth).fill(c + 1))
    input += head.inputWidth
    logit += head.logitCount
    sigma += head.modes
  })
  assert.equal(input, network.inputs)
  assert.equal(logit, network.logits)
  assert.equal(sigma, network.means)
  assert.equal(network.degrees.output.length, network.outputs)
  assert.deepEqual(
    network.degrees.hidden.map((d) => d.length),
    manifest.model.hidden,
  )
})

/** The forward pass and the draw exactly as docs/model-format.md states them, in float64. */
function documentedDraw(rows: number, seed: number): ModelDraw {
  const values = new Float32Array(weightsBin.buffer.slice(weightsBin.byteOffset, weightsBin.byteOffset + weightsBin.byteLength))
  const weights = new Map<string, { shape: readonly number[]; values: Float32Array }>()
  let offset = 0
  for (const { name, shape } of manifest.weights) {
    const size = shape.reduce((a, b) => a * b, 1)
    weights.set(name, { shape, values: values.subarray(offset, offset + size) })
    offset += size
  }
  const weight = (name: string) => defined(weights.get(name), `weight ${name} in model.json`)
  const { degrees } = network
  // y = x · (W ⊙ M) + b, W row-major [in, out], M[i][j] = degree_in[i] ≤ degree_out[j] (strict: <).
  const dense = (x: Float64Array, name: string, from: readonly number[], to: readonly number[], strict: boolean) => {
    const {
      shape: [ins, outs],
      values: w,
    } = weight(`${name}.w`)
    const y = Float64Array.from(weight(`${name}.b`).values)
    for (let i = 0; i < ins; i++) {
      if (x[i] === 0) continue
      for (let j = 0; j < outs; j++) if (strict ? from[i] < to[j] : from[i] <= to[j]) y[j] += x[i] * w[i * outs + j]
    }
    return y
  }
  const forward = (x: Float64Array) => {
    let h = x
    let previous = degrees.input
    degrees.hidden.forEach((hidden, l) => {
      h = dense(h, `hidden${l}`, previous, hidden, false).map((v) => Math.max(0, v))
      previous = hidden
    })
    const out = dense(h, 'output', previous, degrees.output, true)
    const direct = dense(x, 'direct', degrees.input, degrees.output, true)
    return out.map((v, j) => v + direct[j])
  }
  const sigma = Array.from(weight('log_sigma').values, Math.exp)
  const { chunkRows, offsetClip } = manifest.sampler
  // The counter-based uniforms, from the page's words.
  const mix32 = (x: number) => {
    x ^= x >>> 16
    x = Math.imul(x, 0x21f0aaad)
    x ^= x >>> 15
    x = Math.imul(x, 0x735a2d97)
    x ^= x >>> 15
    return x >>> 0
  }
  const streamKey = (...parts: number[]) => parts.reduce((k, p) => mix32((k ^ mix32(p >>> 0)) >>> 0), 0x243f6a88)
  const uniformAt = (key: number, n: number) => mix32((mix32((Math.imul(n, 0x9e3779b9) ^ key) >>> 0) + key) >>> 0) / 2 ** 32
  const normalAt = (key: number, n: number) =>
    Math.sqrt(-2 * Math.log(1 - uniformAt(key, n))) * Math.cos(2 * Math.PI * uniformAt(key, n + 1))
  const slots = network.columns.map(() => new Int32Array(rows))
  const offsets = network.columns.map((head) => (head.modes > 0 ? new Float32Array(rows) : null))
  for (let start = 0; start < rows; start += chunkRows) {
    const count = Math.min(chunkRows, rows - start)
    const inputs = Array.from({ length: count }, () => new Float32Array(network.inputs))
    network.columns.forEach((head, c) => {
      const key = streamKey(seed, c)
      const columnOffsets = offsets[c]
      for (let r = 0; r < count; r++) {
        const n = 3 * (start + r)
        const out = forward(Float64Array.from(inputs[r]))
        const logits = out.slice(head.logitStart, head.logitStart + head.logitCount)
        const best = logits.indexOf(Math.max(...logits))
        const weights = logits.map((v) => Math.exp(v - logits[best]))
        let u = uniformAt(key, n) * weights.reduce((a, b) => a + b, 0)
        let slot = 0
        for (; slot < head.logitCount - 1; slot++) if ((u -= weights[slot]) <= 0) break
        slots[c][start + r] = slot
        inputs[r][head.inputStart + slot] = 1
        if (columnOffsets && slot >= head.spikes) {
          const mode = slot - head.spikes
          const drawn = Math.tanh(out[head.meanStart + mode]) + sigma[head.sigmaStart + mode] * normalAt(key, n + 1)
          columnOffsets[start + r] = inputs[r][head.inputStart + head.logitCount] = Math.max(-offsetClip, Math.min(offsetClip, drawn))
        }
      }
    })
  }
  return { slots, offsets }
}

test("the documented forward pass and draw reproduce the model's draws", () => {
  const rows = 150
  const expected = synthesizer.draw(rows, 11)
  const drawn = documentedDraw(rows, 11)
  assert.deepEqual(drawn.slots, expected.slots)
  drawn.offsets.forEach((column, c) => {
    if (!column) {
      assert.equal(expected.offsets[c], null)
      return
    }
    const model = defined(expected.offsets[c], `the model's offsets of column ${c}`)
    column.forEach((value, r) => {
      assert.ok(Math.abs(value - model[r]) < 1e-4, `column ${c} row ${r}: ${value} vs ${model[r]}`)
    })
  })
})

test('a loaded model samples the same rows; damaged or foreign manifests are refused naming the field', async () => {
  const loaded = await loadModel(tf, folder)
  assert.deepEqual(loaded.synthesizer.sample(300, 2).values, synthesizer.sample(300, 2).values)
  loaded.synthesizer.dispose()
  const damaged = async (name: string, text: string, pattern: RegExp, weights: Uint8Array = weightsBin) => {
    const copy = path.join(path.dirname(folder), name)
    await saveModel(copy, synthesizer, { backend, rows: table.rowCount, epochs })
    await writeFile(path.join(copy, 'model.json'), text)
    await writeFile(path.join(copy, 'weights.bin'), weights)
    await assert.rejects(loadModel(tf, copy), (error: unknown) => {
      assert.ok(error instanceof SparkSynthError, String(error))
      assert.ok(error.message.includes(copy), `names the folder: ${error.message}`)
      assert.match(error.message, pattern)
      return true
    })
  }
  /** model.json with the field at `keys` set to `value` (left out when undefined): damaged on purpose, past what its type allows. */
  const edited = (keys: readonly [...(string | number)[], string | number], value: unknown) => {
    type Json = Record<string | number, unknown>
    const copy = JSON.parse(manifestText) as Json
    const parent = keys.slice(0, -1).reduce<Json>((object, key) => object[key] as Json, copy)
    parent[keys[keys.length - 1]] = value
    return JSON.stringify(copy)
  }
  await damaged('truncated', manifestText.slice(0, 200), /model\.json is not valid JSON/)
  await damaged('foreign', JSON.stringify({ format: 'keras', version: 1 }), /format "keras", not spark-synth-model/)
  await damaged('future', edited(['version'], 2), /version 2; this Spark Synth reads version 1.*Train the model again/)
  await damaged('missing', edited(['encoding', 'offsetScale'], undefined), /model\.json is invalid: encoding\.offsetScale is missing/)
  await damaged(
    'misspelt',
    edited(['plans', 0, 'source'], 'guessed'),
    /plans\[0\] \("group"\)\.source "guessed" is not one this format knows/,
  )
  await damaged('digest', edited(['metadata', 'columns', 0, 'kind'], 'text'), /metadataDigest does not match metadata/)
  await damaged(
    'fewer',
    edited(['weights'], manifest.weights.slice(0, -1)),
    /weights\.bin holds \d+ values where model\.json's weights list \d+/,
  )
  await damaged('short', manifestText, /weights\.bin holds \d+ values where/, weightsBin.subarray(0, weightsBin.byteLength - 8))
  await damaged(
    'transposed',
    edited(['weights', 0, 'shape'], [...manifest.weights[0].shape].reverse()),
    /weights\[0\]\.shape\[0\] is \d+, expected \d+/,
  )
  await damaged(
    'rewired',
    edited(['network', 'columns', 2, 'modes'], network.columns[2].modes + 1),
    /network\.columns\[2\]\.modes is \d+, expected \d+/,
  )
})

test('a model saved before the network and sampler were recorded still loads and samples the same', async () => {
  const copy = path.join(path.dirname(folder), 'older')
  await saveModel(copy, synthesizer, { backend, rows: table.rowCount, epochs })
  // JSON.stringify leaves out the fields set to undefined.
  const older = { ...manifest, network: undefined, sampler: undefined }
  await writeFile(path.join(copy, 'model.json'), JSON.stringify(older))
  const loaded = await loadModel(tf, copy)
  assert.deepEqual(loaded.synthesizer.sample(300, 2).values, synthesizer.sample(300, 2).values)
  loaded.synthesizer.dispose()
  synthesizer.dispose()
})
