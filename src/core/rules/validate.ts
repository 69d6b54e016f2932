/**
 * What makes a rule impossible to keep, told before anything is trained: a column that does not exist, a
 * column of a type the rule cannot compare (a string and a date), an expression that does not parse, rules
 * that contradict each other. Reads no data: the editor's host checks a rule the user adds with it too.
 */
import { isIntegerType, isNumericType, parseSparkType, type SparkType } from '../io/sparkType.ts'
import type { ColumnMeta, MetadataDocument } from '../meta/document.ts'
import { ExpressionError, expressionColumns, parseExpression, quoteName } from './expression.ts'
import { describeRule, keptRules, ruleColumns, type Rule, type RuleKind } from './rule.ts'

export interface RuleProblem {
  /** The rule's position in the document's `rules`, from 0. */
  readonly index: number
  readonly rule: Rule
  readonly problem: string
  readonly hint: string
  readonly column?: string
}

type TypeClass = 'number' | 'instant' | 'string' | 'boolean' | 'other'

function typeClass(type: SparkType): TypeClass {
  if (isNumericType(type)) return 'number'
  if (type.id === 'date' || type.id === 'timestamp') return 'instant'
  if (type.id === 'string' || type.id === 'boolean') return type.id
  return 'other'
}

const TYPE_WORDS: Record<TypeClass, string> = {
  number: 'numbers',
  instant: 'dates or timestamps',
  string: 'strings',
  boolean: 'booleans',
  other: 'values no rule compares',
}

/** The types each kind's columns may hold (a combination's numbers whole ones only, an inequality's two alike). */
const KIND_TYPES: Record<RuleKind, readonly TypeClass[]> = {
  inequality: ['number', 'instant'],
  combination: ['string', 'boolean', 'number'],
  range: ['number'],
  increment: ['number'],
  expression: ['number'],
  unique: ['number', 'instant', 'string', 'boolean'],
}

/**
 * Whether a column of `sparkType` can take part in a rule of `kind`: what the editor offers. `partner`, an
 * inequality's other column's type, must be of the same class (two numbers, or two dates/timestamps).
 */
export function fitsRule(kind: RuleKind, sparkType: string, partner?: string): boolean {
  const type = parseSparkType(sparkType)
  const which = typeClass(type)
  if (kind === 'combination' && which === 'number' && !isIntegerType(type)) return false
  if (partner !== undefined && typeClass(parseSparkType(partner)) !== which) return false
  return KIND_TYPES[kind].includes(which)
}

/** The first problem of one rule on its own (columns and types), if any. */
function ruleOwnProblem(rule: Rule, columns: ReadonlyMap<string, ColumnMeta>): Omit<RuleProblem, 'index' | 'rule'> | undefined {
  // An expression's operands are checked once it parses, below.
  const names = rule.kind === 'expression' ? [rule.column] : ruleColumns(rule)
  for (const name of names) {
    if (!columns.has(name))
      return {
        problem: `names ${quoteName(name)}, which is not a column of the table`,
        hint: `Use one of ${[...columns.keys()].map(quoteName).join(', ')}`,
        column: name,
      }
  }
  const classOf = (name: string) => typeClass(parseSparkType(columns.get(name)?.sparkType ?? 'string'))
  const typeOf = (name: string) => columns.get(name)?.sparkType ?? ''
  const needs = (name: string, wanted: readonly TypeClass[]) =>
    wanted.includes(classOf(name))
      ? undefined
      : {
          problem: `needs ${wanted.map((w) => TYPE_WORDS[w]).join(' or ')}, and ${quoteName(name)} holds ${typeOf(name)} values`,
          hint: 'Name a column of a fitting type, or remove the rule',
          column: name,
        }
  switch (rule.kind) {
    case 'inequality': {
      if (rule.low === rule.high) return { problem: 'compares a column with itself', hint: 'Name two different columns', column: rule.low }
      const low = classOf(rule.low)
      const high = classOf(rule.high)
      if ((low !== 'number' && low !== 'instant') || low !== high)
        return {
          problem: `compares ${quoteName(rule.low)} (${typeOf(rule.low)}) with ${quoteName(rule.high)} (${typeOf(rule.high)}): an inequality needs two numeric columns or two date/timestamp columns`,
          hint: 'Name two columns of comparable types, or remove the rule',
          column: low === 'number' || low === 'instant' ? rule.high : rule.low,
        }
      return undefined
    }
    case 'range': {
      const wrongType = needs(rule.column, KIND_TYPES.range)
      if (wrongType) return wrongType
      if (rule.min === undefined && rule.max === undefined)
        return { problem: 'has neither min nor max', hint: 'Give the range a "min", a "max" or both', column: rule.column }
      if (
        rule.min !== undefined &&
        rule.max !== undefined &&
        (rule.min > rule.max || (rule.min === rule.max && (rule.minExclusive || rule.maxExclusive)))
      )
        return {
          problem: `allows no value: min ${rule.min} is not below max ${rule.max}`,
          hint: 'Swap or correct the bounds',
          column: rule.column,
        }
      return undefined
    }
    case 'increment':
      return needs(rule.column, KIND_TYPES.increment)
    case 'expression': {
      let operands: string[]
      try {
        operands = expressionColumns(parseExpression(rule.expression))
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error
        return {
          problem: `has an expression that does not parse: ${error.message}`,
          hint: 'Write it with numbers, + - * /, parentheses and `column` names in backquotes',
          column: rule.column,
        }
      }
      if (operands.includes(rule.column))
        return {
          problem: `computes ${quoteName(rule.column)} from itself`,
          hint: 'Write the column from other columns only',
          column: rule.column,
        }
      for (const name of [rule.column, ...operands]) {
        if (!columns.has(name))
          return {
            problem: `names ${quoteName(name)}, which is not a column of the table`,
            hint: `Use one of ${[...columns.keys()].map(quoteName).join(', ')}`,
            column: name,
          }
        const wrongType = needs(name, KIND_TYPES.expression)
        if (wrongType) return wrongType
      }
      return undefined
    }
    case 'combination':
      for (const name of rule.columns) {
        const wrongType =
          classOf(name) === 'number' && !isIntegerType(parseSparkType(typeOf(name)))
            ? {
                problem: `needs categories, and ${quoteName(name)} holds ${typeOf(name)} values`,
                hint: 'Combine categorical, boolean or whole-number columns only',
                column: name,
              }
            : needs(name, KIND_TYPES.combination)
        if (wrongType) return wrongType
      }
      return undefined
    case 'unique':
      for (const name of rule.columns) {
        const wrongType = needs(name, KIND_TYPES.unique)
        if (wrongType) return wrongType
      }
      return undefined
  }
}

