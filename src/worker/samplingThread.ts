// A thread of the sampling pool (src/core/model/samplingPool.ts): loads the model on the backend
// it is given and answers each request with the network's draw, its buffers moved, not copied.
import { parentPort, workerData } from 'node:worker_threads'
import type { Model } from '../core/model/model.ts'
import { loadModel } from '../core/model/modelFolder.ts'
import type { SamplingReply, SamplingRequest, SamplingThreadData } from '../core/model/samplingPool.ts'
import { loadTensorFlow } from '../core/model/tensorflow.ts'

if (!parentPort) throw new Error('samplingThread.ts runs as a worker thread of the sampling pool, not on its own')
const port = parentPort

function reply(message: SamplingReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer)
}

async function serve({ model: folder, backend }: SamplingThreadData): Promise<void> {
  const { tf } = await loadTensorFlow(backend)
  const model: Model = (await loadModel(tf, folder)).synthesizer
  port.on('message', ({ id, rows, seed }: SamplingRequest) => {
    const draw = model.draw(rows, seed)
    const buffers = [...draw.slots, ...draw.offsets].flatMap((array) => (array ? [array.buffer as ArrayBuffer] : []))
    reply({ type: 'draw', id, ...draw }, buffers)
  })
  reply({ type: 'ready' })
}

serve(workerData as SamplingThreadData).catch((error: unknown) => {
  reply({ type: 'error', message: error instanceof Error ? error.message : String(error) })
})
