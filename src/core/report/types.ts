import type { DiagnosticScores } from '../quality/diagnostic.ts'
import type { PairTrendScore } from '../quality/score.ts'

/** The release bar every report is judged against (the figures). */
export const QUALITY_BARS = {
  columnShapes: { atLeast: 0.97 },
  columnPairTrends: { atLeast: 0.97 },
  tstrRatio: { atLeast: 0.98 },
  closerToTrainShare: { atMost: 0.53 },
  exactCopyShare: { atMost: 0.005 },
  // Every synthetic value within the real ranges and categories, keys unique, columns and types kept.
  validity: { atLeast: 1 },
  structure: { atLeast: 1 },
} as const

/** Shares of the present values per bin; nulls are counted apart so the bars compare like with like. */
export interface NumericHistogram {
  readonly type: 'numeric'
  /** Dates and timestamps: edges are epoch milliseconds. */
  readonly temporal: boolean
  /** Equal-width bins over the real range; synthetic values outside it fall into the outer bins. */
  readonly edges: readonly number[]
  readonly real: readonly number[]
  readonly synthetic: readonly number[]
  readonly realNullShare: number
  readonly syntheticNullShare: number
}

export interface CategoryHistogram {
  readonly type: 'categorical'
  /** The most frequent real categories; everything else is summed into `other`. */
  readonly categories: readonly string[]
  readonly real: readonly number[]
  readonly synthetic: readonly number[]
  readonly realOther: number
  readonly syntheticOther: number
  readonly realNullShare: number
  readonly syntheticNullShare: number
}

export type ColumnHistogram = NumericHistogram | CategoryHistogram

export interface ColumnReport {
  readonly column: string
  readonly kind: string
  readonly metric: 'KSComplement' | 'TVComplement'
  readonly score: number
  readonly histogram: ColumnHistogram
}

/** Square matrices over `columns`, symmetric, 1 on the diagonal. */
export interface CorrelationMatrices {
  readonly method: string
  readonly columns: readonly string[]
  readonly real: readonly (readonly number[])[]
  readonly synthetic: readonly (readonly number[])[]
}

export interface PrivacyReport {
  /** `given`: the caller's holdout; `split`: carved out of the real table (see `note`). */
  readonly holdout: 'given' | 'split'
  readonly note: string
  readonly closerToTrainShare: number
  readonly exactCopyShare: number
  readonly medianDistanceToTrain: number
  readonly medianDistanceToHoldout: number
  readonly rowsCompared: number
}

export interface UtilityReport {
  readonly target: string
  readonly positive: string
  /** ROC AUC on the holdout of a classifier trained on the real rows. */
  readonly realAuc: number
  /** The same classifier trained on the synthetic rows (train synthetic, test real). */
  readonly syntheticAuc: number
  readonly ratio: number
}

export interface QualityReport {
  readonly generatedBy: string
  /** ISO 8601 instant. */
  readonly generatedAt: string
  readonly backend: string | null
  readonly rows: { readonly real: number; readonly synthetic: number; readonly holdout: number }
  readonly scores: {
    readonly overall: number
    readonly overallDefinition: string
    readonly columnShapes: number
    readonly columnPairTrends: number
  }
  /** SDMetrics' DiagnosticReport: validity (ranges, categories, keys) and structure. */
  readonly diagnostic: DiagnosticScores
  /** Worst column first. */
  readonly columns: readonly ColumnReport[]
  /** Every scored pair, worst first. */
  readonly pairs: readonly PairTrendScore[]
  readonly correlation: CorrelationMatrices
  readonly privacy: PrivacyReport
  /** Null when no target was given or no TensorFlow was passed. */
  readonly utility: UtilityReport | null
}
