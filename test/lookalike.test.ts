import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { learnIdentifier, learnText, lookalikeGenerator, maskValue } from '../src/core/model/lookalike.ts'

const take = (next: () => string | number, n: number) => Array.from({ length: n }, next)

test('UUIDs come back fresh, unique and UUID-shaped', () => {
  const real: string[] = Array.from({ length: 300 }, () => randomUUID())
  const generated = take(lookalikeGenerator(learnIdentifier(real), 1, new Set(real)), 2000)
  assert.equal(new Set(generated).size, 2000)
  for (const value of generated) assert.match(String(value), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  assert.ok(!generated.some((v) => real.includes(String(v))))
})

test('e-mails and prefixed codes keep their literals and classes', () => {
  const emails = Array.from({ length: 200 }, (_, i) => `user${String(i).padStart(4, '0')}@example.org`)
  const generated = take(lookalikeGenerator(learnIdentifier(emails), 2, new Set(emails)), 500).map(String)
  for (const value of generated) assert.match(value, /^user\d{4}@example\.org$/)
  assert.equal(new Set(generated).size, 500)
  assert.ok(!generated.some((v) => emails.includes(v)))
  const codes = Array.from({ length: 100 }, (_, i) => `ORD-${String.fromCharCode(65 + (i % 26))}${1000 + i}`)
  for (const value of take(lookalikeGenerator(learnIdentifier(codes), 3), 100)) assert.match(String(value), /^ORD-[A-Z]\d{4}$/)
})

test('integer keys are fresh and unique, above the real range', () => {
  const keys = Array.from({ length: 500 }, (_, i) => 10_000 + i * 3)
  const generated = take(lookalikeGenerator(learnIdentifier(keys), 4), 1000) as number[]
  assert.equal(new Set(generated).size, 1000)
  assert.ok(generated.every((v) => Number.isInteger(v) && v > 11_497))
})

test('free text looks like the column and never copies a training value', () => {
  const real = Array.from(
    { length: 300 },
    (_, i) =>
      ['The parcel arrived late again', 'Great service and friendly staff', 'Would order again', `Ticket ${i} was closed by support`][
        i % 4
      ],
  )
  const profile = learnText(real)
  const generated = take(lookalikeGenerator(profile, 5, new Set(real)), 500).map(String)
  assert.ok(!generated.some((v) => real.includes(v)), 'no verbatim copy')
  const words = (v: string) => v.split(' ').length
  const meanWords = (vs: string[]) => vs.reduce((s, v) => s + words(v), 0) / vs.length
  assert.ok(Math.abs(meanWords(generated) - meanWords(real)) < 1, `words per value ${meanWords(generated)} vs ${meanWords(real)}`)
  assert.ok(generated.every((v) => /^[\p{L}\d ]+$/u.test(v)))
  assert.ok(!JSON.stringify(profile).includes('parcel arrived'), 'the profile holds no sentence')
})

test('masking preserves format and is consistent', () => {
  const masked = maskValue('AB-1234 x@y.com', 9)
  assert.match(masked, /^[A-Z]{2}-\d{4} [a-z]@[a-z]\.[a-z]{3}$/)
  assert.notEqual(masked, 'AB-1234 x@y.com')
  assert.equal(maskValue('AB-1234 x@y.com', 9), masked)
  assert.notEqual(maskValue('AB-1234 x@y.com', 10), masked)
})
