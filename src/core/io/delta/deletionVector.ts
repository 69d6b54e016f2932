import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32 } from 'node:zlib'
import { describeCause, SparkSynthError } from '../../errors.ts'
import { openFileBuffer, type FileBuffer } from '../fileBuffer.ts'
import { damagedDeletionVector, decodeRoaringBitmapArray } from './roaringBitmap.ts'
import { decodeZ85 } from './z85.ts'

/** A deletion vector descriptor as it appears in a Delta `add` action's `deletionVector` field. */
export interface DeletionVectorDescriptor {
  readonly storageType: string // 'u' | 'i' | 'p'
  readonly pathOrInlineDv: string
  readonly offset?: number
  readonly sizeInBytes: number
  readonly cardinality: number
}

const FILE_FORMAT_VERSION = 1
// A UUID's 16 bytes take 20 Z85 characters; any characters before them are a folder prefix.
const ENCODED_UUID_LENGTH = 20

/**
 * The deleted row indices (0-based row positions within the data file), sorted ascending,
 * as a Float64Array of length `cardinality`.
 */
export async function readDeletionVector(tableRoot: string, descriptor: DeletionVectorDescriptor): Promise<Float64Array> {
  checkCounts(tableRoot, descriptor)
  // Delta writes an empty vector as an inline one without bytes; its readers skip decoding it too.
  if (descriptor.cardinality === 0) return new Float64Array(0)
  if (descriptor.storageType === 'i') {
    return decodeRoaringBitmapArray(inlineBytes(tableRoot, descriptor), tableRoot, descriptor.cardinality)
  }
  const file = storedPath(tableRoot, descriptor)
  return decodeRoaringBitmapArray(await storedBytes(file, descriptor), file, descriptor.cardinality)
}

/** The descriptor comes from JSON: refuse counts that would misdirect reads or allocations. */
function checkCounts(tableRoot: string, { offset = 0, sizeInBytes, cardinality }: DeletionVectorDescriptor): void {
  for (const [field, value] of Object.entries({ offset, sizeInBytes, cardinality })) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new SparkSynthError(
        `a deletion vector in the Delta log has ${field} ${JSON.stringify(value)}, not a count`,
        'The Delta log is damaged: copy the table again from where Spark wrote it',
        { file: tableRoot },
      )
    }
  }
}

function inlineBytes(tableRoot: string, { pathOrInlineDv, sizeInBytes }: DeletionVectorDescriptor): Uint8Array {
  const bytes = decodeZ85(pathOrInlineDv)
  // Writers pad the bitmap with zeros to whole 4-byte Z85 blocks.
  if (bytes?.length !== Math.ceil(sizeInBytes / 4) * 4) {
    throw damagedDeletionVector(tableRoot, `an inline deletion vector is not the Z85 text of ${sizeInBytes} bytes`)
  }
  return bytes.subarray(0, sizeInBytes)
}

/** Where a `u` (UUID under the table) or `p` (absolute path) deletion vector is stored. */
function storedPath(tableRoot: string, { storageType, pathOrInlineDv }: DeletionVectorDescriptor): string {
  if (storageType === 'u') {
    const uuid = pathOrInlineDv.length >= ENCODED_UUID_LENGTH ? decodeZ85(pathOrInlineDv.slice(-ENCODED_UUID_LENGTH)) : undefined
    if (!uuid) throw damagedDeletionVector(tableRoot, `"${pathOrInlineDv}" does not end in a Z85-encoded UUID`)
    const prefix = pathOrInlineDv.slice(0, -ENCODED_UUID_LENGTH)
    return path.join(tableRoot, prefix, `deletion_vector_${formatUuid(uuid)}.bin`)
  }
  if (storageType === 'p') return localPath(tableRoot, pathOrInlineDv)
  throw new SparkSynthError(
    `a deletion vector has storage type "${storageType}", which Spark Synth cannot read`,
    "Spark Synth reads the Delta protocol's types u, i and p; purge the deletion vectors with Spark (REORG TABLE … APPLY (PURGE))",
    { file: tableRoot },
  )
}

/** A `p` vector's absolute path or `file:` URI as a local path; remote storage is out of reach. */
function localPath(tableRoot: string, location: string): string {
  const hint = 'Copy the table and its deletion vectors to a local folder'
  if (path.isAbsolute(location)) return location
  if (!/^file:/i.test(location))
    throw new SparkSynthError(`a deletion vector is stored at ${location}, not at a local path or file: URI`, hint, { file: tableRoot })
  try {
    return fileURLToPath(location)
  } catch (cause) {
    throw new SparkSynthError(
      `the deletion vector URI ${location} is not a local file (${describeCause(cause)})`,
      hint,
      { file: tableRoot },
      { cause },
    )
  }
}

/** A UUID in its canonical form, as Delta names deletion vector files. */
function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * The bitmap bytes of one vector in a DV file: after the file's version byte, each vector sits at its
 * `offset` as a big-endian size, the bitmap, and a big-endian CRC-32 of the bitmap.
 */
async function storedBytes(file: string, { offset = 0, sizeInBytes }: DeletionVectorDescriptor): Promise<Uint8Array> {
  const buffer = await openDeletionVectorFile(file)
  try {
    if (offset + 4 + sizeInBytes + 4 > buffer.byteLength) {
      throw damagedDeletionVector(
        file,
        `it holds ${buffer.byteLength} bytes, too few for ${sizeInBytes} bytes of bitmap at offset ${offset}`,
      )
    }
    const [version] = new Uint8Array(await buffer.slice(0, 1))
    if (version !== FILE_FORMAT_VERSION) throw damagedDeletionVector(file, `its format version is ${version}, not ${FILE_FORMAT_VERSION}`)
    const framed = new DataView(await buffer.slice(offset, offset + 4 + sizeInBytes + 4))
    const size = framed.getUint32(0)
    if (size !== sizeInBytes)
      throw damagedDeletionVector(file, `the vector at offset ${offset} holds ${size} bytes where the Delta log records ${sizeInBytes}`)
    const bitmap = new Uint8Array(framed.buffer, 4, sizeInBytes)
    if (crc32(bitmap) !== framed.getUint32(4 + sizeInBytes))
      throw damagedDeletionVector(file, `the CRC-32 of the vector at offset ${offset} does not match`)
    return bitmap
  } finally {
    await buffer.close()
  }
}

async function openDeletionVectorFile(file: string): Promise<FileBuffer> {
  try {
    return await openFileBuffer(file)
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT'
    throw new SparkSynthError(
      missing ? 'the deletion vector file is missing' : `cannot read the deletion vector file (${describeCause(cause)})`,
      missing ? 'Copy the whole table folder, including its deletion_vector_*.bin files' : 'Check that the file is readable',
      { file },
      { cause },
    )
  }
}
