/** Quoting for text embedded in generated Python and Spark SQL. */

const NAMED_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * A Python string literal that evaluates to `text`. The output is printable ASCII only (non-ASCII as
 * `\u`/`\U` escapes), so the generated file is valid whatever encoding it is opened with, and no
 * character can end the literal or the line early.
 */
export function pythonString(text: string): string {
  let body = ''
  // Index by UTF-16 unit so that lone surrogates survive as `\udXXX`, which Python also accepts.
  for (let i = 0; i < text.length; i++) {
    const codePoint = text.codePointAt(i)
    if (codePoint === undefined) break
    if (codePoint > 0xffff) i++
    const char = String.fromCodePoint(codePoint)
    if (char in NAMED_ESCAPES) body += NAMED_ESCAPES[char]
    else if (codePoint >= 0x20 && codePoint < 0x7f) body += char
    else if (codePoint < 0x100) body += `\\x${hex(codePoint, 2)}`
    else if (codePoint <= 0xffff) body += `\\u${hex(codePoint, 4)}`
    else body += `\\U${hex(codePoint, 8)}`
  }
  return `'${body}'`
}

/** A Spark SQL identifier: backtick-quoted, a backtick inside doubled. */
export function sparkIdentifier(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`'
}

/** The Python twin of `sparkIdentifier`, for the generated scripts' names known only when they run. */
export const PYTHON_QUOTED_FUNCTION = `def quoted(name):
    """A column name as a Spark SQL identifier, so that dots and backticks in it are taken literally."""
    return "\`" + name.replace("\`", "\`\`") + "\`"
`

/** Text safe to put after `#`: one line, printable ASCII. */
export function pythonComment(text: string): string {
  return pythonString(text).slice(1, -1)
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0')
}
