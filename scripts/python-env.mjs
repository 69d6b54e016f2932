// The Python environment of the tests: a virtual environment under .cache/python holding exactly
// python/requirements.txt, created on first use and re-created when the requirements change.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..')
const REQUIREMENTS = path.join(ROOT, 'python', 'requirements.txt')
const VENV = path.join(ROOT, '.cache', 'python')
const STAMP = path.join(VENV, 'requirements.sha256')
/** delta-spark's jars, fetched from Maven Central by the first Spark session, kept beside the venv. */
export const IVY_CACHE = path.join(ROOT, '.cache', 'ivy')

/** The venv's python, after making sure the venv holds the pinned requirements. */
export function ensurePythonEnv() {
  const python = path.join(VENV, 'bin', 'python')
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex')
  if (existsSync(python) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return python
  const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' })
  rmSync(VENV, { recursive: true, force: true })
  console.log(`python: creating ${path.relative(ROOT, VENV)} from ${path.relative(ROOT, REQUIREMENTS)}`)
  run(process.env.PYTHON ?? 'python3', ['-m', 'venv', VENV])
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS])
  writeFileSync(STAMP, wanted)
  return python
}

/** The environment Python tests and scripts run in: the venv's python first, Delta's jars cached here. */
export function pythonEnvironment(python) {
  return { ...process.env, PATH: `${path.dirname(python)}${path.delimiter}${process.env.PATH}`, SPARK_SYNTH_IVY: IVY_CACHE, PYTHONUNBUFFERED: '1' }
}
