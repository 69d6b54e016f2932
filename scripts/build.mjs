// Bundles the extension host, the CLI and (later) the worker and webview with esbuild.
import { build } from 'esbuild'

const production = process.argv.includes('--production')
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // hyparquet ships ESM; `import.meta.url` only feeds its browser paths, which the node build never takes.
  define: { 'import.meta.url': 'undefined' },
}

await Promise.all([
  build({ ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' } }),
])
