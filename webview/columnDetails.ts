/** The details panel: everything the document records about the selected column, and what its choices do. */
import type { ColumnMeta } from '../src/core/meta/document.ts'
import { isIntegerType, parseSparkType } from '../src/core/io/sparkType.ts'
import { kindHelp, sensitiveHelp } from '../src/core/meta/descriptions.ts'
import { holdsStrings } from '../src/core/meta/kinds.ts'
import type { Histogram } from '../src/core/meta/stats.ts'
import { previewRewrites } from '../src/core/model/sensitiveValues.ts'
import { histogramChart, suggestedScale, topValuesChart, type CountScale } from './charts.ts'
import { dataHintsSection, type DataHintActions } from './dataHints.ts'
import { h } from './dom.ts'
import { formatFigure, formatInstant, formatNumber, formatShare } from './format.ts'

type Fact = readonly [label: string, value: string]

function factList(facts: readonly Fact[]): HTMLElement {
  const list = h('dl', { class: 'facts' })
  for (const [label, value] of facts) list.append(h('dt', {}, label), h('dd', {}, value))
  return list
}

function section(title: string, ...content: Node[]): HTMLElement {
  return h('section', { class: 'detail-section' }, h('h3', {}, title), ...content)
}

function kindLine(column: ColumnMeta): string {
  return column.kind === column.detectedKind
    ? `${column.kind} (as detected)`
    : `${column.kind} (set by you; detected as ${column.detectedKind})`
}

const SYNTHESIS: Record<ColumnMeta['sensitive'], string> = {
  keep: 'included: values learned from the data',
  mask: 'included: values masked, keeping their format',
  fake: 'included: realistic values never taken from the data',
  exclude: 'dropped as sensitive',
}

function synthesisLine(column: ColumnMeta): string {
  if (column.exclude) return column.excludeReason ? `excluded: ${column.excludeReason}` : 'excluded by you'
  return SYNTHESIS[column.sensitive]
}

/** The count scale the user switched each column's histogram to, by column name: kept while the panel redraws. */
const chosenScales = new Map<string, CountScale>()

/** A histogram on the scale its counts suggest (or the user chose), with a button switching linear ↔ log. */
function scaledHistogram(histogram: Histogram, wholeNumbers: boolean, column: string): HTMLElement {
  const figure = h('div', { class: 'scaled-histogram' })
  const toggle = h('vscode-button', { class: 'scale-toggle', appearance: 'secondary' })
  const draw = () => {
    const scale = chosenScales.get(column) ?? suggestedScale(histogram.counts)
    const other: CountScale = scale === 'log' ? 'linear' : 'log'
    toggle.textContent = other === 'log' ? 'Log scale' : 'Linear scale'
    toggle.setAttribute('aria-label', `Draw the histogram of ${column} on a ${other} count scale`)
    figure.replaceChildren(histogramChart(histogram, wholeNumbers, column, scale), toggle)
  }
  toggle.addEventListener('click', () => {
    chosenScales.set(column, (chosenScales.get(column) ?? suggestedScale(histogram.counts)) === 'log' ? 'linear' : 'log')
    draw()
    toggle.focus()
  })
  draw()
  return figure
}

