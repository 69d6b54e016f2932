/**
 * The Rules view: the document's business rules, each with where it came from, the rows it held on and a status the
 * user sets, and a form that adds one. Every change is an edit asked of the host, which checks it on the document
 * and says why when it refuses.
 */
import type { ColumnMeta, MetadataDocument } from '../src/core/meta/document.ts'
import { formatCount } from '../src/core/formatCount.ts'
import { describeRule, keptRules, type Rule, type RuleKind, type RuleStatus } from '../src/core/rules/rule.ts'
import type { WebviewToHost } from '../src/protocol/webview.ts'
import { h, setText } from './dom.ts'
import { RULE_KIND_LABELS, ruleColumnChoices, ruleDraft } from './ruleDraft.ts'

type Post = (message: WebviewToHost) => void

const STATUS_TEXT: Record<RuleStatus, string> = {
  proposed: 'proposed: kept unless rejected',
  accepted: 'accepted: kept',
  rejected: 'rejected: not kept',
}

/** Where a rule came from, and the rows it held on. */
function ruleSource(rule: Rule): string {
  if (rule.origin === 'user') return 'added by you'
  const rows = rule.support?.rows
  return rows === undefined ? 'detected' : `detected · held on all ${formatCount(rows)} sampled rows`
}

let fieldIds = 0

/** A labelled form control, shown for the kinds that read it. */
function labelled<E extends HTMLElement>(label: string, control: E, kinds: readonly RuleKind[]): { row: HTMLElement; control: E } {
  control.id = `rule-field-${++fieldIds}`
  const row = h('div', { class: 'rule-field', 'data-kinds': kinds.join(' ') }, h('label', { for: control.id }, label), control)
  return { row, control }
}

const select = (className: string, multiple = false) => h('select', { class: className, multiple, size: multiple ? 6 : undefined })
const input = (className: string, placeholder = '') => h('input', { type: 'text', class: className, placeholder, spellcheck: 'false' })
const checkbox = (className: string) => h('input', { type: 'checkbox', class: className })

/** Fills a select with `names` (a leading "choose" option for a single one), keeping what is still offered selected. */
function offer(element: HTMLSelectElement, names: readonly string[]): void {
  const chosen = new Set(Array.from(element.selectedOptions).map((option) => option.value))
  const values = element.multiple ? names : ['', ...names]
  if (JSON.stringify(Array.from(element.options).map((o) => o.value)) === JSON.stringify(values)) return
  element.replaceChildren(...values.map((name) => h('option', { value: name, selected: chosen.has(name) }, name || 'Choose a column')))
}

export class RulesPanel {
  readonly element: HTMLElement
  private readonly summary = h('p', { class: 'rules-summary' })
  private readonly list = h('ul', { class: 'rule-list', role: 'list', 'aria-label': 'Rules' })
  private readonly kind = select('rule-kind')
  private readonly column = labelled('Column', select('rule-column'), ['range', 'increment', 'expression'])
  private readonly low = labelled('Lower column', select('rule-low'), ['inequality'])
  private readonly high = labelled('Higher column', select('rule-high'), ['inequality'])
  private readonly strict = labelled('Strictly lower (<)', checkbox('rule-strict'), ['inequality'])
  private readonly columns = labelled('Columns (choose several)', select('rule-columns', true), ['combination', 'unique'])
  private readonly min = labelled('Min', input('rule-min', 'none'), ['range'])
  private readonly minExclusive = labelled('Min excluded (<)', checkbox('rule-min-exclusive'), ['range'])
  private readonly max = labelled('Max', input('rule-max', 'none'), ['range'])
  private readonly maxExclusive = labelled('Max excluded (<)', checkbox('rule-max-exclusive'), ['range'])
  private readonly step = labelled('Step', input('rule-step', 'such as 5'), ['increment'])
  private readonly expression = labelled('Equals', input('rule-expression', '`a` + `b`'), ['expression'])
  private readonly tolerance = labelled('Tolerance (±)', input('rule-tolerance', '0'), ['expression'])
  private readonly fields = [
    this.low,
    this.high,
    this.strict,
    this.column,
    this.min,
    this.minExclusive,
    this.max,
    this.maxExclusive,
    this.step,
    this.expression,
    this.tolerance,
    this.columns,
  ]
  private readonly error = h('p', { class: 'form-error rule-error', role: 'alert', hidden: true })
  private document: MetadataDocument | undefined

