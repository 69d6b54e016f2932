import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { renderQualityReportHtml } from './html.ts'
import { serializeQualityReport } from './json.ts'
import type { QualityReport } from './types.ts'

export const REPORT_JSON = 'quality-report.json'
export const REPORT_HTML = 'quality-report.html'

/** A reader never sees half a file: each is written beside its place and renamed into it. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, text)
  await rename(temporary, file)
}

/** Writes `quality-report.json` and `quality-report.html` into `folder`; returns their paths. */
export async function writeQualityReport(report: QualityReport, folder: string): Promise<{ json: string; html: string }> {
  await mkdir(folder, { recursive: true })
  const json = path.join(folder, REPORT_JSON)
  const html = path.join(folder, REPORT_HTML)
  await writeAtomically(json, serializeQualityReport(report))
  await writeAtomically(html, renderQualityReportHtml(report))
  return { json, html }
}
