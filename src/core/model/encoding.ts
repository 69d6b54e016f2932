import { columnValues } from '../io/columnLookup.ts'
import type { Cell, Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { holdsStrings, NUMERIC_KINDS, TEMPORAL_KINDS, type ColumnKind } from '../meta/kinds.ts'
import { DEFAULT_RARE_VALUE_ROWS, protectedRange, protectionOf, RARE_PLACEHOLDER } from '../meta/protection.ts'
import { Random } from '../random.ts'
import { fitMixture } from './gmm.ts'
import type { ModelDraw } from './model.ts'

/**
 * Column-type specific encodings between a table and the network's matrix, as in CTGAN/TVAE:
 * each learned column owns one softmax group (categories, or the modes of a numeric column)
 * and numeric columns also one offset within their mode. Nulls are one more category or mode,
 * so the null share and what it goes with are learned like any value.
 */

export type Category = string | number | boolean | null

export interface CategoricalEncoding {
  readonly type: 'categorical'
  readonly column: string
  readonly kind: ColumnKind
  /**
   * `weekday`: the day of the week (0 Sunday … 6 Saturday, UTC) of the date or timestamp column
   * encoded just before, learned beside it where the week has a shape (business days, weekend
   * peaks) that a mixture over time cannot hold; on decoding the date moves to that weekday.
   */
  readonly calendar?: 'weekday'
  /** One softmax slot each, in order; when `rare` is set one more slot, last, is the rare bucket. */
  readonly categories: readonly Category[]
  /**
   * The rare bucket's draws. Unprotected: the rare values themselves, by frequency. Protected: only
   * values seen in at least k rows (those beyond the slots), and for the rows of values seen fewer
   * times the placeholder (strings) or the column's kept categories by frequency (other values).
   */
  readonly rare?: { readonly values: readonly Category[]; readonly weights: readonly number[] }
  readonly start: number
  readonly size: number
}

export interface NumericEncoding {
  readonly type: 'numeric'
  readonly column: string
  readonly kind: ColumnKind
  /** Exact values (and null) taken as their own modes, before the mixture's modes. */
  readonly spikes: readonly (number | null)[]
  readonly means: readonly number[]
  readonly stds: readonly number[]
  readonly integral: boolean
  /** Every sampled value has at most this many decimals (1–6): drawn values are rounded to as many. */
  readonly decimals?: number
  /**
   * Whole numbers that are round more often than chance (budgets in millions): per number of digits,
   * the shares of values ending in k = 0, 1, … zeros; a drawn value with that many digits is rounded
   * to 10^k, k drawn by these shares.
   */
  readonly rounding?: readonly { readonly digits: number; readonly weights: readonly number[] }[]
  /**
   * Quantiles of the values the trained model draws in its modes (`drawn`) and of the sample's values
   * there (`real`), at the same probabilities: a drawn value is mapped from the one to the other, so
   * that the column's shape is the sample's even where a mixture of Gaussians cannot hold it.
   */
  readonly calibration?: { readonly drawn: readonly number[]; readonly real: readonly number[] }
  readonly min: number
  readonly max: number
  readonly start: number
  readonly size: number
  /** Index of the offset in the offsets block, or -1 when the column has no mixture modes. */
  readonly offset: number
}

export type ColumnEncoding = CategoricalEncoding | NumericEncoding

export interface EncodingOptions {
  readonly maxModes: number
  /** Mixture components lighter than this share of rows are dropped. */
  readonly minModeWeight: number
  /** A single value holding at least this share of rows becomes its own exact mode. */
  readonly spikeShare: number
  /** Numeric columns with at most this many distinct values are encoded as categories. */
  readonly maxDiscreteValues: number
  /**
   * A category seen in fewer rows than this shares one rare bucket (drawn by the values'
   * frequencies): a value seen once teaches the network nothing it could generalise.
   */
  readonly minCategoryRows: number
  /** At most this many of a column's most frequent categories get a slot; the rest share the bucket. */
  readonly maxCategorySlots: number
  /** k of value protection, for the columns whose metadata protects them (see meta/protection.ts). */
  readonly rareValueRows: number
  readonly mixtureSample: number
  /** Offsets are (x − mean) / (offsetScale · std), clipped into (−1, 1). */
  readonly offsetScale: number
  /** Dates spread over weekdays further than this (total variation from uniform) learn their weekday. */
  readonly weekdayShape: number
}

export const DEFAULT_ENCODING: EncodingOptions = {
  maxModes: 10,
  minModeWeight: 0.005,
  spikeShare: 0.05,
  maxDiscreteValues: 20,
  minCategoryRows: 2,
  maxCategorySlots: 256,
  rareValueRows: DEFAULT_RARE_VALUE_ROWS,
  mixtureSample: 5000,
  offsetScale: 4,
  weekdayShape: 0.1,
}

export interface TableEncoding {
  readonly columns: readonly ColumnEncoding[]
  /** Width of the offsets block (first in each row). */
  readonly offsets: number
  /** Width of the one-hot block (after the offsets). */
  readonly categories: number
  readonly offsetScale: number
}

export interface EncodedRows {
  readonly rows: number
  /** rows × (offsets + categories): offsets, then one-hots. */
  readonly x: Float32Array
  /** rows × offsets: 1 where the row's mode has an offset (a mixture mode, not a spike). */
  readonly mask: Float32Array
}

export const DAY_MS = 86_400_000

/** A cell on the number line; NaN and ±Infinity are learned as missing: no mixture fits them and model.json cannot hold them. */
export function toNumber(cell: Cell): number | null {
  if (cell === null) return null
  if (cell instanceof Date) return cell.getTime()
  return typeof cell === 'number' && Number.isFinite(cell) ? cell : null
}

export function toCategory(cell: Cell): Category {
  if (cell === null) return null
  if (cell instanceof Date) return cell.toISOString()
  if (typeof cell === 'number' && Number.isNaN(cell)) return null
  return cell as string | number | boolean
}

function countValues<T>(values: readonly T[]): [T, number][] {
  const counts = new Map<T, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
}

function categorical(
  column: ColumnMeta,
  values: readonly Category[],
  start: number,
  options: Pick<EncodingOptions, 'minCategoryRows' | 'maxCategorySlots'>,
  protect?: number,
): CategoricalEncoding {
  if (protect !== undefined) return protectedCategorical(column, values, start, options, protect)
  const counts = countValues(values)
  // Counts are sorted by frequency, so the kept categories are a prefix.
  const keptCount = Math.min(options.maxCategorySlots, counts.filter(([, n]) => n >= options.minCategoryRows).length)
  const kept = counts.slice(0, keptCount)
  const rare = counts.slice(keptCount)
  const rareTotal = rare.reduce((s, [, n]) => s + n, 0)
  // A lone rare value is a category of its own: a bucket of one would only rename it.
  const bucket = rare.length > 1
  const categories = [...kept, ...(bucket ? [] : rare)].map(([v]) => v)
  return {
    type: 'categorical',
    column: column.name,
    kind: column.kind,
    categories,
    ...(bucket ? { rare: { values: rare.map(([v]) => v), weights: rare.map(([, n]) => n / rareTotal) } } : {}),
    start,
    size: categories.length + (bucket ? 1 : 0),
  }
}

/**
 * A protected categorical column: values seen in fewer than k rows (null aside: it names no one) get
 * no slot and are not stored; their rows share the bucket with the values beyond the slots and come
 * back as shown values (`standIns`). Only a sample of fewer than 2k rows can leave nothing shown: its
 * values are kept as they are, strings aside, which become the placeholder.
 */
function protectedCategorical(
  column: ColumnMeta,
  values: readonly Category[],
  start: number,
  options: Pick<EncodingOptions, 'minCategoryRows' | 'maxCategorySlots'>,
  k: number,
): CategoricalEncoding {
  const counts = countValues(values)
  const shown = counts.filter(([v, n]) => v === null || n >= k)
  const hidden = counts.filter(([v, n]) => v !== null && n < k)
  const visible = shown.filter(([v]) => v !== null)
  if (visible.length === 0 && hidden.length > 0 && !holdsStrings(column)) return categorical(column, values, start, options)
  // Counts are sorted by frequency, so the kept categories are a prefix.
  const keptCount = Math.min(options.maxCategorySlots, shown.filter(([, n]) => n >= options.minCategoryRows).length)
  const kept = shown.slice(0, keptCount)
  const draws = new Map(shown.slice(keptCount))
  for (const [value, rows] of standIns(hidden, visible)) draws.set(value, (draws.get(value) ?? 0) + rows)
  const drawTotal = [...draws.values()].reduce((s, n) => s + n, 0)
  return {
    type: 'categorical',
    column: column.name,
    kind: column.kind,
    categories: kept.map(([v]) => v),
    ...(draws.size > 0 ? { rare: { values: [...draws.keys()], weights: [...draws.values()].map((n) => n / drawTotal) } } : {}),
    start,
    size: kept.length + (draws.size > 0 ? 1 : 0),
  }
}

/**
 * What the rows of hidden values come back as, given the shown values (by frequency): a number as the
 * nearest shown number, anything else as the shown values by frequency, so every generated value is one
 * the column holds (SDMetrics' category adherence stays 1); the placeholder only for strings with nothing
 * shown.
 */
function standIns(hidden: readonly [Category, number][], visible: readonly [Category, number][]): [Category, number][] {
  const spread = hidden.reduce((s, [v, n]) => (typeof v === 'number' ? s : s + n), 0)
  if (visible.length === 0) return spread > 0 ? [[RARE_PLACEHOLDER, spread]] : []
  const numbers = visible.map(([v]) => v).filter((v): v is number => typeof v === 'number')
  const nearest = (value: number) =>
    numbers.reduce((best, v) =>
      Math.abs(v - value) < Math.abs(best - value) || (Math.abs(v - value) === Math.abs(best - value) && v < best) ? v : best,
    )
  const visibleRows = visible.reduce((s, [, n]) => s + n, 0)
  return [
    ...hidden
      .filter((entry): entry is [number, number] => typeof entry[0] === 'number')
      .map(([v, n]): [Category, number] => [nearest(v), n]),
    ...(spread > 0 ? visible.map(([v, n]): [Category, number] => [v, (n / visibleRows) * spread]) : []),
  ]
}

export const MAX_DECIMALS = 6
/** Values of two or more digits ending in a zero at least this often (chance: 0.1) are kept round. */
export const ROUND_SHARE = 0.3

/** The fewest decimals (1–6) that write every value exactly, if any. */
export function decimalsOf(values: readonly number[]): number | undefined {
  for (let d = 1; d <= MAX_DECIMALS; d++) {
    const scale = 10 ** d
    if (values.every((v) => Math.abs(v * scale - Math.round(v * scale)) <= 1e-9 * Math.max(1, Math.abs(v * scale)))) return d
  }
  return undefined
}

/** Whole numbers from here on are written with an exponent: their digits are not counted. */
export const ROUNDED_BELOW = 1e15
export const digitsOf = (value: number) => String(Math.abs(value)).length
export function trailingZeros(value: number): number {
  let zeros = 0
  for (let v = Math.abs(value); v >= 10 && v % 10 === 0; v /= 10) zeros++
  return zeros
}

/** The shares of trailing zeros per number of digits, when whole numbers are round more often than chance. */
function roundingOf(values: readonly number[]): NumericEncoding['rounding'] {
  const long = values.filter((v) => Math.abs(v) >= 10 && Math.abs(v) < ROUNDED_BELOW)
  if (long.length === 0 || long.filter((v) => v % 10 === 0).length < ROUND_SHARE * long.length) return undefined
  const counts = new Map<number, number[]>()
  for (const v of long) {
    const digits = digitsOf(v)
    const row = counts.get(digits) ?? new Array<number>(digits).fill(0)
    row[trailingZeros(v)]++
    counts.set(digits, row)
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([digits, row]) => {
      const total = row.reduce((a, b) => a + b, 0)
      return { digits, weights: row.map((n) => n / total) }
    })
}

function numeric(
  column: ColumnMeta,
  raw: readonly (number | null)[],
  start: number,
  offset: number,
  random: Random,
  options: EncodingOptions,
  protect?: number,
): NumericEncoding {
  // Protected: every figure below, spikes, modes and range included, is learned from the clipped values.
  const values = clipped(raw, protect)
  const present = values.filter((v): v is number => v !== null)
  const counts = countValues(values)
  const spikes = counts.filter(([v, n]) => v === null || n / values.length >= options.spikeShare).map(([v]) => v)
  const spikeSet = new Set(spikes)
  const rest = present.filter((v) => !spikeSet.has(v))
  let min = Infinity
  let max = -Infinity
  for (const v of present) {
    if (v < min) min = v
    if (v > max) max = v
  }
  const integral = column.kind !== 'continuous' || present.every(Number.isInteger)
  const temporal = TEMPORAL_KINDS.has(column.kind)
  const decimals = integral || temporal ? undefined : decimalsOf(present)
  // Learned from the mixture's values only: spikes are drawn exactly.
  const rounding = integral && !temporal ? roundingOf(rest) : undefined
  const means: number[] = []
  const stds: number[] = []
  if (rest.length > 0) {
    const sample =
      rest.length > options.mixtureSample
        ? Float64Array.from({ length: options.mixtureSample }, () => rest[random.int(rest.length)])
        : Float64Array.from(rest)
    const mean = sample.reduce((s, v) => s + v, 0) / sample.length
    const spread = Math.sqrt(sample.reduce((s, v) => s + (v - mean) ** 2, 0) / sample.length)
    const unit = column.kind === 'date' ? DAY_MS : 1
    const mixture = fitMixture(
      sample,
      Math.min(options.maxModes, new Set(sample).size),
      Math.max(spread * 1e-3, integral ? 0.25 * unit : 1e-9),
    )
    const restShare = rest.length / values.length
    mixture.weights.forEach((weight, j) => {
      if (weight * restShare >= options.minModeWeight || mixture.weights.length === 1) {
        means.push(mixture.means[j])
        stds.push(mixture.stds[j])
      }
    })
    if (means.length === 0) {
      const heaviest = mixture.weights.indexOf(Math.max(...mixture.weights))
      means.push(mixture.means[heaviest])
      stds.push(mixture.stds[heaviest])
    }
  }
  return {
    type: 'numeric',
    column: column.name,
    kind: column.kind,
    spikes,
    means,
    stds,
    integral,
    ...(decimals !== undefined ? { decimals } : {}),
    ...(rounding ? { rounding } : {}),
    min,
    max,
    start,
    size: spikes.length + means.length,
    offset: means.length > 0 ? offset : -1,
  }
}

/** Values clipped to the protected range of their numbers (unchanged without `protect`). */
function clipped<T extends number | null>(values: readonly T[], protect: number | undefined): T[] {
  if (protect === undefined) return [...values]
  const present = values.filter((v): v is NonNullable<T> => v !== null)
  if (present.length === 0) return [...values]
  const { min, max } = protectedRange(Float64Array.from(present).sort(), protect)
  return values.map((v) => (v === null ? v : (Math.max(min, Math.min(max, v)) as T)))
}

/** The drawn offsets of a numeric column with mixture modes: the model draws one per row for such a column. */
function drawnOffsets(offsets: readonly (Float32Array | null)[], c: number, column: NumericEncoding): Float32Array {
  const found = offsets[c]
  if (!found) throw new Error(`the draw has no offsets for column "${column.column}", which has mixture modes`)
  return found
}

export const weekdayOf = (cell: Cell): Category => (cell instanceof Date ? cell.getUTCDay() : null)

/**
 * Whether the weekdays of a date column have a shape worth learning: the column spans at least
 * four weeks (else its weekdays follow from its dates) and its weekday shares differ from even ones.
 */
function weekdayHelps(values: readonly Cell[], options: EncodingOptions): boolean {
  const dates = values.filter((v): v is Date => v instanceof Date)
  if (dates.length === 0) return false
  let first = Infinity
  let last = -Infinity
  for (const date of dates) {
    first = Math.min(first, date.getTime())
    last = Math.max(last, date.getTime())
  }
  if (last - first < 28 * DAY_MS) return false
  const shares = new Array<number>(7).fill(0)
  for (const date of dates) shares[date.getUTCDay()] += 1 / dates.length
  return shares.reduce((sum, share) => sum + Math.abs(share - 1 / 7), 0) / 2 >= options.weekdayShape
}

/** Quantiles taken for calibration from the sample: every half percent. */
const CALIBRATION_PROBABILITIES = Array.from({ length: 201 }, (_, i) => i / 200)

/** The value at each probability of sorted values (nearest rank, low side). */
function quantiles(sorted: Float64Array, probabilities: readonly number[]): number[] {
  return probabilities.map((p) => sorted[Math.floor(p * (sorted.length - 1))])
}

/** A map from the quantiles of drawn values to those of real values (undefined with fewer than two of either). */
export function quantileCalibration(drawn: readonly number[], real: readonly number[]): { drawn: number[]; real: number[] } | undefined {
  if (drawn.length < 2 || real.length < 2) return undefined
  return {
    drawn: quantiles(Float64Array.from(drawn).sort(), CALIBRATION_PROBABILITIES),
    real: quantiles(Float64Array.from(real).sort(), CALIBRATION_PROBABILITIES),
  }
}

/** A mode's value from its slot and offset, before rounding and clipping. */
function modeValue(column: NumericEncoding, slot: number, offset: number, offsetScale: number): number {
  const mode = slot - column.spikes.length
  return column.means[mode] + Math.max(-1, Math.min(1, offset)) * offsetScale * column.stds[mode]
}

/** Per encoded column, the quantiles of its real values in modes at `probabilities` (undefined: not calibrated). */
export interface RealQuantiles {
  readonly probabilities: readonly number[]
  readonly columns: readonly (readonly number[] | undefined)[]
}

/** The sample's quantiles of each numeric column's values in modes (spikes and nulls are drawn exactly). */
export function sampleQuantiles(encoding: TableEncoding, table: Table): RealQuantiles {
  const columns = encoding.columns.map((column) => {
    if (column.type !== 'numeric' || column.means.length === 0) return undefined
    const spikes = new Set(column.spikes)
    const real = Float64Array.from(
      columnValues(table, column.column)
        .map(toNumber)
        // Clipped as in fitting, so that protected extremes stay out of the stored quantiles.
        .map((v) => (v === null ? v : Math.max(column.min, Math.min(column.max, v))))
        .filter((v): v is number => v !== null && !spikes.has(v)),
    ).sort()
    return real.length < 2 ? undefined : quantiles(real, CALIBRATION_PROBABILITIES)
  })
  return { probabilities: CALIBRATION_PROBABILITIES, columns }
}

/**
 * The encoding with each numeric column's calibration, from a draw of the trained model and the real
 * quantiles (the sample's, or under DP the private ones the encoding was fitted with).
 */
export function calibrateEncoding(encoding: TableEncoding, draw: ModelDraw, real: RealQuantiles): TableEncoding {
  const columns = encoding.columns.map((column, c): ColumnEncoding => {
    const realQuantiles = real.columns[c]
    if (column.type !== 'numeric' || column.means.length === 0 || !realQuantiles) return column
    const offsets = drawnOffsets(draw.offsets, c, column)
    const drawn = Float64Array.from(
      Array.from(draw.slots[c]).flatMap((slot, r) =>
        slot >= column.spikes.length ? [modeValue(column, slot, offsets[r], encoding.offsetScale)] : [],
      ),
    ).sort()
    if (drawn.length < 2) return column
    const calibration = { drawn: quantiles(drawn, real.probabilities), real: [...realQuantiles] }
    const rounding =
      column.rounding &&
      roundingAfter(
        column.rounding,
        Array.from(drawn, (v) => Math.max(column.min, Math.min(column.max, Math.round(calibrated(v, calibration))))),
      )
    return { ...column, calibration, ...(rounding ? { rounding } : {}) }
  })
  return { ...encoding, columns }
}

/** Per categorical column, how many of the encoded rows hold each slot (null for other columns). */
export function categoryCounts(encoding: TableEncoding, encoded: EncodedRows): (Float64Array | null)[] {
  const width = encoding.offsets + encoding.categories
  return encoding.columns.map((column) => {
    if (column.type !== 'categorical') return null
    const counts = new Float64Array(column.size)
    for (let r = 0; r < encoded.rows; r++) {
      const at = r * width + encoding.offsets + column.start
      for (let slot = 0; slot < column.size; slot++) if (encoded.x[at + slot] === 1) counts[slot]++
    }
    return counts
  })
}

/**
 * Per categorical column, what to add to each slot's logit so that the trained model draws its
 * categories as often as the sample holds them (`sample`: its `categoryCounts`): log(sample share) −
 * log(drawn share), both smoothed by half a row. An autoregressive model's conditionals, each fitted
 * from few rows, do not add up to the marginal exactly where categories are many and rare; a shift of
 * the head's bias does, and keeps how the category depends on the columns before it. Numeric columns
 * get their calibration instead.
 */
export function marginalCorrections(
  encoding: TableEncoding,
  sample: readonly (Float64Array | null)[],
  draw: ModelDraw,
): (Float32Array | null)[] {
  return encoding.columns.map((column, c) => {
    const real = sample[c]
    if (!real || column.size < 2) return null
    const drawn = new Float64Array(column.size)
    for (const slot of draw.slots[c]) drawn[slot]++
    const share = (counts: Float64Array, total: number, slot: number) => (counts[slot] + 0.5) / (total + 0.5 * column.size)
    const rows = real.reduce((a, b) => a + b, 0)
    return Float32Array.from(real, (_, slot) => Math.log(share(real, rows, slot)) - Math.log(share(drawn, draw.slots[c].length, slot)))
  })
}

/**
 * Rounding shares for values that are already round as often as `values` are (calibration maps many
 * onto the sample's round values): rounding to 10^K with P(K ≥ k) = D_k makes a value end in k or more
 * zeros with probability A_k + (1 − A_k)·D_k, where A_k is that share before; D_k is chosen so that this
 * is the sample's share, and kept falling in k.
 */
function roundingAfter(rounding: NonNullable<NumericEncoding['rounding']>, values: readonly number[]): NumericEncoding['rounding'] {
  return rounding.map(({ digits, weights }) => {
    const group = values.filter((v) => Math.abs(v) < ROUNDED_BELOW && digitsOf(v) === digits)
    if (group.length === 0) return { digits, weights }
    const atLeast = (shares: readonly number[], k: number) => shares.slice(k).reduce((a, b) => a + b, 0)
    const before = new Array<number>(digits).fill(0)
    for (const v of group) before[trailingZeros(v)] += 1 / group.length
    const draw = weights.map((_, k) =>
      k === 0 ? 1 : Math.min(1, Math.max(0, (atLeast(weights, k) - atLeast(before, k)) / Math.max(1e-12, 1 - atLeast(before, k)))),
    )
    for (let k = 1; k < draw.length; k++) draw[k] = Math.min(draw[k], draw[k - 1])
    return { digits, weights: draw.map((d, k) => d - (draw[k + 1] ?? 0)) }
  })
}

/** `value` mapped from the drawn quantiles to the real ones, linearly between neighbouring points. */
export function calibrated(value: number, { drawn, real }: NonNullable<NumericEncoding['calibration']>): number {
  const last = drawn.length - 1
  if (value <= drawn[0]) return real[0]
  if (value >= drawn[last]) return real[last]
  // The i with drawn[i] <= value < drawn[i + 1].
  let low = 0
  let high = last - 1
  while (low < high) {
    const middle = (low + high) >> 1
    if (drawn[middle + 1] > value) high = middle
    else low = middle + 1
  }
  return real[low] + ((value - drawn[low]) / (drawn[low + 1] - drawn[low])) * (real[low + 1] - real[low])
}

/** Numbers with few values and weekdays: every value is a category of its own. */
const EVERY_CATEGORY = { minCategoryRows: 0, maxCategorySlots: Infinity }

/** Fits an encoding to the learned columns (kinds that carry a distribution) of a table. */
export function fitEncoding(
  table: Table,
  columns: readonly ColumnMeta[],
  seed: number,
  options: EncodingOptions = DEFAULT_ENCODING,
): TableEncoding {
  const random = new Random(seed)
  const encodings: ColumnEncoding[] = []
  let start = 0
  let offsets = 0
  for (const column of columns) {
    const values = columnValues(table, column.name)
    const protect = protectionOf(column, options.rareValueRows)
    let encoding: ColumnEncoding
    if (NUMERIC_KINDS.has(column.kind)) {
      const numbers = values.map(toNumber)
      encoding =
        new Set(numbers).size <= options.maxDiscreteValues
          ? categorical(column, clipped(numbers, protect), start, EVERY_CATEGORY, protect)
          : numeric(column, numbers, start, offsets, random, options, protect)
    } else {
      encoding = categorical(column, values.map(toCategory), start, options, protect)
    }
    encodings.push(encoding)
    start += encoding.size
    if (encoding.type === 'numeric' && encoding.offset >= 0) offsets++
    if (encoding.type === 'numeric' && TEMPORAL_KINDS.has(column.kind) && weekdayHelps(values, options)) {
      const weekday: CategoricalEncoding = { ...categorical(column, values.map(weekdayOf), start, EVERY_CATEGORY), calendar: 'weekday' }
      encodings.push(weekday)
      start += weekday.size
    }
  }
  return { columns: encodings, offsets, categories: start, offsetScale: options.offsetScale }
}

/** Encodes rows; a numeric value's mode is drawn from its posterior (as CTGAN does), hence `seed`. */
export function encodeRows(encoding: TableEncoding, table: Table, seed: number): EncodedRows {
  const random = new Random(seed)
  const rows = table.rowCount
  const width = encoding.offsets + encoding.categories
  const x = new Float32Array(rows * width)
  const mask = new Float32Array(rows * encoding.offsets)
  const base = encoding.offsets
  const posterior = new Float64Array(64)
  for (const column of encoding.columns) {
    const values = columnValues(table, column.column)
    if (column.type === 'categorical') {
      const slots = new Map<Category, number>(column.categories.map((v, i) => [v, i]))
      // A value the bucket draws that has a slot of its own (a protected or DP column's stand-in) keeps its slot.
      for (const value of column.rare?.values ?? []) if (!slots.has(value)) slots.set(value, column.categories.length)
      const convert = column.calendar === 'weekday' ? weekdayOf : NUMERIC_KINDS.has(column.kind) ? toNumber : toCategory
      for (let r = 0; r < rows; r++) {
        // A value never seen in fitting goes to the rare bucket, or else to the first slot.
        const slot = slots.get(convert(values[r])) ?? (column.rare ? column.categories.length : 0)
        x[r * width + base + column.start + slot] = 1
      }
      continue
    }
    const modes = column.means.length
    for (let r = 0; r < rows; r++) {
      const number = toNumber(values[r])
      // Protected extremes are learned at their clip bounds (a no-op for unprotected columns).
      const value = number === null ? null : Math.max(column.min, Math.min(column.max, number))
      const spike = column.spikes.indexOf(value)
      if (spike >= 0 || value === null) {
        x[r * width + base + column.start + Math.max(spike, 0)] = 1
        continue
      }
      let total = 0
      for (let j = 0; j < modes; j++) {
        const z = (value - column.means[j]) / column.stds[j]
        posterior[j] = Math.exp(-0.5 * z * z) / column.stds[j] + 1e-300
        total += posterior[j]
      }
      let u = random.next() * total
      let mode = 0
      for (; mode < modes - 1; mode++) {
        u -= posterior[mode]
        if (u <= 0) break
      }
      x[r * width + base + column.start + column.spikes.length + mode] = 1
      const offset = (value - column.means[mode]) / (encoding.offsetScale * column.stds[mode])
      x[r * width + column.offset] = Math.max(-0.99, Math.min(0.99, offset))
      mask[r * encoding.offsets + column.offset] = 1
    }
  }
  return { rows, x, mask }
}

function pickWeighted<T>(values: readonly T[], weights: readonly number[], random: Random): T {
  let u = random.next()
  for (let i = 0; i < values.length - 1; i++) {
    u -= weights[i]
    if (u <= 0) return values[i]
  }
  return values[values.length - 1]
}

/** A decoded number as the column's cell: whole numbers rounded, instants as Dates (dates at midnight UTC). */
function numberCell(kind: ColumnKind, value: number | null): Cell {
  if (value === null) return null
  if (kind === 'date') return new Date(Math.round(value / DAY_MS) * DAY_MS)
  if (kind === 'timestamp') return new Date(Math.round(value))
  return value
}

/**
 * Rebuilds values from the slot drawn in each column's softmax group and, for numeric modes,
 * the offset drawn within the mode; numbers are clipped to the range seen in training.
 */
export function decodeChoices(
  encoding: TableEncoding,
  slots: readonly Int32Array[],
  offsets: readonly (Float32Array | null)[],
  rows: number,
  random: Random,
): Cell[][] {
  const decoded = encoding.columns.map((column, c) => {
    const out = new Array<Cell>(rows)
    for (let r = 0; r < rows; r++) {
      const slot = slots[c][r]
      if (column.type === 'categorical') {
        const value =
          slot === column.categories.length && column.rare
            ? pickWeighted(column.rare.values, column.rare.weights, random)
            : column.categories[slot]
        out[r] = NUMERIC_KINDS.has(column.kind) && !column.calendar ? numberCell(column.kind, value as number | null) : value
        continue
      }
      if (slot < column.spikes.length) {
        out[r] = numberCell(column.kind, column.spikes[slot])
        continue
      }
      let value = modeValue(column, slot, drawnOffsets(offsets, c, column)[r], encoding.offsetScale)
      if (column.calibration) value = calibrated(value, column.calibration)
      if (column.integral && !TEMPORAL_KINDS.has(column.kind)) value = Math.round(value)
      if (column.decimals !== undefined) value = Math.round(value * 10 ** column.decimals) / 10 ** column.decimals
      value = Math.max(column.min, Math.min(column.max, value))
      if (column.rounding) value = roundLike(value, column.rounding, column, random)
      out[r] = numberCell(column.kind, value)
    }
    return out
  })
  encoding.columns.forEach((column, c) => {
    if (c === 0 || column.type !== 'categorical' || column.calendar !== 'weekday') return
    const dates = encoding.columns[c - 1]
    if (dates.type === 'numeric') moveToWeekdays(decoded[c - 1], decoded[c], dates)
  })
  return decoded
}

/** A whole number rounded to 10^k, k drawn by the shares learned for its number of digits, kept in range. */
function roundLike(value: number, rounding: NonNullable<NumericEncoding['rounding']>, range: NumericEncoding, random: Random): number {
  const shares = Math.abs(value) < ROUNDED_BELOW ? rounding.find((r) => r.digits === digitsOf(value)) : undefined
  if (!shares) return value
  const step =
    10 **
    pickWeighted(
      shares.weights.map((_, k) => k),
      shares.weights,
      random,
    )
  const rounded = Math.round(value / step) * step
  return rounded >= range.min && rounded <= range.max ? rounded : value
}

/** Moves each date by at most three days to the weekday drawn for it, staying in the learned range. */
function moveToWeekdays(dates: Cell[], weekdays: readonly Cell[], range: NumericEncoding): void {
  for (let r = 0; r < dates.length; r++) {
    const date = dates[r]
    const weekday = weekdays[r]
    if (!(date instanceof Date) || typeof weekday !== 'number') continue
    const ahead = (weekday - date.getUTCDay() + 7) % 7
    const shifts = ahead <= 3 ? [ahead, ahead - 7] : [ahead - 7, ahead]
    for (const days of shifts) {
      const time = date.getTime() + days * DAY_MS
      if (time >= range.min - DAY_MS / 2 && time <= range.max + DAY_MS / 2) {
        dates[r] = new Date(time)
        break
      }
    }
  }
}
