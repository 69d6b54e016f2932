/**
 * The training choices a run takes: epochs, time budget and model size. One reading of who wins, for the CLI
 * (a flag, else the document), the editor's Train (the document, else the settings) and the editor's band, so
 * that what the band shows is what trains. Browser-safe: the webview bundles it.
 */
import type { MetadataDocument } from './document.ts'

export type TrainingSection = NonNullable<MetadataDocument['training']>
export type ModelSize = NonNullable<TrainingSection['modelSize']>

export const MODEL_SIZES = ['small', 'medium', 'large'] as const satisfies readonly ModelSize[]
/** The most epochs a document may choose (schemas/synth-meta.schema.json, `training.epochs`). */
export const MAX_CHOSEN_EPOCHS = 10_000
/** The network every model had before sizes could be chosen (core/model/modelSize.ts gives its widths). */
export const DEFAULT_MODEL_SIZE: ModelSize = 'medium'

export interface TrainingChoices {
  /** null: chosen from the sample size. */
  readonly epochs: number | null
  /** null: no limit. */
  readonly timeBudgetSeconds: number | null
  readonly modelSize: ModelSize
  /** Which of these the first source states (the others are the second's, or the defaults). */
  readonly fromFirst: { readonly epochs: boolean; readonly timeBudgetSeconds: boolean; readonly modelSize: boolean }
}

/**
 * Each choice from `first` where it states one, else from `second`, else the default. The CLI passes its
 * flags then the document; the editor the document then its settings.
 */
export function trainingChoices(first: TrainingSection | undefined, second: TrainingSection | undefined): TrainingChoices {
  return {
    epochs: first?.epochs ?? second?.epochs ?? null,
    timeBudgetSeconds: first?.timeBudgetSeconds ?? second?.timeBudgetSeconds ?? null,
    modelSize: first?.modelSize ?? second?.modelSize ?? DEFAULT_MODEL_SIZE,
    fromFirst: {
      epochs: first?.epochs !== undefined,
      timeBudgetSeconds: first?.timeBudgetSeconds !== undefined,
      modelSize: first?.modelSize !== undefined,
    },
  }
}

/** The `sparkSynth.*` training settings as a section (0 in a setting: let training choose, no limit). */
export function settingsSection(settings: {
  readonly epochs: number
  readonly timeBudgetSeconds: number
  readonly modelSize: ModelSize
}): TrainingSection {
  return {
    ...(settings.epochs > 0 ? { epochs: settings.epochs } : {}),
    ...(settings.timeBudgetSeconds > 0 ? { timeBudgetSeconds: settings.timeBudgetSeconds } : {}),
    modelSize: settings.modelSize,
  }
}
