/**
 * Whether rows keep a rule, row by row: the sampler's last guard and the report's "Rules" section. A rule
 * with a null operand holds (as a SQL CHECK does); `unique` remembers the keys it has seen.
 */
import { cellText } from '../io/cellText.ts'
import { columnValues } from '../io/columnLookup.ts'
import type { Cell, Table } from '../io/table.ts'
import { evaluateExpression, parseExpression } from './expression.ts'
import type { Rule } from './rule.ts'

/** A number as rules compare it: instants by their milliseconds. */
export function ruleNumber(cell: Cell): number | null {
  if (cell instanceof Date) return cell.getTime()
  return typeof cell === 'number' && !Number.isNaN(cell) ? cell : null
}

/** Float rounding allowed in equalities, relative to the numbers compared. */
const RELATIVE_EPSILON = 1e-9

export function nearlyEqual(a: number, b: number, tolerance = 0): boolean {
  return Math.abs(a - b) <= tolerance + RELATIVE_EPSILON * Math.max(1, Math.abs(a), Math.abs(b))
}

/** Whether `value` is a multiple of `step`, float rounding aside. */
export function isMultiple(value: number, step: number): boolean {
  const ratio = value / step
  return nearlyEqual(ratio, Math.round(ratio))
}

/** A tuple of cells as one key: combinations and unique keys. */
export function tupleKey(cells: readonly Cell[]): string {
  return JSON.stringify(cells.map((cell) => (cell === null ? null : cellText(cell))))
}

/**
 * A check of one rule over a table's rows: `holds(r)` for row r. `combinations` are the value tuples a
 * combination rule allows (from the training sample); `unique` checks remember every key they passed.
 */
export function ruleCheck(rule: Rule, table: Table, combinations?: ReadonlySet<string>): (row: number) => boolean {
  const values = (name: string) => columnValues(table, name)
  switch (rule.kind) {
    case 'inequality': {
      const low = values(rule.low)
      const high = values(rule.high)
      return (r) => {
        const a = ruleNumber(low[r])
        const b = ruleNumber(high[r])
        return a === null || b === null || (rule.strict ? a < b : a <= b)
      }
    }
    case 'range': {
      const column = values(rule.column)
      return (r) => {
        const x = ruleNumber(column[r])
        if (x === null) return true
        const aboveMin = rule.min === undefined || (rule.minExclusive ? x > rule.min : x >= rule.min)
        return aboveMin && (rule.max === undefined || (rule.maxExclusive ? x < rule.max : x <= rule.max))
      }
    }
    case 'increment': {
      const column = values(rule.column)
      return (r) => {
        const x = ruleNumber(column[r])
        return x === null || isMultiple(x, rule.step)
      }
    }
    case 'expression': {
      const expression = parseExpression(rule.expression)
      const column = values(rule.column)
      return (r) => {
        const x = ruleNumber(column[r])
        const expected = evaluateExpression(expression, (name) => ruleNumber(values(name)[r]))
        return x === null || expected === null || nearlyEqual(x, expected, rule.tolerance)
      }
    }
    case 'combination': {
      const columns = rule.columns.map(values)
      return (r) => {
        const cells = columns.map((column) => column[r])
        return !combinations || cells.some((cell) => cell === null) || combinations.has(tupleKey(cells))
      }
    }
    case 'unique': {
      const columns = rule.columns.map(values)
      const seen = new Set<string>()
      return (r) => {
        const cells = columns.map((column) => column[r])
        if (cells.some((cell) => cell === null)) return true
        const key = tupleKey(cells)
        if (seen.has(key)) return false
        seen.add(key)
        return true
      }
    }
  }
}

/** The value tuples of a combination rule's columns in a table (rows with a null aside). */
export function combinationsIn(table: Table, columns: readonly string[]): Set<string> {
  const values = columns.map((name) => columnValues(table, name))
  const seen = new Set<string>()
  for (let r = 0; r < table.rowCount; r++) {
    const cells = values.map((column) => column[r])
    if (!cells.some((cell) => cell === null)) seen.add(tupleKey(cells))
  }
  return seen
}

/** How many of a table's rows keep the rule. */
export function rowsKeeping(rule: Rule, table: Table, combinations?: ReadonlySet<string>): number {
  const holds = ruleCheck(rule, table, combinations)
  let kept = 0
  for (let r = 0; r < table.rowCount; r++) if (holds(r)) kept++
  return kept
}
