/**
 * How a cell reads for people, in one place: the CLI's `preview` (text and JSON) and the editor's
 * data preview show the same value the same way.
 */
import type { SparkType } from './sparkType.ts'
import { MicrosecondTimestamp, type Cell, type Table } from './table.ts'

/**
 * A cell as JSON, losslessly where JSON can: non-finite numbers and negative zero as "NaN" /
 * "Infinity" / "-Infinity" / "-0", dates as `yyyy-MM-dd`, timestamps as ISO 8601 with microseconds
 * and `Z`, binary as base64.
 */
export function cellJson(cell: Cell, type: SparkType): unknown {
  if (cell === null || typeof cell === 'boolean' || typeof cell === 'string') return cell
  if (typeof cell === 'number') return Object.is(cell, -0) ? '-0' : Number.isFinite(cell) ? cell : String(cell)
  if (cell instanceof Date) {
    const iso = cell.toISOString()
    if (type.id === 'date') return iso.slice(0, iso.indexOf('T'))
    const micros = cell instanceof MicrosecondTimestamp ? cell.microsOfMillisecond : 0
    return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`
  }
  if (cell instanceof Uint8Array) return Buffer.from(cell).toString('base64')
  return JSON.parse(JSON.stringify(cell, (_, value: unknown) => (typeof value === 'bigint' ? Number(value) : value)))
}

/** A decimal's shortest text padded to the type's scale, as Spark shows it (`12.50` in a `decimal(10,2)`); exponent forms stay. */
function decimalText(value: number, scale: number): string {
  const text = String(value)
  if (scale <= 0 || text.includes('e')) return text
  const point = text.indexOf('.')
  const digits = point < 0 ? 0 : text.length - point - 1
  return digits >= scale ? text : `${text}${point < 0 ? '.' : ''}${'0'.repeat(scale - digits)}`
}

/** A cell as display text; null stays null, so that a shown `null` is never taken for the string "null". */
export function cellDisplay(cell: Cell, type: SparkType): string | null {
  const value = cellJson(cell, type)
  if (typeof value === 'number' && type.id === 'decimal') return decimalText(value, type.scale)
  return value === null ? null : typeof value === 'string' ? value : JSON.stringify(value)
}

/** Rows of display text and the names of their columns. */
export interface DisplayRows {
  readonly columns: string[]
  readonly rows: (string | null)[][]
}

/** Characters a displayed cell keeps: a preview is for the eye, and a megabyte-long text would travel whole 200 times. */
export const DISPLAY_CELL_CHARS = 500

function shortened(text: string | null): string | null {
  return text !== null && text.length > DISPLAY_CELL_CHARS ? `${text.slice(0, DISPLAY_CELL_CHARS - 1)}…` : text
}

/** The given rows of the table as display text (long texts cut), for the named columns it holds (in the order named). */
export function displayRows(table: Table, names: readonly string[], rows: readonly number[]): DisplayRows {
  const shown = names.flatMap((name) => {
    const index = table.columns.findIndex((column) => column.name === name)
    return index < 0 ? [] : [index]
  })
  return {
    columns: shown.map((c) => table.columns[c].name),
    rows: rows.map((row) => shown.map((c) => shortened(cellDisplay(table.values[c][row], table.columns[c].sparkType)))),
  }
}
