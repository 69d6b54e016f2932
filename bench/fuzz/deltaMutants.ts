/**
 * Mutants of Delta tables, each a copy of a shared table with one thing wrong: a commit's JSON, the
 * protocol or metadata, a data or log file missing or extra, or bits flipped in a file it reads.
 */
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Random } from '../../src/core/random.ts'
import { flipBits, pickSome, scaled, type Mutant } from './mutant.ts'

const COMMIT = /^\d{20}\.json$/
const LOG = '_delta_log'

/** What the mutants of one table need to know of it, read once from the source. */
interface TableFacts {
  readonly root: string
  readonly name: string
  /** Commit file names, oldest first, with their lines. */
  readonly commits: readonly { readonly name: string; readonly lines: readonly string[] }[]
  /** Every file in the table (relative paths), for bit flips and deletions. */
  readonly files: readonly string[]
  /** Paths added by some commit, as stored (URI-encoded). */
  readonly added: readonly string[]
}

async function tableFacts(root: string): Promise<TableFacts> {
  const names = (await readdir(path.join(root, LOG))).filter((name) => COMMIT.test(name)).sort()
  const commits = await Promise.all(
    names.map(async (name) => ({ name, lines: (await readFile(path.join(root, LOG, name), 'utf8')).split('\n').filter(Boolean) })),
  )
  const entries = await readdir(root, { withFileTypes: true, recursive: true })
  const files = entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)))
  const added = commits.flatMap((commit) =>
    commit.lines.flatMap((line) => {
      const action = JSON.parse(line) as { add?: { path?: unknown } }
      return typeof action.add?.path === 'string' ? [action.add.path] : []
    }),
  )
  return { root, name: path.basename(root), commits, files: files.sort(), added }
}

/** A copy of the table at `dir/<name>`, changed by `change` (which gets the copy's root). */
function tableMutant(kind: string, facts: TableFacts, damage: string, change: (copy: string) => Promise<void>): Mutant {
  return {
    case: kind,
    label: `${facts.name}, ${damage}`,
    write: async (dir) => {
      const copy = path.join(dir, facts.name)
      await cp(facts.root, copy, { recursive: true })
      await change(copy)
      return copy
    },
  }
}

const rewriteCommit = (name: string, lines: readonly string[]) => (copy: string) =>
  writeFile(path.join(copy, LOG, name), lines.map((line) => `${line}\n`).join(''))

/** Values of the wrong type for any field of an action. */
const WRONG_VALUES: readonly unknown[] = ['x', '', 7, -1, 1e300, null, true, [], {}, [1, 'a'], { path: 3 }]

/** Every path to a value inside a parsed action (objects and arrays walked). */
function valuePaths(value: unknown, prefix: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  if (value === null || typeof value !== 'object') return [prefix]
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)
  const children = keys.flatMap((key) => valuePaths((value as Record<string | number, unknown>)[key], [...prefix, key]))
  return prefix.length > 0 ? [prefix, ...children] : children
}

function withValueAt(value: unknown, at: readonly (string | number)[], replacement: unknown): unknown {
  if (at.length === 0) return replacement
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) }) as Record<string | number, unknown>
  copy[at[0]] = withValueAt(copy[at[0]], at.slice(1), replacement)
  return copy
}

/** Commit JSON broken: a line cut short, a stray character, a field of the wrong type. */
function brokenCommits(kind: string, facts: TableFacts, count: number, random: Random): Mutant[] {
  return Array.from({ length: count }, (_, i) => {
    const commit = facts.commits[random.int(facts.commits.length)]
    const lines = [...commit.lines]
    const l = random.int(lines.length)
    const line = lines[l]
    switch (i % 3) {
      case 0: {
        const cut = random.int(line.length)
        lines[l] = line.slice(0, cut)
        return tableMutant(kind, facts, `${commit.name} line ${l + 1} cut at ${cut}`, rewriteCommit(commit.name, lines))
      }
      case 1: {
        const at = random.int(line.length)
        lines[l] = `${line.slice(0, at)}${'{}[],:"\\'[random.int(9)]}${line.slice(at + 1)}`
        return tableMutant(kind, facts, `${commit.name} line ${l + 1} character ${at} replaced`, rewriteCommit(commit.name, lines))
      }
      default: {
        const action = JSON.parse(line) as unknown
        const paths = valuePaths(action)
        const at = paths[random.int(paths.length)]
        const wrong = WRONG_VALUES[random.int(WRONG_VALUES.length)]
        lines[l] = JSON.stringify(withValueAt(action, at, wrong))
        return tableMutant(
          kind,
          facts,
          `${commit.name} line ${l + 1}: ${at.join('.')} = ${JSON.stringify(wrong)}`,
          rewriteCommit(commit.name, lines),
        )
      }
    }
  })
}

