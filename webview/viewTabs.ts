/**
 * The editor's views (the column grid, the data preview) as an ARIA tablist: one tab in the Tab
 * order, arrow keys, Home and End move between tabs and show each at once.
 */
import { h } from './dom.ts'

export interface ViewTab {
  readonly id: string
  readonly label: string
  readonly panel: HTMLElement
}

export class ViewTabs {
  readonly element: HTMLElement
  private readonly buttons: HTMLButtonElement[]
  private selectedIndex = 0

  constructor(
    private readonly tabs: readonly ViewTab[],
    private readonly shown: (id: string) => void,
  ) {
    this.buttons = tabs.map((tab) => {
      tab.panel.id = `${tab.id}-panel`
      tab.panel.setAttribute('role', 'tabpanel')
      tab.panel.setAttribute('aria-labelledby', `${tab.id}-tab`)
      return h('button', { type: 'button', role: 'tab', id: `${tab.id}-tab`, class: 'view-tab', 'aria-controls': tab.panel.id }, tab.label)
    })
    this.element = h('div', { class: 'view-tabs', role: 'tablist', 'aria-label': 'Views' }, ...this.buttons)
    this.buttons.forEach((button, i) => {
      button.addEventListener('click', () => {
        this.select(tabs[i].id)
      })
    })
    this.element.addEventListener('keydown', (event) => {
      const last = this.buttons.length - 1
      const keys: Record<string, number> = {
        ArrowRight: this.selectedIndex === last ? 0 : this.selectedIndex + 1,
        ArrowLeft: this.selectedIndex === 0 ? last : this.selectedIndex - 1,
        Home: 0,
        End: last,
      }
      if (!Object.hasOwn(keys, event.key)) return
      event.preventDefault()
      this.select(tabs[keys[event.key]].id)
      this.buttons[this.selectedIndex].focus()
    })
    this.apply(0)
  }

  get selected(): string {
    return this.tabs[this.selectedIndex].id
  }

  /** Renames a tab (the Rules tab counts the kept rules). */
  setLabel(id: string, label: string): void {
    const index = this.tabs.findIndex((tab) => tab.id === id)
    if (index >= 0 && this.buttons[index].textContent !== label) this.buttons[index].textContent = label
  }

  /** Shows the tab's panel and tells `shown`. */
  select(id: string): void {
    const index = this.tabs.findIndex((tab) => tab.id === id)
    if (index < 0) return
    this.apply(index)
    this.shown(id)
  }

  private apply(index: number): void {
    this.selectedIndex = index
    this.tabs.forEach((tab, i) => {
      const selected = i === index
      this.buttons[i].setAttribute('aria-selected', String(selected))
      this.buttons[i].tabIndex = selected ? 0 : -1
      tab.panel.hidden = !selected
    })
  }
}
