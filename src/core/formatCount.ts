/** A count for people: digits grouped the English way (`32,561`) whatever the machine's locale, like the editor's figures. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US')
}
