/**
 * Business rules (the document's `rules`): what each says, in one line a user reads, and which are kept.
 * The schema (schemas/synth-meta.schema.json) is the one declaration of their fields.
 */
import type { MetadataDocument } from '../meta/document.ts'
import { expressionColumns, parseExpression, quoteName } from './expression.ts'

export type Rule = NonNullable<MetadataDocument['rules']>[number]
export type RuleKind = Rule['kind']
export type RuleStatus = Rule['status']

/** Proposed rules are kept until the user rejects them: they held on every sampled row. */
export function keptRules(document: Pick<MetadataDocument, 'rules'>): Rule[] {
  return (document.rules ?? []).filter((rule) => rule.status !== 'rejected')
}

/** Every column a rule reads or writes (an expression's column, then its operands). */
export function ruleColumns(rule: Rule): string[] {
  switch (rule.kind) {
    case 'inequality':
      return [rule.low, rule.high]
    case 'combination':
    case 'unique':
      return [...rule.columns]
    case 'range':
    case 'increment':
      return [rule.column]
    case 'expression':
      return [rule.column, ...expressionColumns(parseExpression(rule.expression)).filter((name) => name !== rule.column)]
  }
}

/** The rule as a user writes it: `start` <= `end`, `total` = `a` + `b`, unique (`id`). */
export function describeRule(rule: Rule): string {
  const q = quoteName
  switch (rule.kind) {
    case 'inequality':
      return `${q(rule.low)} ${rule.strict ? '<' : '<='} ${q(rule.high)}`
    case 'combination':
      return `only seen combinations of ${rule.columns.map(q).join(', ')}`
    case 'range': {
      const low = rule.min === undefined ? '' : `${rule.min} ${rule.minExclusive ? '<' : '<='} `
      const high = rule.max === undefined ? '' : ` ${rule.maxExclusive ? '<' : '<='} ${rule.max}`
      return `${low}${q(rule.column)}${high}`
    }
    case 'increment':
      return `${q(rule.column)} in steps of ${rule.step}`
    case 'expression':
      return `${q(rule.column)} = ${rule.expression}${rule.tolerance ? ` (± ${rule.tolerance})` : ''}`
    case 'unique':
      return `unique (${rule.columns.map(q).join(', ')})`
  }
}

/** What the user and extraction add to what a rule says. */
const JUDGEMENT = new Set(['status', 'origin', 'support'])

/** Two rules are the same when they say the same (status, origin and support aside). */
export function sameRule(a: Rule, b: Rule): boolean {
  const said = (rule: Rule) =>
    JSON.stringify(
      Object.entries(rule)
        .filter(([key]) => !JUDGEMENT.has(key))
        .sort(([x], [y]) => x.localeCompare(y)),
    )
  return said(a) === said(b)
}
