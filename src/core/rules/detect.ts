/**
 * Rules proposed at extraction: relations that hold on every sampled row where their columns are present,
 * and that say something the columns' own statistics do not (a user should not have to reject noise).
 * Pairs and triples are searched among the first columns of each family only, and a candidate is dropped
 * at its first failing row, so a table of thousands of columns extracts about as fast as without rules.
 */
import { isIntegerType, isNumericType, type SparkType } from '../io/sparkType.ts'
import type { Cell, Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import type { ColumnKind } from '../meta/kinds.ts'
import { rowsKeeping, ruleNumber, nearlyEqual, tupleKey } from './check.ts'
import { quoteName } from './expression.ts'
import { ruleColumns, type Rule } from './rule.ts'
import { DEFAULT_ENCODING } from '../model/encoding.ts'

/** Fewer sampled rows than this (with the rule's columns present) could keep a rule by chance. */
export const MIN_RULE_SUPPORT = 30
/** Pairs and triples are searched among the first this many columns of each family (numbers, instants, categories). */
export const PAIR_SEARCH_COLUMNS = 40
/**
 * An inequality is proposed only when independent columns with the same values would break it on at least
 * this many of its rows (in expectation): keeping it on every row (a chance near e^-10) says the columns are
 * tied, where a barely overlapping pair keeps it by chance.
 */
const CHANCE_BREAKS = 10
/** Integer columns with at most this many values may take part in a combination, as categories. */
const COMBINATION_MAX_VALUES = 50
/** A determining column's values are each seen in this many rows on average: keys determine anything. */
const COMBINATION_ROWS_PER_VALUE = 2
/**
 * A combination is learned as one category, whose slots are the model's most (`maxCategorySlots`): past them the
 * rest share one rare bucket and lose their ties to the other columns. Flights' 4,000 tail numbers with their
 * planes' make, model and engine, so learned, cost the table 0.05 of pair trends; a determining column with
 * more values is left to the network, as before rules.
 */
const COMBINATION_MAX_KEYS = DEFAULT_ENCODING.maxCategorySlots
/** Increments of decimals are looked for up to this many decimals. */
const INCREMENT_MAX_DECIMALS = 4

const NUMBER_KINDS: ReadonlySet<ColumnKind> = new Set<ColumnKind>(['continuous', 'integer'])
const INSTANT_KINDS: ReadonlySet<ColumnKind> = new Set<ColumnKind>(['date', 'timestamp'])

/** A column as numbers rules compare: NaN where a value is missing. */
interface NumberColumn {
  readonly name: string
  readonly values: Float64Array
  readonly present: number
  readonly min: number
  readonly max: number
  /** Every present value is 0 (a term that adds nothing) or 1 (a factor that multiplies by nothing). */
  readonly allZero: boolean
  readonly allOne: boolean
}

/** A column as categories: one code per value, -1 where missing. */
interface CodedColumn {
  readonly name: string
  readonly codes: Int32Array
  readonly distinct: number
  readonly present: number
}

/** What every detected rule carries: proposed, with the rows it was checked on. */
function proposal(rows: number) {
  return { status: 'proposed', origin: 'detected', support: { rows, exceptions: 0 } } as const
}

function numberColumn(name: string, cells: readonly Cell[]): NumberColumn {
  const values = new Float64Array(cells.length)
  let present = 0
  let min = Infinity
  let max = -Infinity
  let allZero = true
  let allOne = true
  for (let r = 0; r < cells.length; r++) {
    const x = ruleNumber(cells[r]) ?? Number.NaN
    values[r] = x
    if (Number.isNaN(x)) continue
    present++
    min = Math.min(min, x)
    max = Math.max(max, x)
    allZero &&= x === 0
    allOne &&= x === 1
  }
  return { name, values, present, min, max, allZero, allOne }
}

function codedColumn(name: string, cells: readonly Cell[]): CodedColumn {
  const code = new Map<Cell, number>()
  const codes = new Int32Array(cells.length)
  let present = 0
  for (let r = 0; r < cells.length; r++) {
    const cell = cells[r]
    let c = cell === null ? -1 : code.get(cell)
    if (c === undefined) code.set(cell, (c = code.size))
    codes[r] = c
    if (c >= 0) present++
  }
  return { name, codes, distinct: code.size, present }
}

/** `{ min: 0 }` for counts and amounts: a smallest value of exactly 0 is a floor, any other minimum is chance. */
function zeroFloors(columns: readonly NumberColumn[]): Rule[] {
  return columns
    .filter((column) => column.min === 0 && column.present >= MIN_RULE_SUPPORT)
    .map((column) => ({ kind: 'range', column: column.name, min: 0, ...proposal(column.present) }))
}

/** The fewest decimals (up to INCREMENT_MAX_DECIMALS) that write x, float rounding aside. */
function decimalsOf(x: number): number | undefined {
  if (Number.isInteger(x)) return 0
  for (let d = 1; d <= INCREMENT_MAX_DECIMALS; d++) {
    const scaled = x * 10 ** d
    if (nearlyEqual(scaled, Math.round(scaled))) return d
  }
  return undefined
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}

/** The step every value is a multiple of, when it is coarser than the values' own unit (1, or 10^-decimals). */
function incrementStep(column: NumberColumn): number | undefined {
  if (column.allZero || column.present < MIN_RULE_SUPPORT) return undefined
  let decimals = 0
  const distinct = new Set<number>()
  for (const x of column.values) {
    if (Number.isNaN(x)) continue
    const d = Number.isFinite(x) ? decimalsOf(x) : undefined
    if (d === undefined) return undefined
    decimals = Math.max(decimals, d)
    if (distinct.size < 3) distinct.add(x)
  }
  if (distinct.size < 3) return undefined
  const scale = 10 ** decimals
  let step = 0
  for (const x of column.values) {
    if (Number.isNaN(x)) continue
    step = gcd(step, Math.abs(Math.round(x * scale)))
    if (step === 1) return undefined
  }
  return step > 1 ? step / scale : undefined
}

function increments(columns: readonly NumberColumn[]): Rule[] {
  return columns.flatMap((column): Rule[] => {
    const step = incrementStep(column)
    return step === undefined ? [] : [{ kind: 'increment', column: column.name, step, ...proposal(column.present) }]
  })
}

/** How two columns compare on the rows where both are present; stops once neither can be below the other. */
function comparison(a: NumberColumn, b: NumberColumn) {
  let rows = 0
  let aBelow = true
  let bBelow = true
  let equal = false
  for (let r = 0; r < a.values.length && (aBelow || bBelow); r++) {
    const x = a.values[r]
    const y = b.values[r]
    if (Number.isNaN(x) || Number.isNaN(y)) continue
    rows++
    if (x > y) aBelow = false
    else if (x < y) bBelow = false
    else equal = true
  }
  return { rows, aBelow, bBelow, equal }
}

/** Present values, ascending. */
function sortedValues(column: NumberColumn): Float64Array {
  return column.values.filter((x) => !Number.isNaN(x)).sort()
}

/**
 * The share of (low, high) value pairs drawn independently from each column's values that break the
 * inequality: what the marginals alone would give. Both columns' values ascending, counted in one pass.
 */
function independentBreakShare(low: NumberColumn, high: NumberColumn, strict: boolean): number {
  const lows = sortedValues(low)
  const highs = sortedValues(high)
  let breaking = 0
  let at = 0
  for (const y of highs) {
    // lows[at..] are the values that break the rule with y: above it (or equal to it, when strict).
    while (at < lows.length && (strict ? lows[at] < y : lows[at] <= y)) at++
    breaking += lows.length - at
  }
  return breaking / (lows.length * highs.length)
}

type Inequality = Extract<Rule, { kind: 'inequality' }>

/**
 * low <= high on every row, among columns of one family. Pairs the marginals explain are left out: ranges
 * that do not overlap (age < weight), or that overlap so little that independent columns would break the
 * rule on fewer than CHANCE_BREAKS rows; so are those a chain of two others implies.
 */
function inequalities(columns: readonly NumberColumn[]): Rule[] {
  const found: Inequality[] = []
  for (let i = 0; i < columns.length; i++)
    for (let j = i + 1; j < columns.length; j++) {
      const { rows, aBelow, bBelow, equal } = comparison(columns[i], columns[j])
      if (rows < MIN_RULE_SUPPORT || aBelow === bBelow) continue
      const [low, high] = aBelow ? [columns[i], columns[j]] : [columns[j], columns[i]]
      if (low.max <= high.min || rows * independentBreakShare(low, high, !equal) < CHANCE_BREAKS) continue
      found.push({ kind: 'inequality', low: low.name, high: high.name, strict: !equal, ...proposal(rows) })
    }
  const implied = (rule: Inequality) =>
    found.some(
      (first) =>
        first.low === rule.low &&
        found.some((second) => second.low === first.high && second.high === rule.high && (!rule.strict || first.strict || second.strict)),
    )
  return found.filter((rule) => !implied(rule))
}

/** Rows on which `target` equals the sum of `terms` (or their product), or undefined at the first row where it does not. */
function arithmeticRows(target: NumberColumn, terms: readonly NumberColumn[], product: boolean): number | undefined {
  let rows = 0
  rows: for (let r = 0; r < target.values.length; r++) {
    const expected = target.values[r]
    if (Number.isNaN(expected)) continue
    let value = product ? 1 : 0
    for (const term of terms) {
      const x = term.values[r]
      if (Number.isNaN(x)) continue rows
      value = product ? value * x : value + x
    }
    if (!nearlyEqual(expected, value)) return undefined
    rows++
  }
  return rows
}

/** The sums of 2 and 3 columns and the products of 2 that a column could equal, in column order. */
function* operandSets(columns: readonly NumberColumn[], target: NumberColumn): Generator<{ terms: NumberColumn[]; product: boolean }> {
  const others = columns.filter((column) => column !== target)
  const addends = others.filter((column) => !column.allZero)
  for (let i = 0; i < addends.length; i++)
    for (let j = i + 1; j < addends.length; j++) yield { terms: [addends[i], addends[j]], product: false }
  for (let i = 0; i < addends.length; i++)
    for (let j = i + 1; j < addends.length; j++)
      for (let k = j + 1; k < addends.length; k++) yield { terms: [addends[i], addends[j], addends[k]], product: false }
  const factors = others.filter((column) => !column.allOne)
  for (let i = 0; i < factors.length; i++)
    for (let j = i + 1; j < factors.length; j++) yield { terms: [factors[i], factors[j]], product: true }
}

/**
 * A column that is the sum of 2 or 3 others or the product of 2: at most one expression a column, taken
 * greedily in column order, none that would compute a column from itself through others.
 */
function expressions(columns: readonly NumberColumn[]): Rule[] {
  const operands = new Map<string, readonly string[]>()
  const reads = (from: string, name: string): boolean => (operands.get(from) ?? []).some((o) => o === name || reads(o, name))
  const found: Rule[] = []
  for (const target of columns) {
    if (target.present < MIN_RULE_SUPPORT) continue
    for (const { terms, product } of operandSets(columns, target)) {
      const rows = arithmeticRows(target, terms, product)
      if (rows === undefined || rows < MIN_RULE_SUPPORT) continue
      const names = terms.map((term) => term.name)
      if (names.some((name) => reads(name, target.name))) continue
      operands.set(target.name, names)
      found.push({
        kind: 'expression',
        column: target.name,
        expression: names.map(quoteName).join(product ? ' * ' : ' + '),
        ...proposal(rows),
      })
      break
    }
  }
  return found
}

/** Rows where `a` determines `b` (each value of a seen with one value of b), or undefined. */
function dependencyRows(a: CodedColumn, b: CodedColumn): number | undefined {
  if (a.present < COMBINATION_ROWS_PER_VALUE * a.distinct) return undefined
  const partner = new Int32Array(a.distinct).fill(-1)
  let rows = 0
  let values = 0
  for (let r = 0; r < a.codes.length; r++) {
    const x = a.codes[r]
    const y = b.codes[r]
    if (x < 0 || y < 0) continue
    rows++
    if (partner[x] < 0) {
      partner[x] = y
      values++
    } else if (partner[x] !== y) return undefined
  }
  return rows >= MIN_RULE_SUPPORT && rows >= COMBINATION_ROWS_PER_VALUE * values && values <= COMBINATION_MAX_KEYS ? rows : undefined
}

/** Rows where every one of the columns is present. */
function rowsWithAll(columns: readonly CodedColumn[]): number {
  let rows = 0
  for (let r = 0; r < columns[0].codes.length; r++) if (columns.every((column) => column.codes[r] >= 0)) rows++
  return rows
}

/**
 * Categories one of which determines another (education → education-num): the connected columns make one
 * combination when a member determines all the others, else one combination per determining pair.
 */
function combinations(columns: readonly CodedColumn[]): Rule[] {
  const determines = columns.map(() => new Set<number>())
  const parent = columns.map((_, i) => i)
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])))
  for (let i = 0; i < columns.length; i++)
    for (let j = 0; j < columns.length; j++) {
      if (i === j || dependencyRows(columns[i], columns[j]) === undefined) continue
      determines[i].add(j)
      parent[root(i)] = root(j)
    }
  const rule = (members: readonly number[]): Rule => {
    const group = [...members].sort((x, y) => x - y).map((i) => columns[i])
    return { kind: 'combination', columns: group.map((column) => column.name), ...proposal(rowsWithAll(group)) }
  }
  const found: Rule[] = []
  for (let i = 0; i < columns.length; i++) {
    if (root(i) !== i) continue
    const members = columns.map((_, m) => m).filter((m) => root(m) === i)
    if (members.length < 2) continue
    if (members.some((m) => determines[m].size === members.length - 1)) found.push(rule(members))
    else for (const m of members) for (const n of determines[m]) if (m < n || !determines[n].has(m)) found.push(rule([m, n]))
  }
  return found
}

