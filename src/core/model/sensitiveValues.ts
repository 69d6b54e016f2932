/**
 * `mask` and `fake` as the synthesizer applies them on the way out, in one place so that the editor's
 * preview runs the very code that writes the synthetic values. Pure: it runs in the webview too.
 */
import type { Cell } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { holdsStrings, REWRITING_HANDLING } from '../meta/kinds.ts'
import { learnIdentifier, learnText, lookalikeGenerator, maskValue } from './lookalike.ts'

type SensitiveChoice = Pick<ColumnMeta, 'sensitive' | 'sparkType' | 'kind'>

/**
 * Whether the values written for a column differ from the ones the model produced: `mask` and `fake` change
 * string values on the way out, so a column of numbers, dates or booleans is written as learned whatever its handling.
 */
export function rewritesValues(meta: Pick<ColumnMeta, 'sensitive' | 'sparkType'>): boolean {
  return REWRITING_HANDLING.has(meta.sensitive) && holdsStrings(meta)
}

/**
 * `mask` and `fake` on the way out (see `rewritesValues`), keyed by the model's seed. A fake is one consistent
 * look-alike per distinct value, kept across batches, so frequencies and relationships survive; the look-alikes
 * take the shape of the first batch's values.
 */
export function sensitiveHandler(meta: SensitiveChoice, seed: number): (values: Cell[]) => Cell[] {
  if (!rewritesValues(meta)) return (values) => values
  if (meta.sensitive === 'mask') return (values) => values.map((v) => (typeof v === 'string' ? maskValue(v, seed) : v))
  const fakes = new Map<string, string>()
  let next: (() => string | number) | undefined
  return (values) => {
    const strings = values.filter((v): v is string => typeof v === 'string')
    next ??= strings.length
      ? lookalikeGenerator(meta.kind === 'text' ? learnText(strings) : learnIdentifier(strings), seed, new Set(strings))
      : undefined
    return values.map((v) => {
      if (typeof v !== 'string' || !next) return v
      let fake = fakes.get(v)
      if (fake === undefined) {
        fake = String(next())
        fakes.set(v, fake)
      }
      return fake
    })
  }
}

export interface Rewrite {
  readonly value: string
  readonly written: string
}

/**
 * What `handling` writes for `values` of a string column, had a batch held exactly them: masks are exact
 * (a value always masks the same way under one seed), fakes show the look-alikes' shape. Models trained
 * from the editor take the document's `source.seed` as their seed.
 */
export function previewRewrites(
  column: Pick<ColumnMeta, 'sparkType' | 'kind'>,
  handling: 'mask' | 'fake',
  values: readonly string[],
  seed: number,
): Rewrite[] {
  // Strings in, strings out: both handlings rewrite each string as a string.
  const written = sensitiveHandler({ ...column, sensitive: handling }, seed)([...values]) as string[]
  return values.map((value, i) => ({ value, written: written[i] }))
}
