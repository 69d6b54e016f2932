import { open, type FileHandle } from 'node:fs/promises'
import type { AsyncBuffer } from 'hyparquet'

/** A local file as hyparquet's `AsyncBuffer`: positioned reads on one open handle, nothing else loaded. */
export interface FileBuffer extends AsyncBuffer {
  close(): Promise<void>
}

export async function openFileBuffer(file: string): Promise<FileBuffer> {
  const handle: FileHandle = await open(file, 'r')
  const { size } = await handle.stat()
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const length = Math.max(0, Math.min(end, size) - start)
      const bytes = new Uint8Array(new ArrayBuffer(length))
      let done = 0
      while (done < length) {
        const { bytesRead } = await handle.read(bytes, done, length - done, start + done)
        if (bytesRead === 0) break
        done += bytesRead
      }
      return bytes.buffer
    },
    close: () => handle.close(),
  }
}
