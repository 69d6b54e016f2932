import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as vscode from 'vscode'
import { sampleFolderFor, tableNameFrom, takeSampleSnippet } from '../core/codegen/takeSampleSnippet.ts'
import { parseRows } from '../core/numberInput.ts'
import { TAKE_SAMPLE_SNIPPET } from '../core/output/layout.ts'
import { askNumber } from './numberPrompt.ts'
import { formatCount } from '../core/formatCount.ts'

const TITLE = 'Spark Synth: sampling snippet'

/**
 * Writes take_sample.py for a table on the cluster and opens it: the step that feeds Spark Synth.
 * Asks for the table (a catalog name or a cluster path) and the rows to draw.
 */
export async function generateSamplingSnippet(
  uri: vscode.Uri | undefined,
  defaults: { readonly rows: number; readonly seed: number },
  log: vscode.LogOutputChannel,
): Promise<void> {
  const suggested = uri ? tableNameFrom(uri.fsPath) : ''
  const table = (
    await vscode.window.showInputBox({
      title: TITLE,
      prompt: 'The table to sample on the cluster: a catalog table (db.events) or a path Spark reads (s3://…, hdfs://…, abfss://…)',
      placeHolder: 'db.events or s3://bucket/events',
      value: suggested,
      validateInput: (text) => (text.trim() ? undefined : 'Name a table or a path'),
    })
  )?.trim()
  if (!table) return
  const rows = await askNumber(TITLE, 'How many rows should the sample hold?', defaults.rows, (text) => parseRows(text))
  if (rows === undefined) return
  const folder = uri ? path.dirname(uri.fsPath) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath
  const target = await vscode.window.showSaveDialog({
    title: 'Spark Synth: save the sampling snippet',
    defaultUri: folder ? vscode.Uri.file(path.join(folder, TAKE_SAMPLE_SNIPPET)) : undefined,
    filters: { Python: ['py'] },
  })
  if (!target) return
  const snippet = takeSampleSnippet({ table, rows, seed: defaults.seed, output: sampleFolderFor(table) })
  await writeFile(target.fsPath, snippet)
  log.info(`wrote ${target.fsPath}: samples ${formatCount(rows)} rows of ${table}`)
  await vscode.window.showTextDocument(target)
}
