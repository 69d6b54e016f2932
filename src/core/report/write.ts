import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomically } from '../io/staging.ts'
import { renderQualityReportHtml } from './html.ts'
import { serializeQualityReport } from './json.ts'
import type { QualityReport } from './types.ts'

export const REPORT_JSON = 'quality-report.json'
export const REPORT_HTML = 'quality-report.html'

/** Writes `quality-report.json` and `quality-report.html` into `folder`; returns their paths. */
export async function writeQualityReport(report: QualityReport, folder: string): Promise<{ json: string; html: string }> {
  await mkdir(folder, { recursive: true })
  const json = path.join(folder, REPORT_JSON)
  const html = path.join(folder, REPORT_HTML)
  await writeFileAtomically(json, serializeQualityReport(report))
  await writeFileAtomically(html, renderQualityReportHtml(report))
  return { json, html }
}
