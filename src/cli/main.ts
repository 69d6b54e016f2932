import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { SparkSynthError } from '../core/errors.ts'
import { sampleDataset } from '../core/io/dataset.ts'
import { TABLE_FORMATS, type TableFormat } from '../core/io/tableFormat.ts'
import { extractMetadata } from '../core/meta/document.ts'
import { METADATA_SUFFIX, defaultMetadataPath, writeMetadataFile } from '../core/meta/metadataFile.ts'
import { BACKENDS, type BackendName } from '../core/model/tensorflow.ts'
import { DEFAULT_RARE_VALUE_ROWS } from '../core/meta/protection.ts'
import { MODEL_SIZES, type ModelSize } from '../core/meta/trainingChoices.ts'
import { parseDelta, parseEpsilon, parseHoldoutShare, parseRareValueRows, parseRows, parseSeed, type Parsed } from '../core/numberInput.ts'
import { exportSparkBundle, sparkSubmitUsage } from '../core/output/sparkBundle.ts'
import { EXAMPLE_DATASET } from '../core/output/layout.ts'
import { DEFAULT_HOLDOUT_SHARE, DEFAULT_ROW_BUDGET, DEFAULT_SEED } from '../core/samplingDefaults.ts'
import { formatSummary } from './format.ts'
import { tableJson, tableText } from './preview.ts'
import { Cancelled, reportCommand, sampleCommand, trainCommand } from './synthesis.ts'

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>

/** Thrown for wrong command-line usage; exits with code 2 after the command's help. */
class UsageError extends Error {}

interface Command {
  readonly usage: string
  readonly summary: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  run(positionals: string[], values: Values): Promise<void>
}

const SAMPLING_OPTIONS = {
  rows: { type: 'string', short: 'n' },
  seed: { type: 'string', short: 's' },
} as const

/** Delta time travel, for the commands that read a table. */
const TIME_TRAVEL_OPTIONS = {
  version: { type: 'string' },
  timestamp: { type: 'string' },
} as const

const SAMPLING_HELP = `  -n, --rows N     sample at most N rows (default ${DEFAULT_ROW_BUDGET})
  -s, --seed S     sampling seed; the same seed gives the same rows (default ${DEFAULT_SEED})
  --version N      Delta tables: read version N (default: the latest)
  --timestamp T    Delta tables: read the latest version committed at or before T (2024-05-01, 2024-05-01 12:00:00 UTC, or ISO 8601 with a zone)`

function optionalNumber(value: Values[string], flag: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (typeof value !== 'string' || !Number.isInteger(number))
    throw new UsageError(`--${flag} takes a whole number, not ${JSON.stringify(value)}`)
  return number
}

/** A value read as the palette and the metadata editor read it (`50,000`, `1_000_000`), or undefined when not given. */
function parsedOption(value: Values[string], flag: string, parse: (text: string) => Parsed): number | undefined {
  if (value === undefined) return undefined
  const parsed = typeof value === 'string' ? parse(value) : { problem: 'a value is needed' }
  if ('problem' in parsed) throw new UsageError(`--${flag} ${JSON.stringify(value)}: ${parsed.problem}`)
  return parsed.value
}

/** `--rare-rows K`: k of value protection. */
const rareRowsOption = (values: Values) => parsedOption(values['rare-rows'], 'rare-rows', parseRareValueRows)

/** `--rows`/`-n`: a count of rows, 1 or more. */
const rowsOption = (values: Values) => parsedOption(values.rows, 'rows', parseRows)
/** `--seed`/`-s`: any whole number, negative too. */
const seedOption = (values: Values) => parsedOption(values.seed, 'seed', parseSeed)

function backendOption(value: Values[string]): BackendName | 'auto' {
  if (value === undefined) return 'auto'
  if (typeof value === 'string' && (value === 'auto' || (BACKENDS as readonly string[]).includes(value)))
    return value as BackendName | 'auto'
  throw new UsageError(`--backend takes auto, ${BACKENDS.join(', ')}`)
}

