// Bundles each side of the product with esbuild: the extension host (vscode external), the
// worker child process, and the CLI. All are CommonJS for Node 20 and VS Code's extension host.
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
  build({ ...common, entryPoints: { extension: 'src/extension.ts' }, external: ['vscode'] }),
])
