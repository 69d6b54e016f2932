/**
 * The inputs of the Shapes part of `npm run fuzz`: tables of extreme but legal shapes (very wide, a
 * very long name, a million categories, only nulls, NaN or infinities, one row, no rows, tens of
 * thousands of part files, deeply nested structs), each written into a scratch folder.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Field, Float64, Int32, Struct, Table, tableToIPC, vectorFromArray, type DataType } from 'apache-arrow'
import { parquetWriteBuffer } from 'hyparquet-writer'
import type { ColumnSource } from 'hyparquet-writer/src/types.js'
import { Table as WasmTable, writeParquet } from 'parquet-wasm/node'
import type { Random } from '../../src/core/random.ts'
import { formatCount } from '../../src/core/formatCount.ts'

/** One shape: its label (a row of the table) and how to write it below a fresh folder, at a scale. */
export interface Shape {
  readonly label: string
  /** Writes the input below `dir` with values drawn from `random`; returns the path to give the CLI (a file or a Spark folder). */
  readonly write: Writer
}

type Writer = (dir: string, random: Random) => Promise<string>

/** `full` at this scale, never below `least` (the smallest size that still shows the shape). */
function sized(full: number, scale: number, least: number): number {
  return Math.max(least, Math.round(full * scale))
}

/** A Spark-like part file name: the n-th part of one write job. */
function partFileName(index: number): string {
  return `part-${String(index).padStart(5, '0')}-3f9c2b1e-8d4a-4c6e-9b7f-2a5d1c0e7f31-c000.snappy.parquet`
}

async function writeParquetFile(dir: string, columns: ColumnSource[]): Promise<string> {
  const file = path.join(dir, 'input.parquet')
  await writeFile(file, new Uint8Array(parquetWriteBuffer({ columnData: columns })))
  return file
}

/** A column of normal doubles and one of a few categories: what the extreme columns sit beside. */
function ordinaryColumns(rows: number, random: Random): ColumnSource[] {
  return [
    { name: 'amount', type: 'DOUBLE', data: Float64Array.from({ length: rows }, () => 100 + 15 * random.normal()) },
    { name: 'colour', type: 'STRING', data: Array.from({ length: rows }, () => ['red', 'green', 'blue'][random.int(3)]) },
  ]
}

function wideTable(columns: number): Writer {
  const rows = 200
  return (dir, random) =>
    writeParquetFile(
      dir,
      Array.from({ length: columns }, (_, c): ColumnSource => {
        const name = `c${String(c).padStart(4, '0')}`
        // A mix of the kinds metadata extraction tells apart: continuous, integer codes and categories.
        if (c % 3 === 0) return { name, type: 'DOUBLE', data: Float64Array.from({ length: rows }, () => random.normal()) }
        if (c % 3 === 1) return { name, type: 'INT32', data: Int32Array.from({ length: rows }, () => random.int(1000)) }
        return { name, type: 'STRING', data: Array.from({ length: rows }, () => `k${random.int(5)}`) }
      }),
    )
}

function longName(length: number): Writer {
  const rows = 300
  const name = Array.from({ length }, (_, i) => 'abcdefghijklmnopqrstuvwxyz_'[i % 27]).join('')
  return (dir, random) =>
    writeParquetFile(dir, [
      { name, type: 'DOUBLE', data: Float64Array.from({ length: rows }, () => random.normal()) },
      { name: `${name.slice(0, length - 1)}2`, type: 'STRING', data: Array.from({ length: rows }, () => `k${random.int(4)}`) },
      ...ordinaryColumns(rows, random),
    ])
}

/**
 * A category column where every one of `distinct` values appears, and half as many rows again repeat
 * a thousand popular ones: a sample of it repeats values (a category, not keys) yet holds tens of
 * thousands of them, which must not become a softmax as wide.
 */
