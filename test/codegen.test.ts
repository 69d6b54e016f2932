import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { pythonString, sparkIdentifier } from '../src/core/codegen/pythonLiteral.ts'
import { reloadSnippet } from '../src/core/codegen/reloadSnippet.ts'
import { sparkJobScript } from '../src/core/codegen/sparkJobScript.ts'
import { sampleFolderFor, tableNameFrom, takeSampleSnippet } from '../src/core/codegen/takeSampleSnippet.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { parseSparkType } from '../src/core/io/sparkType.ts'
import type { SourceColumn } from '../src/core/io/table.ts'
import { TABLE_FORMATS, type TableFormat } from '../src/core/io/tableFormat.ts'
import { describeColumn, extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { outputColumns } from '../src/core/model/synthesizer.ts'
import { EXAMPLE_ADULT, SPARK_TABLES, tempDir } from './helpers.ts'

const HOSTILE_NAMES = [
  `it's`,
  'say "hi"',
  'back`tick``s',
  'line\nbreak\r\n',
  'tab\there',
  'café',
  '中文列',
  'emoji 🎉 👩‍👩‍👧',
  "__import__('os').system('x')",
  '"""',
  "'''",
  'trailing\\',
  'nul\u0000bell\u0007del\u007f',
  'a.b, `c` INT',
  '# not a comment',
  'lone \ud800 surrogate',
]
const HOSTILE_TABLE = "db.`ev'ents\"\n\\ 中文 🎉 __import__('os').system('x') \"\"\"\\"
const HOSTILE_TYPES = [
  'string',
  'int',
  'bigint',
  'tinyint',
  'smallint',
  'double',
  'float',
  'decimal(10,2)',
  'boolean',
  'date',
  'timestamp',
  'timestamp_ntz',
  'binary',
]

/**
 * A document whose columns carry the hostile names, over every supported type; the last is a partition.
 * All-null columns are excluded by extraction, so they are kept in by hand.
 */
function hostileDocument(): MetadataDocument {
  const columns = HOSTILE_NAMES.map((name, i) => {
    const column: SourceColumn = {
      name,
      sparkType: parseSparkType(HOSTILE_TYPES[i % HOSTILE_TYPES.length]),
      nullable: i % 3 !== 0,
      nested: false,
      partition: i === HOSTILE_NAMES.length - 1,
    }
    return { ...describeColumn(column, [null]), exclude: false, excludeReason: undefined }
  })
  const source = { path: HOSTILE_TABLE, format: 'parquet' as const, files: [], rowCount: 0, sampleSize: 0, seed: 1 }
  return { version: 1, source, columns }
}

async function metadataOf(input: string): Promise<MetadataDocument> {
  const { summary, table } = await sampleDataset(input, { rows: 2000, seed: 1 })
  return extractMetadata(summary, table)
}

/**
 * Reads a generated file with Python's own parser, without importing pyspark: the module-level string
 * and number constants, and the arguments of every StructField call.
 */
const READ_SNIPPET = String.raw`
import ast, json, sys
tree = ast.parse(open(sys.argv[1], encoding="ascii").read())
constants, fields = {}, []
for node in tree.body:
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
        try:
            constants[node.targets[0].id] = ast.literal_eval(node.value)
        except ValueError:
            pass
for node in ast.walk(tree):
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "StructField":
        name, kind, nullable = node.args
        fields.append({"name": ast.literal_eval(name), "type": kind.func.id,
                       "typeArgs": [ast.literal_eval(a) for a in kind.args], "nullable": ast.literal_eval(nullable)})
print(json.dumps({"constants": constants, "fields": fields}))
`

interface ParsedSnippet {
  constants: Record<string, unknown>
  fields: { name: string; type: string; typeArgs: number[]; nullable: boolean }[]
}

/** Writes the snippet, checks it compiles, and reads it back. */
async function compileAndRead(dir: string, fileName: string, text: string): Promise<ParsedSnippet> {
  const file = path.join(dir, fileName)
  await writeFile(file, text)
  execFileSync('python3', ['-m', 'py_compile', file])
  return JSON.parse(execFileSync('python3', ['-c', READ_SNIPPET, file], { encoding: 'utf8' })) as ParsedSnippet
}

const PYSPARK_TYPES: Record<string, string> = {
  boolean: 'BooleanType',
  tinyint: 'ByteType',
  smallint: 'ShortType',
  int: 'IntegerType',
  bigint: 'LongType',
  float: 'FloatType',
  double: 'DoubleType',
  string: 'StringType',
  binary: 'BinaryType',
  date: 'DateType',
  timestamp: 'TimestampType',
  timestamp_ntz: 'TimestampNTZType',
}

/** The Spark type a parsed StructField stands for, in the metadata's spelling. */
function sparkTypeOf(field: ParsedSnippet['fields'][number]): string {
  if (field.type === 'DecimalType') return `decimal(${field.typeArgs.join(',')})`
  const entry = Object.entries(PYSPARK_TYPES).find(([, pyspark]) => pyspark === field.type)
  assert.ok(entry, `unknown PySpark type ${field.type}`)
  return entry[0]
}

/** Splits a DDL column list into (name, type, nullable), undoing the backtick quoting. */
function parseDdl(ddl: string): { name: string; sparkType: string; nullable: boolean }[] {
  const column = /`((?:[^`]|``)*)` ([A-Z_]+(?:\(\d+,\d+\))?)( NOT NULL)?(?:, |$)/y
  const columns = []
  while (column.lastIndex < ddl.length) {
    const match = column.exec(ddl)
    assert.ok(match, `DDL does not parse at ${column.lastIndex}: ${ddl.slice(column.lastIndex)}`)
    columns.push({ name: match[1].replaceAll('``', '`'), sparkType: match[2].toLowerCase(), nullable: !match[3] })
  }
  return columns
}

