import { readFile } from 'node:fs/promises'
import path from 'node:path'
import * as vscode from 'vscode'
import { exists } from '../core/io/staging.ts'
import type { MetadataDocument } from '../core/meta/document.ts'
import { readMetadataFile } from '../core/meta/metadataFile.ts'
import { privacyChoices, type PrivacyChoices } from '../core/meta/privacyChoices.ts'
import { settingsSection, trainingChoices, type TrainingChoices } from '../core/meta/trainingChoices.ts'
import { describeEpoch } from '../core/model/epochLog.ts'
import { metadataDigest, readModelSummary } from '../core/model/modelFolder.ts'
import type { TrainJob } from '../core/model/trainJob.ts'
import { defaultModelPath, defaultSparkJobPath, outputLocation } from '../core/output/locations.ts'
import { BUNDLE_SCRIPT, exportSparkBundle, sparkSubmitUsage } from '../core/output/sparkBundle.ts'
import { parseQualityReport } from '../core/report/json.ts'
import { REPORT_JSON } from '../core/report/write.ts'
import {
  IDLE_GENERATION,
  IDLE_TRAINING,
  type GenerationView,
  type ModelView,
  type ReportView,
  type SessionView,
  type TrainingView,
} from '../protocol/webview.ts'
import type { HostToWorker } from '../protocol/worker.ts'
import type { Settings } from './settings.ts'
import { runInWorker, WorkerError, type WorkerEvents, type WorkerRun } from './workerClient.ts'
import { formatCount } from '../core/formatCount.ts'

/** What a session needs from the extension: where the worker is, the log, the settings, how failures are shown. */
export interface SessionEnvironment {
  readonly workerScript: string
  readonly log: vscode.LogOutputChannel
  /** The `sparkSynth.*` settings as they stand. */
  settings(): Settings
  /** Workspace storage: what the user last typed into a document's Generate form outlives the editor and the window. */
  readonly memory: vscode.Memento
  reportFailure(error: unknown): Promise<void>
  showReport(reportJson: string): Promise<void>
}

/** The headline scores of a report file; null when there is none (or it is not a report). */
async function readReport(reportJson: string): Promise<ReportView | null> {
  return readFile(reportJson, 'utf8').then(
    (text) => {
      const { scores } = parseQualityReport(text)
      return { path: reportJson, overall: scores.overall, columnShapes: scores.columnShapes, columnPairTrends: scores.columnPairTrends }
    },
    () => null,
  )
}

/** A Generate's row count and seed. */
interface GenerateRequest {
  readonly rows: number
  readonly seed: number
}

interface RunOutcome {
  readonly status: 'done' | 'failed' | 'cancelled'
  readonly message: string
}

/**
 * Training and generating for one metadata document: at most one run at a time, in a worker
 * process, its state shown in every editor of the document and in a progress notification.
 */
export class SynthesisSession implements vscode.Disposable {
  private training = IDLE_TRAINING
  private generation = IDLE_GENERATION
  private model: ModelView | null = null
  private report: ReportView | null = null
  private run: WorkerRun | undefined
  private claimed = false
  /** Rows the Generate form offers unless a setting says otherwise: as many as the sample. */
  private sampleSize = 1000
  private readonly changed = new vscode.EventEmitter<SessionView>()
  readonly onDidChange = this.changed.event
  readonly file: string
  readonly modelPath: string

  constructor(
    readonly uri: vscode.Uri,
    private readonly environment: SessionEnvironment,
  ) {
    this.file = uri.fsPath
    this.modelPath = defaultModelPath(this.file)
  }

  /** A run is being prepared or runs. */
  get running(): boolean {
    return this.claimed
  }

  get view(): SessionView {
    const { seed, generateRows, holdoutShare, epsilon, delta, epochs, timeBudgetSeconds, modelSize } = this.environment.settings()
    const typed = this.environment.memory.get<GenerateRequest>(this.generateKey)
    return {
      training: this.training,
      model: this.model,
      generation: this.generation,
      report: this.report,
      defaults: {
        rows: typed?.rows ?? (generateRows || this.sampleSize),
        seed: typed?.seed ?? seed,
        holdoutShare,
        epsilon,
        delta,
        epochs,
        timeBudgetSeconds,
        modelSize,
      },
    }
  }

  private get generateKey(): string {
    return `generate:${this.uri.toString()}`
  }

  /** Keeps the Generate form's values for this document: the next editor, palette Generate or window starts from them. */
  async rememberGenerate(request: GenerateRequest): Promise<void> {
    const typed = this.environment.memory.get<GenerateRequest>(this.generateKey)
    if (typed?.rows === request.rows && typed.seed === request.seed) return
    await this.environment.memory.update(this.generateKey, request)
    this.emit()
  }

