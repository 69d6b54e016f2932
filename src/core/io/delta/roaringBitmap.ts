import { SparkSynthError } from '../../errors.ts'

/** Delta's magic number before a 64-bit Roaring bitmap in the portable format. */
const PORTABLE_MAGIC = 1681511377
// Constants of the Roaring format spec (github.com/RoaringBitmap/RoaringFormatSpec).
const COOKIE_NO_RUNS = 12346
const COOKIE_WITH_RUNS = 12347
const NO_OFFSET_THRESHOLD = 4
const MAX_ARRAY_CARDINALITY = 4096
const BITMAP_BYTES = 8192
// A bucket holds the values sharing their top 32 bits; doubles are exact below 2^53 = 2^21 buckets.
const BUCKET_LIMIT = 2 ** 21

/** An error for deletion vector bytes that cannot be what a Delta writer wrote. */
export function damagedDeletionVector(file: string, problem: string): SparkSynthError {
  return new SparkSynthError(
    `the deletion vector is damaged: ${problem}`,
    'Copy the table again, byte for byte, from where Spark wrote it',
    { file },
  )
}

/** A 16-bit container, bounds-checked but not yet expanded. `start` is where its data begins. */
interface Container {
  readonly kind: 'array' | 'bitmap' | 'run'
  readonly base: number
  readonly start: number
  readonly cardinality: number
}

/** Little-endian reads that refuse to run past the end of the buffer. */
class Reader {
  offset = 0
  readonly view: DataView

  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  get remaining(): number {
    return this.bytes.length - this.offset
  }

  /** Steps over `length` bytes and returns where they start. */
  skip(length: number): number {
    if (length > this.remaining) throw damagedDeletionVector(this.file, `the bitmap is cut short after ${this.bytes.length} bytes`)
    const start = this.offset
    this.offset += length
    return start
  }

  u16(): number {
    return this.view.getUint16(this.skip(2), true)
  }

  u32(): number {
    return this.view.getUint32(this.skip(4), true)
  }
}

/**
 * Decodes a serialized `RoaringBitmapArray` (Delta's magic number, then a 64-bit Roaring bitmap in
 * the portable format) into its values, ascending. The structure is checked, and its cardinality
 * compared with `expectedCardinality`, before the result is allocated. `file` names it in errors.
 */
export function decodeRoaringBitmapArray(bytes: Uint8Array, file: string, expectedCardinality: number): Float64Array {
  const reader = new Reader(bytes, file)
  const magic = reader.u32()
  if (magic !== PORTABLE_MAGIC) {
    throw damagedDeletionVector(file, `it starts with ${magic}, not the magic number ${PORTABLE_MAGIC} of a portable RoaringBitmapArray`)
  }
  const containers = readBuckets(reader)
  if (reader.remaining > 0) throw damagedDeletionVector(file, `${reader.remaining} bytes follow the bitmap`)
  const cardinality = containers.reduce((sum, c) => sum + c.cardinality, 0)
  if (cardinality !== expectedCardinality) {
    throw new SparkSynthError(
      `the deletion vector holds ${cardinality} row indices where the Delta log records ${expectedCardinality}`,
      'The log and the deletion vector disagree: copy the table again, including _delta_log, from where Spark wrote it',
      { file },
    )
  }
  const values = new Float64Array(cardinality)
  let filled = 0
  for (const container of containers) filled = expand(reader, container, values, filled)
  return values
}

function readBuckets(reader: Reader): Container[] {
  const count = reader.u32() + reader.u32() * 2 ** 32
  // A bucket takes at least 12 bytes (its key, a cookie and a container count), bounding a corrupt count.
  if (count * 12 > reader.remaining)
    throw damagedDeletionVector(reader.file, `it claims ${count} buckets, more than its ${reader.bytes.length} bytes can hold`)
  const containers: Container[] = []
  let previousKey = -1
  for (let i = 0; i < count; i++) {
    const key = reader.u32()
    if (key <= previousKey) throw damagedDeletionVector(reader.file, 'its bucket keys are not ascending')
    if (key >= BUCKET_LIMIT) {
      throw new SparkSynthError(
        `the deletion vector deletes row ${key * 2 ** 32} or later, past 2^53, the largest row index Spark Synth keeps exactly`,
        'Rewrite the table into smaller files with Spark (OPTIMIZE) before sampling it',
        { file: reader.file },
      )
    }
    previousKey = key
    readBitmap32(reader, key * 2 ** 32, containers)
  }
  return containers
}

