/** Column statistics: the figures the metadata document records and the editor draws. */
import type { ColumnStats } from './document.ts'
import { clipToProtected } from './protection.ts'

// The figures' shapes are declared in schemas/synth-meta.schema.json, with what each means.
export type NumericStats = NonNullable<ColumnStats['numeric']>
export type TemporalStats = NonNullable<ColumnStats['temporal']>
export type CategoryStats = NonNullable<ColumnStats['categories']>
export type TextStats = NonNullable<ColumnStats['text']>
export type Histogram = NumericStats['histogram']
export type ValueCount = CategoryStats['top'][number]
/** One figure per quantile point, keyed as the document keys them. */
type Quantiles<T> = { readonly [K in keyof NumericStats['quantiles']]: T }

export const TOP_VALUES = 30
const HISTOGRAM_BINS = 20
const QUANTILE_POINTS: Quantiles<number> = { p01: 0.01, p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 }

/** Each quantile through `f`, keys in their documented order. */
function mapQuantiles<T, U>(values: Quantiles<T>, f: (value: T) => U): Quantiles<U> {
  const { p01, p05, p25, p50, p75, p95, p99 } = values
  return { p01: f(p01), p05: f(p05), p25: f(p25), p50: f(p50), p75: f(p75), p95: f(p95), p99: f(p99) }
}

/** Rounds to 6 significant digits so that re-extraction does not churn the JSON in git. */
export function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : value
}

function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q
  const lower = Math.floor(position)
  const upper = Math.min(lower + 1, sorted.length - 1)
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower)
}

function quantiles(sorted: Float64Array): Quantiles<number> {
  return mapQuantiles(QUANTILE_POINTS, (q) => quantile(sorted, q))
}

function countDistinct(sorted: Float64Array): number {
  let distinct = sorted.length > 0 ? 1 : 0
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) distinct++
  return distinct
}

/**
 * Equal-width bins over [min, max]; whole numbers spanning fewer values than bins get one bin
 * per value, so that a column like `education-num` shows each of its levels.
 */
export function histogram(sorted: Float64Array, integral: boolean): { edges: number[]; counts: number[] } {
  const min = sorted[0]
  const max = sorted[sorted.length - 1]
  const perValue = integral && max - min < HISTOGRAM_BINS
  const bins = perValue ? max - min + 1 : min === max ? 1 : HISTOGRAM_BINS
  const low = perValue ? min - 0.5 : min
  const width = perValue ? 1 : (max - min) / bins || 1
  const counts = new Array<number>(bins).fill(0)
  for (const value of sorted) counts[Math.min(bins - 1, Math.floor((value - low) / width))]++
  const edges = Array.from({ length: bins + 1 }, (_, i) => low + i * width)
  return { edges, counts }
}

/**
 * Statistics of numbers; NaN values are counted apart and left out of the figures, and so are ±Infinity
 * (JSON cannot hold them, and a document with them would not load). `values` holds a finite number.
 * With `protect` (k), the figures are of the values clipped to their protected range.
 */
export function numericStats(values: readonly number[], integral: boolean, protect?: number): NumericStats {
  const finite = values.filter(Number.isFinite)
  const sorted = clipToProtected(Float64Array.from(finite).sort(), protect)
  const n = sorted.length
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n
  const variance = sorted.reduce((sum, v) => sum + (v - mean) ** 2, 0) / Math.max(1, n - 1)
  const { edges, counts } = histogram(sorted, integral)
  const q = quantiles(sorted)
  return {
    min: round(sorted[0]),
    max: round(sorted[n - 1]),
    mean: round(mean),
    std: round(Math.sqrt(variance)),
    quantiles: mapQuantiles(q, round),
    distinct: countDistinct(sorted),
    nanCount: values.filter(Number.isNaN).length,
    histogram: { edges: edges.map(round), counts },
  }
}

const DAY_MS = 86_400_000

/** Statistics of instants, reported as ISO strings (dates as `YYYY-MM-DD`); clipped as numbers are under `protect`. */
export function temporalStats(values: readonly Date[], dateOnly: boolean, protect?: number): TemporalStats {
  const sorted = clipToProtected(Float64Array.from(values, (d) => d.getTime()).sort(), protect)
  const iso = (ms: number) => {
    const text = new Date(dateOnly ? Math.round(ms / DAY_MS) * DAY_MS : ms).toISOString()
    return dateOnly ? text.slice(0, 10) : text
  }
  const { edges, counts } = histogram(dateOnly ? sorted.map((ms) => ms / DAY_MS) : sorted, dateOnly)
  const q = quantiles(sorted)
  return {
    min: iso(sorted[0]),
    max: iso(sorted[sorted.length - 1]),
    quantiles: mapQuantiles(q, iso),
    distinct: countDistinct(sorted),
    histogram: { edges: edges.map((e) => iso(dateOnly ? e * DAY_MS : e)), counts },
  }
}

/**
 * Frequencies of discrete values, most frequent first (ties by value, for stable output); under
 * `protect` (k) values seen in fewer than k rows are not listed (they count in `otherCount`).
 */
export function categoryStats(values: readonly (string | number | boolean)[], protect?: number): CategoryStats {
  const counts = new Map<string | number | boolean, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  const ranked = [...counts]
    .filter(([, n]) => protect === undefined || n >= protect)
    .sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
  const top = ranked.slice(0, TOP_VALUES).map(([value, count]) => ({ value, count }))
  const listed = top.reduce((sum, entry) => sum + entry.count, 0)
  return { distinct: counts.size, top, otherCount: values.length - listed }
}

const PATTERNS: readonly [string, RegExp][] = [
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/],
  ['digits', /^\d+$/],
  ['hex', /^(0x)?[0-9a-f]+$/i],
  ['alphanumeric', /^[A-Za-z0-9_\-.:/]+$/],
  ['words', /^[\p{L}\p{N}\p{P}]+(\s+[\p{L}\p{N}\p{P}]+)+$/u],
]

/** The named shape that at least 95% of the values have, or `mixed`. */
export function dominantPattern(values: readonly string[]): string {
  for (const [name, pattern] of PATTERNS) {
    const matching = values.reduce((sum, v) => sum + (pattern.test(v) ? 1 : 0), 0)
    if (matching >= 0.95 * values.length) return name
  }
  return 'mixed'
}

/** Length and shape of strings: enough to generate look-alikes, without recording any value. */
export function textStats(values: readonly string[]): TextStats {
  let min = Infinity
  let max = 0
  let total = 0
  for (const value of values) {
    min = Math.min(min, value.length)
    max = Math.max(max, value.length)
    total += value.length
  }
  return {
    distinct: new Set(values).size,
    length: { min, max, mean: round(total / values.length) },
    pattern: dominantPattern(values),
  }
}
