import { cp } from 'node:fs/promises'
import path from 'node:path'
import * as vscode from 'vscode'
import { exists } from '../core/io/staging.ts'
import { EXAMPLE_DATASET } from '../core/output/layout.ts'

/** The example's folder in the workspace: a name of its own, so that a user's `adult` table is never taken for it. */
const EXAMPLE_COPY = 'adult-example'

/**
 * The embedded Adult example as a folder of the user's own, for the walkthrough: copied into the
 * first workspace folder (or one the user picks) as `adult-example/`, once; later runs reuse that
 * copy and its metadata document. Undefined when the user backs out.
 */
export async function copyExample(extensionUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder =
    vscode.workspace.workspaceFolders?.[0]?.uri ??
    (
      await vscode.window.showOpenDialog({
        title: 'Spark Synth: where should the Adult example go?',
        canSelectFiles: false,
        canSelectFolders: true,
        openLabel: 'Copy the Example Here',
      })
    )?.[0]
  if (!folder) return undefined
  const target = path.join(folder.fsPath, EXAMPLE_COPY)
  if (!(await exists(target))) await cp(vscode.Uri.joinPath(extensionUri, ...EXAMPLE_DATASET).fsPath, target, { recursive: true })
  return vscode.Uri.file(target)
}