/** Reads one 32-bit Roaring bitmap in the standard serialization, appending its containers. */
function readBitmap32(reader: Reader, base: number, containers: Container[]): void {
  const cookie = reader.u32()
  let size: number
  let runFlags = -1
  if (cookie === COOKIE_NO_RUNS) {
    size = reader.u32()
  } else if ((cookie & 0xffff) === COOKIE_WITH_RUNS) {
    size = (cookie >>> 16) + 1
    runFlags = reader.skip(Math.ceil(size / 8))
  } else {
    throw damagedDeletionVector(
      reader.file,
      `a bucket starts with ${cookie}, not a Roaring cookie (${COOKIE_NO_RUNS} or ${COOKIE_WITH_RUNS})`,
    )
  }
  const header = reader.skip(4 * size)
  // The offset header only speeds up random access; the containers are read in order anyway.
  if (runFlags < 0 || size >= NO_OFFSET_THRESHOLD) reader.skip(4 * size)
  let previousKey = -1
  for (let i = 0; i < size; i++) {
    const key = reader.view.getUint16(header + 4 * i, true)
    const cardinality = reader.view.getUint16(header + 4 * i + 2, true) + 1
    if (key <= previousKey) throw damagedDeletionVector(reader.file, 'its container keys are not ascending')
    previousKey = key
    const isRun = runFlags >= 0 && ((reader.bytes[runFlags + (i >> 3)] >> (i & 7)) & 1) === 1
    const containerBase = base + key * 0x10000
    if (isRun) {
      containers.push({ kind: 'run', base: containerBase, start: readRuns(reader, cardinality), cardinality })
    } else if (cardinality <= MAX_ARRAY_CARDINALITY) {
      containers.push({ kind: 'array', base: containerBase, start: reader.skip(2 * cardinality), cardinality })
    } else {
      containers.push({ kind: 'bitmap', base: containerBase, start: reader.skip(BITMAP_BYTES), cardinality })
    }
  }
}

/** Checks a run container (a run count, then start and length-1 pairs) and returns where it starts. */
function readRuns(reader: Reader, cardinality: number): number {
  const start = reader.offset
  const runs = reader.u16()
  const pairs = reader.skip(4 * runs)
  let total = 0
  let nextFree = 0
  for (let r = 0; r < runs; r++) {
    const first = reader.view.getUint16(pairs + 4 * r, true)
    const last = first + reader.view.getUint16(pairs + 4 * r + 2, true)
    if (first < nextFree || last > 0xffff)
      throw damagedDeletionVector(reader.file, 'a run container has overlapping, unordered or overflowing runs')
    total += last - first + 1
    nextFree = last + 1
  }
  if (total !== cardinality)
    throw damagedDeletionVector(reader.file, `a run container holds ${total} values where its header says ${cardinality}`)
  return start
}

/** Writes a container's values into `out` from `at` on; returns the next free index. */
function expand(reader: Reader, container: Container, out: Float64Array, at: number): number {
  const { view } = reader
  const { base, start, cardinality } = container
  const end = at + cardinality
  switch (container.kind) {
    case 'array': {
      let previous = -1
      for (let i = 0; i < cardinality; i++) {
        const low = view.getUint16(start + 2 * i, true)
        if (low <= previous) throw damagedDeletionVector(reader.file, 'an array container is not ascending')
        previous = low
        out[at++] = base + low
      }
      return at
    }
    case 'run': {
      const runs = view.getUint16(start, true)
      for (let r = 0; r < runs; r++) {
        const first = base + view.getUint16(start + 2 + 4 * r, true)
        const last = first + view.getUint16(start + 4 + 4 * r, true)
        for (let value = first; value <= last; value++) out[at++] = value
      }
      return at
    }
    case 'bitmap': {
      // 1024 little-endian 64-bit words read as 2048 32-bit halves: bit b of half h is value 32h + b.
      for (let half = 0; half < 2048; half++) {
        let word = view.getUint32(start + 4 * half, true)
        while (word !== 0) {
          if (at === end) throw damagedDeletionVector(reader.file, `a bitmap container holds more values than its header's ${cardinality}`)
          const bit = 31 - Math.clz32(word & -word)
          out[at++] = base + 32 * half + bit
          word &= word - 1
        }
      }
      if (at !== end) throw damagedDeletionVector(reader.file, `a bitmap container holds fewer values than its header's ${cardinality}`)
      return at
    }
  }
}
