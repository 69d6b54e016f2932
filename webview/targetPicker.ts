/** The utility target picker in the toolbar: a dropdown of the columns that can be predicted, and "None". */
import type { Dropdown } from '@vscode/webview-ui-toolkit'
import type { MetadataDocument } from '../src/core/meta/document.ts'
import type { WebviewToHost } from '../src/protocol/webview.ts'
import { h, setText } from './dom.ts'
import { targetChoices } from './targetChoices.ts'

/** The option value of "no target": column names are never empty. */
const NONE = ''

export class TargetPicker {
  readonly element: HTMLElement
  private readonly dropdown: Dropdown = h('vscode-dropdown', { class: 'target-dropdown', 'aria-label': 'Utility target' })
  private readonly hint = h('span', { class: 'target-hint' })
  /** The options drawn (as JSON): redrawn only when they change, so an open dropdown stays open. */
  private drawn = ''

  constructor(post: (message: WebviewToHost) => void) {
    this.element = h('div', { class: 'target' }, h('span', { class: 'target-label' }, 'Target'), this.dropdown, this.hint)
    this.dropdown.addEventListener('change', () => {
      post({ type: 'editTarget', column: this.dropdown.value === NONE ? null : this.dropdown.value })
    })
  }

  showDocument(document: MetadataDocument): void {
    const { candidates, chosen, hint } = targetChoices(document)
    const offered = [NONE, ...candidates]
    if (this.drawn !== JSON.stringify(offered)) {
      this.drawn = JSON.stringify(offered)
      this.dropdown.replaceChildren(...offered.map((value) => h('vscode-option', { value }, value === NONE ? 'None' : value)))
    }
    const value = chosen ?? NONE
    if (this.dropdown.value !== value) this.dropdown.value = value
    this.dropdown.disabled = candidates.length === 0
    // With nothing to pick, the reasons are the point: the line wraps instead of being cut.
    this.element.classList.toggle('none-fits', candidates.length === 0)
    setText(this.hint, hint)
    this.hint.title = hint
  }
}
