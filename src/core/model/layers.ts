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
