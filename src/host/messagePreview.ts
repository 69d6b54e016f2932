/** The start of a refused message's JSON, for a log line (`undefined`, which has no JSON, as itself). */
export function messagePreview(message: unknown): string {
  // TypeScript's lib says string, but JSON.stringify(undefined) is undefined.
  const json = JSON.stringify(message) as string | undefined
  return json === undefined ? 'undefined' : json.slice(0, 200)
}
