import { stat } from 'node:fs/promises'
import path from 'node:path'
import * as vscode from 'vscode'
import { EXTENSION_FORMATS } from './core/io/discover.ts'
import { exists } from './core/io/staging.ts'
import { METADATA_SUFFIX, defaultMetadataPath } from './core/meta/metadataFile.ts'
import { REPORT_JSON } from './core/report/write.ts'
import { parseRows, parseSeed } from './core/numberInput.ts'
import { MAX_GENERATE_ROWS } from './protocol/webview.ts'
import { METADATA_EDITOR, pickMetadataFile, registerMetadataEditor } from './host/metadataEditor.ts'
import { askNumber } from './host/numberPrompt.ts'
import { copyExample } from './host/example.ts'
import { ReportPanels } from './host/reportPanel.ts'
import { generateSamplingSnippet } from './host/samplingSnippet.ts'
import { SETTINGS_SECTION, SettingsReader, type Settings } from './host/settings.ts'
import { SessionRegistry, type SynthesisSession } from './host/synthesisSession.ts'
import { runInWorker } from './host/workerClient.ts'

/** The open dialog's filter: every extension the readers take (`parquet`, …, without the dot). */
const DATA_FILTERS = { 'Parquet, Arrow, CSV': Object.keys(EXTENSION_FORMATS).map((extension) => extension.slice(1)) }

let log: vscode.LogOutputChannel
let settings: () => Settings

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
  const file = (error as { file?: string }).file
  // The button names what it shows: a Spark folder or a Delta table is no file.
  const reveal =
    file &&
    (await stat(file).then(
      (found) => (found.isDirectory() ? 'Reveal Folder' : 'Reveal File'),
      () => undefined,
    ))
  const choice = await vscode.window.showErrorMessage(`Spark Synth: ${message}`, ...(reveal ? [reveal] : []), 'Show Log')
  if (choice === 'Show Log') log.show()
  if (choice === reveal && file) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(file))
}

/** Extracts the metadata of `input` in the worker and opens it in the metadata editor. */
async function extractAndOpen(workerScript: string, input: vscode.Uri, output: string): Promise<void> {
  const { rowBudget, seed, rareValueRows } = settings()
  log.appendLine(`extract ${input.fsPath} → ${output}`)
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Spark Synth: extracting metadata', cancellable: true },
    async (progress, token) => {
      const run = runInWorker(
        workerScript,
        {
          type: 'extract',
          input: input.fsPath,
          output,
          rows: rowBudget,
          seed,
          rareValueRows,
        },
        {
          progress: (message) => {
            progress.report({ message })
          },
          log: (message) => {
            log.appendLine(message)
          },
        },
      )
      token.onCancellationRequested(() => {
        run.cancel()
      })
      try {
        const done = await run.result
        log.appendLine(`wrote ${done.output}: ${done.columns} columns from ${done.sampleSize} rows`)
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(done.output), METADATA_EDITOR)
      } catch (error) {
        if (!token.isCancellationRequested) void reportFailure(error)
      }
    },
  )
}

