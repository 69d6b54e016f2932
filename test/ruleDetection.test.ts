/**
 * Rules proposed at extraction, on real tables read as a user's files are: the relations their columns keep
 * (Adult's education and its number, Seattle's daily minimum below its maximum, employment totals that
 * are sums), and no noise: nothing the marginals explain, nothing that fails a row. Small tables of our
 * own check the rules real ones lack (increments, unique keys, grouped combinations) and the bound on
 * the columns searched in a wide table.
 */
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { parseSparkType } from '../src/core/io/sparkType.ts'
import type { Cell, Table } from '../src/core/io/table.ts'
import { describeColumn, extractMetadata, type ColumnMeta, type MetadataDocument } from '../src/core/meta/document.ts'
import { combinationsIn, rowsKeeping } from '../src/core/rules/check.ts'
import { MIN_RULE_SUPPORT, PAIR_SEARCH_COLUMNS, detectRules } from '../src/core/rules/detect.ts'
import { DEFAULT_ENCODING } from '../src/core/model/encoding.ts'
import { expressionColumns, parseExpression } from '../src/core/rules/expression.ts'
import { describeRule, type Rule } from '../src/core/rules/rule.ts'
import { rulesProblems } from '../src/core/rules/validate.ts'
import { ADULT_CSV, ROOT } from './helpers.ts'

const VEGA = path.join(ROOT, 'node_modules', 'vega-datasets', 'data')

async function extracted(file: string): Promise<{ table: Table; document: MetadataDocument; rules: readonly Rule[] }> {
  const { summary, table } = await sampleDataset(file)
  const document = extractMetadata(summary, table)
  return { table, document, rules: document.rules ?? [] }
}

/** Every detected rule is proposed, supported, valid, and kept by every sampled row as the sampler checks it. */
function assertSound(table: Table, document: Pick<MetadataDocument, 'rules' | 'columns'>): void {
  assert.deepEqual(rulesProblems(document), [])
  for (const rule of document.rules ?? []) {
    assert.equal(rule.status, 'proposed')
    assert.equal(rule.origin, 'detected')
    assert.ok((rule.support?.rows ?? 0) >= MIN_RULE_SUPPORT, `${describeRule(rule)} has support ${rule.support?.rows}`)
    assert.equal(rule.support?.exceptions, 0)
    assert.equal(rowsKeeping(rule, table), table.rowCount, `${describeRule(rule)} fails a sampled row`)
  }
}

test('Adult: education and its number make one combination, capital gains and losses a floor of 0, and nothing else', async () => {
  const { table, document, rules } = await extracted(ADULT_CSV)
  assert.deepEqual(rules.map(describeRule), [
    'only seen combinations of `education`, `education-num`',
    '0 <= `capital-gain`',
    '0 <= `capital-loss`',
  ])
  assertSound(table, document)
  // One number per education and one education per number: 16 pairs, no more.
  assert.equal(combinationsIn(table, ['education', 'education-num']).size, 16)
  assert.equal(rules[0].support?.rows, table.rowCount)
})

test('seattle-weather.csv: the daily minimum stays below the maximum, precipitation is never negative', async () => {
  const { table, document, rules } = await extracted(path.join(VEGA, 'seattle-weather.csv'))
  const inequality = rules.find((rule) => rule.kind === 'inequality')
  assert.ok(inequality?.kind === 'inequality' && inequality.low === 'temp_min' && inequality.high === 'temp_max', 'temp_min <= temp_max')
  assert.ok(rules.some((rule) => rule.kind === 'range' && rule.column === 'precipitation' && rule.min === 0 && rule.max === undefined))
  assert.ok(!rules.some((rule) => rule.kind === 'range' && rule.column !== 'precipitation'), 'only precipitation starts at 0')
  assertSound(table, document)
})

test('us-employment.csv: nonfarm jobs are a sum of their parts; every expression holds and none reads itself', async () => {
  const { table, document, rules } = await extracted(path.join(VEGA, 'us-employment.csv'))
  const expressions = rules.filter((rule) => rule.kind === 'expression')
  const nonfarm = expressions.find((rule) => rule.column === 'nonfarm')
  assert.ok(nonfarm, 'an expression for nonfarm')
  assert.deepEqual(expressionColumns(parseExpression(nonfarm.expression)).sort(), ['government', 'private'])
  const computed = expressions.map((rule) => rule.column)
  assert.equal(new Set(computed).size, computed.length, 'one expression a column at most')
  // No column is computed, through others, from itself.
  const operands = new Map(expressions.map((rule) => [rule.column, expressionColumns(parseExpression(rule.expression))]))
  const reaches = (from: string, to: string): boolean => (operands.get(from) ?? []).some((o) => o === to || reaches(o, to))
  for (const column of computed) assert.ok(!reaches(column, column), `${column} is computed from itself`)
  assertSound(table, document)
})

const source = (name: string, type: string) => ({ name, sparkType: parseSparkType(type), nullable: true, nested: false, partition: false })

