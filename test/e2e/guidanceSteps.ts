/** End-to-end steps of the editor's guidance: kinds fitting the Spark type, descriptions, the mask preview, log-scale histograms. */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Frame, Page } from 'playwright-core'
import { KIND_DESCRIPTIONS, kindHelp, sensitiveHelp } from '../../src/core/meta/descriptions.ts'
import { parseMetadata } from '../../src/core/meta/metadataFile.ts'
import { previewRewrites } from '../../src/core/model/sensitiveValues.ts'
import { ADULT_EDITOR, HTTP_REQUESTS_EDITOR, isDirty, row, screenshot, waitFor } from './editorPage.ts'
import { editorFrame, openFromExplorer } from './workbench.ts'

/** What the step needs of the run: the workbench, the workspace, and the http_requests editor it hands back. */
interface GuidanceRun {
  readonly page: Page
  readonly files: { readonly workspace: string }
  editor?: Frame
}

const detailsText = (frame: Frame) => frame.locator('.details').innerText()

/**
 * On Adult: the kind dropdown of an int column offers no instant or boolean; workclass masked shows what mask writes
 * for its top values (undone after); capital-gain's histogram is on a log scale, and the toggle switches it.
 * Adult's tab is closed at the end and the http_requests editor, which the next steps use, is active again.
 */
export async function showGuidance(run: GuidanceRun): Promise<void> {
  const { page } = run
  const metadataFile = path.join(run.files.workspace, 'adult.synth-meta.json')
  const document = parseMetadata(await readFile(metadataFile, 'utf8'), metadataFile)
  await openFromExplorer(page, 'adult.synth-meta.json')
  const frame = await editorFrame(page, ADULT_EDITOR, 60_000)

  const kind = row(frame, 'age').locator('vscode-dropdown').first()
  await kind.click()
  const offered = await kind.locator('vscode-option').allInnerTexts()
  assert.deepEqual(
    offered,
    ['continuous', 'integer', 'categorical', 'identifier', 'constant'],
    'an int column: no date, timestamp, boolean or text',
  )
  assert.equal(
    await kind.locator('vscode-option[value="categorical"]').getAttribute('title'),
    `categorical: ${KIND_DESCRIPTIONS.categorical}`,
  )
  await kind.locator('vscode-option[value="categorical"]').hover()
  await screenshot(page, 'guidance-1-int-kinds')
  await page.keyboard.press('Escape')
  await frame.locator('.details .detail-title', { hasText: /^age$/ }).waitFor()
  assert.equal(await frame.locator('.details .kind-help').innerText(), kindHelp('integer'))

  await row(frame, 'workclass').locator('.column-name').click()
  await frame.locator('.details .detail-title', { hasText: 'workclass' }).waitFor()
  const sensitive = row(frame, 'workclass').locator('vscode-dropdown').nth(1)
  await sensitive.click()
  await sensitive.locator('vscode-option[value="mask"]').click()
  const help = frame.locator('.details .sensitive-help')
  await waitFor('the mask reaches the document and the help line', async () => (await help.innerText()) === sensitiveHelp('mask'))
  const workclass = document.columns.find((c) => c.name === 'workclass')
  const top = (workclass?.stats.categories?.top ?? []).slice(0, 4).map((entry) => String(entry.value))
  const expected = previewRewrites({ kind: 'categorical', sparkType: 'string' }, 'mask', top, document.source.seed).map(
    ({ value, written }) => `${value} → ${written}`,
  )
  assert.deepEqual(await frame.locator('.details .rewrite-preview.mask li').allInnerTexts(), expected, 'what the synthesizer writes')
  assert.match(expected[0], /^Private → [A-Z][a-z]{6}$/)
  assert.match(await frame.locator('.details .rewrite-preview.mask h4').innerText(), /^mask \(chosen\) writes/)
  assert.equal(await frame.locator('.details .rewrite-preview.fake li').count(), 4, 'and what fake would write')
  await screenshot(page, 'guidance-2-mask-preview')
  // Out of the dropdown first: its type-ahead would take the Z of Ctrl+Z.
  await frame.locator('.source-path').click()
  await page.keyboard.press('Control+Z')
  await waitFor('undo brings workclass back to keep', async () => (await help.innerText()) === sensitiveHelp('keep'))
  assert.ok(!(await isDirty(page)), 'the document is as saved')

  await row(frame, 'capital-gain').locator('.column-name').click()
  await frame.locator('.details .detail-title', { hasText: 'capital-gain' }).waitFor()
  const chart = frame.locator('.details svg.histogram')
  assert.match((await chart.textContent()) ?? '', /rows per bin \(log scale\)/, 'mostly zeros: the count axis is logarithmic')
  assert.match((await chart.getAttribute('aria-label')) ?? '', /^Histogram of capital-gain on a log scale/)
  assert.match(await detailsText(frame), /Linear scale/)
  await screenshot(page, 'guidance-3-log-scale')
  await frame.locator('.details vscode-button.scale-toggle').click()
  await waitFor('the toggle draws counts linearly', async () => !((await chart.textContent()) ?? '').includes('log scale'))
  await screenshot(page, 'guidance-4-linear-scale')
  await row(frame, 'age').locator('.column-name').click()
  await frame.locator('.details .detail-title', { hasText: /^age$/ }).waitFor()
  assert.doesNotMatch((await chart.textContent()) ?? '', /log scale/, 'age spreads over its bins: linear')

  await page.locator('.tabs-container .tab', { hasText: 'adult.synth-meta.json' }).locator('.codicon-close').click()
  await page.locator('.tabs-container .tab', { hasText: 'http_requests.synth-meta.json' }).click()
  run.editor = await editorFrame(page, HTTP_REQUESTS_EDITOR)
}
