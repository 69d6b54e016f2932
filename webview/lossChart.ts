/**
 * The loss by epoch, training's and the holdout's, as an inline SVG chart with axes, redrawn in place as
 * epochs finish. Colours come from the theme through the stylesheet's classes.
 */
import type { Plot } from './charts.ts'
import { svg } from './dom.ts'
import { formatLoss } from './synthesisStatus.ts'

export interface Point {
  readonly x: number
  readonly y: number
}

export interface Tick {
  readonly value: number
  /** Where the tick sits along its axis (x for epochs, y for losses). */
  readonly at: number
}

/** What the chart draws, in SVG coordinates. */
export interface LossChartLayout {
  readonly epochTicks: readonly Tick[]
  readonly lossTicks: readonly Tick[]
  readonly training: readonly Point[]
  readonly holdout: readonly Point[]
}

const SIZE = { width: 320, height: 150 }
const PLOT: Plot = { left: 44, top: 22, width: 264, height: 92 }

/**
 * About `count` round values (steps of 1, 2 or 5 × 10ⁿ, at least `minStep`) from at or below `low` to at or
 * above `high`, so that the ticks enclose the data; a single value gets a span around it.
 */
export function niceTicks(low: number, high: number, count: number, minStep = 0): number[] {
  const [from, to] = low === high ? [low - Math.max(Math.abs(low) * 0.05, 1e-3), high + Math.max(Math.abs(high) * 0.05, 1e-3)] : [low, high]
  const rough = (to - from) / Math.max(1, count - 1)
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = Math.max(minStep, ([1, 2, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude)
  const first = Math.floor(from / step + 1e-9) * step
  const ticks: number[] = []
  for (let value = first; ticks.length === 0 || ticks[ticks.length - 1] < to - step * 1e-9; value += step)
    ticks.push(Number(value.toPrecision(12)))
  return ticks
}

/**
 * The axes and both lines: epochs 1…n across the width (a lone one at the left), losses on a scale whose
 * ticks enclose both series.
 */
export function lossChartLayout(losses: readonly number[], holdoutLosses: readonly number[], plot: Plot = PLOT): LossChartLayout {
  const epochs = Math.max(losses.length, holdoutLosses.length)
  const values = [...losses, ...holdoutLosses]
  if (epochs === 0) return { epochTicks: [], lossTicks: [], training: [], holdout: [] }
  const epochValues = epochs === 1 ? [1] : niceTicks(1, epochs, 6, 1).filter((epoch) => epoch >= 1 && epoch <= epochs)
  const x = (epoch: number) => plot.left + (epochs > 1 ? ((epoch - 1) / (epochs - 1)) * plot.width : 0)
  const lossValues = niceTicks(Math.min(...values), Math.max(...values), 4)
  const bottom = lossValues[0]
  const span = lossValues[lossValues.length - 1] - bottom
  const y = (loss: number) => plot.top + plot.height - ((loss - bottom) / span) * plot.height
  const line = (series: readonly number[]) => series.map((loss, i) => ({ x: x(i + 1), y: y(loss) }))
  return {
    epochTicks: epochValues.map((value) => ({ value, at: x(value) })),
    lossTicks: lossValues.map((value) => ({ value, at: y(value) })),
    training: line(losses),
    holdout: line(holdoutLosses),
  }
}

const round = (value: number) => Math.round(value * 100) / 100

/** The SVG path through `points`; empty for none. */
export function linePath(points: readonly Point[]): string {
  return points.map((point, i) => `${i ? 'L' : 'M'}${round(point.x)} ${round(point.y)}`).join(' ')
}

const trend = (series: readonly number[]) =>
  series.length === 1 ? formatLoss(series[0]) : `${formatLoss(series[0])} → ${formatLoss(series[series.length - 1])}`

/**
 * What the chart shows, for its title and screen readers:
 * `Loss by epoch over 5 epochs: training 14.2 → 12.36, holdout 14.5 → 13.2`.
 */
export function lossChartLabel(losses: readonly number[], holdoutLosses: readonly number[] = []): string {
  if (losses.length === 0) return 'Loss by epoch: no epoch has finished yet'
  const over = losses.length === 1 ? 'after 1 epoch' : `over ${losses.length} epochs`
  const holdout = holdoutLosses.length === 0 ? '' : `, holdout ${trend(holdoutLosses)}`
  return `Loss by epoch ${over}: training ${trend(losses)}${holdout}`
}

const sameNumbers = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((value, i) => value === b[i])

/** A legend entry (class `legend-<label>`): a short stroke in the line's style (`lineClass`), then its name. */
function legendEntry(lineClass: string, label: string, x: number): SVGGElement {
  return svg(
    'g',
    { class: `legend-entry legend-${label}` },
    svg('line', { class: lineClass, x1: x, y1: 9, x2: x + 16, y2: 9 }),
    svg('text', { class: 'tick', x: x + 20, y: 12 }, label),
  )
}

export class LossChart {
  readonly element: SVGSVGElement
  private readonly title = svg('title')
  private readonly grid = svg('g', { class: 'loss-axes' })
  private readonly line = svg('path', { class: 'loss-line' })
  private readonly holdoutLine = svg('path', { class: 'holdout-line' })
  private readonly holdoutLegend = legendEntry('holdout-line', 'holdout', PLOT.left + 90)
  private shown: { losses: readonly number[]; holdoutLosses: readonly number[] } = { losses: [], holdoutLosses: [] }

  constructor() {
    this.element = svg(
      'svg',
      {
        class: 'chart loss-chart',
        viewBox: `0 0 ${SIZE.width} ${SIZE.height}`,
        width: SIZE.width,
        height: SIZE.height,
        role: 'img',
        hidden: true,
      },
      this.title,
      legendEntry('loss-line', 'training', PLOT.left),
      this.holdoutLegend,
      this.grid,
      this.line,
      this.holdoutLine,
      svg(
        'text',
        { class: 'tick caption', x: PLOT.left + PLOT.width / 2, y: PLOT.top + PLOT.height + 30, 'text-anchor': 'middle' },
        'epoch',
      ),
      svg('text', { class: 'tick caption', x: 4, y: 12 }, 'loss'),
    )
  }

  /** Draws both series; hidden while there is no epoch. Unchanged losses cost nothing. */
  show(losses: readonly number[], holdoutLosses: readonly number[]): void {
    if (sameNumbers(losses, this.shown.losses) && sameNumbers(holdoutLosses, this.shown.holdoutLosses)) return
    this.shown = { losses, holdoutLosses }
    this.element.toggleAttribute('hidden', losses.length === 0)
    if (losses.length === 0) return
    const layout = lossChartLayout(losses, holdoutLosses)
    const baseline = PLOT.top + PLOT.height
    const right = PLOT.left + PLOT.width
    this.grid.replaceChildren(
      ...layout.lossTicks.flatMap(({ value, at }) => [
        svg('line', { class: 'grid-line', x1: PLOT.left, y1: round(at), x2: right, y2: round(at) }),
        svg('text', { class: 'tick', x: PLOT.left - 4, y: round(at) + 3, 'text-anchor': 'end' }, formatLoss(value)),
      ]),
      ...layout.epochTicks.flatMap(({ value, at }) => [
        svg('line', { class: 'axis', x1: round(at), y1: baseline, x2: round(at), y2: baseline + 3 }),
        svg('text', { class: 'tick', x: round(at), y: baseline + 14, 'text-anchor': 'middle' }, String(value)),
      ]),
      svg('line', { class: 'axis', x1: PLOT.left, y1: PLOT.top, x2: PLOT.left, y2: baseline }),
      svg('line', { class: 'axis', x1: PLOT.left, y1: baseline, x2: right, y2: baseline }),
    )
    this.line.setAttribute('d', linePath(layout.training))
    this.holdoutLine.setAttribute('d', linePath(layout.holdout))
    this.holdoutLegend.toggleAttribute('hidden', holdoutLosses.length === 0)
    const label = lossChartLabel(losses, holdoutLosses)
    this.title.textContent = label
    this.element.setAttribute('aria-label', label)
  }
}
