import type { MetadataDocument } from '../core/meta/document.ts'
import { sourcePathOf } from '../core/meta/metadataFile.ts'
import { previewColumns, syntheticRefusal } from '../protocol/dataPreview.ts'
import type { HostToWebview, PreviewSource, WebviewToHost } from '../protocol/webview.ts'
import type { Settings } from './settings.ts'
import type { SynthesisSession } from './synthesisSession.ts'
import { previewInWorker, WorkerError, type PreviewRows, type WorkerRun } from './workerClient.ts'

type PreviewRequest = Extract<WebviewToHost, { type: 'previewRows' }>
type PreviewAnswer = Extract<HostToWebview, { type: 'previewRows' | 'previewFailed' }>

/**
 * The data preview of one editor: each request is a short worker run of its own, beside any training or
 * generation (which it never touches); a newer request of the same source replaces the one still running.
 */
export class DataPreview {
  private readonly runs = new Map<PreviewSource, WorkerRun<PreviewRows>>()

  constructor(
    private readonly workerScript: string,
    private readonly settings: () => Settings,
  ) {}

  /** The rows asked for, or why there are none; undefined when a newer request replaced this one. */
  async answer(
    request: PreviewRequest,
    documentFile: string,
    document: MetadataDocument,
    session: SynthesisSession,
  ): Promise<PreviewAnswer | undefined> {
    const { which } = request
    const { columns, note } = previewColumns(document)
    if (which === 'synthetic') {
      const refusal = syntheticRefusal(session.view)
      if (refusal) return { type: 'previewFailed', which, message: refusal }
    }
    this.runs.get(which)?.cancel()
    const run = previewInWorker(
      this.workerScript,
      which === 'real'
        ? {
            type: 'previewReal',
            input: sourcePathOf(document, documentFile),
            sampleSize: document.source.sampleSize,
            seed: document.source.seed,
            version: document.source.version,
            columns,
            rows: request.rows,
          }
        : {
            type: 'previewSynthetic',
            model: session.modelPath,
            backend: this.settings().backend,
            seed: request.seed ?? session.view.defaults.seed,
            columns,
            rows: request.rows,
          },
    )
    this.runs.set(which, run)
    try {
      const result = await run.result
      return { type: 'previewRows', which, columns: result.columns, rows: result.rows, ...(note === undefined ? {} : { note }) }
    } catch (error) {
      if (run.cancelled) return undefined
      return { type: 'previewFailed', which, message: error instanceof WorkerError ? error.message : String(error) }
    } finally {
      if (this.runs.get(which) === run) this.runs.delete(which)
    }
  }

  dispose(): void {
    for (const run of this.runs.values()) run.cancel()
    this.runs.clear()
  }
}
