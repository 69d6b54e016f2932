import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { SparkSynthError } from '../src/core/errors.ts'
import { DEFAULT_OUTPUT_PATTERN, datasetName, defaultModelPath, outputLocation } from '../src/core/output/locations.ts'

const file = '/work/project/samples/events.synth-meta.json'
const now = new Date('2026-11-25T17:02:09.123Z')

test('a document names its dataset, and its model sits beside it', () => {
  assert.equal(datasetName(file), 'events')
  assert.equal(datasetName('/x/odd.json'), 'odd')
  assert.equal(defaultModelPath(file), '/work/project/samples/events.synth-model')
})

test('output patterns resolve their variables, relative to the document', () => {
  assert.equal(outputLocation(DEFAULT_OUTPUT_PATTERN, { metadataFile: file, now }), '/work/project/samples/events-synthetic')
  assert.equal(
    outputLocation('${workspaceFolder}/synthetic/${dataset}-${timestamp}', { metadataFile: file, workspaceFolder: '/work/project', now }),
    '/work/project/synthetic/events-20261125-170209',
  )
  assert.equal(outputLocation('out/${dataset}', { metadataFile: file, now }), path.join('/work/project/samples', 'out', 'events'))
})

test('an unknown variable, or a workspace folder without a workspace, is a clear error', () => {
  assert.throws(
    () => outputLocation('${home}/x', { metadataFile: file, now }),
    (error: unknown) =>
      error instanceof SparkSynthError &&
      error.message.includes('uses ${home}, which is not a variable') &&
      error.message.includes('sparkSynth.outputLocation'),
  )
  assert.throws(() => outputLocation('${workspaceFolder}/x', { metadataFile: file, now }), /needs a workspace folder/)
  assert.throws(() => outputLocation('  ', { metadataFile: file, now }), /pattern is empty/)
})
