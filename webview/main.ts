/**
 * The metadata editor page. It draws what the host sends and asks the host for every change;
 * the document itself lives in the host (a text document), never here.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit'
import type { MetadataDocument } from '../src/core/meta/document.ts'
import { formatCount } from '../src/core/formatCount.ts'
import { keptRules } from '../src/core/rules/rule.ts'
import { isHostToWebview, type WebviewToHost } from '../src/protocol/webview.ts'
import { showColumnDetails } from './columnDetails.ts'
import { ColumnTable } from './columnTable.ts'
import { DataPreviewPanel } from './dataPreviewPanel.ts'
import { h } from './dom.ts'
import { formatNumber } from './format.ts'
import { PrivacyPanel } from './privacyPanel.ts'
import { RulesPanel } from './rulesPanel.ts'
import { TrainingPanel } from './trainingPanel.ts'
import { SynthesisPanel } from './synthesisPanel.ts'
import { TargetPicker } from './targetPicker.ts'
import { ViewTabs } from './viewTabs.ts'

/** What survives the tab being hidden and shown again (VS Code then reloads the page). */
interface ViewState {
  readonly filter: string
  readonly scrollTop: number
  readonly selected?: string
  /** The view shown: the columns, the data preview or the rules. */
  readonly view?: string
}

interface VsCodeApi {
  postMessage(message: WebviewToHost): void
  getState(): ViewState | undefined
  setState(state: ViewState): void
}
declare function acquireVsCodeApi(): VsCodeApi

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField())

const vscode = acquireVsCodeApi()
const post = (message: WebviewToHost) => {
  vscode.postMessage(message)
}
let current: MetadataDocument | undefined
let restored = vscode.getState()

/** The page's root element, which src/host/webviewHtml.ts writes. */
function appElement(): HTMLElement {
  const app = document.getElementById('app')
  if (!app) throw new Error('the page has no #app element (see src/host/webviewHtml.ts)')
  return app
}

const app = appElement()
const sourcePath = h('h1', { class: 'source-path' })
const sourceFacts = h('dl', { class: 'source-facts' })
const summary = h('p', { class: 'summary' })
const filter = h('vscode-text-field', {
  class: 'filter',
  placeholder: 'Filter by name, type or kind',
  'aria-label': 'Filter columns',
})
const details = h('aside', { class: 'details', 'aria-label': 'Column details', tabindex: 0 })
const table = new ColumnTable({
  edit: (edit) => {
    post({ type: 'editColumn', ...edit })
  },
  select: (index) => {
    if (current) showDetails(current, index)
    saveState()
  },
})
const synthesis = new SynthesisPanel(post)
const privacy = new PrivacyPanel(post)
const training = new TrainingPanel(post)
const target = new TargetPicker(post)
const preview = new DataPreviewPanel(post)
const rules = new RulesPanel(post)
const columnsView = h(
  'div',
  { class: 'columns-view' },
  h('div', { class: 'toolbar' }, filter, target.element, summary),
  h('div', { class: 'content' }, table.element, details),
)
const views = new ViewTabs(
  [
    { id: 'columns', label: 'Columns', panel: columnsView },
    { id: 'preview', label: 'Data preview', panel: preview.element },
    { id: 'rules', label: 'Rules', panel: rules.element },
  ],
  (id) => {
    if (id === 'preview') preview.open()
    saveState()
  },
)
const editor = h(
  'div',
  { class: 'editor', hidden: true },
  h('header', { class: 'source' }, sourcePath, sourceFacts),
  synthesis.element,
  training.element,
  privacy.element,
  views.element,
  columnsView,
  rules.element,
  preview.element,
)
const problemText = h('p', { class: 'problem-message' })
const openAsText = h('vscode-button', {}, 'Open in Text Editor')
const problem = h(
  'section',
  { class: 'problem', role: 'alert', hidden: true },
  h('h2', {}, 'This is not a valid metadata document'),
  problemText,
  openAsText,
)
app.replaceChildren(editor, problem)

function showDetails(document: MetadataDocument, index: number): void {
  const column = document.columns[index]
  showColumnDetails(details, column, document.source.seed, {
    sampleSize: document.source.sampleSize,
    setNullValues: (value) => {
      post({ type: 'editColumn', index, name: column.name, field: 'nullValues', value: value && [...value] })
    },
  })
}

function saveState(): void {
  vscode.setState({
    filter: filter.value,
    scrollTop: table.scrollTop,
    selected: current?.columns[table.selected]?.name,
    view: views.selected,
  })
}

function showSource(document: MetadataDocument): void {
  const { source, columns } = document
  sourcePath.textContent = source.path
  sourcePath.title = `Source: ${source.path}`
  const facts: [string, string][] = [
    ['Format', source.version === undefined ? source.format : `${source.format}, version ${source.version}`],
    ['Files', formatNumber(source.files.length)],
    ['Rows', formatNumber(source.rowCount)],
    ['Sample', formatNumber(source.sampleSize)],
    ['Seed', String(source.seed)],
  ]
  sourceFacts.replaceChildren(...facts.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value))))
  const count = (test: (column: MetadataDocument['columns'][number]) => boolean) => columns.filter(test).length
  const changed = count((c) => c.kind !== c.detectedKind)
  summary.textContent = [
    `${formatNumber(columns.length)} ${columns.length === 1 ? 'column' : 'columns'}`,
    `${count((c) => c.exclude)} excluded`,
    `${changed} ${changed === 1 ? 'kind' : 'kinds'} changed`,
    `${count((c) => c.sensitive !== 'keep')} marked sensitive`,
  ].join(' · ')
}

function showDocument(document: MetadataDocument): void {
  const first = current === undefined
  current = document
  app.removeAttribute('aria-busy')
  problem.hidden = true
  editor.hidden = false
  showSource(document)
  privacy.showDocument(document)
  training.showDocument(document)
  target.showDocument(document)
  preview.showDocument(document)
  rules.showDocument(document)
  views.setLabel('rules', `Rules (${formatCount(keptRules(document).length)})`)
  if (first && restored) {
    filter.value = restored.filter
    table.setFilter(restored.filter)
  }
  table.setColumns(document.columns)
  if (first && restored) {
    const selected = document.columns.findIndex((column) => column.name === restored?.selected)
    if (selected >= 0) table.select(selected)
    table.scrollTo(restored.scrollTop)
    if (restored.view) views.select(restored.view)
    restored = undefined
  }
  if (table.selected >= 0) showDetails(document, table.selected)
}

function showProblem(message: string): void {
  app.removeAttribute('aria-busy')
  problemText.textContent = message
  editor.hidden = true
  problem.hidden = false
}

filter.addEventListener('input', () => {
  table.setFilter(filter.value)
  saveState()
})
table.element.addEventListener('scrollend', saveState, { capture: true, passive: true })
openAsText.addEventListener('click', () => {
  post({ type: 'openAsText' })
})

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data
  if (!isHostToWebview(message)) {
    console.error('Spark Synth: ignored an invalid message from the extension', message)
    return
  }
  if (message.type === 'document') showDocument(message.document)
  else if (message.type === 'invalid') showProblem(message.message)
  else if (message.type === 'previewRows') preview.receive(message.which, { rows: message })
  else if (message.type === 'ruleRefused') rules.showRefusal(message.message)
  else if (message.type === 'previewFailed') preview.receive(message.which, { message: message.message })
  else {
    synthesis.show(message.session)
    privacy.showDefaults(message.session.defaults)
    preview.showSession(message.session)
    training.showDefaults(message.session.defaults)
  }
})

post({ type: 'ready' })
