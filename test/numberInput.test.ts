// The one reading of typed row counts and seeds: in the core parser, in the metadata editor's form
// (webview/generateInput.ts, which the command palette's input boxes share through the same parser)
// and on the command line (the built CLI: run `npm run build` first).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseHoldoutShare, parseRows, parseSeed } from '../src/core/numberInput.ts'
import { MAX_GENERATE_ROWS } from '../src/protocol/webview.ts'
import { parseRows as parseFormRows, parseSeed as parseFormSeed } from '../webview/generateInput.ts'
import { EXAMPLE_ADULT, runCli } from './helpers.ts'

const WHOLE_ROWS = 'Rows must be a whole number, such as 50000 or 50,000.'
const WHOLE_SEED = 'Seed must be a whole number, such as 42 or -7.'

test('row counts: digits, or digits grouped by three with , or _', () => {
  for (const [text, rows] of [
    ['1', 1],
    ['50000', 50_000],
    ['50,000', 50_000],
    ['1_000_000', 1_000_000],
    ['1,000,000,000', 1_000_000_000],
    ['  12 ', 12],
  ] as const)
    assert.deepEqual(parseRows(text), { value: rows }, text)
  for (const text of ['12,34', '1,0000', '1__000', '1,000_000x', '_1000', '1000,', '-5', '+5', '1e3', '0x10', '1.0', '12 34', ' , '])
    assert.deepEqual(parseRows(text), { problem: WHOLE_ROWS }, text)
  assert.deepEqual(parseRows(''), { problem: 'Rows: enter how many rows to generate.' })
  assert.deepEqual(parseRows('   '), { problem: 'Rows: enter how many rows to generate.' })
})

test('row counts: from 1 to the limit the caller names', () => {
  assert.deepEqual(parseRows('0'), { problem: 'Rows must be at least 1.' })
  assert.deepEqual(parseRows('0,000'), { problem: 'Rows must be at least 1.' })
  assert.deepEqual(parseRows('1_000', 1000), { value: 1000 })
  assert.deepEqual(parseRows('1_001', 1000), { problem: 'Rows can be at most 1,000.' })
  assert.deepEqual(parseRows('9007199254740991'), { value: Number.MAX_SAFE_INTEGER }, 'without a limit, any safe integer')
  assert.deepEqual(parseRows('9007199254740992'), { problem: 'Rows can be at most 9,007,199,254,740,991.' })
})

test('holdout shares: a decimal from 0 to below 0.5', () => {
  for (const [text, share] of [
    ['0', 0],
    ['0.1', 0.1],
    ['.25', 0.25],
    [' 0.49 ', 0.49],
    ['0.', 0],
  ] as const)
    assert.deepEqual(parseHoldoutShare(text), { value: share }, text)
  for (const text of ['0.5', '1', '-0.1', '10%', '1e-1', '', 'a', '0,1'])
    assert.deepEqual(
      parseHoldoutShare(text),
      { problem: 'Holdout share must be a number from 0 to below 0.5, such as 0.1 (0 keeps no rows out).' },
      text,
    )
})

test('seeds: any safe integer, negative too, with the same grouping; -0 is 0', () => {
  for (const [text, seed] of [
    ['42', 42],
    ['-7', -7],
    ['0', 0],
    ['-0', 0],
    ['-0,000', 0],
    ['-1_000', -1000],
    ['50,000', 50_000],
    ['9,007,199,254,740,991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', Number.MIN_SAFE_INTEGER],
  ] as const) {
    const parsed = parseSeed(text)
    assert.deepEqual(parsed, { value: seed }, text)
    assert.ok('value' in parsed && !Object.is(parsed.value, -0), `${text} is not -0`)
  }
  for (const text of ['12,34', '-12,34', '--1', '- 1', '+1', '1.5', '4e2', 'abc', '-'])
    assert.deepEqual(parseSeed(text), { problem: WHOLE_SEED }, text)
  assert.deepEqual(parseSeed(' '), { problem: 'Seed: enter a whole number (the same seed gives the same rows).' })
  for (const text of ['9007199254740992', '-9007199254740992', '99999999999999999999'])
    assert.deepEqual(parseSeed(text), { problem: 'Seed must lie between -9,007,199,254,740,991 and 9,007,199,254,740,991.' }, text)
})

test('the Generate form reads as the parser does, up to the most rows a Generate may ask for', () => {
  for (const text of ['12,34', '50,000', '1_000_000', '-5', '0', '1,000,000,000', '1,000,000,001']) {
    assert.deepEqual(parseFormRows(text), parseRows(text, MAX_GENERATE_ROWS), text)
    assert.deepEqual(parseFormSeed(text), parseSeed(text), text)
  }
  assert.deepEqual(parseFormRows('1,000,000,001'), { problem: 'Rows can be at most 1,000,000,000.' })
})

test('the CLI reads --rows and --seed as the editor does', async () => {
  const refused = await runCli('inspect', EXAMPLE_ADULT, '--rows', '12,34')
  assert.equal(refused.code, 2)
  assert.match(refused.stderr, /--rows "12,34": Rows must be a whole number, such as 50000 or 50,000\./)
  const seed = await runCli('preview', EXAMPLE_ADULT, '--seed=-12,34')
  assert.equal(seed.code, 2)
  assert.match(seed.stderr, /--seed "-12,34": Seed must be a whole number, such as 42 or -7\./)
  for (const args of [
    ['-n', '0'],
    ['--rows', '1e3'],
    ['--seed', '1.5'],
  ]) {
    const usage = await runCli('preview', EXAMPLE_ADULT, ...args)
    assert.equal(usage.code, 2, args.join(' '))
  }
  const grouped = await runCli('inspect', EXAMPLE_ADULT, '--rows', '1_000', '--seed=-0,003')
  assert.equal(grouped.code, 0, grouped.stderr)
  assert.match(grouped.stdout, /sampled 1,000 with seed -3/)
})