function manyCategories(distinct: number): Writer {
  return (dir, random) => {
    const popular = Math.min(1_000, distinct)
    const codes = [
      ...Array.from({ length: distinct }, (_, i) => i),
      ...Array.from({ length: Math.round(distinct / 2) }, () => random.int(popular)),
    ]
    for (let i = codes.length - 1; i > 0; i--) {
      const j = random.int(i + 1)
      ;[codes[i], codes[j]] = [codes[j], codes[i]]
    }
    return writeParquetFile(dir, [
      { name: 'product', type: 'STRING', data: codes.map((i) => `product-${i.toString(36)}`) },
      ...ordinaryColumns(codes.length, random),
    ])
  }
}

function filled(name: string, rows: number, value: (i: number) => number | null): Writer {
  return (dir, random) =>
    writeParquetFile(dir, [
      { name, type: 'DOUBLE', nullable: true, data: Array.from({ length: rows }, (_, i) => value(i)) },
      ...ordinaryColumns(rows, random),
    ])
}

function allNull(rows: number): Writer {
  return (dir, random) =>
    writeParquetFile(dir, [
      { name: 'nothing', type: 'DOUBLE', nullable: true, data: Array.from({ length: rows }, () => null) },
      { name: 'no_text', type: 'STRING', nullable: true, data: Array.from({ length: rows }, () => null) },
      ...ordinaryColumns(rows, random),
    ])
}

function someRows(rows: number): Writer {
  return (dir, random) =>
    writeParquetFile(dir, [
      { name: 'id', type: 'INT32', data: Int32Array.from({ length: rows }, (_, i) => i + 1) },
      ...ordinaryColumns(rows, random),
    ])
}

/** One small part file copied `parts` times into a Spark output folder, with `_SUCCESS`. */
function manyPartFiles(parts: number): Writer {
  return async (dir, random) => {
    const folder = path.join(dir, 'table')
    await mkdir(folder)
    const one = await writeParquetFile(dir, ordinaryColumns(4, random))
    for (let i = 0; i < parts; i++) await copyFile(one, path.join(folder, partFileName(i)))
    await writeFile(path.join(folder, '_SUCCESS'), '')
    return folder
  }
}

/** A struct `depth` levels deep around one int, beside ordinary columns, written by parquet-rs (parquet-wasm). */
function nestedStructs(depth: number): Writer {
  const rows = 200
  let type: DataType = new Int32()
  for (let level = depth; level > 0; level--) type = new Struct([new Field(`level${level}`, type, true)])
  const nest = (value: number): unknown => {
    let inner: unknown = value
    for (let level = depth; level > 0; level--) inner = { [`level${level}`]: inner }
    return inner
  }
  return async (dir, random) => {
    const table = new Table({
      amount: vectorFromArray(
        Array.from({ length: rows }, () => 100 + 15 * random.normal()),
        new Float64(),
      ),
      nested: vectorFromArray(
        Array.from({ length: rows }, () => nest(random.int(50))),
        type,
      ),
    })
    const file = path.join(dir, 'input.parquet')
    await writeFile(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream'))))
    return file
  }
}

/** Every shape at this scale, in the order of the table. */
export function shapes(scale: number): Shape[] {
  const columns = sized(5_000, scale, 20)
  const distinct = sized(1_000_000, scale, 2_000)
  const parts = sized(50_000, scale, 20)
  const rows = 500
  return [
    { label: `${formatCount(columns)} columns`, write: wideTable(columns) },
    // Cheap at any scale, so always the full length.
    { label: 'a column name of 10,000 characters', write: longName(10_000) },
    { label: `a categorical column with ${formatCount(distinct)} distinct values`, write: manyCategories(distinct) },
    { label: 'all-null columns', write: allNull(rows) },
    { label: 'an all-NaN column', write: filled('not_a_number', rows, () => Number.NaN) },
    { label: 'a column of +inf and -inf', write: filled('infinite', rows, (i) => (i % 2 === 0 ? Infinity : -Infinity)) },
    { label: 'a column of +inf, -inf and numbers', write: filled('mostly_finite', rows, (i) => [Infinity, -Infinity, i, -i / 3][i % 4]) },
    { label: 'one row', write: someRows(1) },
    { label: 'zero rows', write: someRows(0) },
    { label: `${formatCount(parts)} part files`, write: manyPartFiles(parts) },
    { label: 'structs nested 40 deep', write: nestedStructs(40) },
  ]
}
