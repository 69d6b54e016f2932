/** Waiting on the workbench as the steps do: polling a condition, and whether the active tab has unsaved edits. */
import type { Page } from 'playwright-core'
import { activeTab } from './workbench.ts'

export async function waitFor(what: string, check: () => Promise<boolean>, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export const isDirty = async (page: Page) => (await activeTab(page).getAttribute('class'))?.split(/\s+/).includes('dirty') ?? false