  private emit(): void {
    this.changed.fire(this.view)
  }

  /** Reads the model folder and compares it with the document's column choices as they stand. */
  async refresh(document?: MetadataDocument): Promise<void> {
    if (document) this.sampleSize = document.source.sampleSize
    const summary = await readModelSummary(this.modelPath).catch(() => undefined)
    const current = document ?? (await readMetadataFile(this.file).catch(() => undefined))
    this.model = summary
      ? {
          path: this.modelPath,
          trainedAt: summary.trainedAt,
          epochs: summary.epochs,
          rows: summary.rows,
          backend: summary.backend,
          stale: current !== undefined && metadataDigest(current) !== summary.metadataDigest,
        }
      : null
    // A report written earlier (say, before a reload) at the output location still counts; a
    // setting that names no location is reported when generating.
    try {
      this.report ??= await readReport(path.join(this.outputFolder(), REPORT_JSON))
    } catch {
      this.report = null
    }
    this.emit()
  }

  /** Where Generate writes, from the setting `sparkSynth.outputLocation`. */
  private outputFolder(): string {
    return outputLocation(this.environment.settings().outputLocation, {
      metadataFile: this.file,
      workspaceFolder: vscode.workspace.getWorkspaceFolder(this.uri)?.uri.fsPath,
      now: new Date(),
    })
  }

  /** Trains on the document (saved first), replacing the model only when training completes; then offers Generate. */
  async train(): Promise<void> {
    if ((await this.exclusively(() => this.trainOnce())) !== 'done') return
    const choice = await vscode.window.showInformationMessage(
      `Spark Synth: the model of ${path.basename(this.file)} is trained.`,
      'Generate',
    )
    if (choice === 'Generate') await this.generate(this.view.defaults.rows, this.view.defaults.seed)
  }

  /**
   * Whether the model fits the document as saved; else offers training first. The palette's and the title
   * bar's Generate ask it before asking for rows, so that a missing model is said before any question.
   */
  async readyToGenerate(): Promise<boolean> {
    const document = await this.savedDocument()
    if (!document) return false
    await this.refresh(document)
    if (this.model && !this.model.stale) return true
    await this.offerTraining()
    return false
  }

  /** Writes `rows` synthetic rows, the snippets and the report to the output location (training first if the user agrees). */
  async generate(rows: number, seed: number): Promise<void> {
    await this.rememberGenerate({ rows, seed })
    if ((await this.exclusively(() => this.generateOnce(rows, seed))) === 'needs training') await this.offerTraining()
  }

  /** Writes the Spark job that generates from the model on a cluster (`export-spark`) beside the document. */
  async generateOnSpark(): Promise<void> {
    if ((await this.exclusively(() => this.exportSparkJobOnce())) === 'needs training') await this.offerTraining()
  }

  private async offerTraining(): Promise<void> {
    const action = this.model ? 'The model was trained on other column choices' : 'There is no model yet'
    const choice = await vscode.window.showWarningMessage(`Spark Synth: ${action}. Train it first.`, 'Train')
    if (choice === 'Train') await this.train()
  }

