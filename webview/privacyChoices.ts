/**
 * What the privacy band shows, from the document's choices and the settings that apply where it is
 * silent: pure, so that the rules are tested without a page.
 */
import type { MetadataDocument } from '../src/core/meta/document.ts'
import { isProtected, rareValueRowsOf } from '../src/core/meta/protection.ts'
import type { SessionView } from '../src/protocol/webview.ts'
import { formatNumber } from './format.ts'

export interface PrivacyChoices {
  readonly holdoutShare: number
  /** The ε training takes; null: without differential privacy. */
  readonly epsilon: number | null
  /** The δ training takes; null: the default, 1 / (10 × rows trained on). */
  readonly delta: number | null
  /** Which of these the document states (the others are the settings'). */
  readonly fromDocument: { readonly holdoutShare: boolean; readonly epsilon: boolean; readonly delta: boolean }
}

/** The choices training takes: the document's, else the settings' (0 in a setting: none, or the default). */
export function privacyChoices(privacy: MetadataDocument['privacy'], defaults: SessionView['defaults']): PrivacyChoices {
  return {
    holdoutShare: privacy?.holdoutShare ?? defaults.holdoutShare,
    epsilon: privacy?.epsilon !== undefined ? privacy.epsilon : defaults.epsilon || null,
    delta: privacy?.delta ?? (defaults.delta || null),
    fromDocument: {
      holdoutShare: privacy?.holdoutShare !== undefined,
      epsilon: privacy?.epsilon !== undefined,
      delta: privacy?.delta !== undefined,
    },
  }
}

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
