/**
 * Footers read at once when a table has many files. Each is a few small reads, so one file at a time
 * leaves the disk idle between them (a folder of 50,000 part files spent most of a minute waiting);
 * the bound keeps the open files few.
 */
export const FOOTERS_AT_ONCE = 32

/**
 * Files whose sampled rows are read at once: fewer, as each decodes whole pages of its row groups
 * (a large part file's can take hundreds of MB, and an Arrow file is read whole), and memory must
 * follow the row budget, not the number of files.
 */
export const ROW_READS_AT_ONCE = 4

/**
 * `work` over every item, at most `limit` at a time, the results in the items' order. After a failure
 * no item starts; the one thrown is the first failure in the items' order, as reading one at a time
 * would have thrown (items start in order, so every earlier item has run by then).
 */
export async function inOrder<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  const failures: { index: number; error: unknown }[] = []
  let next = 0
  const worker = async () => {
    for (let i = next++; i < items.length && failures.length === 0; i = next++) {
      try {
        results[i] = await work(items[i])
      } catch (error) {
        failures.push({ index: i, error })
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failures.length > 0) throw failures.reduce((first, failure) => (failure.index < first.index ? failure : first)).error
  return results
}
