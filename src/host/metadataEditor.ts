import * as vscode from 'vscode'
import { METADATA_SUFFIX, parseMetadata, serializeMetadata } from '../core/meta/metadataFile.ts'
import type { MetadataDocument } from '../core/meta/document.ts'
import { isWebviewToHost, type HostToWebview, type SessionView } from '../protocol/webview.ts'
import { applyColumnEdit, type EditOutcome } from './columnEdit.ts'
import { DataPreview } from './dataPreview.ts'
import { applyNullValuesEdit } from './nullValuesEdit.ts'
import { restateInWorker } from './workerClient.ts'
import { applyPrivacyEdit } from './privacyEdit.ts'
import { applyRuleEdit } from './rulesEdit.ts'
import { applyTargetEdit } from './targetEdit.ts'
import { applyTrainingEdit } from './trainingEdit.ts'
import { messagePreview } from './messagePreview.ts'
import type { SessionRegistry } from './synthesisSession.ts'
import { metadataEditorHtml } from './webviewHtml.ts'

export const METADATA_EDITOR = 'sparkSynth.metadataEditor'

/** Typing in a text editor on the same file re-parses the document once the keys pause. */
const REPARSE_DELAY_MS = 100

type Parsed = { readonly document: MetadataDocument } | { readonly message: string }

function parse(document: vscode.TextDocument): Parsed {
  try {
    return { document: parseMetadata(document.getText(), vscode.workspace.asRelativePath(document.uri)) }
  } catch (error) {
    return { message: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * The metadata editor: a webview over the `.synth-meta.json` text document, which stays the
 * source of truth. Every change is a WorkspaceEdit of that text, so save, undo, redo, dirty state,
 * git diffs and the text editor behave as for any file.
 */
class MetadataEditorProvider implements vscode.CustomTextEditorProvider {
  /** Open editors per document: closing the last one stops the document's run. */
  private readonly editors = new Map<string, number>()

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly sessions: SessionRegistry,
    private readonly workerScript: string,
  ) {}

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')
    webview.options = { enableScripts: true, localResourceRoots: [webviewRoot, vscode.Uri.joinPath(this.extensionUri, 'media')] }
    webview.html = metadataEditorHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'editor.css')).toString(),
    })

    const post = (message: HostToWebview) => void webview.postMessage(message)
    const session = this.sessions.get(document.uri)
    const key = document.uri.toString()
    this.editors.set(key, (this.editors.get(key) ?? 0) + 1)
    const preview = new DataPreview(this.sessions.environment.workerScript, () => this.sessions.environment.settings())
    const postDocument = () => {
      const parsed = parse(document)
      post('document' in parsed ? { type: 'document', document: parsed.document } : { type: 'invalid', message: parsed.message })
      // Column choices decide whether the model still fits the document.
      if ('document' in parsed) void session.refresh(parsed.document)
    }
    let reparse: ReturnType<typeof setTimeout> | undefined
    // Edits run one after the other, each on the text the previous one left.
    let edits = Promise.resolve()

    // The title bar offers Generate only while the active editor's model fits its document.
    const showModelFits = () => {
      if (panel.active) void vscode.commands.executeCommand('setContext', 'sparkSynth.modelFits', modelFits(session.view))
    }
    const subscriptions = [
      session.onDidChange((view) => {
        post({ type: 'session', session: view })
        showModelFits()
      }),
      panel.onDidChangeViewState(showModelFits),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() !== document.uri.toString() || event.contentChanges.length === 0) return
        clearTimeout(reparse)
        reparse = setTimeout(postDocument, REPARSE_DELAY_MS)
      }),
      webview.onDidReceiveMessage((message: unknown) => {
        if (!isWebviewToHost(message)) {
          this.log.appendLine(`metadata editor: ignored an invalid message from the webview: ${messagePreview(message)}`)
          return
        }
        switch (message.type) {
          case 'ready':
            postDocument()
            break
          case 'editColumn': {
            edits = edits.then(() =>
              this.applyEdit(
                document,
                (parsed) =>
                  message.field === 'nullValues' ? this.nullValuesEdit(parsed, message, document) : applyColumnEdit(parsed, message),
                postDocument,
              ),
            )
            break
          }
          case 'editPrivacy':
            edits = edits.then(() => this.applyEdit(document, (parsed) => ({ document: applyPrivacyEdit(parsed, message) }), postDocument))
            break
          case 'editTraining':
            edits = edits.then(() => this.applyEdit(document, (parsed) => ({ document: applyTrainingEdit(parsed, message) }), postDocument))
            break
          case 'editTarget':
            edits = edits.then(() => this.applyEdit(document, (parsed) => applyTargetEdit(parsed, message.column), postDocument))
            break
          case 'setRuleStatus':
          case 'removeRule':
          case 'addRule':
            edits = edits.then(() =>
              this.applyEdit(
                document,
                (parsed) => {
                  const outcome = applyRuleEdit(parsed, message)
                  // The rules panel says why, beside the rule the user is writing.
                  if ('problem' in outcome) post({ type: 'ruleRefused', message: outcome.problem })
                  return outcome
                },
                postDocument,
              ),
            )
            break
          case 'openAsText':
            void reopenWith(document.uri, 'default')
            break
          case 'train':
            void session.train()
            break
          case 'cancel':
            session.cancel()
            break
          case 'generate':
            void session.generate(message.rows, message.seed)
            break
          case 'rememberGenerate':
            void session.rememberGenerate({ rows: message.rows, seed: message.seed })
            break
          case 'openReport':
            void session.openReport()
            break
          case 'previewRows': {
            const parsed = parse(document)
            if ('document' in parsed)
              void preview.answer(message, document.uri.fsPath, parsed.document, session).then((answer) => {
                if (answer) post(answer)
              })
            else post({ type: 'previewFailed', which: message.which, message: parsed.message })
            break
          }
        }
      }),
    ]
    panel.onDidDispose(() => {
      clearTimeout(reparse)
      preview.dispose()
      for (const subscription of subscriptions) subscription.dispose()
      const left = (this.editors.get(key) ?? 1) - 1
      if (left > 0) this.editors.set(key, left)
      else {
        this.editors.delete(key)
        session.cancel()
      }
    })
  }

  /** The user clicked for it and waits for the statistics to change: a failure is shown, not only logged. */
  private async nullValuesEdit(
    parsed: MetadataDocument,
    edit: Parameters<typeof applyNullValuesEdit>[1],
    document: vscode.TextDocument,
  ): Promise<EditOutcome> {
    const outcome = await applyNullValuesEdit(parsed, edit, document.uri.fsPath, (job) => restateInWorker(this.workerScript, job))
    if ('problem' in outcome) void vscode.window.showWarningMessage(`Spark Synth: ${outcome.problem}`)
    return outcome
  }

  private async applyEdit(
    document: vscode.TextDocument,
    edit: (parsed: MetadataDocument) => EditOutcome | Promise<EditOutcome>,
    resync: () => void,
  ): Promise<void> {
    const parsed = parse(document)
    if (!('document' in parsed)) {
      this.log.appendLine(`metadata editor: ignored an edit of ${document.uri.fsPath}, which is not valid now: ${parsed.message}`)
      return
    }
    const before = document.getText()
    const outcome = await edit(parsed.document)
    // An edit that reads the data takes a moment: text typed meanwhile wins over it.
    if (document.getText() !== before) {
      this.log.appendLine(`metadata editor: ignored an edit of ${document.uri.fsPath}, which changed while it was prepared`)
      resync()
      return
    }
    if ('problem' in outcome) {
      this.log.appendLine(`metadata editor: ignored an edit of ${document.uri.fsPath}: ${outcome.problem}`)
      resync()
      return
    }
    const text = serializeMetadata(outcome.document)
    if (text === before) return
    const change = new vscode.WorkspaceEdit()
    change.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text)
    if (!(await vscode.workspace.applyEdit(change))) {
      this.log.appendLine(`metadata editor: VS Code refused the edit of ${document.uri.fsPath}`)
      resync()
    }
  }
}

