import type * as TF from '@tensorflow/tfjs'
import type { Tf } from './tensorflow.ts'

/** Building blocks with hand-written gradients, shaped for the speed of the wasm backend. */

type CustomGradFunction = Parameters<Tf['customGrad']>[0]

export interface Dense {
  readonly w: TF.Variable
  readonly b: TF.Variable
}

/**
 * A dense layer with Glorot-uniform weights drawn from `seed`. Variables keep TensorFlow.js'
 * generated names, which are unique per process, so that several models can live side by side.
 */
export function denseLayer(tf: Tf, inputs: number, outputs: number, seed: number): Dense {
  const limit = Math.sqrt(6 / (inputs + outputs))
  // tidy disposes the initial values; the variables it creates are not tracked and survive.
  return tf.tidy(() => ({
    w: tf.variable(tf.randomUniform([inputs, outputs], -limit, limit, 'float32', seed), true),
    b: tf.variable(tf.zeros([outputs]), true),
  }))
}

export type MaskedDenseOp = (x: TF.Tensor2D, w: TF.Tensor2D, mask: TF.Tensor2D, b: TF.Tensor1D) => TF.Tensor2D

/**
 * x · (w ⊙ mask) + b with its gradient written out: on the wasm backend a matMul with transpose
 * flags is about ten times slower than an explicit transpose and a plain matMul.
 */
export function maskedDense(tf: Tf): MaskedDenseOp {
  return tf.customGrad(((x: TF.Tensor2D, w: TF.Tensor2D, mask: TF.Tensor2D, b: TF.Tensor1D, save: TF.GradSaveFunc) => {
    const masked = tf.mul(w, mask)
    save([x, masked, mask])
    return {
      value: tf.add(tf.matMul(x, masked), b),
      gradFunc: (dy: TF.Tensor2D, saved: TF.Tensor[]) => {
        const [xs, ws, ms] = saved as TF.Tensor2D[]
        return [tf.matMul(dy, tf.transpose(ws)), tf.mul(tf.matMul(tf.transpose(xs), dy), ms), tf.zerosLike(ms), tf.sum(dy, 0)]
      },
    }
  }) as unknown as CustomGradFunction) as unknown as MaskedDenseOp
}

/**
 * The network's input rows as their nonzero entries: each row has one 1 per column (its slot, at an
 * input position) and, for numeric columns with modes, one offset value at a fixed position.
 */
export interface SparseRows {
  /** The input positions of the 1s, `columns` per row, row after row. */
  readonly hot: TF.Tensor1D
  /** The row of each entry of `hot`: 0, 0, …, 1, 1, … (sorted, as a segment sum needs). */
  readonly segments: TF.Tensor1D
  /** Rows × offset columns: each row's offset values, 0 where its slot is a spike. */
  readonly offsets: TF.Tensor2D
  /**
   * The weight gradient as a segment sum (`gradientEntries`): input positions in ascending order, and for
   * each the row of [δ of the batch's rows; a row of zeros; the offsets' δ] that adds into it.
   */
  readonly gradientInputs: TF.Tensor1D
  readonly gradientRows: TF.Tensor1D
}

/**
 * The entries of `SparseRows`' weight gradient, sorted by input position (a counting sort): every 1 of the
 * batch, every offset column's row, and a row of zeros at the last input, so that the sum has a row for
 * every input.
 */
function gradientEntries(
  hot: Int32Array,
  rows: number,
  inputs: number,
  offsetPositions: readonly number[],
): { inputs: Int32Array; rows: Int32Array } {
  const columns = hot.length / rows
  const count = hot.length + 1 + offsetPositions.length
  const starts = new Int32Array(inputs + 1)
  for (const position of hot) starts[position + 1]++
  for (const position of offsetPositions) starts[position + 1]++
  starts[inputs]++
  for (let i = 0; i < inputs; i++) starts[i + 1] += starts[i]
  const sortedInputs = new Int32Array(count)
  const sortedRows = new Int32Array(count)
  const place = (position: number, row: number) => {
    const at = starts[position]++
    sortedInputs[at] = position
    sortedRows[at] = row
  }
  for (let i = 0; i < hot.length; i++) place(hot[i], Math.floor(i / columns))
  place(inputs - 1, rows)
  for (let k = 0; k < offsetPositions.length; k++) place(offsetPositions[k], rows + 1 + k)
  return { inputs: sortedInputs, rows: sortedRows }
}

/**
 * A batch's `SparseRows` from the input positions of its 1s (`columns` per row, row after row) and its
 * offsets (rows × offset columns); `inputs` is the input's width.
 */
export function sparseRows(
  tf: Tf,
  hot: Int32Array,
  offsets: Float32Array,
  rows: number,
  inputs: number,
  offsetPositions: readonly number[],
): SparseRows {
  const columns = hot.length / rows
  const segments = new Int32Array(hot.length)
  for (let r = 0; r < rows; r++) segments.fill(r, r * columns, (r + 1) * columns)
  const gradient = gradientEntries(hot, rows, inputs, offsetPositions)
  return {
    hot: tf.tensor1d(hot, 'int32'),
    segments: tf.tensor1d(segments, 'int32'),
    offsets: tf.tensor2d(offsets, [rows, offsetPositions.length]),
    gradientInputs: tf.tensor1d(gradient.inputs, 'int32'),
    gradientRows: tf.tensor1d(gradient.rows, 'int32'),
  }
}

