/**
 * The synthesis band of the editor: train the model, generate synthetic rows, open the quality
 * report, and follow both runs. Built once; the host's session messages (several a second while
 * a run goes) only update its text, states and bars in place.
 */
import type { Button, ButtonAppearance, TextField } from '@vscode/webview-ui-toolkit'
import type { SessionView, WebviewToHost } from '../src/protocol/webview.ts'
import { h, setText } from './dom.ts'
import { formatNumber } from './format.ts'
import { parseRows, parseSeed } from './generateInput.ts'
import { LossChart } from './lossChart.ts'
import { ProgressBar } from './progressBar.ts'
import { canGenerate, generationStatus, IDLE_SESSION, isRunning, trainingStatus } from './synthesisStatus.ts'

type Post = (message: WebviewToHost) => void

function button(className: string, label: string, appearance: ButtonAppearance): Button {
  return h('vscode-button', { class: className, appearance }, label)
}

/** A number field the session fills with its default until the user types in it. */
class DefaultedField {
  readonly element: TextField
  private edited = false

  constructor(className: string, label: string) {
    this.element = h('vscode-text-field', { class: className }, label)
    // `input` comes from typing only; setting `value` from here does not raise it.
    this.element.addEventListener('input', () => (this.edited = true))
  }

  offer(value: number): void {
    if (!this.edited && this.element.value !== String(value)) this.element.value = String(value)
  }

  markInvalid(invalid: boolean): void {
    if (invalid) this.element.setAttribute('aria-invalid', 'true')
    else this.element.removeAttribute('aria-invalid')
  }
}

export class SynthesisPanel {
  readonly element: HTMLElement
  private session = IDLE_SESSION
  private readonly train = button('train', 'Train', 'primary')
  private readonly cancel = button('cancel', 'Cancel', 'secondary')
  private readonly rows = new DefaultedField('rows', 'Rows')
  private readonly seed = new DefaultedField('seed', 'Seed')
  private readonly generate = button('generate', 'Generate', 'secondary')
  private readonly openReport = button('open-report', 'Open Report', 'secondary')
  private readonly formError = h('p', { class: 'form-error', role: 'alert', hidden: true })
  private readonly trainingLine = h('p', { class: 'training-status', role: 'status' })
  private readonly trainingWarnings = h('ul', { class: 'training-warnings', 'aria-label': 'Privacy warnings', hidden: true })
  private readonly trainingProgress = new ProgressBar('training-progress', 'Training progress')
  private readonly generationLine = h('p', { class: 'generation-status', role: 'status', hidden: true })
  private readonly generationProgress = new ProgressBar('generation-progress', 'Generation progress')
  private readonly lossChart = new LossChart()

