import { Random } from '../random.ts'

/**
 * Values that look like a column's without coming from it: fresh identifiers in the same format
 * and pseudo-text with the same shape. Learned from a sample of the column, stored as a small
 * profile in the model folder (holding no value verbatim).
 */

export const LOWER = 'abcdefghijklmnopqrstuvwxyz'
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
export const DIGITS = '0123456789'
const HEX = '0123456789abcdef'

/** One position of a format template: a literal character or a character class. */
type Slot = { readonly literal: string } | { readonly alphabet: string }

export interface IdentifierProfile {
  readonly type: 'identifier'
  /** `integer` keys, RFC 4122 `uuid`s, or strings following `templates`. */
  readonly format: 'integer' | 'uuid' | 'template'
  /** Integer keys' range; null once saved when the column held no keys (JSON writes ±Infinity as null). */
  readonly min: number | null
  readonly max: number | null
  /** Per-length templates, for strings; `weight` is the share of values with that template. */
  readonly templates: readonly { readonly slots: readonly Slot[]; readonly weight: number }[]
}

export interface TextProfile {
  readonly type: 'text'
  /** Share of values with each word count, index = words − 1. */
  readonly wordCounts: readonly number[]
  /** Character bigram successors (`^` starts a word): pseudo-words with the column's spelling. */
  readonly successors: Readonly<Record<string, string>>
  readonly wordLengths: readonly number[]
  readonly capitalised: number
}

export type LookalikeProfile = IdentifierProfile | TextProfile

function classOf(char: string): string | undefined {
  if (LOWER.includes(char)) return LOWER
  if (UPPER.includes(char)) return UPPER
  if (DIGITS.includes(char)) return DIGITS
  return undefined
}

/**
 * The format of string keys: values of the same length share a template whose positions are
 * literals where every value agrees (prefixes, dashes, `@example.com`) and classes elsewhere.
 */
