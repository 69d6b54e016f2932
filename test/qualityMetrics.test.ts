import assert from 'node:assert/strict'
import { test } from 'node:test'
import { contingencySimilarity, correlationSimilarity, discretize, ksComplement, pearson, rocAuc, tvComplement } from '../src/core/quality/metrics.ts'

const close = (actual: number, expected: number, message?: string) => assert.ok(Math.abs(actual - expected) < 1e-12, `${message ?? ''} ${actual} ≠ ${expected}`)

test('KS complement on hand-computed cases', () => {
  close(ksComplement([1, 2, 3, 4], [1, 2, 3, 4]), 1)
  // CDFs: real at 1,2,3,4 = .25,.5,.75,1; synthetic all at 10 → gap 1.
  close(ksComplement([1, 2, 3, 4], [10, 10]), 0)
  // real {1,2}, synthetic {2,3}: after 1: .5 vs 0; after 2: 1 vs .5; after 3: 1 vs 1 → 0.5.
  close(ksComplement([1, 2, null], [2, 3, NaN]), 0.5)
})

test('TV complement on hand-computed cases', () => {
  // p = a .5 b .5; q = a .25 b .25 c .5 → TV = (.25 + .25 + .5) / 2 = .5
  close(tvComplement(['a', 'b'], ['a', 'b', 'c', 'c']), 0.5)
  close(tvComplement(['x', 'y', null], ['y', 'x']), 1)
  close(tvComplement([true, true, false], [true, false, false]), 1 - (1 / 3 + 1 / 3) / 2)
})

test('correlation similarity and Pearson', () => {
  close(pearson([1, 2, 3], [2, 4, 6]), 1)
  close(pearson([1, 2, 3], [3, 2, 1]), -1)
  close(correlationSimilarity([[1, 2, 3], [2, 4, 6]], [[1, 2, 3], [3, 2, 1]]), 0)
  close(correlationSimilarity([[1, 2, 3], [2, 4, 6]], [[1, 2, 3, null], [2, 4, 6, 100]]), 1)
})

test('contingency similarity on a hand-computed joint table', () => {
  // real joint: (a,x) .5 (b,y) .5; synthetic: (a,x) .5 (a,y) .5 → TV = (0 + .5 + .5)/2 = .5
  close(contingencySimilarity([['a', 'b'], ['x', 'y']], [['a', 'a'], ['x', 'y']]), 0.5)
  // numbers and strings with the same text are different categories
  close(contingencySimilarity([[1], ['1']], [['1'], ['1']]), 0)
})

test('discretisation uses 10 equal-width bins of the real range, open at both ends', () => {
  const [real, synthetic] = discretize([0, 5, 10, 9.99, null], [-50, 0.99, 1, 10, 500])
  assert.deepEqual(real, [0, 5, 9, 9, null])
  assert.deepEqual(synthetic, [0, 0, 1, 9, 9])
})

test('ROC AUC with ties', () => {
  close(rocAuc([false, false, true, true], [0.1, 0.2, 0.8, 0.9]), 1)
  close(rocAuc([true, true, false, false], [0.1, 0.2, 0.8, 0.9]), 0)
  // one positive tied with one negative: counted half → (1 + 0.5) / 2
  close(rocAuc([false, true, false, true], [0.1, 0.5, 0.5, 0.9]), 0.875)
})
