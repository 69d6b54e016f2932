/** The parts of `npm run fuzz`, by name (`--part NAME` runs one): one line each. */
import { filesPart } from './files.ts'
import { killsPart } from './kills.ts'
import { fuzzMessages } from './messages.ts'
import type { FuzzPart } from './part.ts'
import { shapesPart } from './shapes.ts'

export const PARTS: Record<string, FuzzPart> = {
  files: filesPart,
  messages: fuzzMessages,
  kills: killsPart,
  shapes: shapesPart,
}
