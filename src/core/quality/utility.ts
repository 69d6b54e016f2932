import type * as TF from '@tensorflow/tfjs'
import { cellText } from '../io/cellText.ts'
import { columnValues } from '../io/columnLookup.ts'
import type { Cell, Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { LEARNED_KINDS, NUMERIC_KINDS } from '../meta/kinds.ts'
import type { Tf } from '../model/tensorflow.ts'
import { Random, shuffleInPlace } from '../random.ts'
import { rocAuc } from './metrics.ts'

/**
 * Machine-learning utility: a classifier for a target column trained on one table and scored
 * (ROC AUC) on real holdout rows. Trained on synthetic rows against trained on real rows, this
 * is "train synthetic, test real" (TSTR), the figure that shows whether relationships survived.
 */

interface Feature {
  readonly name: string
  readonly numeric: boolean
  readonly categories: readonly string[]
  readonly mean: number
  readonly std: number
  /** Heavy right tails (capital gains) are compressed with log1p before standardising. */
  readonly log: boolean
}

const asNumber = (cell: Cell) => (cell instanceof Date ? cell.getTime() : typeof cell === 'number' ? cell : NaN)

/** Features are fitted on the real training rows, so both classifiers see the same encoding. */
function fitFeatures(table: Table, columns: readonly ColumnMeta[], target: string): Feature[] {
  return columns
    .filter((c) => c.name !== target && !c.exclude && LEARNED_KINDS.has(c.kind))
    .map((c) => {
      const column = columnValues(table, c.name)
      if (!NUMERIC_KINDS.has(c.kind))
        return { name: c.name, numeric: false, categories: [...new Set(column.map(cellText))].sort(), mean: 0, std: 1, log: false }
      const numbers = column.map(asNumber).filter((v) => !Number.isNaN(v))
      const min = Math.min(...numbers)
      const median = [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]
      const log = min >= 0 && Math.max(...numbers) > 100 * (median + 1)
      const scaled = numbers.map((v) => (log ? Math.log1p(v) : v))
      const mean = scaled.reduce((s, v) => s + v, 0) / scaled.length
      const std = Math.sqrt(scaled.reduce((s, v) => s + (v - mean) ** 2, 0) / scaled.length) || 1
      return { name: c.name, numeric: true, categories: [], mean, std, log }
    })
}

function featureMatrix(table: Table, features: readonly Feature[]): { x: Float32Array; width: number } {
  const width = features.reduce((w, f) => w + (f.numeric ? 2 : f.categories.length), 0)
  const x = new Float32Array(table.rowCount * width)
  let offset = 0
  for (const feature of features) {
    const column = columnValues(table, feature.name)
    const index = new Map(feature.categories.map((c, i) => [c, i]))
    for (let r = 0; r < table.rowCount; r++) {
      if (feature.numeric) {
        const v = asNumber(column[r])
        // A missing number is 0 (the mean) with a flag beside it.
        x[r * width + offset] = Number.isNaN(v) ? 0 : ((feature.log ? Math.log1p(v) : v) - feature.mean) / feature.std
        x[r * width + offset + 1] = Number.isNaN(v) ? 1 : 0
      } else {
        const slot = index.get(cellText(column[r]))
        if (slot !== undefined) x[r * width + offset + slot] = 1
      }
    }
    offset += feature.numeric ? 2 : feature.categories.length
  }
  return { x, width }
}

export interface UtilityOptions {
  readonly target: string
  /** The target value counted as the positive class. */
  readonly positive: string
  readonly epochs?: number
  readonly seed?: number
}

/** Trains a one-hidden-layer MLP on `train` and returns its ROC AUC on `test`. */
export async function classifierAuc(
  tf: Tf,
  train: Table,
  test: Table,
  reference: Table,
  columns: readonly ColumnMeta[],
  options: UtilityOptions,
): Promise<number> {
  const features = fitFeatures(reference, columns, options.target)
  const labels = (table: Table) => columnValues(table, options.target).map((v) => cellText(v) === options.positive)
  const trainSet = featureMatrix(train, features)
  const testSet = featureMatrix(test, features)
  const seed = options.seed ?? 0
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [trainSet.width],
        units: 64,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  })
  model.compile({ optimizer: tf.train.adam(2e-3), loss: 'binaryCrossentropy' })
  const x = tf.tensor2d(trainSet.x, [train.rowCount, trainSet.width])
  const y = tf.tensor2d(Float32Array.from(labels(train), Number), [train.rowCount, 1])
  const testX = tf.tensor2d(testSet.x, [test.rowCount, testSet.width])
  try {
    // tfjs shuffles with Math.random; a seeded order per epoch keeps the figure reproducible.
    const random = new Random(seed)
    const order = Array.from({ length: train.rowCount }, (_, i) => i)
    for (let epoch = 0; epoch < (options.epochs ?? 10); epoch++) {
      shuffleInPlace(order, random)
      const indices = tf.tensor1d(order, 'int32')
      const [xs, ys] = [tf.gather(x, indices), tf.gather(y, indices)]
      // `verbose` keeps its default: only tfjs-node registers a progress logger, and the enum that
      // would say 0 is not exported.
      await model.fit(xs, ys, { epochs: 1, batchSize: 256, shuffle: false })
      tf.dispose([indices, xs, ys])
    }
    const scores = tf.tidy(() => (model.predict(testX) as TF.Tensor).dataSync())
    return rocAuc(labels(test), scores)
  } finally {
    tf.dispose([x, y, testX])
    model.dispose()
  }
}
