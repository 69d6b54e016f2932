import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EncodingBudget, splitBudget } from '../src/core/privacy/encodingBudget.ts'
import {
  dpQuantiles,
  dpRange,
  epsilonOfRho,
  gaussianSigma,
  gaussianTailInverse,
  quantileLevels,
  rhoFor,
  SecureRandom,
  selectionThreshold,
  selectKeys,
} from '../src/core/privacy/mechanisms.ts'

const random = new SecureRandom()

test('the Gaussian tail inverse gives the textbook quantiles', () => {
  assert.ok(Math.abs(gaussianTailInverse(0.025) - 1.959963985) < 1e-8)
  assert.ok(Math.abs(gaussianTailInverse(1e-6) - 4.753424309) < 1e-8)
  assert.ok(Math.abs(gaussianTailInverse(0.5)) < 1e-9)
  assert.throws(() => gaussianTailInverse(0.7), RangeError)
})

test('zCDP and (ε, δ) convert both ways, and an (ε, δ) split composes back to the whole', () => {
  for (const [epsilon, delta] of [
    [0.25, 1e-5],
    [1, 1e-6],
    [7.5, 2e-5],
  ]) {
    assert.ok(Math.abs(epsilonOfRho(rhoFor(epsilon, delta), delta) - epsilon) < 1e-12 * epsilon)
  }
  const { encodings, network } = splitBudget({ epsilon: 4, delta: 2e-5 })
  assert.ok(Math.abs(encodings.epsilon + network.epsilon - 4) < 1e-12 && Math.abs(encodings.delta + network.delta - 2e-5) < 1e-18)
  assert.equal(encodings.epsilon, 1)
})

test('the encoding budget spends each column’s share at most, and spending all of it is the whole (ε, δ)', () => {
  const budget = new EncodingBudget({ epsilon: 1, delta: 1e-5 }, [2, 1, 1])
  const shares = [budget.column('a', 2), budget.column('b', 1), budget.column('c', 1)]
  assert.ok(Math.abs(shares[0].rho - 2 * shares[1].rho) < 1e-18)
  shares[0].spend(shares[0].rho / 2, shares[0].selectionDelta)
  assert.throws(() => {
    shares[0].spend(shares[0].rho)
  }, /more than its share/)
  shares[0].spend(shares[0].rho / 2)
  assert.ok(budget.spent().epsilon < 1)
  for (const share of shares.slice(1)) {
    share.spend(share.rho, share.selectionDelta)
  }
  const spent = budget.spent()
  assert.ok(Math.abs(spent.epsilon - 1) < 1e-9, `ε ${spent.epsilon}`)
  assert.ok(Math.abs(spent.delta - 1e-5) < 1e-15, `δ ${spent.delta}`)
})

test('a value held by one row clears the selection threshold in at most its δ share of 10,000 trials, and not far less', () => {
  const trials = 10_000
  const passes = (sigma: number, delta: number, keysPerRow = 1) => {
    const threshold = selectionThreshold(sigma, delta, keysPerRow)
    let passed = 0
    for (let t = 0; t < trials; t++) passed += selectKeys(new Map([['once', 1]]), sigma, threshold, random).length
    return passed
  }
  // At a δ the test can see: 1 % of trials expected (binomial sd 10).
  const seen = passes(20, 0.01)
  assert.ok(seen <= 100 + 4 * 10 && seen >= 100 - 4 * 10, `${seen} of ${trials} passed at δ = 0.01`)
  // Sixty-four keys a row share the δ: each passes a sixty-fourth as often.
  const shared = passes(20, 0.64, 64)
  assert.ok(shared <= 100 + 40 && shared >= 100 - 40, `${shared} of ${trials} passed at δ = 0.64 over 64 keys`)
  // At the δ a column of Adult gets at ε = 4 (10⁻⁵ over 15 columns): 0.007 expected, so one pass is seen in one run
  // of 150 (it was, once); three or more would happen once in 20 million runs of a right threshold.
  assert.ok(passes(gaussianSigma(0.001), 1e-5 / 15) <= 2)
})

test('DP quantiles of 30,000 values fall within 0.2 % in rank of the true ones at ε = 1 a level (the worst of 200 runs: 0.06 %)', () => {
  const values = Float64Array.from({ length: 30_000 }, () => 50 + 10 * random.gaussian()).sort()
  const probabilities = [0.01, ...Array.from({ length: 15 }, (_, i) => (i + 1) / 16), 0.99]
  assert.equal(quantileLevels(probabilities.length), 5)
  const found = dpQuantiles(values, probabilities, 0, 100, 1, random)
  assert.equal(found.length, probabilities.length)
  found.forEach((value, i) => {
    if (i > 0) assert.ok(value >= found[i - 1], 'ascending')
    let rank = 0
    while (rank < values.length && values[rank] <= value) rank++
    assert.ok(Math.abs(rank / values.length - probabilities[i]) <= 0.002, `p ${probabilities[i]}: rank ${rank / values.length}`)
  })
})

test('a DP range holds the values on the public grid, within a few quarter octaves', () => {
  const values = Array.from({ length: 5000 }, () => 1000 + 4000 * random.uniform())
  const range = dpRange(values, 5, random)
  assert.ok(range)
  assert.ok(range.low <= 1000 && range.low >= 1000 / 2 ** 1.5, `low ${range.low}`)
  assert.ok(range.high >= 5000 && range.high <= 5000 * 2 ** 1.5, `high ${range.high}`)
  assert.equal(dpRange([], 5, random), undefined)
})

test('the noise comes from the operating system: two sources differ, and draws are standard normal', () => {
  const draws = Array.from({ length: 100_000 }, () => random.gaussian())
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length
  const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length
  assert.ok(Math.abs(mean) < 0.015 && Math.abs(variance - 1) < 0.02, `mean ${mean}, variance ${variance}`)
  const other = new SecureRandom()
  assert.notDeepEqual(
    Array.from({ length: 4 }, () => random.uniform()),
    Array.from({ length: 4 }, () => other.uniform()),
  )
})
