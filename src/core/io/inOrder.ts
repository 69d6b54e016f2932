/**
 * Files read at once when a table has many. Each read is a few small reads, so one file at a time
 * leaves the disk idle between them (a folder of 50,000 part files spent most of a minute waiting);
 * the bound keeps the open files and the rows in flight few.
 */
export const FILES_AT_ONCE = 32

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
