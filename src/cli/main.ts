import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { SparkSynthError } from '../core/errors.ts'
import { DEFAULT_ROW_BUDGET, DEFAULT_SEED, sampleDataset } from '../core/io/dataset.ts'
import { extractMetadata } from '../core/meta/document.ts'
import { METADATA_SUFFIX, defaultMetadataPath, writeMetadataFile } from '../core/meta/metadataFile.ts'
import { formatSummary } from './format.ts'

/** Thrown for wrong command-line usage; exits with code 2 after the command's help. */
class UsageError extends Error {}

interface Command {
  readonly usage: string
  readonly summary: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  run(positionals: string[], values: Record<string, string | boolean | undefined>): Promise<void>
}

const SAMPLING_OPTIONS = {
  rows: { type: 'string', short: 'n' },
  seed: { type: 'string', short: 's' },
} as const

const SAMPLING_HELP = `  -n, --rows N     sample at most N rows (default ${DEFAULT_ROW_BUDGET})
  -s, --seed S     sampling seed; the same seed gives the same rows (default ${DEFAULT_SEED})`

function wholeNumber(value: string | boolean | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback
  const number = Number(value)
  if (typeof value !== 'string' || !Number.isInteger(number)) throw new UsageError(`--${flag} takes a whole number, not "${value}"`)
  return number
}

function onePath(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ${what}, got ${positionals.length}`)
  return positionals[0]
}

async function extract(input: string, values: Record<string, string | boolean | undefined>) {
  const { summary, table } = await sampleDataset(input, {
    rows: wholeNumber(values.rows, 'rows', DEFAULT_ROW_BUDGET),
    seed: wholeNumber(values.seed, 'seed', DEFAULT_SEED),
  })
  return extractMetadata(summary, table)
}

/** The embedded default data set: the UCI Adult table as a Spark output folder. */
const EXAMPLE_DATASET = path.resolve(__dirname, '..', 'examples', 'adult')

const COMMANDS: Record<string, Command> = {
  inspect: {
    usage: 'spark-synth inspect <input> [--rows N] [--seed S]',
    summary: 'print a per-column summary of a Parquet/Arrow/CSV file or Spark output folder',
    options: SAMPLING_OPTIONS,
    async run(positionals, values) {
      console.log(formatSummary(await extract(onePath(positionals, 'input'), values)))
    },
  },
  meta: {
    usage: 'spark-synth meta <input> [-o <file>] [--rows N] [--seed S]',
    summary: 'extract the metadata document (default: <input>.synth-meta.json beside the input)',
    options: { ...SAMPLING_OPTIONS, output: { type: 'string', short: 'o' } },
    async run(positionals, values) {
      const input = onePath(positionals, 'input')
      const document = await extract(input, values)
      const target = typeof values.output === 'string' ? values.output : defaultMetadataPath(input)
      await writeMetadataFile(document, target)
      console.log(`wrote ${target} (${document.columns.length} columns, ${document.source.sampleSize} sampled rows)`)
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
      const document = await extract(EXAMPLE_DATASET, {})
      console.log(formatSummary(document))
      const target = path.join(outDir, `adult${METADATA_SUFFIX}`)
      await writeMetadataFile(document, target)
      console.log(`\nwrote ${target}`)
    },
  },
}

function helpText(name?: string): string {
  const command = name ? COMMANDS[name] : undefined
  if (command) {
    const options = name === 'demo' ? '' : `\n\nOptions:\n${SAMPLING_HELP}`
    return `${command.usage}\n\n${command.summary}${options}${'output' in command.options ? '\n  -o, --output     where to write' : ''}\n  -h, --help       show this help`
  }
  const list = Object.entries(COMMANDS).map(([key, c]) => `  ${key.padEnd(9)} ${c.summary}`).join('\n')
  return `spark-synth: synthetic data from a sample of a Spark table, on this machine\n\nUsage: spark-synth <command> [options]\n\nCommands:\n${list}\n\nRun spark-synth <command> --help for a command's options.`
}

/** Runs the CLI; returns the exit code (0 done, 1 bad input, 2 wrong usage, 3 unexpected failure). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(helpText(rest[0]))
    return 0
  }
  const command = COMMANDS[name]
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
    if (error instanceof SparkSynthError) {
      console.error(`spark-synth ${name}: ${error.message}`)
      return 1
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`spark-synth ${name}: ${(error as Error).message}\n\n${helpText(name)}`)
      return 2
    }
    console.error(`spark-synth ${name}: unexpected failure: ${(error as Error).stack ?? error}`)
    return 3
  }
}