/** Identifiers whose sampled values never repeat. */
function uniques(named: readonly { meta: ColumnMeta; cells: readonly Cell[] }[]): Rule[] {
  return named.flatMap(({ meta, cells }): Rule[] => {
    const keys = new Set<string>()
    let present = 0
    for (const cell of cells) {
      if (cell === null) continue
      present++
      keys.add(tupleKey([cell]))
      if (keys.size < present) return []
    }
    return present >= MIN_RULE_SUPPORT ? [{ kind: 'unique', columns: [meta.name], ...proposal(present) }] : []
  })
}

/** Columns a combination holds as categories: categorical and boolean ones (whole numbers if numeric), and integers. */
function combinable(kind: ColumnKind, type: SparkType): boolean {
  if (kind === 'categorical' || kind === 'boolean') return !isNumericType(type) || isIntegerType(type)
  return kind === 'integer' && isIntegerType(type)
}

/** Whether the row-by-row check (the sampler's guard and the report's) keeps the rule on every row too. */
function keptByCheck(rule: Rule, table: Table, index: ReadonlyMap<string, number>): boolean {
  const at = ruleColumns(rule).map((name) => index.get(name) ?? -1)
  const narrowed: Table = { columns: at.map((c) => table.columns[c]), values: at.map((c) => table.values[c]), rowCount: table.rowCount }
  return rowsKeeping(rule, narrowed) === table.rowCount
}

