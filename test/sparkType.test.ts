import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pysparkType } from '../src/core/codegen/sparkTypes.ts'
import { sparkJsonTypeName, sparkTypeOfJsonName } from '../src/core/io/sparkJsonType.ts'
import {
  SIMPLE_TYPE_IDS,
  isIntegerType,
  isNumericType,
  parseSparkType,
  sameSparkType,
  sparkTypeDdl,
  unhandledType,
  type SparkType,
} from '../src/core/io/sparkType.ts'

/** Every type the readers produce, as the metadata document writes it. */
const DDL = [
  ...SIMPLE_TYPE_IDS,
  'decimal(10,2)',
  'decimal(38,18)',
  'decimal(20,0)',
  'timestamp',
  'timestamp_ntz',
  'array<int>',
  'map<string,bigint>',
  'struct<a:int,b:string>',
  'struct<>',
  'array<struct<id:bigint,tags:array<string>,attributes:map<string,decimal(9,2)>>>',
  'map<string,array<struct<when:timestamp_ntz,`odd name`:date>>>',
  'struct<`a``b`:int,`1st`:double,`x.y`:boolean>',
]

test('every type the readers produce renders back to the DDL it was parsed from', () => {
  for (const ddl of DDL) assert.equal(sparkTypeDdl(parseSparkType(ddl)), ddl, ddl)
})

test('parsing builds the tagged union: parameters, time zone, nested fields with their unquoted names', () => {
  assert.deepEqual(parseSparkType('decimal(38,18)'), { id: 'decimal', precision: 38, scale: 18 })
  assert.deepEqual(parseSparkType('timestamp'), { id: 'timestamp', utc: true })
  assert.deepEqual(parseSparkType('timestamp_ntz'), { id: 'timestamp', utc: false })
  assert.deepEqual(parseSparkType('array<struct<a:int,`b c`:map<string,date>>>'), {
    id: 'array',
    element: {
      id: 'struct',
      fields: [
        { name: 'a', type: { id: 'int' } },
        { name: 'b c', type: { id: 'map', key: { id: 'string' }, value: { id: 'date' } } },
      ],
    },
  })
  assert.deepEqual(parseSparkType('struct<`a``b`:int>'), { id: 'struct', fields: [{ name: 'a`b', type: { id: 'int' } }] })
})

test('a struct field name that is not a plain identifier is quoted when rendered', () => {
  const type: SparkType = {
    id: 'struct',
    fields: [
      { name: 'a b', type: { id: 'int' } },
      { name: 'tick`', type: { id: 'string' } },
    ],
  }
  assert.equal(sparkTypeDdl(type), 'struct<`a b`:int,`tick```:string>')
  assert.deepEqual(parseSparkType(sparkTypeDdl(type)), type)
})

test('a malformed type is an error naming the text and what is wrong with it', () => {
  const cases: [string, RegExp][] = [
    ['decimal(3', /"decimal\(3": expected "," but found the end/],
    ['decimal(3,', /"decimal\(3,": expected a scale but found the end/],
    ['decimal(a,2)', /expected a precision but found "a,2\)" at character 9/],
    ['array<', /"array<": expected a type name but found the end/],
    ['array<int', /"array<int": expected ">" but found the end/],
    ['map<string>', /expected "," but found ">" at character 11/],
    ['strukt<a:int>', /"strukt<a:int>": unknown type "strukt"/],
    ['', /malformed Spark type "": the type is empty/],
    ['INT', /unknown type "INT"/],
    ['int ', /"int ": unexpected text after the type int/],
    ['struct<a int>', /expected ":" but found " int>"/],
    ['struct<`a:int>', /expected "`" but found the end/],
  ]
  for (const [ddl, message] of cases) {
    assert.throws(() => parseSparkType(ddl), message, ddl)
    assert.throws(() => parseSparkType(ddl), /Write the type as Spark SQL DDL/, ddl)
  }
})

test('predicates: whole numbers are the integral types and decimals of scale 0', () => {
  const integer = ['tinyint', 'smallint', 'int', 'bigint', 'decimal(20,0)']
  const numeric = [...integer, 'float', 'double', 'decimal(10,2)', 'decimal(38,18)']
  for (const ddl of DDL) {
    const type = parseSparkType(ddl)
    assert.equal(isIntegerType(type), integer.includes(ddl), `${ddl} is integer`)
    assert.equal(isNumericType(type), numeric.includes(ddl), `${ddl} is numeric`)
  }
  assert.ok(
    sameSparkType(parseSparkType('array<struct<a:int>>'), {
      id: 'array',
      element: { id: 'struct', fields: [{ name: 'a', type: { id: 'int' } }] },
    }),
  )
  assert.ok(!sameSparkType(parseSparkType('timestamp'), parseSparkType('timestamp_ntz')))
  assert.ok(!sameSparkType(parseSparkType('decimal(10,2)'), parseSparkType('decimal(10,3)')))
})

test('every flat type has a Spark JSON name that reads back as the same type, and a PySpark type', () => {
  const flat = DDL.filter((ddl) => !/[<]/.test(ddl)).map(parseSparkType)
  for (const type of flat) {
    const json = sparkJsonTypeName(type)
    assert.deepEqual(sparkTypeOfJsonName(json), type, json)
    assert.match(pysparkType(type), /^[A-Za-z]+Type\(/)
  }
  assert.equal(sparkJsonTypeName({ id: 'int' }), 'integer')
  assert.equal(sparkJsonTypeName({ id: 'bigint' }), 'long')
  assert.deepEqual(sparkTypeOfJsonName('decimal( 9, -2 )'), { id: 'decimal', precision: 9, scale: -2 })
  assert.equal(sparkTypeOfJsonName('variant'), undefined)
  assert.throws(() => sparkJsonTypeName(parseSparkType('array<int>')), /No Spark JSON type name for the Spark type "array<int>"/)
})

/** A switch that forgets most ids: `unhandledType` refuses it at compile time (checked by `npm run typecheck`). */
function forgetfulDdl(type: SparkType): string {
  switch (type.id) {
    case 'array':
      return 'array'
    default:
      // @ts-expect-error -- every id but 'array' reaches here, so `type` is not `never`
      return unhandledType(type)
  }
}

test('a switch over every type id is exhaustive: a new id fails to compile where it is not handled', () => {
  assert.throws(() => forgetfulDdl({ id: 'int' }), /Unhandled Spark type \{"id":"int"\}/)
  // The renderer, the JSON names, the PySpark types, the Parquet writer and the kinds each switch with
  // a `never` default; a value outside the union reaches that default and says so at run time too.
  const unknown = { id: 'interval' } as unknown as SparkType
  assert.throws(() => sparkTypeDdl(unknown), /Unhandled Spark type \{"id":"interval"\}/)
  assert.throws(() => pysparkType(unknown), /Unhandled Spark type/)
  assert.throws(() => sparkJsonTypeName(unknown), /Unhandled Spark type/)
})
