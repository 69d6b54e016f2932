/**
 * End to end in the real VS Code: the packaged extension installed into code-server, driven in
 * Chromium as a user would. One code-server serves every step; each step is a subtest, so a failure
 * names it, keeps its screen as failed-<step>.png and skips the steps after it. Screenshots of every
 * step go to test-artifacts/e2e/. The first run installs code-server into .cache/ (see test/e2e/codeServer.ts).
 */
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test, type TestContext } from 'node:test'
import { promisify } from 'node:util'
import type { Frame, Page } from 'playwright-core'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { sparkTypeDdl } from '../src/core/io/sparkType.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { parseMetadata, serializeMetadata, writeMetadataFile } from '../src/core/meta/metadataFile.ts'
import { withoutTarget } from '../src/core/meta/target.ts'
import { readModelSummary } from '../src/core/model/modelFolder.ts'
import { checkSystemPackages, ensureCodeServer, packageExtension, startCodeServer } from './e2e/codeServer.ts'
import { ADULT_EDITOR, HTTP_REQUESTS_EDITOR, isDirty, row, screenshot, waitFor } from './e2e/editorPage.ts'
import { showGuidance } from './e2e/guidanceSteps.ts'
import { previewMissingSource, previewRealRows, previewSyntheticRows } from './e2e/previewSteps.ts'
import { editRules } from './e2e/rulesSteps.ts'
import { treatSentinelAsNull } from './e2e/sentinelSteps.ts'
import { showLossChart, chooseTrainingControls } from './e2e/trainingSteps.ts'
import { wideDocument } from './e2e/wideDocument.ts'
import { activeTab, editorFrame, launchBrowser, openFromExplorer, openWorkbench, pick, reportFrame, runCommand } from './e2e/workbench.ts'
import { ADULT_CSV, CLI, defined, OUTPUT_FOLDER_ENTRIES, SPARK_TABLES, tempDir } from './helpers.ts'

const WIDE_COLUMNS = 250
const WIDE_EDITOR = `document.querySelector('.source-path')?.textContent === 'wide'`
/** Rows of Adult the target step trains on: enough for both income classes in the holdout, few enough to train in seconds. */
const ADULT_ROWS = 600

/** The files of the workspace the steps check: the table's document and what the runs write beside it. */
function workspaceFiles(workspace: string) {
  return {
    workspace,
    metadataFile: path.join(workspace, 'http_requests.synth-meta.json'),
    output: path.join(workspace, 'http_requests-synthetic'),
    model: path.join(workspace, 'http_requests.synth-model'),
    sparkJob: path.join(workspace, 'http_requests.spark-job'),
  }
}

/** What the steps share: the workbench, the workspace, and the editors earlier steps opened. */
interface Run {
  readonly page: Page
  readonly files: ReturnType<typeof workspaceFiles>
  /** Errors and CSP violations the webviews logged to the console. */
  readonly webviewErrors: string[]
  readonly diagnostic: (message: string) => void
  /** The metadata editor of http_requests, set again by each step that reopens it. */
  editor?: Frame
  /** The metadata editor of the wide document. */
  wide?: Frame
  /** The document as Extract Metadata wrote it, before any edit. */
  extracted?: string
}

const editorOf = (run: Run) => defined(run.editor, 'the http_requests metadata editor (opened by the first step)')
const wideOf = (run: Run) => defined(run.wide, `the ${WIDE_COLUMNS}-column metadata editor (opened by an earlier step)`)

/** `#1f1f1f` as computed styles give it: `rgb(31, 31, 31)`. */
function hexToRgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  return `rgb(${r}, ${g}, ${b})`
}

const summaryOf = (frame: Frame) => frame.locator('.summary').textContent()
const summaryShows = async (frame: Frame, text: string) => ((await summaryOf(frame)) ?? '').includes(text)
const excluded = async (frame: Frame, column: string) =>
  (await row(frame, column).locator('vscode-checkbox.exclude').getAttribute('aria-checked')) === 'true'
const statusOf = (frame: Frame, line: 'training' | 'generation') => frame.locator(`.${line}-status`).innerText()
const trainingShows = async (frame: Frame, pattern: RegExp) => pattern.test(await statusOf(frame, 'training'))
/** What a run left in the workspace besides the data, the documents and its outputs: temporaries and claims. */
const leftovers = async (run: Run) => (await readdir(run.files.workspace)).filter((name) => /\.(tmp|old|claim|lock)$/.test(name))

/** Copies the table and the two hand-made documents into a fresh workspace, serves it with the packaged extension, opens it in Chromium. */
async function startWorkbench(t: TestContext): Promise<Run> {
  await checkSystemPackages()
  const binary = await ensureCodeServer((line) => {
    t.diagnostic(line)
  })
  const workspace = await tempDir()
  const state = await tempDir()
  await cp(path.join(SPARK_TABLES, 'http_requests'), path.join(workspace, 'http_requests'), { recursive: true })
  // The shared data is read-only; the copy must be removable afterwards.
  await promisify(execFile)('chmod', ['-R', 'u+w', workspace])
  await writeFile(path.join(workspace, 'wide.synth-meta.json'), serializeMetadata(wideDocument(WIDE_COLUMNS)))
  await writeFile(path.join(workspace, 'broken.synth-meta.json'), '{ "version": 1, "source": ')
  // Adult's first rows and their document without the suggested target: the user picks it.
  const adult = path.join(workspace, 'adult.csv')
  await writeFile(
    adult,
    `${(await readFile(ADULT_CSV, 'utf8'))
      .split('\n')
      .slice(0, ADULT_ROWS + 1)
      .join('\n')}\n`,
  )
  const { summary, table } = await sampleDataset(adult, { rows: ADULT_ROWS })
  await writeMetadataFile(withoutTarget(extractMetadata(summary, table)), path.join(workspace, 'adult.synth-meta.json'))

  const vsix = await packageExtension(state)
  const server = await startCodeServer({
    binary,
    vsix,
    workspace,
    stateFolder: state,
    settings: {
      'workbench.startupEditor': 'none',
      'workbench.colorTheme': 'Default Dark Modern',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      // Long enough to cancel in the middle; a few seconds on this table.
      'sparkSynth.epochs': 400,
    },
  })
  t.after(() => server.stop())
  const browser = await launchBrowser()
  t.after(() => browser.close())
  const page = await openWorkbench(browser, server.url)
  const webviewErrors: string[] = []
  page.on('console', (message) => {
    const fromWebview = message.location().url.includes('/dist/webview/') || message.text().includes('Content Security Policy')
    if (message.type() === 'error' && fromWebview) webviewErrors.push(message.text())
  })
  return {
    page,
    files: workspaceFiles(workspace),
    webviewErrors,
    diagnostic: (message) => {
      t.diagnostic(message)
    },
  }
}

