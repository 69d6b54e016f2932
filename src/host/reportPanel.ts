import { readFile } from 'node:fs/promises'
import path from 'node:path'
import * as vscode from 'vscode'
import { renderQualityReportHtml } from '../core/report/html.ts'
import { parseQualityReport } from '../core/report/json.ts'
import { createNonce } from './webviewHtml.ts'

export const REPORT_PANEL = 'sparkSynth.qualityReport'

/**
 * Where a new report opens: with the editor alone on screen, in a group of its own below it, so
 * that the metadata editor keeps its width (beside it, its grid lost the names and the Sensitive
 * column); where the user has arranged groups already, in the one beside the active editor.
 */
async function createReportPanel(title: string): Promise<vscode.WebviewPanel> {
  const options = { enableScripts: false, localResourceRoots: [] }
  if (vscode.window.tabGroups.all.length > 1)
    return vscode.window.createWebviewPanel(REPORT_PANEL, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, options)
  await vscode.commands.executeCommand('workbench.action.newGroupBelow')
  const panel = vscode.window.createWebviewPanel(REPORT_PANEL, title, vscode.ViewColumn.Active, options)
  // The new group took the focus; the user was working in the editor above.
  await vscode.commands.executeCommand('workbench.action.focusAboveGroup')
  return panel
}

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
      panel = await createReportPanel(title)
      this.panels.set(reportJson, panel)
      panel.onDidDispose(() => this.panels.delete(reportJson))
    }
    panel.webview.html = renderQualityReportHtml(report, { nonce: createNonce() })
    panel.reveal(undefined, true)
    // The walkthrough's Generate step is done once a report has been shown.
    void vscode.commands.executeCommand('setContext', 'sparkSynth.reportShown', true)
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose()
  }
}
