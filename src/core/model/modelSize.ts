import type { ModelSize } from '../meta/trainingChoices.ts'
import { DEFAULT_MADE } from './made.ts'

/**
 * The hidden layers of each model size: medium is the network every model had before (the widths the bench
 * measured), small halves its width (about a quarter of the weights between hidden layers: quicker on a slow
 * machine or a narrow table), large doubles it (room for many columns with strong relationships, at about four
 * times the cost between hidden layers). The direct input → output connection does not change with the size.
 */
export function hiddenWidths(size: ModelSize): readonly number[] {
  const factor = { small: 0.5, medium: 1, large: 2 }[size]
  return DEFAULT_MADE.hidden.map((units) => units * factor)
}
