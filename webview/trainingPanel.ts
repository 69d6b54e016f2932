/**
 * The training band of the editor: epochs, time budget and model size. Each change is an edit of the
 * document, asked of the host; where the document is silent the settings show. A field the user is typing
 * in is left alone until they leave it.
 */
import type { Dropdown, TextField } from '@vscode/webview-ui-toolkit'
import type { MetadataDocument } from '../src/core/meta/document.ts'
import { MAX_CHOSEN_EPOCHS, MODEL_SIZES, settingsSection, trainingChoices } from '../src/core/meta/trainingChoices.ts'
import { parseEpochs, parseTimeBudget, type Parsed } from '../src/core/numberInput.ts'
import type { SessionView, TrainingEdit, WebviewToHost } from '../src/protocol/webview.ts'
import { FROM_DOCUMENT, FROM_SETTINGS, offerChoice, readChoice } from './choiceFields.ts'
import { h, setText } from './dom.ts'
import { IDLE_SESSION } from './synthesisStatus.ts'
import { formatTimeBudget, trainingSummary } from './trainingChoices.ts'

type Post = (message: WebviewToHost) => void

/** What each size means, beside its name in the dropdown. */
const SIZE_LABELS = { small: 'Small (2 × 64 units)', medium: 'Medium (2 × 128 units)', large: 'Large (2 × 256 units)' } as const

export class TrainingPanel {
  readonly element: HTMLElement
  private readonly summary = h('summary', {})
  private readonly epochs: TextField = h('vscode-text-field', { class: 'epochs', placeholder: 'automatic' }, 'Epochs')
  private readonly timeBudget: TextField = h('vscode-text-field', { class: 'time-budget', placeholder: 'no limit' }, 'Time budget')
  private readonly modelSize: Dropdown = h(
    'vscode-dropdown',
    { class: 'model-size', 'aria-label': 'Model size' },
    ...MODEL_SIZES.map((size) => h('vscode-option', { value: size }, SIZE_LABELS[size])),
  )
  private readonly error = h('p', { class: 'form-error', role: 'alert', hidden: true })
  private training: MetadataDocument['training']
  private defaults: SessionView['defaults'] = IDLE_SESSION.defaults

  constructor(private readonly post: Post) {
    this.element = h(
      'details',
      { class: 'training' },
      this.summary,
      h(
        'div',
        { class: 'training-fields', role: 'group', 'aria-label': 'Training choices' },
        this.epochs,
        this.timeBudget,
        h('label', { class: 'model-size-field' }, h('span', {}, 'Model size'), this.modelSize),
      ),
      h(
        'p',
        { class: 'hint' },
        'Epochs: passes over the sample; empty chooses them from its size (20 for large samples, up to 400 for small ones). ' +
          'Time budget: training stops after the epoch that passes it (90 s, 5 min; empty: no limit). ' +
          'A larger model can learn more relationships between columns, and trains more slowly.',
      ),
      this.error,
    )
    this.epochs.addEventListener('change', () => {
      this.submit(
        this.epochs,
        (text) => parseEpochs(text, MAX_CHOSEN_EPOCHS),
        (value) => ({ field: 'epochs', value }),
      )
    })
    this.timeBudget.addEventListener('change', () => {
      this.submit(this.timeBudget, parseTimeBudget, (value) => ({ field: 'timeBudgetSeconds', value }))
    })
    this.modelSize.addEventListener('change', () => {
      const size = MODEL_SIZES.find((candidate) => candidate === this.modelSize.value)
      if (size) this.send({ field: 'modelSize', value: size })
    })
  }

  showDocument(document: MetadataDocument): void {
    this.training = document.training
    this.render()
  }

  showDefaults(defaults: SessionView['defaults']): void {
    this.defaults = defaults
    this.render()
  }

  private render(): void {
    const choices = trainingChoices(this.training, settingsSection(this.defaults))
    setText(this.summary, trainingSummary(choices))
    offerChoice(this.epochs, choices.epochs === null ? '' : String(choices.epochs), choices.fromFirst.epochs)
    offerChoice(
      this.timeBudget,
      choices.timeBudgetSeconds === null ? '' : formatTimeBudget(choices.timeBudgetSeconds),
      choices.fromFirst.timeBudgetSeconds,
    )
    this.modelSize.title = choices.fromFirst.modelSize ? FROM_DOCUMENT : FROM_SETTINGS
    if (this.modelSize.value !== choices.modelSize) this.modelSize.value = choices.modelSize
  }

  /** An empty field removes the choice; else its value, when it reads. */
  private submit(element: TextField, parse: (text: string) => Parsed, edit: (value: number | null) => TrainingEdit): void {
    if (!element.value.trim()) {
      element.removeAttribute('aria-invalid')
      this.send(edit(null))
      return
    }
    const value = readChoice(element, parse(element.value), this.error)
    if (value !== undefined) this.send(edit(value))
  }

  private send(edit: TrainingEdit): void {
    this.error.hidden = true
    this.post({ type: 'editTraining', ...edit })
  }
}
