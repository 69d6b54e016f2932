import type { MetadataDocument } from '../core/meta/document.ts'
import type { TrainingEdit } from '../protocol/webview.ts'

/**
 * The document with one training choice changed; null removes it (the settings apply, else the default). A
 * section left without a choice goes too, so that a document whose choices are all undone reads as it did
 * (undefined fields are not written, as `withoutTarget` relies on).
 */
export function applyTrainingEdit(document: MetadataDocument, edit: TrainingEdit): MetadataDocument {
  const training = { ...document.training, [edit.field]: edit.value ?? undefined }
  return { ...document, training: Object.values(training).some((value: unknown) => value !== undefined) ? training : undefined }
}
