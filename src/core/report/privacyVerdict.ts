/**
 * The privacy verdict a report leads with: the distance-to-closest-record figures read for a user who is
 * about to share the rows, with what to do about each finding.
 */
import { QUALITY_BARS, type PrivacyReport } from './types.ts'

export type PrivacyVerdict = PrivacyReport['verdict']
type Figures = Pick<PrivacyReport, 'holdout' | 'closerToTrainShare' | 'exactCopyShare' | 'holdoutCopyShare' | 'differentialPrivacy'>

/** Beyond these the model plainly memorises: a clear majority of rows nearer training rows, or copies well above the data's own duplicates. */
const RISK_CLOSER_SHARE = 0.6
const RISK_EXTRA_COPIES = 0.02

const percent = (share: number) => `${Number((share * 100).toFixed(2))} %`

const COPY_ADVICE =
  'Sample more rows if the source has them (--rows, sparkSynth.rowBudget), train fewer epochs, or train with differential privacy (--epsilon 4, sparkSynth.epsilon); exclude or fake the columns that identify a person'
const CLOSER_ADVICE = 'Train fewer epochs or with differential privacy (--epsilon 4, sparkSynth.epsilon); more rows help too'

/**
 * The verdict on `figures`; `unprotected` are the compared columns value protection does not cover (every
 * column when none was recorded).
 */
export function privacyVerdict(figures: Figures, unprotected: readonly string[]): PrivacyVerdict {
  const dp = figures.differentialPrivacy
  const guarantee = dp
    ? ` The model is (ε = ${Number(dp.epsilon.toPrecision(3))}, δ = ${dp.delta.toExponential(1)})-differentially private.`
    : ''
  const protectionAdvice =
    // Differential privacy covers what the encodings keep of rare values too.
    unprotected.length > 0 && !dp
      ? [
          `Value protection is off in ${unprotected.join(', ')}: a rare value or an extreme there can be generated as it is; turn it on (the column's protect) unless those values identify no one`,
        ]
      : []
  if (figures.holdout === 'split') {
    return {
      level: 'untested',
      headline: `Not tested: the model may have seen every row these figures compare, so they cannot show memorisation.${guarantee}`,
      advice: ['Generate from the model folder (spark-synth sample, or Generate in the editor), whose holdout the report then uses'],
    }
  }
  const extraCopies = copiesBeyondHoldout(figures)
  const copies = `${percent(figures.exactCopyShare)} of synthetic rows are exact copies of training rows (${percent(figures.holdoutCopyShare)} of the rows it never saw are)`
  const closer = `${figures.closerToTrainShare.toFixed(3)} of them sit closer to a training row than to an unseen one (0.5: no memorisation)`
  const advice = [
    ...(extraCopies > QUALITY_BARS.exactCopyShare.atMost ? [COPY_ADVICE] : []),
    ...(figures.closerToTrainShare > QUALITY_BARS.closerToTrainShare.atMost ? [CLOSER_ADVICE] : []),
    ...protectionAdvice,
  ]
  if (figures.closerToTrainShare > RISK_CLOSER_SHARE || extraCopies > RISK_EXTRA_COPIES)
    return {
      level: 'risk',
      headline: `Do not share as is: the model reproduces its training rows. ${copies}; ${closer}.${guarantee}`,
      advice,
    }
  if (advice.length > 0) return { level: 'caution', headline: `Check before sharing: ${copies}; ${closer}.${guarantee}`, advice }
  return { level: 'good', headline: `No sign of memorisation: ${copies}; ${closer}.${guarantee}`, advice }
}

/** Exact copies beyond the holdout's own rate: the data's duplicates give that many to a model that never saw the rows. */
export function copiesBeyondHoldout(figures: Pick<PrivacyReport, 'exactCopyShare' | 'holdoutCopyShare'>): number {
  return Math.max(0, figures.exactCopyShare - figures.holdoutCopyShare)
}
