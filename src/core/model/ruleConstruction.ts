/**
 * Rules kept by construction: the network learns what cannot break a rule, and the column is rebuilt on the
 * way out. `low <= high`: `high` is learned as the gap `high - low` (never below the sample's smallest gap);
 * a combination of columns is learned as one category; an expression's column is computed from its operands.
 * A rule that cannot be built in (its column already rebuilt, a cycle, a column the network does not learn)
 * is kept by the sampler's guard instead (ruleGuard.ts), which draws again the rare rows that break one.
 */
import { cellText } from '../io/cellText.ts'
import type { Cell, SourceColumn, Table } from '../io/table.ts'
import type { ColumnMeta, MetadataDocument } from '../meta/document.ts'
import { TEMPORAL_KINDS } from '../meta/kinds.ts'
import { Random } from '../random.ts'
import { ruleNumber } from '../rules/check.ts'
import { expressionColumns, parseExpression } from '../rules/expression.ts'
import { keptRules, ruleColumns, type Rule } from '../rules/rule.ts'
import { DAY_MS, calibrated, decimalsOf, quantileCalibration, type Category } from './encoding.ts'
import { columnValues } from '../io/columnLookup.ts'
import { protectedRange, protectionOf } from '../meta/protection.ts'

/** How a column a rule rebuilds is produced. */
export type RulePlan =
  | {
      readonly column: string
      readonly source: 'gap'
      readonly low: string
      readonly unit: number
      readonly strict: boolean
      /** Decimals `high` is rounded to (0: whole numbers; absent: not rounded; dates round to days by `unit`). */
      readonly decimals?: number
      /** Quantiles of the rebuilt `high` drawn, and of the sample's: mapped as a learned number's are, where the rule allows. */
      readonly calibration?: { readonly drawn: readonly number[]; readonly real: readonly number[] }
    }
  | { readonly column: string; readonly source: 'combination'; readonly combined: string; readonly index: number }
  | { readonly column: string; readonly source: 'expression'; readonly expression: string; readonly decimals?: number }

export type GapPlan = Extract<RulePlan, { source: 'gap' }>

/** The kept rules whose columns are all in the output: an excluded column's rules have nothing to hold on. */
export function activeRules(document: MetadataDocument, output: readonly ColumnMeta[]): Rule[] {
  const names = new Set(output.map((column) => column.name))
  return keptRules(document).filter((rule) => {
    return ruleColumns(rule).every((name) => names.has(name))
  })
}

/** The learned column a combination is generated as: the members' names, which no column of the table is called. */
export function combinedName(columns: readonly string[]): string {
  return JSON.stringify(columns)
}

const NUMBER_KINDS = new Set(['continuous', 'integer'])

/**
 * The plans of the columns rules rebuild: combinations, then expressions, then inequalities, each in document
 * order; a column rebuilt once, no rebuild reading a column that depends on it. `learned` says which columns the network would learn as they are.
 */
