import type { ColumnMeta, MetadataDocument } from '../core/meta/document.ts'
import { hintText } from '../core/meta/hints.ts'
import { formatCount } from '../core/formatCount.ts'

/** A one-line summary of a column's statistics for the terminal. */
function describeStats(column: ColumnMeta): string {
  const { numeric, temporal, categories, text } = column.stats
  if (column.exclude && column.excludeReason) return `excluded: ${column.excludeReason}`
  if (numeric)
    return `${numeric.min} … ${numeric.max}, mean ${numeric.mean}, median ${numeric.quantiles.p50}${numeric.nanCount ? `, ${numeric.nanCount} NaN` : ''}`
  if (temporal) return `${temporal.min} … ${temporal.max}`
  if (categories) {
    const total = categories.top.reduce((sum, entry) => sum + entry.count, 0) + categories.otherCount
    const top = categories.top.slice(0, 3).map((entry) => `${JSON.stringify(entry.value)} ${Math.round((100 * entry.count) / total)}%`)
    return `${categories.distinct} values: ${top.join(', ')}${categories.distinct > 3 ? ', …' : ''}`
  }
  if (text) return `${text.distinct} distinct, ${text.pattern}, length ${text.length.min}–${text.length.max}`
  return ''
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

/** The `inspect` report: the source, then a row per column. */
export function formatSummary(document: MetadataDocument): string {
  const { source } = document
  const header = [
    source.path,
    `${source.format}${source.version === undefined ? '' : ` version ${source.version}${source.timestamp ? ` (as of ${source.timestamp})` : ''}`}, ${source.files.length} file${source.files.length === 1 ? '' : 's'}, ${formatCount(source.rowCount)} rows; sampled ${formatCount(source.sampleSize)} with seed ${source.seed}`,
    '',
  ]
  const rows = document.columns.map((column) => [
    column.name + (column.partition ? ' (partition)' : ''),
    column.sparkType,
    column.kind,
    `${(column.nullFraction * 100).toFixed(1)}%`,
    describeStats(column),
  ])
  const titles = ['column', 'spark type', 'kind', 'nulls', 'summary']
  const widths = titles.map((title, i) => Math.min(36, Math.max(title.length, ...rows.map((row) => row[i].length))))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i])))
      .join('  ')
      .trimEnd()
  const notes = document.columns.flatMap((column) => [
    ...(column.precisionNote ? [`note on ${column.name}: ${column.precisionNote}`] : []),
    ...(column.hints ?? []).map(
      (hint) => `hint on ${column.name}: ${hintText(hint, source.sampleSize)} (list it in "nullValues" to read it as null)`,
    ),
  ])
  return [...header, line(titles), ...rows.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n')
}