/** The statistics group of the column, as facts and a chart. */
function statistics(column: ColumnMeta): Node[] {
  const { numeric, temporal, categories, text } = column.stats
  if (numeric) {
    const q = numeric.quantiles
    return [
      factList([
        ['min', formatNumber(numeric.min)],
        ['max', formatNumber(numeric.max)],
        ['mean', formatNumber(numeric.mean)],
        ['std', formatNumber(numeric.std)],
        ['median', formatNumber(q.p50)],
        ['p05 – p95', `${formatNumber(q.p05)} – ${formatNumber(q.p95)}`],
        ['distinct', formatNumber(numeric.distinct)],
        ...(numeric.nanCount ? ([['NaN', formatNumber(numeric.nanCount)]] as const) : []),
      ]),
      scaledHistogram(numeric.histogram, isIntegerType(parseSparkType(column.sparkType)), column.name),
    ]
  }
  if (temporal) {
    const q = temporal.quantiles
    return [
      factList([
        ['min', formatInstant(temporal.min)],
        ['max', formatInstant(temporal.max)],
        ['median', formatInstant(q.p50)],
        ['p05 – p95', `${formatInstant(q.p05)} – ${formatInstant(q.p95)}`],
        ['distinct', formatNumber(temporal.distinct)],
      ]),
      scaledHistogram(temporal.histogram, false, column.name),
    ]
  }
  if (categories) {
    return [
      factList([
        ['distinct', formatNumber(categories.distinct)],
        ['shown', `${categories.top.length} most frequent`],
      ]),
      topValuesChart(categories, column.name),
    ]
  }
  if (text) {
    return [
      factList([
        ['distinct', formatNumber(text.distinct)],
        ['length', `${formatFigure(text.length.min)} – ${formatFigure(text.length.max)}, mean ${formatFigure(text.length.mean)}`],
        ['shape', text.pattern],
      ]),
      h('p', { class: 'note' }, 'Values of identifiers and text are never recorded, only their length and shape.'),
    ]
  }
  return [
    h(
      'p',
      { class: 'note' },
      column.excludeReason ? `No statistics: ${column.excludeReason}.` : 'No statistics: the sample holds no values.',
    ),
  ]
}

/** How many of a column's most frequent values the mask and fake preview shows. */
const PREVIEW_VALUES = 4

/**
 * What mask and fake would write for the column's most frequent values, by the synthesizer's own code with
 * the document's seed (the one training from the editor uses); the current choice first.
 */
function rewritePreview(column: ColumnMeta, seed: number): Node[] {
  const values = (column.stats.categories?.top ?? []).slice(0, PREVIEW_VALUES).map((entry) => String(entry.value))
  if (values.length === 0)
    return [h('p', { class: 'note' }, 'The document records no values of this column, so there is nothing to preview.')]
  const handlings = column.sensitive === 'fake' ? (['fake', 'mask'] as const) : (['mask', 'fake'] as const)
  return handlings.map((handling) =>
    h(
      'div',
      { class: `rewrite-preview ${handling}` },
      h('h4', {}, column.sensitive === handling ? `${handling} (chosen) writes` : `${handling} would write`),
      h(
        'ul',
        { 'aria-label': `What ${handling} writes for ${column.name}` },
        ...previewRewrites(column, handling, values, seed).map(({ value, written }) =>
          h('li', {}, h('span', { class: 'value' }, value), ' → ', h('span', { class: 'value' }, written)),
        ),
      ),
    ),
  )
}

/** Replaces the panel's content with the details of `column`; `seed` is the document's, which mask and fake are keyed by. */
export function showColumnDetails(panel: HTMLElement, column: ColumnMeta, seed: number, hintActions: DataHintActions): void {
  const hints = dataHintsSection(column, hintActions)
  panel.replaceChildren(
    h('h2', { class: 'detail-title' }, column.name),
    h(
      'p',
      { class: 'detail-type' },
      [column.sparkType, column.partition ? 'partition column' : '', column.nullable ? 'nullable' : 'not nullable']
        .filter(Boolean)
        .join(' · '),
    ),
    factList([
      ['kind', kindLine(column)],
      ['synthesis', synthesisLine(column)],
      ['nulls', formatShare(column.nullFraction)],
    ]),
    h('p', { class: 'help kind-help' }, kindHelp(column.kind)),
    h('p', { class: 'help sensitive-help' }, sensitiveHelp(column.sensitive)),
    ...(holdsStrings(column) ? [section('Mask and fake preview', ...rewritePreview(column, seed))] : []),
    ...(hints ? [hints] : []),
    section('Statistics of the sample', ...statistics(column)),
  )
}
