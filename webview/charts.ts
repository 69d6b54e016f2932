/**
 * The two charts of the details panel, drawn as inline SVG from the document's statistics:
 * a histogram for numbers and instants, bars of the most frequent values for categories.
 * Colours come from the theme through the stylesheet's classes.
 */
import type { CategoryStats, Histogram } from '../src/core/meta/stats.ts'
import { svg } from './dom.ts'
import { formatFigure, formatNumber, formatShare, formatValue, truncate } from './format.ts'

export interface Bar {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly label: string
  readonly count: number
}

export interface Plot {
  readonly left: number
  readonly top: number
  readonly width: number
  readonly height: number
}

const HISTOGRAM_SIZE = { width: 300, height: 150 }
const HISTOGRAM_PLOT: Plot = { left: 44, top: 8, width: 248, height: 112 }

const DAY_MS = 86_400_000

/**
 * Whole-number columns spanning few values get one bin per value, with edges half-way between
 * values, and dates one bin per day (see `histogram` in core/meta/stats.ts): such bins are
 * labelled by their value rather than by a range.
 */
function isPerValue(histogram: Histogram, wholeNumbers: boolean): boolean {
  const { edges } = histogram
  const step = (i: number) => {
    const [from, to] = [edges[i - 1], edges[i]]
    return typeof from === 'number' && typeof to === 'number' ? to - from : (Date.parse(String(to)) - Date.parse(String(from))) / DAY_MS
  }
  const wholeNumberBins = wholeNumbers && edges.every((edge) => typeof edge === 'number' && Math.abs(edge % 1) === 0.5)
  const dayBins = edges.every((edge) => typeof edge === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(edge))
  return (wholeNumberBins || dayBins) && edges.every((_, i) => i === 0 || step(i) === 1)
}

function binLabel(histogram: Histogram, bin: number, perValue: boolean): string {
  const low = histogram.edges[bin]
  if (perValue) return typeof low === 'number' ? formatNumber(low + 0.5) : low
  const last = bin === histogram.counts.length - 1
  return `${formatFigure(low)} to ${formatFigure(histogram.edges[bin + 1])}${last ? ' (inclusive)' : ''}`
}

/** How the count axis maps rows to bar heights. */
export type CountScale = 'linear' | 'log'

/**
 * Above this ratio of the tallest bin to the median non-empty one, a linear axis flattens every bin but
 * the tallest (Adult's capital-gain: 558 zeros beside bins of 2 to 9 rows), so the count axis is logarithmic.
 */
export const LOG_SCALE_RATIO = 20

/** The scale that keeps every non-empty bin readable: log when the tallest dwarfs the median non-empty bin. */
export function suggestedScale(counts: readonly number[]): CountScale {
  const filled = counts.filter((count) => count > 0).sort((a, b) => a - b)
  if (filled.length < 2) return 'linear'
  const middle = filled.length >> 1
  const median = filled.length % 2 ? filled[middle] : (filled[middle - 1] + filled[middle]) / 2
  return filled[filled.length - 1] / median > LOG_SCALE_RATIO ? 'log' : 'linear'
}

/** A bar's share of the plot's height: log(1 + count) keeps a bin of one row visible beside thousands. */
function heightShare(count: number, tallest: number, scale: CountScale): number {
  return scale === 'log' ? Math.log1p(count) / Math.log1p(tallest) : count / tallest
}

/** One bar per bin, heights relative to the fullest bin on `scale`, in plot coordinates. */
export function histogramBars(
  histogram: Histogram,
  wholeNumbers: boolean,
  plot: Plot = HISTOGRAM_PLOT,
  scale: CountScale = 'linear',
): Bar[] {
  const perValue = isPerValue(histogram, wholeNumbers)
  const bins = histogram.counts.length
  const tallest = Math.max(1, ...histogram.counts)
  const slot = plot.width / Math.max(1, bins)
  const gap = slot > 4 ? 1 : 0
  return histogram.counts.map((count, i) => {
    const height = heightShare(count, tallest, scale) * plot.height
    return {
      x: plot.left + i * slot,
      y: plot.top + plot.height - height,
      width: slot - gap,
      height,
      label: binLabel(histogram, i, perValue),
      count,
    }
  })
}

/** Powers of ten strictly between 1 and `tallest`: the log axis's ticks, so that its heights can be read. */
function logTicks(tallest: number): number[] {
  const ticks: number[] = []
  for (let tick = 10; tick < tallest; tick *= 10) ticks.push(tick)
  return ticks
}

