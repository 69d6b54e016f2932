/** What the data preview shows and allows, from the document and the session alone: the host enforces it, the page says it up front. */
import type { MetadataDocument } from '../core/meta/document.ts'
import type { SessionView } from './webview.ts'
import { formatCount } from '../core/formatCount.ts'

/** Rows a preview shows: enough to eyeball, few enough to draw in a moment. */
export const PREVIEW_ROWS = 200

/** Why synthetic rows cannot be drawn now, and what to do; undefined when they can. */
export function syntheticRefusal(session: SessionView): string | undefined {
  if (session.training.status === 'running') return 'Training is running: draw synthetic rows once it ends (the model is replaced then).'
  if (!session.model) return 'There is no model of this document yet. Train it (Train, above), then draw synthetic rows.'
  if (session.model.stale)
    return 'The model was trained on other column choices than the document has now. Train again, then draw synthetic rows.'
  return undefined
}

/** Columns the preview shows at most: 200 rows of a 5,000-column table would be a million cells nobody reads. */
export const PREVIEW_COLUMNS = 40

/** The columns a preview shows, in document order, and what it says of those it leaves out. */
export function previewColumns(document: MetadataDocument): { readonly columns: string[]; readonly note?: string } {
  const columns = document.columns.slice(0, PREVIEW_COLUMNS).map((column) => column.name)
  const total = document.columns.length
  return total > columns.length ? { columns, note: `Showing the first ${columns.length} of ${formatCount(total)} columns.` } : { columns }
}