function learnTemplates(values: readonly string[]): IdentifierProfile['templates'] {
  const byLength = new Map<number, string[]>()
  for (const value of values) byLength.set(value.length, [...(byLength.get(value.length) ?? []), value])
  return [...byLength.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([length, group]) => {
      const slots: Slot[] = Array.from({ length }, (_, i) => {
        const chars = new Set(group.map((v) => v[i]))
        if (chars.size === 1 && group.length > 1) return { literal: group[0][i] }
        const classes = new Set([...chars].map(classOf))
        if (classes.has(undefined)) return { alphabet: [...chars].sort().join('') }
        if ([...chars].every((c) => HEX.includes(c)) && chars.size > 10) return { alphabet: HEX }
        return { alphabet: [...classes].join('') }
      })
      return { slots, weight: group.length / values.length }
    })
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function learnIdentifier(values: readonly (string | number)[]): IdentifierProfile {
  const numbers = values.filter((v): v is number => typeof v === 'number')
  if (numbers.length === values.length) {
    return { type: 'identifier', format: 'integer', min: Math.min(...numbers), max: Math.max(...numbers), templates: [] }
  }
  if (values.every((v) => UUID.test(String(v)))) return { type: 'identifier', format: 'uuid', min: 0, max: 0, templates: [] }
  return { type: 'identifier', format: 'template', min: 0, max: 0, templates: learnTemplates(values.map(String)) }
}

/** A random version-4 UUID from the seeded stream. */
function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => HEX[random.int(16)])
  hex[12] = '4'
  hex[16] = '89ab'[random.int(4)]
  const text = hex.join('')
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`
}

export function learnText(values: readonly string[]): TextProfile {
  // Sparse: indexed by word count and length, with holes for those never seen.
  const wordCounts: (number | undefined)[] = []
  const wordLengths: (number | undefined)[] = []
  const successors: Record<string, string> = {}
  let capitalised = 0
  let words = 0
  for (const value of values) {
    const tokens = value.split(/\s+/).filter(Boolean)
    wordCounts[Math.max(0, tokens.length - 1)] = (wordCounts[Math.max(0, tokens.length - 1)] ?? 0) + 1
    for (const token of tokens) {
      words++
      if (/^\p{Lu}/u.test(token)) capitalised++
      wordLengths[token.length] = (wordLengths[token.length] ?? 0) + 1
      const lower = token.toLowerCase()
      let previous = '^'
      for (const char of lower) {
        successors[previous] = (successors[previous] ?? '') + char
        previous = char
      }
    }
  }
  const normalise = (counts: readonly (number | undefined)[]) => {
    const total = counts.reduce<number>((s, v) => s + (v ?? 0), 0)
    return Array.from(counts, (v) => (v ?? 0) / total)
  }
  // Successor strings keep frequencies by repetition; cap their length so profiles stay small.
  for (const key of Object.keys(successors)) successors[key] = successors[key].slice(0, 400)
  return {
    type: 'text',
    wordCounts: normalise(wordCounts),
    successors,
    wordLengths: normalise(wordLengths),
    capitalised: words ? capitalised / words : 0,
  }
}

function pick(weights: readonly number[], random: Random): number {
  let u = random.next()
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]
    if (u <= 0) return i
  }
  return weights.length - 1
}

/**
 * A generator of fresh values for a profile. Identifiers are unique within one generator; values
 * in `forbidden` (the training values) are never produced.
 */
export function lookalikeGenerator(
  profile: LookalikeProfile,
  seed: number,
  forbidden: ReadonlySet<string | number> = new Set(),
): () => string | number {
  const random = new Random(seed)
  const issued = new Set<string | number>()
  /** Called when the format is crowded (most draws already taken); may make room. */
  let widen = () => false
  const fresh = (make: () => string | number) => {
    for (let attempt = 0; ; attempt++) {
      const value = make()
      if (!issued.has(value) && !forbidden.has(value)) {
        if (profile.type === 'identifier') issued.add(value)
        return value
      }
      if (attempt % 200 === 199 && !widen()) throw new Error('cannot generate a fresh value: the format has run out of room')
    }
  }
  if (profile.type === 'identifier' && profile.format === 'uuid') return () => fresh(() => uuid(random))
  if (profile.type === 'identifier' && profile.format === 'integer') {
    // Fresh keys above the source range, in random steps, so they never collide with real keys.
    let next = (profile.max ?? 0) + 1 + random.int(1000)
    return () => fresh(() => (next += 1 + random.int(7)))
  }
  if (profile.type === 'identifier') {
    let templates = profile.templates
    const weights = templates.map((t) => t.weight)
    // More keys than the seen lengths can hold: lengthen every template at its last varying
    // position (user999@x → user1000@x), as a growing sequence of keys does.
    widen = () => {
      templates = templates.map(({ slots, weight }) => {
        const last = slots.findLastIndex((slot) => 'alphabet' in slot)
        return { weight, slots: last < 0 ? slots : [...slots.slice(0, last + 1), slots[last], ...slots.slice(last + 1)] }
      })
      return templates.some(({ slots }) => slots.some((slot) => 'alphabet' in slot))
    }
    return () =>
      fresh(() =>
        templates[pick(weights, random)].slots
          .map((slot) => ('literal' in slot ? slot.literal : slot.alphabet[random.int(slot.alphabet.length)]))
          .join(''),
      )
  }
  // A letter may have no successors recorded (it only ended words): start afresh then.
  const successors: Readonly<Partial<Record<string, string>>> = profile.successors
  const word = () => {
    const length = Math.max(1, pick(profile.wordLengths, random))
    let text = ''
    let previous = '^'
    while (text.length < length) {
      const options = successors[previous] ?? successors['^'] ?? LOWER
      previous = options[random.int(options.length)]
      text += previous
    }
    return random.next() < profile.capitalised ? text[0].toUpperCase() + text.slice(1) : text
  }
  return () => fresh(() => Array.from({ length: pick(profile.wordCounts, random) + 1 }, word).join(' '))
}

/**
 * Format-preserving masking: letters become other letters of the same case, digits other
 * digits, everything else stays; the same input always masks to the same output (keyed by seed).
 */
export function maskValue(value: string, seed: number): string {
  let state = seed >>> 0
  for (const char of value) state = Math.imul(state ^ char.charCodeAt(0), 0x01000193) >>> 0
  const random = new Random(state)
  return Array.from(value, (char) => {
    const alphabet = classOf(char)
    return alphabet ? alphabet[random.int(alphabet.length)] : char
  }).join('')
}
