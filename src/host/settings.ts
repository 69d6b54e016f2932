/**
 * The `sparkSynth.*` settings (package.json `contributes.configuration`) read into one checked
 * object. settings.json is free text: a value of the wrong type or out of range falls back to the
 * default, and the user is told once, rather than a run failing or a command misbehaving.
 * No `vscode` import, so that tests can read settings from a plain lookup.
 */
import { TABLE_FORMATS, type TableFormat } from '../core/io/tableFormat.ts'
import { BACKENDS, type BackendName } from '../core/model/tensorflow.ts'
import { DEFAULT_OUTPUT_PATTERN } from '../core/output/locations.ts'
import { DEFAULT_RARE_VALUE_ROWS } from '../core/meta/protection.ts'
import { DEFAULT_MODEL_SIZE, MODEL_SIZES, type ModelSize } from '../core/meta/trainingChoices.ts'
import { DEFAULT_HOLDOUT_SHARE, DEFAULT_ROW_BUDGET, DEFAULT_SEED, HOLDOUT_SHARE_LIMIT } from '../core/samplingDefaults.ts'
import { MAX_GENERATE_ROWS } from '../protocol/webview.ts'
import { formatCount } from '../core/formatCount.ts'

/** The section the settings sit under in settings.json. */
export const SETTINGS_SECTION = 'sparkSynth'

export interface Settings {
  /** At most this many rows are sampled when extracting metadata (and by the sampling snippet). */
  readonly rowBudget: number
  /** Sampling and generation seed. */
  readonly seed: number
  readonly backend: BackendName | 'auto'
  /** Training epochs; 0 lets training choose them from the sample size. */
  readonly epochs: number
  /** Seconds after which training stops at the end of an epoch; 0 for no limit. */
  readonly timeBudgetSeconds: number
  /** The network's size where the document does not choose one. */
  readonly modelSize: ModelSize
  /** When the sample is the whole source, this share of it is kept out of training for the report; 0 keeps none out. */
  readonly holdoutShare: number
  /** Make the whole model differentially private to this ε; 0 trains without differential privacy. */
  readonly epsilon: number
  /** DP-SGD's δ; 0 takes the default, 1 / (10 × rows trained on). */
  readonly delta: number
  /** k of value protection, written into metadata documents as they are extracted. */
  readonly rareValueRows: number
  /** Rows Generate offers; 0 offers as many as the sample the model learned from. */
  readonly generateRows: number
  readonly outputFormat: TableFormat
  /** Where Generate writes: a pattern such as `${dir}/${dataset}-synthetic` (see `outputLocation`). */
  readonly outputLocation: string
}

/** What a setting accepts, and its value when unset or refused. */
interface Rule<T> {
  readonly fallback: T
  /** What an accepted value is, for the message about one that is not. */
  readonly expected: string
  accepts(value: unknown): value is T
}

function wholeNumber(fallback: number, range: { readonly min?: number; readonly max?: number } = {}): Rule<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range
  const bounds = [range.min === undefined ? '' : ` from ${formatCount(min)}`, range.max === undefined ? '' : ` to ${formatCount(max)}`]
  return {
    fallback,
    expected: `a whole number${bounds.join('')}`,
    accepts: (value): value is number => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
  }
}

/** A number from `min` to below `limit` (a share, say). */
function numberBelow(fallback: number, min: number, limit: number): Rule<number> {
  return {
    fallback,
    expected: `a number from ${min} to below ${limit}`,
    accepts: (value): value is number => typeof value === 'number' && value >= min && value < limit,
  }
}

/** A number from `min` up. */
function numberFrom(fallback: number, min: number): Rule<number> {
  return {
    fallback,
    expected: `a number from ${min}`,
    accepts: (value): value is number => typeof value === 'number' && Number.isFinite(value) && value >= min,
  }
}

function oneOf<const T extends string>(values: readonly T[], fallback: NoInfer<T>): Rule<T> {
  return {
    fallback,
    expected: `one of ${values.join(', ')}`,
    accepts: (value): value is T => (values as readonly unknown[]).includes(value),
  }
}

function text(fallback: string): Rule<string> {
  return { fallback, expected: 'a non-empty text', accepts: (value): value is string => typeof value === 'string' && value !== '' }
}

const RULES: { readonly [K in keyof Settings]: Rule<Settings[K]> } = {
  rowBudget: wholeNumber(DEFAULT_ROW_BUDGET, { min: 1 }),
  seed: wholeNumber(DEFAULT_SEED),
  backend: oneOf(['auto', ...BACKENDS], 'auto'),
  epochs: wholeNumber(0, { min: 0 }),
  timeBudgetSeconds: wholeNumber(0, { min: 0 }),
  modelSize: oneOf(MODEL_SIZES, DEFAULT_MODEL_SIZE),
  holdoutShare: numberBelow(DEFAULT_HOLDOUT_SHARE, 0, HOLDOUT_SHARE_LIMIT),
  epsilon: numberFrom(0, 0),
  delta: numberBelow(0, 0, 1),
  rareValueRows: wholeNumber(DEFAULT_RARE_VALUE_ROWS, { min: 1 }),
  // More than one Generate may ask for would only be refused later, by the form.
  generateRows: wholeNumber(0, { min: 0, max: MAX_GENERATE_ROWS }),
  outputFormat: oneOf(TABLE_FORMATS, 'parquet'),
  outputLocation: text(DEFAULT_OUTPUT_PATTERN),
}

/**
 * The settings from `get` (`WorkspaceConfiguration.get`, say: undefined for a key not set);
 * `warn` hears about each value that was refused.
 */
export function readSettings(get: (key: keyof Settings) => unknown, warn: (problem: string) => void): Settings {
  function read<K extends keyof Settings>(key: K): Settings[K] {
    const rule: Rule<Settings[K]> = RULES[key]
    const value = get(key)
    if (value === undefined || rule.accepts(value)) return value ?? rule.fallback
    warn(
      `setting ${SETTINGS_SECTION}.${key} is ${JSON.stringify(value)}, not ${rule.expected}: using ${JSON.stringify(rule.fallback)} instead`,
    )
    return rule.fallback
  }
  return {
    rowBudget: read('rowBudget'),
    seed: read('seed'),
    backend: read('backend'),
    epochs: read('epochs'),
    timeBudgetSeconds: read('timeBudgetSeconds'),
    modelSize: read('modelSize'),
    holdoutShare: read('holdoutShare'),
    epsilon: read('epsilon'),
    delta: read('delta'),
    rareValueRows: read('rareValueRows'),
    generateRows: read('generateRows'),
    outputFormat: read('outputFormat'),
    outputLocation: read('outputLocation'),
  }
}

/** The settings when the user has set none. */
export const DEFAULT_SETTINGS: Settings = readSettings(
  () => undefined,
  () => undefined,
)

/**
 * Reads the settings afresh each time (the user may change them while a session lives), telling
 * `say` about each refused value once, not at every read.
 */
export class SettingsReader {
  private readonly said = new Set<string>()

  constructor(
    private readonly get: (key: keyof Settings) => unknown,
    private readonly say: (problem: string) => void,
  ) {}

  read(): Settings {
    return readSettings(this.get, (problem) => {
      if (this.said.has(problem)) return
      this.said.add(problem)
      this.say(problem)
    })
  }
}
