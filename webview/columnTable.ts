/**
 * The column list: one row per column with the editable choices, as an ARIA grid. Rows are
 * windowed (only those in view exist) and recycled while scrolling; the selected row stays in
 * the DOM so that it keeps the keyboard focus when it scrolls out of view.
 */
import type { Option } from '@vscode/webview-ui-toolkit'
import { SENSITIVE_HANDLING, type ColumnMeta, type SensitiveHandling } from '../src/core/meta/document.ts'
import { KIND_DESCRIPTIONS, SENSITIVE_DESCRIPTIONS } from '../src/core/meta/descriptions.ts'
import { COLUMN_KINDS, holdsStrings, kindsFitting, REWRITING_HANDLING, type ColumnKind } from '../src/core/meta/kinds.ts'
import { isProtected } from '../src/core/meta/protection.ts'
import type { ColumnEdit } from '../src/protocol/webview.ts'
import { h } from './dom.ts'
import { openHints } from './dataHints.ts'
import { formatShare, formatValue } from './format.ts'
import { scrollToReveal, targetRow, visibleWindow } from './virtualRows.ts'

/** Must match `--row-height` in media/editor.css. */
const ROW_HEIGHT = 36
const OVERSCAN = 6

export interface TableHandlers {
  edit(edit: ColumnEdit): void
  select(index: number): void
}

/** The controls that arrow keys move between rows from (the dropdowns use arrows themselves). */
const ROW_CONTROLS = {
  name: '.column-name',
  nullable: 'vscode-checkbox.nullable',
  exclude: 'vscode-checkbox.exclude',
  protect: 'vscode-checkbox.protect',
} as const
type RowControl = keyof typeof ROW_CONTROLS

const HEADINGS = ['#', 'Column', 'Spark type', 'Kind', 'Nulls', 'Nullable', 'Exclude', 'Sensitive', 'Protect']

function cell(name: string, ...children: (Node | string)[]): HTMLElement {
  return h('div', { role: 'gridcell', class: `cell ${name}` }, ...children)
}

/** Options with each value's description on hover; `selected` marks the chosen one for the dropdown to pick up. */
function options<Value extends string>(
  values: readonly Value[],
  descriptions: Readonly<Record<Value, string>>,
  selected?: Value,
): Option[] {
  return values.map((value) =>
    h('vscode-option', { value, title: `${value}: ${descriptions[value]}`, selected: value === selected }, value),
  )
}

/** One rendered row, rebound to another column when it scrolls out of view. */
class RowView {
  index = -1
  readonly element = h('div', { role: 'row', class: 'row' })
  private readonly number = cell('c-number')
  readonly name = h('button', { type: 'button', class: 'column-name', tabindex: -1 })
  private readonly nameText = h('span', { class: 'name-text' })
  private readonly partition = h('span', { class: 'tag', hidden: true }, 'partition')
  private readonly hint = h('span', { class: 'hint-tag', role: 'img', 'aria-label': 'data hints', hidden: true }, '⚠')
  private readonly type = h('span', { class: 'spark-type' })
  private readonly kind = h('vscode-dropdown', { 'aria-label': 'Kind' })
  /** The kinds the kind dropdown offers now: those fitting the bound column's Spark type. */
  private kindOptions: readonly ColumnKind[] = []
  private readonly detected = h('span', { class: 'detected' })
  private readonly nulls = h('span', { class: 'share' })
  private readonly nullBar = h('span', { class: 'share-bar' })
  readonly nullable = h('vscode-checkbox', { class: 'nullable', 'aria-label': 'Nullable' })
  readonly exclude = h('vscode-checkbox', { class: 'exclude', 'aria-label': 'Exclude' })
  private readonly sensitive = h(
    'vscode-dropdown',
    { 'aria-label': 'Sensitive handling' },
    ...options(SENSITIVE_HANDLING, SENSITIVE_DESCRIPTIONS),
  )
  readonly protect = h('vscode-checkbox', { class: 'protect', 'aria-label': 'Protect rare values' })

  constructor(table: ColumnTable) {
    this.name.append(this.nameText, this.partition, this.hint)
    this.element.append(
      this.number,
      cell('c-name', this.name),
      cell('c-type', this.type),
      cell('c-kind', this.kind, this.detected),
      cell('c-nulls', this.nulls, h('span', { class: 'share-track' }, this.nullBar)),
      cell('c-nullable', this.nullable),
      cell('c-exclude', this.exclude),
      cell('c-sensitive', this.sensitive),
      cell('c-protect', this.protect),
    )
    this.kind.addEventListener('change', () => {
      table.requestEdit(this.index, 'kind', this.kind.value)
    })
    this.nullable.addEventListener('change', () => {
      table.requestEdit(this.index, 'nullable', this.nullable.checked)
    })
    this.exclude.addEventListener('change', () => {
      table.requestEdit(this.index, 'exclude', this.exclude.checked)
    })
    this.sensitive.addEventListener('change', () => {
      table.requestEdit(this.index, 'sensitive', this.sensitive.value)
    })
    this.protect.addEventListener('change', () => {
      table.requestEdit(this.index, 'protect', this.protect.checked)
    })
    this.element.addEventListener('focusin', () => {
      table.select(this.index)
    })
    this.element.addEventListener('click', (event) => {
      table.select(this.index)
      if (!(event.target as Element).closest('vscode-dropdown, vscode-checkbox, button')) this.name.focus()
    })
  }