async function checkReloadSnippet(
  document: MetadataDocument,
  outputFolder: string,
  format: TableFormat = 'parquet',
): Promise<ParsedSnippet> {
  const parsed = await compileAndRead(await tempDir(), 'reload_synthetic.py', reloadSnippet(document, outputFolder, format))
  const expected = outputColumns(document).map((c) => ({ name: c.name, sparkType: c.sparkType, nullable: c.nullable }))
  assert.ok(expected.length > 0)
  assert.deepEqual(
    parsed.fields.map((f) => ({ name: f.name, sparkType: sparkTypeOf(f), nullable: f.nullable })),
    expected,
  )
  assert.deepEqual(parseDdl(parsed.constants.SCHEMA_DDL as string), expected)
  assert.equal(parsed.constants.SYNTHETIC_PATH, outputFolder)
  assert.deepEqual(
    parsed.constants.PARTITION_COLUMNS,
    outputColumns(document)
      .filter((c) => c.partition)
      .map((c) => c.name),
  )
  return parsed
}

async function checkTakeSampleSnippet(options: Parameters<typeof takeSampleSnippet>[0]): Promise<void> {
  const parsed = await compileAndRead(await tempDir(), 'take_sample.py', takeSampleSnippet(options))
  assert.deepEqual(
    {
      table: parsed.constants.DEFAULT_TABLE,
      rows: parsed.constants.DEFAULT_ROWS,
      seed: parsed.constants.DEFAULT_SEED,
      output: parsed.constants.DEFAULT_OUTPUT,
    },
    options,
  )
}

test('Adult: the reload schema matches the metadata column by column; take_sample compiles', async () => {
  const document = await metadataOf(EXAMPLE_ADULT)
  await checkReloadSnippet(document, 'out/adult-synthetic')
  await checkTakeSampleSnippet({ table: 'census.adult', rows: 50_000, seed: 42, output: 'adult-sample' })
})

test('Spark table with partitions: birthday comes back as a date partition column', async () => {
  const document = await metadataOf(path.join(SPARK_TABLES, 'cdf-table'))
  const parsed = await checkReloadSnippet(document, '/tmp/cdf-synthetic')
  assert.deepEqual(parsed.constants.PARTITION_COLUMNS, ['birthday'])
  assert.equal(parsed.fields.find((f) => f.name === 'birthday')?.type, 'DateType')
  assert.match(parsed.constants.SCHEMA_DDL as string, /`birthday` DATE/)
  await checkTakeSampleSnippet({ table: '/data/warehouse/cdf-table', rows: 1000, seed: 7, output: '/tmp/cdf-sample' })
})

test('hostile names round-trip exactly through Python literals and DDL identifiers', async () => {
  const document = hostileDocument()
  for (const format of TABLE_FORMATS) {
    const parsed = await checkReloadSnippet(document, HOSTILE_TABLE, format)
    assert.deepEqual(
      parsed.fields.map((f) => f.name),
      HOSTILE_NAMES,
    )
  }
  await checkTakeSampleSnippet({ table: HOSTILE_TABLE, rows: 10, seed: -3, output: HOSTILE_NAMES.join('/') })
})

