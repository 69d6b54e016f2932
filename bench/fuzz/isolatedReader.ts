/**
 * Reads inputs in one reused child process (`readChild.ts`) with a time limit per input and a heap
 * cap, so that a hang, a crash or an unbounded allocation is counted as an outcome rather than
 * ending the run. The child is restarted after each such failure.
 */
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'

export interface ReadRequest {
  readonly input: string
}

export interface ReadReply {
  readonly outcome: 'read' | 'refused' | 'other'
  /** Why an input ended as `other`. */
  readonly detail?: string
  /** The child's peak resident set so far, in MB. */
  readonly peakRssMb: number
}

const CHILD = path.join(import.meta.dirname, 'readChild.ts')
/** A corrupt file must fail well within this; the longest clean read here takes well under a second. */
const TIME_LIMIT_MS = 10_000
const HEAP_CAP_MB = 512
/** Beyond the heap, buffers are counted too: a child whose resident set passes this has allocated from a corrupt length. */
const RSS_LIMIT_MB = 1024

interface Pending {
  readonly resolve: (reply: ReadReply) => void
  readonly timer: NodeJS.Timeout
}

export class IsolatedReader {
  private child: ChildProcess | undefined
  private pending: Pending | undefined
  /** What the child printed on stderr while the current input was read: a stack trace, a warning. */
  private printed = ''
  private peakRssMb = 0

  /** The highest resident set any child reached. */
  get peakRss(): number {
    return this.peakRssMb
  }

  read(input: string): Promise<ReadReply> {
    const child = this.child ?? this.start()
    this.printed = ''
    return new Promise<ReadReply>((resolve) => {
      const timer = setTimeout(() => {
        this.fail(`timeout: no answer within ${TIME_LIMIT_MS / 1000} s`)
      }, TIME_LIMIT_MS)
      this.pending = { resolve, timer }
      child.send({ input } satisfies ReadRequest)
    })
  }

  async close(): Promise<void> {
    const child = this.child
    this.child = undefined
    if (child?.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }

  private start(): ChildProcess {
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${HEAP_CAP_MB}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    const collect = (chunk: Buffer) => (this.printed += chunk.toString())
    child.stdout?.on('data', collect)
    child.stderr?.on('data', collect)
    child.on('message', (reply: ReadReply) => {
      this.peakRssMb = Math.max(this.peakRssMb, reply.peakRssMb)
      if (reply.peakRssMb > RSS_LIMIT_MB) this.fail(`resident set reached ${reply.peakRssMb.toFixed(0)} MB`)
      else if (this.printed.trim()) this.fail(`printed: ${firstLine(this.printed)}`)
      else this.settle(reply)
    })
    child.on('exit', (code, signal) => {
      // A child this reader already dropped (killed after a failure) says nothing about the current input.
      if (this.child !== child) return
      this.child = undefined
      this.fail(`the child ended (${signal ?? `exit code ${code}`}): ${firstLine(this.printed) || 'no output'}`)
    })
    this.child = child
    return child
  }

  private settle(reply: ReadReply): void {
    const pending = this.pending
    if (!pending) return
    this.pending = undefined
    clearTimeout(pending.timer)
    pending.resolve(reply)
  }

  /** Ends the current input as `other` and drops the child, which may be hung or damaged. */
  private fail(detail: string): void {
    if (!this.pending) return
    this.settle({ outcome: 'other', detail, peakRssMb: this.peakRssMb })
    void this.close()
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]
}
