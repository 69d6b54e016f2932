import type { Cell } from './table.ts'

/**
 * A cell as text, one text per value: what a user types in `--where col=value`, and the key that
 * categories are told apart by. Instants are ISO 8601 to the millisecond; nested values and bytes,
 * never learned, are JSON.
 */
export function cellText(cell: Cell): string {
  if (cell === null) return 'null'
  if (cell instanceof Date) return cell.toISOString()
  if (typeof cell === 'object')
    return JSON.stringify(cell, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))
  return String(cell)
}
