/**
 * Spark SQL data types, parsed once from their DDL (`decimal(10,2)`, `array<struct<a:int>>`) into a
 * tagged union, as Arrow's `DataType` is: consumers switch over `id`, and the compiler names every
 * switch that misses a type. The DDL text is rendered from the union, never re-parsed by consumers.
 */
import { SparkSynthError } from '../errors.ts'

/** The types without parameters, by their DDL name. */
export const SIMPLE_TYPE_IDS = ['boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'string', 'binary', 'date'] as const
export type SimpleTypeId = (typeof SIMPLE_TYPE_IDS)[number]

/** One object type per simple id (not one with a union of ids), so that a switch on `id` narrows the type itself. */
export type SimpleType = { readonly [Id in SimpleTypeId]: { readonly id: Id } }[SimpleTypeId]

const SIMPLE_IDS: ReadonlySet<string> = new Set(SIMPLE_TYPE_IDS)

/** Narrows to the types without parameters, so that a switch after it handles only the others. */
export function isSimpleType(type: SparkType): type is SimpleType {
  return SIMPLE_IDS.has(type.id)
}

export interface DecimalType {
  readonly id: 'decimal'
  readonly precision: number
  /** Negative only where Spark's legacy `allowNegativeScaleOfDecimal` wrote it. */
  readonly scale: number
}

/** `timestamp` (an instant, `utc`) or `timestamp_ntz` (a wall-clock time without a zone). */
export interface TimestampType {
  readonly id: 'timestamp'
  readonly utc: boolean
}

export interface ArrayType {
  readonly id: 'array'
  readonly element: SparkType
}

export interface MapType {
  readonly id: 'map'
  readonly key: SparkType
  readonly value: SparkType
}

export interface StructField {
  readonly name: string
  readonly type: SparkType
}

export interface StructType {
  readonly id: 'struct'
  readonly fields: readonly StructField[]
}

export type SparkType = SimpleType | DecimalType | TimestampType | ArrayType | MapType | StructType

/** For the `default` of an exhaustive switch: a type added to the union without a case is a compile error there. */
export function unhandledType(type: never): never {
  throw new Error(`Unhandled Spark type ${JSON.stringify(type)}`)
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A field name inside a nested Spark DDL type (`struct<…>`), quoted when it is not a plain identifier. */
function ddlFieldName(name: string): string {
  return IDENTIFIER.test(name) ? name : `\`${name.replace(/`/g, '``')}\``
}

