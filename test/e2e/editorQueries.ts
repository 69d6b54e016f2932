/** What the e2e steps ask of the workbench and the metadata editor, shared by e2e.test.ts and the step modules. */
import path from 'node:path'
import type { Frame, Page } from 'playwright-core'
import { ROOT } from '../helpers.ts'
import { activeTab, screenshots } from './workbench.ts'

const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e')
export const screenshot = screenshots(ARTIFACTS)

/** The editor of the extracted table, as `editorFrame` recognises it. */
export const HTTP_REQUESTS_EDITOR = `document.querySelector('.source-path')?.textContent === 'http_requests'`
export const ADULT_EDITOR = `document.querySelector('.source-path')?.textContent === 'adult.csv'`

/** The row of a column in the editor's grid. */
export function row(frame: Frame, column: string) {
  return frame.locator('.canvas .row', { has: frame.locator('.name-text', { hasText: new RegExp(`^${column}$`) }) })
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export const isDirty = async (page: Page) => (await activeTab(page).getAttribute('class'))?.split(/\s+/).includes('dirty') ?? false
