import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type * as TF from '@tensorflow/tfjs'

/** The TensorFlow.js namespace; the model takes it as a value so any backend's copy works. */
export type Tf = typeof TF

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKENDS)[number]

export interface LoadedTensorFlow {
  readonly tf: Tf
  readonly backend: BackendName
  /** Faster backends that did not load, with the reason, for the log and the report. */
  readonly skipped: readonly string[]
}

// Bundles define `import.meta.url` as undefined and have `__dirname`; sources (ESM) the reverse.
const here = import.meta.url ? path.dirname(fileURLToPath(import.meta.url)) : __dirname
const requireHere = createRequire(path.join(here, 'index.js'))

/** Where the wasm binaries are: copied beside the bundle, or in the npm package when run from source. */
function wasmDirectory(): string {
  const bundled = path.join(here, 'wasm')
  if (existsSync(bundled)) return `${bundled}${path.sep}`
  return `${path.dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`
}

async function tryTensorflowNode(): Promise<Tf> {
  // tfjs-node brings its own tfjs-core with the native backend registered on it, so its namespace is used as a whole.
  const tf = requireHere('@tensorflow/tfjs-node') as Tf
  await tf.ready()
  return tf
}

async function tryBundled(backend: 'wasm' | 'cpu'): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs')
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm')
    wasm.setWasmPaths(wasmDirectory())
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not initialise`)
  await tf.ready()
  return tf
}

/** `TensorFlow.js backend: wasm (the native backend needs the optional @tensorflow/tfjs-node)`, for logs and the terminal. */
export function describeBackend(loaded: LoadedTensorFlow): string {
  const passed = loaded.skipped.map((reason) =>
    // The native backend is an optional package: its absence is a choice, said as such, not an error.
    reason.startsWith('tensorflow: Cannot find module') ? 'the native backend needs the optional @tensorflow/tfjs-node' : reason,
  )
  return `TensorFlow.js backend: ${loaded.backend}${passed.length ? ` (${passed.join('; ')})` : ''}`
}

/**
 * Loads TensorFlow.js on the fastest backend that works here: native libtensorflow through
 * the optional `@tensorflow/tfjs-node`, else WebAssembly (SIMD), else plain JavaScript.
 * `preferred` forces one backend (and fails if it cannot load).
 */
export async function loadTensorFlow(preferred: BackendName | 'auto' = 'auto'): Promise<LoadedTensorFlow> {
  const order: BackendName[] = preferred === 'auto' ? [...BACKENDS] : [preferred]
  const skipped: string[] = []
  for (const backend of order) {
    try {
      const tf = backend === 'tensorflow' ? await tryTensorflowNode() : await tryBundled(backend)
      return { tf, backend, skipped }
    } catch (error) {
      skipped.push(`${backend}: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  throw new Error(`no TensorFlow.js backend could load (${skipped.join('; ')})`)
}
