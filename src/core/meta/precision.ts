/**
 * Where the sample holds values less precisely than Spark: bigint and decimal values are held as
 * doubles, whose spacing grows with their size. Below a type's threshold a double tells every value
 * of the type apart (the nearest double reads back as Spark's exact value); from it on, it does not.
 */
import { sparkTypeDdl, type SparkType } from '../io/sparkType.ts'
import type { Cell } from '../io/table.ts'
import { formatCount } from '../formatCount.ts'

/** The scale of Spark types held as doubles that can hold values a double cannot: bigint and decimals. */
function exactScale(type: SparkType): number | undefined {
  if (type.id === 'bigint') return 0
  return type.id === 'decimal' && type.scale >= 0 ? type.scale : undefined
}

/**
 * The exponent e of the smallest power of two 2^e from which doubles are spaced wider than 10^-scale:
 * the spacing of doubles in [2^e, 2^(e+1)) is 2^(e-52), so the least e with 2^(e-52) > 10^-scale.
 */
function coarseExponent(scale: number): number {
  const tenToScale = 10n ** BigInt(scale)
  // 2^k > 10^-scale, compared in integers.
  const exceeds = (k: number) => (k >= 0 ? 2n ** BigInt(k) * tenToScale > 1n : tenToScale > 2n ** BigInt(-k))
  let k = 1
  while (exceeds(k - 1)) k--
  return k + 52
}

/**
 * The column's note when some sampled values lie where a double is coarser than the Spark type,
 * e.g. "3 of 1,000 sampled values lie beyond ±2^53 …"; undefined when every value is held exactly.
 */
export function precisionNote(type: SparkType, present: readonly Cell[]): string | undefined {
  const scale = exactScale(type)
  if (scale === undefined) return undefined
  const exponent = coarseExponent(scale)
  const threshold = 2 ** exponent
  const coarse = present.filter((value) => typeof value === 'number' && Math.abs(value) >= threshold).length
  if (coarse === 0) return undefined
  const step = scale === 0 ? '1' : `1e-${scale}`
  return (
    `${formatCount(coarse)} of ${formatCount(present.length)} sampled values lie beyond ±2^${exponent} (${threshold}), where doubles are spaced wider than ${sparkTypeDdl(type)}'s steps of ${step}: ` +
    "the sample holds each as the nearest double, which may differ from Spark's value in its last digits"
  )
}
