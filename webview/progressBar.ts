/**
 * A determinate progress bar drawn with CSS (the toolkit only has a ring). Until the total is
 * known it is indeterminate: no value for assistive technology, a sliding stripe on screen.
 */
import { h } from './dom.ts'

export class ProgressBar {
  private readonly fill = h('div', { class: 'progress-fill' })
  readonly element: HTMLElement

  constructor(className: string, label: string) {
    this.element = h(
      'div',
      { class: `progress ${className}`, role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, hidden: true },
      this.fill,
    )
  }

  /** Shows `value` of `max` (indeterminate while `max` is 0), described as `text`. */
  show(value: number, max: number, text: string): void {
    this.element.hidden = false
    const known = max > 0
    this.element.classList.toggle('indeterminate', !known)
    if (known) {
      this.element.setAttribute('aria-valuemax', String(max))
      this.element.setAttribute('aria-valuenow', String(Math.min(value, max)))
    } else {
      this.element.removeAttribute('aria-valuemax')
      this.element.removeAttribute('aria-valuenow')
    }
    this.element.setAttribute('aria-valuetext', text)
    this.fill.style.width = known ? `${(Math.min(value, max) / max) * 100}%` : ''
  }

  hide(): void {
    this.element.hidden = true
  }
}