  private async exportSparkJobOnce(): Promise<'needs training' | undefined> {
    const document = await this.savedDocument()
    if (!document) return undefined
    await this.refresh(document)
    if (!this.model || this.model.stale) return 'needs training'
    const output = defaultSparkJobPath(this.file)
    const overwrite = await exists(output)
    if (overwrite) {
      const choice = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(output)} exists. Replace it with a job for the current model?`,
        { modal: true },
        'Replace',
      )
      if (choice !== 'Replace') return undefined
    }
    try {
      await exportSparkBundle({ model: this.modelPath, output, overwrite })
    } catch (error) {
      void this.environment.reportFailure(error)
      return undefined
    }
    const usage = sparkSubmitUsage(output)
    this.environment.log.appendLine(`export-spark ${this.modelPath} → ${output}\n  ${usage}`)
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(output))
    const choice = await vscode.window.showInformationMessage(
      `Spark Synth: wrote the Spark job ${vscode.workspace.asRelativePath(output)}. Copy the folder to your cluster and run: ${usage}`,
      'Copy Command',
      'Open Script',
    )
    if (choice === 'Copy Command') await vscode.env.clipboard.writeText(usage)
    if (choice === 'Open Script') await vscode.window.showTextDocument(vscode.Uri.file(path.join(output, BUNDLE_SCRIPT)))
    return undefined
  }

  /** Runs `body` unless a run of this document is being prepared or runs (then says so). */
  private async exclusively<T>(body: () => Promise<T>): Promise<T | undefined> {
    if (this.claimed) {
      void vscode.window.showInformationMessage(
        `Spark Synth: ${path.basename(this.file)} is already training or generating; cancel it first.`,
      )
      return undefined
    }
    this.claimed = true
    try {
      return await body()
    } finally {
      this.claimed = false
      // Whoever follows `running` (the context key, the status bar) hears that it ended.
      this.emit()
    }
  }

  private async trainOnce(): Promise<RunOutcome['status'] | undefined> {
    const document = await this.savedDocument()
    if (!document) return undefined
    const options = this.environment.settings()
    this.training = { ...IDLE_TRAINING, status: 'running', message: 'starting' }
    this.emit()
    const outcome = await this.runJob(
      'Spark Synth: training',
      {
        type: 'train',
        input: document.source.path,
        meta: this.file,
        output: this.modelPath,
        backend: options.backend,
        ...trainingJob(trainingChoices(document.training, settingsSection(options))),
        ...privacyJob(privacyChoices(document.privacy, options)),
      },
      (progress) => ({
        progress: (message) => {
          this.update({ training: { ...this.training, message } })
        },
        warning: (message) => {
          this.environment.log.warn(message)
          this.update({ training: { ...this.training, warnings: [...this.training.warnings, message] } })
        },
        step: ({ epochs, step, steps }) => {
          this.update({ training: { ...this.training, epochs, step, steps } })
        },
        epoch: (report) => {
          this.environment.log.info(describeEpoch(report))
          const losses = [...this.training.losses, report.loss]
          const holdoutLosses =
            report.holdoutLoss === undefined ? this.training.holdoutLosses : [...this.training.holdoutLosses, report.holdoutLoss]
          progress.report({
            increment: 100 / report.epochs,
            message: `epoch ${report.epoch} of ${report.epochs}, loss ${report.loss.toFixed(3)}`,
          })
          this.update({
            training: {
              ...this.training,
              epoch: report.epoch,
              epochs: report.epochs,
              step: 0,
              losses,
              holdoutLosses,
              rowsPerSecond: report.rowsPerSecond,
              etaSeconds: report.etaSeconds,
            },
          })
        },
      }),
    )
    this.training = { ...this.training, status: outcome.status, message: outcome.message }
    await this.refresh(document)
    return outcome.status
  }

  private async generateOnce(rows: number, seed: number): Promise<'needs training' | undefined> {
    const document = await this.savedDocument()
    if (!document) return undefined
    await this.refresh(document)
    if (!this.model || this.model.stale) return 'needs training'
    const options = this.environment.settings()
    let output: string
    try {
      output = this.outputFolder()
    } catch (error) {
      void this.environment.reportFailure(error)
      return undefined
    }
    const overwrite = await exists(output)
    if (overwrite) {
      const choice = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(output)} exists. Replace it with new synthetic data?`,
        { modal: true },
        'Replace',
      )
      if (choice !== 'Replace') return undefined
    }
    this.generation = { status: 'running', rowsDone: 0, rows, message: 'starting' }
    this.emit()
    const outcome = await this.runJob(
      'Spark Synth: generating synthetic data',
      {
        type: 'generate',
        model: this.modelPath,
        rows,
        output,
        seed,
        overwrite,
        format: options.outputFormat,
        backend: options.backend,
        target: document.target,
      },
      (progress) => ({
        progress: (message) => {
          this.update({ generation: { ...this.generation, message } })
        },
        rows: (done, total) => {
          progress.report({
            increment: (100 * (done - this.generation.rowsDone)) / total,
            message: `${formatCount(done)} of ${formatCount(total)} rows`,
          })
          this.update({ generation: { ...this.generation, rowsDone: done } })
        },
      }),
    )
    this.generation = {
      ...this.generation,
      status: outcome.status,
      message: outcome.message,
      ...(outcome.status === 'done' ? { output } : {}),
    }
    this.emit()
    if (outcome.status !== 'done') return undefined
    this.report = await readReport(path.join(output, REPORT_JSON))
    this.emit()
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(output))
    if (this.report) await this.environment.showReport(this.report.path)
    return undefined
  }

  /** Stops the run; its temporary output is removed and nothing is written. */
  cancel(): void {
    this.run?.cancel()
  }

  async openReport(): Promise<void> {
    if (this.report) await this.environment.showReport(this.report.path)
  }

  private update(change: { readonly training?: TrainingView; readonly generation?: GenerationView }): void {
    this.training = change.training ?? this.training
    this.generation = change.generation ?? this.generation
    this.emit()
  }

  /** The document as saved on disk, after saving unsaved edits; undefined (and said why) when invalid. */
  private async savedDocument(): Promise<MetadataDocument | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString())
    if (open?.isDirty && !(await open.save())) {
      void vscode.window.showWarningMessage(`Spark Synth: ${path.basename(this.file)} could not be saved; save it, then try again.`)
      return undefined
    }
    try {
      const document = await readMetadataFile(this.file)
      this.sampleSize = document.source.sampleSize
      return document
    } catch (error) {
      void this.environment.reportFailure(error)
      return undefined
    }
  }

  /** Runs one job in a worker with a cancellable progress notification; settles to how it ended. */
  private runJob(
    title: string,
    job: HostToWorker & { readonly output: string },
    handlers: (progress: vscode.Progress<{ message?: string; increment?: number }>) => WorkerEvents,
  ): Promise<RunOutcome> {
    const { log } = this.environment
    // The job's parameters, as sent: what ran can be told from the log alone.
    log.info(`${job.type} ${this.file} → ${job.output}: ${JSON.stringify(job)}`)
    const started = performance.now()
    const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        const run = runInWorker(this.environment.workerScript, job, {
          ...handlers(progress),
          log: (message) => {
            log.appendLine(message)
          },
        })
        this.run = run
        token.onCancellationRequested(() => {
          run.cancel()
        })
        try {
          const done = await run.result
          log.info(`${job.type}: wrote ${done.output} in ${seconds()} (${done.columns} columns, ${formatCount(done.sampleSize)} rows)`)
          return { status: 'done' as const, message: '' }
        } catch (error) {
          if (run.cancelled) {
            log.info(`${job.type}: cancelled after ${seconds()}, nothing written`)
            return { status: 'cancelled' as const, message: 'cancelled' }
          }
          void this.environment.reportFailure(error)
          return { status: 'failed' as const, message: error instanceof WorkerError ? error.message : String(error) }
        } finally {
          this.run = undefined
        }
      }),
    )
  }

  dispose(): void {
    this.cancel()
    this.changed.dispose()
  }
}