async function extractMetadataFromExplorer(run: Run): Promise<void> {
  const { page } = run
  // The menu gains the extension's submenu once the extension host has loaded the extensions.
  const submenu = page.locator('.monaco-menu .action-item', { hasText: /^Spark Synth$/ })
  await waitFor(
    'the Explorer context menu offers the Spark Synth submenu',
    async () => {
      await page.keyboard.press('Escape')
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'http_requests' }).first().click({ button: 'right' })
      return submenu.waitFor({ timeout: 1000 }).then(
        () => true,
        () => false,
      )
    },
    60_000,
  )
  await submenu.hover()
  const item = page.locator('.monaco-menu .action-item', { hasText: /^Extract Metadata$/ })
  await item.waitFor()
  await screenshot(page, '01-explorer-context-menu')
  await item.click()
  const editor = await editorFrame(page, HTTP_REQUESTS_EDITOR, 60_000)
  run.editor = editor
  await row(editor, 'date').waitFor()
  assert.equal(await activeTab(page).getAttribute('data-resource-name'), 'http_requests.synth-meta.json')
  assert.match(
    await editor.locator('.source-facts').innerText(),
    /Format\s+parquet[\s\S]*Files\s+2[\s\S]*Rows\s+1,581[\s\S]*Sample\s+1,581[\s\S]*Seed\s+42/,
  )
  assert.equal(await editor.locator('.canvas .row').count(), 9)
  assert.equal(await row(editor, 'date').locator('.tag').innerText(), 'partition')
  assert.ok(!(await isDirty(page)))
  run.extracted = await readFile(run.files.metadataFile, 'utf8')
  await screenshot(page, '02-editor-opened')
}

async function editThenUndoAndRedo(run: Run): Promise<void> {
  const { page } = run
  const frame = editorOf(run)
  const kind = row(frame, 'EdgeResponseBytes').locator('vscode-dropdown').first()
  await kind.click()
  await screenshot(page, '03-kind-dropdown-open')
  await kind.locator('vscode-option[value="continuous"]').click()
  await waitFor('the kind change reaches the document', () => summaryShows(frame, '1 kind changed'))
  assert.equal(await row(frame, 'EdgeResponseBytes').locator('.detected').innerText(), 'detected: integer')

  await row(frame, 'ClientIP').locator('vscode-checkbox.exclude').click()
  await waitFor('the exclusion reaches the document', () => summaryShows(frame, '1 excluded'))
  assert.ok(await isDirty(page), 'the tab shows unsaved changes')
  await screenshot(page, '04-edited-dirty')

  await page.keyboard.press('Control+Z')
  await waitFor('undo clears the exclusion', async () => !(await excluded(frame, 'ClientIP')) && (await summaryShows(frame, '0 excluded')))
  await page.keyboard.press('Control+Shift+Z')
  await waitFor('redo restores it', async () => (await excluded(frame, 'ClientIP')) && (await summaryShows(frame, '1 excluded')))
}

async function saveWithCtrlS(run: Run): Promise<void> {
  const { page } = run
  const { metadataFile } = run.files
  await page.keyboard.press('Control+S')
  await waitFor('the tab is saved', async () => !(await isDirty(page)))
  const saved = parseMetadata(await readFile(metadataFile, 'utf8'), metadataFile)
  const before = parseMetadata(defined(run.extracted, 'the extracted document (read by the first step)'), metadataFile)
  const edited = (name: string) =>
    defined(
      saved.columns.find((c) => c.name === name),
      `column ${name} in the saved document`,
    )
  assert.equal(edited('EdgeResponseBytes').kind, 'continuous')
  assert.equal(edited('EdgeResponseBytes').detectedKind, 'integer')
  assert.equal(edited('ClientIP').exclude, true)
  const expected = before.columns.map((c) =>
    c.name === 'EdgeResponseBytes' ? { ...c, kind: 'continuous' as const } : c.name === 'ClientIP' ? { ...c, exclude: true } : c,
  )
  assert.deepEqual(saved.columns, expected, 'nothing else changed')
  await screenshot(page, '05-saved')
}

