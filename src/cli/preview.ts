import { sparkTypeDdl, type SparkType } from '../core/io/sparkType.ts'
import { MicrosecondTimestamp, type Cell, type Table } from '../core/io/table.ts'
import { precisionNote } from '../core/meta/precision.ts'

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

/** Each column's precision note over the rows shown (see `precision.ts`), if it has one. */
function precisionNotes(table: Table): (string | undefined)[] {
  return table.columns.map((column, c) =>
    precisionNote(
      column.sparkType,
      table.values[c].filter((cell) => cell !== null),
    ),
  )
}

/**
 * The table as one JSON document: its columns (with a `precisionNote` where values are held less
 * precisely than Spark), then its rows as arrays in column order.
 */
export function tableJson(table: Table): string {
  const notes = precisionNotes(table)
  const columns = table.columns.map(({ name, sparkType, nullable, partition }, c) => ({
    name,
    sparkType: sparkTypeDdl(sparkType),
    nullable,
    partition,
    ...(notes[c] === undefined ? {} : { precisionNote: notes[c] }),
  }))
  const rows = Array.from({ length: table.rowCount }, (_, row) =>
    table.columns.map((column, c) => cellJson(table.values[c][row], column.sparkType)),
  )
  return JSON.stringify({ columns, rows })
}

const CELL_WIDTH = 24

function cellText(cell: Cell, type: SparkType): string {
  const value = cellJson(cell, type)
  const text = value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > CELL_WIDTH ? `${text.slice(0, CELL_WIDTH - 1)}…` : text
}

/** The table as aligned text, as `df.show()` prints it. */
export function tableText(table: Table): string {
  const cells = Array.from({ length: table.rowCount }, (_, row) =>
    table.columns.map((column, c) => cellText(table.values[c][row], column.sparkType)),
  )
  const titles = table.columns.map((column) => (column.name.length > CELL_WIDTH ? `${column.name.slice(0, CELL_WIDTH - 1)}…` : column.name))
  const widths = titles.map((title, c) => Math.max(title.length, ...cells.map((row) => row[c].length)))
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`
  const rule = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`
  const notes = precisionNotes(table).flatMap((note, c) => (note === undefined ? [] : [`note on ${table.columns[c].name}: ${note}`]))
  return [rule, line(titles), rule, ...cells.map(line), rule, ...notes].join('\n')
}
