import assert from 'node:assert/strict'
import { test } from 'node:test'
import { privacyVerdict } from '../src/core/report/privacyVerdict.ts'

const tested = { holdout: 'share', closerToTrainShare: 0.5, exactCopyShare: 0, holdoutCopyShare: 0, differentialPrivacy: null } as const

test('good: no memorisation, every column protected; the figures are in the headline and there is nothing to do', () => {
  const verdict = privacyVerdict({ ...tested, closerToTrainShare: 0.512, exactCopyShare: 0.001, holdoutCopyShare: 0.002 }, [])
  assert.equal(verdict.level, 'good')
  assert.match(
    verdict.headline,
    /^No sign of memorisation: 0\.1 % of synthetic rows are exact copies .* \(0\.2 % of the rows it never saw are\); 0\.512 of them/,
  )
  assert.deepEqual(verdict.advice, [])
})

test('copies no more frequent than the data’s own duplicates are no finding', () => {
  assert.equal(privacyVerdict({ ...tested, exactCopyShare: 0.3, holdoutCopyShare: 0.3 }, []).level, 'good')
})

test('caution: slightly closer to training rows, or a column left unprotected, each with its advice', () => {
  const closer = privacyVerdict({ ...tested, closerToTrainShare: 0.56 }, [])
  assert.equal(closer.level, 'caution')
  assert.match(closer.headline, /^Check before sharing: /)
  assert.deepEqual(closer.advice.length, 1)
  assert.match(closer.advice[0], /fewer epochs or with differential privacy \(--epsilon 4/)
  const open = privacyVerdict(tested, ['fnlwgt', 'age'])
  assert.equal(open.level, 'caution')
  assert.match(open.advice[0], /^Value protection is off in fnlwgt, age: a rare value or an extreme there can be generated as it is/)
})

test('risk: copies well above the holdout’s own rate, or a clear majority nearer training rows', () => {
  const copies = privacyVerdict({ ...tested, exactCopyShare: 0.44, holdoutCopyShare: 0.01 }, [])
  assert.equal(copies.level, 'risk')
  assert.match(copies.headline, /^Do not share as is: the model reproduces its training rows\. 44 % of synthetic rows are exact copies/)
  assert.match(copies.advice[0], /Sample more rows .* exclude or fake the columns that identify a person/)
  assert.equal(privacyVerdict({ ...tested, closerToTrainShare: 0.62 }, []).level, 'risk')
})

test('untested when the model may have seen the holdout, whatever the figures', () => {
  const verdict = privacyVerdict({ ...tested, holdout: 'split', closerToTrainShare: 0.9, exactCopyShare: 0.5 }, [])
  assert.equal(verdict.level, 'untested')
  assert.match(verdict.headline, /^Not tested: /)
  assert.match(verdict.advice[0], /Generate from the model folder/)
})

test('a DP model: the guarantee is stated, and unprotected columns are no finding under it', () => {
  const verdict = privacyVerdict({ ...tested, differentialPrivacy: { epsilon: 3.9999, delta: 3.07e-6, scope: 'model' } }, ['age'])
  assert.deepEqual([verdict.level, verdict.advice], ['good', []])
  assert.match(verdict.headline, /The model is \(ε = 4, δ = 3\.1e-6\)-differentially private\.$/)
})