/** The protocol or metadata missing, or a reader version or feature Spark Synth does not implement. */
function protocolDamage(kind: string, facts: TableFacts): Mutant[] {
  const mutants: Mutant[] = []
  for (const commit of facts.commits) {
    commit.lines.forEach((line, l) => {
      const action = JSON.parse(line) as { protocol?: Record<string, unknown>; metaData?: Record<string, unknown> }
      const without = commit.lines.filter((_, i) => i !== l)
      if (action.metaData) mutants.push(tableMutant(kind, facts, `${commit.name} without metaData`, rewriteCommit(commit.name, without)))
      if (!action.protocol) return
      mutants.push(tableMutant(kind, facts, `${commit.name} without protocol`, rewriteCommit(commit.name, without)))
      const variants: Record<string, unknown>[] = [
        { minReaderVersion: 99 },
        { minReaderVersion: 0 },
        { minReaderVersion: -1 },
        { minReaderVersion: 2.5 },
        { minReaderVersion: 3, readerFeatures: ['someFutureFeature'] },
        { minReaderVersion: 3, readerFeatures: 'deletionVectors' },
      ]
      for (const variant of variants) {
        const lines = [...commit.lines]
        lines[l] = JSON.stringify({ protocol: { ...action.protocol, ...variant } })
        mutants.push(tableMutant(kind, facts, `${commit.name} protocol ${JSON.stringify(variant)}`, rewriteCommit(commit.name, lines)))
      }
    })
  }
  return mutants
}

/** A data or log file missing, an extra one, a version missing or skipped. */
function fileDamage(kind: string, facts: TableFacts): Mutant[] {
  const log = (name: string) => path.join(LOG, name)
  const remove = (relative: string) => (copy: string) => rm(path.join(copy, relative), { force: true })
  const latest = facts.commits[facts.commits.length - 1]
  const nextVersion = (skip: number) => `${String(Number(latest.name.slice(0, 20)) + skip).padStart(20, '0')}.json`
  const mutants = [
    ...facts.added.map((added) => tableMutant(kind, facts, `data file ${added} missing`, remove(decodeURIComponent(added)))),
    ...facts.commits.map((commit) => tableMutant(kind, facts, `commit ${commit.name} missing`, remove(log(commit.name)))),
    ...facts.files
      .filter((file) => file.startsWith(LOG) && !COMMIT.test(path.basename(file)))
      .map((file) => tableMutant(kind, facts, `log file ${file} missing`, remove(file))),
    tableMutant(kind, facts, 'an extra data file no commit adds', (copy) => writeFile(path.join(copy, 'part-99999-extra.parquet'), 'PAR1')),
    tableMutant(kind, facts, `a commit ${nextVersion(2)} after a gap`, (copy) =>
      writeFile(path.join(copy, log(nextVersion(2))), latest.lines.join('\n')),
    ),
    tableMutant(kind, facts, `an empty commit ${nextVersion(1)}`, (copy) => writeFile(path.join(copy, log(nextVersion(1))), '')),
    tableMutant(kind, facts, `a commit ${nextVersion(1)} adding a file that does not exist`, (copy) =>
      writeFile(
        path.join(copy, log(nextVersion(1))),
        JSON.stringify({ add: { path: 'no-such-part.parquet', partitionValues: {}, size: 10, modificationTime: 0, dataChange: true } }),
      ),
    ),
    tableMutant(kind, facts, 'the _delta_log folder empty', async (copy) => {
      await rm(path.join(copy, LOG), { recursive: true })
      await cp(path.join(facts.root, LOG), path.join(copy, 'old-log'), { recursive: true })
      await writeFile(path.join(copy, LOG), '')
    }),
  ]
  return mutants
}

/** Bits flipped in a file the table is read from: a data file, a checkpoint, a deletion vector, a commit. */
function dataBitFlips(kind: string, facts: TableFacts, count: number, random: Random): Mutant[] {
  const candidates = facts.files.filter((file) => !file.endsWith('.crc'))
  return Array.from({ length: count }, () => {
    const file = candidates[random.int(candidates.length)]
    const flips = 1 + random.int(8)
    const seed = random.int(2 ** 31)
    return tableMutant(kind, facts, `${flips} bits flipped in ${file} (seed ${seed})`, async (copy) => {
      const target = path.join(copy, file)
      const bytes = await readFile(target)
      if (bytes.length > 0) await writeFile(target, flipBits(bytes, flips, new Random(seed)).bytes)
    })
  })
}

/** All of `mutants` at scale 1, a seeded share of them below. */
const everyAtFullScale = (mutants: Mutant[], scale: number, random: Random) => pickSome(mutants, scaled(mutants.length, scale), random)

export async function deltaMutants(tables: readonly string[], scale: number, random: Random): Promise<Mutant[]> {
  const mutants: Mutant[] = []
  for (const root of tables) {
    const facts = await tableFacts(root)
    mutants.push(
      ...brokenCommits('delta: broken commit JSON', facts, scaled(60, scale), random),
      ...everyAtFullScale(protocolDamage('delta: protocol and metaData', facts), scale, random),
      ...everyAtFullScale(fileDamage('delta: missing and extra files, versions', facts), scale, random),
      ...dataBitFlips('delta: bits flipped in its files', facts, scaled(40, scale), random),
    )
  }
  return mutants
}
