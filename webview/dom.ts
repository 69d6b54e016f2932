/** Small DOM builders. Text from the document always goes in as text nodes, never as markup. */

type Attributes = Readonly<Record<string, string | number | boolean | undefined>>
type Child = Node | string

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
}

/** An HTML element (including the toolkit's custom elements) with attributes and children. */
export function h<T extends HTMLElement = HTMLElement>(tag: string, attributes: Attributes = {}, ...children: Child[]): T {
  const element = document.createElement(tag) as T
  setAttributes(element, attributes)
  element.append(...children)
  return element
}

const SVG_NS = 'http://www.w3.org/2000/svg'

export function svg<T extends SVGElement = SVGElement>(tag: string, attributes: Attributes = {}, ...children: Child[]): T {
  const element = document.createElementNS(SVG_NS, tag) as T
  setAttributes(element, attributes)
  element.append(...children)
  return element
}
