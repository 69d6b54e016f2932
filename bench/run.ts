// `npm run bench`: speed and memory of the product against references measured in the same run.
// Figures are printed, never asserted: timings belong here, not in tests.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { formatCount } from '../src/core/formatCount.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const FLIGHTS = path.join(ROOT, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet')
const REPEATS = 3

interface Measurement {
  seconds: number
  peakRssMb: number
  values: number
}

function measure(script: string, args: string[]): Measurement {
  const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  return JSON.parse(output) as Measurement
}

/** Median time and worst peak RSS over repeated runs, each in a fresh process. */
function repeated(script: string, args: string[]): Measurement {
  const runs = Array.from({ length: REPEATS }, () => measure(script, args))
  const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(REPEATS / 2)]
  return { seconds, peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)), values: runs[0].values }
}

const fmt = (m: Measurement) => `${m.seconds.toFixed(2)} s, peak RSS ${m.peakRssMb.toFixed(0)} MB`

console.log(`# Spark Synth benchmarks (${new Date().toISOString().slice(0, 10)}, node ${process.version}, median of ${REPEATS} runs)\n`)
console.log('## Reading: sample 100,000 rows of flights-3m.parquet (3,000,000 rows, 5 columns, 11 row groups)')
const ours = repeated('readSample.ts', ['ours', FLIGHTS, '100000'])
const engine = repeated('readSample.ts', ['engine', FLIGHTS, '0'])
console.log(`- spark-synth sampleDataset: ${fmt(ours)} (${formatCount(ours.values)} values kept)`)
console.log(`- bare hyparquet, all rows:   ${fmt(engine)} (${formatCount(engine.values)} values decoded)`)
console.log(
  `- ratio ours / engine: time ${(ours.seconds / engine.seconds).toFixed(2)}, memory ${(ours.peakRssMb / engine.peakRssMb).toFixed(2)}`,
)
console.log(`- targets: ≤ 3 s → ${ours.seconds <= 3 ? 'met' : 'missed'}; ≤ 600 MB → ${ours.peakRssMb <= 600 ? 'met' : 'missed'}`)

console.log('\n## Writing synthetic Adult rows as a Spark folder (batches of 100,000 rows)')
const scratch = mkdtempSync(path.join(tmpdir(), 'spark-synth-bench-'))
for (const rows of [100_000, 1_000_000]) {
  const ours = repeated('writeRows.ts', ['ours', String(rows), scratch])
  const engine = repeated('writeRows.ts', ['engine', String(rows), scratch])
  console.log(
    `- ${formatCount(rows)} rows: ours ${fmt(ours)}; bare hyparquet-writer, whole table in one call, ${fmt(engine)}; speed ratio ${(engine.seconds / ours.seconds).toFixed(2)} (target ≥ 0.8)`,
  )
}
// Memory must stay flat as rows grow: one larger run of ours alone (the bare engine would hold it all).
const large = measure('writeRows.ts', ['ours', '5000000', scratch])
console.log(`- 5,000,000 rows: ours ${fmt(large)} (one run)`)
rmSync(scratch, { recursive: true, force: true })

console.log('\n## Extension activation (bundle load + activate, VS Code stood in by no-ops; median of 5 runs)')
const activations = Array.from(
  { length: 5 },
  () =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'bench', 'activation.ts'), path.join(ROOT, 'dist', 'extension.cjs')],
        { cwd: ROOT, encoding: 'utf8' },
      ),
    ) as { loadMs: number; activateMs: number; bundleKb: number },
)
const activation = activations.map((a) => a.loadMs + a.activateMs).sort((a, b) => a - b)[2]
console.log(
  `- ${activation.toFixed(1)} ms (bundle ${activations[0].bundleKb.toFixed(0)} KB; the Parquet engine and TensorFlow.js load in the worker only); target ≤ 100 ms → ${activation <= 100 ? 'met' : 'missed'}`,
)

console.log('')
// The synthesizer's figures come from their own process, so its memory and the reader's do not mix.
for (const section of ['quality.ts', 'privacy.ts', 'rules.ts']) {
  process.stdout.write(
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', section)], { cwd: ROOT, encoding: 'utf8' }),
  )
  console.log('')
}
process.stdout.write(
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'sparkJob.ts')], { cwd: ROOT, encoding: 'utf8' }),
)