  bind(index: number, position: number, column: ColumnMeta, active: boolean): void {
    this.index = index
    this.element.setAttribute('aria-rowindex', String(position + 2))
    this.element.style.transform = `translateY(${position * ROW_HEIGHT}px)`
    this.element.classList.toggle('active', active)
    this.element.classList.toggle('excluded', column.exclude || column.sensitive === 'exclude')
    this.element.setAttribute('aria-selected', String(active))
    this.number.textContent = String(index + 1)
    this.nameText.textContent = column.name
    this.name.title = column.name
    this.partition.hidden = !column.partition
    const hints = openHints(column)
    this.hint.hidden = hints.length === 0
    this.hint.title = hints.length
      ? `Likely missing-value markers: ${hints.map((hint) => formatValue(hint.value)).join(', ')} (see the details)`
      : ''
    this.type.textContent = column.sparkType
    this.type.title = column.sparkType
    // kindsFitting returns one shared list per type family: the options are rebuilt only when the family changes.
    const fitting = kindsFitting(column.sparkType)
    if (fitting !== this.kindOptions) {
      this.kindOptions = fitting
      this.kind.replaceChildren(...options(fitting, KIND_DESCRIPTIONS, column.kind))
    }
    if (this.kind.value !== column.kind) this.kind.value = column.kind
    this.kind.setAttribute('aria-label', `Kind of ${column.name}`)
    this.kind.title = `${column.kind}: ${KIND_DESCRIPTIONS[column.kind]}`
    this.detected.textContent = column.kind === column.detectedKind ? '' : `detected: ${column.detectedKind}`
    this.detected.title = this.detected.textContent
    this.nulls.textContent = formatShare(column.nullFraction)
    this.nullBar.style.width = `${column.nullFraction * 100}%`
    if (this.nullable.checked !== column.nullable) this.nullable.checked = column.nullable
    this.nullable.setAttribute('aria-label', `Nullable ${column.name}`)
    this.nullable.title = column.nullable
      ? 'Nullable: the synthetic column is written as optional'
      : 'Not nullable: the synthetic column is written as required (NOT NULL)'
    if (this.exclude.checked !== column.exclude) this.exclude.checked = column.exclude
    this.exclude.setAttribute('aria-label', `Exclude ${column.name}`)
    this.exclude.title = column.excludeReason ?? (column.exclude ? 'Excluded from the synthetic data' : 'Include in the synthetic data')
    if (this.sensitive.value !== column.sensitive) this.sensitive.value = column.sensitive
    this.sensitive.title = `${column.sensitive}: ${SENSITIVE_DESCRIPTIONS[column.sensitive]}`
    // Mask and fake rewrite strings: on another type they would change nothing.
    const strings = holdsStrings(column)
    this.sensitive.querySelectorAll<Option>('vscode-option').forEach((option) => {
      option.disabled = !strings && REWRITING_HANDLING.has(option.value)
    })
    this.sensitive.setAttribute('aria-label', `Sensitive handling of ${column.name}`)
    const protect = isProtected(column)
    if (this.protect.checked !== protect) this.protect.checked = protect
    this.protect.setAttribute('aria-label', `Protect rare values of ${column.name}`)
    this.protect.title = protect
      ? 'Protected: values seen in fewer than k sampled rows are never generated, extremes are clipped'
      : 'Not protected: rare values and extremes may be generated as they are'
    // Only the selected row is in the Tab order; arrow keys move between rows.
    for (const control of [this.name, this.kind, this.nullable, this.exclude, this.sensitive, this.protect])
      control.setAttribute('tabindex', active ? '0' : '-1')
  }
}

export class ColumnTable {
  readonly element: HTMLElement
  private readonly viewport: HTMLElement
  private readonly canvas: HTMLElement
  private readonly empty = h('p', { class: 'status', hidden: true }, 'No column matches the filter.')
  private columns: readonly ColumnMeta[] = []
  /** Column indices in display order: those matching the filter. */
  private order: number[] = []
  private positions = new Map<number, number>()
  private filter = ''
  private active = -1
  private readonly bound = new Map<number, RowView>()
  private readonly spare: RowView[] = []
  private frame = 0

