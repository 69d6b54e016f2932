/**
 * What the synthesis panel says and allows, derived from the host's session alone: pure, so that
 * the wording and the rules are tested without a page.
 */
import { DEFAULT_MODEL_SIZE } from '../src/core/meta/trainingChoices.ts'
import { DEFAULT_HOLDOUT_SHARE } from '../src/core/samplingDefaults.ts'
import { IDLE_GENERATION, IDLE_TRAINING, type SessionView } from '../src/protocol/webview.ts'
import { formatNumber } from './format.ts'

/** Before the host's first session message: nothing trained, nothing running (defaults as the host's fallbacks). */
export const IDLE_SESSION: SessionView = {
  training: IDLE_TRAINING,
  model: null,
  generation: IDLE_GENERATION,
  report: null,
  defaults: {
    rows: 1000,
    seed: 42,
    holdoutShare: DEFAULT_HOLDOUT_SHARE,
    epsilon: 0,
    delta: 0,
    epochs: 0,
    timeBudgetSeconds: 0,
    modelSize: DEFAULT_MODEL_SIZE,
  },
}

// Speeds vary from epoch to epoch: three significant digits are all that reads steadily.
const SPEED = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 })
const LOSS_LABEL = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 })

export function isRunning(session: SessionView): boolean {
  return session.training.status === 'running' || session.generation.status === 'running'
}

export function canGenerate(session: SessionView): boolean {
  return session.model !== null && !session.model.stale && !isRunning(session)
}

const plural = (count: number, one: string, many: string) => `${formatNumber(count)} ${count === 1 ? one : many}`

/** A loss on the chart's axes and in its description: `14.2`, `12.36`. */
export function formatLoss(loss: number): string {
  return LOSS_LABEL.format(loss)
}

/** Time left, as coarse as an estimate deserves: `about 40 s left`, `about 3 min left`; empty below a second. */
export function formatTimeLeft(seconds: number): string {
  if (!(seconds >= 1)) return ''
  if (seconds < 59.5) return `about ${Math.round(seconds)} s left`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `about ${minutes} min left`
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`
}

/** `2026-11-25T17:02:33.120Z` as `2026-11-25 17:02 UTC`; text that is not an instant as it is. */
export function formatTrainedAt(trainedAt: string): string {
  const time = Date.parse(trainedAt)
  if (Number.isNaN(time)) return trainedAt
  const iso = new Date(time).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

function runningTraining({ training }: SessionView): string {
  // Until the first epoch ends there are no figures, only how far it is or what the worker does.
  if (training.epoch === 0 && training.steps > 0)
    return `Training: epoch 1 of ${training.epochs}, step ${training.step} of ${training.steps}`
  if (training.epoch === 0) return training.message ? `Training: ${training.message}` : 'Training'
  const loss = training.losses.at(-1)
  return [
    `Training: epoch ${training.epoch} of ${training.epochs}`,
    loss === undefined ? '' : `loss ${loss.toFixed(3)}`,
    training.rowsPerSecond > 0 ? `${SPEED.format(training.rowsPerSecond)} rows/s` : '',
    formatTimeLeft(training.etaSeconds),
  ]
    .filter(Boolean)
    .join(' · ')
}

/** The training line: a run in progress, how the last one ended, or the model there is. */
export function trainingStatus(session: SessionView): string {
  const { training, model } = session
  if (training.status === 'running') return runningTraining(session)
  if (training.status === 'failed') return training.message ? `Training failed: ${training.message}` : 'Training failed.'
  if (training.status === 'cancelled') return 'Training cancelled: the previous model, if any, is kept.'
  if (!model) return 'No model yet: Train learns the table from the sample.'
  if (model.stale) return 'The model was trained on other column choices: train again before generating.'
  return `Model trained ${formatTrainedAt(model.trainedAt)} on ${plural(model.rows, 'row', 'rows')}, ${plural(model.epochs, 'epoch', 'epochs')} (${model.backend})`
}

/** The generation line: a run in progress or how the last one ended; empty before the first. */
export function generationStatus(session: SessionView): string {
  const { generation, report } = session
  const total = formatNumber(generation.rows)
  switch (generation.status) {
    case 'running':
      if (generation.rowsDone === 0)
        return generation.message ? `Generating ${total} rows: ${generation.message}` : `Generating ${total} rows`
      if (generation.rowsDone < generation.rows) return `Generating ${formatNumber(generation.rowsDone)} of ${total} rows`
      // All rows are written; what remains (the report) names itself in the message.
      return generation.message ? `Generated ${total} rows: ${generation.message}` : `Generated ${total} rows`
    case 'done': {
      const wrote = generation.output ? `Wrote ${generation.output}` : `Wrote ${total} rows`
      if (!report) return wrote
      const score = (value: number) => value.toFixed(3)
      return `${wrote} · Quality ${score(report.overall)} (column shapes ${score(report.columnShapes)}, pair trends ${score(report.columnPairTrends)})`
    }
    case 'failed':
      return generation.message ? `Generation failed: ${generation.message}` : 'Generation failed.'
    case 'cancelled':
      return 'Generation cancelled: nothing was written.'
    case 'idle':
      return ''
  }
}
