/**
 * Walks the messages of an Arrow IPC file or stream before apache-arrow reads it. Arrow JS has no
 * flatbuffer verifier, so a damaged length or message header can send its reader into a loop that
 * never ends; here each message must lie within the bytes, be of a kind a table holds and of a
 * version Arrow JS reads.
 */
import { Message, MessageHeader, MetadataVersion } from 'apache-arrow'

const MAGIC = 'ARROW1'
/** The marker before each message's metadata length since Arrow 0.15 (older streams omit it). */
const CONTINUATION = -1
const TABLE_MESSAGES: readonly MessageHeader[] = [MessageHeader.Schema, MessageHeader.DictionaryBatch, MessageHeader.RecordBatch]

const hasMagicAt = (bytes: Uint8Array, offset: number) =>
  Buffer.from(bytes.subarray(offset, offset + MAGIC.length)).toString('latin1') === MAGIC

/** The byte range holding the messages: the whole stream, or a file's bytes between its leading magic and its footer. */
function messageRange(bytes: Uint8Array, view: DataView): { start: number; end: number } {
  if (!hasMagicAt(bytes, 0)) return { start: 0, end: bytes.length }
  // ARROW1, padding, the messages, the footer, its int32 length, ARROW1.
  const trailer = MAGIC.length + 4
  if (bytes.length < 8 + trailer || !hasMagicAt(bytes, bytes.length - MAGIC.length)) {
    throw new Error(`the file starts as an Arrow file but does not end with "${MAGIC}": it is truncated`)
  }
  const footerLength = view.getInt32(bytes.length - trailer, true)
  const end = bytes.length - trailer - footerLength
  if (!(footerLength > 0 && end >= 8)) throw new Error(`the footer claims ${footerLength} bytes in a file of ${bytes.length}`)
  return { start: 8, end }
}

/** Throws an Error naming the byte where the messages stop holding together. */
export function checkArrowFraming(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const { start, end } = messageRange(bytes, view)
  let position = start
  while (position + 4 <= end) {
    const messageStart = position
    let length = view.getInt32(position, true)
    position += 4
    if (length === CONTINUATION && position + 4 <= end) {
      length = view.getInt32(position, true)
      position += 4
    }
    if (length === 0) return // the end-of-stream marker
    if (!(length > 0 && length <= end - position)) {
      throw new Error(`the message at byte ${messageStart} claims ${length} bytes of metadata where ${end - position} remain`)
    }
    const message = Message.decode(bytes.subarray(position, position + length))
    position += length
    if (!TABLE_MESSAGES.includes(message.headerType)) {
      throw new Error(`the message at byte ${messageStart} is of unknown kind ${message.headerType}`)
    }
    if (!(message.version >= MetadataVersion.V4 && message.version <= MetadataVersion.V5)) {
      throw new Error(`the message at byte ${messageStart} has metadata version ${message.version}, which Arrow JS does not read`)
    }
    const body = message.bodyLength
    if (!(body >= 0 && body <= end - position)) {
      throw new Error(`the message at byte ${messageStart} claims a body of ${body} bytes where ${end - position} remain`)
    }
    position += body
  }
}
