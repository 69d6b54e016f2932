import type { FromSchema } from 'json-schema-to-ts'
import type { DeepReadonly } from '../jsonSchema.ts'
import type { metadataSchema } from '../schemas/metadataSchema.ts'
import type { qualityReportSchema } from '../schemas/qualityReportSchema.ts'

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
  // A kept business rule holds on every synthetic row, or it fails.
  rules: { atLeast: 1 },
} as const

/** `quality-report.json`, as schemas/quality-report.schema.json declares it (its descriptions say what each field means). */
export type QualityReport = DeepReadonly<FromSchema<typeof qualityReportSchema, { references: [typeof metadataSchema] }>>
export type ColumnReport = QualityReport['columns'][number]
export type ColumnHistogram = ColumnReport['histogram']
export type NumericHistogram = Extract<ColumnHistogram, { readonly type: 'numeric' }>
export type CategoryHistogram = Extract<ColumnHistogram, { readonly type: 'categorical' }>
export type CorrelationMatrices = QualityReport['correlation']
export type PrivacyReport = QualityReport['privacy']
export type UnscoredColumn = QualityReport['unscored'][number]
export type UtilityReport = NonNullable<QualityReport['utility']>
export type RuleReport = NonNullable<QualityReport['rules']>[number]
export type RowsKeepingRule = NonNullable<RuleReport['synthetic']>
