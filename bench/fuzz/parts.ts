import { fuzzMessages } from './messages.ts'
import type { FuzzPart } from './part.ts'

export const PARTS: Record<string, FuzzPart> = { messages: fuzzMessages }
