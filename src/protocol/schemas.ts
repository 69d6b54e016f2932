/** Schemas both protocols use. */
import * as v from 'valibot'

/** A number that JSON carries faithfully: not NaN, not infinite. */
export const FINITE = v.pipe(v.number(), v.finite())

/** A count or a position: a whole number from 0, exact as a double. */
export const NON_NEGATIVE_INTEGER = v.pipe(v.number(), v.safeInteger(), v.minValue(0))

/** A count of rows or epochs: a whole number from 1. */
export const POSITIVE_INTEGER = v.pipe(v.number(), v.safeInteger(), v.minValue(1))

/** A seed: any whole number exact as a double, negative too. */
export const SEED = v.pipe(v.number(), v.safeInteger())

/**
 * `schema`, refusing arrays: valibot's object schemas take an array that carries their keys, and
 * structured cloning (the webview's channel) keeps such keys. Messages are plain objects.
 */
export function notArray<Schema extends v.GenericSchema>(schema: Schema) {
  return v.pipe(
    v.unknown(),
    v.check((value) => !Array.isArray(value), 'expected an object, not an array'),
    schema,
  )
}

/** Why a value was refused: each issue with the field it concerns (`backend: unknown backend "metal"…`). */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => {
      const field = v.getDotPath(issue)
      return field ? `${field}: ${issue.message}` : issue.message
    })
    .join('; ')
}
