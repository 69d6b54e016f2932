/**
 * End-to-end steps of the editor's data preview (issue 13): after training, the Data preview tab shows
 * real rows of http_requests, then synthetic rows drawn from the model beside them.
 */
import assert from 'node:assert/strict'
import type { Frame, Page } from 'playwright-core'
import { defined } from '../helpers.ts'
import { waitFor } from './editorPage.ts'

/** What the steps need of the end-to-end run: the workbench, the http_requests editor and the wide document's. */
interface PreviewRun {
  readonly page: Page
  readonly editor?: Frame
  readonly wide?: Frame
}

type Screenshot = (page: Page, name: string) => Promise<string>

/** http_requests' columns in document order, as the preview's header names them after its row number and source. */
const HEADERS = [
  '#',
  'Source',
  'ClientIP',
  'ClientRequestHost',
  'ClientRequestMethod',
  'ClientRequestURI',
  'EdgeEndTimestamp',
  'EdgeResponseBytes',
  'EdgeResponseStatus',
  'EdgeStartTimestamp',
  'date',
]
/** Rows a preview shows of each source (the sample has 1,581). */
const ROWS = 200
/** Columns a preview shows at most (src/protocol/dataPreview.ts), after its row number and source. */
const SHOWN_COLUMNS = 40

const editorOf = (run: PreviewRun) => defined(run.editor, 'the http_requests metadata editor (opened by the first step)')
const statusOf = (frame: Frame) => frame.locator('.preview-status').innerText()
const rowCount = async (frame: Frame) => Number(await frame.locator('.preview-grid').getAttribute('aria-rowcount')) - 1
/** The cells of the first drawn row of a source, by column name. */
async function firstRow(frame: Frame, source: 'real' | 'synthetic'): Promise<Record<string, string>> {
  const cells = await frame.locator(`.preview-grid .canvas .row.${source}`).first().locator('.cell').allInnerTexts()
  return Object.fromEntries(HEADERS.map((header, i) => [header, cells[i]]))
}

export async function previewRealRows(run: PreviewRun, screenshot: Screenshot): Promise<void> {
  const { page } = run
  const frame = editorOf(run)
  // From the keyboard: the tablist is one Tab stop, arrows move between its tabs.
  await frame.locator('.view-tab', { hasText: 'Columns' }).focus()
  await page.keyboard.press('ArrowRight')
  assert.equal(await frame.locator('.view-tab[aria-selected="true"]').innerText(), 'Data preview')
  assert.ok(await frame.locator('.columns-view').isHidden(), 'the column grid makes way for the preview')
  await waitFor('the real rows arrive', async () => (await statusOf(frame)).includes('real rows'), 60_000)
  assert.equal(await rowCount(frame), ROWS)
  assert.deepEqual(await frame.locator('.preview-grid .header .cell').allInnerTexts(), HEADERS)
  assert.equal(await frame.locator('.preview-grid .header .excluded').innerText(), 'ClientIP', 'the excluded column is greyed')
  const drawn = await frame.locator('.preview-grid .canvas .row').count()
  assert.ok(drawn > 10 && drawn < ROWS, `${drawn} of ${ROWS} rows in the DOM`)
  const real = await firstRow(frame, 'real')
  assert.equal(real.Source, 'real')
  assert.match(real.EdgeStartTimestamp, /^2023-04-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, 'timestamps to the microsecond, as Spark keeps them')
  assert.match(real.date, /^2023-04-\d\d$/)
  assert.equal(real.ClientRequestMethod, 'GET')
  assert.ok(await frame.locator('vscode-button.draw-synthetic').evaluate((button) => !button.hasAttribute('disabled')), 'the model fits')
  await screenshot(page, 'preview-1-real')
}

export async function previewSyntheticRows(run: PreviewRun, screenshot: Screenshot): Promise<void> {
  const { page } = run
  const frame = editorOf(run)
  await frame.locator('vscode-text-field.preview-seed input').fill('11')
  await frame.locator('vscode-button.draw-synthetic').click()
  await waitFor('the synthetic rows arrive', async () => (await statusOf(frame)).includes('synthetic rows drawn with seed 11'), 60_000)
  // Fresh synthetic rows show beside the real ones: a real row, then a synthetic one.
  assert.equal(await frame.locator('.preview-mode[aria-pressed="true"]').innerText(), 'Both')
  assert.equal(await rowCount(frame), 2 * ROWS)
  assert.deepEqual(
    await frame.locator('.preview-grid .canvas .row .p-source').evaluateAll((cells) => cells.slice(0, 4).map((cell) => cell.textContent)),
    ['real', 'synthetic', 'real', 'synthetic'],
  )

  await frame.locator('.preview-mode', { hasText: 'Synthetic' }).click()
  assert.equal(await rowCount(frame), ROWS)
  assert.equal(await frame.locator('.preview-grid .canvas .row.real').count(), 0)
  const synthetic = await firstRow(frame, 'synthetic')
  assert.equal(synthetic.ClientIP, '—', 'the excluded column is not synthesised')
  assert.match(synthetic.EdgeStartTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
  assert.match(synthetic.EdgeResponseBytes, /^-?\d+$/, 'a bigint stays whole')
  await screenshot(page, 'preview-2-synthetic')
  await frame.locator('.preview-mode', { hasText: 'Both' }).click()
  assert.equal(await rowCount(frame), 2 * ROWS)
  await screenshot(page, 'preview-3-both')

  // Later steps work in the column grid.
  await frame.locator('.view-tab', { hasText: 'Columns' }).click()
  assert.ok(await frame.locator('.columns-view').isVisible())
  assert.ok(await frame.locator('.data-preview').isHidden())
}

export async function previewMissingSource(run: PreviewRun, screenshot: Screenshot): Promise<void> {
  const { page } = run
  const frame = defined(run.wide, 'the wide document editor (opened by an earlier step)')
  await frame.locator('.view-tab', { hasText: 'Data preview' }).click()
  const problem = frame.locator('.preview-problem')
  await problem.waitFor({ timeout: 60_000 })
  // The hand-made document names a table that is not there: the preview says so, and what to do.
  assert.match(await problem.innerText(), /^Real rows: .*wide: .*no such file.*\. Check the path/s)
  assert.equal(await frame.locator('.preview-grid .header .cell').count(), 2 + SHOWN_COLUMNS, 'the first columns of 250, not all')
  assert.equal(await rowCount(frame), 0)
  assert.match(await statusOf(frame), /There is no model of this document yet\. Train it/)
  assert.ok(await frame.locator('vscode-button.draw-synthetic').evaluate((button) => button.hasAttribute('disabled')))
  await screenshot(page, 'preview-4-missing-source')
  await frame.locator('.view-tab', { hasText: 'Columns' }).click()
  assert.ok(await frame.locator('.columns-view').isVisible())
}
