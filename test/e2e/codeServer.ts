/**
 * The real VS Code for the end-to-end test: code-server (VS Code 1.100's workbench and extension
 * host, served to a browser), installed from npm into .cache/ on first use, with the packaged
 * extension installed into a fresh profile. See ../../../shared/e2e-vscode.md for why code-server.
 */
import { execFile, spawn } from 'node:child_process'
import { createWriteStream, existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from '../helpers.ts'

const run = promisify(execFile)

export const CODE_SERVER_VERSION = '4.100.3'
/** code-server 4.100.3's @vscode/ripgrep downloads this archive unless its cache holds it. */
const RIPGREP_ARCHIVE = { cache: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' }
export const CHROMIUM = '/usr/bin/chromium'

const CACHE = path.join(ROOT, '.cache', 'code-server')
const BINARY = path.join(CACHE, 'node_modules', '.bin', 'code-server')
const DEBIAN_PACKAGES = 'apt-get install -y chromium libkrb5-dev ripgrep'

async function which(command: string): Promise<string | undefined> {
  return run('sh', ['-c', `command -v ${command}`]).then(
    ({ stdout }) => stdout.trim() || undefined,
    () => undefined,
  )
}

/** Fails early, saying what to install, when a system package the test drives is missing. */
export async function checkSystemPackages(): Promise<void> {
  const missing = [existsSync(CHROMIUM) ? undefined : 'chromium', (await which('rg')) ? undefined : 'ripgrep'].filter(Boolean)
  if (missing.length) throw new Error(`the end-to-end test needs ${missing.join(' and ')}: run \`${DEBIAN_PACKAGES}\` (as .ci/run does)`)
}

async function installedVersion(): Promise<string | undefined> {
  const manifest = path.join(CACHE, 'node_modules', 'code-server', 'package.json')
  return readFile(manifest, 'utf8').then(
    (text) => (JSON.parse(text) as { version: string }).version,
    () => undefined,
  )
}

/**
 * The code-server executable, installed into .cache/code-server when missing. Its ripgrep
 * download (from GitHub, unreachable here) is served from a cache seeded with Debian's `rg`.
 */
export async function ensureCodeServer(log: (line: string) => void): Promise<string> {
  if ((await installedVersion()) === CODE_SERVER_VERSION && existsSync(BINARY)) return BINARY
  const rg = await which('rg')
  if (!rg) throw new Error(`installing code-server needs ripgrep: run \`${DEBIAN_PACKAGES}\``)
  const ripgrepCache = path.join(process.env.TMPDIR ?? os.tmpdir(), RIPGREP_ARCHIVE.cache)
  const staging = await mkdtemp(path.join(os.tmpdir(), 'spark-synth-rg-'))
  await cp(rg, path.join(staging, 'rg'))
  await mkdir(ripgrepCache, { recursive: true })
  await run('tar', ['czf', path.join(ripgrepCache, RIPGREP_ARCHIVE.file), '-C', staging, 'rg'])
  await rm(staging, { recursive: true })
  log(`installing code-server ${CODE_SERVER_VERSION} into ${CACHE} (a few minutes, once)`)
  await mkdir(CACHE, { recursive: true })
  await run('npm', ['install', '--prefix', CACHE, '--no-save', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_dangerously_allow_all_scripts: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  })
  if ((await installedVersion()) !== CODE_SERVER_VERSION || !existsSync(BINARY))
    throw new Error(`code-server did not install into ${CACHE}`)
  return BINARY
}

/** Packages the built extension (dist/ must be current) the way it is published. */
export async function packageExtension(outputFolder: string): Promise<string> {
  const vsix = path.join(outputFolder, 'spark-synth.vsix')
  await run(
    path.join(ROOT, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix],
    { cwd: ROOT },
  )
  return vsix
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

export interface CodeServer {
  readonly url: string
  stop(): Promise<void>
}

export interface CodeServerOptions {
  readonly binary: string
  readonly vsix: string
  readonly workspace: string
  /** Where the profile, extensions and the server's log go. */
  readonly stateFolder: string
  readonly settings: Record<string, unknown>
}

/** Installs the extension into a fresh profile and serves the workspace on a loopback port. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const userDataDir = path.join(options.stateFolder, 'user-data')
  const extensionsDir = path.join(options.stateFolder, 'extensions')
  await mkdir(path.join(userDataDir, 'User'), { recursive: true })
  await writeFile(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2))
  // Config, logs and heartbeat in the state folder too, not in the user's home.
  const config = path.join(options.stateFolder, 'config.yaml')
  await writeFile(config, 'auth: none\n')
  const env = { ...process.env, XDG_DATA_HOME: path.join(options.stateFolder, 'data') }
  const profile = ['--config', config, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir]
  await run(options.binary, [...profile, '--install-extension', options.vsix], { env })

  const port = await freePort()
  const log = createWriteStream(path.join(options.stateFolder, 'code-server.log'))
  const child = spawn(
    options.binary,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...profile,
      options.workspace,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env },
  )
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  // Node gives no pid when the spawn itself failed (a missing or unexecutable binary).
  const pid = child.pid
  if (pid === undefined) throw new Error(`code-server could not be started from ${options.binary}`)
  const groupAlive = () => {
    try {
      process.kill(-pid, 0)
      return true
    } catch {
      return false
    }
  }
  // The wrapper leaves its server and extension hosts behind: stop the whole process group,
  // then kill what is left after 5 s (giving up on the wait after 8 s, for unreaped zombies).
  const stop = async () => {
    for (let waited = 0; groupAlive() && waited <= 8000; waited += 100) {
      if (waited === 0 || waited === 5000) {
        try {
          process.kill(-pid, waited === 0 ? 'SIGTERM' : 'SIGKILL')
        } catch {
          return
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    )
    if (healthy) break
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`code-server did not start; see ${path.join(options.stateFolder, 'code-server.log')}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return { url: `${url}/?folder=${encodeURIComponent(options.workspace)}`, stop }
}