async function choosePrivacy(run: Run): Promise<void> {
  const { page } = run
  const { metadataFile } = run.files
  const frame = editorOf(run)
  const band = frame.locator('details.privacy summary')
  assert.equal(await band.innerText(), 'Privacy: value protection k = 5 · holdout 10 % · no differential privacy')
  await band.click()
  assert.match(
    await frame.locator('.privacy-protection').innerText(),
    /^Value protection, k = 5: a value seen in fewer than 5 sampled rows/,
  )
  const epsilon = frame.locator('vscode-text-field.epsilon')
  const dp = frame.locator('vscode-checkbox.differential-privacy')
  const saved = async () => {
    await page.keyboard.press('Control+S')
    await waitFor('the tab is saved', async () => !(await isDirty(page)))
    return parseMetadata(await readFile(metadataFile, 'utf8'), metadataFile).privacy
  }
  await dp.click()
  await waitFor(
    'ε reaches the document and the field offers it',
    async () => !(await epsilon.evaluate((field) => field.hasAttribute('disabled'))),
  )
  assert.equal(await epsilon.locator('input').inputValue(), '4')
  await screenshot(page, '05b-privacy-differential')
  assert.deepEqual(await saved(), { rareValueRows: 5, epsilon: 4 })
  assert.equal(await band.innerText(), 'Privacy: value protection k = 5 · holdout 10 % · differential privacy ε = 4')
  await dp.click()
  await waitFor('no DP: the ε field is disabled again', () => epsilon.evaluate((field) => field.hasAttribute('disabled')))
  assert.deepEqual(await saved(), { rareValueRows: 5, epsilon: null }, 'switched off: the document says so')
  await band.click()
}

async function showTargetPicker(run: Run): Promise<void> {
  const frame = editorOf(run)
  const picker = frame.locator('.target vscode-dropdown')
  // http_requests holds no label: constants, instants and bytes that value protection leaves one value of.
  assert.ok(await picker.evaluate((dropdown) => dropdown.hasAttribute('disabled')), 'nothing to pick')
  assert.deepEqual(await picker.locator('vscode-option').allInnerTexts(), ['None'])
  const hint = frame.locator('.target-hint')
  assert.ok(await hint.evaluate((line) => line.scrollWidth <= line.clientWidth), 'the reasons wrap rather than being cut')
  assert.match(
    await hint.innerText(),
    /^No column can be the target, so utility is not measured: ClientIP is left out of the synthetic data; ClientRequestHost is a constant column, not a class to predict; .*; 6 more likewise\./,
  )
  await screenshot(run.page, '05c-target-none-fits')
}

async function showColumnDetails(run: Run): Promise<void> {
  const { page } = run
  const frame = editorOf(run)
  await row(frame, 'EdgeEndTimestamp').locator('.column-name').click()
  await frame.locator('.details .detail-title', { hasText: 'EdgeEndTimestamp' }).waitFor()
  assert.equal((await frame.locator('.details svg.histogram rect.bar').count()) > 0, true)
  await screenshot(page, '06-details-timestamp-histogram')
  await row(frame, 'EdgeResponseBytes').locator('.column-name').click()
  await frame.locator('.details .detail-title', { hasText: 'EdgeResponseBytes' }).waitFor()
  assert.match(await frame.locator('.details').innerText(), /continuous \(set by you; detected as integer\)/)
  assert.ok((await frame.locator('.details svg.histogram rect.bar').count()) >= 1)
  await row(frame, 'ClientRequestMethod').locator('.column-name').click()
  await frame.locator('.details svg.top-values').waitFor()
  assert.match((await frame.locator('.details svg.top-values').textContent()) ?? '', /"GET"/)
  await screenshot(page, '07-details-top-values')
}

async function trainThenCancel(run: Run): Promise<void> {
  const { page } = run
  const frame = editorOf(run)
  await frame.locator('vscode-button.train').click()
  await waitFor('the first epoch is reported', () => trainingShows(frame, /Training: epoch \d+ of 400/), 60_000)
  await page.locator('.notification-toast', { hasText: 'Spark Synth: training' }).waitFor()
  assert.ok(await frame.locator('.training-progress').isVisible())
  // Most of http_requests' rows repeat another: the guard's warning shows under the training line.
  await frame.locator('.training-warnings li', { hasText: 'repeat another row on every compared column' }).waitFor()
  await screenshot(page, '08-training-progress')
  await frame.locator('vscode-button.cancel').click()
  await waitFor('the editor says the training was cancelled', () => trainingShows(frame, /Training cancelled/))
  await waitFor('the worker has cleaned up', async () => (await leftovers(run)).length === 0)
  assert.ok(!existsSync(run.files.model), 'no model folder')
  await screenshot(page, '09-training-cancelled')
}

async function trainToTheEnd(run: Run): Promise<void> {
  const frame = editorOf(run)
  await frame.locator('vscode-button.train').click()
  // The epochs the training band chose (see chooseTrainingControls).
  await waitFor('the model is trained', () => trainingShows(frame, /Model trained .* on 1,423 rows, 3 epochs/), 180_000)
  assert.deepEqual((await readdir(run.files.model)).sort(), ['model.json', 'weights.bin'])
  assert.ok((await frame.locator('svg.loss-chart path.loss-line').getAttribute('d'))?.startsWith('M'), 'a loss line is drawn')
  assert.ok(await frame.locator('vscode-button.generate').evaluate((button) => !button.hasAttribute('disabled')), 'Generate is offered')
  await screenshot(run.page, '10-trained-loss-chart')
}

