/**
 * The privacy band of the editor: value protection's rule, the holdout share and differential privacy.
 * Each change is an edit of the document, asked of the host; where the document is silent the
 * settings show. A field the user is typing in is left alone until they leave it.
 */
import type { TextField } from '@vscode/webview-ui-toolkit'
import type { MetadataDocument } from '../src/core/meta/document.ts'
import { privacyChoices } from '../src/core/meta/privacyChoices.ts'
import { DEFAULT_RARE_VALUE_ROWS, rareValueRowsOf } from '../src/core/meta/protection.ts'
import { parseDelta, parseEpsilon, parseHoldoutShare, type Parsed } from '../src/core/numberInput.ts'
import type { PrivacyEdit, SessionView, WebviewToHost } from '../src/protocol/webview.ts'
import { offerChoice, readChoice } from './choiceFields.ts'
import { h, setText } from './dom.ts'
import { privacySummary, protectionSummary } from './privacyChoices.ts'
import { IDLE_SESSION } from './synthesisStatus.ts'

type Post = (message: WebviewToHost) => void

/** ε the checkbox offers when neither the document nor the settings name one: the bench's middle ground. */
const OFFERED_EPSILON = 4

function field(className: string, label: string, placeholder = ''): TextField {
  return h('vscode-text-field', { class: className, placeholder }, label)
}

export class PrivacyPanel {
  readonly element: HTMLElement
  /** The choices at a glance; the band opens on a click, so that the grid keeps its height. */
  private readonly summary = h('summary', {})
  private readonly protection = h('p', { class: 'privacy-protection' })
  private readonly holdout = field('holdout-share', 'Holdout share')
  private readonly dpToggle = h('vscode-checkbox', { class: 'differential-privacy' }, 'Differential privacy')
  private readonly epsilon = field('epsilon', 'ε (epsilon)', String(OFFERED_EPSILON))
  private readonly delta = field('delta', 'δ (delta)', 'default: 1 / (10 × rows)')
  private readonly error = h('p', { class: 'form-error', role: 'alert', hidden: true })
  private privacy: MetadataDocument['privacy']
  private k = DEFAULT_RARE_VALUE_ROWS
  private defaults: SessionView['defaults'] = IDLE_SESSION.defaults

  constructor(private readonly post: Post) {
    this.element = h(
      'details',
      { class: 'privacy' },
      this.summary,
      this.protection,
      h(
        'div',
        { class: 'privacy-fields', role: 'group', 'aria-label': 'Privacy choices' },
        this.holdout,
        this.dpToggle,
        this.epsilon,
        this.delta,
      ),
      h(
        'p',
        { class: 'hint' },
        'Holdout: kept out of training when the sample is the whole source, so that the report tests memorisation (0 keeps none). ' +
          'Differential privacy trains to a stated (ε, δ): smaller ε is more private and costs quality (Adult at ε = 4: pair trends 0.87 against 0.98 without).',
      ),
      this.error,
    )
    this.holdout.addEventListener('change', () => {
      this.submit(parseHoldoutShare(this.holdout.value), this.holdout, (value) => ({ field: 'holdoutShare', value }))
    })
    this.dpToggle.addEventListener('change', () => {
      if (!this.dpToggle.checked) this.send({ field: 'epsilon', value: null })
      else this.submit(parseEpsilon(this.epsilon.value || String(OFFERED_EPSILON)), this.epsilon, (value) => ({ field: 'epsilon', value }))
    })
    this.epsilon.addEventListener('change', () => {
      this.submit(parseEpsilon(this.epsilon.value), this.epsilon, (value) => ({ field: 'epsilon', value }))
    })
    this.delta.addEventListener('change', () => {
      if (!this.delta.value.trim()) this.send({ field: 'delta', value: null })
      else this.submit(parseDelta(this.delta.value), this.delta, (value) => ({ field: 'delta', value }))
    })
  }

  showDocument(document: MetadataDocument): void {
    this.privacy = document.privacy
    this.k = rareValueRowsOf(document)
    this.protection.textContent = protectionSummary(document)
    this.render()
  }

  showDefaults(defaults: SessionView['defaults']): void {
    this.defaults = defaults
    this.render()
  }

  private render(): void {
    const choices = privacyChoices(this.privacy, this.defaults)
    setText(this.summary, privacySummary(choices, this.k))
    offerChoice(this.holdout, String(choices.holdoutShare), choices.fromDocument.holdoutShare)
    if (this.dpToggle.checked !== (choices.epsilon !== null)) this.dpToggle.checked = choices.epsilon !== null
    offerChoice(this.epsilon, choices.epsilon === null ? '' : String(choices.epsilon), choices.fromDocument.epsilon)
    offerChoice(this.delta, choices.delta === null ? '' : String(choices.delta), choices.fromDocument.delta)
    this.epsilon.disabled = choices.epsilon === null
    this.delta.disabled = choices.epsilon === null
  }

  private submit(parsed: Parsed, element: TextField, edit: (value: number) => PrivacyEdit): void {
    const value = readChoice(element, parsed, this.error)
    if (value !== undefined) this.send(edit(value))
  }

  private send(edit: PrivacyEdit): void {
    this.error.hidden = true
    this.post({ type: 'editPrivacy', ...edit })
  }
}
