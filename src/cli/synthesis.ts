import path from 'node:path'
import { describeBackend, loadTensorFlow, type BackendName, type LoadedTensorFlow } from '../core/model/tensorflow.ts'
import { describeEpoch, etaSeconds } from '../core/model/epochLog.ts'
import { describeHoldout } from '../core/model/holdout.ts'
import { describePrivacy } from '../core/privacy/dpsgd.ts'
import { describeWarning } from '../core/privacy/guard.ts'
import { readModelSample } from '../core/model/modelFolder.ts'
import { metadataFor, runTrainJob, type TrainJob } from '../core/model/trainJob.ts'
import { RELOAD_SNIPPET, SYNTHETIC_DATA, TAKE_SAMPLE_SNIPPET } from '../core/output/layout.ts'
import { BATCH_ROWS, generateSynthetic, syntheticDataPath, type GenerateJob } from '../core/output/syntheticRun.ts'
import { reportFromDatasets } from '../core/report/fromDatasets.ts'
import { copiesBeyondHoldout } from '../core/report/privacyVerdict.ts'
import { rulesSummary } from '../core/report/rules.ts'
import { QUALITY_BARS, REPORT_HTML, writeQualityReport, type QualityReport } from '../core/report/index.ts'
import { formatCount } from '../core/formatCount.ts'

