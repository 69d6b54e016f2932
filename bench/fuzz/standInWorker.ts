// A stand-in for the worker process: answers any job with the generated messages its `seed` and
// `rows` name (workerAnswers.ts), then exits without a result, as a worker that died would.
import { workerAnswers } from './workerAnswers.ts'

process.once('message', (job: { seed: number; rows: number }) => {
  const answers = workerAnswers(job.seed, job.rows)
  answers.forEach((answer, i) =>
    process.send?.(answer, () => {
      if (i === answers.length - 1) process.disconnect()
    }),
  )
})
