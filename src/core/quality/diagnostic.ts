/**
 * SDMetrics' DiagnosticReport (0.32): Data Validity, the mean of per-column checks (numbers and
 * instants within the real range, categories among the real ones, keys unique), and Data Structure
 * (the same columns with the same types). A synthesizer that keeps the table's rules scores 1.
 */
import { sparkTypeDdl } from '../io/sparkType.ts'
import { columnValues } from '../io/columnLookup.ts'
import type { Cell, Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { DISCRETE_KINDS, NUMERIC_KINDS } from '../meta/kinds.ts'
import { asCategory, asNumber, isMissing } from '../report/cells.ts'

export interface ValidityScore {
  readonly column: string
  readonly metric: 'BoundaryAdherence' | 'CategoryAdherence' | 'KeyUniqueness'
  readonly score: number
}

export interface DiagnosticScores {
  /** Mean of the column checks (SDMetrics "Data Validity"). */
  readonly validity: number
  /** Shared (name, Spark type) pairs over all of them (SDMetrics "Data Structure"). */
  readonly structure: number
  readonly columns: readonly ValidityScore[]
}

/** Share of synthetic values within the real range; nulls count as valid only where the real column has some. */
function boundaryAdherence(real: readonly Cell[], synthetic: readonly Cell[]): number {
  const nullable = real.some(isMissing)
  let low = Infinity
  let high = -Infinity
  for (const cell of real) {
    const v = asNumber(cell)
    if (v === null || Number.isNaN(v)) continue
    low = Math.min(low, v)
    high = Math.max(high, v)
  }
  const drawn = synthetic.filter((cell) => !(nullable && isMissing(cell))).map(asNumber)
  return drawn.length === 0 ? 1 : drawn.filter((v) => v !== null && v >= low && v <= high).length / drawn.length
}

/** Share of synthetic values among the real categories; nulls are valid where the real column has some. */
function categoryAdherence(real: readonly Cell[], synthetic: readonly Cell[]): number {
  const categories = new Set(real.filter((cell) => !isMissing(cell)).map(asCategory))
  const nullable = real.some(isMissing)
  const valid = synthetic.filter((cell) => (isMissing(cell) ? nullable : categories.has(asCategory(cell)))).length
  return synthetic.length === 0 ? 1 : valid / synthetic.length
}

/** Share of synthetic key values that occur once. */
function keyUniqueness(synthetic: readonly Cell[]): number {
  const counts = new Map<unknown, number>()
  const key = (cell: Cell) => (cell instanceof Date ? cell.getTime() : cell)
  for (const cell of synthetic) counts.set(key(cell), (counts.get(key(cell)) ?? 0) + 1)
  return synthetic.length === 0 ? 1 : synthetic.filter((cell) => counts.get(key(cell)) === 1).length / synthetic.length
}

/** The diagnostic of the synthetic rows of the output `columns` (identifiers checked as keys). */
export function scoreDiagnostic(real: Table, synthetic: Table, columns: readonly ColumnMeta[]): DiagnosticScores {
  const scores: ValidityScore[] = []
  for (const meta of columns) {
    if (!synthetic.columns.some((c) => c.name === meta.name)) continue
    const r = columnValues(real, meta.name)
    const s = columnValues(synthetic, meta.name)
    if (NUMERIC_KINDS.has(meta.kind)) scores.push({ column: meta.name, metric: 'BoundaryAdherence', score: boundaryAdherence(r, s) })
    else if (DISCRETE_KINDS.has(meta.kind)) scores.push({ column: meta.name, metric: 'CategoryAdherence', score: categoryAdherence(r, s) })
    else if (meta.kind === 'identifier') scores.push({ column: meta.name, metric: 'KeyUniqueness', score: keyUniqueness(s) })
  }
  const shape = (table: Table) =>
    new Set(table.columns.filter((c) => columns.some((m) => m.name === c.name)).map((c) => `${c.name}\u0000${sparkTypeDdl(c.sparkType)}`))
  const expected = new Set(columns.map((m) => `${m.name}\u0000${m.sparkType}`))
  const found = shape(synthetic)
  const shared = [...expected].filter((k) => found.has(k)).length
  return {
    validity: scores.length ? scores.reduce((sum, s) => sum + s.score, 0) / scores.length : 1,
    structure: shared / new Set([...expected, ...found]).size,
    columns: scores,
  }
}
