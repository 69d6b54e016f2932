// Bundles each side of the product with esbuild: the extension host (vscode external), the
// worker child process, its sampling threads, and the CLI, all CommonJS for Node 20 and VS
// Code's extension host; and the metadata editor's webview page, one script for the browser.
import { cpSync, mkdirSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

const production = process.argv.includes('--production')
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // hyparquet ships ESM; `import.meta.url` only feeds its browser paths, which the node build never takes.
  define: { 'import.meta.url': 'undefined' },
}

await Promise.all([
  build({ ...common, entryPoints: { cli: 'src/cli.ts' } }),
  build({ ...common, entryPoints: { worker: 'src/worker/main.ts' } }),
  build({ ...common, entryPoints: { samplingThread: 'src/worker/samplingThread.ts' } }),
  build({ ...common, entryPoints: { extension: 'src/extension.ts' }, external: ['vscode'] }),
  build({
    entryPoints: { main: 'webview/main.ts' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    outdir: 'dist/webview',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  }),
])

// TensorFlow.js' WebAssembly backend loads its binaries from beside the bundle (see src/core/model/tensorflow.ts).
const wasmSource = path.join('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')
mkdirSync(path.join('dist', 'wasm'), { recursive: true })
for (const file of readdirSync(wasmSource).filter((f) => f.endsWith('.wasm')))
  cpSync(path.join(wasmSource, file), path.join('dist', 'wasm', file))
