import assert from 'node:assert/strict'
import { test } from 'node:test'
import packageJson from '../package.json' with { type: 'json' }
import { TABLE_FORMATS } from '../src/core/io/tableFormat.ts'
import { BACKENDS } from '../src/core/model/tensorflow.ts'
import { DEFAULT_OUTPUT_PATTERN } from '../src/core/output/locations.ts'
import { privacyChoices } from '../src/core/meta/privacyChoices.ts'
import { DEFAULT_RARE_VALUE_ROWS } from '../src/core/meta/protection.ts'
import { DEFAULT_HOLDOUT_SHARE, DEFAULT_ROW_BUDGET, DEFAULT_SEED } from '../src/core/samplingDefaults.ts'
import { DEFAULT_SETTINGS, readSettings, SETTINGS_SECTION, SettingsReader, type Settings } from '../src/host/settings.ts'
import { MAX_GENERATE_ROWS } from '../src/protocol/webview.ts'

/** package.json's `contributes.configuration` properties by their short name (`rowBudget`). */
const DECLARED = new Map<
  string,
  { readonly default: unknown; readonly minimum?: number; readonly exclusiveMaximum?: number; readonly enum?: readonly string[] }
>(
  Object.entries(packageJson.contributes.configuration.properties).map(([key, declaration]) => {
    assert.ok(key.startsWith(`${SETTINGS_SECTION}.`), key)
    return [key.slice(SETTINGS_SECTION.length + 1), declaration]
  }),
)

/** Reads `values` as the user's settings; resolves with the settings and what was said about them. */
function read(values: Partial<Record<keyof Settings, unknown>>): { settings: Settings; problems: string[] } {
  const problems: string[] = []
  const settings = readSettings(
    (key) => values[key],
    (problem) => problems.push(problem),
  )
  return { settings, problems }
}

test('unset settings read as the core defaults, silently', () => {
  const { settings, problems } = read({})
  assert.deepEqual(settings, {
    rowBudget: DEFAULT_ROW_BUDGET,
    seed: DEFAULT_SEED,
    backend: 'auto',
    epochs: 0,
    timeBudgetSeconds: 0,
    modelSize: 'medium',
    holdoutShare: DEFAULT_HOLDOUT_SHARE,
    epsilon: 0,
    delta: 0,
    rareValueRows: DEFAULT_RARE_VALUE_ROWS,
    generateRows: 0,
    outputFormat: 'parquet',
    outputLocation: DEFAULT_OUTPUT_PATTERN,
  })
  assert.deepEqual(settings, DEFAULT_SETTINGS)
  assert.deepEqual(problems, [])
})

test('valid settings are read as they are', () => {
  const chosen: Settings = {
    rowBudget: 1,
    seed: -7,
    backend: 'wasm',
    epochs: 30,
    timeBudgetSeconds: 600,
    modelSize: 'small',
    holdoutShare: 0,
    epsilon: 4,
    delta: 1e-6,
    rareValueRows: 1,
    generateRows: MAX_GENERATE_ROWS,
    outputFormat: 'delta',
    outputLocation: '${workspaceFolder}/out/${dataset}',
  }
  assert.deepEqual(read(chosen), { settings: chosen, problems: [] })
})

test('a setting of the wrong type or out of range falls back to its default and says so', () => {
  const cases: [keyof Settings, unknown, string][] = [
    ['rowBudget', 0, 'setting sparkSynth.rowBudget is 0, not a whole number from 1: using 50000 instead'],
    ['rowBudget', '50000', 'setting sparkSynth.rowBudget is "50000", not a whole number from 1: using 50000 instead'],
    ['seed', 2.5, 'setting sparkSynth.seed is 2.5, not a whole number: using 42 instead'],
    ['seed', 2 ** 53, 'setting sparkSynth.seed is 9007199254740992, not a whole number: using 42 instead'],
    ['seed', null, 'setting sparkSynth.seed is null, not a whole number: using 42 instead'],
    ['backend', 'gpu', 'setting sparkSynth.backend is "gpu", not one of auto, tensorflow, wasm, cpu: using "auto" instead'],
    ['epochs', -1, 'setting sparkSynth.epochs is -1, not a whole number from 0: using 0 instead'],
    ['timeBudgetSeconds', 1.5, 'setting sparkSynth.timeBudgetSeconds is 1.5, not a whole number from 0: using 0 instead'],
    ['modelSize', 'huge', 'setting sparkSynth.modelSize is "huge", not one of small, medium, large: using "medium" instead'],
    ['holdoutShare', 0.5, 'setting sparkSynth.holdoutShare is 0.5, not a number from 0 to below 0.5: using 0.1 instead'],
    ['rareValueRows', 0, 'setting sparkSynth.rareValueRows is 0, not a whole number from 1: using 5 instead'],
    ['holdoutShare', -0.1, 'setting sparkSynth.holdoutShare is -0.1, not a number from 0 to below 0.5: using 0.1 instead'],
    ['holdoutShare', '0.2', 'setting sparkSynth.holdoutShare is "0.2", not a number from 0 to below 0.5: using 0.1 instead'],
    [
      'generateRows',
      MAX_GENERATE_ROWS + 1,
      'setting sparkSynth.generateRows is 1000000001, not a whole number from 0 to 1,000,000,000: using 0 instead',
    ],
    ['outputFormat', 'orc', 'setting sparkSynth.outputFormat is "orc", not one of parquet, delta: using "parquet" instead'],
    ['outputLocation', '', 'setting sparkSynth.outputLocation is "", not a non-empty text: using "${dir}/${dataset}-synthetic" instead'],
    ['outputLocation', 3, 'setting sparkSynth.outputLocation is 3, not a non-empty text: using "${dir}/${dataset}-synthetic" instead'],
  ]
  for (const [key, value, problem] of cases) {
    const { settings, problems } = read({ [key]: value })
    assert.deepEqual(settings, DEFAULT_SETTINGS, `${key} = ${JSON.stringify(value)}`)
    assert.deepEqual(problems, [problem])
  }
  const { settings, problems } = read({ seed: 'x', epochs: 5 })
  assert.deepEqual(settings, { ...DEFAULT_SETTINGS, epochs: 5 }, 'a refused setting leaves the others as they are')
  assert.equal(problems.length, 1)
})

