import type { Table } from '../io/table.ts'
import type { MetadataDocument } from '../meta/document.ts'
import type { TableEncoding } from './encoding.ts'
import type { MadeOptions, NetworkLayout, SamplerSettings, WeightTensor } from './made.ts'
import type { ColumnPlan, SyntheticStream } from './synthesizer.ts'

/** What the network drew for a batch: per learned column, the slot of each row and (numeric modes) its offset. */
export interface ModelDraw {
  readonly slots: Int32Array[]
  readonly offsets: (Float32Array | null)[]
}

/**
 * A trained model as those who sample or export it see it: the output writer, the sampling
 * threads and exporters go through this, never through the network's implementation.
 */
export interface Model {
  /** The metadata document the model was trained on. */
  readonly document: MetadataDocument
  /** The network's draw for `rows` rows; it depends on the seed alone, so any thread may make it. */
  draw(rows: number, seed: number): ModelDraw
  /** `rows` synthetic rows; the same seed gives the same rows on the same backend. */
  sample(rows: number, seed: number): Table
  /** Synthetic batches whose draws may be made elsewhere (see `SyntheticStream`). */
  stream(seed: number): SyntheticStream
  /** Rows whose columns hold the given values, the other columns following them. */
  sampleWhere(rows: number, seed: number, where: Readonly<Record<string, string>>): Table
  /** Everything needed to rebuild the model elsewhere: what the model folder stores. */
  describe(): ModelDescription
  dispose(): void
}

/** A model in portable terms (docs/model-format.md explains every field). */
export interface ModelDescription {
  readonly metadata: MetadataDocument
  readonly encoding: TableEncoding
  readonly plans: readonly ColumnPlan[]
  /** The network's hyperparameters (hidden widths, training settings, initialisation seed). */
  readonly options: MadeOptions
  readonly network: NetworkLayout
  readonly sampler: SamplerSettings
  /** Keys the sensitive handling (mask and fake) of the output columns. */
  readonly seed: number
  /** In the order the forward pass takes them. */
  readonly weights: readonly WeightTensor[]
}
