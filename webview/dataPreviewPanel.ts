/**
 * The data preview: a few hundred rows of the document's real sample and, once a model fits, rows
 * freshly drawn from it, real, synthetic or both alternating. The rows are windowed as the column
 * grid's are, and at most `PREVIEW_COLUMNS` columns are shown, so a wide table stays light.
 */
import type { ColumnMeta, MetadataDocument } from '../src/core/meta/document.ts'
import { PREVIEW_ROWS, previewColumns, syntheticRefusal } from '../src/protocol/dataPreview.ts'
import type { PreviewRowsMessage, PreviewSource, SessionView, WebviewToHost } from '../src/protocol/webview.ts'
import { h, setText } from './dom.ts'
import { formatNumber } from './format.ts'
import { parseSeed } from './generateInput.ts'
import { PREVIEW_MODES, previewGridRows, type PreviewGridRow, type PreviewMode } from './previewRows.ts'
import { IDLE_SESSION } from './synthesisStatus.ts'
import { visibleWindow } from './virtualRows.ts'

/** Must match `--preview-row-height` in media/editor.css. */
const ROW_HEIGHT = 26
const OVERSCAN = 10
const MODE_LABELS: Record<PreviewMode, string> = { real: 'Real', synthetic: 'Synthetic', both: 'Both' }
/** Seeds drawn for a click with an empty seed field: any the protocol takes; this range reads well. */
const RANDOM_SEEDS = 1_000_000

type Post = (message: WebviewToHost) => void

/** Where a source's rows stand: none asked for, on their way, shown, or why there are none. */
type SourceState =
  | { readonly status: 'none' }
  | { readonly status: 'loading'; readonly seed?: number }
  | { readonly status: 'loaded'; readonly rows: PreviewRowsMessage; readonly seed?: number }
  | { readonly status: 'failed'; readonly message: string }

/** A column's width, from its Spark type: timestamps need room for microseconds, dates and flags little. */
function columnWidth(column: ColumnMeta): number {
  if (column.sparkType.startsWith('timestamp')) return 18
  if (column.sparkType === 'date') return 7.5
  if (column.sparkType === 'boolean') return 6
  return 11
}

/** The row number's and the source's columns, in em. */
const LEADING_WIDTHS = [3.5, 6.5]

function cell(className: string, text: string, title = text): HTMLElement {
  return h('div', { role: 'gridcell', class: `cell ${className}`, title }, text)
}

export class DataPreviewPanel {
  readonly element: HTMLElement
  private readonly modeButtons = PREVIEW_MODES.map((mode) =>
    h('button', { type: 'button', class: `preview-mode mode-${mode}`, 'aria-pressed': 'false' }, MODE_LABELS[mode]),
  )
  private readonly seed = h('vscode-text-field', { class: 'preview-seed', placeholder: 'random' }, 'Seed')
  private readonly draw = h('vscode-button', { class: 'draw-synthetic', appearance: 'secondary' }, 'Draw synthetic rows')
  private readonly status = h('p', { class: 'preview-status', role: 'status' })
  private readonly problem = h('p', { class: 'preview-problem', role: 'alert', hidden: true })
  private readonly header = h('div', { role: 'row', class: 'row header', 'aria-rowindex': 1 })
  private readonly canvas = h('div', { role: 'rowgroup', class: 'canvas' })
  private readonly grid = h(
    'div',
    { role: 'grid', class: 'preview-grid', 'aria-label': 'Data preview', tabindex: 0 },
    this.header,
    this.canvas,
  )
  private mode: PreviewMode = 'real'
  private session = IDLE_SESSION
  private columns: readonly ColumnMeta[] = []
  private readonly sources: Record<PreviewSource, SourceState> = { real: { status: 'none' }, synthetic: { status: 'none' } }
  private rows: PreviewGridRow[] = []
  private readonly drawn = new Map<number, HTMLElement>()
  private frame = 0

