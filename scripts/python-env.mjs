// The Python environment of the tests: a virtual environment under .cache/python holding exactly
// python/requirements.txt, created on first use and re-created when the requirements change.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..')
/** The tests' environment; the peers' benchmark has its own (`PEERS_ENV`), with torch. */
export const TEST_ENV = { requirements: path.join(ROOT, 'python', 'requirements.txt'), venv: path.join(ROOT, '.cache', 'python') }
export const PEERS_ENV = { requirements: path.join(ROOT, 'bench', 'peers', 'requirements.txt'), venv: path.join(ROOT, '.cache', 'peers') }
/** delta-spark's jars, fetched from Maven Central by the first Spark session, kept beside the venv. */
export const IVY_CACHE = path.join(ROOT, '.cache', 'ivy')

/** The venv's python, after making sure the venv holds the pinned requirements (re-created when they change). */
export function ensurePythonEnv({ requirements, venv } = TEST_ENV) {
  const python = path.join(venv, 'bin', 'python')
  const stamp = path.join(venv, 'requirements.sha256')
  const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex')
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return python
  const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' })
  rmSync(venv, { recursive: true, force: true })
  console.log(`python: creating ${path.relative(ROOT, venv)} from ${path.relative(ROOT, requirements)}`)
  run(process.env.PYTHON ?? 'python3', ['-m', 'venv', venv])
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements])
  writeFileSync(stamp, wanted)
  return python
}

/** The environment Python tests and scripts run in: the venv's python first, Delta's jars cached here. */
export function pythonEnvironment(python) {
  return {
    ...process.env,
    PATH: `${path.dirname(python)}${path.delimiter}${process.env.PATH}`,
    SPARK_SYNTH_IVY: IVY_CACHE,
    PYTHONUNBUFFERED: '1',
  }
}