  constructor(private readonly post: Post) {
    const form = h(
      'div',
      { class: 'generate-form', role: 'group', 'aria-label': 'Generate synthetic data' },
      this.rows.element,
      this.seed.element,
      this.generate,
    )
    this.element = h(
      'section',
      { class: 'synthesis', 'aria-label': 'Synthesis' },
      h(
        'div',
        { class: 'synthesis-main' },
        h('div', { class: 'synthesis-actions' }, this.train, this.cancel, form, this.openReport, this.formError),
        h(
          'div',
          { class: 'synthesis-status' },
          this.trainingLine,
          this.trainingWarnings,
          this.trainingProgress.element,
          this.generationLine,
          this.generationProgress.element,
        ),
      ),
      this.lossChart.element,
    )
    // Each action checks the latest session too: a click can race the message that disables it.
    this.train.addEventListener('click', () => {
      if (!isRunning(this.session)) this.post({ type: 'train' })
    })
    this.cancel.addEventListener('click', () => {
      if (isRunning(this.session)) this.post({ type: 'cancel' })
    })
    this.openReport.addEventListener('click', () => {
      if (this.session.report) this.post({ type: 'openReport' })
    })
    this.generate.addEventListener('click', () => {
      this.submit()
    })
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.target as Element).matches('vscode-text-field')) this.submit()
    })
    for (const field of [this.rows, this.seed]) {
      field.element.addEventListener('input', () => {
        field.markInvalid(false)
        this.formError.hidden = true
        this.remember()
      })
    }
    this.show(IDLE_SESSION)
  }

  /** The guard's warnings of the latest training, redrawn only when they change. */
  private showWarnings(warnings: readonly string[]): void {
    const items = Array.from(this.trainingWarnings.children, (item) => item.textContent)
    if (items.length === warnings.length && items.every((text, i) => text === warnings[i])) return
    this.trainingWarnings.replaceChildren(...warnings.map((warning) => h('li', {}, warning)))
    this.trainingWarnings.hidden = warnings.length === 0
  }

  /** Draws `session`, keeping what the user typed in the form. */
  show(session: SessionView): void {
    const focused = document.activeElement
    this.session = session
    const { training, generation, model } = session
    const running = isRunning(session)
    // The next step stands out: Train until there is a model that fits, then Generate.
    const modelFits = model !== null && !model.stale
    setText(this.train, model ? 'Train again' : 'Train')
    this.train.appearance = modelFits ? 'secondary' : 'primary'
    this.train.disabled = running
    this.cancel.hidden = !running
    this.generate.appearance = modelFits ? 'primary' : 'secondary'
    this.generate.disabled = !canGenerate(session)
    this.openReport.disabled = session.report === null
    this.rows.offer(session.defaults.rows)
    this.seed.offer(session.defaults.seed)

    setText(this.trainingLine, trainingStatus(session))
    this.showWarnings(training.warnings)
    const generationText = generationStatus(session)
    setText(this.generationLine, generationText)
    this.generationLine.hidden = !generationText
    if (training.status === 'running') {
      // Finished epochs plus the share of the current one, so the bar moves within long epochs.
      const done = training.epoch + (training.steps > 0 ? training.step / training.steps : 0)
      this.trainingProgress.show(
        done,
        training.epochs,
        training.epochs ? `epoch ${Math.min(training.epoch + 1, training.epochs)} of ${training.epochs}` : training.message || 'starting',
      )
    } else this.trainingProgress.hide()
    if (generation.status === 'running') {
      this.generationProgress.show(
        generation.rowsDone,
        generation.rows,
        `${formatNumber(generation.rowsDone)} of ${formatNumber(generation.rows)} rows`,
      )
    } else this.generationProgress.hide()
    this.lossChart.show(training.losses, training.holdoutLosses)
    this.keepFocus(focused)
  }

  /** Hands the host the form's values once both read as numbers, so that reopening the editor keeps them. */
  private remember(): void {
    const rows = parseRows(this.rows.element.value)
    const seed = parseSeed(this.seed.element.value)
    if ('value' in rows && 'value' in seed) this.post({ type: 'rememberGenerate', rows: rows.value, seed: seed.value })
  }

  private submit(): void {
    if (!canGenerate(this.session)) return
    const rows = parseRows(this.rows.element.value)
    const seed = parseSeed(this.seed.element.value)
    this.rows.markInvalid('problem' in rows)
    this.seed.markInvalid('problem' in seed)
    if ('value' in rows && 'value' in seed) {
      this.formError.hidden = true
      this.post({ type: 'generate', rows: rows.value, seed: seed.value })
      return
    }
    setText(this.formError, [rows, seed].flatMap((parsed) => ('problem' in parsed ? [parsed.problem] : [])).join(' '))
    this.formError.hidden = false
  }

  /** A button that had the focus and is now disabled or gone hands it to the next useful one. */
  private keepFocus(previous: Element | null): void {
    const buttons = [this.cancel, this.generate, this.train]
    const usable = (candidate: Button) => !candidate.hidden && !candidate.disabled
    const lost = buttons.find((candidate) => candidate === previous)
    if (lost && !usable(lost)) buttons.find(usable)?.focus()
  }
}
