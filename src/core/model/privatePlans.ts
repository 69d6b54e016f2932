import type { ColumnBudget } from '../privacy/encodingBudget.ts'
import { gaussianSigma, selectionThreshold, selectKeys, type SecureRandom } from '../privacy/mechanisms.ts'
import type { Category } from './encoding.ts'
import { DIGITS, LOWER, UPPER, type IdentifierProfile, type TextProfile } from './lookalike.ts'

/**
 * The plans of columns the network does not learn (identifiers, text, constants) under differential privacy:
 * each figure from a DP mechanism spending the column's share of the encodings' budget. A row's contribution
 * is bounded where it could be large (a string's characters, a text's words and bigrams), and values (template
 * literals, bigrams, a constant) are released only by stability-based selection. Integer keys start from a
 * fixed point, not above the data's largest key, and no hashes of the data's values are kept.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Identifiers are learned up to this length (longer ones count as this long, cut): it bounds what a row adds. */
const MAX_IDENTIFIER_LENGTH = 64
/** A position whose most common character holds this (noisy) share of its values becomes a literal. */
const LITERAL_SHARE = 0.9
/** A character class enters a position's alphabet when it holds this (noisy) share of its values. */
const CLASS_SHARE = 0.05
/** Texts: word counts and word lengths beyond these count as these; at most this many distinct bigrams a row. */
const MAX_WORDS = 64
const MAX_WORD_LENGTH = 40
const MAX_BIGRAMS = 64
/** Successor strings hold frequencies by repetition, this long at most (as learnText caps them). */
const SUCCESSOR_LENGTH = 400

/**
 * The share of nulls: a noisy count (Gaussian, sensitivity 1) over the public row count, 0 below twice its noise
 * (a column without nulls would otherwise get some).
 */
function noisyShare(count: number, rows: number, sigma: number, random: SecureRandom): number {
  const noisy = count + sigma * random.gaussian()
  return rows === 0 || noisy < 2 * sigma ? 0 : Math.min(1, noisy / rows)
}

/**
 * Shares from noisy counts, those below `floor` as 0 (over a public domain most counts are empty, and their noise
 * would spread a share over them); even shares when nothing is left.
 */
function shares(noisy: readonly number[], floor = 0): number[] {
  const clamped = noisy.map((n) => (n < floor ? 0 : n))
  const total = clamped.reduce((a, b) => a + b, 0)
  return clamped.map((n) => (total > 0 ? n / total : 1 / clamped.length))
}

/** Plan parts of ρ for identifiers: nulls and the UUID vote, lengths, characters. */
const IDENTIFIER_SHARES = { vote: 0.2, lengths: 0.3, characters: 0.5 } as const

/**
 * An identifier column's profile and null share. Integer keys need nothing from the data (they are generated from
 * a fixed start). Strings: one release counts nulls, UUIDs and others (the vote); one counts lengths; one counts,
 * at each position of each length, the character classes (public) and the characters (selected), each row adding
 * at most 2 × 64 counts (L2 sensitivity √128).
 */
