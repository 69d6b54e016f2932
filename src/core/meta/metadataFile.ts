import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { SparkSynthError } from '../errors.ts'
import { EXTENSION_FORMATS } from '../io/discover.ts'
import { writeFileAtomically } from '../io/staging.ts'
import { checkSchema, lazyValidator } from '../jsonSchema.ts'
import { metadataSchema } from '../schemas/metadataSchema.ts'
import { parseSparkType } from '../io/sparkType.ts'
import type { ColumnMeta, MetadataDocument } from './document.ts'
import { holdsStrings, kindsFitting, REWRITING_HANDLING } from './kinds.ts'
import { nullValuesProblem } from './nullValues.ts'
import { targetCandidates, targetProblem } from './target.ts'
import { ruleProblemText, rulesProblems } from '../rules/validate.ts'

export const METADATA_SUFFIX = '.synth-meta.json'

const compiledValidator = lazyValidator<MetadataDocument>(metadataSchema)

/** `<input>.synth-meta.json` beside the input (a folder's document sits beside the folder). */
export function defaultMetadataPath(input: string): string {
  const resolved = path.resolve(input)
  const extension = path.extname(resolved)
  return `${Object.hasOwn(EXTENSION_FORMATS, extension.toLowerCase()) ? resolved.slice(0, -extension.length) : resolved}${METADATA_SUFFIX}`
}

/**
 * `object`'s fields in the order `properties` (a schema's) lists them, unset ones left out: documents
 * diff cleanly whoever edited them, and a field added to the schema has its place without another edit.
 */
function inSchemaOrder<T extends object>(object: T, properties: object): T {
  const fields = object as Record<string, unknown>
  return Object.fromEntries(Object.keys(properties).flatMap((key) => (fields[key] === undefined ? [] : [[key, fields[key]]]))) as T
}

/** The document as text: keys in the schema's order, two-space indent, trailing newline. */
export function serializeMetadata(document: MetadataDocument): string {
  const { properties, definitions } = metadataSchema
  const canonical = inSchemaOrder(
    {
      ...document,
      source: inSchemaOrder(document.source, properties.source.properties),
      columns: document.columns.map((column) => inSchemaOrder(column, definitions.column.properties)),
    },
    properties,
  )
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
    checkSparkType(column, file)
    checkKind(column, file)
    checkSensitive(column, file)
    checkNullValues(column, file)
  }
  checkTarget(document, file)
  checkRules(document, file)
  return document
}

/** A rule that cannot be kept (a missing column, a string compared with a date, a contradiction) is refused on load, naming the rule. */
function checkRules(document: MetadataDocument, file: string): void {
  const first = rulesProblems(document).at(0)
  if (first)
    throw new SparkSynthError(ruleProblemText(first), first.hint, { file, ...(first.column === undefined ? {} : { column: first.column }) })
}

/** The utility target names a column that can be predicted: the report would fail on any other, after generating. */
function checkTarget(document: MetadataDocument, file: string): void {
  if (document.target === undefined) return
  const candidates = targetCandidates(document.columns).map((c) => c.name)
  const choose = candidates.length ? `Pick one of ${candidates.join(', ')}` : 'No column here can be predicted'
  const column = document.columns.find((c) => c.name === document.target)
  const problem = column === undefined ? 'names no column of the metadata' : targetProblem(column)
  if (problem === undefined) return
  throw new SparkSynthError(
    column === undefined ? `"target" ${problem}` : `"target" names a column that ${problem}`,
    `${choose} as "target", or remove "target" (then utility is not measured)`,
    { file, column: document.target },
  )
}

/** A hand-edited `sparkType` is refused on load, naming the column, rather than wherever it is first rendered. */
function checkSparkType(column: ColumnMeta, file: string): void {
  try {
    parseSparkType(column.sparkType)
  } catch (cause) {
    if (!(cause instanceof SparkSynthError)) throw cause
    throw new SparkSynthError(cause.problem, cause.hint, { file, column: column.name }, { cause })
  }
}

/** A kind the column's type cannot take (a date for an int column) would fail only when generating; the editor never offers it. */
function checkKind(column: ColumnMeta, file: string): void {
  const fitting = kindsFitting(column.sparkType)
  if (fitting.includes(column.kind)) return
  throw new SparkSynthError(
    `"kind": "${column.kind}" does not fit the column's ${column.sparkType} values`,
    `Use one of ${fitting.join(', ')} (the column was detected as ${column.detectedKind})`,
    { file, column: column.name },
  )
}

/** `mask` and `fake` rewrite strings: on another type they would change nothing, and the user would share the values unawares. */
function checkSensitive(column: ColumnMeta, file: string): void {
  if (!REWRITING_HANDLING.has(column.sensitive) || holdsStrings(column)) return
  throw new SparkSynthError(
    `"sensitive": "${column.sensitive}" rewrites string values only, and the column holds ${column.sparkType} values, which would be shared as drawn`,
    'Use "exclude" to leave the column out, or "keep" it (value protection clips its extremes)',
    { file, column: column.name },
  )
}

/** A marker of another type than the column's would never match, and the user would think the markers gone. */
function checkNullValues(column: ColumnMeta, file: string): void {
  const problem = column.nullValues && nullValuesProblem(column, column.nullValues)
  if (!problem) return
  throw new SparkSynthError(problem, 'Correct "nullValues", or remove it to keep every value as it is', { file, column: column.name })
}

/** Reads a metadata document; `source.path` comes back resolved against the document's folder. */
export async function readMetadataFile(file: string): Promise<MetadataDocument> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    const { code, message } = cause as NodeJS.ErrnoException
    throw new SparkSynthError(
      `cannot read the metadata document (${code ?? message})`,
      'Check the path, or extract the metadata first with `spark-synth meta <input>`',
      { file },
      { cause },
    )
  })
  const document = parseMetadata(text, file)
  return { ...document, source: { ...document.source, path: sourcePathOf(document, file) } }
}

/** Where the source of the document in `file` lies: the document names it relative to its own folder. */
export function sourcePathOf(document: MetadataDocument, file: string): string {
  return path.resolve(path.dirname(file), document.source.path)
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
