/**
 * Checks that a Parquet footer holds together before any page is read. hyparquet trusts the footer,
 * so a damaged byte there (a lost field, a renamed column chunk, a count) would otherwise surface
 * later as a hang, a crash in another column or an allocation sized by garbage.
 */
import type { FileMetaData, SchemaTree } from 'hyparquet'
import { chunkRange } from './chunkPages.ts'

/** The leaves of the schema tree, each a column chunk in every row group, in order. */
function leavesOf(node: SchemaTree): SchemaTree[] {
  return node.children.length === 0 ? [node] : node.children.flatMap(leavesOf)
}

/** Throws an Error saying what in the footer does not hold together; `footerStart` is where the footer's bytes begin. */
export function checkFooter(metadata: FileMetaData, schema: SchemaTree, footerStart: number): void {
  if (schema.count !== metadata.schema.length) {
    throw new Error(`the schema's child counts cover ${schema.count} of its ${metadata.schema.length} elements`)
  }
  metadata.schema.slice(1).forEach((element, i) => {
    // Required by Parquet for every element below the root; hyparquet reads a missing one as "optional".
    if (typeof element.name !== 'string' || element.repetition_type === undefined) {
      throw new Error(`schema element ${i + 1} has no ${typeof element.name === 'string' ? 'repetition type' : 'name'}`)
    }
  })
  const leaves = leavesOf(schema)
  metadata.row_groups.forEach((group, g) => {
    const rows = Number(group.num_rows)
    if (!(rows >= 0)) throw new Error(`row group ${g} claims ${group.num_rows} rows`)
    if (group.columns.length !== leaves.length) {
      throw new Error(`row group ${g} has ${group.columns.length} column chunks where the schema has ${leaves.length} columns`)
    }
    group.columns.forEach((chunk, c) => {
      const where = `row group ${g}, column chunk ${c}`
      const meta = chunk.meta_data
      const leaf = leaves[c]
      if (!meta) throw new Error(`${where} has no metadata`)
      if (meta.path_in_schema.join('.') !== leaf.path.join('.') || meta.type !== leaf.element.type) {
        throw new Error(
          `${where} is ${meta.path_in_schema.join('.')} (${meta.type}) where the schema has ${leaf.path.join('.')} (${leaf.element.type})`,
        )
      }
      // Every row has at least one value (a null counts) in every column.
      if (!(Number(meta.num_values) >= rows)) throw new Error(`${where} holds ${meta.num_values} values for ${rows} rows`)
      const { start, end } = chunkRange(meta)
      if (!(start >= 4 && start <= end && end <= footerStart))
        throw new Error(`${where} claims bytes ${start} to ${end}, outside the data (4 to ${footerStart})`)
    })
  })
}
