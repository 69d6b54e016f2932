/**
 * Runs one step of the product's flow (`meta`, `train`, `sample`) through the built CLI in a child
 * process, as a user would, and measures it: exit code, output, wall time and peak resident set.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
export const CLI = path.join(ROOT, 'dist', 'cli.cjs')

/**
 * Preloaded into the child (`--require`): writes its peak resident set on exit, in kilobytes. On Linux
 * from /proc (VmHWM, worker threads included): `resourceUsage().maxRSS` keeps the high-water mark of
 * the process before exec, which is the fuzz runner's own, so it is only the fallback elsewhere.
 */
const RSS_REPORTER = `const { readFileSync, writeFileSync } = require('node:fs')
function peakKilobytes() {
  try {
    const match = /^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (match) return Number(match[1])
  } catch {}
  return process.resourceUsage().maxRSS
}
process.on('exit', () => writeFileSync(process.env.SPARK_SYNTH_RSS_FILE, String(peakKilobytes())))
`

export interface StepLimits {
  readonly seconds: number
  /** The child is killed when its resident set passes this (checked every quarter second, on Linux). */
  readonly rssMb: number
}

export interface StepResult {
  /** The exit code, or undefined when the step was killed (time limit) or died of a signal. */
  readonly code: number | undefined
  readonly signal?: string
  readonly timedOut: boolean
  /** Killed for passing the resident set limit. */
  readonly overMemory: boolean
  readonly stdout: string
  readonly stderr: string
  readonly seconds: number
  /** Peak resident set in MB: the child's own figure, or the highest seen when it was killed. */
  readonly peakRssMb: number
}

/** A process's peak resident set so far in MB from /proc (Linux), or 0 where there is none. */
function peakResidentMb(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : 0
  } catch {
    return 0
  }
}

/** Writes the preloaded reporter into `scratch`; returns its path for {@link runStep}. */
export async function writeRssReporter(scratch: string): Promise<string> {
  const file = path.join(scratch, 'rss-reporter.cjs')
  await writeFile(file, RSS_REPORTER)
  return file
}

/** Runs `node dist/cli.cjs ...args` with the reporter preloaded, killing it past the time limit. */
export async function runStep(args: readonly string[], reporter: string, limits: StepLimits): Promise<StepResult> {
  const rssFile = `${reporter}.${process.pid}.rss`
  await rm(rssFile, { force: true })
  const started = performance.now()
  const child = spawn(process.execPath, ['--require', reporter, CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, SPARK_SYNTH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, limits.seconds * 1000)
  // A runaway allocation must not take the machine down before the child exits and reports.
  let overMemory = false
  let seenMb = 0
  const watch = setInterval(() => {
    seenMb = Math.max(seenMb, child.pid === undefined ? 0 : peakResidentMb(child.pid))
    if (seenMb > limits.rssMb && !overMemory) {
      overMemory = true
      child.kill('SIGKILL')
    }
  }, 250)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (exitCode, exitSignal) => {
      resolve([exitCode, exitSignal])
    }),
  )
  clearTimeout(timer)
  clearInterval(watch)
  const seconds = (performance.now() - started) / 1000
  const kilobytes = Number(await readFile(rssFile, 'utf8').catch(() => '0'))
  await rm(rssFile, { force: true })
  return {
    code: code ?? undefined,
    ...(signal ? { signal } : {}),
    timedOut,
    overMemory,
    stdout,
    stderr,
    seconds,
    peakRssMb: Math.max(kilobytes / 1024, seenMb),
  }
}
