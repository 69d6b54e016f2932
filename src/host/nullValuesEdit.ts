import type { MetadataDocument } from '../core/meta/document.ts'
import { parseMetadata, serializeMetadata, sourcePathOf } from '../core/meta/metadataFile.ts'
import {
  nullValuesProblem,
  restateJob,
  withRestatedColumn,
  type ColumnFigures,
  type NullValue,
  type RestateJob,
} from '../core/meta/nullValues.ts'
import { editedColumn, type EditOutcome } from './columnEdit.ts'

/**
 * The document with a column's missing-value markers set (null: removed) and its statistics restated from the
 * sample, read again from the source beside the document `file` by `restate` (the worker: the extension host
 * reads no data); or why not: a stale column, markers of another type, a source that cannot be read.
 */
export async function applyNullValuesEdit(
  document: MetadataDocument,
  edit: { readonly index: number; readonly name: string; readonly value: readonly NullValue[] | null },
  file: string,
  restate: (job: RestateJob) => Promise<ColumnFigures>,
): Promise<EditOutcome> {
  const column = editedColumn(document, edit)
  if (typeof column === 'string') return { problem: column }
  const problem = edit.value && nullValuesProblem(column, edit.value)
  if (problem) return { problem: `${column.name}: ${problem}` }
  try {
    const figures = await restate(restateJob(document, edit.index, edit.value, sourcePathOf(document, file)))
    const restated = withRestatedColumn(document, edit.index, edit.value, figures)
    // The figures crossed a process boundary: the document they make must pass the schema like any other.
    parseMetadata(serializeMetadata(restated), file)
    return { document: restated }
  } catch (error) {
    return { problem: `cannot restate the statistics of ${column.name} from ${document.source.path}: ${(error as Error).message}` }
  }
}
