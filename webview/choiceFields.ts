/** The text fields of the editor's choice bands (training, privacy): what they show, and what a typed value reads as. */
import type { TextField } from '@vscode/webview-ui-toolkit'
import type { Parsed } from '../src/core/numberInput.ts'

export const FROM_DOCUMENT = 'Chosen in this document'
export const FROM_SETTINGS = 'From the settings (the document does not choose it)'

/** Shows `text` in a field the user is not typing in, saying whether the document or a setting chose it. */
export function offerChoice(element: TextField, text: string, fromDocument: boolean): void {
  element.title = fromDocument ? FROM_DOCUMENT : FROM_SETTINGS
  if (element.contains(document.activeElement) || element.value === text) return
  element.value = text
  element.removeAttribute('aria-invalid')
}

/** The field's value when it reads; else it is marked invalid and `error` says why. */
export function readChoice(element: TextField, parsed: Parsed, error: HTMLElement): number | undefined {
  if ('problem' in parsed) {
    element.setAttribute('aria-invalid', 'true')
    error.textContent = parsed.problem
    error.hidden = false
    return undefined
  }
  element.removeAttribute('aria-invalid')
  return parsed.value
}
