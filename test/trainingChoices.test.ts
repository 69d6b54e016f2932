import assert from 'node:assert/strict'
import { test } from 'node:test'
import { extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { parseMetadata, serializeMetadata } from '../src/core/meta/metadataFile.ts'
import { DEFAULT_MODEL_SIZE, MAX_CHOSEN_EPOCHS, settingsSection, trainingChoices } from '../src/core/meta/trainingChoices.ts'
import { DEFAULT_MADE } from '../src/core/model/made.ts'
import { hiddenWidths } from '../src/core/model/modelSize.ts'
import { parseEpochs, parseTimeBudget } from '../src/core/numberInput.ts'
import { metadataSchema } from '../src/core/schemas/metadataSchema.ts'
import { applyTrainingEdit } from '../src/host/trainingEdit.ts'
import { isWebviewToHost } from '../src/protocol/webview.ts'
import { formatTimeBudget, trainingSummary } from '../webview/trainingChoices.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { writeSmallTable } from './support/smallTable.ts'

async function smallDocument(): Promise<MetadataDocument> {
  const { summary, table } = await sampleDataset(await writeSmallTable())
  return extractMetadata(summary, table)
}

test('each training choice comes from the first source that states it, else the second, else the default', () => {
  const none = trainingChoices(undefined, undefined)
  assert.deepEqual(none, {
    epochs: null,
    timeBudgetSeconds: null,
    modelSize: DEFAULT_MODEL_SIZE,
    fromFirst: { epochs: false, timeBudgetSeconds: false, modelSize: false },
  })
  // The CLI: its flags, then the document.
  const document = { epochs: 30, timeBudgetSeconds: 600, modelSize: 'large' as const }
  assert.deepEqual(trainingChoices({ epochs: 3 }, document), {
    epochs: 3,
    timeBudgetSeconds: 600,
    modelSize: 'large',
    fromFirst: { epochs: true, timeBudgetSeconds: false, modelSize: false },
  })
  assert.deepEqual(trainingChoices({ epochs: undefined, modelSize: 'small' }, document).modelSize, 'small')
  // The editor: the document, then the settings (0 there: automatic, no limit).
  const settings = settingsSection({ epochs: 50, timeBudgetSeconds: 0, modelSize: 'small' })
  assert.deepEqual(settings, { epochs: 50, modelSize: 'small' })
  assert.deepEqual(trainingChoices({ modelSize: 'large' }, settings), {
    epochs: 50,
    timeBudgetSeconds: null,
    modelSize: 'large',
    fromFirst: { epochs: false, timeBudgetSeconds: false, modelSize: true },
  })
  assert.deepEqual(settingsSection({ epochs: 0, timeBudgetSeconds: 90, modelSize: 'medium' }), {
    timeBudgetSeconds: 90,
    modelSize: 'medium',
  })
})

test('model sizes: medium is the network every model had, small halves its widths and large doubles them', () => {
  assert.deepEqual(hiddenWidths('medium'), DEFAULT_MADE.hidden)
  assert.deepEqual(hiddenWidths('small'), [64, 64])
  assert.deepEqual(hiddenWidths('large'), [256, 256])
})

test('the metadata schema takes a training section and refuses one out of range', async () => {
  const document = await smallDocument()
  const read = (training: unknown) => parseMetadata(JSON.stringify({ ...document, training }), 'cities.synth-meta.json')
  assert.deepEqual(read({ epochs: 3, timeBudgetSeconds: 90.5, modelSize: 'small' }).training, {
    epochs: 3,
    timeBudgetSeconds: 90.5,
    modelSize: 'small',
  })
  assert.deepEqual(read({}).training, {})
  assert.equal(parseMetadata(serializeMetadata(document), 'cities.synth-meta.json').training, undefined, 'absent in older documents')
  for (const [what, training] of [
    ['no epochs', { epochs: 0 }],
    ['a fraction of an epoch', { epochs: 2.5 }],
    ['too many epochs', { epochs: MAX_CHOSEN_EPOCHS + 1 }],
    ['a time budget of 0', { timeBudgetSeconds: 0 }],
    ['an unknown size', { modelSize: 'huge' }],
    ['an unknown field', { hidden: [32] }],
    ['not an object', 'small'],
  ] as const)
    assert.throws(() => read(training), /training/, what)
  assert.equal(metadataSchema.properties.training.properties.epochs.maximum, MAX_CHOSEN_EPOCHS)
})

test('editTraining is validated, applied to the document, and a choice removed leaves no empty section', async () => {
  assert.ok(isWebviewToHost({ type: 'editTraining', field: 'epochs', value: 3 }))
  assert.ok(isWebviewToHost({ type: 'editTraining', field: 'timeBudgetSeconds', value: null }))
  assert.ok(isWebviewToHost({ type: 'editTraining', field: 'modelSize', value: 'large' }))
  for (const refused of [
    { type: 'editTraining', field: 'epochs', value: 0 },
    { type: 'editTraining', field: 'epochs', value: 1.5 },
    { type: 'editTraining', field: 'epochs', value: MAX_CHOSEN_EPOCHS + 1 },
    { type: 'editTraining', field: 'timeBudgetSeconds', value: -1 },
    { type: 'editTraining', field: 'timeBudgetSeconds', value: Infinity },
    { type: 'editTraining', field: 'modelSize', value: 'huge' },
    { type: 'editTraining', field: 'hidden', value: [32] },
    { type: 'editTraining', field: 'epochs', value: 3, extra: true },
  ])
    assert.ok(!isWebviewToHost(refused), JSON.stringify(refused))

  const document = await smallDocument()
  const sized = applyTrainingEdit(applyTrainingEdit(document, { field: 'epochs', value: 3 }), { field: 'modelSize', value: 'small' })
  const saved = (edited: MetadataDocument) => parseMetadata(serializeMetadata(edited), 'cities.synth-meta.json')
  assert.deepEqual(saved(sized).training, { epochs: 3, modelSize: 'small' })
  assert.deepEqual(saved(sized).columns, document.columns, 'nothing else changes')
  assert.deepEqual(saved(applyTrainingEdit(sized, { field: 'epochs', value: null })).training, { modelSize: 'small' })
  const undone = applyTrainingEdit(applyTrainingEdit(sized, { field: 'epochs', value: null }), { field: 'modelSize', value: null })
  assert.equal(serializeMetadata(undone), serializeMetadata(document), 'every choice removed: the document reads as before')
})

test('epochs and time budgets read as typed, and the band says the choices in a line', () => {
  assert.deepEqual(parseEpochs(' 30 ', MAX_CHOSEN_EPOCHS), { value: 30 })
  assert.ok('problem' in parseEpochs('0', MAX_CHOSEN_EPOCHS))
  assert.ok('problem' in parseEpochs('2.5', MAX_CHOSEN_EPOCHS))
  assert.ok('problem' in parseEpochs('10001', MAX_CHOSEN_EPOCHS))
  assert.deepEqual(parseTimeBudget('90'), { value: 90 })
  assert.deepEqual(parseTimeBudget('90 s'), { value: 90 })
  assert.deepEqual(parseTimeBudget('5 min'), { value: 300 })
  assert.deepEqual(parseTimeBudget('1.5h'), { value: 5400 })
  for (const wrong of ['0', '-5', '5 days', 'soon', ''])
    assert.match((parseTimeBudget(wrong) as { problem: string }).problem, /^Time budget must be/, wrong)
  assert.equal(formatTimeBudget(45), '45 s')
  assert.equal(formatTimeBudget(90), '1.5 min')
  assert.equal(formatTimeBudget(300), '5 min')
  assert.equal(formatTimeBudget(7200), '2 h')
  assert.equal(formatTimeBudget(61), '61 s')
  for (const typed of ['45 s', '1.5 min', '5 min', '2 h', '61 s'])
    assert.equal(formatTimeBudget((parseTimeBudget(typed) as { value: number }).value), typed, 'what the field shows reads back the same')
  assert.equal(trainingSummary(trainingChoices(undefined, undefined)), 'Training: automatic epochs · no time limit · medium model')
  assert.equal(
    trainingSummary(trainingChoices({ epochs: 3, timeBudgetSeconds: 300, modelSize: 'small' }, undefined)),
    'Training: 3 epochs · at most 5 min · small model',
  )
  assert.equal(trainingSummary(trainingChoices({ epochs: 1 }, undefined)), 'Training: 1 epoch · no time limit · medium model')
})
