import type { Random } from '../../src/core/random.ts'

/** One hostile input: the kind of damage (a row of the table) and how to build it in a scratch folder. */
export interface Mutant {
  readonly case: string
  /** Names the source and the damage, for the examples under the table. */
  readonly label: string
  /** Writes the input below `dir` (a fresh folder) and returns the path to read. */
  readonly write: (dir: string) => Promise<string>
}

/** How many of `full` to make at this scale: at least one, so every case is tried in the slice too. */
export function scaled(full: number, scale: number): number {
  return Math.max(1, Math.round(full * scale))
}

/** `count` items of `items` picked by the seed, in their order (all of them when there are fewer). */
export function pickSome<T>(items: readonly T[], count: number, random: Random): T[] {
  if (items.length <= count) return [...items]
  const chosen = new Set<number>()
  while (chosen.size < count) chosen.add(random.int(items.length))
  return [...chosen].sort((a, b) => a - b).map((i) => items[i])
}

/** `bytes` with `flips` random bits inverted. */
export function flipBits(bytes: Uint8Array, flips: number, random: Random): { bytes: Uint8Array; offsets: number[] } {
  const copy = Uint8Array.from(bytes)
  const offsets = Array.from({ length: flips }, () => random.int(copy.length))
  for (const offset of offsets) copy[offset] ^= 1 << random.int(8)
  return { bytes: copy, offsets }
}
