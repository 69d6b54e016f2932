import type { MetadataDocument } from '../core/meta/document.ts'
import { rareValueRowsOf } from '../core/meta/protection.ts'
import type { PrivacyEdit } from '../protocol/webview.ts'

type Privacy = NonNullable<MetadataDocument['privacy']>

/**
 * The document with one privacy choice changed. δ null removes it (the default applies); ε null stays, as
 * the choice to train without differential privacy. An older document gains the k it was protected with.
 */
export function applyPrivacyEdit(document: MetadataDocument, edit: PrivacyEdit): MetadataDocument {
  const { delta, ...others }: Privacy = { rareValueRows: rareValueRowsOf(document), ...document.privacy }
  const kept = delta === undefined ? others : { ...others, delta }
  switch (edit.field) {
    case 'holdoutShare':
      return { ...document, privacy: { ...kept, holdoutShare: edit.value } }
    case 'epsilon':
      return { ...document, privacy: { ...kept, epsilon: edit.value } }
    case 'delta':
      return { ...document, privacy: edit.value === null ? others : { ...others, delta: edit.value } }
  }
}
