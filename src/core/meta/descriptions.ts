/**
 * One plain sentence for each column kind and each sensitive handling: what the synthetic column
 * holds when it is chosen. The editor shows them on its dropdowns and in the details panel.
 */
import type { SensitiveHandling } from './document.ts'
import type { ColumnKind } from './kinds.ts'

export const KIND_DESCRIPTIONS: Readonly<Record<ColumnKind, string>> = {
  continuous: 'numbers on a scale: the model learns their distribution and draws new values within the range seen.',
  integer: 'whole numbers (counts, codes, amounts): learned like continuous values, then rounded.',
  categorical: 'values drawn from the categories seen in the sample, at their frequencies and with their links to other columns.',
  boolean: 'true or false, learned at the shares seen in the sample.',
  date: 'calendar days, learned on a time line and written as dates.',
  timestamp: 'instants, learned on a time line to the millisecond.',
  identifier: 'keys such as IDs, UUIDs or e-mails: fresh unique values in the same format, never taken from the sample.',
  text: 'free text: made-up words with the sample’s word counts and spelling, never copied from it.',
  constant: 'one value (or null) in every row, as seen in the sample.',
}

export const SENSITIVE_DESCRIPTIONS: Readonly<Record<SensitiveHandling, string>> = {
  keep: 'values are learned from the data, so common ones appear as they are (value protection hides rare ones).',
  mask: 'each letter becomes another letter and each digit another digit, the rest kept: same format, unreadable value.',
  fake: 'each distinct value becomes a consistent look-alike never taken from the data, so counts and links survive.',
  exclude: 'the column is left out of the synthetic data.',
}

/** "Kind: categorical — values drawn from …", the help line of the details panel. */
export function kindHelp(kind: ColumnKind): string {
  return `Kind: ${kind} — ${KIND_DESCRIPTIONS[kind]}`
}

/** "Sensitive: mask — each letter …", the help line of the details panel. */
export function sensitiveHelp(handling: SensitiveHandling): string {
  return `Sensitive: ${handling} — ${SENSITIVE_DESCRIPTIONS[handling]}`
}
