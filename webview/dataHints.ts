/** The details panel's data hints: likely missing-value markers, each with "Treat as null" or "Keep as value". */
import type { ColumnMeta } from '../src/core/meta/document.ts'
import { hintText } from '../src/core/meta/hints.ts'
import type { NullValue } from '../src/core/meta/nullValues.ts'
import { h } from './dom.ts'
import { formatValue } from './format.ts'

/** What the hint buttons need from the page: the sample's size, and a way to ask the host for new markers. */
export interface DataHintActions {
  readonly sampleSize: number
  /** The column's markers as they should become (null: none). */
  setNullValues(values: readonly NullValue[] | null): void
}

/** The values a column's hints name that it still keeps as data: what the grid flags. */
export function openHints(column: ColumnMeta): NonNullable<ColumnMeta['hints']> {
  return (column.hints ?? []).filter((hint) => !column.nullValues?.includes(hint.value))
}

function button(label: string, ariaLabel: string, onClick: () => void): HTMLElement {
  const element = h('vscode-button', { appearance: 'secondary', 'aria-label': ariaLabel }, label)
  element.addEventListener('click', onClick)
  return element
}

/** The section, or nothing when the column has neither hints nor markers. */
export function dataHintsSection(column: ColumnMeta, actions: DataHintActions): HTMLElement | undefined {
  const markers = column.nullValues ?? []
  const hinted = column.hints ?? []
  // Markers set by hand, without a hint, are listed too: each can be kept as a value again.
  const unhinted = markers.filter((value) => !hinted.some((hint) => hint.value === value))
  if (hinted.length === 0 && unhinted.length === 0) return undefined
  const without = (value: NullValue) => {
    const left = markers.filter((marker) => marker !== value)
    actions.setNullValues(left.length ? left : null)
  }
  const treated = (value: NullValue) =>
    h(
      'span',
      { class: 'hint-state' },
      'read as null ',
      button('Keep as value', `Keep ${formatValue(value)} as a value of ${column.name}`, () => {
        without(value)
      }),
    )
  const lines = [
    ...hinted.map((hint) =>
      h(
        'li',
        { class: 'data-hint' },
        h('span', { class: 'hint-text' }, `${hintText(hint, actions.sampleSize)}.`),
        markers.includes(hint.value)
          ? treated(hint.value)
          : button('Treat as null', `Treat ${formatValue(hint.value)} as null in ${column.name}`, () => {
              actions.setNullValues([...markers, hint.value])
            }),
      ),
    ),
    ...unhinted.map((value) => h('li', { class: 'data-hint' }, h('span', { class: 'hint-text' }, formatValue(value)), treated(value))),
  ]
  return h('section', { class: 'detail-section data-hints' }, h('h3', {}, 'Data hints'), h('ul', { class: 'hint-list' }, ...lines))
}
