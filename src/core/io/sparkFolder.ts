/** A Parquet/Arrow/CSV file or a Spark output folder as a table: part-file schemas unified, hive partitions as columns. */
import { SparkSynthError } from '../errors.ts'
import { discoverDataFiles, type DataFile } from './discover.ts'
import { FOOTERS_AT_ONCE, inOrder } from './inOrder.ts'
import { convertPartitionValue, inferPartitionType, type PartitionType } from './partitions.ts'
import { sameSparkType, sparkTypeDdl, type SparkType } from './sparkType.ts'
import type { SourceColumn } from './table.ts'
import { withReader, type SourceFile, type TableSource } from './tableSource.ts'

interface FilePlan {
  readonly file: DataFile
  readonly columns: readonly SourceColumn[]
  readonly rowCount: number
}

/** Integral and floating types from narrow to wide. */
const WIDENING: readonly (readonly SparkType['id'][])[] = [
  ['tinyint', 'smallint', 'int', 'bigint'],
  ['float', 'double'],
]

/** Widening Spark allows when merging part-file schemas: within the integral types, and within the floating ones. */
function mergeTypes(a: SparkType, b: SparkType): SparkType | undefined {
  if (sameSparkType(a, b)) return a
  const ladder = WIDENING.find((types) => types.includes(a.id) && types.includes(b.id))
  return ladder && (ladder.indexOf(a.id) > ladder.indexOf(b.id) ? a : b)
}

/**
 * One schema over all part files: columns in order of first appearance, a column missing from
 * some files becomes nullable (it reads as null there), and incompatible types are an error
 * naming both files.
 */
function unifySchemas(plans: readonly FilePlan[]): SourceColumn[] {
  const merged = new Map<string, { column: SourceColumn; file: string; files: number }>()
  for (const plan of plans) {
    for (const column of plan.columns) {
      const seen = merged.get(column.name)
      if (!seen) {
        merged.set(column.name, { column, file: plan.file.path, files: 1 })
        continue
      }
      const sparkType = mergeTypes(seen.column.sparkType, column.sparkType)
      if (!sparkType) {
        throw new SparkSynthError(
          `the column is ${sparkTypeDdl(seen.column.sparkType)} in ${seen.file} but ${sparkTypeDdl(column.sparkType)} in ${plan.file.path}`,
          'The part files do not form one table: load them separately, or rewrite them with one schema',
          { file: plan.file.path, column: column.name },
        )
      }
      seen.column = { ...seen.column, sparkType, nullable: seen.column.nullable || column.nullable }
      seen.files++
    }
  }
  return [...merged.values()].map(({ column, files }) => (files < plans.length ? { ...column, nullable: true } : column))
}

/** Partition columns from the folders, typed by Spark's inference over all their values. */
function partitionColumns(
  files: readonly DataFile[],
  dataColumns: readonly SourceColumn[],
): { column: SourceColumn; type: PartitionType }[] {
  const keys: string[] = []
  for (const file of files) for (const segment of file.partitions) if (!keys.includes(segment.key)) keys.push(segment.key)
  return keys
    .filter((key) => !dataColumns.some((column) => column.name === key))
    .map((key) => {
      const values = files.map((file) => file.partitions.find((segment) => segment.key === key)?.value ?? null)
      const type = inferPartitionType(values)
      return { column: { name: key, sparkType: type, nullable: values.includes(null), nested: false, partition: true }, type }
    })
}

/** Opens every part file's footer for its schema and row count; rows are read later, on demand. */
export async function openSparkFolder(input: string): Promise<TableSource> {
  const files = await discoverDataFiles(input)
  const plans = await inOrder(files, FOOTERS_AT_ONCE, (file) =>
    withReader(file, (reader) => Promise.resolve<FilePlan>({ file, columns: reader.columns, rowCount: reader.rowCount })),
  )
  const dataColumns = unifySchemas(plans)
  const partitions = partitionColumns(files, dataColumns)
  const sourceFiles: SourceFile[] = plans.map(({ file, rowCount }) => ({
    path: file.path,
    relativePath: file.relativePath,
    format: file.format,
    rowCount,
    constants: new Map(
      partitions.map(({ column, type }) => [
        column.name,
        convertPartitionValue(file.partitions.find((s) => s.key === column.name)?.value ?? null, type),
      ]),
    ),
  }))
  return { format: files[0].format, columns: [...dataColumns, ...partitions.map((p) => p.column)], files: sourceFiles }
}
