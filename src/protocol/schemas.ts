/** Schemas both protocols use. */
import * as v from 'valibot'

/** A number that JSON carries faithfully: not NaN, not infinite. */
export const FINITE = v.pipe(v.number(), v.finite())

/** A count or a position: a whole number from 0, exact as a double. */
export const NON_NEGATIVE_INTEGER = v.pipe(v.number(), v.safeInteger(), v.minValue(0))

/** Why a value was refused: each issue with the field it concerns (`backend: unknown backend "metal"…`). */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => {
      const field = v.getDotPath(issue)
      return field ? `${field}: ${issue.message}` : issue.message
    })
    .join('; ')
}