async function generateRows(run: Run): Promise<void> {
  const { page } = run
  const { output } = run.files
  const frame = editorOf(run)
  await frame.locator('vscode-text-field.rows input').fill('5000')
  await frame.locator('vscode-text-field.seed input').fill('7')
  await frame.locator('vscode-button.generate').click()
  // The report opens beside the editor once the output is complete.
  const report = await reportFrame(page, 180_000)
  assert.match(await statusOf(frame, 'generation'), /^Wrote .*http_requests-synthetic · Quality \d\.\d{3}/)
  assert.match(await report.locator('h1').innerText(), /Synthetic data quality report/)
  assert.match(
    await report.locator('body').innerText(),
    /Compared: the 1,423 real rows the model learned from, 1,581 of the 5,000 synthetic rows \(a seeded sample, as many as the real rows\), and 158 real rows it never saw/,
    'the 1,423 rows trained on and the 158 kept out (10 % of the sample), against as many synthetic rows as the sample',
  )
  // http_requests repeats its rows: copies as frequent as the holdout's own are no finding, and the page says so.
  assert.match(await report.locator('.verdict').innerText(), /^Privacy\. No sign of memorisation: /)
  assert.match(
    await report.locator('body').innerText(),
    /Exact copies beyond the holdout's own\t[\d.]+ % \(holdout [\d.]+ %\)\t≤ 0\.5 %\t✓ meets/,
  )
  await screenshot(page, '11-quality-report')
  await assertReportBelowTheEditor(page, frame)
  assert.deepEqual((await readdir(output)).sort(), OUTPUT_FOLDER_ENTRIES)
  const data = await readdir(path.join(output, 'data'))
  assert.ok(data.includes('_SUCCESS') && data.some((name) => name.startsWith('date=')), data.join())
  const { table } = await sampleDataset(path.join(output, 'data'), { rows: 10_000 })
  assert.equal(table.rowCount, 5000)
  assert.ok(!table.columns.some((c) => c.name === 'ClientIP'), 'the excluded column is not in the output')
  const bytes = table.columns.find((c) => c.name === 'EdgeResponseBytes')
  assert.equal(bytes && sparkTypeDdl(bytes.sparkType), 'bigint', 'a kind override keeps the Spark type')
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'http_requests-synthetic' }).first().waitFor()
  assert.deepEqual(await leftovers(run), [])
}

/** The report in a group of its own below the editor's, which keeps its width: every heading of the grid in view. */
async function assertReportBelowTheEditor(page: Page, editor: Frame): Promise<void> {
  const groupOf = (title: string) =>
    page.locator('.editor-group-container', { has: page.locator('.tabs-container .tab', { hasText: title }) })
  const [above, below] = await Promise.all(
    ['http_requests.synth-meta.json', 'Quality: http_requests-synthetic'].map(async (title) =>
      defined(await groupOf(title).boundingBox(), title),
    ),
  )
  assert.ok(below.y >= above.y + above.height - 1, `the report's group lies below the editor's (${JSON.stringify({ above, below })})`)
  assert.ok(Math.abs(below.width - above.width) < 2, 'both groups span the same width')
  const hidden = await editor.evaluate(() =>
    Array.from(document.querySelectorAll('.row.header [role=columnheader]'))
      .filter((cell) => cell.getBoundingClientRect().right > document.documentElement.clientWidth)
      .map((cell) => cell.textContent),
  )
  assert.deepEqual(hidden, [], 'no heading of the column grid is cut off')
}

async function showQualityReportFromPalette(run: Run): Promise<void> {
  const { page } = run
  await page.locator('.tabs-container .tab', { hasText: 'Quality: http_requests-synthetic' }).locator('.codicon-close').click()
  await page.locator('.tabs-container .tab', { hasText: 'http_requests.synth-meta.json' }).click()
  await runCommand(page, 'Spark Synth: Show Quality Report')
  const report = await reportFrame(page)
  assert.match(await report.locator('h1').innerText(), /Synthetic data quality report/)
  // Back to one editor group for the steps that follow.
  await page.locator('.tabs-container .tab', { hasText: 'Quality: http_requests-synthetic' }).locator('.codicon-close').click()
  await page.locator('.tabs-container .tab', { hasText: 'http_requests.synth-meta.json' }).click()
  run.editor = await editorFrame(page, HTTP_REQUESTS_EDITOR)
}

async function generateOnSpark(run: Run): Promise<void> {
  const { page } = run
  const { sparkJob } = run.files
  await runCommand(page, 'Spark Synth: Generate on Spark…')
  const toast = page.locator('.notification-toast', { hasText: 'wrote the Spark job' })
  await toast.waitFor({ timeout: 30_000 })
  assert.match(await toast.innerText(), /spark-submit \S*http_requests\.spark-job\/generate_synthetic\.py --rows N --output PATH/)
  assert.deepEqual((await readdir(sparkJob)).sort(), ['generate_synthetic.py', 'model', 'spark_synth.zip'])
  assert.deepEqual((await readdir(path.join(sparkJob, 'model'))).sort(), ['model.json', 'weights.bin'])
  await screenshot(page, '11b-generate-on-spark')
  await toast.getByRole('button', { name: 'Copy Command' }).click()
  await waitFor('the notification is gone', async () => (await toast.count()) === 0)
  assert.deepEqual(await leftovers(run), [])
}

/** What the user typed into the Generate form outlives the editor: closed and reopened, it shows the same rows and seed. */
async function keepTypedValuesAcrossReopen(run: Run): Promise<void> {
  const { page } = run
  const frame = editorOf(run)
  await frame.locator('vscode-text-field.rows input').fill('2,500')
  await frame.locator('vscode-text-field.seed input').fill('-11')
  await page.locator('.tabs-container .tab', { hasText: 'http_requests.synth-meta.json' }).locator('.codicon-close').click()
  await openFromExplorer(page, 'http_requests.synth-meta.json')
  const reopened = await editorFrame(page, HTTP_REQUESTS_EDITOR)
  run.editor = reopened
  const valueOf = (field: string) => reopened.locator(`vscode-text-field.${field} input`).inputValue()
  await waitFor('the form shows what was typed', async () => (await valueOf('rows')) === '2500' && (await valueOf('seed')) === '-11')
  await screenshot(page, 'flow-1-typed-values-kept')
}