/**
 * The rules every sampled row keeps, proposed for the user to accept or reject. Excluded columns, and
 * identifiers, text and constants, take no part, except identifiers in `unique`.
 */
export function detectRules(table: Table, columns: readonly ColumnMeta[]): Rule[] {
  const index = new Map(table.columns.map((column, c) => [column.name, c]))
  const named = columns.flatMap((meta) => {
    const c = index.get(meta.name)
    return c === undefined || meta.exclude ? [] : [{ meta, source: table.columns[c], cells: table.values[c] }]
  })
  const ofKinds = (kinds: ReadonlySet<ColumnKind>) => named.filter(({ meta }) => kinds.has(meta.kind))
  const numbers = ofKinds(NUMBER_KINDS).map(({ meta, cells }) => numberColumn(meta.name, cells))
  const searched = numbers.slice(0, PAIR_SEARCH_COLUMNS)
  const instants = ofKinds(INSTANT_KINDS)
    .slice(0, PAIR_SEARCH_COLUMNS)
    .map(({ meta, cells }) => numberColumn(meta.name, cells))
  const categories: CodedColumn[] = []
  for (const { meta, source, cells } of named) {
    if (categories.length === PAIR_SEARCH_COLUMNS) break
    if (!combinable(meta.kind, source.sparkType)) continue
    const column = codedColumn(meta.name, cells)
    if (column.distinct >= 2 && (meta.kind !== 'integer' || column.distinct <= COMBINATION_MAX_VALUES)) categories.push(column)
  }
  const rules = [
    ...combinations(categories),
    ...inequalities(searched),
    ...inequalities(instants),
    ...expressions(searched),
    ...zeroFloors(numbers),
    ...increments(numbers),
    ...uniques(named.filter(({ meta }) => meta.kind === 'identifier')),
  ]
  return rules.filter((rule) => keptByCheck(rule, table, index))
}
