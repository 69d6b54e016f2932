/** The details panel: everything the document records about the selected column. */
import type { ColumnMeta } from '../src/core/meta/document.ts'
import { isIntegerType, parseSparkType } from '../src/core/io/sparkType.ts'
import { histogramChart, topValuesChart } from './charts.ts'
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
      histogramChart(numeric.histogram, isIntegerType(parseSparkType(column.sparkType)), column.name),
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
      histogramChart(temporal.histogram, false, column.name),
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

/** Replaces the panel's content with the details of `column`. */
export function showColumnDetails(panel: HTMLElement, column: ColumnMeta, hintActions: DataHintActions): void {
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
    ...(hints ? [hints] : []),
    section('Statistics of the sample', ...statistics(column)),
  )
}