export function privateIdentifier(
  values: readonly (string | number | null)[],
  numeric: boolean,
  share: ColumnBudget,
  random: SecureRandom,
): { profile: IdentifierProfile; nullShare: number } {
  const nulls = values.filter((v) => v === null).length
  const present = values.filter((v): v is string | number => v !== null).map(String)
  const voteRho = IDENTIFIER_SHARES.vote * share.rho
  share.spend(voteRho)
  const voteSigma = gaussianSigma(voteRho)
  const nullShare = noisyShare(nulls, values.length, voteSigma, random)
  if (numeric) return { profile: { type: 'identifier', format: 'integer', min: 0, max: 0, templates: [] }, nullShare }
  const uuids = present.filter((v) => UUID.test(v)).length
  if (uuids + voteSigma * random.gaussian() > present.length - uuids + voteSigma * random.gaussian())
    return { profile: { type: 'identifier', format: 'uuid', min: 0, max: 0, templates: [] }, nullShare }

  const lengthRho = IDENTIFIER_SHARES.lengths * share.rho
  share.spend(lengthRho)
  const lengthSigma = gaussianSigma(lengthRho)
  const lengthCounts = new Array<number>(MAX_IDENTIFIER_LENGTH + 1).fill(0)
  for (const value of present) lengthCounts[Math.min(MAX_IDENTIFIER_LENGTH, value.length)]++
  const noisyLengths = lengthCounts.map((n) => n + lengthSigma * random.gaussian())
  // Lengths whose noisy count stands clear of the noise; the public length domain needs no δ.
  const lengths = noisyLengths.flatMap((n, length) => (length > 0 && n >= 3 * lengthSigma ? [length] : []))

  const characterRho = IDENTIFIER_SHARES.characters * share.rho
  share.spend(characterRho, share.selectionDelta)
  const characterSigma = gaussianSigma(characterRho, Math.sqrt(2 * MAX_IDENTIFIER_LENGTH))
  const counts = new Map<string, number>()
  for (const value of present.map((v) => v.slice(0, MAX_IDENTIFIER_LENGTH))) {
    for (let i = 0; i < value.length; i++) {
      for (const key of [`${value.length}:${i}:class:${classOf(value[i])}`, `${value.length}:${i}:char:${value[i]}`])
        counts.set(key, (counts.get(key) ?? 0) + 1)
    }
  }
  // Class keys are public: every one is released, noisy. Character keys need selecting.
  for (const length of lengths)
    for (let i = 0; i < length; i++)
      for (const name of CLASSES) counts.set(`${length}:${i}:class:${name}`, counts.get(`${length}:${i}:class:${name}`) ?? 0)
  const threshold = selectionThreshold(characterSigma, share.selectionDelta, MAX_IDENTIFIER_LENGTH)
  const released = new Map<string, number>()
  for (const [key, noisy] of selectKeys(counts, characterSigma, -Infinity, random))
    if (key.includes(':class:') || noisy >= threshold) released.set(key, noisy)
  const templates = lengths.map((length) => {
    const total = Math.max(1, noisyLengths[length])
    const slots = Array.from({ length }, (_, i) => {
      const characters = [...released].filter(([key]) => key.startsWith(`${length}:${i}:char:`))
      const top = characters.at(0)
      if (top && top[1] >= LITERAL_SHARE * total) return { literal: top[0].slice(`${length}:${i}:char:`.length) }
      const classes = CLASSES.filter((name) => (released.get(`${length}:${i}:class:${name}`) ?? 0) >= CLASS_SHARE * total)
      const others = characters.map(([key]) => key.slice(`${length}:${i}:char:`.length)).filter((c) => classOf(c) === 'other')
      const alphabet = [...classes.filter((name) => name !== 'other').map((name) => ALPHABETS[name]), ...others].join('')
      return { alphabet: alphabet || LOWER + DIGITS }
    })
    return { slots, weight: total }
  })
  const weights = shares(templates.map((t) => t.weight))
  return {
    profile: {
      type: 'identifier',
      format: 'template',
      min: 0,
      max: 0,
      templates: templates.map((t, i) => ({ slots: t.slots, weight: weights[i] })),
    },
    nullShare,
  }
}

const CLASSES = ['lower', 'upper', 'digit', 'other'] as const
const ALPHABETS = { lower: LOWER, upper: UPPER, digit: DIGITS } as const
function classOf(char: string): (typeof CLASSES)[number] {
  if (LOWER.includes(char)) return 'lower'
  if (UPPER.includes(char)) return 'upper'
  if (DIGITS.includes(char)) return 'digit'
  return 'other'
}

/** Plan parts of ρ for texts: nulls and word counts, word lengths, capitals, bigrams. */
const TEXT_SHARES = { words: 0.3, lengths: 0.2, capitals: 0.1, bigrams: 0.4 } as const

/**
 * A text column's profile and null share. Word counts (and nulls) are one count a row; word lengths and the share
 * of capitalised words are each row's own shares (adding up to 1 a row, so sensitivity 1); bigram successors are
 * selected from counts of each row's first 64 distinct bigrams (sensitivity 8).
 */