/** The histogram with a count axis, the range under it, and each bin's range and count on hover. */
export function histogramChart(histogram: Histogram, wholeNumbers: boolean, subject: string, scale: CountScale = 'linear'): SVGSVGElement {
  const bars = histogramBars(histogram, wholeNumbers, HISTOGRAM_PLOT, scale)
  const tallest = Math.max(0, ...histogram.counts)
  const plot = HISTOGRAM_PLOT
  const baseline = plot.top + plot.height
  const perValue = isPerValue(histogram, wholeNumbers)
  const first = perValue ? (bars[0]?.label ?? '') : formatFigure(histogram.edges[0])
  const last = perValue ? (bars[bars.length - 1]?.label ?? '') : formatFigure(histogram.edges[histogram.edges.length - 1])
  // The first of the tallest bars; none when the histogram is empty.
  const fullest = bars.reduce<Bar | undefined>((best, bar) => (best && best.count >= bar.count ? best : bar), undefined)
  const chart = svg('svg', {
    class: 'chart histogram',
    viewBox: `0 0 ${HISTOGRAM_SIZE.width} ${HISTOGRAM_SIZE.height}`,
    width: HISTOGRAM_SIZE.width,
    height: HISTOGRAM_SIZE.height,
    role: 'img',
    'aria-label': `Histogram of ${subject}${scale === 'log' ? ' on a log scale' : ''}: ${bars.length} bins from ${first} to ${last}; the fullest, ${fullest?.label ?? ''}, holds ${formatNumber(tallest)} rows`,
  })
  chart.append(
    svg('line', { class: 'axis', x1: plot.left, y1: plot.top, x2: plot.left, y2: baseline }),
    svg('line', { class: 'axis', x1: plot.left, y1: baseline, x2: plot.left + plot.width, y2: baseline }),
    svg('text', { class: 'tick', x: plot.left - 4, y: plot.top + 4, 'text-anchor': 'end' }, formatNumber(tallest)),
    svg('text', { class: 'tick', x: plot.left - 4, y: baseline, 'text-anchor': 'end' }, '0'),
    svg('text', { class: 'tick', x: plot.left, y: baseline + 14, 'text-anchor': 'start' }, first),
    svg('text', { class: 'tick', x: plot.left + plot.width, y: baseline + 14, 'text-anchor': 'end' }, last),
    svg(
      'text',
      { class: 'tick caption', x: plot.left + plot.width / 2, y: baseline + 28, 'text-anchor': 'middle' },
      scale === 'log' ? 'rows per bin (log scale)' : 'rows per bin',
    ),
  )
  if (scale === 'log')
    for (const tick of logTicks(tallest)) {
      const y = baseline - heightShare(tick, tallest, scale) * plot.height
      chart.append(
        svg('line', { class: 'grid-line', x1: plot.left - 2, y1: y, x2: plot.left + plot.width, y2: y }),
        svg('text', { class: 'tick', x: plot.left - 4, y: y + 3, 'text-anchor': 'end' }, formatNumber(tick)),
      )
    }
  for (const bar of bars) {
    // A thin strip for empty bins keeps them visible as bins, and hoverable.
    const height = Math.max(bar.height, 1)
    chart.append(
      svg(
        'rect',
        { class: bar.count ? 'bar' : 'bar empty', x: bar.x, y: baseline - height, width: Math.max(bar.width, 0.5), height },
        svg('title', {}, `${bar.label}: ${formatNumber(bar.count)} rows`),
      ),
    )
  }
  return chart
}

const TOP_ROW_HEIGHT = 18
const TOP_LABEL_WIDTH = 112
const TOP_BAR_WIDTH = 128
const TOP_WIDTH = 300

/** The most frequent values as horizontal bars, with "all other values" last when there are any. */
export function topValuesChart(stats: CategoryStats, subject: string): SVGSVGElement {
  const entries = stats.top.map((entry) => ({ label: formatValue(entry.value), count: entry.count }))
  if (stats.otherCount > 0)
    entries.push({ label: `${formatNumber(stats.distinct - stats.top.length)} other values`, count: stats.otherCount })
  const total = entries.reduce((sum, entry) => sum + entry.count, 0)
  const largest = Math.max(1, ...entries.map((entry) => entry.count))
  const height = entries.length * TOP_ROW_HEIGHT + 4
  const chart = svg('svg', {
    class: 'chart top-values',
    viewBox: `0 0 ${TOP_WIDTH} ${height}`,
    width: TOP_WIDTH,
    height,
    role: 'img',
    'aria-label': `Most frequent values of ${subject}: ${entries
      .slice(0, 5)
      .map((e) => `${e.label} ${formatShare(e.count / Math.max(1, total))}`)
      .join(', ')}${entries.length > 5 ? ', …' : ''}`,
  })
  entries.forEach((entry, i) => {
    const y = 2 + i * TOP_ROW_HEIGHT
    const width = Math.max(1, (entry.count / largest) * TOP_BAR_WIDTH)
    const other = stats.otherCount > 0 && i === entries.length - 1
    chart.append(
      svg(
        'g',
        { class: other ? 'entry other' : 'entry' },
        svg('title', {}, `${entry.label}: ${formatNumber(entry.count)} rows (${formatShare(entry.count / Math.max(1, total))})`),
        svg('text', { class: 'label', x: TOP_LABEL_WIDTH - 6, y: y + 12, 'text-anchor': 'end' }, truncate(entry.label, 18)),
        svg('rect', { class: 'bar', x: TOP_LABEL_WIDTH, y: y + 2, width, height: TOP_ROW_HEIGHT - 5 }),
        svg('text', { class: 'tick', x: TOP_LABEL_WIDTH + width + 4, y: y + 12 }, formatShare(entry.count / Math.max(1, total))),
      ),
    )
  })
  return chart
}