/** The URI of the file in the active editor tab, whichever editor shows it. */
function activeTabUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input
  return input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined
}

/** Whether a tab shows `uri` in the editor `viewType` (`default` being the text editor). */
function showsIn(tab: vscode.Tab, uri: vscode.Uri, viewType: string): boolean {
  const { input } = tab
  if (viewType === 'default') return input instanceof vscode.TabInputText && input.uri.toString() === uri.toString()
  return input instanceof vscode.TabInputCustom && input.viewType === viewType && input.uri.toString() === uri.toString()
}

/**
 * Shows the file in another editor in place of the current one, as "Reopen Editor With…" does;
 * the text document, and any unsaved change, stays open throughout.
 */
async function reopenWith(uri: vscode.Uri, viewType: string): Promise<void> {
  const column = vscode.window.tabGroups.activeTabGroup.viewColumn
  await vscode.commands.executeCommand('vscode.openWith', uri, viewType, column)
  // Tab objects go stale when the tabs change: look them up after the new editor has opened.
  const group = vscode.window.tabGroups.all.find((candidate) => candidate.viewColumn === column)
  const otherType = viewType === 'default' ? METADATA_EDITOR : 'default'
  const others = group?.tabs.filter((tab) => showsIn(tab, uri, otherType)) ?? []
  if (others.length) await vscode.window.tabGroups.close(others, true)
}

export async function pickMetadataFile(): Promise<vscode.Uri | undefined> {
  const active = activeTabUri()
  if (active?.path.endsWith(METADATA_SUFFIX)) return active
  const picked = await vscode.window.showOpenDialog({
    title: 'Spark Synth: pick a metadata document',
    canSelectMany: false,
    filters: { 'Spark Synth metadata': ['json'] },
  })
  return picked?.[0]
}

/** The editor and its two commands: open a document in it, and reopen it as text. */
export function registerMetadataEditor(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  sessions: SessionRegistry,
  workerScript: string,
): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.window.registerCustomEditorProvider(
      METADATA_EDITOR,
      new MetadataEditorProvider(context.extensionUri, log, sessions, workerScript),
      {
        supportsMultipleEditorsPerDocument: true,
      },
    ),
    vscode.commands.registerCommand('sparkSynth.editMetadata', async (uri?: vscode.Uri) => {
      const target = uri ?? (await pickMetadataFile())
      if (target) await reopenWith(target, METADATA_EDITOR)
    }),
    vscode.commands.registerCommand('sparkSynth.openMetadataAsText', async (uri?: vscode.Uri) => {
      const target = uri ?? activeTabUri()
      if (target) await reopenWith(target, 'default')
    }),
  )
}

/** A model trained on the document's column choices as they stand. */
function modelFits(view: SessionView): boolean {
  return view.model !== null && !view.model.stale
}