test('generate_synthetic.py: hostile names round-trip into its schema, types and partition columns', async () => {
  const document = hostileDocument()
  const parsed = await compileAndRead(await tempDir(), 'generate_synthetic.py', sparkJobScript(document))
  const expected = outputColumns(document)
  assert.deepEqual(
    parsed.fields.map((f) => ({ name: f.name, sparkType: sparkTypeOf(f), nullable: f.nullable })),
    expected.map((c) => ({ name: c.name, sparkType: c.sparkType, nullable: c.nullable })),
  )
  assert.deepEqual(parsed.constants.SPARK_TYPES, Object.fromEntries(expected.map((c) => [c.name, c.sparkType])))
  assert.deepEqual(
    parsed.constants.PARTITION_COLUMNS,
    expected.filter((c) => c.partition).map((c) => c.name),
  )
})

/** Runs take_sample.py's is_path alone (the rest needs pyspark) on each name, in a folder holding `local.parquet`. */
async function isPath(names: string[]): Promise<boolean[]> {
  const dir = await tempDir()
  await writeFile(path.join(dir, 'take_sample.py'), takeSampleSnippet({ table: 't', rows: 1, seed: 1, output: 'o' }))
  await writeFile(path.join(dir, 'local.parquet'), '')
  const script = String.raw`
import ast, json, os, re, sys
tree = ast.parse(open("take_sample.py").read())
function = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "is_path")
scope = {"os": os, "re": re}
exec(compile(ast.Module([function], []), "take_sample.py", "exec"), scope)
print(json.dumps([scope["is_path"](name) for name in json.loads(sys.argv[1])]))
`
  return JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(names)], { cwd: dir, encoding: 'utf8' })) as boolean[]
}

test('take_sample tells a path from a catalog table name', async () => {
  const cases: Record<string, boolean> = {
    'db.events': false,
    events: false,
    'spark_catalog.db.events': false,
    '/data/events': true,
    'data/events': true,
    's3a://bucket/events': true,
    'C:\\data\\events': true,
    'local.parquet': true,
  }
  assert.deepEqual(await isPath(Object.keys(cases)), Object.values(cases))
})

test('generated files are printable ASCII, so no name can break a line or depend on the file encoding', () => {
  const texts = [
    ...TABLE_FORMATS.map((format) => reloadSnippet(hostileDocument(), HOSTILE_TABLE, format)),
    takeSampleSnippet({ table: HOSTILE_TABLE, rows: 1, seed: 1, output: HOSTILE_TABLE }),
    sparkJobScript(hostileDocument()),
  ]
  for (const text of texts) assert.match(text, /^[\x20-\x7e\n]*$/)
})

test('literals: escapes for Python and Spark SQL', () => {
  assert.equal(pythonString(`it's "q" \\ \n é 中 🎉`), String.raw`'it\'s "q" \\ \n \xe9 \u4e2d \U0001f389'`)
  assert.equal(sparkIdentifier('a`b'), '`a``b`')
})

test('take_sample refuses a row count or seed it cannot write as a Python integer', () => {
  assert.throws(() => takeSampleSnippet({ table: 't', rows: 0, seed: 1, output: 'o' }), /rows must be a positive integer/)
  assert.throws(() => takeSampleSnippet({ table: 't', rows: 10, seed: 1.5, output: 'o' }), /seed must be an integer/)
})

test('reload refuses a column type it has no PySpark type for', () => {
  const column = describeColumn(
    { name: 'tags', sparkType: parseSparkType('array<string>'), nullable: true, nested: false, partition: false },
    [],
  )
  const document = { ...hostileDocument(), columns: [{ ...column, exclude: false }] }
  assert.throws(() => reloadSnippet(document, 'out'), /No PySpark type for the Spark type "array<string>"/)
})

test('the sampling snippet names its sample after the table, whether a catalog name or a path', () => {
  assert.equal(sampleFolderFor('sales.orders'), 'orders_sample', 'a catalog table: its last part')
  assert.equal(sampleFolderFor('orders'), 'orders_sample')
  assert.equal(sampleFolderFor('s3://bucket/raw/orders.parquet'), 'orders_sample', 'a path: its base name without extension')
  assert.equal(sampleFolderFor('hdfs:///warehouse/events'), 'events_sample')
  assert.equal(sampleFolderFor('db.`odd name`'), '_odd_name__sample', 'characters a folder name should not hold become _')
  assert.equal(tableNameFrom('/home/me/data/events.parquet'), 'events', 'a local copy suggests its base name, never its laptop path')
  assert.equal(tableNameFrom('/home/me/data/http requests'), 'http_requests')
})
