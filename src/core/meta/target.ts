/**
 * The utility target: the column the quality report predicts (trained on synthetic rows, scored on real
 * ones). Which columns can be one, and the one extraction suggests. Browser-safe: the editor's picker
 * offers the columns these rules accept.
 */
import type { ColumnMeta, MetadataDocument } from './document.ts'
import { REWRITING_HANDLING } from './kinds.ts'

/** A class to predict has at most this many values (an integer column with more is a quantity). */
export const MAX_TARGET_CLASSES = 20

/** Values the document shows for the column: after value protection, the ones that can be generated. */
function classCount(column: ColumnMeta): number {
  const { categories, numeric } = column.stats
  return categories?.top.length ?? numeric?.distinct ?? 0
}

/** Why `column` cannot be the utility target (a clause after "it"), or undefined when it can. */
export function targetProblem(column: ColumnMeta): string | undefined {
  if (column.exclude || column.sensitive === 'exclude') return 'is left out of the synthetic data'
  if (REWRITING_HANDLING.has(column.sensitive))
    return `has its values rewritten (sensitive: ${column.sensitive}), so no prediction can match a real value`
  if (column.kind !== 'categorical' && column.kind !== 'boolean' && column.kind !== 'integer')
    return `is ${column.kind === 'identifier' ? 'an' : 'a'} ${column.kind} column, not a class to predict`
  const classes = classCount(column)
  if (column.kind === 'integer' && classes > MAX_TARGET_CLASSES)
    return `is an integer column with ${classes} values: a quantity, not a class (at most ${MAX_TARGET_CLASSES} values)`
  if (classes < 2) return 'holds fewer than two values that can be generated (value protection hides the rarer ones)'
  return undefined
}

/** The document without a target (serializing leaves the unset field out). */
export function withoutTarget(document: MetadataDocument): MetadataDocument {
  return { ...document, target: undefined }
}

/** The columns that can be the target, in document order. */
export function targetCandidates(columns: readonly ColumnMeta[]): ColumnMeta[] {
  return columns.filter((column) => targetProblem(column) === undefined)
}

/** Words that name a label: `income`, `churn`, `class_label`, `Species`. */
const LABEL_WORDS = new Set(['label', 'target', 'class', 'y', 'outcome', 'income', 'churn', 'churned', 'species', 'survived', 'fraud'])
/** Flags: `is_fraud`, `has_children`, `isActive`. */
const FLAG_NAME = /^(is|has)([_\s.-]|[A-Z])/

/** Whether a name reads like a label: its last word is a label word, or it is a flag. */
function looksLikeLabel(name: string): boolean {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[_\s.-]+/)
    .filter(Boolean)
  return FLAG_NAME.test(name) || LABEL_WORDS.has(words.at(-1) ?? '')
}

/** A suggested target's least common value holds at least this share of the rows: a class, not an outlier. */
const MIN_CLASS_SHARE = 0.01

/** A category or flag with 2 to 20 values, each with a share of the rows worth predicting. */
function isBalancedClass(column: ColumnMeta): boolean {
  const categories = column.stats.categories
  if ((column.kind !== 'categorical' && column.kind !== 'boolean') || !categories) return false
  const counts = categories.top.map((entry) => entry.count)
  const rows = counts.reduce((sum, count) => sum + count, categories.otherCount)
  return counts.length >= 2 && counts.length <= MAX_TARGET_CLASSES && Math.min(...counts) >= MIN_CLASS_SHARE * rows
}

/**
 * The target extraction suggests: the one eligible balanced category whose name reads like a label.
 * None when no column or several do: a wrong guess would measure the wrong thing without a word.
 */
export function suggestTarget(columns: readonly ColumnMeta[]): string | undefined {
  const labels = targetCandidates(columns).filter((column) => isBalancedClass(column) && looksLikeLabel(column.name))
  return labels.length === 1 ? labels[0].name : undefined
}