export function rulePlans(
  rules: readonly Rule[],
  columns: readonly ColumnMeta[],
  learned: ReadonlySet<string>,
  table: Table,
): Map<string, RulePlan> {
  const plans = new Map<string, RulePlan>()
  const dependsOn = new Map<string, readonly string[]>()
  const kindOf = (name: string) => columns.find((c) => c.name === name)?.kind
  const reaches = (from: string, to: string): boolean => from === to || (dependsOn.get(from) ?? []).some((next) => reaches(next, to))
  const free = (name: string) => learned.has(name) && !plans.has(name)
  // Combinations first: members in two combination rules are generated as one group.
  const groups: string[][] = []
  for (const rule of rules) {
    if (rule.kind !== 'combination' || !rule.columns.every(free)) continue
    const touching = groups.filter((group) => group.some((name) => rule.columns.includes(name)))
    const merged = [...new Set([...touching.flat(), ...rule.columns])]
    groups.splice(0, groups.length, ...groups.filter((group) => !touching.includes(group)), merged)
  }
  for (const group of groups) {
    const members = columns.map((c) => c.name).filter((name) => group.includes(name))
    members.forEach((name, index) => plans.set(name, { column: name, source: 'combination', combined: combinedName(members), index }))
  }
  // Expressions before inequalities: a column an expression computes is exact, and the inequalities on it
  // (often implied: a total of parts that are never negative) are left to the guard, which they pass.
  for (const rule of rules) {
    if (rule.kind !== 'expression') continue
    const operands = expressionColumns(parseExpression(rule.expression))
    const numeric = [rule.column, ...operands].every((name) => NUMBER_KINDS.has(kindOf(name) ?? 'constant'))
    if (!numeric || !free(rule.column) || operands.some((name) => reaches(name, rule.column))) continue
    const present = numbersOf(table, rule.column)
    const decimals = present.every(Number.isInteger) ? 0 : decimalsOf(present)
    plans.set(rule.column, {
      column: rule.column,
      source: 'expression',
      expression: rule.expression,
      ...(decimals === undefined ? {} : { decimals }),
    })
    dependsOn.set(rule.column, operands)
  }
  for (const rule of rules) {
    if (rule.kind !== 'inequality') continue
    const low = kindOf(rule.low)
    const high = kindOf(rule.high)
    const comparable =
      low !== undefined &&
      high !== undefined &&
      (NUMBER_KINDS.has(high) ? NUMBER_KINDS.has(low) : TEMPORAL_KINDS.has(high) && TEMPORAL_KINDS.has(low))
    if (!comparable || !free(rule.high) || reaches(rule.low, rule.high) || highWithoutLow(table, rule.low, rule.high)) continue
    const decimals = high === 'continuous' ? decimalsOf(numbersOf(table, rule.high)) : 0
    plans.set(rule.high, {
      column: rule.high,
      source: 'gap',
      low: rule.low,
      unit: high === 'date' ? DAY_MS : 1,
      strict: rule.strict,
      ...(decimals === undefined ? {} : { decimals }),
    })
    dependsOn.set(rule.high, [rule.low])
  }
  return plans
}

const numbersOf = (table: Table, name: string) => columnValues(table, name).filter((v): v is number => typeof v === 'number')

/**
 * The gap plans with the calibration of their rebuilt column: the network learns the gap's shape and its tie to
 * `low`, and `high`'s own shape comes out a little wider; drawn values of `high` are mapped to the sample's
 * quantiles (clipped to the protected range, as a learned column's are) wherever the mapped value keeps the rule.
 */
export function calibrateGap(plan: GapPlan, drawn: Table, real: Table, column: ColumnMeta, rareValueRows: number): GapPlan {
  const values = (table: Table) =>
    columnValues(table, plan.column).flatMap((v) => {
      const number = ruleNumber(v)
      return number === null ? [] : [number]
    })
  const sample = values(real).sort((a, b) => a - b)
  const k = protectionOf(column, rareValueRows)
  const range = k === undefined || sample.length === 0 ? undefined : protectedRange(sample, k)
  const calibration = quantileCalibration(values(drawn), range ? sample.map((v) => Math.max(range.min, Math.min(range.max, v))) : sample)
  return calibration ? { ...plan, calibration } : plan
}

/** `high` from `low` and the gap drawn: calibrated and rounded where that keeps the rule. */
export function rebuildHigh(plan: GapPlan, low: number, gap: number): number {
  const high = round(plan, low + gap * plan.unit)
  if (!plan.calibration) return high
  const mapped = round(plan, calibrated(high, plan.calibration))
  return mapped > low || (!plan.strict && mapped === low) ? mapped : high
}

function round(plan: GapPlan, value: number): number {
  if (plan.unit !== 1) return Math.round(value / plan.unit) * plan.unit
  if (plan.decimals === undefined) return value
  const scale = 10 ** plan.decimals
  return Math.round(value * scale) / scale
}

/** Whether some row has `high` but not `low`: rebuilt from a gap, such a `high` would be lost. */
function highWithoutLow(table: Table, low: string, high: string): boolean {
  const lows = columnValues(table, low)
  return columnValues(table, high).some((value, r) => value !== null && lows[r] === null)
}

/** The number a gap column learns: `high - low` in the plan's unit (days for dates). */
function gapOf(low: Cell, high: Cell, unit: number): number | null {
  const a = ruleNumber(low)
  const b = ruleNumber(high)
  return a === null || b === null ? null : (b - a) / unit
}

/** The metadata the network learns a rebuilt column's stand-in with. */
function standIn(column: ColumnMeta, name: string, kind: ColumnMeta['kind'], sparkType: string, protect: boolean): ColumnMeta {
  return { ...column, name, kind, detectedKind: kind, sparkType, protect, nullable: true, nullFraction: 0, stats: {} }
}

