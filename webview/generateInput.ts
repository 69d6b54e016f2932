/**
 * The Generate form's fields read as numbers, or the reason they cannot be: the page checks
 * what the host's guard would refuse, so that the user sees why instead of nothing happening.
 * The reading is the one the command palette and the CLI use.
 */
import { parseRows as parseRowCount, parseSeed, type Parsed } from '../src/core/numberInput.ts'
import { MAX_GENERATE_ROWS } from '../src/protocol/webview.ts'

export { parseSeed }

export function parseRows(text: string): Parsed {
  return parseRowCount(text, MAX_GENERATE_ROWS)
}
