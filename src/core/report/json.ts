import { SparkSynthError } from '../errors.ts'
import { checkSchema, lazyValidator } from '../jsonSchema.ts'
import { metadataSchema } from '../schemas/metadataSchema.ts'
import { qualityReportSchema } from '../schemas/qualityReportSchema.ts'
import type { QualityReport } from './types.ts'

const reportValidator = lazyValidator<QualityReport>(qualityReportSchema, [metadataSchema])
const WRITE_AGAIN = 'Generate the synthetic data again to write a new report'

/** Keys in the order `buildQualityReport` writes them, so the same report always serialises the same. */
export function serializeQualityReport(report: QualityReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

/** Parses a `quality-report.json` and checks it against its JSON Schema; the error names every offending field. */
export function parseQualityReport(text: string, file?: string): QualityReport {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    throw new SparkSynthError(`the quality report is not valid JSON (${(cause as Error).message})`, WRITE_AGAIN, { file }, { cause })
  }
  const checked = checkSchema(reportValidator(), parsed)
  if (!checked.valid) {
    throw new SparkSynthError(
      `the quality report is invalid: ${checked.problems.join('; ')}`,
      `${WRITE_AGAIN} (the JSON Schema is schemas/quality-report.schema.json)`,
      { file },
    )
  }
  return checked.document
}
