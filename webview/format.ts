/** How figures read in the editor: fixed English formatting, so that the layout does not shift. */

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const DECIMAL = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 })

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞'
  return Number.isInteger(value) ? INTEGER.format(value) : DECIMAL.format(value)
}

/** A share of rows: `0%`, `<0.1%`, `12.3%`, `100%`. */
export function formatShare(fraction: number): string {
  if (fraction === 0) return '0%'
  if (fraction < 0.001) return '<0.1%'
  if (fraction > 0.999 && fraction < 1) return '>99.9%'
  return `${Number((fraction * 100).toFixed(1))}%`
}

/** An instant from the document (`2023-04-13T23:58:58.000Z`) without the noise: `2023-04-13 23:58:58Z`. */
export function formatInstant(iso: string): string {
  return iso.replace('T', ' ').replace(/\.000Z$/, 'Z')
}

/** A histogram edge or statistic that is a number or an ISO instant. */
export function formatFigure(value: number | string): string {
  return typeof value === 'number' ? formatNumber(value) : formatInstant(value)
}

/** A value from the data: strings quoted, so that `""`, `" "` and `"1"` stay distinguishable. */
export function formatValue(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

/** Shortens a label to `limit` characters with an ellipsis. */
export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`
}
