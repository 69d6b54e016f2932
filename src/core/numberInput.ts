/**
 * Row counts, seeds and shares as a user types them, in the command palette, the metadata editor's form
 * or on the command line: one reading, one set of messages. Browser-safe (the webview bundles it).
 */
import { HOLDOUT_SHARE_LIMIT } from './samplingDefaults.ts'
import { formatCount } from './formatCount.ts'

export type Parsed = { readonly value: number } | { readonly problem: string }

/** Plain digits, or digits grouped by three with `,` or `_`: `50000`, `50,000`, `1_000_000` (not `12,34`). */
const DIGITS = /^(\d+|\d{1,3}([,_]\d{3})+)$/

/** The number that unsigned `digits` spell, or undefined when they are not digits as {@link DIGITS} reads them. */
function readDigits(digits: string): number | undefined {
  return DIGITS.test(digits) ? Number(digits.replace(/[,_]/g, '')) : undefined
}

/** A count of rows from 1 to `max`. */
export function parseRows(text: string, max = Number.MAX_SAFE_INTEGER): Parsed {
  const trimmed = text.trim()
  if (!trimmed) return { problem: 'Rows: enter how many rows to generate.' }
  const rows = readDigits(trimmed)
  if (rows === undefined) return { problem: 'Rows must be a whole number, such as 50000 or 50,000.' }
  if (rows < 1) return { problem: 'Rows must be at least 1.' }
  if (rows > max) return { problem: `Rows can be at most ${formatCount(max)}.` }
  return { value: rows }
}

/** A seed: any safe integer, negative ones too; `-0` is the seed 0. */
export function parseSeed(text: string): Parsed {
  const trimmed = text.trim()
  if (!trimmed) return { problem: 'Seed: enter a whole number (the same seed gives the same rows).' }
  const negative = trimmed.startsWith('-')
  const magnitude = readDigits(negative ? trimmed.slice(1) : trimmed)
  if (magnitude === undefined) return { problem: 'Seed must be a whole number, such as 42 or -7.' }
  if (!Number.isSafeInteger(magnitude))
    return { problem: `Seed must lie between ${formatCount(Number.MIN_SAFE_INTEGER)} and ${formatCount(Number.MAX_SAFE_INTEGER)}.` }
  return { value: negative && magnitude !== 0 ? -magnitude : magnitude }
}

/** k of value protection: a whole number of rows, 1 or more (1 protects nothing). */
export function parseRareValueRows(text: string): Parsed {
  const rows = readDigits(text.trim())
  if (rows === undefined || rows < 1)
    return { problem: 'Rare-value rows must be a whole number, 1 or more, such as 5 (1 protects no value).' }
  return { value: rows }
}

/** A decimal number, without sign or exponent: `0.1`, `.25`, `0`. */
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/

/** The share of the sample kept out of training: from 0 (none) to below {@link HOLDOUT_SHARE_LIMIT}. */
export function parseHoldoutShare(text: string): Parsed {
  const trimmed = text.trim()
  const share = DECIMAL.test(trimmed) ? Number(trimmed) : undefined
  if (share === undefined || share >= HOLDOUT_SHARE_LIMIT)
    return { problem: `Holdout share must be a number from 0 to below ${HOLDOUT_SHARE_LIMIT}, such as 0.1 (0 keeps no rows out).` }
  return { value: share }
}

/** A decimal number that may carry an exponent: `4`, `0.5`, `1e-5`, `2.5E-6`. */
const SCIENTIFIC = /^(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i

/** DP-SGD's ε: a number above 0 (smaller is more private). */
export function parseEpsilon(text: string): Parsed {
  const trimmed = text.trim()
  const epsilon = SCIENTIFIC.test(trimmed) ? Number(trimmed) : undefined
  if (epsilon === undefined || !(epsilon > 0) || !Number.isFinite(epsilon))
    return { problem: 'Epsilon must be a number above 0, such as 1, 4 or 10 (smaller is more private).' }
  return { value: epsilon }
}

/** DP-SGD's δ: a number between 0 and 1, well below 1 / rows. */
export function parseDelta(text: string): Parsed {
  const trimmed = text.trim()
  const delta = SCIENTIFIC.test(trimmed) ? Number(trimmed) : undefined
  if (delta === undefined || !(delta > 0 && delta < 1))
    return { problem: 'Delta must be a number between 0 and 1, well below 1 / rows, such as 1e-5.' }
  return { value: delta }
}

/** Training epochs: a whole number from 1 to `max`. */
export function parseEpochs(text: string, max: number): Parsed {
  const epochs = readDigits(text.trim())
  if (epochs === undefined || epochs < 1 || epochs > max)
    return {
      problem: `Epochs must be a whole number from 1 to ${formatCount(max)}, such as 20 (leave it empty to choose from the sample size).`,
    }
  return { value: epochs }
}

/** Seconds per unit of a time budget; a bare number is seconds. */
const TIME_UNITS: Readonly<Record<string, number>> = { '': 1, s: 1, sec: 1, seconds: 1, m: 60, min: 60, minutes: 60, h: 3600, hours: 3600 }

/** A time budget in seconds, typed as `90`, `90 s`, `5 min` or `1.5 h`: above 0. */
export function parseTimeBudget(text: string): Parsed {
  const match = /^(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)$/i.exec(text.trim())
  const unit = match ? TIME_UNITS[match[2].toLowerCase()] : undefined
  const seconds = match && unit ? Number(match[1]) * unit : undefined
  if (seconds === undefined || !(seconds > 0) || !Number.isFinite(seconds))
    return { problem: 'Time budget must be a time above 0, such as 90 s or 5 min (leave it empty for no limit).' }
  return { value: seconds }
}

/** A rule's bound, step or tolerance as typed: any finite number, signed, with an exponent if need be (`-3`, `2.5`, `1e6`). */
export function parseRuleNumber(text: string, what: string): Parsed {
  const trimmed = text.trim()
  const value = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i.test(trimmed) ? Number(trimmed) : undefined
  if (value === undefined || !Number.isFinite(value)) return { problem: `${what} must be a number, such as 17, -3 or 2.5.` }
  return { value }
}
