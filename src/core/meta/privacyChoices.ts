/**
 * The privacy choices a run in VS Code takes: the document's, else the settings' (0 in a setting: none, or the
 * default). One reading for the editor's band and the training job, so that what it shows is what trains.
 */
import type { MetadataDocument } from './document.ts'

/** The privacy settings, as `sparkSynth.*` holds them. */
export interface PrivacySettings {
  readonly holdoutShare: number
  readonly epsilon: number
  readonly delta: number
}

export interface PrivacyChoices {
  readonly holdoutShare: number
  /** The ε training takes; null: without differential privacy. */
  readonly epsilon: number | null
  /** The δ training takes; null: the default, 1 / (10 × rows trained on). */
  readonly delta: number | null
  /** Which of these the document states (the others are the settings'). */
  readonly fromDocument: { readonly holdoutShare: boolean; readonly epsilon: boolean; readonly delta: boolean }
}

export function privacyChoices(privacy: MetadataDocument['privacy'], settings: PrivacySettings): PrivacyChoices {
  return {
    holdoutShare: privacy?.holdoutShare ?? settings.holdoutShare,
    epsilon: privacy?.epsilon !== undefined ? privacy.epsilon : settings.epsilon || null,
    delta: privacy?.delta ?? (settings.delta || null),
    fromDocument: {
      holdoutShare: privacy?.holdoutShare !== undefined,
      epsilon: privacy?.epsilon !== undefined,
      delta: privacy?.delta !== undefined,
    },
  }
}
