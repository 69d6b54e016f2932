/** Driving the VS Code workbench in Chromium the way a user does: mouse, keyboard, what is on screen. */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type Frame, type Page } from 'playwright-core'
import { CHROMIUM } from './codeServer.ts'

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Opens the workbench and waits until the Explorer lists the workspace. */
export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  await page.goto(url)
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 })
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 })
  return page
}

export function screenshots(folder: string): (page: Page, name: string) => Promise<string> {
  return async (page, name) => {
    await mkdir(folder, { recursive: true })
    const file = path.join(folder, `${name}.png`)
    await page.screenshot({ path: file })
    return file
  }
}

/**
 * The frame of the visible metadata editor whose page satisfies `ready` (run in the webview).
 * Webviews sit in nested iframes; hidden editors drop theirs, so at most one matches.
 */
export async function editorFrame(page: Page, ready: string, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout
  for (;;) {
    for (const frame of page.frames()) {
      const matches = await frame
        .evaluate(
          `(() => { const app = document.getElementById('app'); return !!app && app.getAttribute('aria-busy') !== 'true' && (${ready}) })()`,
        )
        .catch(() => false)
      if (matches) return frame
    }
    if (Date.now() > deadline) throw new Error(`no metadata editor webview showed ${ready} within ${timeout} ms`)
    await page.waitForTimeout(200)
  }
}

/** The frame of the visible quality report panel. */
export async function reportFrame(page: Page, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout
  for (;;) {
    for (const frame of page.frames()) {
      const title = await frame.evaluate(() => document.title).catch(() => '')
      if (title === 'Synthetic data quality report') return frame
    }
    if (Date.now() > deadline) throw new Error(`no quality report panel within ${timeout} ms`)
    await page.waitForTimeout(200)
  }
}

/** Opens a workspace file by clicking it in the Explorer. */
export async function openFromExplorer(page: Page, fileName: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first().click()
}

/** Chooses the entry of the open quick pick whose label is exactly `label`, by typing it. */
async function choose(page: Page, typed: string, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input')
  await input.waitFor({ state: 'visible' })
  await input.fill(typed)
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first()
    .click()
}

/** Runs a command from the palette (F1) by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // Out of the webview first: keys typed there are the page's, not the workbench's.
  // F1 is now and then swallowed while the workbench moves focus (a closing tab, a webview taking it): press again.
  const input = page.locator('.quick-input-widget input')
  for (let attempt = 1; ; attempt++) {
    await page.locator('.part.sidebar .composite.title').click()
    await page.keyboard.press('F1')
    const opened = await input.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    )
    if (opened || attempt === 3) break
  }
  await choose(page, `>${title}`, title)
}

/** Picks an entry in the open quick pick by its label. */
export async function pick(page: Page, label: string): Promise<void> {
  await choose(page, label, label)
}

/** The active editor tab. */
export function activeTab(page: Page) {
  return page.locator('.tabs-container .tab.active')
}
