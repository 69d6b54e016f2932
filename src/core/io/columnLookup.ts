/**
 * Columns by name, for tables and metadata documents alike. A column that is not there is a
 * `SparkSynthError` that names it and the columns there are, never an `undefined` read later.
 */
import { SparkSynthError } from '../errors.ts'
import type { Cell, Table } from './table.ts'

/** Anything that names a column: a table's source column, a metadata document's column, … */
interface NamedColumn {
  readonly name: string
}

/** What a lookup says when the column is missing; lookups of a name the user gave say what it was for. */
export interface MissingColumn {
  /** The error's problem, e.g. "there is no such synthesised column". */
  readonly problem: string
  /** Put before the list of the columns there are, e.g. "Condition on one of". */
  readonly choose: string
  /** The file the columns come from, when there is one to name. */
  readonly file?: string
}

const NO_SUCH_COLUMN: MissingColumn = { problem: 'there is no such column', choose: 'The columns are' }

/** Index of the column called `name`. */
export function columnIndex(columns: readonly NamedColumn[], name: string, missing: MissingColumn = NO_SUCH_COLUMN): number {
  const index = columns.findIndex((column) => column.name === name)
  if (index < 0) {
    throw new SparkSynthError(missing.problem, `${missing.choose}: ${columns.map((column) => column.name).join(', ')}`, {
      file: missing.file,
      column: name,
    })
  }
  return index
}

/** The column called `name`. */
export function columnNamed<C extends NamedColumn>(columns: readonly C[], name: string, missing: MissingColumn = NO_SUCH_COLUMN): C {
  return columns[columnIndex(columns, name, missing)]
}

/** The values of the table's column called `name`. */
export function columnValues(table: Table, name: string, missing: MissingColumn = NO_SUCH_COLUMN): readonly Cell[] {
  return table.values[columnIndex(table.columns, name, missing)]
}
