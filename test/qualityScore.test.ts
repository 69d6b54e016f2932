import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata } from '../src/core/meta/document.ts'
import { sampleIndependentMarginals } from '../src/core/quality/baseline.ts'
import { scorePrivacy } from '../src/core/quality/privacy.ts'
import { scoreQuality } from '../src/core/quality/score.ts'
import { splitTrainHoldout } from '../src/core/quality/split.ts'
import { EXAMPLE_ADULT, defined } from './helpers.ts'

const { summary, table } = await sampleDataset(EXAMPLE_ADULT, { rows: 8000, seed: 2 })
const columns = extractMetadata(summary, table).columns
const { train, holdout } = splitTrainHoldout(table, 0.8, 0)

test('a table scores 1 against itself', () => {
  const scores = scoreQuality(train, train, columns)
  assert.equal(scores.columnShapes, 1)
  assert.equal(scores.columnPairTrends, 1)
  assert.equal(scores.columns.length, 15)
  assert.equal(scores.pairs.length, (15 * 14) / 2)
})

test('independent marginals keep shapes and lose pair trends, as SDMetrics 0.32 reports on Adult (0.765 in bench/results/peers.md)', () => {
  const marginals = sampleIndependentMarginals(train, train.rowCount, 1)
  const scores = scoreQuality(train, marginals, columns)
  assert.ok(scores.columnShapes > 0.97, `shapes ${scores.columnShapes}`)
  assert.ok(scores.columnPairTrends > 0.72 && scores.columnPairTrends < 0.8, `pairs ${scores.columnPairTrends}`)
  const educationPair = defined(
    scores.pairs.find((p) => p.columns.join() === 'education,education-num'),
    'the education pair',
  )
  assert.equal(educationPair.metric, 'ContingencySimilarity')
  assert.ok(educationPair.score < 0.5, 'a deterministic relationship is lost')
  assert.ok(educationPair.counted, 'a related pair counts in Column Pair Trends')
  const ageHours = defined(
    scores.pairs.find((p) => p.columns.join() === 'age,hours-per-week'),
    'the age and hours-per-week pair',
  )
  assert.equal(ageHours.metric, 'CorrelationSimilarity')
  assert.ok(!ageHours.counted, 'a weakly correlated pair (|r| ≤ 0.5) does not count')
})

test('distance to closest record tells memorised rows from fresh ones', () => {
  const copied = scorePrivacy(train, holdout, train, columns, { maxRows: 1000 })
  assert.equal(copied.exactCopyShare, 1)
  assert.ok(copied.closerToTrainShare > 0.55, `copies of training rows sit closer to train: ${copied.closerToTrainShare}`)
  assert.ok(copied.medianDistanceToTrain < copied.medianDistanceToHoldout)
  const fresh = scorePrivacy(train, holdout, holdout, columns, { maxRows: 1000 })
  assert.ok(fresh.closerToTrainShare < 0.05, `holdout rows are not closer to train: ${fresh.closerToTrainShare}`)
  const marginals = scorePrivacy(train, holdout, sampleIndependentMarginals(train, 2000, 3), columns, { maxRows: 1000 })
  assert.ok(
    Math.abs(marginals.closerToTrainShare - 0.5) < 0.06,
    `marginals are as near to holdout as to train: ${marginals.closerToTrainShare}`,
  )
})