async function extractMetadata(workerScript: string, uri?: vscode.Uri): Promise<void> {
  const input = await pickInput(uri)
  if (!input) return
  const output = defaultMetadataPath(input.fsPath)
  if (await exists(output)) {
    const choice = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(output)} exists. Extract again and replace it?`,
      { modal: true },
      'Replace',
    )
    if (choice !== 'Replace') return
  }
  await extractAndOpen(workerScript, input, output)
}

/** Opens the dataset's metadata document, extracting it first when there is none. */
async function openDataset(workerScript: string, uri?: vscode.Uri): Promise<void> {
  const input = await pickInput(uri)
  if (!input) return
  const metadata = defaultMetadataPath(input.fsPath)
  if (await exists(metadata)) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(metadata), METADATA_EDITOR)
  else await extractAndOpen(workerScript, input, metadata)
}

/** The metadata document a command means: the Explorer selection, the active editor, else a picked one. */
async function metadataTarget(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (uri?.path.endsWith(METADATA_SUFFIX)) return uri
  if (uri) {
    const beside = defaultMetadataPath(uri.fsPath)
    if (await exists(beside)) return vscode.Uri.file(beside)
    void vscode.window.showWarningMessage(
      `Spark Synth: ${vscode.workspace.asRelativePath(uri)} has no metadata document yet: run Extract Metadata on it first.`,
    )
    return undefined
  }
  return pickMetadataFile()
}

/** Asks for the rows and seed of a Generate, read as the editor's form reads them; undefined when the user backs out. */
async function askRowsAndSeed(session: SynthesisSession): Promise<{ rows: number; seed: number } | undefined> {
  const { defaults } = session.view
  const title = 'Spark Synth: generate synthetic data'
  const rows = await askNumber(title, 'How many rows?', defaults.rows, (text) => parseRows(text, MAX_GENERATE_ROWS))
  if (rows === undefined) return undefined
  const seed = await askNumber(title, 'Seed (the same seed and model give the same rows)', defaults.seed, parseSeed)
  if (seed === undefined) return undefined
  return { rows, seed }
}

async function showReport(sessions: SessionRegistry, panels: ReportPanels, uri?: vscode.Uri): Promise<void> {
  if (uri && /quality-report\.(json|html)$/.test(uri.path)) return panels.show(path.join(path.dirname(uri.fsPath), REPORT_JSON))
  const target = uri ?? (await pickMetadataFile())
  if (!target) return
  if (target.path.endsWith(METADATA_SUFFIX)) {
    const session = sessions.get(target)
    if (session.view.report) return session.openReport()
  }
  void vscode.window.showInformationMessage(
    'Spark Synth: no quality report yet. Generate synthetic data first, or open a quality-report.json from the Explorer.',
  )
}

async function cancelRun(sessions: SessionRegistry): Promise<void> {
  const running = sessions.running()
  if (running.length === 0) {
    void vscode.window.showInformationMessage('Spark Synth: nothing is training or generating.')
    return
  }
  const chosen =
    running.length === 1
      ? running[0]
      : (
          await vscode.window.showQuickPick(
            running.map((session) => ({ label: path.basename(session.file), session })),
            { title: 'Spark Synth: cancel which run?' },
          )
        )?.session
  chosen?.cancel()
}

export function activate(context: vscode.ExtensionContext): void {
  // A log channel: each line timestamped, with its level, and the user picks the level shown.
  log = vscode.window.createOutputChannel('Spark Synth', { log: true })
  const reader = new SettingsReader(
    (key) => vscode.workspace.getConfiguration(SETTINGS_SECTION).get(key),
    (problem) => {
      log.appendLine(problem)
    },
  )
  settings = () => reader.read()
  const workerScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.cjs').fsPath
  const panels = new ReportPanels()
  const sessions = new SessionRegistry({
    workerScript,
    log,
    settings,
    memory: context.workspaceState,
    reportFailure,
    showReport: (reportJson) => panels.show(reportJson),
  })
  const onDocument = (run: (session: SynthesisSession) => Promise<void>) => async (uri?: vscode.Uri) => {
    const target = await metadataTarget(uri instanceof vscode.Uri ? uri : undefined)
    if (target) await run(sessions.get(target)).catch(reportFailure)
  }
  context.subscriptions.push(
    log,
    panels,
    sessions,
    vscode.commands.registerCommand('sparkSynth.openExample', async () => {
      const example = await copyExample(context.extensionUri).catch(reportFailure)
      if (example) await openDataset(workerScript, example)
    }),
    vscode.commands.registerCommand('sparkSynth.openDataset', (uri?: vscode.Uri) => openDataset(workerScript, uri)),
    vscode.commands.registerCommand('sparkSynth.extractMetadata', (uri?: vscode.Uri) => extractMetadata(workerScript, uri)),
    vscode.commands.registerCommand(
      'sparkSynth.train',
      onDocument((session) => session.train()),
    ),
    vscode.commands.registerCommand(
      'sparkSynth.generate',
      onDocument(async (session) => {
        if (!(await session.readyToGenerate())) return
        const request = await askRowsAndSeed(session)
        if (request) await session.generate(request.rows, request.seed)
      }),
    ),
    vscode.commands.registerCommand(
      'sparkSynth.generateOnSpark',
      onDocument((session) => session.generateOnSpark()),
    ),
    vscode.commands.registerCommand('sparkSynth.showReport', (uri?: vscode.Uri) => showReport(sessions, panels, uri).catch(reportFailure)),
    vscode.commands.registerCommand('sparkSynth.cancel', () => cancelRun(sessions)),
    vscode.commands.registerCommand('sparkSynth.generateSamplingSnippet', (uri?: vscode.Uri) =>
      generateSamplingSnippet(uri, { rows: settings().rowBudget, seed: settings().seed }, log).catch(reportFailure),
    ),
    vscode.commands.registerCommand('sparkSynth.showLog', () => {
      log.show()
    }),
    registerMetadataEditor(context, log, sessions, workerScript),
  )
}
