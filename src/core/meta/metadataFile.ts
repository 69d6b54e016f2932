import { readFile } from 'node:fs/promises'
import path from 'node:path'
import schema from '../../../schemas/synth-meta.schema.json' with { type: 'json' }
import { SparkSynthError } from '../errors.ts'
import { EXTENSION_FORMATS } from '../io/discover.ts'
import { writeFileAtomically } from '../io/staging.ts'
import { checkSchema, lazyValidator } from '../jsonSchema.ts'
import type { ColumnMeta, MetadataDocument } from './document.ts'

export const METADATA_SUFFIX = '.synth-meta.json'

const compiledValidator = lazyValidator<MetadataDocument>(schema)

/** `<input>.synth-meta.json` beside the input (a folder's document sits beside the folder). */
export function defaultMetadataPath(input: string): string {
  const resolved = path.resolve(input)
  const extension = path.extname(resolved)
  return `${Object.hasOwn(EXTENSION_FORMATS, extension.toLowerCase()) ? resolved.slice(0, -extension.length) : resolved}${METADATA_SUFFIX}`
}

/** Column keys in their canonical order, so that documents diff cleanly whoever edited them. */
function canonicalColumn(column: ColumnMeta): ColumnMeta {
  const {
    name,
    sparkType,
    nullable,
    partition,
    detectedKind,
    kind,
    exclude,
    excludeReason,
    sensitive,
    nullFraction,
    precisionNote,
    stats,
  } = column
  return {
    name,
    sparkType,
    nullable,
    partition,
    detectedKind,
    kind,
    exclude,
    ...(excludeReason === undefined ? {} : { excludeReason }),
    sensitive,
    nullFraction,
    ...(precisionNote === undefined ? {} : { precisionNote }),
    stats,
  }
}

/** The document as text: canonical key order, two-space indent, trailing newline. */
export function serializeMetadata(document: MetadataDocument): string {
  const { $schema, version, source, columns } = document
  const { path: sourcePath, format, version: tableVersion, timestamp, files, rowCount, sampleSize, seed } = source
  const travel = { ...(tableVersion === undefined ? {} : { version: tableVersion }), ...(timestamp === undefined ? {} : { timestamp }) }
  const canonical = {
    ...($schema === undefined ? {} : { $schema }),
    version,
    source: { path: sourcePath, format, ...travel, files, rowCount, sampleSize, seed },
    columns: columns.map(canonicalColumn),
  }
  return `${JSON.stringify(canonical, null, 2)}\n`
}

/**
 * Checks an edited document against the JSON Schema and the rules the schema cannot say;
 * the error names every offending field.
 */
export function parseMetadata(text: string, file: string): MetadataDocument {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    throw new SparkSynthError(
      `the metadata is not valid JSON (${(cause as Error).message})`,
      'Fix the JSON syntax, or extract the metadata again',
      { file },
      { cause },
    )
  }
  const checked = checkSchema(compiledValidator(), parsed)
  if (!checked.valid) {
    throw new SparkSynthError(
      `the metadata document is invalid: ${checked.problems.join('; ')}`,
      'Correct these fields (the JSON Schema is schemas/synth-meta.schema.json), or extract the metadata again',
      { file },
    )
  }
  const { document } = checked
  const names = new Set<string>()
  for (const column of document.columns) {
    if (names.has(column.name)) {
      throw new SparkSynthError(`the metadata lists the column twice`, 'Remove the duplicate entry from "columns"', {
        file,
        column: column.name,
      })
    }
    names.add(column.name)
  }
  return document
}

/** Reads a metadata document; `source.path` comes back resolved against the document's folder. */
export async function readMetadataFile(file: string): Promise<MetadataDocument> {
  const text = await readFile(file, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new SparkSynthError(
      `cannot read the metadata document (${cause.code ?? cause.message})`,
      'Check the path, or extract the metadata first with `spark-synth meta <input>`',
      { file },
      { cause },
    )
  })
  const document = parseMetadata(text, file)
  return { ...document, source: { ...document.source, path: path.resolve(path.dirname(file), document.source.path) } }
}

/**
 * Writes a metadata document with `source.path` relative to its folder (so the document can be
 * committed), through a temporary file renamed into place.
 */
export async function writeMetadataFile(document: MetadataDocument, file: string): Promise<void> {
  const relative =
    path
      .relative(path.dirname(path.resolve(file)), document.source.path)
      .split(path.sep)
      .join('/') || '.'
  const text = serializeMetadata({ ...document, source: { ...document.source, path: relative } })
  await writeFileAtomically(file, text)
}
