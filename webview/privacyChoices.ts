/** What the privacy band says: pure, so that the wording is tested without a page. */
import type { MetadataDocument } from '../src/core/meta/document.ts'
import type { PrivacyChoices } from '../src/core/meta/privacyChoices.ts'
import { isProtected, rareValueRowsOf } from '../src/core/meta/protection.ts'
import { formatNumber } from './format.ts'

/** Value protection in one sentence: k, what it does, and the columns it is off in. */
export function protectionSummary(document: MetadataDocument): string {
  const k = rareValueRowsOf(document)
  if (k === 1) return 'Value protection is off (k = 1): rare values and extremes may be generated as they are.'
  const open = document.columns.filter((c) => !c.exclude && !isProtected(c)).map((c) => c.name)
  const rule = `Value protection, k = ${formatNumber(k)}: a value seen in fewer than ${formatNumber(k)} sampled rows is never generated, and numbers and dates are clipped to the ${formatNumber(k)}th smallest and largest value.`
  const off =
    open.length === 0 ? '' : ` Off in ${open.length === 1 ? open[0] : `${formatNumber(open.length)} columns`} (the Protect column).`
  return `${rule}${off} k is set at extraction (sparkSynth.rareValueRows).`
}

/** The band's closed line: the choices training will take, at a glance. */
export function privacySummary(choices: PrivacyChoices, rareValueRows: number): string {
  const protection = rareValueRows === 1 ? 'value protection off' : `value protection k = ${formatNumber(rareValueRows)}`
  const holdout = choices.holdoutShare === 0 ? 'no holdout' : `holdout ${formatNumber(choices.holdoutShare * 100)} %`
  const dp =
    choices.epsilon === null
      ? 'no differential privacy'
      : `differential privacy ε = ${formatNumber(choices.epsilon)}${choices.delta === null ? '' : `, δ = ${choices.delta.toExponential(1)}`}`
  return `Privacy: ${protection} · ${holdout} · ${dp}`
}
