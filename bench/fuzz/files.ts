/**
 * The Files part of `npm run fuzz`: seeded mutations of the shared Parquet files, of small Arrow
 * files and of the shared Delta tables, each read through the product's public entry in a child
 * process. Each must read, or be refused with a SparkSynthError naming it; anything else is `other`.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Bool, DateMillisecond, Field, Float64, Int32, List, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow'
import { Random } from '../../src/core/random.ts'
import {
  arrowBoundaries,
  bitFlips,
  footerDamage,
  pageHeaderDamage,
  parquetTruncations,
  truncations,
  type SourceBytes,
} from './byteMutants.ts'
import { deltaMutants } from './deltaMutants.ts'
import { IsolatedReader } from './isolatedReader.ts'
import { pickSome, scaled, type Mutant } from './mutant.ts'
import type { FuzzOptions, FuzzPart, FuzzRow } from './part.ts'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
const SHARED_DATA = path.resolve(ROOT, '..', 'shared', 'data')
const PARQUET_FILES = path.join(SHARED_DATA, 'parquet')
const DELTA_TABLES = path.join(SHARED_DATA, 'delta')
/** A Spark-written part file of the repository's example, larger than the interop files. */
const ADULT_PART = path.join(ROOT, 'examples', 'adult', 'part-00000-79e0b2a8-7954-46e5-9ac9-3305371f27d4-c000.snappy.parquet')
const EXAMPLES_PER_CASE = 3

/**
 * Left out as a source: its one value is a string of more than 512 MiB, so even the clean file takes
 * seconds and gigabytes to refuse (reader.test.ts checks that it is refused); its mutants would measure that, not the damage.
 */
const TOO_LARGE_TO_FUZZ = 'large_string_map.brotli.parquet'

async function parquetSources(): Promise<SourceBytes[]> {
  const names = (await readdir(PARQUET_FILES)).filter((name) => name !== TOO_LARGE_TO_FUZZ).sort()
  const files = [...names.map((name) => path.join(PARQUET_FILES, name)), ADULT_PART]
  return Promise.all(files.map(async (file) => ({ name: path.basename(file), bytes: new Uint8Array(await readFile(file)) })))
}

/** A small Arrow table of the common types, nested lists and nulls included, as an IPC file and as a stream. */
function arrowSources(): SourceBytes[] {
  const rows = 200
  const table = new Table({
    id: vectorFromArray(Int32Array.from({ length: rows }, (_, i) => i)),
    score: vectorFromArray(
      Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : i / 3)),
      new Float64(),
    ),
    name: vectorFromArray(
      Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : `name ${i % 13}`)),
      new Utf8(),
    ),
    flag: vectorFromArray(
      Array.from({ length: rows }, (_, i) => i % 2 === 0),
      new Bool(),
    ),
    day: vectorFromArray(
      Array.from({ length: rows }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i))),
      new DateMillisecond(),
    ),
    tags: vectorFromArray(
      Array.from({ length: rows }, (_, i) => Array.from({ length: i % 4 }, (_, j) => j)),
      new List(new Field('item', new Int32(), true)),
    ),
  })
  return [
    { name: 'small.arrow', bytes: tableToIPC(table, 'file') },
    { name: 'small-stream.ipc', bytes: tableToIPC(table, 'stream') },
  ]
}

async function allMutants({ seed, scale }: FuzzOptions): Promise<Mutant[]> {
  const random = new Random(seed)
  const parquet = await parquetSources()
  const arrow = arrowSources()
  const tables = (await readdir(DELTA_TABLES)).sort().map((name) => path.join(DELTA_TABLES, name))
  return [
    ...parquet.flatMap((source) => bitFlips('parquet: bit flips', source, scaled(40, scale), random)),
    ...parquet.flatMap((source) => parquetTruncations('parquet: truncations at structure boundaries', source, scaled(40, scale), random)),
    ...parquet.flatMap((source) => pageHeaderDamage('parquet: page headers and lengths', source, scaled(10, scale), random)),
    ...parquet.flatMap((source) => footerDamage('parquet: footer and schema', source, scaled(24, scale), random)),
    ...arrow.flatMap((source) => bitFlips('arrow: bit flips', source, scaled(100, scale), random)),
    ...arrow.flatMap((source) =>
      truncations('arrow: truncations at 8-byte boundaries', source, pickSome(arrowBoundaries(source.bytes), scaled(60, scale), random)),
    ),
    ...(await deltaMutants(tables, scale, random)),
  ]
}

/** Reads one case's mutants in a fresh child, so that the peak RSS is the case's own. */
async function tryCase(name: string, mutants: readonly Mutant[], scratch: string): Promise<FuzzRow> {
  const outcomes = { read: 0, refused: 0, other: 0 }
  const examples: string[] = []
  let peakRssMb = 0
  const reader = new IsolatedReader()
  try {
    for (const [index, mutant] of mutants.entries()) {
      const dir = path.join(scratch, String(index))
      await mkdir(dir)
      const reply = await reader.read(await mutant.write(dir))
      await rm(dir, { recursive: true, force: true })
      outcomes[reply.outcome]++
      peakRssMb = Math.max(peakRssMb, reply.peakRssMb)
      if (reply.outcome === 'other' && examples.length < EXAMPLES_PER_CASE) examples.push(`${mutant.label}: ${reply.detail ?? ''}`)
    }
  } finally {
    await reader.close()
  }
  return {
    part: 'files',
    case: `${name} (child peak RSS ${peakRssMb.toFixed(0)} MB)`,
    tried: mutants.length,
    outcomes,
    mustBeZero: ['other'],
    examples,
  }
}

export const filesPart: FuzzPart = async (options) => {
  const cases = new Map<string, Mutant[]>()
  const mutants = await allMutants(options)
  for (const mutant of mutants.filter(({ label }) => options.only === undefined || label.includes(options.only))) {
    const same = cases.get(mutant.case) ?? []
    same.push(mutant)
    cases.set(mutant.case, same)
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'spark-synth-fuzz-'))
  try {
    const rows: FuzzRow[] = []
    for (const [name, mutants] of cases) rows.push(await tryCase(name, mutants, scratch))
    return rows
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}
