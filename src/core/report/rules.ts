/**
 * The report's "Rules" section: each business rule of the document judged on the synthetic rows, with the real
 * rows beside it. A kept rule must hold on every synthetic row; anything less is a failure, however close.
 */
import type { Table } from '../io/table.ts'
import { combinationsIn, rowsKeeping } from '../rules/check.ts'
import { quoteName } from '../rules/expression.ts'
import { describeRule, ruleColumns, type Rule } from '../rules/rule.ts'
import type { RowsKeepingRule, RuleReport } from './types.ts'

/** The columns of kept rules that a report must read beside the ones it scores. */
export function ruleCheckColumns(rules: readonly Rule[]): string[] {
  return [...new Set(rules.filter((rule) => rule.status !== 'rejected').flatMap(ruleColumns))]
}

const hasColumn = (table: Table, name: string) => table.columns.some((column) => column.name === name)

function keeping(rule: Rule, table: Table, combinations: ReadonlySet<string> | undefined): RowsKeepingRule {
  const kept = rowsKeeping(rule, table, combinations)
  return { rows: table.rowCount, keeping: kept, share: table.rowCount === 0 ? 1 : kept / table.rowCount }
}

/**
 * Every rule of the document, in its order: kept ones judged on the synthetic rows and on the real rows the
 * model learned from, whose value combinations are the ones a combination rule allows; rejected ones listed only.
 */
export function judgeRules(
  rules: readonly Rule[],
  real: Table,
  synthetic: Table,
  /** Columns masked or faked: written other than drawn, so their combinations are not the real ones. */
  rewritten: ReadonlySet<string> = new Set(),
): RuleReport[] {
  return rules.map((rule): RuleReport => {
    const description = describeRule(rule)
    if (rule.status === 'rejected') return { rule, description, verdict: 'rejected', note: null, synthetic: null, real: null }
    const missing = ruleColumns(rule).filter((name) => !hasColumn(synthetic, name) || !hasColumn(real, name))
    if (missing.length > 0) {
      const note = `${missing.map(quoteName).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the synthetic output (excluded), so the rule cannot be checked`
      return { rule, description, verdict: 'unchecked', note, synthetic: null, real: null }
    }
    const masked = rule.kind === 'combination' ? rule.columns.filter((name) => rewritten.has(name)) : []
    if (masked.length > 0) {
      const note = `${masked.map(quoteName).join(', ')} ${masked.length === 1 ? 'is' : 'are'} masked or faked after generation, so the combinations written are not compared with the real ones`
      return { rule, description, verdict: 'unchecked', note, synthetic: null, real: null }
    }
    const combinations = rule.kind === 'combination' ? combinationsIn(real, rule.columns) : undefined
    const onSynthetic = keeping(rule, synthetic, combinations)
    const verdict = onSynthetic.keeping === onSynthetic.rows ? 'holds' : 'fails'
    return { rule, description, verdict, note: null, synthetic: onSynthetic, real: keeping(rule, real, combinations) }
  })
}

/** A share of rows as a percentage that never rounds a failure up to 100 % (99.96 % reads 99.9 %). */
export function keepingPercent(share: number): string {
  return share === 1 ? '100 %' : `${(Math.floor(share * 1000) / 10).toFixed(1)} %`
}

/** The lowest share of synthetic rows keeping a kept rule; null when no kept rule could be judged. */
export function lowestRuleShare(rules: readonly RuleReport[]): number | null {
  const shares = rules.flatMap((r) => (r.synthetic ? [r.synthetic.share] : []))
  return shares.length === 0 ? null : Math.min(...shares)
}

/** One line a user reads: "3 kept, all hold on every synthetic row", or which fail and how far. */
export function rulesSummary(rules: readonly RuleReport[]): string {
  const count = (verdict: RuleReport['verdict']) => rules.filter((r) => r.verdict === verdict).length
  const kept = rules.length - count('rejected')
  const failing = rules.filter((r) => r.verdict === 'fails')
  const parts = [kept === 0 ? 'none kept' : `${kept} kept`]
  if (failing.length > 0) {
    const named = failing.map((r) => `${r.description} on ${keepingPercent(r.synthetic?.share ?? 0)} of synthetic rows`)
    parts.push(`${failing.length} ${failing.length === 1 ? 'fails' : 'fail'} (must hold on every row): ${named.join('; ')}`)
  } else if (count('holds') > 0) {
    parts.push(count('holds') === kept ? 'all hold on every synthetic row' : `${count('holds')} hold on every synthetic row`)
  }
  if (count('unchecked') > 0) parts.push(`${count('unchecked')} not checked (a column is left out or rewritten)`)
  if (count('rejected') > 0) parts.push(`${count('rejected')} rejected (not judged)`)
  return parts.join(', ')
}
