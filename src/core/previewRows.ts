/**
 * The rows the editor's data preview shows: a few hundred of the real sample and freshly drawn
 * synthetic rows, as display text, held in memory only (nothing is written).
 */
import { displayRows, type DisplayRows } from './io/cellDisplay.ts'
import { sampleDataset } from './io/dataset.ts'
import { loadModel } from './model/modelFolder.ts'
import { loadTensorFlow, type BackendName, type LoadedTensorFlow } from './model/tensorflow.ts'

export interface RealRowsRequest {
  /** The source table, and the sample the document describes: its size, seed and (Delta) version. */
  readonly input: string
  readonly sampleSize: number
  readonly seed: number
  readonly version?: number
  /** The columns to show, in order. */
  readonly columns: readonly string[]
  readonly rows: number
}

/** `take` of `count` indices spread evenly from first to last: the whole sample, not its first file's rows. */
export function evenlySpaced(count: number, take: number): number[] {
  const shown = Math.min(count, take)
  return Array.from({ length: shown }, (_, i) => Math.floor((i * count) / shown))
}

/** Rows of the document's own sample (the rows a model learns from), spread over all of it. */
export async function readRealRows(request: RealRowsRequest): Promise<DisplayRows> {
  const { table } = await sampleDataset(request.input, {
    rows: request.sampleSize,
    seed: request.seed,
    version: request.version,
    columns: request.columns,
  })
  return displayRows(table, request.columns, evenlySpaced(table.rowCount, request.rows))
}

export interface SyntheticRowsRequest {
  readonly model: string
  readonly backend: BackendName | 'auto'
  readonly seed: number
  /** The columns to show, in order; those the model does not generate (excluded) are left out. */
  readonly columns: readonly string[]
  readonly rows: number
}

/** Rows drawn from the model with the seed, as `generate` draws them but kept in memory. */
export async function drawSyntheticRows(
  request: SyntheticRowsRequest,
  onBackend?: (loaded: LoadedTensorFlow) => void,
): Promise<DisplayRows> {
  const loaded = await loadTensorFlow(request.backend)
  onBackend?.(loaded)
  const { synthesizer } = await loadModel(loaded.tf, request.model)
  try {
    const table = synthesizer.sample(request.rows, request.seed)
    return displayRows(
      table,
      request.columns,
      Array.from({ length: table.rowCount }, (_, i) => i),
    )
  } finally {
    synthesizer.dispose()
  }
}