  constructor(private readonly handlers: TableHandlers) {
    const header = h(
      'div',
      { role: 'row', class: 'row header', 'aria-rowindex': 1 },
      ...HEADINGS.map((heading) => h('div', { role: 'columnheader', class: 'cell' }, heading)),
    )
    this.canvas = h('div', { role: 'rowgroup', class: 'canvas' })
    this.viewport = h(
      'div',
      { role: 'grid', class: 'grid', 'aria-label': 'Columns', 'aria-colcount': HEADINGS.length },
      header,
      this.canvas,
    )
    this.element = h('div', { class: 'table' }, this.viewport, this.empty)
    this.viewport.addEventListener('scroll', () => {
      this.scheduleRender()
    })
    this.viewport.addEventListener('keydown', (event) => {
      this.navigate(event)
    })
    new ResizeObserver(() => {
      this.scheduleRender()
    }).observe(this.viewport)
  }

  get selected(): number {
    return this.active
  }

  get scrollTop(): number {
    return this.viewport.scrollTop
  }

  /** Shows a new state of the document, keeping the filter, selection and scroll position. */
  setColumns(columns: readonly ColumnMeta[]): void {
    this.columns = columns
    this.applyFilter()
  }

  /** Keeps the columns whose name, Spark type or kind contains `text` (ignoring case). */
  setFilter(text: string): void {
    this.filter = text.trim().toLowerCase()
    this.applyFilter()
    this.viewport.scrollTop = 0
    this.render()
  }

  scrollTo(scrollTop: number): void {
    this.viewport.scrollTop = scrollTop
    this.render()
  }

  select(index: number): void {
    if (index === this.active || !this.positions.has(index)) return
    this.active = index
    this.render()
    this.handlers.select(index)
  }

  /** Asks the host for an edit when a control's value differs from the document's. */
  requestEdit(index: number, field: ColumnEdit['field'], value: string | boolean): void {
    const column = this.columns.at(index)
    if (!column || (field === 'protect' ? isProtected(column) : column[field]) === value) return
    const target = { index, name: column.name }
    if ((field === 'exclude' || field === 'nullable' || field === 'protect') && typeof value === 'boolean')
      this.handlers.edit({ ...target, field, value })
    if (field === 'kind' && (COLUMN_KINDS as readonly unknown[]).includes(value))
      this.handlers.edit({ ...target, field, value: value as ColumnKind })
    if (field === 'sensitive' && (SENSITIVE_HANDLING as readonly unknown[]).includes(value))
      this.handlers.edit({ ...target, field, value: value as SensitiveHandling })
  }

  private applyFilter(): void {
    const filter = this.filter
    this.order = this.columns.flatMap((column, index) =>
      !filter || [column.name, column.sparkType, column.kind].some((text) => text.toLowerCase().includes(filter)) ? [index] : [],
    )
    this.positions = new Map(this.order.map((index, position) => [index, position]))
    this.canvas.style.height = `${this.order.length * ROW_HEIGHT}px`
    this.viewport.setAttribute('aria-rowcount', String(this.order.length + 1))
    this.empty.hidden = this.order.length > 0
    if (!this.positions.has(this.active)) {
      this.active = -1
      if (this.order.length) this.select(this.order[0])
    }
    this.render()
  }

  private scheduleRender(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.render()
    })
  }

  /** The height rows can use: the viewport below the sticky header. */
  private rowsHeight(): number {
    return this.viewport.clientHeight - this.canvas.offsetTop
  }

  private render(): void {
    const window = visibleWindow(this.viewport.scrollTop, this.rowsHeight(), ROW_HEIGHT, this.order.length, OVERSCAN)
    const wanted = new Set(this.order.slice(window.first, window.end))
    if (this.active >= 0) wanted.add(this.active)
    for (const [index, view] of this.bound) {
      // A focused row leaving the DOM would drop the focus to the page: it goes once the focus moves on.
      if (wanted.has(index) || view.element.contains(document.activeElement)) continue
      this.bound.delete(index)
      view.element.remove()
      this.spare.push(view)
    }
    for (const index of wanted) {
      let view = this.bound.get(index)
      if (!view) {
        view = this.spare.pop() ?? new RowView(this)
        this.bound.set(index, view)
        this.canvas.append(view.element)
      }
      view.bind(index, this.positionOf(index), this.columns[index], index === this.active)
    }
  }

  /** Where a column stands in the filtered list; only columns the filter shows are asked for. */
  private positionOf(index: number): number {
    const position = this.positions.get(index)
    if (position === undefined) throw new Error(`column ${index} is not among those the filter shows`)
    return position
  }

  private navigate(event: KeyboardEvent): void {
    const target = event.target as Element
    const control = (Object.keys(ROW_CONTROLS) as RowControl[]).find((key) => target.closest(ROW_CONTROLS[key]))
    if (!control || this.active < 0) return
    const pageRows = Math.max(1, Math.floor(this.rowsHeight() / ROW_HEIGHT) - 1)
    const position = targetRow(event.key, this.positionOf(this.active), this.order.length, pageRows)
    if (position === undefined) return
    event.preventDefault()
    const index = this.order[position]
    this.viewport.scrollTop = scrollToReveal(position, this.viewport.scrollTop, this.rowsHeight(), ROW_HEIGHT)
    this.select(index)
    this.bound.get(index)?.[control].focus()
    this.render()
  }
}