export function privateText(
  values: readonly (string | null)[],
  share: ColumnBudget,
  random: SecureRandom,
): { profile: TextProfile; nullShare: number } {
  const texts = values.filter((v): v is string => v !== null)
  const tokens = texts.map((text) => text.split(/\s+/).filter(Boolean))
  const spend = (part: number, delta = 0) => {
    share.spend(part * share.rho, delta)
    return gaussianSigma(part * share.rho)
  }
  const wordSigma = spend(TEXT_SHARES.words)
  const nullShare = noisyShare(values.length - texts.length, values.length, wordSigma, random)
  const wordCounts = new Array<number>(MAX_WORDS).fill(0)
  for (const words of tokens) wordCounts[Math.min(MAX_WORDS, Math.max(1, words.length)) - 1]++
  const lengthSigma = spend(TEXT_SHARES.lengths)
  const wordLengths = new Array<number>(MAX_WORD_LENGTH + 1).fill(0)
  let capitalised = 0
  for (const words of tokens) {
    for (const word of words) wordLengths[Math.min(MAX_WORD_LENGTH, word.length)] += 1 / words.length
    capitalised += words.length ? words.filter((w) => /^\p{Lu}/u.test(w)).length / words.length : 0
  }
  const capitalSigma = spend(TEXT_SHARES.capitals)
  const noisyTexts = Math.max(1, values.length * (1 - nullShare))
  const bigramSigma = gaussianSigma(TEXT_SHARES.bigrams * share.rho, Math.sqrt(MAX_BIGRAMS))
  share.spend(TEXT_SHARES.bigrams * share.rho, share.selectionDelta)
  const bigrams = new Map<string, number>()
  for (const words of tokens) {
    const seen = new Set<string>()
    for (const word of words) {
      let previous = '^'
      // Tab-separated: no word holds one.
      for (const char of word.toLowerCase()) {
        if (seen.size < MAX_BIGRAMS) seen.add(`${previous}\t${char}`)
        previous = char
      }
    }
    for (const bigram of seen) bigrams.set(bigram, (bigrams.get(bigram) ?? 0) + 1)
  }
  const selected = selectKeys(bigrams, bigramSigma, selectionThreshold(bigramSigma, share.selectionDelta, MAX_BIGRAMS), random)
  const byPrevious = new Map<string, [string, number][]>()
  for (const [bigram, noisy] of selected) {
    const [previous, next] = bigram.split('\t')
    byPrevious.set(previous, [...(byPrevious.get(previous) ?? []), [next, noisy]])
  }
  const successors: Record<string, string> = {}
  for (const [previous, next] of byPrevious) {
    const total = next.reduce((sum, [, n]) => sum + n, 0)
    successors[previous] = next
      .map(([char, n]) => char.repeat(Math.max(1, Math.round((n / total) * SUCCESSOR_LENGTH))))
      .join('')
      .slice(0, SUCCESSOR_LENGTH)
  }
  const lengthShares = shares(
    wordLengths.map((n) => n + lengthSigma * random.gaussian()),
    2 * lengthSigma,
  )
  lengthShares[0] = 0
  return {
    profile: {
      type: 'text',
      wordCounts: shares(
        wordCounts.map((n) => n + wordSigma * random.gaussian()),
        2 * wordSigma,
      ),
      successors,
      wordLengths: shares(lengthShares),
      capitalised: Math.max(0, Math.min(1, (capitalised + capitalSigma * random.gaussian()) / noisyTexts)),
    },
    nullShare,
  }
}

/**
 * A constant column's value and null share: its values' noisy counts (null a public key of the same release),
 * the most frequent selected value, or null when none clears the selection threshold.
 */
export function privateConstant(
  values: readonly Category[],
  share: ColumnBudget,
  random: SecureRandom,
): { value: Category; nullShare: number } {
  const sigma = gaussianSigma(share.rho)
  share.spend(share.rho, share.selectionDelta)
  const counts = new Map<Category, number>()
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1)
  const top = selectKeys(counts, sigma, selectionThreshold(sigma, share.selectionDelta), random).at(0)
  const nulls = values.length - [...counts.values()].reduce((a, b) => a + b, 0)
  return { value: top ? top[0] : null, nullShare: noisyShare(nulls, values.length, sigma, random) }
}