/** The type as Spark SQL DDL in lower case, as the metadata document and model files store it: `decimal(10,2)`, `map<string,int>`. */
export function sparkTypeDdl(type: SparkType): string {
  if (isSimpleType(type)) return type.id
  switch (type.id) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`
    case 'timestamp':
      return type.utc ? 'timestamp' : 'timestamp_ntz'
    case 'array':
      return `array<${sparkTypeDdl(type.element)}>`
    case 'map':
      return `map<${sparkTypeDdl(type.key)},${sparkTypeDdl(type.value)}>`
    case 'struct':
      return `struct<${type.fields.map((field) => `${ddlFieldName(field.name)}:${sparkTypeDdl(field.type)}`).join(',')}>`
    default:
      return unhandledType(type)
  }
}

/** Reads DDL left to right; each method consumes one part or throws naming the whole text. */
class DdlReader {
  private position = 0

  constructor(private readonly text: string) {}

  fail(problem: string): never {
    throw new SparkSynthError(
      `malformed Spark type "${this.text}": ${problem}`,
      'Write the type as Spark SQL DDL, e.g. int, decimal(10,2), timestamp_ntz, array<string> or struct<a:int,b:string>',
    )
  }

  get done(): boolean {
    return this.position === this.text.length
  }

  /** The text from here on, for error messages. */
  private rest(): string {
    return this.done ? 'the end' : `"${this.text.slice(this.position)}" at character ${this.position + 1}`
  }

  /** Consumes `token` if it comes next. */
  accept(token: string): boolean {
    if (!this.text.startsWith(token, this.position)) return false
    this.position += token.length
    return true
  }

  expect(token: string): void {
    if (!this.accept(token)) this.fail(`expected "${token}" but found ${this.rest()}`)
  }

  /** The next match of a sticky pattern, consumed. */
  private read(pattern: RegExp, what: string): string {
    pattern.lastIndex = this.position
    const match = pattern.exec(this.text)
    if (!match) return this.fail(`expected ${what} but found ${this.rest()}`)
    this.position = pattern.lastIndex
    return match[0]
  }

  word(): string {
    return this.read(/[A-Za-z_][A-Za-z0-9_]*/y, 'a type name')
  }

  integer(what: string): number {
    return Number(this.read(/-?\d+/y, what))
  }

  /** A struct field's name: a plain identifier or a backquoted one (`` `a b` ``, with ` doubled). */
  fieldName(): string {
    if (!this.accept('`')) return this.read(/[A-Za-z_][A-Za-z0-9_]*/y, 'a field name')
    const quoted = this.read(/(?:[^`]|``)*/y, 'a field name')
    this.expect('`')
    return quoted.replace(/``/g, '`')
  }
}

function isSimpleTypeId(name: string): name is SimpleTypeId {
  return (SIMPLE_TYPE_IDS as readonly string[]).includes(name)
}

function readType(reader: DdlReader): SparkType {
  const name = reader.word()
  if (isSimpleTypeId(name)) return { id: name }
  switch (name) {
    case 'timestamp':
      return { id: 'timestamp', utc: true }
    case 'timestamp_ntz':
      return { id: 'timestamp', utc: false }
    case 'decimal': {
      reader.expect('(')
      const precision = reader.integer('a precision')
      reader.expect(',')
      const scale = reader.integer('a scale')
      reader.expect(')')
      return { id: 'decimal', precision, scale }
    }
    case 'array': {
      reader.expect('<')
      const element = readType(reader)
      reader.expect('>')
      return { id: 'array', element }
    }
    case 'map': {
      reader.expect('<')
      const key = readType(reader)
      reader.expect(',')
      const value = readType(reader)
      reader.expect('>')
      return { id: 'map', key, value }
    }
    case 'struct': {
      reader.expect('<')
      const fields: StructField[] = []
      if (!reader.accept('>')) {
        do {
          const fieldName = reader.fieldName()
          reader.expect(':')
          fields.push({ name: fieldName, type: readType(reader) })
        } while (reader.accept(','))
        reader.expect('>')
      }
      return { id: 'struct', fields }
    }
    default:
      return reader.fail(`unknown type "${name}"`)
  }
}

/**
 * Parses the DDL Spark Synth writes (`sparkTypeDdl`'s output: lower case, no spaces), e.g. a
 * metadata document's `sparkType`; anything else throws an error naming the text.
 */
export function parseSparkType(ddl: string): SparkType {
  const reader = new DdlReader(ddl)
  if (reader.done) reader.fail('the type is empty')
  const type = readType(reader)
  if (!reader.done) reader.fail(`unexpected text after the type ${sparkTypeDdl(type)}`)
  return type
}

/** Whether two types are the same, nested ones field by field. */
export function sameSparkType(a: SparkType, b: SparkType): boolean {
  return sparkTypeDdl(a) === sparkTypeDdl(b)
}

/** True for types whose values are whole numbers: the integral types and decimals of scale 0. */
export function isIntegerType(type: SparkType): boolean {
  switch (type.id) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return true
    case 'decimal':
      return type.scale === 0
    default:
      return false
  }
}

/** True for types whose values are numbers. */
export function isNumericType(type: SparkType): boolean {
  return isIntegerType(type) || type.id === 'float' || type.id === 'double' || type.id === 'decimal'
}