function modelSizeOption(value: Values[string]): ModelSize | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string' && (MODEL_SIZES as readonly string[]).includes(value)) return value as ModelSize
  throw new UsageError(`--model-size takes ${MODEL_SIZES.join(', ')}, not ${JSON.stringify(value)}`)
}

function formatOption(value: Values[string]): TableFormat {
  if (value === undefined) return 'parquet'
  if (typeof value === 'string' && (TABLE_FORMATS as readonly string[]).includes(value)) return value as TableFormat
  throw new UsageError(`--format takes ${TABLE_FORMATS.join(' or ')}, not ${JSON.stringify(value)}`)
}

function onePath(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ${what}, got ${positionals.length}`)
  return positionals[0]
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/

/** `--timestamp`: a date or date-time as Spark's `timestampAsOf` takes it; without a zone, UTC. */
function timestampOption(value: Values[string]): Date | undefined {
  if (value === undefined) return undefined
  const match = typeof value === 'string' ? TIMESTAMP.exec(value.trim()) : null
  // Absent optional groups are undefined at run time, which the defaults fill in.
  const [, date, time = '00:00:00', zone = 'Z'] = match ?? []
  const instant = match ? new Date(`${date}T${time}${zone}`) : undefined
  if (!instant || Number.isNaN(instant.getTime()))
    throw new UsageError(`--timestamp takes a date or date-time such as 2024-05-01 or 2024-05-01T12:00:00Z, not ${JSON.stringify(value)}`)
  return instant
}

/** The Delta version or instant asked for (at most one of them). */
function timeTravel(values: Values): { version?: number; timestamp?: Date } {
  const version = optionalNumber(values.version, 'version')
  const timestamp = timestampOption(values.timestamp)
  if (version !== undefined && timestamp !== undefined) throw new UsageError('pass --version or --timestamp, not both')
  if (version !== undefined && version < 0) throw new UsageError('--version takes a version number, 0 or more')
  return { ...(version === undefined ? {} : { version }), ...(timestamp === undefined ? {} : { timestamp }) }
}

async function extract(input: string, values: Values) {
  const { summary, table } = await sampleDataset(input, {
    rows: rowsOption(values) ?? DEFAULT_ROW_BUDGET,
    seed: seedOption(values) ?? DEFAULT_SEED,
    ...timeTravel(values),
  })
  return extractMetadata(summary, table, rareRowsOption(values))
}

/** Rows `preview` prints unless told otherwise. */
const PREVIEW_ROWS = 20

/** The embedded default data set: the UCI Adult table as a Spark output folder. */
const EXAMPLE = path.resolve(__dirname, '..', ...EXAMPLE_DATASET)

const COMMANDS: Record<string, Command> = {
  inspect: {
    usage: 'spark-synth inspect <input> [--rows N] [--seed S] [--version N | --timestamp T]',
    summary: 'print a per-column summary of a Parquet/Arrow/CSV file, Spark output folder or Delta table',
    options: { ...SAMPLING_OPTIONS, ...TIME_TRAVEL_OPTIONS },
    async run(positionals, values) {
      console.log(formatSummary(await extract(onePath(positionals, 'input'), values)))
    },
  },
  preview: {
    usage: 'spark-synth preview <input> [--rows N] [--seed S] [--version N | --timestamp T] [--json]',
    summary: 'print a seeded sample of rows as a table, or as JSON with --json (default 20 rows)',
    options: { ...SAMPLING_OPTIONS, ...TIME_TRAVEL_OPTIONS, json: { type: 'boolean' } },
    async run(positionals, values) {
      const { table } = await sampleDataset(onePath(positionals, 'input'), {
        rows: rowsOption(values) ?? PREVIEW_ROWS,
        seed: seedOption(values) ?? DEFAULT_SEED,
        ...timeTravel(values),
      })
      console.log(values.json === true ? tableJson(table) : tableText(table))
    },
  },
  meta: {
    usage: 'spark-synth meta <input> [-o <file>] [--rows N] [--seed S] [--rare-rows K] [--version N | --timestamp T]',
    summary: 'extract the metadata document (default: <input>.synth-meta.json beside the input)',
    options: { ...SAMPLING_OPTIONS, ...TIME_TRAVEL_OPTIONS, output: { type: 'string', short: 'o' }, 'rare-rows': { type: 'string' } },
    async run(positionals, values) {
      const input = onePath(positionals, 'input')
      const document = await extract(input, values)
      const target = typeof values.output === 'string' ? values.output : defaultMetadataPath(input)
      await writeMetadataFile(document, target)
      console.log(`wrote ${target} (${document.columns.length} columns, ${document.source.sampleSize} sampled rows)`)
    },
  },
  train: {
    usage:
      'spark-synth train <input> -o <model-dir> [--meta <file>] [--epochs N] [--time-budget S] [--model-size small|medium|large] [--seed S] [--holdout SHARE] [--rare-rows K] [--epsilon E [--delta D]] [--version N | --timestamp T] [--backend B]',
    summary: 'train the synthesizer on a sample of the input (Ctrl-C cancels and writes nothing)',
    options: {
      ...SAMPLING_OPTIONS,
      ...TIME_TRAVEL_OPTIONS,
      output: { type: 'string', short: 'o' },
      meta: { type: 'string', short: 'm' },
      epochs: { type: 'string', short: 'e' },
      'time-budget': { type: 'string' },
      'model-size': { type: 'string' },
      holdout: { type: 'string' },
      epsilon: { type: 'string' },
      delta: { type: 'string' },
      'rare-rows': { type: 'string' },
      backend: { type: 'string', short: 'b' },
    },
    async run(positionals, values) {
      if (typeof values.output !== 'string') throw new UsageError('train needs -o <model-dir>')
      if (values.delta !== undefined && values.epsilon === undefined) throw new UsageError('--delta needs --epsilon')
      await trainCommand({
        input: onePath(positionals, 'input'),
        output: values.output,
        meta: typeof values.meta === 'string' ? values.meta : undefined,
        rows: rowsOption(values),
        seed: seedOption(values),
        epochs: optionalNumber(values.epochs, 'epochs'),
        timeBudgetSeconds: optionalNumber(values['time-budget'], 'time-budget'),
        modelSize: modelSizeOption(values['model-size']),
        holdoutShare: parsedOption(values.holdout, 'holdout', parseHoldoutShare),
        epsilon: parsedOption(values.epsilon, 'epsilon', parseEpsilon),
        delta: parsedOption(values.delta, 'delta', parseDelta),
        rareValueRows: rareRowsOption(values),
        backend: backendOption(values.backend),
        ...timeTravel(values),
      })
    },
  },
  sample: {
    usage:
      'spark-synth sample <model-dir> -n <rows> -o <output> [--seed S] [--format parquet|delta] [--where col=value]… [--target col] [--no-report] [--overwrite] [--backend B]',
    summary:
      'generate synthetic rows into <output>: data/ (a Spark folder or Delta table), reload_synthetic.py, take_sample.py and the quality report',
    options: {
      rows: { type: 'string', short: 'n' },
      seed: { type: 'string', short: 's' },
      output: { type: 'string', short: 'o' },
      where: { type: 'string', short: 'w', multiple: true },
      target: { type: 'string', short: 't' },
      'no-report': { type: 'boolean' },
      overwrite: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      backend: { type: 'string', short: 'b' },
    },
    async run(positionals, values) {
      if (typeof values.output !== 'string') throw new UsageError('sample needs -o <output>')
      const rows = rowsOption(values)
      if (rows === undefined) throw new UsageError('sample needs -n <rows>, a positive whole number')
      const where: Record<string, string> = {}
      for (const condition of (values.where as string[] | undefined) ?? []) {
        const eq = condition.indexOf('=')
        if (eq <= 0) throw new UsageError(`--where takes column=value, not "${condition}"`)
        where[condition.slice(0, eq)] = condition.slice(eq + 1)
      }
      await sampleCommand({
        model: onePath(positionals, 'model folder'),
        rows,
        output: values.output,
        seed: seedOption(values) ?? DEFAULT_SEED,
        where,
        overwrite: values.overwrite === true,
        format: formatOption(values.format),
        backend: backendOption(values.backend),
        report: values['no-report'] !== true,
        target: typeof values.target === 'string' ? values.target : undefined,
      })
    },
  },
  'export-spark': {
    usage: 'spark-synth export-spark <model-dir> -o <dir> [--overwrite]',
    summary: 'write a Spark job generating synthetic rows on a cluster: model/, spark_synth.zip and generate_synthetic.py for spark-submit',
    options: { output: { type: 'string', short: 'o' }, overwrite: { type: 'boolean' } },
    async run(positionals, values) {
      if (typeof values.output !== 'string') throw new UsageError('export-spark needs -o <dir>')
      const model = onePath(positionals, 'model folder')
      await exportSparkBundle({ model, output: values.output, overwrite: values.overwrite === true })
      console.log(`wrote ${values.output}: run it with\n  ${sparkSubmitUsage(values.output)}`)
    },
  },
  report: {
    usage:
      'spark-synth report --real <input> --synthetic <output> [--model <model-dir> | --meta <file>] [--target col] [-o <dir>] [--backend B]',
    summary: 'score synthetic rows against the real ones: quality-report.json and quality-report.html',
    options: {
      real: { type: 'string', short: 'r' },
      synthetic: { type: 'string' },
      model: { type: 'string' },
      meta: { type: 'string', short: 'm' },
      target: { type: 'string', short: 't' },
      output: { type: 'string', short: 'o' },
      backend: { type: 'string', short: 'b' },
    },
    async run(positionals, values) {
      if (positionals.length) throw new UsageError('report takes --real and --synthetic, not positional arguments')
      if (typeof values.real !== 'string' || typeof values.synthetic !== 'string')
        throw new UsageError('report needs --real <input> and --synthetic <output>')
      if (typeof values.model === 'string' && values.meta !== undefined)
        throw new UsageError('pass --model or --meta, not both: a model carries the metadata it learned from')
      await reportCommand({
        real: values.real,
        synthetic: values.synthetic,
        model: typeof values.model === 'string' ? values.model : undefined,
        meta: typeof values.meta === 'string' ? values.meta : undefined,
        target: typeof values.target === 'string' ? values.target : undefined,
        output: typeof values.output === 'string' ? values.output : values.synthetic,
        backend: backendOption(values.backend),
      })
    },
  },
  demo: {
    usage: 'spark-synth demo [-o <dir>]',
    summary: 'run the whole flow on the embedded UCI Adult sample (default output: ./out/demo)',
    options: { output: { type: 'string', short: 'o' } },
    async run(positionals, values) {
      if (positionals.length) throw new UsageError('demo takes no input: it uses the embedded Adult sample')
      const outDir = path.resolve(typeof values.output === 'string' ? values.output : path.join('out', 'demo'))
      await mkdir(outDir, { recursive: true })
      const document = await extract(EXAMPLE, {})
      console.log(formatSummary(document))
      const meta = path.join(outDir, `adult${METADATA_SUFFIX}`)
      await writeMetadataFile(document, meta)
      console.log(`\nwrote ${meta}`)
      const model = path.join(outDir, 'model')
      await trainCommand({ input: EXAMPLE, output: model, meta, backend: 'auto' })
      await sampleCommand({
        model,
        rows: document.source.sampleSize,
        output: path.join(outDir, 'synthetic'),
        seed: DEFAULT_SEED,
        overwrite: true,
        backend: 'auto',
        target: 'income',
      })
    },
  },
}

const OPTION_HELP: readonly [string, string][] = [
  ['rows', '-n, --rows N        how many rows to generate'],
  ['seed', '-s, --seed S        the same seed gives the same rows'],
  ['output', '-o, --output PATH   where to write (report: default the synthetic output folder)'],
  ['meta', '-m, --meta FILE     metadata document (default: beside the input, else extracted)'],
  ['epochs', "-e, --epochs N      training epochs (default: the document's training.epochs, else from the sample size, 20 to 400)"],
  [
    'time-budget',
    "    --time-budget S stop training after the epoch that passes S seconds (default: the document's training.timeBudgetSeconds, else none)",
  ],
  [
    'model-size',
    "    --model-size Z  the network's hidden layers: small (2 × 64 units), medium (2 × 128) or large (2 × 256) (default: the document's training.modelSize, else medium)",
  ],
  ['backend', '-b, --backend B     auto (fastest that loads), tensorflow, wasm or cpu'],
  [
    'holdout',
    `    --holdout SHARE when the sample is the whole input, keep this share of it out of training for the report (default: the document's privacy.holdoutShare, else ${DEFAULT_HOLDOUT_SHARE}; 0: none)`,
  ],
  [
    'epsilon',
    "    --epsilon E     train to (E, delta)-differential privacy: the whole model, encodings and network (default: the document's privacy.epsilon)",
  ],
  ['delta', "    --delta D       with --epsilon: the delta (default: the document's, else 1 / (10 × rows trained on))"],
  [
    'rare-rows',
    `    --rare-rows K   value protection: a value seen in fewer than K sampled rows is never generated, numbers are clipped to the K-th smallest and largest (default ${DEFAULT_RARE_VALUE_ROWS}; 1: none)`,
  ],
  ['model', '    --model DIR     the model that generated the rows: its sample and holdout are compared (instead of --meta)'],
  ['where', '-w, --where C=V     only rows whose column C is V (repeatable)'],
  ['real', '-r, --real INPUT    the real data the synthesizer learned from'],
  ['synthetic', '    --synthetic P   a synthetic output folder (or a Spark folder of synthetic rows)'],
  ['target', "-t, --target C      measure utility: predict column C trained on synthetic, tested on real (default: the document's target)"],
  ['no-report', '    --no-report     skip the quality report (it reads the source data again)'],
  ['overwrite', '    --overwrite     replace an existing output'],
  [
    'format',
    '-f, --format F      parquet (default): data/ as a Spark Parquet folder; delta: the same files as a Delta table (data/_delta_log/)',
  ],
  ['json', '    --json          print JSON: the columns, then the rows (NaN, Infinity as strings; binary as base64)'],
]