  constructor(private readonly post: Post) {
    this.element = h(
      'div',
      { class: 'data-preview' },
      h(
        'div',
        { class: 'preview-toolbar' },
        h('div', { class: 'preview-modes', role: 'group', 'aria-label': 'Rows shown' }, ...this.modeButtons),
        h('div', { class: 'preview-draw', role: 'group', 'aria-label': 'Draw synthetic rows' }, this.seed, this.draw),
        this.status,
      ),
      this.problem,
      h('div', { class: 'preview-table' }, this.grid),
    )
    this.modeButtons.forEach((button, i) => {
      button.addEventListener('click', () => {
        this.setMode(PREVIEW_MODES[i])
      })
    })
    this.draw.addEventListener('click', () => {
      this.drawSynthetic()
    })
    this.seed.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.drawSynthetic()
    })
    this.grid.addEventListener('scroll', () => {
      this.scheduleRender()
    })
    new ResizeObserver(() => {
      this.scheduleRender()
    }).observe(this.grid)
    this.showControls()
  }

  /** Asks for the real rows the first time the preview is shown (reading the sample takes a moment). */
  open(): void {
    if (this.sources.real.status === 'none' || this.sources.real.status === 'failed') this.request('real')
    this.render()
  }

  showDocument(document: MetadataDocument): void {
    const shown = new Set(previewColumns(document).columns)
    this.columns = document.columns.filter((column) => shown.has(column.name))
    this.showHeader()
    this.refresh()
  }

  showSession(session: SessionView): void {
    this.session = session
    this.showControls()
  }

  /** The host's answer to a request. */
  receive(which: PreviewSource, answer: { readonly rows: PreviewRowsMessage } | { readonly message: string }): void {
    const asked = this.sources[which]
    this.sources[which] =
      'rows' in answer
        ? { status: 'loaded', rows: answer.rows, seed: asked.status === 'loading' ? asked.seed : undefined }
        : { status: 'failed', message: answer.message }
    // Fresh synthetic rows are for comparing: show them beside the real ones.
    if (which === 'synthetic' && 'rows' in answer) this.mode = 'both'
    this.refresh()
  }

  private request(which: PreviewSource, seed?: number): void {
    this.sources[which] = { status: 'loading', seed }
    this.post({ type: 'previewRows', which, rows: PREVIEW_ROWS, ...(seed === undefined ? {} : { seed }) })
    this.refresh()
  }

  private drawSynthetic(): void {
    if (syntheticRefusal(this.session) || this.sources.synthetic.status === 'loading') return
    const typed = this.seed.value.trim()
    const parsed = typed ? parseSeed(typed) : { value: Math.floor(Math.random() * RANDOM_SEEDS) }
    if ('problem' in parsed) {
      this.seed.setAttribute('aria-invalid', 'true')
      this.showProblem(parsed.problem)
      return
    }
    this.seed.removeAttribute('aria-invalid')
    this.request('synthetic', parsed.value)
  }

  private setMode(mode: PreviewMode): void {
    this.mode = mode
    this.refresh()
  }

  private loaded(source: PreviewSource): PreviewRowsMessage | undefined {
    const state = this.sources[source]
    return state.status === 'loaded' ? state.rows : undefined
  }

  private refresh(): void {
    // Without synthetic rows (none drawn yet, being drawn again, or failed) only the real ones can show.
    if (!this.loaded('synthetic')) this.mode = 'real'
    this.rows = previewGridRows(
      this.mode,
      this.columns.map((column) => column.name),
      this.loaded('real'),
      this.loaded('synthetic'),
    )
    this.canvas.style.height = `${this.rows.length * ROW_HEIGHT}px`
    this.grid.setAttribute('aria-rowcount', String(this.rows.length + 1))
    for (const element of this.drawn.values()) element.remove()
    this.drawn.clear()
    this.showControls()
    this.render()
  }

  private showHeader(): void {
    const widths = [...LEADING_WIDTHS, ...this.columns.map(columnWidth)]
    this.grid.style.setProperty('--preview-template', widths.map((width) => `${width}em`).join(' '))
    this.grid.style.setProperty('--preview-width', `${widths.reduce((sum, width) => sum + width, 0)}em`)
    this.grid.setAttribute('aria-colcount', String(this.columns.length + 2))
    this.header.replaceChildren(
      h('div', { role: 'columnheader', class: 'cell p-number' }, '#'),
      h('div', { role: 'columnheader', class: 'cell p-source' }, 'Source'),
      ...this.columns.map((column) =>
        h(
          'div',
          {
            role: 'columnheader',
            class: `cell p-value${column.exclude ? ' excluded' : ''}`,
            title: column.exclude ? `${column.name} (excluded: not in the synthetic data)` : `${column.name}: ${column.sparkType}`,
          },
          column.name,
        ),
      ),
    )
  }

  /** The mode buttons, the Draw button, and one status line on what is shown and what to do next. */
  private showControls(): void {
    const synthetic = this.sources.synthetic
    const refusal = syntheticRefusal(this.session)
    this.draw.disabled = refusal !== undefined || synthetic.status === 'loading'
    this.modeButtons.forEach((button, i) => {
      const mode = PREVIEW_MODES[i]
      button.setAttribute('aria-pressed', String(mode === this.mode))
      button.disabled = mode !== 'real' && synthetic.status !== 'loaded'
    })
    const failures = (['real', 'synthetic'] as const).flatMap((source) => {
      const state = this.sources[source]
      return state.status === 'failed' ? [`${source === 'real' ? 'Real rows' : 'Synthetic rows'}: ${state.message}`] : []
    })
    this.showProblem(failures.join('\n'))
    setText(this.status, this.statusText(refusal))
  }

  private statusText(refusal: string | undefined): string {
    const { real, synthetic } = this.sources
    const parts: string[] = []
    if (real.status === 'loading') parts.push(`Reading ${PREVIEW_ROWS} rows of the sample…`)
    if (real.status === 'loaded') parts.push(`${formatNumber(real.rows.rows.length)} real rows, spread over the document's sample.`)
    if (synthetic.status === 'loading') parts.push(`Drawing ${PREVIEW_ROWS} synthetic rows…`)
    if (synthetic.status === 'loaded')
      parts.push(
        `${formatNumber(synthetic.rows.rows.length)} synthetic rows${synthetic.seed === undefined ? '' : ` drawn with seed ${synthetic.seed}`}.`,
      )
    else if (synthetic.status !== 'loading' && refusal) parts.push(refusal)
    // The host says which columns it left out (past the first few of a wide table).
    const note = (this.loaded('real') ?? this.loaded('synthetic'))?.note
    if (note) parts.push(note)
    return parts.join(' ')
  }

  private showProblem(message: string): void {
    setText(this.problem, message)
    this.problem.hidden = message === ''
  }

  private scheduleRender(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.render()
    })
  }

  private render(): void {
    const height = this.grid.clientHeight - this.canvas.offsetTop
    const { first, end } = visibleWindow(this.grid.scrollTop, height, ROW_HEIGHT, this.rows.length, OVERSCAN)
    for (const [index, element] of this.drawn) {
      if (index >= first && index < end) continue
      element.remove()
      this.drawn.delete(index)
    }
    for (let index = first; index < end; index++) {
      if (this.drawn.has(index)) continue
      const element = this.rowElement(this.rows[index], index)
      this.drawn.set(index, element)
      this.canvas.append(element)
    }
  }

  private rowElement(row: PreviewGridRow, index: number): HTMLElement {
    const element = h(
      'div',
      { role: 'row', class: `row preview-row ${row.source}`, 'aria-rowindex': index + 2 },
      cell('p-number', String(row.number)),
      cell('p-source', row.source === 'real' ? 'real' : 'synthetic'),
      ...row.cells.map((value, c) => {
        const excluded = this.columns[c]?.exclude ? ' excluded' : ''
        if (value === undefined) return cell(`p-value absent${excluded}`, '—', 'not in the synthetic data (excluded)')
        if (value === null) return cell(`p-value null${excluded}`, 'null')
        return cell(`p-value${excluded}`, value)
      }),
    )
    element.style.transform = `translateY(${index * ROW_HEIGHT}px)`
    return element
  }
}