/** Temporary outputs (`<target>.<pid>.tmp`, `.old`, `.claim`) stay out of the Explorer; other files show. */
async function hideTemporaryOutputs(run: Run): Promise<void> {
  const { page } = run
  const { workspace } = run.files
  const temporary = path.join(workspace, 'http_requests-synthetic.4242.tmp')
  const claim = path.join(workspace, 'http_requests.synth-model.lock')
  const visible = path.join(workspace, 'notes.4242.txt')
  await mkdir(temporary)
  await writeFile(claim, '{}\n')
  await writeFile(visible, 'a file of the user\n')
  try {
    const rows = page.locator('.explorer-folders-view .monaco-list-row')
    await rows.filter({ hasText: 'notes.4242.txt' }).first().waitFor()
    assert.equal(await rows.filter({ hasText: 'http_requests-synthetic.4242.tmp' }).count(), 0, 'the temporary folder is not listed')
    assert.equal(await rows.filter({ hasText: 'http_requests.synth-model.lock' }).count(), 0, "a run's claim on the model is not listed")
  } finally {
    await rm(temporary, { recursive: true })
    await rm(claim)
    await rm(visible)
  }
}

/** Generate Sampling Snippet asks for a table on the cluster (never a laptop path) and the rows, and writes them into take_sample.py. */
async function generateSamplingSnippet(run: Run): Promise<void> {
  const { page } = run
  const { workspace } = run.files
  await runCommand(page, 'Spark Synth: Generate Sampling Snippet')
  const input = page.locator('.quick-input-widget input')
  await waitFor('the table is asked for', async () =>
    (await page.locator('.quick-input-widget').innerText()).includes('table to sample on the cluster'),
  )
  assert.equal(await input.inputValue(), '', 'no table is made up from the palette')
  await input.fill('sales.orders')
  await input.press('Enter')
  await waitFor('the rows are asked for', async () => (await page.locator('.quick-input-widget').innerText()).includes('How many rows'))
  assert.equal(await input.inputValue(), '50000', 'the row budget setting is offered')
  await input.fill('20,000')
  await screenshot(page, 'flow-2-sampling-snippet-rows')
  await input.press('Enter')
  // The save dialog (VS Code's own in the browser) offers take_sample.py in the workspace.
  await waitFor('the save dialog offers take_sample.py', async () => (await input.inputValue()).endsWith('take_sample.py'))
  await input.press('Enter')
  const snippet = path.join(workspace, 'take_sample.py')
  await waitFor('take_sample.py is written', () => Promise.resolve(existsSync(snippet)))
  const text = await readFile(snippet, 'utf8')
  assert.match(text, /^DEFAULT_TABLE = 'sales\.orders'$/m)
  assert.match(text, /^DEFAULT_ROWS = 20000$/m)
  assert.match(text, /^DEFAULT_OUTPUT = 'orders_sample'$/m)
  await activeTab(page).locator('.codicon-close').click()
  await rm(snippet)
}

/** The walkthrough takes a first-time user to the embedded Adult example, copied into the workspace and opened in the editor. */
async function walkThroughTheExample(run: Run): Promise<void> {
  const { page } = run
  await runCommand(page, 'Welcome: Open Walkthrough...')
  await pick(page, 'Synthetic data from a Spark table')
  const walkthrough = page.locator('.gettingStartedContainer')
  await walkthrough.getByText('Open the Adult example', { exact: true }).first().click()
  await screenshot(page, 'flow-3-walkthrough')
  await walkthrough.getByRole('button', { name: 'Open the Adult Example', exact: true }).click()
  const example = await editorFrame(page, `document.querySelector('.source-path')?.textContent === 'adult-example'`, 120_000)
  assert.match((await example.locator('.source-facts').innerText()).replace(/\s+/g, ' '), /Rows 32,561/)
  await screenshot(page, 'flow-4-example-opened')
  assert.ok(existsSync(path.join(run.files.workspace, 'adult-example.synth-meta.json')), 'the example has its metadata document')
  await page.locator('.tabs-container .tab', { hasText: 'adult-example.synth-meta.json' }).locator('.codicon-close').click()
  await page.locator('.tabs-container .tab', { hasText: 'Walkthrough: Spark Synth' }).locator('.codicon-close').click()
  // Opened from the palette, take_sample.py may have taken the place of the editor's preview tab: open it again.
  await openFromExplorer(page, 'http_requests.synth-meta.json')
  run.editor = await editorFrame(page, HTTP_REQUESTS_EDITOR)
}

async function closeEditorWhileTraining(run: Run): Promise<void> {
  const { page } = run
  const { model } = run.files
  const { trainedAt } = await readModelSummary(model)
  const training = editorOf(run)
  await training.locator('vscode-button.train').click()
  await waitFor('the training runs', () => trainingShows(training, /Training: epoch \d+ of 400/), 60_000)
  await activeTab(page).locator('.codicon-close').click()
  await waitFor(
    'the notification is gone',
    async () => (await page.locator('.notification-toast', { hasText: 'Spark Synth: training' }).count()) === 0,
  )
  await waitFor('the worker has cleaned up', async () => (await leftovers(run)).length === 0)
  assert.equal((await readModelSummary(model)).trainedAt, trainedAt, 'the model is the one trained before')
  await openFromExplorer(page, 'http_requests.synth-meta.json')
  const reopened = await editorFrame(page, HTTP_REQUESTS_EDITOR)
  run.editor = reopened
  await waitFor('the editor says the training was cancelled', () => trainingShows(reopened, /Training cancelled/))
}

async function trainWhileTheCliTrains(run: Run): Promise<void> {
  const { model, workspace } = run.files
  const { trainedAt } = await readModelSummary(model)
  const cli = spawn(process.execPath, [CLI, 'train', path.join(workspace, 'http_requests'), '-o', model, '--epochs', '400'])
  let said = ''
  cli.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve))
  try {
    await waitFor('the CLI trains into the model folder', () => Promise.resolve(said.includes('epoch 1/')), 60_000)
    const frame = editorOf(run)
    await frame.locator('vscode-button.train').click()
    await waitFor('the editor is told who writes the model', () =>
      trainingShows(frame, /Training failed: .*another run is writing here: training on .*http_requests \(process \d+ on /),
    )
    await run.page.locator('.notification-toast', { hasText: 'another run is writing here' }).waitFor()
    await screenshot(run.page, '11b-told-another-run-trains')
  } finally {
    cli.kill('SIGINT')
  }
  assert.equal(await exited, 130, said)
  assert.equal((await readModelSummary(model)).trainedAt, trainedAt, 'the model is the one trained before')
  assert.deepEqual(await leftovers(run), [])
}