/** An in-memory table of named columns, each with its Spark type, and the rules extraction detects in it. */
function detectedIn(columns: readonly { name: string; type: string; values: readonly Cell[] }[]): {
  table: Table
  metas: ColumnMeta[]
  rules: Rule[]
} {
  const table: Table = {
    columns: columns.map((c) => source(c.name, c.type)),
    values: columns.map((c) => c.values),
    rowCount: columns[0].values.length,
  }
  const metas = table.columns.map((column, c) => describeColumn(column, table.values[c]))
  const rules = detectRules(table, metas)
  assertSound(table, { columns: metas, rules })
  return { table, metas, rules }
}

const ROWS = 200
const each = <T>(value: (r: number) => T): T[] => Array.from({ length: ROWS }, (_, r) => value(r))

test('increments: multiples of 5 and half units are steps, unit steps and few values are not', () => {
  const { rules } = detectedIn([
    { name: 'price', type: 'int', values: each((r) => 5 * ((r * 7) % 40) + 5) },
    { name: 'rating', type: 'double', values: each((r) => ((r * 3) % 9) / 2 + 1) },
    { name: 'count', type: 'int', values: each((r) => (r * 13) % 97) },
    { name: 'pair', type: 'int', values: each((r) => (r % 2 ? 10 : 20)) },
  ])
  const steps = rules.flatMap((rule) => (rule.kind === 'increment' ? [[rule.column, rule.step]] : []))
  assert.deepEqual(steps, [
    ['price', 5],
    ['rating', 0.5],
  ])
})

test('combinations: columns that determine each other make one rule, never the same pair twice', () => {
  const { rules } = detectedIn([
    { name: 'code', type: 'int', values: each((r) => r % 8) },
    { name: 'label', type: 'string', values: each((r) => `level ${r % 8}`) },
    { name: 'group', type: 'string', values: each((r) => (r % 8 < 4 ? 'low' : 'high')) },
    { name: 'noise', type: 'string', values: each((r) => `n${(r * 7) % 5}`) },
  ])
  assert.deepEqual(rules.filter((rule) => rule.kind === 'combination').map(describeRule), [
    'only seen combinations of `code`, `label`, `group`',
  ])
})

test("a combination is proposed only while its determining column fits the model's category slots", () => {
  const keyed = (keys: number) => {
    const rows = 3 * keys
    const of = <T>(value: (r: number) => T) => Array.from({ length: rows }, (_, r) => value(r))
    return detectedIn([
      { name: 'tail', type: 'string', values: of((r) => `N${r % keys}`) },
      { name: 'maker', type: 'string', values: of((r) => `maker ${(r % keys) % 6}`) },
    ]).rules.filter((rule) => rule.kind === 'combination')
  }
  // Learned as one category, a key's combinations past the slots would share the rare bucket.
  assert.deepEqual(keyed(DEFAULT_ENCODING.maxCategorySlots).map(describeRule), ['only seen combinations of `tail`, `maker`'])
  assert.deepEqual(keyed(DEFAULT_ENCODING.maxCategorySlots + 1), [])
})

test('identifiers whose sampled values never repeat are unique; repeated keys are not', () => {
  const { rules, metas } = detectedIn([
    { name: 'order_id', type: 'string', values: each((r) => `order-${r}`) },
    { name: 'customer_id', type: 'string', values: each((r) => `customer-${r === 7 ? 3 : r}`) },
    { name: 'amount', type: 'double', values: each((r) => 1.37 * r + 0.01) },
  ])
  assert.equal(metas[1].kind, 'identifier')
  assert.deepEqual(rules.filter((rule) => rule.kind === 'unique').map(describeRule), ['unique (`order_id`)'])
})

test(`a table of 5,000 columns: pairs and sums are searched among the first ${PAIR_SEARCH_COLUMNS} numeric columns only`, () => {
  const noise = (c: number) => each((r) => Math.sin(r * 12.9898 + c * 78.233) * 1000)
  const planted = (prefix: string) => [
    { name: `${prefix}_a`, type: 'double', values: noise(-1) },
    { name: `${prefix}_b`, type: 'double', values: noise(-2) },
    { name: `${prefix}_total`, type: 'double', values: each((r) => noise(-1)[r] + noise(-2)[r]) },
  ]
  const columns = [
    ...planted('early'),
    ...Array.from({ length: 4994 }, (_, c) =>
      c % 2
        ? { name: `c${c}`, type: 'double', values: noise(c) }
        : { name: `k${c}`, type: 'string', values: each((r) => `k${Math.floor((Math.sin(r * 3.1 + c * 1.7) + 1) * 2.5)}`) },
    ),
    ...planted('late'),
    { name: 'late_count', type: 'int', values: each((r) => r % 10) },
  ]
  const { rules } = detectedIn(columns)
  const descriptions = rules.map(describeRule)
  assert.ok(descriptions.includes('`early_total` = `early_a` + `early_b`'), descriptions.join('; '))
  assert.ok(!rules.some((rule) => rule.kind === 'expression' && rule.column === 'late_total'), 'late columns are past the cap')
  // Rules of one column are looked for in every column.
  assert.ok(descriptions.includes('0 <= `late_count`'), descriptions.join('; '))
})
