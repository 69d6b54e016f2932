// Runs the Python tests (python/tests) under the pinned environment: `node scripts/pytest.mjs [pytest args]`.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ensurePythonEnv, pythonEnvironment } from './python-env.mjs'

const python = ensurePythonEnv()
const result = spawnSync(python, ['-m', 'pytest', ...process.argv.slice(2)], {
  cwd: path.resolve(import.meta.dirname, '..', 'python'),
  env: pythonEnvironment(python),
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
