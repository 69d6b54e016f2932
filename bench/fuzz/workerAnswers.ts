/**
 * Generated worker → host messages as the host's channel delivers them (JSON: NaN becomes null,
 * undefined goes), leaving out the valid `done`, `error` and `previewRows` that would end the run: the same list
 * for a seed and count in the stand-in worker that sends them and in the fuzzer that checks the host.
 */
import { Random } from '../../src/core/random.ts'
import { WORKER_TO_HOST } from './messageExamples.ts'
import { generateMessage } from './messageMutations.ts'
import { isRecord, workerToHostAllowed } from './messageRules.ts'

export function workerAnswers(seed: number, count: number): unknown[] {
  const random = new Random(seed)
  const answers: unknown[] = []
  while (answers.length < count) {
    const json = JSON.stringify(generateMessage(random, WORKER_TO_HOST)) as string | undefined
    if (json === undefined) continue
    const delivered: unknown = JSON.parse(json)
    const ends = workerToHostAllowed(delivered) && isRecord(delivered) && ['done', 'error', 'previewRows'].includes(String(delivered.type))
    if (!ends) answers.push(delivered)
  }
  return answers
}
