import { rm, stat } from 'node:fs/promises'
import * as vscode from 'vscode'
import { temporaryPathFor } from './core/io/staging.ts'
import { defaultMetadataPath } from './core/meta/metadataFile.ts'
import { METADATA_EDITOR, registerMetadataEditor } from './host/metadataEditor.ts'
import { runInWorker, WorkerError } from './host/workerClient.ts'

const DATA_FILTERS = { 'Parquet, Arrow, CSV': ['parquet', 'arrow', 'feather', 'ipc', 'csv'] }

let log: vscode.OutputChannel

/** The input the user means: the Explorer selection, else one picked in a dialog. */
async function pickInput(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (uri?.scheme === 'file') return uri
  const picked = await vscode.window.showOpenDialog({
    title: 'Spark Synth: pick a Parquet/Arrow file or a Spark output folder',
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    filters: DATA_FILTERS,
  })
  return picked?.[0]
}

/** Shows a failure as a notification with the actions a user needs next. */
async function reportFailure(error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error)
  log.appendLine(`error: ${message}`)
  const actions = error instanceof WorkerError && error.file ? ['Reveal File', 'Show Log'] : ['Show Log']
  const choice = await vscode.window.showErrorMessage(`Spark Synth: ${message}`, ...actions)
  if (choice === 'Show Log') log.show()
  if (choice === 'Reveal File' && error instanceof WorkerError && error.file) {
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(error.file))
  }
}

async function extractMetadata(context: vscode.ExtensionContext, uri?: vscode.Uri): Promise<void> {
  const input = await pickInput(uri)
  if (!input) return
  const settings = vscode.workspace.getConfiguration('sparkSynth')
  const output = defaultMetadataPath(input.fsPath)
  const exists = await stat(output).then(() => true, () => false)
  if (exists) {
    const choice = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(output)} exists. Extract again and replace it?`, { modal: true }, 'Replace')
    if (choice !== 'Replace') return
  }
  const workerScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.cjs').fsPath
  log.appendLine(`extract ${input.fsPath} → ${output}`)
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Spark Synth: extracting metadata', cancellable: true },
    async (progress, token) => {
      const run = runInWorker(
        workerScript,
        { type: 'extract', input: input.fsPath, output, rows: settings.get<number>('rowBudget', 50_000), seed: settings.get<number>('seed', 42) },
        { progress: (message) => progress.report({ message }), log: (message) => log.appendLine(message) },
      )
      token.onCancellationRequested(() => {
        run.cancel()
        if (run.pid) void rm(temporaryPathFor(output, run.pid), { recursive: true, force: true })
      })
      try {
        const done = await run.result
        log.appendLine(`wrote ${done.output}: ${done.columns} columns from ${done.sampleSize} rows`)
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(done.output), METADATA_EDITOR)
      } catch (error) {
        if (!token.isCancellationRequested) await reportFailure(error)
      }
    },
  )
}

export function activate(context: vscode.ExtensionContext): void {
  log = vscode.window.createOutputChannel('Spark Synth')
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('sparkSynth.extractMetadata', (uri?: vscode.Uri) => extractMetadata(context, uri)),
    vscode.commands.registerCommand('sparkSynth.showLog', () => log.show()),
    registerMetadataEditor(context, log),
  )
}

export function deactivate(): void {}
