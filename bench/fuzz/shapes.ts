/**
 * The Shapes part of `npm run fuzz`: tables of extreme but legal shapes (`shapeInputs.ts`) put
 * through the real flow of the built CLI — `meta`, a one-epoch `train`, `sample` a few rows — each
 * step a child process whose wall time and peak resident set are measured. Each shape must work, or be
 * refused clearly (exit 1 with one short paragraph naming the input, no stack trace); anything else
 * (a crash, a stack trace, a step past the time or memory limit) is `other`.
 */
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Random } from '../../src/core/random.ts'
import { runStep, writeRssReporter, type StepResult } from './cliSteps.ts'
import type { FuzzPart, FuzzRow } from './part.ts'
import { shapes, type Shape } from './shapeInputs.ts'
import { formatCount } from '../../src/core/formatCount.ts'

/** A step that takes longer than this is not a clear failure, whatever it ends with. */
const STEP_SECONDS = 300
/** A step whose resident set passes this is not bounded. */
const RSS_LIMIT_MB = 3 * 1024
/** A refusal longer than this is not one paragraph a user reads (a 10,000-character name echoed whole). */
const MESSAGE_LIMIT = 1_000
const SAMPLE_ROWS = '5'

interface Step {
  readonly name: string
  readonly args: readonly string[]
  /** What the step must leave behind when it exits 0. */
  readonly output: string
}

type Outcome = 'works' | 'refused clearly' | 'other'

interface Verdict {
  readonly outcome: Outcome
  /** The step that refused, or why the shape ended in `other`. */
  readonly detail?: string
}

/** The flow a user runs on an input: extract the metadata, train briefly, sample a few rows. */
function flow(input: string, dir: string): Step[] {
  const meta = path.join(dir, 'input.synth-meta.json')
  const model = path.join(dir, 'model')
  const output = path.join(dir, 'synthetic')
  return [
    { name: 'meta', args: ['meta', input, '-o', meta], output: meta },
    { name: 'train', args: ['train', input, '-o', model, '--meta', meta, '--epochs', '1', '--seed', '1'], output: model },
    { name: 'sample', args: ['sample', model, '-n', SAMPLE_ROWS, '-o', output, '--seed', '1'], output: path.join(output, 'data') },
  ]
}

const STACK_FRAME = /^\s+at \S/m

/** The CLI's final message for a failed step: from its last `spark-synth <step>:` line on. */
function finalMessage(stderr: string, step: string): string {
  const start = stderr.lastIndexOf(`spark-synth ${step}:`)
  return (start < 0 ? stderr : stderr.slice(start)).trim()
}

/** Why a failed step's message is not a clear refusal, or undefined when it is one. */
function unclear(result: StepResult, step: string, dir: string): string | undefined {
  if (result.code !== 1) return `exit code ${String(result.code)}`
  if (STACK_FRAME.test(result.stderr)) return 'a stack trace'
  const message = finalMessage(result.stderr, step)
  if (message.includes('\n\n')) return 'more than one paragraph'
  if (message.length > MESSAGE_LIMIT) return `a message of ${formatCount(message.length)} characters`
  // The input, the metadata document or the model folder: all live in the shape's folder.
  if (!message.includes(dir)) return 'a message naming no file'
  return undefined
}

const firstLine = (text: string) => text.trim().split('\n')[0].slice(0, 300)

async function judgeStep(step: Step, result: StepResult, dir: string): Promise<Verdict | undefined> {
  const where = `${step.name} (${result.seconds.toFixed(1)} s, ${result.peakRssMb.toFixed(0)} MB)`
  if (result.timedOut) return { outcome: 'other', detail: `${where}: still running after ${STEP_SECONDS} s` }
  if (result.overMemory || result.peakRssMb > RSS_LIMIT_MB)
    return { outcome: 'other', detail: `${where}: resident set past ${RSS_LIMIT_MB} MB` }
  if (result.code === 0) {
    if (STACK_FRAME.test(result.stderr)) return { outcome: 'other', detail: `${where}: exit 0 but a stack trace on stderr` }
    const present = await access(step.output).then(
      () => true,
      () => false,
    )
    return present ? undefined : { outcome: 'other', detail: `${where}: exit 0 but no ${path.basename(step.output)}` }
  }
  const problem = unclear(result, step.name, dir)
  if (problem) return { outcome: 'other', detail: `${where}: ${problem}: ${firstLine(finalMessage(result.stderr, step.name))}` }
  return { outcome: 'refused clearly', detail: `by ${step.name}: ${firstLine(finalMessage(result.stderr, step.name))}` }
}

/** Puts one shape through the flow; the first step that fails decides the outcome. */
async function tryShape(shape: Shape, seed: number, scratch: string, reporter: string): Promise<FuzzRow> {
  const dir = path.join(scratch, 'shape')
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir)
  const input = await shape.write(dir, new Random(seed))
  let verdict: Verdict = { outcome: 'works' }
  let peakRssMb = 0
  let seconds = 0
  for (const step of flow(input, dir)) {
    const result = await runStep(step.args, reporter, { seconds: STEP_SECONDS, rssMb: RSS_LIMIT_MB })
    peakRssMb = Math.max(peakRssMb, result.peakRssMb)
    seconds += result.seconds
    const failed = await judgeStep(step, result, dir)
    if (failed) {
      verdict = failed
      break
    }
  }
  await rm(dir, { recursive: true, force: true })
  const outcomes: Record<Outcome, number> = { works: 0, 'refused clearly': 0, other: 0 }
  outcomes[verdict.outcome]++
  const refusal = verdict.outcome === 'refused clearly' ? `, refused ${verdict.detail?.split(':')[0] ?? ''}` : ''
  return {
    part: 'shapes',
    case: `${shape.label} (peak RSS ${peakRssMb.toFixed(0)} MB, ${seconds.toFixed(1)} s${refusal})`,
    tried: 1,
    outcomes,
    mustBeZero: ['other'],
    examples: verdict.outcome === 'works' ? [] : [`${shape.label}: ${verdict.detail ?? ''}`],
  }
}

export const shapesPart: FuzzPart = async ({ seed, scale, only }) => {
  const chosen = shapes(scale).filter(({ label }) => only === undefined || label.includes(only))
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'spark-synth-shapes-'))
  try {
    const reporter = await writeRssReporter(scratch)
    const rows: FuzzRow[] = []
    for (const shape of chosen) rows.push(await tryShape(shape, seed, scratch, reporter))
    return rows
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}
