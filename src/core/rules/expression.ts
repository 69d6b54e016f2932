/**
 * The arithmetic of expression rules: numbers, + - * /, unary minus, parentheses and column names in
 * backquotes (a backquote inside a name is doubled, as in Spark SQL). Parsed, never evaluated as code;
 * python/spark_synth/rules.py reads the same grammar.
 */

export type Expression =
  | { readonly op: 'number'; readonly value: number }
  | { readonly op: 'column'; readonly name: string }
  | { readonly op: 'negate'; readonly operand: Expression }
  | { readonly op: '+' | '-' | '*' | '/'; readonly left: Expression; readonly right: Expression }

/** The longest expression a rule may hold (the schema's `expression.maxLength`; the editor's protocol says it too). */
export const MAX_EXPRESSION_LENGTH = 2000

/** Thrown with where the text stops making sense; callers name the rule. */
export class ExpressionError extends Error {}

/** A column name as expressions and rule descriptions write it. */
export function quoteName(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``
}

type Token =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'name'; readonly value: string }
  | { readonly type: 'symbol'; readonly value: string }

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const char = text[i]
    if (/\s/.test(char)) {
      i++
    } else if ('+-*/()'.includes(char)) {
      tokens.push({ type: 'symbol', value: char })
      i++
    } else if (char === '`') {
      let name = ''
      i++
      for (;;) {
        if (i >= text.length) throw new ExpressionError(`a column name opened with \` is not closed`)
        if (text[i] === '`' && text[i + 1] === '`') {
          name += '`'
          i += 2
        } else if (text[i] === '`') {
          i++
          break
        } else name += text[i++]
      }
      if (name === '') throw new ExpressionError('an empty column name (``)')
      tokens.push({ type: 'name', value: name })
    } else {
      const number = NUMBER.exec(text.slice(i))
      if (!number) throw new ExpressionError(`unexpected "${char}" at character ${i + 1} (column names go in backquotes: \`name\`)`)
      tokens.push({ type: 'number', value: Number(number[0]) })
      i += number[0].length
    }
  }
  return tokens
}

/** The expression's tree; throws ExpressionError saying what is wrong. */
export function parseExpression(text: string): Expression {
  const tokens = tokenize(text)
  let at = 0
  const peek = () => tokens[at] as Token | undefined
  const symbol = (value: string) => peek()?.type === 'symbol' && peek()?.value === value
  const sum = (): Expression => {
    let left = product()
    while (symbol('+') || symbol('-')) {
      const op = tokens[at++].value as '+' | '-'
      left = { op, left, right: product() }
    }
    return left
  }
  const product = (): Expression => {
    let left = unary()
    while (symbol('*') || symbol('/')) {
      const op = tokens[at++].value as '*' | '/'
      left = { op, left, right: unary() }
    }
    return left
  }
  const unary = (): Expression => {
    if (symbol('-')) {
      at++
      return { op: 'negate', operand: unary() }
    }
    return atom()
  }
  const atom = (): Expression => {
    const token = tokens[at++] as Token | undefined
    if (!token) throw new ExpressionError('the expression ends early')
    if (token.type === 'number') return { op: 'number', value: token.value }
    if (token.type === 'name') return { op: 'column', name: token.value }
    if (token.value === '(') {
      const inner = sum()
      if (!symbol(')')) throw new ExpressionError('a "(" is not closed')
      at++
      return inner
    }
    throw new ExpressionError(`unexpected "${token.value}"`)
  }
  const tree = sum()
  if (at < tokens.length)
    throw new ExpressionError(
      `unexpected ${tokens[at].type === 'name' ? quoteName(String(tokens[at].value)) : `"${tokens[at].value}"`} after a complete expression`,
    )
  return tree
}

/** The columns an expression reads, each once, in order of appearance. */
export function expressionColumns(expression: Expression): string[] {
  const names = new Set<string>()
  const visit = (node: Expression): void => {
    if (node.op === 'column') names.add(node.name)
    else if (node.op === 'negate') visit(node.operand)
    else if (node.op !== 'number') {
      visit(node.left)
      visit(node.right)
    }
  }
  visit(expression)
  return [...names]
}

/** The expression's value; null when an operand is null or the result is not a finite number (a division by zero). */
export function evaluateExpression(expression: Expression, value: (name: string) => number | null): number | null {
  const evaluate = (node: Expression): number | null => {
    switch (node.op) {
      case 'number':
        return node.value
      case 'column':
        return value(node.name)
      case 'negate': {
        const operand = evaluate(node.operand)
        return operand === null ? null : -operand
      }
      default: {
        const left = evaluate(node.left)
        const right = evaluate(node.right)
        if (left === null || right === null) return null
        const result = node.op === '+' ? left + right : node.op === '-' ? left - right : node.op === '*' ? left * right : left / right
        return Number.isFinite(result) ? result : null
      }
    }
  }
  return evaluate(expression)
}
