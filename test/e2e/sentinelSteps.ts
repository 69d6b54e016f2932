/** The e2e steps of data hints: a missing-value marker found at extraction, treated as null from the details panel. */
import assert from 'node:assert/strict'
import type { Frame, Page } from 'playwright-core'
import { defined } from '../helpers.ts'
import { ADULT_EDITOR, HTTP_REQUESTS_EDITOR, isDirty, row, screenshot, waitFor } from './editorPage.ts'
import { editorFrame, openFromExplorer } from './workbench.ts'

/** The details panel's fact under `label` ("nulls"). */
function fact(frame: Frame, label: string): Promise<string> {
  return frame.evaluate((wanted) => {
    const term = Array.from(document.querySelectorAll('.details dl.facts dt')).find((dt) => dt.textContent === wanted)
    return term?.nextElementSibling?.textContent ?? ''
  }, label)
}

const topValues = (frame: Frame) => frame.locator('.details svg.top-values').textContent()

/**
 * Opens Adult's document (extracted by the workbench setup), treats workclass's '?' as null, then undoes it, so
 * that the later steps see the document as extracted; closes it, which brings the http_requests editor back.
 */
export async function treatSentinelAsNull(run: { readonly page: Page; editor?: Frame }): Promise<void> {
  const { page } = run
  await openFromExplorer(page, 'adult.synth-meta.json')
  const frame = await editorFrame(page, ADULT_EDITOR, 60_000)
  const tag = row(frame, 'workclass').locator('.hint-tag')
  await tag.waitFor()
  assert.equal(await row(frame, 'age').locator('.hint-tag').isHidden(), true, 'a clean column has no hint tag')
  assert.equal(await row(frame, 'education').locator('.hint-tag').isHidden(), true)
  await screenshot(page, 'sentinel-1-grid-hint-tags')

  await row(frame, 'workclass').locator('.column-name').click()
  await frame.locator('.details .detail-title', { hasText: 'workclass' }).waitFor()
  const hint = frame.locator('.details .data-hint').first()
  const text = await hint.innerText()
  const share = defined(/^"\?" in (\d+\.\d) % of sampled rows looks like a missing-value marker\./.exec(text), `the hint line: ${text}`)[1]
  assert.equal(await fact(frame, 'nulls'), '0%')
  assert.match((await topValues(frame)) ?? '', /"\?"/)
  await screenshot(page, 'sentinel-2-details-hint')

  await hint.locator('vscode-button', { hasText: 'Treat as null' }).click()
  await waitFor('the nulls share takes the "?" rows', async () => (await fact(frame, 'nulls')) === `${Number(share)}%`, 30_000)
  assert.doesNotMatch((await topValues(frame)) ?? '', /"\?"/, 'the top values no longer list "?"')
  assert.match(await hint.innerText(), /read as null\s+Keep as value/)
  assert.equal(await tag.isHidden(), true, 'the grid tag goes once the hint is dealt with')
  assert.ok(await isDirty(page))
  await screenshot(page, 'sentinel-3-treated-as-null')

  await page.keyboard.press('Control+Z')
  await waitFor('undo brings "?" back as a value', async () => (await fact(frame, 'nulls')) === '0%' && (await tag.isVisible()))
  assert.match((await topValues(frame)) ?? '', /"\?"/)
  await waitFor('the tab is clean again', async () => !(await isDirty(page)))
  await screenshot(page, 'sentinel-4-undone')

  // Closed as it was opened, so that the workbench is as the next steps expect it.
  await page.locator('.tabs-container .tab.active', { hasText: 'adult.synth-meta.json' }).locator('.codicon-close').click()
  await waitFor(
    'the Adult tab is closed',
    async () => (await page.locator('.tabs-container .tab', { hasText: 'adult.synth-meta.json' }).count()) === 0,
  )
  run.editor = await editorFrame(page, HTTP_REQUESTS_EDITOR)
}
