// Extension activation, measured in its own process: loading the bundle and running `activate`,
// as VS Code's extension host does on the first Spark Synth command. VS Code itself is not here:
// `vscode` is a stand-in whose every member is a no-op, so the figure is the extension's own cost.
// Usage: node bench/activation.ts <dist/extension.cjs>; prints JSON.
import Module from 'node:module'
import { statSync } from 'node:fs'
import path from 'node:path'

/** Any property is another stand-in, any call returns one: enough for registering commands and editors. */
const standIn: object = new Proxy(
  // A function (not an arrow), so that the proxy can be called and constructed; the traps answer every use.
  function target() {
    // never runs
  },
  {
    get: (_, key) => (key === Symbol.toPrimitive ? () => 'vscode' : standIn),
    apply: () => standIn,
    construct: () => standIn,
  },
)

/** The namespaces and classes the extension takes from `vscode` (bundles copy a module's own keys). */
const API = [
  'commands',
  'window',
  'workspace',
  'env',
  'Uri',
  'Disposable',
  'EventEmitter',
  'ProgressLocation',
  'ViewColumn',
  'Range',
  'WorkspaceEdit',
  'TabInputText',
  'TabInputCustom',
]
const vscode = Object.fromEntries(API.map((name) => [name, standIn]))

const load = (Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown })._load
;(Module as unknown as { _load: typeof load })._load = (request, parent, isMain) =>
  request === 'vscode' ? vscode : load(request, parent, isMain)

const bundle = path.resolve(process.argv[2])
const started = performance.now()
const extension = Module.createRequire(import.meta.url)(bundle) as { activate(context: unknown): void }
const loaded = performance.now()
extension.activate({ subscriptions: [], extensionUri: standIn, extensionPath: path.dirname(path.dirname(bundle)) })
const activated = performance.now()
process.stdout.write(JSON.stringify({ loadMs: loaded - started, activateMs: activated - loaded, bundleKb: statSync(bundle).size / 1024 }))
