/**
 * Windowing for the column list: only the rows in view (plus a margin) exist in the DOM, so a
 * document with hundreds of columns scrolls as fast as one with ten.
 */

/** Rows `first` (inclusive) to `end` (exclusive). */
export interface RowWindow {
  readonly first: number
  readonly end: number
}

/** The rows to draw for a viewport scrolled to `scrollTop`, with `overscan` extra rows each side. */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan: number): RowWindow {
  const top = Math.max(0, scrollTop)
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan)
  const end = Math.min(count, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) + overscan)
  return { first: Math.min(first, end), end }
}

/** The scroll offset that brings row `index` fully into view, moving as little as possible. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight
  const bottom = top + rowHeight
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight)
  return scrollTop
}

/** The row a navigation key moves to from `index`, or undefined for other keys. */
export function targetRow(key: string, index: number, count: number, pageRows: number): number | undefined {
  const last = count - 1
  switch (key) {
    case 'ArrowDown':
      return Math.min(last, index + 1)
    case 'ArrowUp':
      return Math.max(0, index - 1)
    case 'PageDown':
      return Math.min(last, index + Math.max(1, pageRows))
    case 'PageUp':
      return Math.max(0, index - Math.max(1, pageRows))
    case 'Home':
      return 0
    case 'End':
      return last
    default:
      return undefined
  }
}
