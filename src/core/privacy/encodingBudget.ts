/**
 * The whole model's (ε, δ) split between what the encodings learn from the rows (category lists, null shares,
 * ranges, modes, formats) and DP-SGD's training of the network, composed by basic composition: the model is
 * (ε_enc + ε_net, δ_enc + δ_net)-DP. The encodings' part is accounted in ρ-zCDP (their Gaussian and exponential
 * mechanisms compose by adding ρ), converted to (ε_enc, δ_conv), plus the δ of their selections by threshold.
 */
import { epsilonOfRho, rhoFor } from './mechanisms.ts'

export interface Budget {
  readonly epsilon: number
  readonly delta: number
}

export interface BudgetSplit {
  readonly encodings: Budget
  readonly network: Budget
}

/**
 * The encodings' share of ε. MOSTLY AI's engine spends a fixed `value_protection_epsilon` of 1 on its value
 * ranges and categories out of a default `max_epsilon` of 10; a fixed ε would take all of a small budget, so
 * we keep a share, a quarter: ε = 1 at ε = 4, the middle of the bench's 1, 4 and 10, where a tenth left the
 * encodings too little to keep categories held by 2 % of 5,000 rows.
 */
export const ENCODING_EPSILON_SHARE = 0.25
/** The encodings' share of δ: half, as MOSTLY AI's engine divides its δ equally between analysis and training. */
export const ENCODING_DELTA_SHARE = 0.5

export function splitBudget(total: Budget): BudgetSplit {
  const encodings = { epsilon: total.epsilon * ENCODING_EPSILON_SHARE, delta: total.delta * ENCODING_DELTA_SHARE }
  return { encodings, network: { epsilon: total.epsilon - encodings.epsilon, delta: total.delta - encodings.delta } }
}

/**
 * The encodings' budget handed out column by column, and what has been spent: each mechanism takes its ρ (and
 * a selection its δ) through `spend`, which refuses to overdraw a column's share. MOSTLY AI's engine divides
 * its value protection ε equally between columns; here a column's share of ρ is in proportion to its weight
 * (a number releases counts, a range, quantiles and a vote where a category column releases counts only), and
 * the selections' δ is divided equally.
 */
export class EncodingBudget {
  /** Half the encodings' δ converts their zCDP to (ε, δ); the other half is the selections'. */
  readonly conversionDelta: number
  /** ρ for a column of weight 1, and each column's share of the selections' δ. */
  readonly unitRho: number
  readonly columnSelectionDelta: number
  private spentRho = 0
  private spentSelectionDelta = 0

  constructor(
    readonly budget: Budget,
    /** The columns' weights. */
    weights: readonly number[],
  ) {
    this.conversionDelta = budget.delta / 2
    this.unitRho =
      rhoFor(budget.epsilon, this.conversionDelta) /
      Math.max(
        1,
        weights.reduce((a, b) => a + b, 0),
      )
    this.columnSelectionDelta = budget.delta / 2 / Math.max(1, weights.length)
  }

  /** A column's allowance, spent in parts (shares of its ρ and δ); call once a column. */
  column(name: string, weight: number): ColumnBudget {
    let rhoLeft = weight * this.unitRho
    let deltaLeft = this.columnSelectionDelta
    return {
      rho: rhoLeft,
      selectionDelta: this.columnSelectionDelta,
      spend: (rho, delta = 0) => {
        // A little slack for the shares' rounding.
        if (rho > rhoLeft * (1 + 1e-9) || delta > deltaLeft * (1 + 1e-9))
          throw new Error(`column "${name}" would spend more than its share of the encodings' privacy budget`)
        rhoLeft -= rho
        deltaLeft -= delta
        this.spentRho += rho
        this.spentSelectionDelta += delta
      },
    }
  }

  /** The (ε, δ) the encodings spent: at most `budget`, and equal to it when every column spent its share. */
  spent(): Budget {
    if (this.spentRho === 0 && this.spentSelectionDelta === 0) return { epsilon: 0, delta: 0 }
    return { epsilon: epsilonOfRho(this.spentRho, this.conversionDelta), delta: this.conversionDelta + this.spentSelectionDelta }
  }
}

export interface ColumnBudget {
  /** The column's whole ρ and selection δ. */
  readonly rho: number
  readonly selectionDelta: number
  spend(rho: number, delta?: number): void
}
