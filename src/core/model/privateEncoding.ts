import { columnValues } from '../io/columnLookup.ts'
import type { Cell, Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { holdsStrings, NUMERIC_KINDS, TEMPORAL_KINDS } from '../meta/kinds.ts'
import { protectionOf, RARE_PLACEHOLDER } from '../meta/protection.ts'
import type { ColumnBudget, EncodingBudget } from '../privacy/encodingBudget.ts'
import {
  dpQuantiles,
  dpRange,
  exponentialEpsilon,
  gaussianSigma,
  quantileLevels,
  selectionThreshold,
  selectKeys,
  type SecureRandom,
} from '../privacy/mechanisms.ts'
import {
  DAY_MS,
  decimalsOf,
  digitsOf,
  MAX_DECIMALS,
  ROUND_SHARE,
  ROUNDED_BELOW,
  toCategory,
  toNumber,
  trailingZeros,
  weekdayOf,
  type CategoricalEncoding,
  type Category,
  type ColumnEncoding,
  type EncodingOptions,
  type NumericEncoding,
  type RealQuantiles,
  type TableEncoding,
} from './encoding.ts'

/**
 * The encodings under differential privacy: every figure they hold comes out of a DP mechanism
 * (privacy/mechanisms.ts) spending the column's share of the encodings' budget, never from the rows as they
 * are. Categories are the values whose noisy counts clear a selection threshold, the rest sharing an always
 * present rare bucket; a number's spikes likewise; its range, modes and calibration come from DP quantiles
 * within a DP range; its decimals and rounding from a noisy vote; a date's weekday shape from noisy counts.
 * What a column's structure depends on (which slots exist) is decided from these outputs or from the metadata.
 */

/**
 * The probabilities of a numeric column's DP quantiles: its clip bounds (a percent in from each end), and every
 * 1/16 between, which place its modes and calibrate it. 17 probabilities cost 5 levels.
 */
export const PRIVATE_QUANTILE_PROBABILITIES: readonly number[] = [0.01, ...Array.from({ length: 15 }, (_, i) => (i + 1) / 16), 0.99]
/** Modes a numeric column gets from its quantiles: one per eighth of its values. */
const PRIVATE_MODES = 8
/** Selected values must hold this (noisy) share of a number's values for it to be encoded as categories. */
const DISCRETE_COVERAGE = 0.8

/** Shares of a numeric column's ρ: value counts (nulls, spikes, few values), range, quantiles, then the noisy vote (decimals and rounding) or, for dates, the weekdays. */
const NUMERIC_SHARES = { counts: 0.25, range: 0.1, quantiles: 0.5, vote: 0.15 } as const

/** A learned number's weight in the encodings' budget (see EncodingBudget): it releases four statistics, a category column one. */
export function budgetWeight(column: ColumnMeta): number {
  return NUMERIC_KINDS.has(column.kind) ? 2 : 1
}

export interface PrivateEncoding {
  readonly encoding: TableEncoding
  /** The DP quantiles numeric columns are calibrated to after training. */
  readonly quantiles: RealQuantiles
  /** Per categorical column, the noisy rows of each slot (as `categoryCounts` counts them), which its shares are corrected to. */
  readonly counts: readonly (Float64Array | null)[]
}

/** Fits an encoding to the learned columns, each spending its share of `budget`. */
export function fitPrivateEncoding(
  table: Table,
  columns: readonly ColumnMeta[],
  options: EncodingOptions,
  budget: EncodingBudget,
  random: SecureRandom,
): PrivateEncoding {
  const encodings: ColumnEncoding[] = []
  const quantiles: (number[] | undefined)[] = []
  const counts: (Float64Array | null)[] = []
  let start = 0
  let offsets = 0
  const add = (encoding: ColumnEncoding, real?: number[], slotCounts?: Float64Array) => {
    encodings.push(encoding)
    quantiles.push(real)
    counts.push(slotCounts ?? null)
    start += encoding.size
    if (encoding.type === 'numeric' && encoding.offset >= 0) offsets++
  }
  for (const column of columns) {
    const values = columnValues(table, column.name)
    const share = budget.column(column.name, budgetWeight(column))
    const k = protectionOf(column, options.rareValueRows) ?? 1
    if (!NUMERIC_KINDS.has(column.kind)) {
      const fitted = privateCategorical(column, values.map(toCategory), start, options, share, k, random)
      add(fitted.encoding, undefined, fitted.counts)
      continue
    }
    const fitted = privateNumber(column, values, start, offsets, options, share, k, random)
    add(fitted.encoding, fitted.quantiles, fitted.counts)
    if (fitted.weekdays) add({ ...weekdayEncoding(column, start), calendar: 'weekday' })
  }
  return {
    encoding: { columns: encodings, offsets, categories: start, offsetScale: options.offsetScale },
    quantiles: { probabilities: PRIVATE_QUANTILE_PROBABILITIES, columns: quantiles },
    counts,
  }
}

/** Counts of each value (null aside) and of nulls. */
function tally<T>(values: readonly (T | null)[]): { counts: Map<T, number>; nulls: number } {
  const counts = new Map<T, number>()
  let nulls = 0
  for (const value of values) {
    if (value === null) nulls++
    else counts.set(value, (counts.get(value) ?? 0) + 1)
  }
  return { counts, nulls }
}

/**
 * A categorical column: the values whose noisy counts clear the selection threshold (booleans are public: both
 * always), by noisy count; null a slot when the metadata says the column is nullable. The rare bucket is always
 * there, so that the rows of values not selected have a slot whatever the data: they come back from it as the
 * selected values by noisy frequency (strings as the placeholder when none is). One Gaussian release, sensitivity 1
 * (null is a public key of it).
 */
function privateCategorical(
  column: ColumnMeta,
  values: readonly Category[],
  start: number,
  options: Pick<EncodingOptions, 'maxCategorySlots'>,
  share: ColumnBudget,
  k: number,
  random: SecureRandom,
): SlotCounted<CategoricalEncoding> {
  const sigma = gaussianSigma(share.rho)
  const { counts, nulls } = tally(values)
  const boolean = column.kind === 'boolean'
  if (boolean) for (const value of [false, true]) counts.set(value, counts.get(value) ?? 0)
  // Booleans are a public domain: no value needs selecting, so no δ is spent.
  const threshold = boolean ? -Infinity : Math.max(k, selectionThreshold(sigma, share.selectionDelta))
  share.spend(share.rho, boolean ? 0 : share.selectionDelta)
  const selected = selectKeys(counts, sigma, threshold, random)
  return categoricalFrom(column, selected, nulls + sigma * random.gaussian(), values.length, start, options.maxCategorySlots)
}

/** An encoding and, per slot, its noisy rows. */
interface SlotCounted<E extends ColumnEncoding> {
  readonly encoding: E
  readonly counts: Float64Array
}

/**
 * The categorical encoding of selected values from their noisy counts and the noisy nulls (see
 * `privateCategorical`): the rows of values not selected are the public row count less those.
 */
function categoricalFrom(
  column: ColumnMeta,
  selected: readonly [Category, number][],
  nulls: number,
  rows: number,
  start: number,
  slots: number,
): SlotCounted<CategoricalEncoding> {
  const kept = selected.slice(0, slots)
  const beyond = selected.slice(slots).filter(([, n]) => n > 0)
  const unselected = Math.max(0, rows - Math.max(0, nulls) - selected.reduce((sum, [, n]) => sum + Math.max(0, n), 0))
  const shown = beyond.length > 0 ? beyond : kept.filter(([, n]) => n > 0)
  // Selected values by noisy frequency: every generated value is one the column holds.
  const draws: [Category, number][] = shown.length > 0 ? shown : [[holdsStrings(column) ? RARE_PLACEHOLDER : null, 1]]
  const total = draws.reduce((sum, [, n]) => sum + n, 0)
  const categories = [...kept.map(([value]) => value), ...(column.nullable ? [null] : [])]
  const bucket = beyond.reduce((sum, [, n]) => sum + n, 0) + unselected
  const counts = Float64Array.from([...kept.map(([, n]) => Math.max(0, n)), ...(column.nullable ? [Math.max(0, nulls)] : []), bucket])
  return {
    encoding: {
      type: 'categorical',
      column: column.name,
      kind: column.kind,
      categories,
      rare: { values: draws.map(([value]) => value), weights: draws.map(([, n]) => (total > 0 ? n / total : 1 / draws.length)) },
      start,
      size: categories.length + 1,
    },
    counts,
  }
}

/** Weekdays 0–6 (and null for a nullable column) as categories: a public domain, learned by the network. */
function weekdayEncoding(column: ColumnMeta, start: number): CategoricalEncoding {
  const categories: Category[] = [0, 1, 2, 3, 4, 5, 6, ...(column.nullable ? [null] : [])]
  return { type: 'categorical', column: column.name, kind: column.kind, categories, start, size: categories.length }
}

/**
 * A numeric column. One Gaussian release of its value counts selects the values held by many rows: when at
 * most `maxDiscreteValues` of them hold nearly all its values the column is categorical (the rest of its ρ
 * counts those values again, and the two noisy counts are averaged); else those with a `spikeShare` of the
 * rows are its spikes, and the other values get a DP range, DP quantiles (clip bounds, modes, calibration) and
 * a noisy vote on their decimals and round numbers, or for dates on their weekdays.
 */
function privateNumber(
  column: ColumnMeta,
  cells: readonly Cell[],
  start: number,
  offset: number,
  options: EncodingOptions,
  share: ColumnBudget,
  k: number,
  random: SecureRandom,
): { encoding: ColumnEncoding; quantiles?: number[]; counts?: Float64Array; weekdays?: boolean } {
  const numbers = cells.map(toNumber)
  const { counts, nulls } = tally(numbers)
  const countsSigma = gaussianSigma(NUMERIC_SHARES.counts * share.rho)
  share.spend(NUMERIC_SHARES.counts * share.rho, share.selectionDelta)
  const selected = selectKeys(counts, countsSigma, Math.max(k, selectionThreshold(countsSigma, share.selectionDelta)), random)
  // Null is a public key of the same release (a row adds to one count only): the rows holding a number are
  // the public row count less the noisy nulls.
  const noisyNulls = nulls + countsSigma * random.gaussian()
  const noisyPresent = numbers.length - noisyNulls
  const selectedRows = selected.reduce((sum, [, n]) => sum + n, 0)
  if (selected.length > 0 && selected.length <= options.maxDiscreteValues && selectedRows >= DISCRETE_COVERAGE * noisyPresent) {
    return discreteNumber(column, selected, counts, noisyNulls, numbers.length, start, share, random)
  }
  const spikes = selected.filter(([, n]) => n >= options.spikeShare * numbers.length).map(([value]) => value)
  const spikeSet = new Set(spikes)
  const rest = numbers.filter((v): v is number => v !== null && !spikeSet.has(v))
  const temporal = TEMPORAL_KINDS.has(column.kind)
  const rangeRho = NUMERIC_SHARES.range * share.rho
  share.spend(rangeRho)
  const range = dpRange(rest, gaussianSigma(rangeRho), random)
  const quantileRho = NUMERIC_SHARES.quantiles * share.rho
  share.spend(quantileRho)
  const epsilonPerLevel = exponentialEpsilon(quantileRho / quantileLevels(PRIVATE_QUANTILE_PROBABILITIES.length))
  const sorted = Float64Array.from(rest).sort()
  const quantiles = range && dpQuantiles(sorted, PRIVATE_QUANTILE_PROBABILITIES, range.low, range.high, epsilonPerLevel, random)
  const voteRho = NUMERIC_SHARES.vote * share.rho
  share.spend(voteRho)
  const scales = temporal ? undefined : scaleVote(column, numbers, gaussianSigma(voteRho), random)
  const integral = column.kind !== 'continuous' || scales?.decimals === 0
  const bounds = [...(quantiles ? [quantiles[0], quantiles[quantiles.length - 1]] : []), ...spikes]
  // DP quantiles fall between values: the bounds are written as the column writes its values, since drawn values are clipped to them last.
  const places = integral && !temporal ? 0 : scales && scales.decimals > 0 ? scales.decimals : undefined
  const written = (value: number) => (places === undefined ? value : Math.round(value * 10 ** places) / 10 ** places)
  const min = bounds.length > 0 ? written(Math.min(...bounds)) : 0
  const max = bounds.length > 0 ? written(Math.max(...bounds)) : 0
  const unit = column.kind === 'date' ? DAY_MS : 1
  const modes = modesFrom(quantiles ?? [min, max], integral ? 0.25 * unit : Math.max(1e-9, (max - min) * 1e-3))
  const encoding: NumericEncoding = {
    type: 'numeric',
    column: column.name,
    kind: column.kind,
    spikes: [...(column.nullable ? [null] : []), ...spikes],
    means: modes.map((m) => m.mean),
    stds: modes.map((m) => m.std),
    integral,
    ...(places && !integral ? { decimals: places } : {}),
    ...(integral && scales?.rounding ? { rounding: scales.rounding(min, max) } : {}),
    min,
    max,
    start,
    size: (column.nullable ? 1 : 0) + spikes.length + modes.length,
    offset,
  }
  const weekdays = temporal && weekdayShape(numbers, gaussianSigma(voteRho), random) >= options.weekdayShape && max - min >= 28 * DAY_MS
  return { encoding, quantiles: quantiles?.map((q) => Math.max(min, Math.min(max, q))), weekdays }
}

/**
 * A number with few values as categories: the selected values, their counts released again with the rest of
 * the column's ρ and averaged with the first release by inverse variance (the selected set is public now).
 */
function discreteNumber(
  column: ColumnMeta,
  selected: readonly [number, number][],
  counts: ReadonlyMap<number, number>,
  nulls: number,
  rows: number,
  start: number,
  share: ColumnBudget,
  random: SecureRandom,
): SlotCounted<CategoricalEncoding> {
  const firstVariance = gaussianSigma(NUMERIC_SHARES.counts * share.rho) ** 2
  const restRho = (1 - NUMERIC_SHARES.counts) * share.rho
  share.spend(restRho)
  const secondSigma = gaussianSigma(restRho)
  const combined: [Category, number][] = selected.map(([value, first]) => {
    const second = (counts.get(value) ?? 0) + secondSigma * random.gaussian()
    const w = 1 / firstVariance / (1 / firstVariance + 1 / secondSigma ** 2)
    return [value, w * first + (1 - w) * second]
  })
  combined.sort((a, b) => b[1] - a[1])
  return categoricalFrom(column, combined, nulls, rows, start, Infinity)
}

/** Modes from quantiles at PRIVATE_QUANTILE_PROBABILITIES: each eighth's middle quantile, spread over its eighth. */
function modesFrom(quantiles: readonly number[], floor: number): { mean: number; std: number }[] {
  const last = quantiles.length - 1
  const at = (share: number) => quantiles[Math.round(share * last)]
  const modes: { mean: number; std: number }[] = []
  for (let j = 0; j < PRIVATE_MODES; j++) {
    const mean = at((j + 0.5) / PRIVATE_MODES)
    const std = Math.max(floor, (at((j + 1) / PRIVATE_MODES) - at(j / PRIVATE_MODES)) / 4)
    if (!modes.some((m) => m.mean === mean)) modes.push({ mean, std })
  }
  return modes
}

/** Scale buckets of the vote: a value's fewest decimals (0–6, 7 for more) and, for whole numbers of 2+ digits, its trailing zeros. */
const MORE_DECIMALS = MAX_DECIMALS + 1
const MAX_ZEROS = 15

/**
 * A noisy vote on how numbers are written: each value counts once, for its fewest decimals or, when whole and of
 * two digits or more, for its count of trailing zeros (a public domain of buckets, one Gaussian release). The
 * winner among whole, 1–6 decimals and more (report noisy max on Gaussian counts) sets the decimals; the noisy
 * trailing-zero shares, pooled over lengths, set rounding when round numbers are common.
 */
function scaleVote(
  column: ColumnMeta,
  numbers: readonly (number | null)[],
  sigma: number,
  random: SecureRandom,
): { decimals: number; rounding?: (min: number, max: number) => NonNullable<NumericEncoding['rounding']> } {
  const decimals = new Array<number>(MORE_DECIMALS + 1).fill(0)
  const zeros = new Array<number>(MAX_ZEROS).fill(0)
  for (const value of numbers) {
    if (value === null) continue
    const places = Number.isInteger(value) ? 0 : (decimalsOf([value]) ?? MORE_DECIMALS)
    if (places === 0 && Math.abs(value) >= 10 && Math.abs(value) < ROUNDED_BELOW) zeros[Math.min(MAX_ZEROS - 1, trailingZeros(value))]++
    else decimals[places]++
  }
  const noisyZeros = zeros.map((n) => Math.max(0, n + sigma * random.gaussian()))
  const noisyDecimals = decimals.map((n) => n + sigma * random.gaussian())
  // Whole numbers of two digits or more vote for no decimals too.
  noisyDecimals[0] += noisyZeros.reduce((a, b) => a + b, 0)
  const winner = column.kind === 'continuous' ? noisyDecimals.indexOf(Math.max(...noisyDecimals)) : 0
  const long = noisyZeros.reduce((a, b) => a + b, 0)
  // Round numbers must be common, and the whole numbers they are counted among more than noise.
  const round = long >= 5 * sigma * Math.sqrt(MAX_ZEROS) && long - noisyZeros[0] >= ROUND_SHARE * long
  return {
    decimals: winner === MORE_DECIMALS ? -1 : winner,
    ...(round
      ? {
          rounding: (min: number, max: number) => {
            const longest = Math.min(15, digitsOf(Math.round(Math.max(Math.abs(min), Math.abs(max), 10))))
            return Array.from({ length: longest - 1 }, (_, i) => {
              const digits = i + 2
              const weights = noisyZeros.slice(0, digits)
              const total = weights.reduce((a, b) => a + b, 0)
              return { digits, weights: weights.map((w) => (total > 0 ? w / total : 1 / digits)) }
            })
          },
        }
      : {}),
  }
}

/** How far the noisy weekday shares of dates are from even (total variation), from one Gaussian release of 7 counts. */
function weekdayShape(numbers: readonly (number | null)[], sigma: number, random: SecureRandom): number {
  const counts = new Array<number>(7).fill(0)
  for (const value of numbers) {
    const day = value === null ? null : weekdayOf(new Date(value))
    if (typeof day === 'number') counts[day]++
  }
  const noisy = counts.map((n) => Math.max(0, n + sigma * random.gaussian()))
  const total = noisy.reduce((a, b) => a + b, 0)
  if (total === 0) return 0
  return noisy.reduce((sum, n) => sum + Math.abs(n / total - 1 / 7), 0) / 2
}
