/** Small DOM builders. Text from the document always goes in as text nodes, never as markup. */
import type { Button, Checkbox, Dropdown, Option, TextField } from '@vscode/webview-ui-toolkit'

type Attributes = Readonly<Record<string, string | number | boolean | undefined>>
type Child = Node | string

/** The toolkit's elements the page uses (main.ts registers them), by tag. */
interface ToolkitElements {
  'vscode-button': Button
  'vscode-checkbox': Checkbox
  'vscode-dropdown': Dropdown
  'vscode-option': Option
  'vscode-text-field': TextField
}

type Elements = HTMLElementTagNameMap & ToolkitElements

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
}

/** An HTML element (including the toolkit's custom elements) with attributes and children. */
export function h<Tag extends keyof Elements>(tag: Tag, attributes: Attributes = {}, ...children: Child[]): Elements[Tag] {
  // A custom element's tag makes an instance of its registered class.
  const element = document.createElement(tag) as Elements[Tag]
  setAttributes(element, attributes)
  element.append(...children)
  return element
}

const SVG_NS = 'http://www.w3.org/2000/svg'

export function svg<Tag extends keyof SVGElementTagNameMap>(
  tag: Tag,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[Tag] {
  const element = document.createElementNS(SVG_NS, tag)
  setAttributes(element, attributes)
  element.append(...children)
  return element
}

/** Replaces the text only when it differs: live regions then announce changes, not repeats. */
export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text
}
