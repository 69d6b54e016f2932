/** The e2e steps of the Rules view: a detected rule rejected and accepted again, a rule added by hand, a hostile one refused. */
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Frame, Page } from 'playwright-core'
import { formatCount } from '../../src/core/formatCount.ts'
import { parseMetadata } from '../../src/core/meta/metadataFile.ts'
import { describeRule, type Rule } from '../../src/core/rules/rule.ts'
import { ADULT_EDITOR, HTTP_REQUESTS_EDITOR, isDirty, screenshot, waitFor } from './editorPage.ts'
import { editorFrame, openFromExplorer } from './workbench.ts'

const ruleItems = (frame: Frame) => frame.locator('.rules-view .rule-list > li')
const tabLabel = (frame: Frame) => frame.locator('#rules-tab').innerText()

/**
 * Drives the Rules view on Adult's document as extraction wrote it (the workbench setup's), whose detected rules
 * include the combination of education and education-num: reject it, accept it, add `age` >= 17, refuse an expression
 * naming a column that does not exist. Each change is saved and read back from disk. The document is written back as it
 * was, and its tab closed, so that the later steps see Adult as extracted; the http_requests editor is active again.
 */
export async function editRules(run: {
  readonly page: Page
  readonly files: { readonly workspace: string }
  editor?: Frame
}): Promise<void> {
  const { page } = run
  const file = path.join(run.files.workspace, 'adult.synth-meta.json')
  const original = await readFile(file, 'utf8')
  const extracted = parseMetadata(original, file)
  const detected = extracted.rules ?? []
  const at = detected.findIndex((rule) => rule.kind === 'combination')
  assert.ok(at >= 0, `extraction proposes Adult's combination: ${detected.map(describeRule).join('; ')}`)
  const combination = detected[at]
  assert.deepEqual(combination.kind === 'combination' && combination.columns, ['education', 'education-num'])
  const n = detected.length
  const withCombination = (status: Rule['status']) => detected.map((rule, i) => (i === at ? { ...rule, status } : rule))
  const saved = async () => {
    await frame.locator('.rules-summary').click()
    await page.keyboard.press('Control+S')
    await waitFor('the tab is saved', async () => !(await isDirty(page)))
    return parseMetadata(await readFile(file, 'utf8'), file).rules
  }

  await openFromExplorer(page, 'adult.synth-meta.json')
  const frame = await editorFrame(page, ADULT_EDITOR, 60_000)
  assert.equal(await tabLabel(frame), `Rules (${n})`, 'the tab counts the kept rules')
  // By keyboard: from the Columns tab, End moves to the last tab, Rules, and shows it.
  await frame.locator('#columns-tab').focus()
  await page.keyboard.press('End')
  await frame.locator('#rules-panel').waitFor()
  assert.equal(await frame.locator('#rules-tab').getAttribute('aria-selected'), 'true')
  const first = ruleItems(frame).nth(at)
  assert.equal(await first.locator('.rule-text').innerText(), describeRule(combination))
  assert.equal(
    await first.locator('.rule-source').innerText(),
    `detected · held on all ${formatCount(extracted.source.sampleSize)} sampled rows`,
  )
  assert.equal(await first.locator('.rule-status').innerText(), 'proposed: kept unless rejected')
  assert.equal(await first.locator('.rule-remove').count(), 0, 'a detected rule is rejected, not removed')
  await screenshot(page, 'rules-1-proposed')

  await frame.getByRole('button', { name: `Reject rule ${at + 1}` }).click()
  await waitFor('the rule reads rejected', async () => (await first.locator('.rule-status').innerText()) === 'rejected: not kept')
  assert.equal(await tabLabel(frame), `Rules (${n - 1})`)
  assert.ok(await isDirty(page), 'an edit of the document')
  assert.deepEqual(await saved(), withCombination('rejected'))
  await screenshot(page, 'rules-2-rejected')

  await frame.getByRole('button', { name: `Accept rule ${at + 1}` }).click()
  await waitFor('the rule reads accepted', async () => (await first.locator('.rule-status').innerText()) === 'accepted: kept')
  assert.equal(await frame.getByRole('button', { name: `Accept rule ${at + 1}` }).getAttribute('aria-pressed'), 'true')
  assert.deepEqual(await saved(), withCombination('accepted'))

  const form = frame.locator('form.rule-form')
  await form.locator('select.rule-kind').selectOption('range')
  const offered = await form.locator('select.rule-column option').allInnerTexts()
  assert.ok(offered.includes('age') && !offered.includes('workclass'), `a range offers numeric columns only: ${offered.join(', ')}`)
  await form.locator('select.rule-column').selectOption('age')
  await form.getByLabel('Min', { exact: true }).fill('17')
  await form.getByRole('button', { name: 'Add rule' }).click()
  await waitFor('the rule is listed', async () => (await ruleItems(frame).count()) === n + 1)
  const added = ruleItems(frame).nth(n)
  assert.equal(await added.locator('.rule-text').innerText(), '17 <= `age`')
  assert.equal(await added.locator('.rule-source').innerText(), 'added by you')
  assert.equal(await tabLabel(frame), `Rules (${n + 1})`)
  const withRange = [...withCombination('accepted'), { kind: 'range', column: 'age', min: 17, status: 'accepted', origin: 'user' }]
  assert.deepEqual(await saved(), withRange)
  await screenshot(page, 'rules-3-added')

  const before = await readFile(file, 'utf8')
  await form.locator('select.rule-kind').selectOption('expression')
  await form.locator('select.rule-column').selectOption('hours-per-week')
  await form.getByLabel('Equals').fill('`age` + `nope`')
  await form.getByRole('button', { name: 'Add rule' }).click()
  const error = frame.locator('.rules-view .rule-error')
  await error.waitFor()
  assert.equal(
    await error.innerText(),
    `rule ${n + 2} (\`hours-per-week\` = \`age\` + \`nope\`) names \`nope\`, which is not a column of the table`,
  )
  assert.equal(await error.getAttribute('role'), 'alert')
  assert.equal(await ruleItems(frame).count(), n + 1)
  assert.ok(!(await isDirty(page)), 'the document is untouched')
  assert.equal(await readFile(file, 'utf8'), before)
  await screenshot(page, 'rules-4-refused')

  await frame.getByRole('button', { name: `Remove rule ${n + 1}` }).click()
  await waitFor('the rule is removed', async () => (await ruleItems(frame).count()) === n)
  await frame.locator('.rules-summary').click()
  await page.keyboard.press('Control+Z')
  await waitFor('undo brings it back, as saved', async () => (await ruleItems(frame).count()) === n + 1 && !(await isDirty(page)))

  // Adult as extracted again for the later steps: the editor follows the file changed on disk.
  await writeFile(file, original)
  await waitFor('the editor shows the file as extracted', async () => (await tabLabel(frame)) === `Rules (${n})` && !(await isDirty(page)))
  await frame.locator('#columns-tab').click()
  await page.locator('.tabs-container .tab.active', { hasText: 'adult.synth-meta.json' }).locator('.codicon-close').click()
  await waitFor(
    'the Adult tab is closed',
    async () => (await page.locator('.tabs-container .tab', { hasText: 'adult.synth-meta.json' }).count()) === 0,
  )
  run.editor = await editorFrame(page, HTTP_REQUESTS_EDITOR)
}