/** The dense input [rows, inputs] of the same entries as `sparseRows` takes (DP-SGD's per-row gradients read it). */
export function denseRows(
  hot: Int32Array,
  offsets: Float32Array,
  rows: number,
  inputs: number,
  offsetPositions: readonly number[],
): Float32Array {
  const columns = hot.length / rows
  const dense = new Float32Array(rows * inputs)
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) dense[r * inputs + hot[r * columns + c]] = 1
    offsetPositions.forEach((position, k) => (dense[r * inputs + position] = offsets[r * offsetPositions.length + k]))
  }
  return dense
}

export interface SparseMaskedDense {
  readonly apply: (rows: SparseRows, w: TF.Tensor2D, mask: TF.Tensor2D, b: TF.Tensor1D) => TF.Tensor2D
  readonly dispose: () => void
}

/**
 * x · (w ⊙ mask) + b for an input x given by its nonzero entries (`SparseRows`), where the dense product
 * costs inputs × outputs per row (on wide tables most of training): the weights' rows at the 1s summed per
 * row, plus a small product for the offsets. The weight gradient is the same sum the other way (δ's rows
 * summed per input position); the input gets none. On the wasm backend segment sums are ten times faster
 * than the dense products, where gather and scatter are ten times slower. `offsetPositions` are the input
 * positions of the offsets' columns.
 */
export function sparseMaskedDense(tf: Tf, offsetPositions: readonly number[]): SparseMaskedDense {
  const positions = tf.tensor1d(offsetPositions.length > 0 ? [...offsetPositions] : [0], 'int32')
  const withOffsets = offsetPositions.length > 0
  const op = tf.customGrad(((
    hot: TF.Tensor1D,
    segments: TF.Tensor1D,
    offsets: TF.Tensor2D,
    gradientInputs: TF.Tensor1D,
    gradientRows: TF.Tensor1D,
    w: TF.Tensor2D,
    mask: TF.Tensor2D,
    b: TF.Tensor1D,
    save: TF.GradSaveFunc,
  ) => {
    const masked = tf.mul(w, mask)
    save([offsets, gradientInputs, gradientRows, mask])
    let value = tf.sparse.sparseSegmentSum(masked, hot, segments) as TF.Tensor2D
    if (withOffsets) value = tf.add(value, tf.matMul(offsets, tf.gather(masked, positions)))
    return {
      value: tf.add(value, b),
      gradFunc: (dy: TF.Tensor2D, saved: TF.Tensor[]) => {
        const [offsetValues, inputsOf, rowsOf, ms] = saved as [TF.Tensor2D, TF.Tensor1D, TF.Tensor1D, TF.Tensor2D]
        const zero = tf.zeros([1, dy.shape[1]])
        const deltas = tf.concat(withOffsets ? [dy, zero, tf.matMul(tf.transpose(offsetValues), dy)] : [dy, zero])
        const dMasked = tf.sparse.sparseSegmentSum(deltas, rowsOf, inputsOf)
        const none = (t: TF.Tensor) => tf.zerosLike(t)
        return [none(hot), none(segments), none(offsetValues), none(inputsOf), none(rowsOf), tf.mul(dMasked, ms), none(ms), tf.sum(dy, 0)]
      },
    }
  }) as unknown as CustomGradFunction) as unknown as (...args: TF.Tensor[]) => TF.Tensor2D
  return {
    apply: (rows, w, mask, b) => op(rows.hot, rows.segments, rows.offsets, rows.gradientInputs, rows.gradientRows, w, mask, b),
    dispose: () => {
      positions.dispose()
    },
  }
}

/**
 * Cross-entropy of every softmax group at once, summed over rows and groups, with the analytic
 * gradient (p − target): `groups` is a categories × groups membership matrix, `groupsT` its transpose.
 */
export function groupedCrossEntropy(
  tf: Tf,
  groups: TF.Tensor2D,
  groupsT: TF.Tensor2D,
): (logits: TF.Tensor2D, target: TF.Tensor2D) => TF.Scalar {
  return tf.customGrad(((logits: TF.Tensor2D, target: TF.Tensor2D, save: TF.GradSaveFunc) => {
    const max = tf.max(logits, 1, true)
    const exp = tf.exp(tf.sub(logits, max))
    const sums = tf.add(tf.matMul(exp, groups), 1e-30)
    const logSumExp = tf.add(tf.log(sums), max)
    save([tf.div(exp, tf.matMul(sums, groupsT)), target])
    // Σ over groups of logsumexp − Σ target · logit (each target row has one 1 per group).
    return {
      value: tf.sub<TF.Scalar>(tf.sum(logSumExp), tf.sum(tf.mul(target, logits))),
      gradFunc: (dy: TF.Scalar, saved: TF.Tensor[]) => [tf.mul(dy, tf.sub(saved[0], saved[1])), tf.zerosLike(saved[1])],
    }
  }) as unknown as CustomGradFunction) as unknown as (logits: TF.Tensor2D, target: TF.Tensor2D) => TF.Scalar
}