test('the reader says each refused value once, however often the settings are read', () => {
  const values: Partial<Record<keyof Settings, unknown>> = { rowBudget: -5 }
  const said: string[] = []
  const reader = new SettingsReader(
    (key) => values[key],
    (problem) => said.push(problem),
  )
  assert.equal(reader.read().rowBudget, DEFAULT_ROW_BUDGET)
  assert.equal(reader.read().rowBudget, DEFAULT_ROW_BUDGET)
  assert.equal(said.length, 1)
  values.rowBudget = 1000
  assert.equal(reader.read().rowBudget, 1000, 'a setting is read afresh each time')
  values.rowBudget = 'many'
  reader.read()
  assert.equal(said.length, 2, 'another refused value is said too')
  assert.match(said[1] ?? '', /"many"/)
})

test('package.json declares exactly the settings read, with the same defaults, ranges and choices', () => {
  assert.deepEqual([...DECLARED.keys()].sort(), Object.keys(DEFAULT_SETTINGS).sort())
  for (const [key, declaration] of DECLARED) {
    assert.deepEqual(declaration.default, DEFAULT_SETTINGS[key as keyof Settings], `default of ${key}`)
    if (declaration.minimum !== undefined) {
      const { minimum } = declaration
      assert.deepEqual(read({ [key]: minimum }).problems, [], `${key} takes its minimum ${minimum}`)
      assert.equal(read({ [key]: minimum - 1 }).problems.length, 1, `${key} refuses less than ${minimum}`)
    }
    if (declaration.exclusiveMaximum !== undefined) {
      const { exclusiveMaximum } = declaration
      assert.equal(read({ [key]: exclusiveMaximum }).problems.length, 1, `${key} refuses ${exclusiveMaximum}`)
      assert.deepEqual(read({ [key]: exclusiveMaximum - 0.01 }).problems, [], `${key} takes just below ${exclusiveMaximum}`)
    }
    for (const choice of declaration.enum ?? []) assert.deepEqual(read({ [key]: choice }).problems, [], `${key} takes ${choice}`)
  }
  assert.equal(DECLARED.get('rowBudget')?.default, DEFAULT_ROW_BUDGET)
  assert.equal(DECLARED.get('seed')?.default, DEFAULT_SEED)
  assert.equal(DECLARED.get('holdoutShare')?.default, DEFAULT_HOLDOUT_SHARE)
  assert.deepEqual(DECLARED.get('backend')?.enum, ['auto', ...BACKENDS])
  assert.deepEqual(DECLARED.get('outputFormat')?.enum, [...TABLE_FORMATS])
})

test('privacy settings apply where the document is silent: the document is the table’s own choice', () => {
  const settings = { holdoutShare: 0.2, epsilon: 4, delta: 1e-6 }
  const taken = (privacy: Parameters<typeof privacyChoices>[0], from = settings) => {
    const { holdoutShare, epsilon, delta } = privacyChoices(privacy, from)
    return { holdoutShare, epsilon, delta }
  }
  assert.deepEqual(taken(undefined), { holdoutShare: 0.2, epsilon: 4, delta: 1e-6 })
  assert.deepEqual(
    taken({ rareValueRows: 5, holdoutShare: 0, epsilon: null }),
    { holdoutShare: 0, epsilon: null, delta: 1e-6 },
    'ε null: no DP',
  )
  assert.deepEqual(taken({ rareValueRows: 5, epsilon: 2 }), { holdoutShare: 0.2, epsilon: 2, delta: 1e-6 })
  assert.deepEqual(taken({ rareValueRows: 5 }, { holdoutShare: 0.1, epsilon: 0, delta: 0 }), {
    holdoutShare: 0.1,
    epsilon: null,
    delta: null,
  })
})
