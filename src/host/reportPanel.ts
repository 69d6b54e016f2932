import { readFile } from 'node:fs/promises'
import path from 'node:path'
import * as vscode from 'vscode'
import { renderQualityReportHtml } from '../core/report/html.ts'
import { parseQualityReport } from '../core/report/json.ts'
import { createNonce } from './webviewHtml.ts'

export const REPORT_PANEL = 'sparkSynth.qualityReport'

/**
 * Quality reports in webview panels, one per report file: the same page as quality-report.html,
 * rendered again from the JSON with a nonce so that only its own style element applies. The page
 * has no script and loads nothing.
 */
export class ReportPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>()

  async show(reportJson: string): Promise<void> {
    const report = parseQualityReport(await readFile(reportJson, 'utf8'))
    let panel = this.panels.get(reportJson)
    if (!panel) {
      const title = `Quality: ${path.basename(path.dirname(reportJson))}`
      panel = vscode.window.createWebviewPanel(REPORT_PANEL, title, vscode.ViewColumn.Beside, {
        enableScripts: false,
        localResourceRoots: [],
      })
      this.panels.set(reportJson, panel)
      panel.onDidDispose(() => this.panels.delete(reportJson))
    }
    panel.webview.html = renderQualityReportHtml(report, { nonce: createNonce() })
    panel.reveal(undefined, true)
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose()
  }
}
