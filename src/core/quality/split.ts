import { takeRows, type Table } from '../io/table.ts'
import { Random, shuffleInPlace } from '../random.ts'

/** A seeded shuffle, then the first `trainShare` of the rows for training and the rest held out. */
export function splitTrainHoldout(table: Table, trainShare: number, seed: number): { train: Table; holdout: Table } {
  const order = Array.from({ length: table.rowCount }, (_, i) => i)
  shuffleInPlace(order, new Random(seed))
  const cut = Math.round(table.rowCount * trainShare)
  return { train: takeRows(table, order.slice(0, cut)), holdout: takeRows(table, order.slice(cut)) }
}
