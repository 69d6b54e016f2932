/**
 * The training loss by epoch as a small inline SVG line, redrawn in place as epochs finish.
 * Colours come from the theme through the stylesheet's classes.
 */
import type { Plot } from './charts.ts'
import { svg } from './dom.ts'
import { formatLoss } from './synthesisStatus.ts'

export interface Point {
  readonly x: number
  readonly y: number
}

const SIZE = { width: 240, height: 84 }
const PLOT: Plot = { left: 40, top: 8, width: 192, height: 48 }

/**
 * One point per finished epoch: the epochs spread over the width (a lone one at the left), the
 * highest loss at the top and the lowest at the bottom; a flat series runs through the middle.
 */
export function lossChartPoints(losses: readonly number[], plot: Plot): Point[] {
  const high = Math.max(...losses)
  const span = high - Math.min(...losses)
  const step = losses.length > 1 ? plot.width / (losses.length - 1) : 0
  return losses.map((loss, i) => ({
    x: plot.left + i * step,
    y: span > 0 ? plot.top + ((high - loss) / span) * plot.height : plot.top + plot.height / 2,
  }))
}

const round = (value: number) => Math.round(value * 100) / 100

/** The SVG path through `points`; empty for none. */
export function linePath(points: readonly Point[]): string {
  return points.map((point, i) => `${i ? 'L' : 'M'}${round(point.x)} ${round(point.y)}`).join(' ')
}

/** What the chart shows, for its title and screen readers: `Loss by epoch: 14.2 → 12.36 over 5 epochs`. */
export function lossChartLabel(losses: readonly number[]): string {
  if (losses.length === 0) return 'Loss by epoch: no epoch has finished yet'
  if (losses.length === 1) return `Loss by epoch: ${formatLoss(losses[0])} after 1 epoch`
  return `Loss by epoch: ${formatLoss(losses[0])} → ${formatLoss(losses[losses.length - 1])} over ${losses.length} epochs`
}

const sameNumbers = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((value, i) => value === b[i])

export class LossChart {
  readonly element: SVGSVGElement
  private readonly title = svg('title')
  private readonly line = svg('path', { class: 'loss-line' })
  private readonly latest = svg('circle', { class: 'loss-point', r: 2.5 })
  private readonly highest = svg('text', { class: 'tick', x: PLOT.left - 4, 'text-anchor': 'end' })
  private readonly lowest = svg('text', { class: 'tick', x: PLOT.left - 4, y: PLOT.top + PLOT.height + 3, 'text-anchor': 'end' })
  private readonly firstEpoch = svg('text', { class: 'tick', x: PLOT.left, y: PLOT.top + PLOT.height + 14, 'text-anchor': 'start' })
  private readonly lastEpoch = svg('text', {
    class: 'tick',
    x: PLOT.left + PLOT.width,
    y: PLOT.top + PLOT.height + 14,
    'text-anchor': 'end',
  })
  private shown: readonly number[] = []

  constructor() {
    const baseline = PLOT.top + PLOT.height
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
      svg('line', { class: 'axis', x1: PLOT.left, y1: PLOT.top, x2: PLOT.left, y2: baseline }),
      svg('line', { class: 'axis', x1: PLOT.left, y1: baseline, x2: PLOT.left + PLOT.width, y2: baseline }),
      this.line,
      this.latest,
      this.highest,
      this.lowest,
      this.firstEpoch,
      this.lastEpoch,
      svg('text', { class: 'tick caption', x: PLOT.left + PLOT.width / 2, y: baseline + 26, 'text-anchor': 'middle' }, 'loss by epoch'),
    )
  }

  /** Draws `losses`; hidden while there are none. Unchanged losses cost nothing. */
  show(losses: readonly number[]): void {
    if (sameNumbers(losses, this.shown)) return
    this.shown = losses
    this.element.toggleAttribute('hidden', losses.length === 0)
    if (losses.length === 0) return
    const points = lossChartPoints(losses, PLOT)
    const latest = points[points.length - 1]
    this.line.setAttribute('d', linePath(points))
    this.latest.setAttribute('cx', String(round(latest.x)))
    this.latest.setAttribute('cy', String(round(latest.y)))
    const high = Math.max(...losses)
    const low = Math.min(...losses)
    // A flat series has one value: it labels the middle line once.
    this.highest.textContent = formatLoss(high)
    this.highest.setAttribute('y', String(high === low ? PLOT.top + PLOT.height / 2 + 3 : PLOT.top + 3))
    this.lowest.textContent = high === low ? '' : formatLoss(low)
    this.firstEpoch.textContent = '1'
    this.lastEpoch.textContent = losses.length > 1 ? String(losses.length) : ''
    const label = lossChartLabel(losses)
    this.title.textContent = label
    this.element.setAttribute('aria-label', label)
  }
}
