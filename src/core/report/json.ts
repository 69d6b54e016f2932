import type { QualityReport } from './types.ts'

/** Keys in the order `buildQualityReport` writes them, so the same report always serialises the same. */
export function serializeQualityReport(report: QualityReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

type Check = (value: unknown, at: string) => void

const fail = (at: string, expected: string): never => {
  throw new Error(`quality report: ${at} must be ${expected}`)
}
const number: Check = (v, at) => void (typeof v === 'number' && Number.isFinite(v) ? v : fail(at, 'a finite number'))
const string: Check = (v, at) => void (typeof v === 'string' ? v : fail(at, 'a string'))
const boolean: Check = (v, at) => void (typeof v === 'boolean' ? v : fail(at, 'a boolean'))
const nullable =
  (check: Check): Check =>
  (v, at) =>
    v === null ? undefined : check(v, at)
const oneOf =
  (...options: string[]): Check =>
  (v, at) =>
    void (options.includes(v as string) ? v : fail(at, `one of ${options.join(', ')}`))
const array =
  (item: Check): Check =>
  (v, at) =>
    Array.isArray(v) ? v.forEach((x, i) => item(x, `${at}[${i}]`)) : fail(at, 'an array')
const object =
  (fields: Record<string, Check>): Check =>
  (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(at, 'an object')
    for (const [key, check] of Object.entries(fields)) check((v as Record<string, unknown>)[key], `${at}.${key}`)
  }
const histogram: Check = (v, at) => {
  const common = { real: array(number), synthetic: array(number), realNullShare: number, syntheticNullShare: number }
  const type = (v as { type?: unknown } | null)?.type
  if (type === 'numeric') return object({ ...common, temporal: boolean, edges: array(number) })(v, at)
  if (type === 'categorical') return object({ ...common, categories: array(string), realOther: number, syntheticOther: number })(v, at)
  fail(`${at}.type`, 'numeric or categorical')
}

const report = object({
  generatedBy: string,
  generatedAt: string,
  backend: nullable(string),
  rows: object({ real: number, synthetic: number, holdout: number }),
  scores: object({ overall: number, overallDefinition: string, columnShapes: number, columnPairTrends: number }),
  diagnostic: object({
    validity: number,
    structure: number,
    columns: array(object({ column: string, metric: oneOf('BoundaryAdherence', 'CategoryAdherence', 'KeyUniqueness'), score: number })),
  }),
  columns: array(object({ column: string, kind: string, metric: oneOf('KSComplement', 'TVComplement'), score: number, histogram })),
  pairs: array(
    object({ columns: array(string), metric: oneOf('CorrelationSimilarity', 'ContingencySimilarity'), score: number, counted: boolean }),
  ),
  correlation: object({ method: string, columns: array(string), real: array(array(number)), synthetic: array(array(number)) }),
  privacy: object({
    holdout: oneOf('given', 'split'),
    note: string,
    closerToTrainShare: number,
    exactCopyShare: number,
    medianDistanceToTrain: number,
    medianDistanceToHoldout: number,
    rowsCompared: number,
  }),
  utility: nullable(object({ target: string, positive: string, realAuc: number, syntheticAuc: number, ratio: number })),
})

/** Parses a `quality-report.json` and checks every field, naming the first one that is wrong. */
export function parseQualityReport(text: string): QualityReport {
  const value: unknown = JSON.parse(text)
  report(value, 'report')
  return value as QualityReport
}
