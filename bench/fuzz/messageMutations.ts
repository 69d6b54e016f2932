/**
 * Hostile messages made by mutating valid ones, seeded: fields dropped, added, or given values of
 * the wrong type or range (huge strings, NaN, ±Infinity, -0, 1e308, fractions, negatives), unknown
 * types and enum values, `__proto__` / `constructor` / `prototype` as own keys, arrays for objects,
 * null, deeply nested junk; and, as often, valid messages left as they are.
 */
import type { Random } from '../../src/core/random.ts'
import { isRecord } from './messageRules.ts'

/** 1 MB: far above anything a real message carries. */
const HUGE = 'x'.repeat(1 << 20)
/** Deep enough to trip a recursive reader, shallow enough for JSON and the IPC channel. */
const NESTING = 500

const nested = (depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown => {
  let value = leaf
  for (let i = 0; i < depth; i++) value = wrap(value)
  return value
}

/** Parsed from JSON, so that `__proto__` is an own key, as in a message that crossed a channel. */
const withOwnKey = (key: string, value: unknown): Record<string, unknown> =>
  JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`) as Record<string, unknown>

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']

/** Values of every kind: most are wrong wherever they land, some are right for some fields. */
const JUNK: readonly (() => unknown)[] = [
  () => '',
  () => 'x',
  () => HUGE,
  () => 'metal',
  () => 'WASM',
  () => 'csv',
  () => 'auto',
  () => 'delta',
  () => 'categorical',
  () => 'idle',
  () => '10',
  () => '__proto__',
  () => 'constructor',
  () => 0,
  () => -0,
  () => 1,
  () => -1,
  () => 1.5,
  () => -0.5,
  () => NaN,
  () => Infinity,
  () => -Infinity,
  () => 1e308,
  () => -1e308,
  () => 5e-324,
  () => Number.MAX_SAFE_INTEGER,
  () => 2 ** 53,
  () => 1e9,
  () => 1e9 + 1,
  () => true,
  () => false,
  () => null,
  () => undefined,
  () => [],
  () => [1, 'a', null],
  () => [NaN],
  () => ({}),
  () => ({ a: 1 }),
  () => withOwnKey('__proto__', { type: 'cancel', polluted: true }),
  () => withOwnKey('constructor', { prototype: { polluted: true } }),
  () => nested(NESTING, 1, (inner) => ({ a: inner })),
  () => nested(NESTING, [], (inner) => [inner]),
]

const UNKNOWN_TYPES = ['pause', 'EXTRACT', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', ' cancel', HUGE]
const EXTRA_KEYS = [...PROTOTYPE_KEYS, 'extra', 'verbose', 'where', 'timestamp', 'type2', HUGE.slice(0, 10_000)]

const pick = <T>(random: Random, items: readonly T[]): T => {
  if (!items.length) throw new Error('nothing to pick from')
  return items[random.int(items.length)]
}

/** Sets an own key, even `__proto__` (which assignment would take as the prototype). */
const setOwn = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })

/** An array carrying the object's own keys (set as own keys: `Object.assign` would take `__proto__` as the prototype). */
function arrayWithKeysOf(value: unknown): unknown[] {
  const array: unknown[] = []
  if (isRecord(value)) for (const [key, item] of Object.entries(value)) setOwn(array as unknown as Record<string, unknown>, key, item)
  return array
}

/** A deep copy that keeps NaN, ±Infinity, -0 and undefined (which JSON would not), and own `__proto__` keys. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy)
  if (!isRecord(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) setOwn(out, key, copy(item))
  return out
}

/** The objects inside `message` (itself included), each a place a mutation can land. */
function objectsIn(message: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (isRecord(message)) {
    found.push(message)
    for (const value of Object.values(message)) objectsIn(value, found)
  } else if (Array.isArray(message)) for (const item of message) objectsIn(item, found)
  return found
}

/** One change to one object of the message (none when it needs a field and the object has none). */
function mutateObject(random: Random, target: Record<string, unknown>): void {
  const keys = Object.keys(target)
  const key = keys.length ? pick(random, keys) : undefined
  const junk = pick(random, JUNK)()
  switch (random.int(6)) {
    case 0:
      if (key !== undefined) Reflect.deleteProperty(target, key)
      break
    case 1:
      setOwn(target, pick(random, EXTRA_KEYS), junk)
      break
    case 2:
      setOwn(target, pick(random, PROTOTYPE_KEYS), junk)
      break
    case 3:
      if ('type' in target) setOwn(target, 'type', pick(random, UNKNOWN_TYPES))
      else if (key !== undefined) setOwn(target, key, junk)
      break
    case 4: {
      // An object field becomes an array carrying its keys.
      const inner = keys.find((name) => isRecord(target[name]))
      if (inner !== undefined) setOwn(target, inner, arrayWithKeysOf(target[inner]))
      else if (key !== undefined) setOwn(target, key, junk)
      break
    }
    default:
      if (key !== undefined) setOwn(target, key, junk)
  }
}

/** A message from `valid`: a third as they are, the rest with one to three mutations, or replaced by junk. */
export function generateMessage(random: Random, valid: readonly unknown[]): unknown {
  const message = copy(pick(random, valid))
  const roll = random.int(30)
  if (roll < 10) return message
  if (roll === 10) return pick(random, JUNK)()
  if (roll === 11) return [message]
  // Structured cloning (the webview's channel) keeps an array's named keys: an array posing as the object.
  if (roll === 12) return arrayWithKeysOf(message)
  const mutations = 1 + random.int(3)
  for (let i = 0; i < mutations; i++) {
    const places = objectsIn(message)
    if (!places.length) break
    mutateObject(random, pick(random, places))
  }
  return message
}