/** One status line on stderr, rewritten in place on a terminal. */
function status(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`)
  else process.stderr.write(`${text}\n`)
}

function endStatus(): void {
  if (process.stderr.isTTY) process.stderr.write('\n')
}

function reportBackend(loaded: LoadedTensorFlow): void {
  process.stderr.write(`${describeBackend(loaded)}\n`)
}

/** The user stopped the command (Ctrl-C); the CLI exits with 130 as shells expect. */
export class Cancelled extends Error {}

export async function trainCommand(job: TrainJob): Promise<void> {
  await cancellable(async (cancelled) => {
    const result = await runTrainJob(job, {
      onBackend: reportBackend,
      onWarning: (warning) => process.stderr.write(`${describeWarning(warning)}\n`),
      // Within an epoch only where the line is rewritten in place; a log gets one line per epoch.
      onStep: (report) => {
        if (process.stderr.isTTY) status(`epoch ${report.epoch}/${report.epochs}  step ${report.step}/${report.steps}`)
      },
      onEpoch: (report) => {
        status(`${describeEpoch(report)}, ETA ${etaSeconds(report).toFixed(0)} s`)
      },
      shouldStop: cancelled,
    })
    endStatus()
    if (!result.written) throw new Cancelled('cancelled: no model was written')
    console.log(
      `wrote ${job.output}: ${result.epochs.length} epochs on ${formatCount(result.rows)} rows in ${result.seconds.toFixed(1)} s (${result.backend}), final loss ${result.epochs.at(-1)?.loss.toFixed(3) ?? '–'}`,
    )
    console.log(describeHoldout(result.holdout, result.rows))
    if (result.privacy) console.log(describePrivacy(result.privacy))
  })
}

/** Runs `body` with Ctrl-C turned into a cancel request that `cancelled()` reports. */
async function cancellable<T>(body: (cancelled: () => boolean) => Promise<T>): Promise<T> {
  let cancelled = false
  const onInterrupt = () => {
    cancelled = true
    status('cancelling…')
  }
  process.once('SIGINT', onInterrupt)
  try {
    return await body(() => cancelled)
  } finally {
    process.removeListener('SIGINT', onInterrupt)
  }
}

/** ` (bar ≥ 0.97, missed)` when a figure misses its bar, else nothing. */
function missed(value: number, bar: { readonly atLeast: number } | { readonly atMost: number }, format: (v: number) => string): string {
  if ('atLeast' in bar) return value >= bar.atLeast ? '' : ` (below the bar of ${format(bar.atLeast)})`
  return value <= bar.atMost ? '' : ` (above the bar of ${format(bar.atMost)})`
}

function describeReport(report: QualityReport, folder: string): string {
  const { scores, privacy, utility } = report
  const score = (v: number) => v.toFixed(3)
  const share = (v: number) => `${(v * 100).toFixed(1)}%`
  const lines = [
    `privacy verdict: ${privacy.verdict.headline}`,
    ...privacy.verdict.advice.map((line) => `  - ${line}`),
    `quality (SDMetrics definitions): overall ${score(scores.overall)}, column shapes ${score(scores.columnShapes)}${missed(scores.columnShapes, QUALITY_BARS.columnShapes, score)}, column pair trends ${score(scores.columnPairTrends)}${missed(scores.columnPairTrends, QUALITY_BARS.columnPairTrends, score)}`,
    `privacy: ${share(privacy.closerToTrainShare)} of synthetic rows closer to training rows than to holdout rows${missed(privacy.closerToTrainShare, QUALITY_BARS.closerToTrainShare, share)}, ${share(privacy.exactCopyShare)} exact copies (holdout rows: ${share(privacy.holdoutCopyShare)})${missed(copiesBeyondHoldout(privacy), QUALITY_BARS.exactCopyShare, share)}, membership-inference AUC ${score(privacy.membershipAuc)} (0.5: no leak); ${privacy.note}`,
    `protection: ${privacy.protection}`,
  ]
  if (report.rules?.length) lines.push(`rules: ${rulesSummary(report.rules)}`)
  if (utility)
    lines.push(
      `utility (${utility.target} = ${utility.positive}): AUC trained on synthetic ${score(utility.syntheticAuc)}, on real ${score(utility.realAuc)}, ratio ${score(utility.ratio)}${missed(utility.ratio, QUALITY_BARS.tstrRatio, score)}`,
    )
  lines.push(`report: ${path.join(folder, REPORT_HTML)}`)
  return lines.join('\n')
}

/** `--target`, else the target of the document the model learned from; a damaged model is reported by generating. */
async function modelTarget(job: GenerateJob): Promise<string | undefined> {
  if (job.target !== undefined || job.report === false) return job.target
  return readModelSample(job.model).then(
    ({ document }) => document.target,
    () => undefined,
  )
}

export async function sampleCommand(job: GenerateJob): Promise<void> {
  const target = await modelTarget(job)
  const result = await cancellable((cancelled) =>
    generateSynthetic(
      { ...job, target },
      {
        onBackend: reportBackend,
        onRows: (done, total) => {
          if (total > BATCH_ROWS) status(`${formatCount(done)} / ${formatCount(total)} rows`)
        },
        onPhase: (message) => {
          status(`${message}…`)
        },
        shouldStop: cancelled,
      },
    ),
  )
  endStatus()
  if (!result.written) throw new Cancelled('cancelled: no output was written')
  const rate = result.rows / result.seconds
  const threads = result.threads > 1 ? `, drawn by ${result.threads} sampling threads` : ''
  const redrawn = result.redrawn ? `; ${formatCount(result.redrawn)} more drawn to keep the rules` : ''
  console.log(
    `wrote ${path.join(result.output, SYNTHETIC_DATA)}${job.format === 'delta' ? ' (a Delta table)' : ''}: ${formatCount(result.rows)} rows (${formatCount(Math.round(rate))} rows/s generated and written${threads}${redrawn}), with ${RELOAD_SNIPPET} and ${TAKE_SAMPLE_SNIPPET} beside it`,
  )
  if (result.report) console.log(describeReport(result.report, result.output))
  else if (result.reportSkipped) console.log(`no quality report: ${result.reportSkipped}`)
}

export interface ReportRequest {
  readonly real: string
  readonly synthetic: string
  /** The model that generated the rows: its sample and holdout are compared (else `meta`'s sample, or one extracted). */
  readonly model?: string
  readonly meta?: string
  /** The column to measure utility on (default: the document's `target`). */
  readonly target?: string
  readonly output: string
  readonly backend: BackendName | 'auto'
}

/** Scores synthetic rows against the real source and writes the report files. */
export async function reportCommand(request: ReportRequest): Promise<void> {
  const { document, holdout, differentialPrivacy } = request.model
    ? await readModelSample(request.model)
    : { document: await metadataFor(request.real, request.meta) }
  const target = request.target ?? document.target
  const tensorflow = target === undefined ? undefined : await loadTensorFlow(request.backend)
  if (tensorflow) reportBackend(tensorflow)
  status('comparing the synthetic rows with the real ones…')
  const report = await reportFromDatasets({
    real: request.real,
    synthetic: await syntheticDataPath(request.synthetic),
    document,
    target,
    tensorflow,
    holdout,
    differentialPrivacy,
  })
  endStatus()
  await writeQualityReport(report, request.output)
  console.log(describeReport(report, request.output))
}
