// The JSON Schemas in schemas/ declare Spark Synth's documents for every reader (ajv here, the Python
// sampler, VS Code's JSON editor). TypeScript cannot give a JSON import literal types, which
// json-schema-to-ts's FromSchema needs to derive the document types, so each schema is mirrored
// as an `as const` module in src/core/schemas/. Run after editing a schema:
// node --import tsx scripts/schema-modules.ts (test/schemaModules.test.ts fails while a mirror is stale).
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface SchemaModule {
  /** The schema, relative to the repository. */
  readonly schema: string
  /** Its mirror, relative to the repository. */
  readonly module: string
  /** The name the mirror exports the schema under. */
  readonly name: string
}

export const SCHEMA_MODULES: readonly SchemaModule[] = [
  { schema: 'schemas/synth-meta.schema.json', module: 'src/core/schemas/metadataSchema.ts', name: 'metadataSchema' },
  { schema: 'schemas/model.schema.json', module: 'src/core/schemas/modelSchema.ts', name: 'modelSchema' },
  { schema: 'schemas/quality-report.schema.json', module: 'src/core/schemas/qualityReportSchema.ts', name: 'qualityReportSchema' },
]

/** The mirror's text, formatted as Prettier formats the repository. */
export async function renderSchemaModule({ schema, module, name }: SchemaModule): Promise<string> {
  const json: unknown = JSON.parse(await readFile(path.join(ROOT, schema), 'utf8'))
  const source = `// Generated from ${schema} by scripts/schema-modules.ts: edit the schema, then run the script.
export const ${name} = ${JSON.stringify(json)} as const
`
  const file = path.join(ROOT, module)
  return format(source, { ...(await resolveConfig(file)), filepath: file })
}

export async function readSchemaModule({ module }: SchemaModule): Promise<string> {
  return readFile(path.join(ROOT, module), 'utf8')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const entry of SCHEMA_MODULES) await writeFile(path.join(ROOT, entry.module), await renderSchemaModule(entry))
}
