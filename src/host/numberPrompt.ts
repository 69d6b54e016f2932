import * as vscode from 'vscode'
import type { Parsed } from '../core/numberInput.ts'

/** Asks for one number in an input box that refuses what `parse` refuses; undefined when the user backs out. */
export async function askNumber(
  title: string,
  prompt: string,
  value: number,
  parse: (text: string) => Parsed,
): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    validateInput: (input) => {
      const parsed = parse(input)
      return 'problem' in parsed ? parsed.problem : undefined
    },
  })
  if (text === undefined) return undefined
  const parsed = parse(text)
  return 'value' in parsed ? parsed.value : undefined
}