/**
 * What the network learns, in output order: columns learned as they are, a gap in place of each `high`, one
 * category per combination group in place of its first member. Columns computed by an expression are left out.
 */
export function learnedColumns(
  columns: readonly ColumnMeta[],
  learned: ReadonlySet<string>,
  plans: ReadonlyMap<string, RulePlan>,
  /** The rows as `learnedTable` gives them: each `high` already its gap. */
  rows: Table,
): ColumnMeta[] {
  return columns.flatMap((column): ColumnMeta[] => {
    const plan = plans.get(column.name)
    if (!plan) return learned.has(column.name) ? [column] : []
    if (plan.source === 'expression') return []
    // Rare combinations are replaced before learning (learnedTable), so the category itself needs no protection.
    if (plan.source === 'combination') return plan.index > 0 ? [] : [standIn(column, plan.combined, 'categorical', 'string', false)]
    const integral = columnValues(rows, column.name).every((gap) => gap === null || (typeof gap === 'number' && Number.isInteger(gap)))
    return [standIn(column, column.name, integral ? 'integer' : 'continuous', integral ? 'bigint' : 'double', column.protect !== false)]
  })
}

/** A combination's cells as its category: the JSON of their values (instants as milliseconds). */
function combinationKey(cells: readonly Cell[]): string {
  return JSON.stringify(
    cells.map((cell): Category => (cell instanceof Date ? cell.getTime() : cell === null || typeof cell === 'object' ? null : cell)),
  )
}

/**
 * The rows as the network learns them: each `high` replaced by its gap, each combination group added as one
 * column. Under value protection (`rareValueRows`, absent under DP, whose encoding protects by noise) a
 * combination seen in fewer than k rows is replaced by a kept one drawn by frequency, so no member shows a
 * value of fewer than k rows and every generated combination is one seen in k rows.
 */
export function learnedTable(
  table: Table,
  columns: readonly ColumnMeta[],
  plans: ReadonlyMap<string, RulePlan>,
  seed: number,
  rareValueRows?: number,
): Table {
  const names = table.columns.map((c) => c.name)
  const values = table.values.map((column) => [...column])
  const extra: { column: SourceColumn; values: Cell[] }[] = []
  const random = new Random(seed)
  for (const plan of plans.values()) {
    if (plan.source === 'gap') {
      const lows = columnValues(table, plan.low)
      const c = names.indexOf(plan.column)
      values[c] = values[c].map((high, r) => gapOf(lows[r], high, plan.unit))
    } else if (plan.source === 'combination' && plan.index === 0 && !names.includes(plan.combined)) {
      const members = columns.filter((c) => (plans.get(c.name) as { combined?: string } | undefined)?.combined === plan.combined)
      const memberValues = members.map((m) => columnValues(table, m.name))
      let keys = Array.from({ length: table.rowCount }, (_, r) => combinationKey(memberValues.map((column) => column[r])))
      const k = rareValueRows === undefined ? undefined : members.map((m) => protectionOf(m, rareValueRows)).find((p) => p !== undefined)
      if (k !== undefined) keys = withoutRareKeys(keys, k, random)
      extra.push({
        column: { name: plan.combined, sparkType: { id: 'string' }, nullable: true, nested: false, partition: false },
        values: keys,
      })
    }
  }
  return {
    columns: [...table.columns, ...extra.map((e) => e.column)],
    values: [...values, ...extra.map((e) => e.values)],
    rowCount: table.rowCount,
  }
}

/** Keys seen in fewer than k rows replaced by kept keys drawn by frequency (all kept when none is seen k times). */
function withoutRareKeys(keys: readonly string[], k: number, random: Random): string[] {
  const counts = new Map<string, number>()
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1)
  const kept = keys.filter((key) => (counts.get(key) ?? 0) >= k)
  if (kept.length === 0) return [...keys]
  return keys.map((key) => ((counts.get(key) ?? 0) >= k ? key : kept[random.int(kept.length)]))
}

/** A combination's member values from its decoded categories. */
export function splitCombination(key: Cell): readonly Category[] | null {
  return typeof key === 'string' ? (JSON.parse(key) as Category[]) : null
}

/** The text a combination's values are compared by, as `tupleKey` writes them. */
export const combinationText = (values: readonly Category[]) => JSON.stringify(values.map((v) => (v === null ? null : cellText(v))))
