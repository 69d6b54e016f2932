// `npm run bench:peers [-- --tables a,b --peers a,b --epochs N --minutes M]`: Spark Synth against SDV's and
// MOSTLY AI's synthesizers on real tables (bench/peers/run.py), in its own environment (.cache/peers).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ensurePythonEnv, PEERS_ENV, pythonEnvironment } from './python-env.mjs'

const python = ensurePythonEnv(PEERS_ENV)
const script = path.resolve(import.meta.dirname, '..', 'bench', 'peers', 'run.py')
const result = spawnSync(python, [script, ...process.argv.slice(2)], { env: pythonEnvironment(python), stdio: 'inherit' })
process.exit(result.status ?? 1)
