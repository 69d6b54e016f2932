/**
 * A Delta table's state at one version, rebuilt from its log as the Delta protocol prescribes: the
 * newest complete checkpoint at or before the version (classic, multi-part or V2 with sidecars),
 * then every JSON commit after it, in order. Data files are never listed: only the log says which
 * files are live.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { parquetReadObjects, parquetMetadataAsync, parquetSchema } from 'hyparquet'
import { PAGE_CODECS } from '../pageCodecs.ts'
import { SparkSynthError, describeCause } from '../../errors.ts'
import { openFileBuffer } from '../fileBuffer.ts'
import type { DeletionVectorDescriptor } from './deletionVector.ts'

export const DELTA_LOG = '_delta_log'

export interface DeltaProtocol {
  readonly minReaderVersion: number
  readonly minWriterVersion: number
  readonly readerFeatures?: readonly string[]
}

export interface DeltaMetadata {
  readonly id?: string
  readonly schemaString: string
  readonly partitionColumns: readonly string[]
  readonly configuration?: Readonly<Record<string, string>>
}

/** A live data file: an `add` action that no later `remove` cancelled. */
export interface DeltaAddFile {
  /** Relative to the table's root, URI-encoded (or an absolute URI). */
  readonly path: string
  readonly partitionValues: Readonly<Record<string, string | null>>
  readonly size: number
  /** JSON text with `numRecords`, min/max and null counts, when the writer kept statistics. */
  readonly stats?: string | null
  readonly deletionVector?: DeletionVectorDescriptor | null
}

export interface DeltaSnapshot {
  readonly version: number
  /** When the version was committed (in-commit timestamp, else the commit file's time), epoch ms. */
  readonly timestamp: number
  readonly protocol: DeltaProtocol
  readonly metadata: DeltaMetadata
  readonly files: readonly DeltaAddFile[]
}

/** Which version to read: the latest, a version number, or the latest committed at or before an instant. */
export interface DeltaTimeTravel {
  readonly version?: number
  readonly timestamp?: Date
}

/** Reader features whose meaning Spark Synth implements; anything else is refused by name. */
const SUPPORTED_READER_FEATURES = [
  'columnMapping',
  'deletionVectors',
  'timestampNtz',
  'v2Checkpoint',
  'vacuumProtocolCheck',
  'typeWidening',
  'typeWidening-preview',
]
const MAX_READER_VERSION = 3

interface Action {
  readonly protocol?: DeltaProtocol
  readonly metaData?: DeltaMetadata
  readonly add?: DeltaAddFile
  readonly remove?: { readonly path: string; readonly deletionVector?: DeletionVectorDescriptor | null }
  readonly sidecar?: { readonly path: string }
  readonly commitInfo?: { readonly inCommitTimestamp?: number }
}

interface Checkpoint {
  readonly version: number
  /** The files holding it: the parts of a multi-part checkpoint, or the one file. */
  readonly files: readonly string[]
}

interface LogListing {
  readonly commits: ReadonlyMap<number, string>
  readonly checkpoints: readonly Checkpoint[]
}

const COMMIT = /^(\d{20})\.json$/
const CLASSIC_CHECKPOINT = /^(\d{20})\.checkpoint\.parquet$/
const MULTI_PART_CHECKPOINT = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/
const V2_CHECKPOINT = /^(\d{20})\.checkpoint\.[0-9a-fA-F-]{36}\.(json|parquet)$/

const DAMAGED_HINT = 'The Delta log is damaged: restore the file from a backup, or read the table at an earlier version with --version'

