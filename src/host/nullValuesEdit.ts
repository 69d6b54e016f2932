import path from 'node:path'
import type { MetadataDocument } from '../core/meta/document.ts'
import { nullValuesProblem, withNullValues, type NullValue } from '../core/meta/nullValues.ts'
import { editedColumn, type EditOutcome } from './columnEdit.ts'

/**
 * The document with a column's missing-value markers set (null: removed) and its statistics restated from the
 * sample, read again beside the document (`file`); or why not: a stale column, markers of another type, a source
 * that cannot be read.
 */
export async function applyNullValuesEdit(
  document: MetadataDocument,
  edit: { readonly index: number; readonly name: string; readonly value: readonly NullValue[] | null },
  file: string,
): Promise<EditOutcome> {
  const column = editedColumn(document, edit)
  if (typeof column === 'string') return { problem: column }
  const problem = edit.value && nullValuesProblem(column, edit.value)
  if (problem) return { problem: `${column.name}: ${problem}` }
  try {
    return { document: await withNullValues(document, edit.index, edit.value, path.resolve(path.dirname(file), document.source.path)) }
  } catch (error) {
    return { problem: `cannot restate the statistics of ${column.name} from ${document.source.path}: ${(error as Error).message}` }
  }
}