async function switchToTextAndBack(run: Run): Promise<void> {
  const { page } = run
  const tabs = page.locator('.tabs-container .tab', { hasText: 'http_requests.synth-meta.json' })
  await page.locator('.editor-actions [aria-label^="Open as Text"]').click()
  await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: '"version": 1' }).waitFor()
  await waitFor('the text editor replaces the metadata editor', async () => (await tabs.count()) === 1)
  await screenshot(page, '12-reopened-as-text')
  await page.locator('.editor-actions [aria-label^="Edit Metadata"]').click()
  const editor = await editorFrame(page, HTTP_REQUESTS_EDITOR)
  run.editor = editor
  assert.ok(await excluded(editor, 'ClientIP'))
  assert.equal(await tabs.count(), 1)
}

async function showInvalidDocument(run: Run): Promise<void> {
  const { page } = run
  await openFromExplorer(page, 'broken.synth-meta.json')
  const frame = await editorFrame(page, `!document.querySelector('.problem').hidden`)
  assert.match(await frame.locator('.problem-message').innerText(), /broken\.synth-meta\.json: the metadata is not valid JSON/)
  assert.ok(await frame.locator('.editor').isHidden())
  await screenshot(page, '13-invalid-document')
}

async function scrollWideDocument(run: Run): Promise<void> {
  const { page } = run
  await openFromExplorer(page, 'wide.synth-meta.json')
  const frame = await editorFrame(page, WIDE_EDITOR)
  await row(frame, 'col_000').waitFor()
  assert.equal(await frame.locator('.grid').getAttribute('aria-rowcount'), String(WIDE_COLUMNS + 1))
  const rendered = await frame.locator('.canvas .row').count()
  assert.ok(rendered < 60, `${rendered} rows in the DOM for ${WIDE_COLUMNS} columns`)
  await screenshot(page, '14-wide-top')

  await row(frame, 'col_000').locator('.column-name').focus()
  const pressed = Date.now()
  await page.keyboard.press('End')
  await frame.locator('.details .detail-title', { hasText: 'col_249' }).waitFor()
  run.diagnostic(`End to the last of ${WIDE_COLUMNS} rows drawn in ${Date.now() - pressed} ms`)
  const grid = defined(await frame.locator('.grid').boundingBox(), 'the grid on screen')
  const last = defined(await row(frame, 'col_249').boundingBox(), 'the row of col_249 on screen')
  assert.ok(last.y >= grid.y && last.y + last.height <= grid.y + grid.height + 1, 'the last row is scrolled into view')
  assert.ok((await row(frame, 'col_000').count()) === 0, 'rows scrolled out of view leave the DOM')
  assert.ok((await frame.locator('.canvas .row').count()) < 60)
  assert.equal(await frame.evaluate(() => document.activeElement?.closest('.row')?.querySelector('.name-text')?.textContent), 'col_249')

  await page.keyboard.press('ArrowUp')
  await frame.locator('.details .detail-title', { hasText: 'col_248' }).waitFor()
  await frame.locator('.grid').hover()
  await page.mouse.wheel(0, -3000)
  await waitFor(
    'wheel scrolling draws other rows',
    async () => (await row(frame, 'col_180').count()) + (await row(frame, 'col_160').count()) > 0,
  )
  await screenshot(page, '15-wide-scrolled')
  run.wide = frame
}

/** The focused control as `<column> <tag>[.<role class>]`, e.g. `col_101 vscode-checkbox.exclude`. */
function focusedControl(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const active = document.activeElement
    const named = ['column-name', 'nullable', 'exclude', 'protect', 'target-dropdown'].find((name) => active?.classList.contains(name))
    return `${active?.closest('.row')?.querySelector('.name-text')?.textContent ?? ''} ${active?.tagName.toLowerCase() ?? ''}${named ? `.${named}` : ''}`.trim()
  })
}

async function editWithTheKeyboard(run: Run): Promise<void> {
  const { page } = run
  const frame = wideOf(run)
  await frame.locator('vscode-text-field.filter').click()
  await page.keyboard.type('col_10')
  await waitFor('the filter keeps col_100 to col_109', async () => (await frame.locator('.canvas .row').count()) === 10)
  assert.equal(await frame.locator('.grid').getAttribute('aria-rowcount'), '11')
  await page.keyboard.press('Tab')
  assert.equal(await focusedControl(frame), 'vscode-dropdown.target-dropdown', 'Tab from the filter lands on the target picker')
  await page.keyboard.press('Tab')
  assert.equal(await focusedControl(frame), 'col_100 button.column-name', 'then on the selected row')
  await page.keyboard.press('ArrowDown')
  assert.equal(await focusedControl(frame), 'col_101 button.column-name')
  await frame.locator('.details .detail-title', { hasText: 'col_101' }).waitFor()
  await page.keyboard.press('Tab')
  assert.equal(await focusedControl(frame), 'col_101 vscode-dropdown', 'then its kind')
  await page.keyboard.press('Tab')
  assert.equal(await focusedControl(frame), 'col_101 vscode-checkbox.nullable', 'then nullable')
  await page.keyboard.press('Tab')
  assert.equal(await focusedControl(frame), 'col_101 vscode-checkbox.exclude', 'then exclude')
  await page.keyboard.press('Space')
  await waitFor('Space excludes the column', () => summaryShows(frame, '1 excluded'))
  await page.keyboard.press('Tab')
  assert.equal(await focusedControl(frame), 'col_101 vscode-dropdown', 'then sensitive handling')
  await page.keyboard.press('ArrowDown')
  await waitFor('ArrowDown picks the next handling', () => summaryShows(frame, '1 marked sensitive'))
  await page.keyboard.press('Tab')
  assert.equal(await focusedControl(frame), 'col_101 vscode-checkbox.protect', 'then value protection')
  await page.keyboard.press('Space')
  await waitFor(
    'Space turns protection off',
    async () => (await row(frame, 'col_101').locator('vscode-checkbox.protect').getAttribute('aria-checked')) === 'false',
  )
  await page.keyboard.press('Tab')
  assert.equal(await frame.evaluate(() => document.activeElement?.className), 'details', 'and on to the details panel')
  assert.ok(await isDirty(page))
  await screenshot(page, '16-keyboard-edits')

  await page.locator('.tabs-container .tab', { hasText: 'http_requests.synth-meta.json' }).click()
  await editorFrame(page, HTTP_REQUESTS_EDITOR)
  await page.locator('.tabs-container .tab', { hasText: 'wide.synth-meta.json' }).click()
  const wide = await editorFrame(page, WIDE_EDITOR)
  run.wide = wide
  await wide.locator('.details .detail-title', { hasText: 'col_101' }).waitFor()
  assert.equal(await wide.locator('.canvas .row').count(), 10, 'the filter survives switching tabs')
  assert.ok(await excluded(wide, 'col_101'))
}

