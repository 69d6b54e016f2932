import type { MetadataDocument } from '../core/meta/document.ts'
import { targetProblem, withoutTarget } from '../core/meta/target.ts'
import type { EditOutcome } from './columnEdit.ts'

/** The document with its utility target set (null removes it), or why the column cannot be one. */
export function applyTargetEdit(document: MetadataDocument, column: string | null): EditOutcome {
  if (column === null) return { document: withoutTarget(document) }
  const chosen = document.columns.find((c) => c.name === column)
  if (!chosen) return { problem: `the target "${column}" is not a column of the document` }
  const problem = targetProblem(chosen)
  if (problem !== undefined) return { problem: `the target "${column}" ${problem}` }
  return { document: { ...document, target: column } }
}
