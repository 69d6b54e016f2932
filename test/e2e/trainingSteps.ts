/**
 * The training band and the loss chart, as a user meets them in the metadata editor: epochs and model size
 * chosen in the editor reach the document (undoably), the next training takes them, and the chart shows
 * both losses on axes. The steps run between e2e.test.ts's cancelled and completed trainings.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Frame, Page } from 'playwright-core'
import { parseMetadata } from '../../src/core/meta/metadataFile.ts'
import { isDirty, waitFor } from './editorPage.ts'

export interface TrainingStep {
  readonly page: Page
  /** The metadata editor of http_requests. */
  readonly frame: Frame
  readonly files: { readonly metadataFile: string; readonly model: string }
  readonly screenshot: (page: Page, name: string) => Promise<string>
}

const summaryOf = (frame: Frame) => frame.locator('details.training summary').innerText()

async function savedTraining({ page, files }: TrainingStep) {
  await page.keyboard.press('Control+S')
  await waitFor('the tab is saved', async () => !(await isDirty(page)))
  return parseMetadata(await readFile(files.metadataFile, 'utf8'), files.metadataFile).training
}

/** Types into a band's text field and leaves it with Enter, which commits it as a change. */
async function typeInto(frame: Frame, field: string, text: string): Promise<void> {
  const input = frame.locator(`vscode-text-field.${field} input`)
  await input.fill(text)
  await input.press('Enter')
}

export async function chooseTrainingControls(step: TrainingStep): Promise<void> {
  const { page, frame } = step
  // The workspace's settings choose 400 epochs (e2e.test.ts), which the band shows where the document is silent.
  assert.equal(await summaryOf(frame), 'Training: 400 epochs · no time limit · medium model')
  await frame.locator('details.training summary').click()
  const epochs = frame.locator('vscode-text-field.epochs')
  assert.equal(await epochs.locator('input').inputValue(), '400')
  assert.equal(await epochs.getAttribute('title'), 'From the settings (the document does not choose it)')
  await typeInto(frame, 'epochs', '3')
  await waitFor('the epochs reach the document', async () => (await summaryOf(frame)).startsWith('Training: 3 epochs'))
  assert.equal(await epochs.getAttribute('title'), 'Chosen in this document')
  // A time budget that does not read is refused in place, and the document keeps none.
  await typeInto(frame, 'time-budget', 'soon')
  await frame.locator('details.training .form-error', { hasText: 'Time budget must be a time above 0' }).waitFor()
  assert.equal(await frame.locator('vscode-text-field.time-budget').getAttribute('aria-invalid'), 'true')
  await typeInto(frame, 'time-budget', '')
  const size = frame.locator('vscode-dropdown.model-size')
  await size.click()
  await size.locator('vscode-option[value="small"]').click()
  await waitFor(
    'the size reaches the document',
    async () => (await summaryOf(frame)) === 'Training: 3 epochs · no time limit · small model',
  )
  assert.ok(await isDirty(page), 'the tab shows unsaved changes')
  await step.screenshot(page, 'training-1-controls')

  // Undone and redone like a column edit, with the focus out of the dropdown, whose type-ahead takes letters.
  await frame.locator('details.training .hint').click()
  await page.keyboard.press('Control+Z')
  await waitFor(
    'undo restores the medium model',
    async () => (await summaryOf(frame)) === 'Training: 3 epochs · no time limit · medium model',
  )
  await page.keyboard.press('Control+Shift+Z')
  await waitFor('redo chooses small again', async () => (await summaryOf(frame)) === 'Training: 3 epochs · no time limit · small model')
  assert.deepEqual(await savedTraining(step), { epochs: 3, modelSize: 'small' })
  await frame.locator('details.training summary').click()
}

export async function showLossChart(step: TrainingStep): Promise<void> {
  const { page, frame, files } = step
  const manifest = JSON.parse(await readFile(path.join(files.model, 'model.json'), 'utf8')) as {
    model: { hidden: number[] }
    training: { epochs: { holdoutLoss?: number }[] }
  }
  assert.deepEqual(manifest.model.hidden, [64, 64], 'the small model trained')
  assert.equal(manifest.training.epochs.length, 3)
  assert.ok(
    manifest.training.epochs.every((epoch) => Number.isFinite(epoch.holdoutLoss)),
    'the holdout loss is recorded',
  )

  const chart = frame.locator('svg.loss-chart')
  for (const line of ['loss-line', 'holdout-line'])
    assert.match(
      (await chart.locator(`path.${line}`).getAttribute('d')) ?? '',
      /^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+){2}$/,
      `the ${line} has 3 points`,
    )
  const ticks = await chart.locator('.loss-axes text').allTextContents()
  assert.deepEqual(ticks.slice(-3), ['1', '2', '3'], 'epoch ticks')
  assert.ok(ticks.length >= 5, `loss ticks too: ${ticks.join(', ')}`)
  assert.ok(await chart.locator('.legend-entry.legend-holdout').isVisible(), 'the legend names the holdout')
  assert.match(
    (await chart.getAttribute('aria-label')) ?? '',
    /^Loss by epoch over 3 epochs: training [\d.]+ → [\d.]+, holdout [\d.]+ → [\d.]+$/,
  )
  await step.screenshot(page, 'training-2-loss-chart')

  // Later steps train for the settings' 400 epochs again: an emptied field removes the document's choice.
  await frame.locator('details.training summary').click()
  await typeInto(frame, 'epochs', '')
  await waitFor(
    'the settings choose the epochs again',
    async () => (await summaryOf(frame)) === 'Training: 400 epochs · no time limit · small model',
  )
  assert.deepEqual(await savedTraining(step), { modelSize: 'small' })
  await frame.locator('details.training summary').click()
}