async function followThemes(run: Run): Promise<void> {
  const { page } = run
  const frame = wideOf(run)
  for (const [theme, bodyClass, name] of [
    ['Light Modern', 'vscode-light', '17-light-theme'],
    ['Dark High Contrast', 'vscode-high-contrast', '18-high-contrast-theme'],
  ]) {
    await runCommand(page, 'Preferences: Color Theme')
    await pick(page, theme)
    await waitFor(`the webview takes the ${theme} theme`, async () =>
      (await frame.evaluate(() => document.body.className)).split(' ').includes(bodyClass),
    )
    // The page's background is the theme's editor background, not a fixed colour.
    const [pageBackground, editorBackground] = await frame.evaluate(() => [
      getComputedStyle(document.body).backgroundColor,
      getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background'),
    ])
    assert.ok(editorBackground.trim(), 'the theme variables reach the page')
    assert.equal(pageBackground, hexToRgb(editorBackground.trim()))
    await screenshot(page, name)
  }
  // Back to the workspace's theme for the steps after.
  await runCommand(page, 'Preferences: Color Theme')
  await pick(page, 'Dark Modern')
  await waitFor('the webview is dark again', async () =>
    (await frame.evaluate(() => document.body.className)).split(' ').includes('vscode-dark'),
  )
}

async function refuseInvalidMessages(run: Run): Promise<void> {
  const { page } = run
  const frame = wideOf(run)
  const before = await summaryOf(frame)
  // What a compromised or buggy page could post, through the channel the page's API uses
  // (VS Code hides it from the page itself once the API is set up).
  await defined(frame.parentFrame(), 'the frame hosting the webview').evaluate(() => {
    const post = (window as unknown as { __vscode_post_message__: (channel: string, data: unknown) => void }).__vscode_post_message__
    post('onmessage', { message: { type: 'editColumn', index: 0, name: 'col_000', field: 'kind', value: 'float' } })
    post('onmessage', { message: { type: 'editColumn', index: 9999, name: 'col_000', field: 'exclude', value: true } })
    post('onmessage', { message: { type: 'editColumn', index: 0, name: 'col_001', field: 'exclude', value: true } })
    post('onmessage', { message: { type: 'editTarget', column: 'no_such_column' } })
  })
  await runCommand(page, 'Spark Synth: Show Log')
  const log = page.locator('.part.panel .monaco-editor .view-lines')
  await waitFor('the log names the four refused messages', async () => {
    // The panel wraps long lines anywhere, JSON included: compare without white space.
    const bare = (text: string) => text.replace(/\s+/g, '')
    const text = bare(await log.innerText().catch(() => ''))
    return [
      'ignored an invalid message from the webview: {"type":"editColumn","index":0,"name":"col_000","field":"kind","value":"float"}',
      'column index 9999 is out of range (the document has 250 columns)',
      'column 0 is "col_000", not "col_001"',
      'the target "no_such_column" is not a column of the document',
    ].every((line) => text.includes(bare(line)))
  })
  assert.equal(await summaryOf(frame), before, 'no exclusion or kind changed')
  await screenshot(page, '19-refused-messages-logged')
  // A clean screen for the steps after: the log panel and earlier notifications away.
  await runCommand(page, 'View: Hide Panel')
  await runCommand(page, 'Notifications: Clear All Notifications')
  await waitFor('the panel is hidden', async () => !(await page.locator('.part.panel').isVisible()))
}

