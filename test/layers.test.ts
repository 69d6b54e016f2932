import assert from 'node:assert/strict'
import { test } from 'node:test'
import type * as TF from '@tensorflow/tfjs'
import { maskedDense, sparseMaskedDense, sparseRows } from '../src/core/model/layers.ts'
import { loadTensorFlow } from '../src/core/model/tensorflow.ts'
import { Random } from '../src/core/random.ts'

/**
 * Rows of three columns: slots at inputs 0–3 and 4–9, the second with its offset at input 10, and a
 * third column's slots at 11–13. Rows repeat slots, so that the scattered gradient has to add them up.
 */
function rowsOf(count: number, random: Random) {
  const inputs = 14
  const dense = new Float32Array(count * inputs)
  const hot: number[] = []
  const offsets: number[] = []
  for (let r = 0; r < count; r++) {
    const slots = [Math.floor(random.next() * 4), 4 + Math.floor(random.next() * 6), 11 + Math.floor(random.next() * 3)]
    const offset = slots[1] >= 6 ? random.next() * 2 - 1 : 0
    for (const slot of slots) dense[r * inputs + slot] = 1
    dense[r * inputs + 10] = offset
    hot.push(...slots)
    offsets.push(offset)
  }
  return { inputs, dense, hot, offsets }
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`${backend}: the sparse input layer gives the dense layer's output and weight gradients`, async () => {
    const { tf } = await loadTensorFlow(backend)
    const random = new Random(7)
    const rows = rowsOf(40, random)
    const outputs = 9
    const values = (n: number) => Float32Array.from({ length: n }, () => random.next() * 2 - 1)
    const w = tf.tensor2d(values(rows.inputs * outputs), [rows.inputs, outputs])
    const mask = tf.tensor2d(
      Float32Array.from({ length: rows.inputs * outputs }, () => (random.next() < 0.6 ? 1 : 0)),
      [rows.inputs, outputs],
    )
    const b = tf.tensor1d(values(outputs))
    const weightsOfLoss = tf.tensor2d(values(40 * outputs), [40, outputs])
    const x = tf.tensor2d(rows.dense, [40, rows.inputs])
    const sparse = sparseRows(tf, Int32Array.from(rows.hot), Float32Array.from(rows.offsets), 40, rows.inputs, [10])
    const layer = sparseMaskedDense(tf, [10])
    const dense = maskedDense(tf)
    // A loss that weighs each output differently, so that every output's gradient counts.
    const lossOf = (out: TF.Tensor2D) => tf.sum<TF.Tensor>(tf.mul(tf.square(out), weightsOfLoss))
    const expected = tf.grads((wv: TF.Tensor, bv: TF.Tensor) => lossOf(dense(x, wv as TF.Tensor2D, mask, bv as TF.Tensor1D)))
    const actual = tf.grads((wv: TF.Tensor, bv: TF.Tensor) => lossOf(layer.apply(sparse, wv as TF.Tensor2D, mask, bv as TF.Tensor1D)))
    const pairs: [string, TF.Tensor, TF.Tensor][] = [
      ['output', dense(x, w, mask, b), layer.apply(sparse, w, mask, b)],
      ...expected([w, b]).map((g, i): [string, TF.Tensor, TF.Tensor] => [
        i === 0 ? 'weight gradient' : 'bias gradient',
        g,
        actual([w, b])[i],
      ]),
    ]
    for (const [what, want, got] of pairs) {
      const wanted = want.dataSync()
      const worst = Math.max(...got.dataSync().map((v, i) => Math.abs(v - wanted[i])))
      const scale = Math.max(...wanted.map(Math.abs))
      assert.ok(scale > 0.1, `${what} is not all zero`)
      assert.ok(worst <= 1e-5 * scale, `${what}: off by ${worst} at scale ${scale}`)
    }
    layer.dispose()
  })
}