/** The log's commits and complete checkpoints, from one listing of `_delta_log/`. */
async function listLog(table: string): Promise<LogListing> {
  const logFolder = path.join(table, DELTA_LOG)
  const names = await readdir(logFolder).catch((cause: unknown) => {
    throw new SparkSynthError(
      `cannot list the Delta log (${describeCause(cause)})`,
      'Check that the folder is a Delta table and readable',
      { file: table },
      { cause },
    )
  })
  const commits = new Map<number, string>()
  const checkpoints: Checkpoint[] = []
  const parts = new Map<string, { version: number; total: number; files: string[] }>()
  for (const name of names) {
    const file = path.join(logFolder, name)
    let match: RegExpExecArray | null
    if ((match = COMMIT.exec(name))) commits.set(Number(match[1]), file)
    else if ((match = CLASSIC_CHECKPOINT.exec(name) ?? V2_CHECKPOINT.exec(name)))
      checkpoints.push({ version: Number(match[1]), files: [file] })
    else if ((match = MULTI_PART_CHECKPOINT.exec(name))) {
      const key = `${match[1]}.${match[3]}`
      const set = parts.get(key) ?? { version: Number(match[1]), total: Number(match[3]), files: [] }
      set.files.push(file)
      parts.set(key, set)
    }
  }
  // A multi-part checkpoint counts only when all its parts are there (a writer may have died midway).
  for (const set of parts.values()) if (set.files.length === set.total) checkpoints.push({ version: set.version, files: set.files.sort() })
  checkpoints.sort((a, b) => a.version - b.version)
  return { commits, checkpoints }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isOptional = (value: unknown, type: 'string' | 'number') => value === undefined || value === null || typeof value === type

function deletionVectorProblem(dv: unknown): string | undefined {
  if (dv === undefined || dv === null) return undefined
  const sound =
    isRecord(dv) &&
    typeof dv.storageType === 'string' &&
    typeof dv.pathOrInlineDv === 'string' &&
    typeof dv.sizeInBytes === 'number' &&
    typeof dv.cardinality === 'number' &&
    isOptional(dv.offset, 'number')
  return sound ? undefined : 'deletionVector'
}

/**
 * The first field of an action that does not have the type this reader relies on, if any: the log
 * is JSON from disk (or a checkpoint's rows), and a damaged one must be refused, not half-trusted.
 */
function malformedField(action: unknown): string | undefined {
  if (!isRecord(action)) return 'the action itself (not a JSON object)'
  const { add, remove, metaData, sidecar, commitInfo } = action
  if (add !== undefined) {
    if (!isRecord(add)) return 'add'
    if (typeof add.path !== 'string') return 'add.path'
    if (typeof add.size !== 'number') return 'add.size'
    if (!isRecord(add.partitionValues)) return 'add.partitionValues'
    if (!isOptional(add.stats, 'string')) return 'add.stats'
    const dv = deletionVectorProblem(add.deletionVector)
    if (dv) return `add.${dv}`
  }
  if (remove !== undefined) {
    if (!isRecord(remove) || typeof remove.path !== 'string') return 'remove.path'
    const dv = deletionVectorProblem(remove.deletionVector)
    if (dv) return `remove.${dv}`
  }
  if (metaData !== undefined) {
    if (!isRecord(metaData) || typeof metaData.schemaString !== 'string') return 'metaData.schemaString'
    const columns = metaData.partitionColumns
    if (!Array.isArray(columns) || !columns.every((column) => typeof column === 'string')) return 'metaData.partitionColumns'
    if (metaData.configuration !== undefined && metaData.configuration !== null && !isRecord(metaData.configuration)) {
      return 'metaData.configuration'
    }
  }
  if (sidecar !== undefined && (!isRecord(sidecar) || typeof sidecar.path !== 'string')) return 'sidecar.path'
  if (commitInfo !== undefined && (!isRecord(commitInfo) || !isOptional(commitInfo.inCommitTimestamp, 'number'))) {
    return 'commitInfo.inCommitTimestamp'
  }
  return undefined
}

/** `actions` once each is checked to have the shape the reader relies on. */
function checkedActions(actions: readonly unknown[], file: string, table: string, version: number): Action[] {
  actions.forEach((action, index) => {
    const field = malformedField(action)
    if (field) {
      throw new SparkSynthError(
        `version ${version} of the Delta log is corrupt: action ${index + 1} of ${path.basename(file)} has a malformed ${field}`,
        DAMAGED_HINT,
        { file: table },
      )
    }
  })
  return actions as Action[]
}

/** Actions of a JSON file (a commit or a V2 checkpoint): one JSON object per line. */
async function readJsonActions(file: string, table: string, version: number): Promise<Action[]> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new SparkSynthError(
      `version ${version} of the Delta log cannot be read (${describeCause(cause)})`,
      DAMAGED_HINT,
      { file: table },
      { cause },
    )
  })
  const actions = text.split('\n').flatMap((line, index) => {
    if (!line.trim()) return []
    try {
      return [JSON.parse(line) as unknown]
    } catch (cause) {
      throw new SparkSynthError(
        `version ${version} of the Delta log is corrupt: line ${index + 1} of ${path.basename(file)} is not valid JSON`,
        DAMAGED_HINT,
        { file: table },
        { cause },
      )
    }
  })
  return checkedActions(actions, file, table, version)
}

/** 64-bit integers from Parquet as numbers: sizes, offsets and counts stay far below 2^53. */
function withNumbers(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (Array.isArray(value)) return value.map(withNumbers)
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withNumbers(inner)]))
  }
  return value
}

const CHECKPOINT_COLUMNS = ['protocol', 'metaData', 'add', 'remove', 'sidecar']

