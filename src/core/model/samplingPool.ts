/**
 * The network's draws, made in parallel: TensorFlow.js runs WebAssembly and plain JavaScript on
 * one thread, so each thread of the pool loads its own copy of the model and draws whole batches
 * while the caller decodes and writes the ones before. Draws depend only on their seed, so the
 * rows are the same as when drawn in process.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ModelDraw } from './model.ts'
import type { BackendName } from './tensorflow.ts'

/** What a sampling thread is started with. */
export interface SamplingThreadData {
  readonly model: string
  readonly backend: BackendName
}

export interface SamplingRequest {
  readonly id: number
  readonly rows: number
  readonly seed: number
}
export type SamplingReply =
  | { readonly type: 'ready' }
  | ({ readonly type: 'draw'; readonly id: number } & ModelDraw)
  | { readonly type: 'error'; readonly message: string }

// Bundles define `import.meta.url` as undefined and have `__dirname`; sources (ESM) the reverse.
const here = import.meta.url ? path.dirname(fileURLToPath(import.meta.url)) : __dirname

/**
 * A sampling thread: the script bundled beside this bundle, or, run from source (tests, bench),
 * the TypeScript entry loaded through tsx, which a thread does not inherit from its parent.
 */
function startThread(workerData: SamplingThreadData): Worker {
  const bundled = path.join(here, 'samplingThread.cjs')
  if (existsSync(bundled)) return new Worker(bundled, { workerData })
  const source = pathToFileURL(path.resolve(here, '..', '..', 'worker', 'samplingThread.ts')).href
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}) })`, {
    eval: true,
    workerData,
  })
}

interface Pending {
  resolve(draw: ModelDraw): void
  reject(error: Error): void
}

class SamplingThread {
  private readonly pending = new Map<number, Pending>()
  private failure: Error | undefined
  readonly ready: Promise<void>

  constructor(readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => {
      worker.on('message', (reply: SamplingReply) => {
        if (reply.type === 'ready') resolve()
        else if (reply.type === 'error') this.fail(new Error(reply.message), reject)
        else {
          this.pending.get(reply.id)?.resolve({ slots: reply.slots, offsets: reply.offsets })
          this.pending.delete(reply.id)
        }
      })
      worker.on('error', (error) => {
        this.fail(error, reject)
      })
      worker.on('exit', (code) => {
        this.fail(new Error(`a sampling thread stopped (exit code ${code})`), reject)
      })
    })
  }

  private fail(error: Error, reject: (error: Error) => void): void {
    this.failure ??= error
    reject(error)
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }

  get load(): number {
    return this.pending.size
  }

  draw(request: SamplingRequest): Promise<ModelDraw> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject })
      this.worker.postMessage(request)
    })
  }
}

export class SamplingPool {
  private next = 0
  private closing: Promise<void> | undefined

  private constructor(private readonly threads: readonly SamplingThread[]) {}

  /** Starts `size` threads, each with the model folder loaded on `backend`. */
  static async open(model: string, backend: BackendName, size: number): Promise<SamplingPool> {
    const workerData: SamplingThreadData = { model, backend }
    const threads = Array.from({ length: size }, () => new SamplingThread(startThread(workerData)))
    const pool = new SamplingPool(threads)
    try {
      await Promise.all(threads.map((thread) => thread.ready))
    } catch (error) {
      await pool.close()
      throw error
    }
    return pool
  }

  get size(): number {
    return this.threads.length
  }

  /** The network's draw of `rows` rows with `seed`, made by the least busy thread. */
  draw(rows: number, seed: number): Promise<ModelDraw> {
    const thread = this.threads.reduce((best, candidate) => (candidate.load < best.load ? candidate : best))
    return thread.draw({ id: this.next++, rows, seed })
  }

  /** Stops the threads; calling it again does nothing. */
  async close(): Promise<void> {
    this.closing ??= Promise.all(this.threads.map((thread) => thread.worker.terminate())).then(() => undefined)
    await this.closing
  }
}
