import type { MetadataDocument } from '../core/meta/document.ts'
import { describeRule, sameRule, type Rule } from '../core/rules/rule.ts'
import { ruleProblemText, rulesProblems } from '../core/rules/validate.ts'
import type { RuleEdit } from '../protocol/webview.ts'
import type { EditOutcome } from './columnEdit.ts'

/** The rule an edit names, or why it names none: past the last rule, or another rule there since the webview drew it. */
function shownRule(rules: readonly Rule[], edit: { index: number; said: string }): Rule | string {
  if (edit.index >= rules.length)
    return `rule ${edit.index + 1} is out of range (the document has ${rules.length} ${rules.length === 1 ? 'rule' : 'rules'})`
  const rule = rules[edit.index]
  const said = describeRule(rule)
  return said === edit.said ? rule : `rule ${edit.index + 1} is now ${said}, not ${edit.said}`
}

/** The rules an edit makes, or why it does not apply. */
function editedRules(rules: readonly Rule[], edit: RuleEdit): Rule[] | string {
  if (edit.type === 'addRule') {
    const added = { ...edit.rule, status: 'accepted', origin: 'user' } as Rule
    const same = rules.findIndex((rule) => sameRule(rule, added))
    if (same >= 0)
      return `rule ${same + 1} (${describeRule(rules[same])}) says that already${rules[same].status === 'rejected' ? ': accept it' : ''}`
    return [...rules, added]
  }
  const rule = shownRule(rules, edit)
  if (typeof rule === 'string') return rule
  if (edit.type === 'removeRule') {
    if (rule.origin !== 'user') return `rule ${edit.index + 1} (${edit.said}) was detected in the data: reject it rather than remove it`
    return rules.filter((_, i) => i !== edit.index)
  }
  return rules.map((r, i) => (i === edit.index ? { ...r, status: edit.status } : r))
}

/**
 * The document with its rules edited (a status set, a user's rule removed, a rule added as accepted from the user),
 * or why not: the edit names a rule no longer there, or the rules it makes have a problem (`rulesProblems`, naming the
 * rule), in which case the document stays as it is.
 */
export function applyRuleEdit(document: MetadataDocument, edit: RuleEdit): EditOutcome {
  const rules = editedRules(document.rules ?? [], edit)
  if (typeof rules === 'string') return { problem: rules }
  // No rules left: the key goes, as in a document extracted without rules.
  const edited: MetadataDocument = { ...document, rules: rules.length ? rules : undefined }
  const problems = rulesProblems(edited)
  if (problems.length) return { problem: problems.map(ruleProblemText).join('; ') }
  return { document: edited }
}