/** One session per metadata document, created on first use. */
export class SessionRegistry implements vscode.Disposable {
  private readonly sessions = new Map<string, SynthesisSession>()
  /** While a run goes: what it does, wherever the user is; a click shows the log. */
  private readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left)

  /** `environment` is public for the data preview, whose short worker runs share the worker and the settings. */
  constructor(readonly environment: SessionEnvironment) {
    this.status.command = 'sparkSynth.showLog'
    void setRunning(false)
  }

  get(uri: vscode.Uri): SynthesisSession {
    const key = uri.toString()
    let session = this.sessions.get(key)
    if (!session) {
      session = new SynthesisSession(uri, this.environment)
      this.sessions.set(key, session)
      session.onDidChange(() => {
        this.showRunning()
      })
    }
    return session
  }

  /** The `sparkSynth.running` context key (Cancel is offered only then) and the status bar item. */
  private showRunning(): void {
    const running = this.running()
    void setRunning(running.length > 0)
    if (running.length === 0) {
      this.status.hide()
      return
    }
    this.status.text = `$(sync~spin) Spark Synth: ${runningText(running[0])}`
    this.status.tooltip = running.length > 1 ? `${running.length} runs; Spark Synth: Cancel Training stops one` : 'Show the Spark Synth log'
    this.status.show()
  }

  /** Sessions with a run in progress. */
  running(): SynthesisSession[] {
    return [...this.sessions.values()].filter((session) => session.running)
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.dispose()
    this.sessions.clear()
    this.status.dispose()
  }
}

function setRunning(running: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'sparkSynth.running', running)
}

/** `training http_requests, epoch 3 of 400` or `generating http_requests`. */
function runningText(session: SynthesisSession): string {
  const { training } = session.view
  const name = path.basename(session.file).replace(/\.synth-meta\.json$/, '')
  if (training.status !== 'running') return `generating ${name}`
  return training.epochs > 0
    ? `training ${name}, epoch ${Math.min(training.epoch + 1, training.epochs)} of ${training.epochs}`
    : `training ${name}`
}

/** The choices as a training job's fields, which override the document's: null ones (automatic, no limit) are left out. */
function trainingJob({
  epochs,
  timeBudgetSeconds,
  modelSize,
}: TrainingChoices): Pick<TrainJob, 'epochs' | 'timeBudgetSeconds' | 'modelSize'> {
  return { modelSize, ...(epochs === null ? {} : { epochs }), ...(timeBudgetSeconds === null ? {} : { timeBudgetSeconds }) }
}

/** The choices as a training job's fields, which override the document's: null ones are left to it. */
function privacyJob({ holdoutShare, epsilon, delta }: PrivacyChoices): Pick<TrainJob, 'holdoutShare' | 'epsilon' | 'delta'> {
  return { holdoutShare, ...(epsilon === null ? {} : { epsilon }), ...(delta === null ? {} : { delta }) }
}
