import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  contingencySimilarity,
  cramersV,
  correlationSimilarity,
  discretize,
  ksComplement,
  pearson,
  rocAuc,
  tvComplement,
} from '../src/core/quality/metrics.ts'

const close = (actual: number, expected: number, message?: string) => {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${message ?? ''} ${actual} ≠ ${expected}`)
}

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
  close(
    correlationSimilarity(
      [
        [1, 2, 3],
        [2, 4, 6],
      ],
      [
        [1, 2, 3],
        [3, 2, 1],
      ],
    ),
    0,
  )
  close(
    correlationSimilarity(
      [
        [1, 2, 3],
        [2, 4, 6],
      ],
      [
        [1, 2, 3, null],
        [2, 4, 6, 100],
      ],
    ),
    1,
  )
})

test('contingency similarity on a hand-computed joint table, missing values a category of their own', () => {
  // real joint: (a,x) .5 (b,y) .5; synthetic: (a,x) .5 (a,y) .5 → TV = (0 + .5 + .5)/2 = .5
  close(
    contingencySimilarity(
      [
        ['a', 'b'],
        ['x', 'y'],
      ],
      [
        ['a', 'a'],
        ['x', 'y'],
      ],
    ),
    0.5,
  )
  // numbers and strings with the same text are different categories
  close(contingencySimilarity([[1], ['1']], [['1'], ['1']]), 0)
  // (a,null) is a cell: real (a,x) .5 (a,null) .5; synthetic (a,x) 1 → TV = (.5 + .5)/2
  close(
    contingencySimilarity(
      [
        ['a', 'a'],
        ['x', null],
      ],
      [
        ['a', 'a'],
        ['x', 'x'],
      ],
    ),
    0.5,
  )
})

test("Cramér's V on a hand-computed table", () => {
  // 2×2 table [[3, 1], [1, 3]], n 8: χ² = 4 · (3 − 2)² / 2 = 2, V = √(2 / 8) = .5
  close(
    cramersV([
      ['p', 'p', 'p', 'p', 'q', 'q', 'q', 'q'],
      ['s', 's', 's', 't', 's', 't', 't', 't'],
    ]),
    0.5,
  )
  assert.ok(
    Number.isNaN(
      cramersV([
        ['p', 'p'],
        ['s', 't'],
      ]),
    ),
    'no association is defined for a constant column',
  )
})

test("discretisation as numpy does it: 10 equal-width bins of the column's own range, the maximum and missing values last", () => {
  // edges 0, 1, …, 10: a value v in [k, k + 1) lands in bin k + 1; 10 (the maximum) and null in bin 11
  assert.deepEqual(discretize([0, 5, 10, 9.99, null, 0.5]), [1, 6, 11, 10, 11, 1])
  // a constant column spans [v − 0.5, v + 0.5]: its value sits at the middle edge
  assert.deepEqual(discretize([3, 3]), [6, 6])
})

test('ROC AUC with ties', () => {
  close(rocAuc([false, false, true, true], [0.1, 0.2, 0.8, 0.9]), 1)
  close(rocAuc([true, true, false, false], [0.1, 0.2, 0.8, 0.9]), 0)
  // one positive tied with one negative: counted half → (1 + 0.5) / 2
  close(rocAuc([false, true, false, true], [0.1, 0.5, 0.5, 0.9]), 0.875)
})

test('Pearson and correlation similarity leave ±Infinity out, as they leave missing values out (the score was NaN)', () => {
  close(pearson([1, Infinity, 2, -Infinity, 3], [2, 5, 4, 1, 6]), 1)
  const real: [number[], number[]] = [
    [1, 2, Infinity, 3],
    [3, 2, 0, 1],
  ]
  close(correlationSimilarity(real, [real[1], real[0]]), 1)
})
