import assert from 'node:assert/strict'
import { test } from 'node:test'
import { linePath, lossChartLabel, lossChartLayout, niceTicks } from '../webview/lossChart.ts'

const PLOT = { left: 10, top: 5, width: 100, height: 50 }

test('nice ticks are round steps that enclose the values', () => {
  assert.deepEqual(niceTicks(12.36, 14.2, 4), [12, 13, 14, 15])
  assert.deepEqual(niceTicks(0.013, 0.0712, 4), [0, 0.02, 0.04, 0.06, 0.08])
  assert.deepEqual(niceTicks(1, 400, 6, 1), [0, 100, 200, 300, 400])
  assert.deepEqual(niceTicks(1, 3, 6, 1), [1, 2, 3], 'epochs step by whole numbers')
  const flat = niceTicks(2, 2, 4)
  assert.ok(flat.length >= 2 && flat[0] < 2 && flat[flat.length - 1] > 2, 'a single value gets a span around it')
})

test('the loss chart has epoch and loss ticks covering both series, and a path for each', () => {
  const losses = [14.2, 13, 12.36, 12.6, 12.5]
  const holdout = [14.5, 13.6, 13.2, 13.4, 13.5]
  const layout = lossChartLayout(losses, holdout, PLOT)
  const lossValues = layout.lossTicks.map((tick) => tick.value)
  assert.ok(lossValues[0] <= Math.min(...losses, ...holdout), 'the lowest tick is at or below the lowest loss')
  assert.ok(lossValues[lossValues.length - 1] >= Math.max(...losses, ...holdout), 'the highest tick is at or above the highest loss')
  assert.equal(layout.lossTicks[0].at, PLOT.top + PLOT.height, 'the lowest tick on the x axis')
  assert.equal(layout.lossTicks[layout.lossTicks.length - 1].at, PLOT.top, 'the highest at the top')
  assert.deepEqual(
    layout.epochTicks.map((tick) => [tick.value, tick.at]),
    [
      [1, 10],
      [2, 35],
      [3, 60],
      [4, 85],
      [5, 110],
    ],
  )
  assert.deepEqual(
    layout.training.map((p) => p.x),
    [10, 35, 60, 85, 110],
  )
  for (const [series, points] of [
    [losses, layout.training],
    [holdout, layout.holdout],
  ] as const) {
    assert.equal(points.length, series.length)
    for (const point of points) assert.ok(point.y >= PLOT.top && point.y <= PLOT.top + PLOT.height, 'every point inside the plot')
  }
  // Training's 12.36 lies below the holdout's 13.2 at epoch 3: further down the chart.
  assert.ok(layout.training[2].y > layout.holdout[2].y)
  assert.match(linePath(layout.training), /^M10 [\d.]+( L[\d.]+ [\d.]+){4}$/)
  assert.match(linePath(layout.holdout), /^M10 [\d.]+( L[\d.]+ [\d.]+){4}$/)
  assert.notEqual(linePath(layout.training), linePath(layout.holdout))
})

test('the loss chart without a holdout, with one epoch, and with none', () => {
  const alone = lossChartLayout([3.5], [], PLOT)
  assert.deepEqual(alone.holdout, [])
  assert.deepEqual(alone.training, [{ x: 10, y: alone.training[0].y }], 'a lone epoch at the left')
  assert.deepEqual(
    alone.epochTicks.map((tick) => tick.value),
    [1],
  )
  assert.ok(alone.training.every((p) => Number.isFinite(p.y)))
  assert.deepEqual(lossChartLayout([], [], PLOT), { epochTicks: [], lossTicks: [], training: [], holdout: [] })
  assert.equal(linePath([]), '')
  assert.equal(linePath([{ x: 1 / 3, y: 2 / 3 }]), 'M0.33 0.67')
})

test('the loss chart says its last values in words', () => {
  assert.equal(
    lossChartLabel([14.2, 13, 12.36], [14.5, 13.6, 13.2]),
    'Loss by epoch over 3 epochs: training 14.2 → 12.36, holdout 14.5 → 13.2',
  )
  assert.equal(lossChartLabel([14.2, 13, 12.36]), 'Loss by epoch over 3 epochs: training 14.2 → 12.36')
  assert.equal(lossChartLabel([14.2], [15]), 'Loss by epoch after 1 epoch: training 14.2, holdout 15')
  assert.equal(lossChartLabel([]), 'Loss by epoch: no epoch has finished yet')
})