/** Actions of a Parquet checkpoint or sidecar file: a row per action, one non-null column each. */
async function readParquetActions(file: string, table: string, version: number): Promise<Action[]> {
  const buffer = await openFileBuffer(file).catch((cause: unknown) => {
    throw new SparkSynthError(
      `the checkpoint of version ${version} names ${path.basename(file)}, which cannot be opened (${describeCause(cause)})`,
      DAMAGED_HINT,
      { file: table },
      { cause },
    )
  })
  try {
    const metadata = await parquetMetadataAsync(buffer)
    const present = parquetSchema(metadata).children.map((child) => child.element.name)
    const rows = await parquetReadObjects({
      file: buffer,
      metadata,
      columns: CHECKPOINT_COLUMNS.filter((c) => present.includes(c)),
      compressors: PAGE_CODECS,
    })
    const actions = rows.map((row) => withNumbers(Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined))))
    return checkedActions(actions, file, table, version)
  } catch (cause) {
    if (cause instanceof SparkSynthError) throw cause
    throw new SparkSynthError(
      `the checkpoint of version ${version} is corrupt: ${path.basename(file)} (${describeCause(cause)})`,
      DAMAGED_HINT,
      { file: table },
      { cause },
    )
  } finally {
    await buffer.close()
  }
}

/** Every action of a checkpoint, its V2 sidecars' included. */
async function readCheckpoint(checkpoint: Checkpoint, table: string): Promise<Action[]> {
  const actions: Action[] = []
  for (const file of checkpoint.files) {
    actions.push(
      ...(file.endsWith('.json')
        ? await readJsonActions(file, table, checkpoint.version)
        : await readParquetActions(file, table, checkpoint.version)),
    )
  }
  const sidecars = actions.flatMap((action) => (action.sidecar ? [action.sidecar.path] : []))
  for (const sidecar of sidecars) {
    actions.push(
      ...(await readParquetActions(path.join(table, DELTA_LOG, '_sidecars', decodeURIComponent(sidecar)), table, checkpoint.version)),
    )
  }
  return actions
}

/** A file's identity in the log: its path and, once rows are deleted from it, its deletion vector. */
function fileKey(action: { readonly path: string; readonly deletionVector?: DeletionVectorDescriptor | null }): string {
  const dv = action.deletionVector
  return dv ? `${action.path}\u0000${dv.storageType}${dv.pathOrInlineDv}@${dv.offset ?? ''}` : action.path
}

/** Commit timestamps of every version, in-commit ones where written, made increasing as Spark does. */
async function commitTimestamps(listing: LogListing, table: string): Promise<Map<number, number>> {
  const times = new Map<number, number>()
  let previous = -Infinity
  for (const [version, file] of [...listing.commits].sort(([a], [b]) => a - b)) {
    const first = (await readJsonActions(file, table, version)).find((action) => action.commitInfo)
    const time = first?.commitInfo?.inCommitTimestamp ?? (await stat(file)).mtimeMs
    previous = Math.max(Math.floor(time), previous + 1)
    times.set(version, previous)
  }
  return times
}

function formatInstant(millis: number): string {
  return new Date(millis).toISOString()
}

/** The version to read, from the time-travel request, checked against what the log holds. */
async function chooseVersion(
  listing: LogListing,
  travel: DeltaTimeTravel,
  table: string,
): Promise<{ version: number; times?: Map<number, number> }> {
  const versions = [...listing.commits.keys(), ...listing.checkpoints.map((c) => c.version)]
  if (versions.length === 0) {
    throw new SparkSynthError('the Delta log holds no commits', 'The table was never committed: write it with Spark first', { file: table })
  }
  const latest = Math.max(...versions)
  if (travel.version !== undefined) {
    if (!Number.isSafeInteger(travel.version) || travel.version < 0 || travel.version > latest) {
      throw new SparkSynthError(
        `version ${travel.version} does not exist: the log's versions end at ${latest}`,
        `Pass --version between 0 and ${latest}`,
        { file: table },
      )
    }
    return { version: travel.version }
  }
  if (travel.timestamp === undefined) return { version: latest }
  const times = await commitTimestamps(listing, table)
  const wanted = travel.timestamp.getTime()
  const ordered = [...times.entries()].sort((a, b) => a[0] - b[0])
  const [firstVersion, firstTime] = ordered[0] ?? [latest, Infinity]
  const [, lastTime] = ordered[ordered.length - 1] ?? [latest, -Infinity]
  if (wanted < firstTime) {
    throw new SparkSynthError(
      `the timestamp ${travel.timestamp.toISOString()} is before the earliest version available (${firstVersion}, committed ${formatInstant(firstTime)})`,
      `Pass a --timestamp at or after ${formatInstant(firstTime)}`,
      { file: table },
    )
  }
  if (wanted > lastTime) {
    throw new SparkSynthError(
      `the timestamp ${travel.timestamp.toISOString()} is after the latest version (${latest}, committed ${formatInstant(lastTime)})`,
      `Pass a --timestamp at or before ${formatInstant(lastTime)}, or leave it out to read the latest version`,
      { file: table },
    )
  }
  // The earliest version is at or before the wanted instant (checked above).
  const [version] = ordered.filter(([, time]) => time <= wanted).pop() ?? [firstVersion]
  return { version, times }
}