/** The command called `name`; undefined for any other word (`constructor` included). */
function commandNamed(name: string | undefined): Command | undefined {
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
}

function helpText(name?: string): string {
  const command = commandNamed(name)
  if (command) {
    const options =
      name === 'inspect' || name === 'preview' || name === 'meta' || name === 'train' ? `\n\nOptions:\n${SAMPLING_HELP}` : '\n\nOptions:'
    const extra = OPTION_HELP.filter(
      ([flag]) => flag in command.options && !((flag in SAMPLING_OPTIONS || flag in TIME_TRAVEL_OPTIONS) && options.includes('--rows N')),
    )
      .map(([, text]) => `\n  ${text}`)
      .join('')
    return `${command.usage}\n\n${command.summary}${options}${extra}\n  -h, --help          show this help`
  }
  const list = Object.entries(COMMANDS)
    .map(([key, c]) => `  ${key.padEnd(12)} ${c.summary}`)
    .join('\n')
  return `spark-synth: synthetic data from a sample of a Spark table, on this machine\n\nUsage: spark-synth <command> [options]\n\nCommands:\n${list}\n\nRun spark-synth <command> --help for a command's options.`
}

/** Runs the CLI; returns the exit code (0 done, 1 bad input, 2 wrong usage, 3 unexpected failure, 130 cancelled). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(helpText(rest[0]))
    return 0
  }
  const command = commandNamed(name)
  if (!command) {
    console.error(`spark-synth: unknown command "${name}"\n\n${helpText()}`)
    return 2
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    })
    if (values.help) {
      console.log(helpText(name))
      return 0
    }
    await command.run(positionals, values)
    return 0
  } catch (error) {
    if (error instanceof Cancelled) {
      console.error(error.message)
      return 130
    }
    if (error instanceof SparkSynthError) {
      console.error(`spark-synth ${name}: ${error.message}`)
      return 1
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`spark-synth ${name}: ${(error as Error).message}\n\n${helpText(name)}`)
      return 2
    }
    console.error(`spark-synth ${name}: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return 3
  }
}
