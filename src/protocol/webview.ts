/**
 * The host ↔ metadata editor webview protocol: the only messages that cross the webview boundary.
 * Declared once here and imported by the extension host and the webview bundle; each side checks
 * what it receives with the guards below. An action such as training or generating is added as one
 * more message type in the unions and in the tables of fields.
 */
import { SENSITIVE_HANDLING, type MetadataDocument, type SensitiveHandling } from '../core/meta/document.ts'
import { COLUMN_KINDS, type ColumnKind } from '../core/meta/kinds.ts'

/** A change to one column. `name` guards `index` against a document that changed meanwhile. */
export type ColumnEdit = { readonly index: number; readonly name: string } & (
  | { readonly field: 'kind'; readonly value: ColumnKind }
  | { readonly field: 'exclude'; readonly value: boolean }
  | { readonly field: 'sensitive'; readonly value: SensitiveHandling }
)

export type WebviewToHost =
  /** The page has loaded and listens: the host answers with the document. */
  | { readonly type: 'ready' }
  | ({ readonly type: 'editColumn' } & ColumnEdit)
  /** Reopen the document in the text editor, to fix it by hand. */
  | { readonly type: 'openAsText' }

export type HostToWebview =
  /** The document as it now stands (after any edit, undo, redo or revert). */
  | { readonly type: 'document'; readonly document: MetadataDocument }
  /** The text is not a valid metadata document: the editor shows why instead of the table. */
  | { readonly type: 'invalid'; readonly message: string }

type Check = (value: unknown) => boolean

const isString: Check = (value) => typeof value === 'string'
const isIndex: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0
const isObject: Check = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)
const oneOf = (allowed: readonly unknown[]): Check => (value) => allowed.includes(value)

/** The value each editable field accepts. */
const FIELD_VALUES: Record<ColumnEdit['field'], Check> = {
  kind: oneOf(COLUMN_KINDS),
  exclude: (value) => typeof value === 'boolean',
  sensitive: oneOf(SENSITIVE_HANDLING),
}

const isDocument: Check = (value) => isObject(value) && isObject((value as MetadataDocument).source) && Array.isArray((value as MetadataDocument).columns)

const WEBVIEW_MESSAGES: Record<WebviewToHost['type'], Record<string, Check>> = {
  ready: {},
  editColumn: {
    index: isIndex,
    name: isString,
    field: (value) => isString(value) && Object.hasOwn(FIELD_VALUES, value as string),
  },
  openAsText: {},
}

const HOST_MESSAGES: Record<HostToWebview['type'], Record<string, Check>> = {
  document: { document: isDocument },
  invalid: { message: isString },
}

function matches(value: unknown, table: Record<string, Record<string, Check>>): boolean {
  if (!isObject(value)) return false
  const record = value as Record<string, unknown>
  if (!isString(record.type) || !Object.hasOwn(table, record.type as string)) return false
  return Object.entries(table[record.type as string]).every(([key, check]) => check(record[key]))
}

export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!matches(value, WEBVIEW_MESSAGES)) return false
  const message = value as WebviewToHost
  return message.type !== 'editColumn' || FIELD_VALUES[message.field](message.value)
}

export function isHostToWebview(value: unknown): value is HostToWebview {
  return matches(value, HOST_MESSAGES)
}
