import { cellDisplay, cellJson } from '../core/io/cellDisplay.ts'
import { sparkTypeDdl, type SparkType } from '../core/io/sparkType.ts'
import type { Cell, Table } from '../core/io/table.ts'
import { precisionNote } from '../core/meta/precision.ts'

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
  const text = cellDisplay(cell, type) ?? 'null'
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
