/** What the training band says: pure, so that the wording is tested without a page. */
import type { TrainingChoices } from '../src/core/meta/trainingChoices.ts'
import { formatNumber } from './format.ts'

/** A time budget as typed back into its field and read in the summary: `90 s`, `5 min`, `1.5 h`. */
export function formatTimeBudget(seconds: number): string {
  if (seconds >= 3600 && (seconds / 360) % 1 === 0) return `${formatNumber(seconds / 3600)} h`
  if (seconds >= 60 && (seconds / 6) % 1 === 0) return `${formatNumber(seconds / 60)} min`
  return `${formatNumber(seconds)} s`
}

/** The band's closed line: `Training: automatic epochs · no time limit · medium model`. */
export function trainingSummary(choices: TrainingChoices): string {
  const epochs =
    choices.epochs === null ? 'automatic epochs' : `${formatNumber(choices.epochs)} ${choices.epochs === 1 ? 'epoch' : 'epochs'}`
  const budget = choices.timeBudgetSeconds === null ? 'no time limit' : `at most ${formatTimeBudget(choices.timeBudgetSeconds)}`
  return `Training: ${epochs} · ${budget} · ${choices.modelSize} model`
}