async function pickTargetThenGenerate(run: Run): Promise<void> {
  const { page } = run
  const metadataFile = path.join(run.files.workspace, 'adult.synth-meta.json')
  await openFromExplorer(page, 'adult.synth-meta.json')
  const frame = await editorFrame(page, ADULT_EDITOR, 60_000)
  const picker = frame.locator('.target vscode-dropdown')
  const hint = frame.locator('.target-hint')
  assert.match(await hint.innerText(), /^Pick a label to measure utility/)
  // From the keyboard: the list opens under the log panel. income is Adult's last column, the last option.
  await picker.focus()
  await page.keyboard.press('End')
  await waitFor('the target reaches the document', async () => (await hint.innerText()).startsWith('The report predicts income'))
  // Out of the dropdown first: its type-ahead would take the S of Ctrl+S for "sex".
  await frame.locator('.source-path').click()
  await page.keyboard.press('Control+S')
  await waitFor('the tab is saved', async () => !(await isDirty(page)))
  assert.equal(parseMetadata(await readFile(metadataFile, 'utf8'), metadataFile).target, 'income')
  await screenshot(page, '20-target-picked')
  await frame.locator('vscode-button.train').click()
  await waitFor('the model is trained', () => trainingShows(frame, /Model trained .* on 540 rows/), 180_000)
  await page.locator('.notification-toast', { hasText: 'is trained' }).waitFor()
  await runCommand(page, 'Notifications: Clear All Notifications')
  await screenshot(page, '20b-adult-trained')
  await frame.locator('vscode-button.generate').click()
  let report: Frame | undefined
  await waitFor(
    'the adult report opens, with utility on income',
    async () => {
      for (const candidate of page.frames()) {
        const text = await candidate.evaluate(() => document.body.innerText).catch(() => '')
        if (/Utility: a classifier for income = >50K scored on the holdout: ROC AUC \d\.\d{3} trained on synthetic rows/.test(text))
          report = candidate
      }
      return report !== undefined
    },
    180_000,
  )
  assert.match(
    await defined(report, 'the report').locator('body').innerText(),
    /TSTR AUC ratio\s+\d\.\d{3}/,
    'the utility figure has a value',
  )
  await screenshot(page, '21-report-with-utility')
}

/** What the training steps (test/e2e/trainingSteps.ts) need of the run. */
const trainingStep = (run: Run) => ({ page: run.page, frame: editorOf(run), files: run.files, screenshot })

/** The user's steps in order; each builds on what the steps before it did. */
const STEPS: readonly (readonly [name: string, body: (run: Run) => Promise<void>])[] = [
  ['Extract Metadata from the Explorer context menu opens the metadata editor', extractMetadataFromExplorer],
  ['change a kind and exclude a column; the tab turns dirty; undo and redo', editThenUndoAndRedo],
  ['Ctrl+S saves: the JSON on disk holds exactly the two edits', saveWithCtrlS],
  ['the privacy band switches differential privacy on and off in the document', choosePrivacy],
  ['the target picker offers no column of http_requests and says why', showTargetPicker],
  ['the details panel draws the statistics of the selected column', showColumnDetails],
  ["Adult's editor guides: kinds fitting an int column, what mask writes for workclass, capital-gain on a log scale", showGuidance],
  [
    "Adult's workclass hints that '?' marks missing values: Treat as null moves it to the nulls, Ctrl+Z brings it back",
    treatSentinelAsNull,
  ],
  [
    "Adult's Rules view: a proposed combination rejected and accepted again, age >= 17 added by hand, an expression naming no column refused",
    editRules,
  ],
  ['Train from the editor, then cancel: progress shows in the editor and a notification, and nothing is written', trainThenCancel],
  ['the training band sets 3 epochs and a small model in the document, undoably', (run) => chooseTrainingControls(trainingStep(run))],
  ['Train again to the end: the loss chart and the model', trainToTheEnd],
  [
    "the loss chart has axes and the holdout's line beside training's; the settings' epochs again",
    (run) => showLossChart(trainingStep(run)),
  ],
  [
    'the Data preview tab, reached by keyboard, shows 200 real rows of http_requests in a windowed grid',
    (run) => previewRealRows(run, screenshot),
  ],
  [
    'Draw synthetic rows shows 200 rows fresh from the model beside the real ones; back to the Columns view',
    (run) => previewSyntheticRows(run, screenshot),
  ],
  ['Generate 5,000 rows: a Spark folder, the PySpark snippets and the quality report, which opens', generateRows],
  ['Show Quality Report from the palette brings the report back', showQualityReportFromPalette],
  ['Generate on Spark… from the palette writes the Spark job beside the document and says how to run it', generateOnSpark],
  ['the Generate form keeps typed rows and seed when the editor is closed and reopened', keepTypedValuesAcrossReopen],
  ['temporary outputs are hidden from the Explorer', hideTemporaryOutputs],
  ['Generate Sampling Snippet asks for the cluster table and the rows', generateSamplingSnippet],
  ['the walkthrough opens the embedded Adult example in the metadata editor', walkThroughTheExample],
  ['Closing the editor while training stops the run: the previous model stays and nothing half-written remains', closeEditorWhileTraining],
  ['Train while the CLI trains into the same model folder: the editor is told who holds it, and the model stays', trainWhileTheCliTrains],
  ['Open as Text and Edit Metadata switch between the text editor and the metadata editor', switchToTextAndBack],
  ['an invalid document shows the validation error instead of the table', showInvalidDocument],
  [`a ${WIDE_COLUMNS}-column document renders only the rows in view and scrolls to the end`, scrollWideDocument],
  [
    "the wide document's Data preview shows its first 40 columns and says its source is missing and what to do",
    (run) => previewMissingSource(run, screenshot),
  ],
  ['the keyboard reaches every control of the selected row and edits with Space and arrows', editWithTheKeyboard],
  ['the editor follows the light and high-contrast themes', followThemes],
  ['messages the page should never send are logged and ignored', refuseInvalidMessages],
  ["pick Adult's income as the target, train and generate: the report measures utility on it", pickTargetThenGenerate],
]

test('the metadata editor in the real VS Code (code-server), driven as a user would', { timeout: 15 * 60_000 }, async (t: TestContext) => {
  const started = Date.now()
  const run = await startWorkbench(t)
  t.diagnostic(`workbench up after ${((Date.now() - started) / 1000).toFixed(1)} s`)

  let failed: string | undefined
  for (const [name, body] of STEPS) {
    await t.test(name, failed ? { skip: `"${failed}" failed` } : {}, async () => {
      try {
        await body(run)
      } catch (error) {
        failed = name
        await screenshot(run.page, `failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined)
        throw error
      }
    })
  }

  assert.deepEqual(run.webviewErrors, [], 'the webview logged no errors and no CSP violation')
  t.diagnostic(`end-to-end run took ${((Date.now() - started) / 1000).toFixed(1)} s`)
})
