/** The rules panel's "Add rule" form as a rule: what each kind reads of the fields, and why a filled form is not one yet. */
import type { ColumnMeta } from '../src/core/meta/document.ts'
import { formatCount } from '../src/core/formatCount.ts'
import { parseRuleNumber } from '../src/core/numberInput.ts'
import { MAX_EXPRESSION_LENGTH } from '../src/core/rules/expression.ts'
import type { RuleKind } from '../src/core/rules/rule.ts'
import { fitsRule } from '../src/core/rules/validate.ts'
import type { RuleDraft } from '../src/protocol/webview.ts'

/** The form's fields as the user left them (an empty column name: none chosen). */
export interface RuleForm {
  readonly kind: RuleKind
  readonly column: string
  readonly low: string
  readonly high: string
  readonly strict: boolean
  readonly columns: readonly string[]
  readonly min: string
  readonly max: string
  readonly minExclusive: boolean
  readonly maxExclusive: boolean
  readonly step: string
  readonly expression: string
  readonly tolerance: string
}

export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  inequality: 'Inequality (a ≤ b)',
  range: 'Range (min ≤ column ≤ max)',
  increment: 'Increment (steps of)',
  expression: 'Expression (column = formula)',
  combination: 'Combination (only seen value combinations)',
  unique: 'Unique (no repeated values)',
}

/** The columns a kind's selects offer: those of fitting Spark types (for an inequality's `high`, alike to `low`). */
export function ruleColumnChoices(kind: RuleKind, columns: readonly ColumnMeta[], partner?: ColumnMeta): string[] {
  return columns.filter((c) => c !== partner && fitsRule(kind, c.sparkType, partner?.sparkType)).map((c) => c.name)
}

type Drafted = { readonly draft: RuleDraft } | { readonly problem: string }

function optionalNumber(text: string, what: string): { value?: number } | { problem: string } {
  return text.trim() ? parseRuleNumber(text, what) : {}
}

/** The rule the form spells, or what is missing. The host checks the rule against the document. */
export function ruleDraft(form: RuleForm): Drafted {
  const needColumn = (name: string, what = 'a column') => (name ? undefined : { problem: `Choose ${what}.` })
  switch (form.kind) {
    case 'inequality':
      return (
        needColumn(form.low, 'the lower column') ??
        needColumn(form.high, 'the higher column') ?? { draft: { kind: 'inequality', low: form.low, high: form.high, strict: form.strict } }
      )
    case 'combination':
    case 'unique': {
      const least = form.kind === 'combination' ? 2 : 1
      if (form.columns.length < least) return { problem: `Choose at least ${least === 1 ? 'one column' : 'two columns'}.` }
      return { draft: { kind: form.kind, columns: [...form.columns] } }
    }
    case 'range': {
      const min = optionalNumber(form.min, 'Min')
      const max = optionalNumber(form.max, 'Max')
      if ('problem' in min) return min
      if ('problem' in max) return max
      if (min.value === undefined && max.value === undefined) return { problem: 'Give a min, a max or both.' }
      return (
        needColumn(form.column) ?? {
          draft: {
            kind: 'range',
            column: form.column,
            ...(min.value === undefined ? {} : { min: min.value, ...(form.minExclusive ? { minExclusive: true } : {}) }),
            ...(max.value === undefined ? {} : { max: max.value, ...(form.maxExclusive ? { maxExclusive: true } : {}) }),
          },
        }
      )
    }
    case 'increment': {
      const step = parseRuleNumber(form.step, 'Step')
      if ('problem' in step) return step
      if (!(step.value > 0)) return { problem: 'Step must be above 0.' }
      return needColumn(form.column) ?? { draft: { kind: 'increment', column: form.column, step: step.value } }
    }
    case 'expression': {
      const tolerance = optionalNumber(form.tolerance, 'Tolerance')
      if ('problem' in tolerance) return tolerance
      if (tolerance.value !== undefined && tolerance.value < 0) return { problem: 'Tolerance must be 0 or more.' }
      if (!form.expression.trim()) return { problem: 'Write the expression, such as `a` + `b`.' }
      if (form.expression.trim().length > MAX_EXPRESSION_LENGTH)
        return { problem: `The expression can be at most ${formatCount(MAX_EXPRESSION_LENGTH)} characters long.` }
      return (
        needColumn(form.column) ?? {
          draft: {
            kind: 'expression',
            column: form.column,
            expression: form.expression.trim(),
            ...(tolerance.value === undefined ? {} : { tolerance: tolerance.value }),
          },
        }
      )
    }
  }
}
