/**
 * One part of `npm run fuzz`: it tries many hostile inputs, seeded, and counts what became of each.
 * The runner prints every part's rows as one table and fails when an outcome that must be zero is not.
 */

/** One line of the table: a kind of hostile input, how many were tried, and what became of them. */
export interface FuzzRow {
  /** The part and the kind of input, e.g. `files` / `bit flips`. */
  readonly part: string
  readonly case: string
  readonly tried: number
  /** Each outcome and how many inputs ended so, e.g. `{ read: 812, refused: 388, other: 0 }`. */
  readonly outcomes: Readonly<Record<string, number>>
  /** The outcomes that must stay at zero (`other`: a crash, a hang, a stack trace, an unnamed error). */
  readonly mustBeZero: readonly string[]
  /** Examples of inputs that ended in a must-be-zero outcome, for the report (at most a few). */
  readonly examples?: readonly string[]
}

export interface FuzzOptions {
  readonly seed: number
  /** 1 for the full run; the test suite's slice runs with a small share (e.g. 0.02) of each part. */
  readonly scale: number
  /** Replays only the inputs whose label contains this text (as printed under the table). */
  readonly only?: string
}

export type FuzzPart = (options: FuzzOptions) => Promise<readonly FuzzRow[]>