/** Pairs of kept rules no row can keep together: strict inequalities in a cycle, ranges that do not meet. */
function contradiction(rules: readonly { rule: Rule; index: number }[]): (Omit<RuleProblem, 'hint'> & { others: number[] }) | undefined {
  const inequalities = rules.filter(
    (r): r is { rule: Extract<Rule, { kind: 'inequality' }>; index: number } => r.rule.kind === 'inequality',
  )
  // low <= high edges; a cycle through a strict edge asks for a < a.
  const path = (from: string, to: string, seen = new Set<string>()): number[] | undefined => {
    if (from === to) return []
    seen.add(from)
    for (const edge of inequalities) {
      if (edge.rule.low !== from || seen.has(edge.rule.high)) continue
      const rest = path(edge.rule.high, to, seen)
      if (rest) return [edge.index, ...rest]
    }
    return undefined
  }
  for (const edge of inequalities) {
    if (!edge.rule.strict) continue
    const back = path(edge.rule.high, edge.rule.low)
    if (back)
      return {
        index: edge.index,
        rule: edge.rule,
        others: back,
        problem: `asks for ${quoteName(edge.rule.low)} < ${quoteName(edge.rule.high)}, and rule ${back.map((i) => i + 1).join(', ')} for ${quoteName(edge.rule.high)} <= ${quoteName(edge.rule.low)}`,
        column: edge.rule.low,
      }
  }
  const ranges = rules.filter((r): r is { rule: Extract<Rule, { kind: 'range' }>; index: number } => r.rule.kind === 'range')
  for (const a of ranges)
    for (const b of ranges) {
      if (a.index >= b.index || a.rule.column !== b.rule.column) continue
      const min = Math.max(a.rule.min ?? -Infinity, b.rule.min ?? -Infinity)
      const max = Math.min(a.rule.max ?? Infinity, b.rule.max ?? Infinity)
      if (min > max)
        return {
          index: b.index,
          rule: b.rule,
          others: [a.index],
          problem: `and rule ${a.index + 1} (${describeRule(a.rule)}) leave no value ${quoteName(b.rule.column)} can take`,
          column: b.rule.column,
        }
    }
  return undefined
}

/** Every kept rule's problem, then the first contradiction between kept rules. Rejected rules are not checked. */
export function rulesProblems(document: Pick<MetadataDocument, 'rules' | 'columns'>): RuleProblem[] {
  const columns = new Map(document.columns.map((column) => [column.name, column]))
  const kept = keptRules(document)
  const indexed = (document.rules ?? []).map((rule, index) => ({ rule, index })).filter(({ rule }) => kept.includes(rule))
  const problems: RuleProblem[] = []
  for (const { rule, index } of indexed) {
    const problem = ruleOwnProblem(rule, columns)
    if (problem) problems.push({ index, rule, ...problem })
  }
  if (problems.length) return problems
  const contradicting = contradiction(indexed)
  if (contradicting) {
    const { others, ...problem } = contradicting
    problems.push({ ...problem, hint: `Reject or correct rule ${contradicting.index + 1} or rule ${others.map((i) => i + 1).join(', ')}` })
  }
  return problems
}

/** A problem as a message: rule N (`a` <= `b`) names …. */
export function ruleProblemText(problem: RuleProblem): string {
  return `rule ${problem.index + 1} (${describeRule(problem.rule)}) ${problem.problem}`
}