function checkProtocol(protocol: DeltaProtocol | undefined, table: string, version: number): DeltaProtocol {
  if (!protocol) throw new SparkSynthError(`version ${version} of the Delta log has no protocol action`, DAMAGED_HINT, { file: table })
  // The log is JSON from disk: a protocol of the wrong shape is damage, not a version to compare.
  const features: unknown = protocol.readerFeatures ?? []
  if (
    !Number.isInteger(protocol.minReaderVersion) ||
    protocol.minReaderVersion < 1 ||
    !Array.isArray(features) ||
    !features.every((feature) => typeof feature === 'string')
  ) {
    throw new SparkSynthError(
      `version ${version} of the Delta log has a malformed protocol action (${JSON.stringify(protocol)})`,
      DAMAGED_HINT,
      {
        file: table,
      },
    )
  }
  if (protocol.minReaderVersion > MAX_READER_VERSION) {
    throw new SparkSynthError(
      `version ${version} needs Delta reader version ${protocol.minReaderVersion}; Spark Synth reads up to ${MAX_READER_VERSION}`,
      'Write a copy of the table with Spark without the newer features (or with take_sample.py) and load that',
      { file: table },
    )
  }
  const unsupported = (protocol.readerFeatures ?? []).filter((feature) => !SUPPORTED_READER_FEATURES.includes(feature))
  if (unsupported.length > 0) {
    throw new SparkSynthError(
      `version ${version} uses the Delta reader feature${unsupported.length > 1 ? 's' : ''} ${unsupported.join(', ')}, which Spark Synth does not support`,
      `Write a copy of the table with Spark without ${unsupported.length > 1 ? 'them' : 'it'} (or sample it with take_sample.py) and load that`,
      { file: table },
    )
  }
  return protocol
}

/** The table's state at the requested version (default: the latest). */
export async function readDeltaSnapshot(table: string, travel: DeltaTimeTravel = {}): Promise<DeltaSnapshot> {
  const listing = await listLog(table)
  const { version, times } = await chooseVersion(listing, travel, table)
  const checkpoint = listing.checkpoints.filter((c) => c.version <= version).pop()
  const start = checkpoint ? checkpoint.version + 1 : 0
  const commitFiles = new Map<number, string>()
  for (let v = start; v <= version; v++) {
    const file = listing.commits.get(v)
    if (file === undefined) {
      const problem = checkpoint
        ? `commit ${v} is missing from the Delta log (after the checkpoint at version ${checkpoint.version})`
        : `commit ${v} is missing from the Delta log and no checkpoint covers it`
      throw new SparkSynthError(problem, `${DAMAGED_HINT}; versions before it may have been cleaned up by VACUUM or log retention`, {
        file: table,
      })
    }
    commitFiles.set(v, file)
  }

  let protocol: DeltaProtocol | undefined
  let metadata: DeltaMetadata | undefined
  let inCommitTimestamp: number | undefined
  const live = new Map<string, DeltaAddFile>()
  // Removes before adds: a writer may put a file's new `add` ahead of the `remove` of its old state in one commit.
  const apply = (actions: readonly Action[]) => {
    for (const action of actions) {
      if (action.protocol) protocol = action.protocol
      if (action.metaData) metadata = action.metaData
      if (action.remove) live.delete(fileKey(action.remove))
    }
    for (const action of actions) if (action.add) live.set(fileKey(action.add), action.add)
  }
  if (checkpoint) apply(await readCheckpoint(checkpoint, table))
  for (const [v, file] of commitFiles) {
    const actions = await readJsonActions(file, table, v)
    // The protocol is checked before a commit's other actions are trusted: a newer feature may change their meaning.
    const newProtocol = actions.find((action) => action.protocol)?.protocol
    if (newProtocol) checkProtocol(newProtocol, table, v)
    apply(actions)
    if (v === version) inCommitTimestamp = actions.find((action) => action.commitInfo)?.commitInfo?.inCommitTimestamp
  }
  if (!metadata) throw new SparkSynthError(`version ${version} of the Delta log has no metaData action`, DAMAGED_HINT, { file: table })
  const commit = listing.commits.get(version)
  return {
    version,
    timestamp: times?.get(version) ?? inCommitTimestamp ?? (commit ? (await stat(commit)).mtimeMs : 0),
    protocol: checkProtocol(protocol, table, version),
    metadata,
    files: [...live.values()],
  }
}
