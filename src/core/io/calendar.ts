/**
 * Calendar arithmetic on days and microseconds since 1970-01-01 (UTC), as Spark counts them: the
 * proleptic Gregorian calendar, and the hybrid Julian/Gregorian one that Spark 2.x wrote (and Spark 3
 * writes in LEGACY rebase mode).
 */

export const MILLIS_PER_DAY = 86_400_000
export const MICROS_PER_DAY = 86_400_000_000n

/** The first day of the Gregorian calendar, 1582-10-15: from here on both calendars agree. */
const GREGORIAN_START_DAY = -141_427

/** Days since 1970-01-01 of a proleptic Gregorian date; years are astronomical (0 is 1 BC). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/** The proleptic Gregorian year of a day since 1970-01-01 (astronomical: 0 is 1 BC). */
export function civilYear(days: number): number {
  const shifted = days + 719_468
  const era = Math.floor(shifted / 146_097)
  const dayOfEra = shifted - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const marchBased = Math.floor((5 * dayOfYear + 2) / 153)
  return era * 400 + yearOfEra + (marchBased >= 10 ? 1 : 0)
}

/** The Julian calendar date of a day since 1970-01-01; years are astronomical. */
function julianDate(days: number): { year: number; month: number; day: number } {
  // The Julian calendar repeats every 4 years (1461 days): shift into the range the formula is
  // written for, then shift the year back.
  const cycles = Math.floor((days + 719_470) / 1461)
  const shifted = days + 719_470 - cycles * 1461
  const yearOfCycle = Math.floor((4 * shifted + 3) / 1461)
  const dayOfYear = shifted - Math.floor((1461 * yearOfCycle) / 4)
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
  return { year: cycles * 4 + yearOfCycle + (month <= 2 ? 1 : 0), month, day }
}

/**
 * Spark's `rebaseJulianToGregorianDays`: the day the hybrid calendar counts as `days` read as the
 * same date in the proleptic Gregorian calendar. Julian dates that Gregorian lacks (1000-02-29)
 * carry over into the next month, as Spark's `plusDays` does.
 */
export function julianToGregorianDays(days: number): number {
  if (days >= GREGORIAN_START_DAY) return days
  const { year, month, day } = julianDate(days)
  return daysFromCivil(year, month, 1) + day - 1
}

/** The same for microseconds, in UTC: the date moves, the time of day stays. */
export function julianToGregorianMicros(micros: bigint): bigint {
  const days = floorDiv(micros, MICROS_PER_DAY)
  return BigInt(julianToGregorianDays(Number(days))) * MICROS_PER_DAY + (micros - days * MICROS_PER_DAY)
}

/** Integer division rounding down, as Java's `Math.floorDiv`. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b
  return a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient
}
