import type { ColumnMeta, MetadataDocument } from '../core/meta/document.ts'
import { holdsStrings, kindsFitting, REWRITING_HANDLING } from '../core/meta/kinds.ts'
import { targetProblem, withoutTarget } from '../core/meta/target.ts'
import type { ColumnEdit } from '../protocol/webview.ts'

export type EditOutcome = { readonly document: MetadataDocument } | { readonly problem: string }

/** The column an edit names, or why it names none (see `applyColumnEdit`). */
export function editedColumn(document: MetadataDocument, edit: Pick<ColumnEdit, 'index' | 'name'>): ColumnMeta | string {
  if (edit.index >= document.columns.length)
    return `column index ${edit.index} is out of range (the document has ${document.columns.length} columns)`
  const column = document.columns[edit.index]
  return column.name === edit.name ? column : `column ${edit.index} is "${column.name}", not "${edit.name}"`
}

/**
 * The document with one column edited, or why the edit does not apply: an index past the last
 * column, or a column renamed or moved since the webview drew it (the name no longer matches).
 */
export function applyColumnEdit(document: MetadataDocument, edit: Exclude<ColumnEdit, { field: 'nullValues' }>): EditOutcome {
  const column = editedColumn(document, edit)
  if (typeof column === 'string') return { problem: column }
  if (edit.field === 'kind' && !kindsFitting(column.sparkType).includes(edit.value))
    return { problem: `"${edit.value}" does not fit "${column.name}", which holds ${column.sparkType} values` }
  if (edit.field === 'sensitive' && REWRITING_HANDLING.has(edit.value) && !holdsStrings(column))
    return { problem: `"${edit.value}" rewrites strings only, and "${column.name}" holds ${column.sparkType} values` }
  const edited: ColumnMeta = { ...column, [edit.field]: edit.value }
  const columns = document.columns.map((c, i) => (i === edit.index ? edited : c))
  // A target the edit makes unpredictable (excluded, masked, a new kind) is dropped: the document stays valid, the picker shows none.
  const dropped = document.target === column.name && targetProblem(edited) !== undefined
  return { document: { ...(dropped ? withoutTarget(document) : document), columns } }
}
