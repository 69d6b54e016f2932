/**
 * The Generate form's fields read as numbers, or the reason they cannot be: the page checks
 * what the host's guard would refuse, so that the user sees why instead of nothing happening.
 */
import { MAX_GENERATE_ROWS } from '../src/protocol/webview.ts'
import { formatNumber } from './format.ts'

export type Parsed = { readonly value: number } | { readonly problem: string }

/** Plain digits, or digits grouped by three with `,` or `_`: `50000`, `50,000`, `1_000_000`. */
const WHOLE_NUMBER = /^(\d+|\d{1,3}([,_]\d{3})+)$/

export function parseRows(text: string): Parsed {
  const trimmed = text.trim()
  if (!trimmed) return { problem: 'Rows: enter how many rows to generate.' }
  if (!WHOLE_NUMBER.test(trimmed)) return { problem: 'Rows must be a whole number, such as 50000 or 50,000.' }
  const rows = Number(trimmed.replace(/[,_]/g, ''))
  if (rows < 1) return { problem: 'Rows must be at least 1.' }
  if (rows > MAX_GENERATE_ROWS) return { problem: `Rows can be at most ${formatNumber(MAX_GENERATE_ROWS)}.` }
  return { value: rows }
}

export function parseSeed(text: string): Parsed {
  const trimmed = text.trim()
  if (!trimmed) return { problem: 'Seed: enter a whole number (the same seed gives the same rows).' }
  const negative = trimmed.startsWith('-')
  const digits = negative ? trimmed.slice(1) : trimmed
  if (!WHOLE_NUMBER.test(digits)) return { problem: 'Seed must be a whole number, such as 42 or -7.' }
  const seed = Number(digits.replace(/[,_]/g, '')) * (negative ? -1 : 1)
  if (!Number.isSafeInteger(seed))
    return { problem: `Seed must lie between ${formatNumber(Number.MIN_SAFE_INTEGER)} and ${formatNumber(Number.MAX_SAFE_INTEGER)}.` }
  // `-0` is the seed 0.
  return { value: seed || 0 }
}
