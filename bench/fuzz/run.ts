// `npm run fuzz [-- --seed N --scale X --part NAME --only TEXT]`: runs the fuzz parts, prints one Markdown table
// and exits 1 when an outcome that must be zero is not.
import { parseArgs } from 'node:util'
import type { FuzzRow } from './part.ts'
import { PARTS } from './parts.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    scale: { type: 'string', default: '1' },
    part: { type: 'string' },
    only: { type: 'string' },
  },
})
const seed = Number(values.seed)
const scale = Number(values.scale)
if (!Number.isInteger(seed) || !(scale > 0))
  throw new Error(`--seed must be a whole number and --scale positive, got ${values.seed} and ${values.scale}`)
const names = values.part === undefined ? Object.keys(PARTS) : [values.part]
const unknown = names.filter((name) => !(name in PARTS))
if (unknown.length > 0) throw new Error(`no fuzz part ${unknown.join(', ')}; the parts are ${Object.keys(PARTS).join(', ')}`)

/** The outcomes that must be zero and are not, in one row. */
const failures = (row: FuzzRow) => row.mustBeZero.filter((outcome) => (row.outcomes[outcome] ?? 0) > 0)

function table(rows: readonly FuzzRow[]): string {
  const outcomes = [...new Set(rows.flatMap((row) => Object.keys(row.outcomes)))]
  const cell = (row: FuzzRow, outcome: string) => {
    if (!(outcome in row.outcomes)) return ''
    const count = row.outcomes[outcome]
    return `${count}${failures(row).includes(outcome) ? ' ✗' : ''}`
  }
  const lines = [
    ['part', 'case', 'tried', ...outcomes],
    ['---', '---', '---:', ...outcomes.map(() => '---:')],
    ...rows.map((row) => [row.part, row.case, String(row.tried), ...outcomes.map((outcome) => cell(row, outcome))]),
  ]
  return lines.map((line) => `| ${line.join(' | ')} |`).join('\n')
}

const started = performance.now()
const rows: FuzzRow[] = []
for (const name of names) rows.push(...(await PARTS[name]({ seed, scale, only: values.only })))
const seconds = (performance.now() - started) / 1000

console.log(`# npm run fuzz (seed ${seed}, scale ${scale}, ${seconds.toFixed(0)} s, node ${process.version})\n`)
console.log(table(rows))
const failed = rows.filter((row) => failures(row).length > 0)
for (const row of failed) {
  console.log(`\n${row.part} / ${row.case}: ${failures(row).join(', ')}`)
  for (const example of row.examples ?? []) console.log(`- ${example}`)
}
const total = rows.reduce((sum, row) => sum + row.tried, 0)
console.log(
  `\n${total} inputs tried; ${failed.length === 0 ? 'every must-be-zero outcome is zero' : `${failed.length} rows with a must-be-zero outcome above zero`}`,
)
process.exitCode = failed.length > 0 ? 1 : 0
