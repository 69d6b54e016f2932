/**
 * What the target picker offers: the columns that can be predicted, the one chosen, and a line that
 * says what the target is for or why no column fits. Pure, so that the rules are tested without a page.
 */
import type { MetadataDocument } from '../src/core/meta/document.ts'
import { MAX_TARGET_CLASSES, targetCandidates, targetProblem } from '../src/core/meta/target.ts'

export interface TargetChoices {
  /** Column names the dropdown offers besides "None", in document order. */
  readonly candidates: readonly string[]
  /** The document's target, or null. */
  readonly chosen: string | null
  readonly hint: string
}

/** Reasons listed when no column fits; the rest are counted. */
const LISTED_REASONS = 3

export function targetChoices(document: MetadataDocument): TargetChoices {
  const candidates = targetCandidates(document.columns).map((c) => c.name)
  const chosen = document.target ?? null
  if (candidates.length > 0) {
    return {
      candidates,
      chosen,
      hint:
        chosen === null
          ? 'Pick a label to measure utility: the report predicts it trained on synthetic rows and on real ones.'
          : `The report predicts ${chosen} from the other columns, trained on synthetic rows and on real ones (utility).`,
    }
  }
  const reasons = document.columns.map((c) => `${c.name} ${targetProblem(c) ?? ''}`)
  const more = reasons.length - LISTED_REASONS
  return {
    candidates,
    chosen,
    hint:
      `No column can be the target, so utility is not measured: ${reasons.slice(0, LISTED_REASONS).join('; ')}${more > 0 ? `; ${more} more likewise` : ''}. ` +
      `A target is a kept categorical, boolean or integer column with 2 to ${MAX_TARGET_CLASSES} values.`,
  }
}
