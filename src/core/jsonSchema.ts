import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv'

/**
 * JSON Schema validation shared by the documents Spark Synth reads (metadata documents, model
 * manifests): validators compiled on first use (compiling costs more than loading the CLI) and
 * errors that name the field as a user would find it.
 */

/** A validator for `schema` (with `references` it may `$ref`), compiled when first called. */
export function lazyValidator<T>(schema: AnySchema, references: readonly AnySchema[] = []): () => ValidateFunction<T> {
  let validator: ValidateFunction<T> | undefined
  return () => {
    validator ??= new Ajv({
      allErrors: true,
      strict: true,
      allowUnionTypes: true,
      discriminator: true,
      schemas: [...references],
    }).compile<T>(schema)
    return validator
  }
}

/** `value[key]` when `value` is an object or array, else undefined. */
const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined

/** `columns[3] ("age").kind` for an Ajv error path like `/columns/3/kind`. */
function fieldName(document: unknown, error: ErrorObject): string {
  const parts = error.instancePath.split('/').slice(1)
  let label = ''
  let node: unknown = document
  for (const part of parts) {
    node = field(node, part)
    if (/^\d+$/.test(part)) {
      // Array items are named by their `name` (columns, weights) or `column` (encodings, plans).
      const itemName = field(node, 'name')
      const name = typeof itemName === 'string' ? itemName : field(node, 'column')
      label += `[${part}]${typeof name === 'string' ? ` ("${name}")` : ''}`
    } else {
      label += label ? `.${part}` : part
    }
  }
  const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined
  const extra = error.keyword === 'additionalProperties' ? (error.params as { additionalProperty: string }).additionalProperty : undefined
  const leaf = missing ?? extra
  return leaf ? (label ? `${label}.${leaf}` : leaf) : label || '(document)'
}

function describeError(document: unknown, error: ErrorObject): string {
  const field = fieldName(document, error)
  if (error.keyword === 'required') return `${field} is missing`
  if (error.keyword === 'additionalProperties') return `${field} is not a known field`
  if (error.keyword === 'discriminator') {
    const { tag, tagValue } = error.params as { tag: string; tagValue: unknown }
    return `${field}.${tag} ${JSON.stringify(tagValue)} is not one this format knows`
  }
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
  return `${field} ${allowed ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : (error.message ?? 'is invalid')}`
}

export type SchemaCheck<T> =
  { readonly valid: true; readonly document: T } | { readonly valid: false; readonly problems: readonly string[] }

/** Validates `document`; when invalid, says what is wrong, one phrase per field (the first `limit`). */
export function checkSchema<T>(validate: ValidateFunction<T>, document: unknown, limit = 5): SchemaCheck<T> {
  if (validate(document)) return { valid: true, document }
  return { valid: false, problems: (validate.errors ?? []).slice(0, limit).map((error) => describeError(document, error)) }
}

/** A document type as read: JSON Schema types (json-schema-to-ts' FromSchema) are mutable, documents are not. */
export type DeepReadonly<T> = T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T