  constructor(private readonly post: Post) {
    this.kind.id = 'rule-kind'
    this.kind.replaceChildren(
      ...Object.entries(RULE_KIND_LABELS).map(([kind, label]) => h('option', { value: kind, selected: kind === 'range' }, label)),
    )
    const form = h(
      'form',
      { class: 'rule-form', 'aria-label': 'Add rule' },
      h('h2', {}, 'Add rule'),
      h('div', { class: 'rule-field' }, h('label', { for: this.kind.id }, 'Kind'), this.kind),
      ...this.fields.map((field) => field.row),
      h('button', { type: 'submit', class: 'rule-add' }, 'Add rule'),
    )
    this.element = h('section', { class: 'rules-view' }, this.summary, this.list, this.error, form)
    this.kind.addEventListener('change', () => {
      this.showFields()
    })
    this.low.control.addEventListener('change', () => {
      this.offerColumns()
    })
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.add()
    })
    this.showFields()
  }

  showDocument(document: MetadataDocument): void {
    this.document = document
    const rules = document.rules ?? []
    const kept = keptRules(document).length
    setText(
      this.summary,
      rules.length
        ? `${formatCount(rules.length)} ${rules.length === 1 ? 'rule' : 'rules'}, ${kept === 0 ? 'none kept' : `${formatCount(kept)} kept: every synthetic row will keep ${kept === 1 ? 'it' : 'them'}`}. Proposed rules held on every sampled row; reject those that are chance.`
        : 'No rules yet: add one below. Every synthetic row will keep it.',
    )
    this.list.replaceChildren(...rules.map((rule, index) => this.ruleItem(rule, index)))
    this.offerColumns()
  }

  /** The host refused the last edit: why, naming the rule. */
  showRefusal(message: string): void {
    this.error.textContent = message
    this.error.hidden = false
  }

  private ruleItem(rule: Rule, index: number): HTMLElement {
    const said = describeRule(rule)
    const status = (value: Exclude<RuleStatus, 'proposed'>, label: string) => {
      const button = h(
        'button',
        {
          type: 'button',
          class: `rule-${value}`,
          'aria-pressed': String(rule.status === value),
          'aria-label': `${label} rule ${index + 1}`,
        },
        label,
      )
      button.addEventListener('click', () => {
        this.send({ type: 'setRuleStatus', index, said, status: value })
      })
      return button
    }
    const actions = h(
      'div',
      { class: 'rule-actions', role: 'group', 'aria-label': `Status of rule ${index + 1}` },
      status('accepted', 'Accept'),
      status('rejected', 'Reject'),
    )
    if (rule.origin === 'user') {
      const remove = h('button', { type: 'button', class: 'rule-remove', 'aria-label': `Remove rule ${index + 1}` }, 'Remove')
      remove.addEventListener('click', () => {
        this.send({ type: 'removeRule', index, said })
      })
      actions.append(remove)
    }
    return h(
      'li',
      { class: `rule status-${rule.status}` },
      h('code', { class: 'rule-text' }, said),
      h('span', { class: 'rule-source' }, ruleSource(rule)),
      h('span', { class: 'rule-status' }, STATUS_TEXT[rule.status]),
      actions,
    )
  }

  private get chosenKind(): RuleKind {
    return this.kind.value as RuleKind
  }

  private showFields(): void {
    for (const field of this.fields) field.row.hidden = !field.row.dataset.kinds?.split(' ').includes(this.chosenKind)
    this.offerColumns()
  }

  /** Each select offers the columns of fitting types for the chosen kind. */
  private offerColumns(): void {
    const columns: readonly ColumnMeta[] = this.document?.columns ?? []
    const kind = this.chosenKind
    offer(this.column.control, ruleColumnChoices(kind, columns))
    offer(this.low.control, ruleColumnChoices(kind, columns))
    const low = columns.find((c) => c.name === this.low.control.value)
    offer(this.high.control, low ? ruleColumnChoices(kind, columns, low) : [])
    offer(this.columns.control, ruleColumnChoices(kind, columns))
  }

  private add(): void {
    const drafted = ruleDraft({
      kind: this.chosenKind,
      column: this.column.control.value,
      low: this.low.control.value,
      high: this.high.control.value,
      strict: this.strict.control.checked,
      columns: Array.from(this.columns.control.selectedOptions).map((option) => option.value),
      min: this.min.control.value,
      max: this.max.control.value,
      minExclusive: this.minExclusive.control.checked,
      maxExclusive: this.maxExclusive.control.checked,
      step: this.step.control.value,
      expression: this.expression.control.value,
      tolerance: this.tolerance.control.value,
    })
    if ('problem' in drafted) this.showRefusal(drafted.problem)
    else this.send({ type: 'addRule', rule: drafted.draft })
  }

  private send(message: WebviewToHost): void {
    this.error.hidden = true
    this.post(message)
  }
}
