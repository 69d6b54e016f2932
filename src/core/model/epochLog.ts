import type { EpochReport } from './made.ts'
import { formatCount } from '../formatCount.ts'

/** Seconds the epochs still planned would take at the pace so far. */
export function etaSeconds({ epoch, epochs, elapsedSeconds }: Pick<EpochReport, 'epoch' | 'epochs' | 'elapsedSeconds'>): number {
  return Math.max(0, (epochs - epoch) * (elapsedSeconds / epoch))
}

/**
 * One epoch as a line of the log (the CLI's and the editor's):
 * `epoch 3/20: loss 12.345, holdout loss 12.901, 1.2 s, 12,345 rows/s`.
 */
export function describeEpoch(
  report: Pick<EpochReport, 'epoch' | 'epochs' | 'loss' | 'holdoutLoss' | 'seconds' | 'rowsPerSecond'>,
): string {
  return [
    `epoch ${report.epoch}/${report.epochs}: loss ${report.loss.toFixed(3)}`,
    ...(report.holdoutLoss === undefined ? [] : [`holdout loss ${report.holdoutLoss.toFixed(3)}`]),
    `${report.seconds.toFixed(report.seconds < 1 ? 2 : 1)} s`,
    `${formatCount(Math.round(report.rowsPerSecond))} rows/s`,
  ].join(', ')
}
