import { cellText } from '../io/cellText.ts'
import { columnValues } from '../io/columnLookup.ts'
import type { Cell, Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { LEARNED_KINDS, NUMERIC_KINDS } from '../meta/kinds.ts'
import { Random, sampleIndices } from '../random.ts'
import type { PrivacyReport } from '../report/types.ts'

/** The distance measures of the report's privacy section (schemas/quality-report.schema.json says what each is). */
export type PrivacyScores = Omit<PrivacyReport, 'verdict' | 'holdout' | 'note' | 'protection' | 'differentialPrivacy'>

/**
 * Rows as flat Float64 vectors for a Gower-style distance: numbers scaled by the training range
 * to [0, 1], categories as ids compared for equality, null as NaN (equal to null, 1 from anything else).
 */
function encoder(train: Table, columns: readonly ColumnMeta[]) {
  const scored = columns.filter((c) => !c.exclude && LEARNED_KINDS.has(c.kind))
  const specs = scored.map((c) => {
    const numeric = NUMERIC_KINDS.has(c.kind)
    let min = Infinity
    let max = -Infinity
    if (numeric) {
      for (const cell of columnValues(train, c.name)) {
        const v = cell instanceof Date ? cell.getTime() : (cell as number | null)
        if (v === null || Number.isNaN(v)) continue
        if (v < min) min = v
        if (v > max) max = v
      }
    }
    return { name: c.name, numeric, min, span: max > min ? max - min : 1, ids: new Map<string, number>() }
  })
  const width = specs.length
  const encode = (table: Table, rows: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(rows.length * width)
    specs.forEach((spec, c) => {
      const values = columnValues(table, spec.name)
      for (let r = 0; r < rows.length; r++) {
        const cell: Cell = values[rows[r]]
        let code: number
        if (cell === null || (typeof cell === 'number' && Number.isNaN(cell))) code = NaN
        else if (spec.numeric) code = ((cell instanceof Date ? cell.getTime() : (cell as number)) - spec.min) / spec.span
        else {
          // The type keeps 1 and "1" apart.
          const key = `${typeof cell}:${cellText(cell)}`
          code = spec.ids.get(key) ?? spec.ids.size
          spec.ids.set(key, code)
        }
        out[r * width + c] = code
      }
    })
    return out
  }
  return { width, numeric: specs.map((s) => s.numeric), encode }
}

/** Distance from one encoded row to the closest row of a block. */
function closest(row: Float64Array, offset: number, block: Float64Array, width: number, numeric: readonly boolean[]): number {
  let best = Infinity
  for (let start = 0; start < block.length; start += width) {
    let distance = 0
    for (let c = 0; c < width && distance < best; c++) {
      const a = row[offset + c]
      const b = block[start + c]
      if (Number.isNaN(a) || Number.isNaN(b)) distance += Number.isNaN(a) && Number.isNaN(b) ? 0 : 1
      else distance += numeric[c] ? Math.min(1, Math.abs(a - b)) : a === b ? 0 : 1
    }
    if (distance < best) best = distance
  }
  return best / width
}

const median = (values: Float64Array) => {
  const sorted = Float64Array.from(values).sort()
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0
}

/**
 * Distance to closest record: for each synthetic row, its nearest training row against its
 * nearest holdout row, with the training rows subsampled to the holdout's size so that both
 * sides have equal chances. A model that memorises puts synthetic rows nearer to training rows.
 * A tie counts half to each side: in a table with duplicate rows many synthetic rows lie as near
 * to both, and counting them to either side alone would move the share far from 0.5 by itself.
 */
export function scorePrivacy(
  train: Table,
  holdout: Table,
  synthetic: Table,
  columns: readonly ColumnMeta[],
  options: { seed?: number; maxRows?: number } = {},
): PrivacyScores {
  const random = new Random(options.seed ?? 0)
  const { width, numeric, encode } = encoder(train, columns)
  const all = (table: Table) => Float64Array.from({ length: table.rowCount }, (_, i) => i)
  const trainBlock = encode(train, sampleIndices(train.rowCount, holdout.rowCount, random))
  const holdoutBlock = encode(holdout, all(holdout))
  const syntheticRows = sampleIndices(synthetic.rowCount, options.maxRows ?? 5000, random)
  const syntheticBlock = encode(synthetic, syntheticRows)

  const toTrain = new Float64Array(syntheticRows.length)
  const toHoldout = new Float64Array(syntheticRows.length)
  let closerToTrain = 0
  for (let r = 0; r < syntheticRows.length; r++) {
    toTrain[r] = closest(syntheticBlock, r * width, trainBlock, width, numeric)
    toHoldout[r] = closest(syntheticBlock, r * width, holdoutBlock, width, numeric)
    if (toTrain[r] < toHoldout[r]) closerToTrain++
    else if (toTrain[r] === toHoldout[r]) closerToTrain += 0.5
  }

  // Exact copies are checked against the whole training set, by row key; the holdout's own rate is
  // what the data's duplicates give without any memorising.
  const key = (block: Float64Array, r: number) => Array.from(block.subarray(r * width, (r + 1) * width)).join('|')
  const fullTrain = encode(train, all(train))
  const trainKeys = new Set(Array.from({ length: train.rowCount }, (_, r) => key(fullTrain, r)))
  const copyShare = (block: Float64Array, rows: number) => {
    let copies = 0
    for (let r = 0; r < rows; r++) if (trainKeys.has(key(block, r))) copies++
    return rows ? copies / rows : 0
  }

  return {
    closerToTrainShare: closerToTrain / syntheticRows.length,
    exactCopyShare: copyShare(encode(synthetic, all(synthetic)), synthetic.rowCount),
    holdoutCopyShare: copyShare(holdoutBlock, holdout.rowCount),
    medianDistanceToTrain: median(toTrain),
    medianDistanceToHoldout: median(toHoldout),
    rowsCompared: syntheticRows.length,
  }
}
