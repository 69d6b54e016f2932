import { SparkSynthError } from '../errors.ts'
import { isNumericType, parseSparkType } from '../io/sparkType.ts'
import { cellText } from '../io/cellText.ts'
import { columnIndex, columnNamed, columnValues } from '../io/columnLookup.ts'
import { takeRows, type Cell, type Table } from '../io/table.ts'
import type { ColumnMeta, MetadataDocument } from '../meta/document.ts'
import { DISCRETE_KINDS, LEARNED_KINDS, REWRITING_HANDLING, TEMPORAL_KINDS } from '../meta/kinds.ts'
import { protectionOf, rareValueRowsOf } from '../meta/protection.ts'
import { Random } from '../random.ts'
import {
  DEFAULT_ENCODING,
  calibrateEncoding,
  categoryCounts,
  marginalCorrections,
  decodeChoices,
  encodeRows,
  fitEncoding,
  sampleQuantiles,
  type Category,
  type EncodingOptions,
  type RealQuantiles,
  type TableEncoding,
} from './encoding.ts'
import { learnIdentifier, learnText, lookalikeGenerator, type LookalikeProfile } from './lookalike.ts'
import { sensitiveHandler } from './sensitiveValues.ts'
import { defaultDelta, planDpSgd, privacySpent, type DpSgdPlan, type PrivacyRecord, type PrivacyRequest } from '../privacy/dpsgd.ts'
import { EncodingBudget, splitBudget, type Budget } from '../privacy/encodingBudget.ts'
import { SecureRandom } from '../privacy/mechanisms.ts'
import { budgetWeight, fitPrivateEncoding } from './privateEncoding.ts'
import { privateConstant, privateIdentifier, privateText } from './privatePlans.ts'
import { DEFAULT_MADE, Made, batching, directWeights, type EpochReport, type MadeOptions, type TrainEvents } from './made.ts'
import type { Model, ModelDescription, ModelDraw } from './model.ts'
import type { Tf } from './tensorflow.ts'
import {
  activeRules,
  calibrateGap,
  rebuildHigh,
  learnedColumns,
  learnedTable,
  rulePlans,
  splitCombination,
  combinationText,
  type RulePlan,
} from './ruleConstruction.ts'
import { RuleGuard } from './ruleGuard.ts'
import { evaluateExpression, expressionColumns, parseExpression } from '../rules/expression.ts'
import { ruleNumber } from '../rules/check.ts'
import type { Rule } from '../rules/rule.ts'
import { formatCount } from '../formatCount.ts'

/**
 * The synthesizer (like synthesized.HighDimSynthesizer): learned columns go through the model,
 * a column that is an exact function of an earlier one (education → education-num) is rebuilt
 * by lookup,
 * identifiers and free text are generated fresh in their format, constants pass through, and
 * sensitive handling is applied on the way out.
 */

/** How one output column is produced. */
export type ColumnPlan =
  | { readonly column: string; readonly source: 'learned' }
  | {
      readonly column: string
      readonly source: 'derived'
      readonly from: string
      readonly lookup: readonly (readonly [string, Category])[]
    }
  | {
      readonly column: string
      readonly source: 'lookalike'
      readonly profile: LookalikeProfile
      readonly nullShare: number
      readonly forbidden: readonly number[]
    }
  | { readonly column: string; readonly source: 'constant'; readonly value: Category; readonly isDate: boolean; readonly nullShare: number }
  | RulePlan

export interface TrainOptions {
  readonly seed?: number
  readonly epochs?: number
  readonly timeBudgetSeconds?: number
  /** Train the network with DP-SGD to this (ε, δ). */
  readonly privacy?: PrivacyRequest
  /** Real rows kept out of training (the holdout): generated identifiers and texts must not take their values either. */
  readonly keptOut?: Table
  readonly model?: Partial<MadeOptions>
  readonly encoding?: Partial<EncodingOptions>
}

/** Values are compared to training values by hash, so the model never stores them. */
export function valueHash(value: string | number): number {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  for (const char of `${typeof value}:${value}`) {
    const code = char.codePointAt(0) ?? 0
    h1 = Math.imul(h1 ^ code, 0x01000193) >>> 0
    h2 = Math.imul(h2 ^ code, 0x5bd1e995) >>> 0
  }
  return h1 * 2 ** 20 + (h2 >>> 12)
}

/** The columns that appear in the synthetic output: not excluded, in source order. */
export function outputColumns(document: MetadataDocument): ColumnMeta[] {
  return document.columns.filter((c) => !c.exclude && c.sensitive !== 'exclude')
}

function planColumn(column: ColumnMeta, values: readonly Cell[]): ColumnPlan {
  if (LEARNED_KINDS.has(column.kind)) return { column: column.name, source: 'learned' }
  const present = values.filter((v): v is Exclude<Cell, null> => v !== null)
  const nullShare = values.length ? 1 - present.length / values.length : 0
  if (column.kind === 'identifier' || column.kind === 'text') {
    const scalars = present.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    const profile = column.kind === 'text' ? learnText(scalars.map(String)) : learnIdentifier(scalars)
    return { column: column.name, source: 'lookalike', profile, nullShare, forbidden: [...new Set(scalars.map(valueHash))] }
  }
  if (present.length === 0) return { column: column.name, source: 'constant', value: null, isDate: false, nullShare }
  const first = present[0]
  const value: Category = first instanceof Date ? first.getTime() : typeof first === 'object' ? JSON.stringify(first) : first
  return { column: column.name, source: 'constant', value, isDate: first instanceof Date, nullShare }
}

/**
 * Without an explicit epoch count, training presents at least this many rows: 400 optimizer steps
 * left mid-size samples (1,000–10,000 rows) underfitted (Seattle weather's temp_max–temp_min
 * correlation 0.69 for 0.88 real; see docs/quality-log.md).
 */
const MIN_ROWS_SEEN = 600_000
/** …but no more epochs than this: on tiny samples more passes only memorise rows. */
const MAX_EPOCHS = 400

/** Spark types whose constant is a date or timestamp (stored as epoch milliseconds). */
const INSTANT_TYPES = new Set(['date', 'timestamp'])

/**
 * Under DP, a column's plan from the mechanisms of privatePlans.ts (spending the column's share of `budget`):
 * no lookup between columns (it would state the pairs seen exactly) and no hashes of the values.
 */
function privatePlanColumn(column: ColumnMeta, values: readonly Cell[], budget: EncodingBudget, random: SecureRandom): ColumnPlan {
  if (LEARNED_KINDS.has(column.kind)) return { column: column.name, source: 'learned' }
  const share = budget.column(column.name, budgetWeight(column))
  const scalar = (v: Cell) => (typeof v === 'string' || typeof v === 'number' ? v : null)
  if (column.kind === 'identifier' || column.kind === 'text') {
    const numeric = isNumericType(parseSparkType(column.sparkType))
    const { profile, nullShare } =
      column.kind === 'text'
        ? privateText(
            values.map((v) => (v === null ? null : String(scalar(v) ?? ''))),
            share,
            random,
          )
        : privateIdentifier(values.map(scalar), numeric, share, random)
    // A column the metadata says holds no nulls gets none, whatever the noise.
    return { column: column.name, source: 'lookalike', profile, nullShare: column.nullable ? nullShare : 0, forbidden: [] }
  }
  const { value, nullShare } = privateConstant(values.map(categoryOf), share, random)
  const isDate = INSTANT_TYPES.has(parseSparkType(column.sparkType).id)
  return { column: column.name, source: 'constant', value, isDate, nullShare: column.nullable ? nullShare : 0 }
}

/**
 * The metadata a DP model folder holds: the column choices without the sample's statistics (`stats` empty,
 * `nullFraction` 0, no precision note nor hints, rules without their support), which are not private. The document beside the data keeps them.
 */
function withoutStatistics(document: MetadataDocument): MetadataDocument {
  return {
    ...document,
    columns: document.columns.map((column) => {
      const published = { ...column, nullFraction: 0, stats: {} }
      delete published.precisionNote
      delete published.hints
      return published
    }),
    // Rules are kept by the guard alone under DP; how many sampled rows a detected one held on is a count, not published.
    ...(document.rules ? { rules: document.rules.map(withoutSupport) } : {}),
  }
}

function withoutSupport(rule: Rule): Rule {
  const published = { ...rule }
  delete published.support
  return published
}

/** The DP-SGD noise for the network's budget over the planned epochs, or an error saying what to change when ε is out of reach. */
function privatePlan(budget: Budget, rows: number, options: MadeOptions): DpSgdPlan {
  const { batch, batches } = batching(rows, options.batchSize)
  try {
    return planDpSgd(budget, rows, batch, batches, options.epochs)
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    throw new SparkSynthError(
      `differential privacy cannot be met: ${error.message}`,
      'Ask for a larger epsilon, train on more rows, or train fewer epochs (--epochs)',
      {},
      { cause: error },
    )
  }
}

/** Lookups are only worth it for columns with few values; beyond this they are learned. */
const MAX_DERIVED_VALUES = 80

function categoryOf(cell: Cell): Category {
  if (cell instanceof Date) return cell.getTime()
  return cell === null || typeof cell === 'object' ? null : cell
}

/** Whether a protected column holds a value seen in fewer than k rows: a lookup keyed by it would store that value. */
function holdsRareValue(column: ColumnMeta, values: readonly Cell[], rareValueRows: number): boolean {
  const k = protectionOf(column, rareValueRows)
  if (k === undefined) return false
  const counts = new Map<string, number>()
  for (const value of values) if (value !== null) counts.set(cellText(value), (counts.get(cellText(value)) ?? 0) + 1)
  return [...counts.values()].some((n) => n < k)
}

/**
 * Learned columns with few values that are an exact function of an earlier learned column:
 * the model would only blur what a lookup table states exactly. A protected key column with rare
 * values is no lookup key; every other key's value is seen in k rows, and so is what it maps to.
 */
function findDerived(
  table: Table,
  columns: readonly ColumnMeta[],
  plans: ColumnPlan[],
  { maxDiscreteValues, rareValueRows }: Pick<EncodingOptions, 'maxDiscreteValues' | 'rareValueRows'>,
): ColumnPlan[] {
  const learned = plans.filter((p) => p.source === 'learned').map((p) => p.column)
  const distinct = (name: string) => new Set(columnValues(table, name).map(cellText)).size
  const small = learned.filter((name) => distinct(name) <= MAX_DERIVED_VALUES)
  // A lookup key must be a value the model reproduces exactly: a category, or a number encoded as one.
  const discrete = new Set(
    small.filter(
      (name) =>
        (DISCRETE_KINDS.has(columnNamed(columns, name).kind) || distinct(name) <= maxDiscreteValues) &&
        !holdsRareValue(columnNamed(columns, name), columnValues(table, name), rareValueRows),
    ),
  )
  const derived = new Map<string, ColumnPlan>()
  for (let j = 0; j < small.length; j++) {
    const target = columnValues(table, small[j])
    for (let i = 0; i < j && !derived.has(small[j]); i++) {
      if (derived.has(small[i]) || !discrete.has(small[i])) continue
      const source = columnValues(table, small[i])
      const lookup = new Map<string, Category>()
      let exact = true
      for (let r = 0; r < table.rowCount && exact; r++) {
        const key = cellText(source[r])
        const value = categoryOf(target[r])
        if (!lookup.has(key)) lookup.set(key, value)
        else if (lookup.get(key) !== value) exact = false
      }
      if (exact && new Set(lookup.values()).size > 1)
        derived.set(small[j], { column: small[j], source: 'derived', from: small[i], lookup: [...lookup] })
    }
  }
  return plans.map((plan) => derived.get(plan.column) ?? plan)
}

/** The names of the columns planned as learned as they are. */
function learnedNames(plans: readonly ColumnPlan[]): Set<string> {
  return new Set(plans.filter((plan) => plan.source === 'learned').map((plan) => plan.column))
}

/** The columns' own plans with the rules built in, the rule plans, and the rows as the network learns them. */
function withRules(
  table: Table,
  columns: readonly ColumnMeta[],
  rules: readonly Rule[],
  own: readonly ColumnPlan[],
  seed: number,
  rareValueRows: number,
): { plans: ColumnPlan[]; learned: ReadonlyMap<string, RulePlan>; view: (rows: Table) => Table } {
  const learned = rulePlans(rules, columns, learnedNames(own), table)
  return {
    plans: own.map((plan) => learned.get(plan.column) ?? plan),
    learned,
    view: (rows) => (learned.size ? learnedTable(rows, columns, learned, seed + 5, rareValueRows) : rows),
  }
}

export interface SyntheticStream {
  /** The seed the network draws batch `index` with. */
  modelSeed(index: number): number
  /** The next batch's rows from the network's draw for it; call in batch order. */
  decode(rows: number, draw: ModelDraw): Table
  /** Rows drawn again so far because a row broke a rule (ruleGuard.ts). */
  redrawn(): number
}

/** The guard gives up after drawing this many times a batch's rows (plus MIN_REDRAW_ROWS) to fill it. */
const MAX_REDRAWS = 100
/** Redraws come in batches of at least this many rows: one row at a time would cost a network pass each. */
const MIN_REDRAW_ROWS = 256

/** At most this many holdout rows measure the loss on rows kept out of training, after every epoch. */
const HOLDOUT_LOSS_ROWS = 2048

/** Rows the trained model draws for the first, coarse rounds of the category share correction. */
const COARSE_CALIBRATION_ROWS = 20_000
const MAX_CALIBRATION_ROWS = 100_000
/**
 * Rows the trained model draws to calibrate its columns against a sample of `rows`: the draws' own noise (about
 * 1/√draws in a column's distribution) stays in every output, so it is kept to a third of the sample's own (10
 * draws a row), from 20,000 to 100,000 draws (each 100,000 costs Adult 2.8 s). On Adult, 20,000 left column shapes
 * 0.0008 and pair trends 0.0017 lower.
 */
function calibrationRows(rows: number): number {
  return Math.min(MAX_CALIBRATION_ROWS, Math.max(COARSE_CALIBRATION_ROWS, 10 * rows))
}
/**
 * Rounds of category share correction: a shift of the logits moves each row's softmax by a different
 * amount, so one round leaves part of the gap (movies' Director: 0.757 without, 0.774 after one round,
 * within 0.03 of resampling's 0.815 after three).
 */
const MARGINAL_ROUNDS = 3

/**
 * The most weights the network's direct connection may have. Training holds several copies of it (the
 * weights, their mask, the gradient, Adam's two moments): 50 million is about 1.2 GB, a table of some
 * hundreds of learned columns. Past it a wide table is refused before any of it is allocated.
 */
const MAX_DIRECT_WEIGHTS = 50_000_000

function checkNetworkSize(encoding: TableEncoding, document: MetadataDocument): void {
  const weights = directWeights(encoding)
  if (weights <= MAX_DIRECT_WEIGHTS) return
  const slots = encoding.columns.reduce((sum, column) => sum + column.size, 0)
  throw new SparkSynthError(
    `the ${formatCount(encoding.columns.length)} learned columns take ${formatCount(slots)} slots in the model, which would need ${formatCount(Math.round(weights / 1e6))} million weights (at most ${MAX_DIRECT_WEIGHTS / 1e6} million fit in memory)`,
    'Exclude the columns you do not need in the metadata document ("exclude": true), or train on a table with fewer columns',
    { file: document.source.path },
  )
}

/** What the columns learned before training: their plans, the encoding and the quantiles calibration maps to. */
interface FittedColumns {
  readonly plans: readonly ColumnPlan[]
  readonly encoding: TableEncoding
  readonly quantiles: RealQuantiles
  /** The training rows as the network learns them (ruleConstruction.ts: gaps, combinations), and any other rows so. */
  readonly rows: Table
  readonly view: (table: Table) => Table
  /** Under DP: what the encodings spent, and the noisy rows of each category slot (else counted after encoding). */
  readonly budget?: EncodingBudget
  readonly counts?: readonly (Float64Array | null)[]
}

export class Synthesizer implements Model {
  private constructor(
    readonly document: MetadataDocument,
    readonly plans: readonly ColumnPlan[],
    readonly encoding: TableEncoding,
    /** Public for the Python port's parity script (test/support/modelDraws.ts) only; others use `Model`. */
    readonly model: Made,
    readonly seed: number,
  ) {}

  /** Fits encodings and trains the model on a sample described by `document`. */
  static async train(
    tf: Tf,
    table: Table,
    document: MetadataDocument,
    options: TrainOptions,
    events: TrainEvents = {},
  ): Promise<{ synthesizer: Synthesizer; epochs: EpochReport[]; privacy?: PrivacyRecord }> {
    const seed = options.seed ?? 0
    const columns = outputColumns(document)
    const encodingOptions = { ...DEFAULT_ENCODING, rareValueRows: rareValueRowsOf(document), ...options.encoding }
    const modelOptions = Synthesizer.modelOptions(options, seed, table.rowCount)
    const split =
      options.privacy && splitBudget({ epsilon: options.privacy.epsilon, delta: options.privacy.delta ?? defaultDelta(table.rowCount) })
    // Planned before anything is learned, so that an ε out of reach is told at once.
    const dp = split && privatePlan(split.network, table.rowCount, modelOptions)
    const rules = activeRules(document, columns)
    const fitted = split
      ? Synthesizer.fitPrivately(table, columns, encodingOptions, split.encodings)
      : Synthesizer.fit(table, columns, rules, encodingOptions, seed, options)
    const { plans, encoding } = fitted
    const published = split ? withoutStatistics(document) : document
    checkNetworkSize(encoding, document)
    const model = new Made(tf, encoding, modelOptions)
    const privacy = (epochs: number) => dp && fitted.budget && privacySpent(dp, epochs, fitted.budget.spent())
    if (encoding.columns.length === 0)
      return { synthesizer: new Synthesizer(published, plans, encoding, model, seed), epochs: [], privacy: privacy(0) }
    const encoded = encodeRows(encoding, fitted.rows, seed + 1)
    // The holdout's loss beside the training loss tells overfitting; a few thousand rows measure it well enough.
    const keptOut = options.keptOut
    const heldOut =
      keptOut &&
      takeRows(
        keptOut,
        Array.from({ length: Math.min(keptOut.rowCount, HOLDOUT_LOSS_ROWS) }, (_, r) => r),
      )
    const epochs = await model.train(encoded, events, dp, heldOut && encodeRows(encoding, fitted.view(heldOut), seed + 1))
    // The trained model's draws against the sample, column by column: categories' shares, then numbers' quantiles.
    // Under DP both are the encodings' noisy ones: the sample's counts would reach the weights without noise.
    const counts = fitted.counts ?? categoryCounts(encoding, encoded)
    const draws = calibrationRows(table.rowCount)
    for (let round = 0; round < MARGINAL_ROUNDS; round++) {
      const roundDraws = round < MARGINAL_ROUNDS - 1 ? COARSE_CALIBRATION_ROWS : draws
      model.shiftLogits(marginalCorrections(encoding, counts, model.sample(roundDraws, seed + 3 + round)))
    }
    const calibrated = calibrateEncoding(encoding, model.sample(draws, seed + 2), fitted.quantiles)
    const trained = new Synthesizer(published, plans, calibrated, model, seed)
    // The ε the epochs trained spent: a time budget may have stopped training before the planned steps.
    return {
      synthesizer: trained.withGapsCalibrated(table, seed + 6, encodingOptions.rareValueRows),
      epochs,
      privacy: privacy(epochs.length),
    }
  }

  /** Plans and encodings learned from the rows as they are (value protection aside). */
  private static fit(
    table: Table,
    columns: readonly ColumnMeta[],
    rules: readonly Rule[],
    encodingOptions: EncodingOptions,
    seed: number,
    options: TrainOptions,
  ): FittedColumns {
    const own = columns.map((column) => {
      const values = columnValues(table, column.name)
      const generated = column.kind === 'identifier' || column.kind === 'text'
      return planColumn(column, generated && options.keptOut ? [...values, ...columnValues(options.keptOut, column.name)] : values)
    })
    const { plans, learned, view } = withRules(table, columns, rules, own, seed, encodingOptions.rareValueRows)
    const derived = findDerived(table, columns, plans, encodingOptions)
    const rows = view(table)
    const encoding = fitEncoding(rows, learnedColumns(columns, learnedNames(derived), learned, rows), seed, encodingOptions)
    return { plans: derived, encoding, quantiles: sampleQuantiles(encoding, rows), rows, view }
  }

  /**
   * Plans and encodings under DP, each column spending its share of the encodings' budget. The holdout's
   * rows are not read: they are no part of the data the guarantee is stated for.
   */
  private static fitPrivately(
    table: Table,
    columns: readonly ColumnMeta[],
    encodingOptions: EncodingOptions,
    budget: Budget,
  ): FittedColumns {
    const random = new SecureRandom()
    const ledger = new EncodingBudget(
      budget,
      columns.map((column) => budgetWeight(column)),
    )
    // Rules are not built in under DP (a combination's categories or a gap's range would be learned without noise): the guard keeps them.
    const plans = columns.map((column) => privatePlanColumn(column, columnValues(table, column.name), ledger, random))
    const learned = columns.filter((_, i) => plans[i].source === 'learned')
    const { encoding, quantiles, counts } = fitPrivateEncoding(table, learned, encodingOptions, ledger, random)
    return { plans, encoding, quantiles, counts, budget: ledger, rows: table, view: (rows) => rows }
  }

  /**
   * The model's options. Without an explicit epoch count, smaller samples get more epochs so that
   * training sees at least MIN_ROWS_SEEN rows, up to MAX_EPOCHS.
   */
  static modelOptions(options: TrainOptions, seed: number, rows: number): MadeOptions {
    const base = { ...DEFAULT_MADE, ...options.model }
    const epochs = options.epochs ?? Math.max(base.epochs, Math.min(MAX_EPOCHS, Math.ceil(MIN_ROWS_SEEN / Math.max(1, rows))))
    return {
      ...base,
      seed,
      epochs,
      ...(options.timeBudgetSeconds === undefined ? {} : { timeBudgetSeconds: options.timeBudgetSeconds }),
    }
  }

  static restore(
    document: MetadataDocument,
    plans: readonly ColumnPlan[],
    encoding: TableEncoding,
    model: Made,
    seed: number,
  ): Synthesizer {
    return new Synthesizer(document, plans, encoding, model, seed)
  }

  /** The synthesizer with each gap plan's rebuilt column calibrated to the sample (ruleConstruction.ts). */
  private withGapsCalibrated(table: Table, seed: number, rareValueRows: number): Synthesizer {
    if (!this.plans.some((plan) => plan.source === 'gap')) return this
    const drawn = this.sample(calibrationRows(table.rowCount), seed)
    const columns = outputColumns(this.document)
    const plans = this.plans.map((plan) =>
      plan.source === 'gap' ? calibrateGap(plan, drawn, table, columnNamed(columns, plan.column), rareValueRows) : plan,
    )
    return new Synthesizer(this.document, plans, this.encoding, this.model, this.seed)
  }

  draw(rows: number, seed: number): ModelDraw {
    return this.model.sample(rows, seed)
  }

  describe(): ModelDescription {
    const { document, encoding, plans, model, seed } = this
    return {
      metadata: document,
      encoding,
      plans,
      options: model.options,
      network: model.networkLayout(),
      sampler: model.sampler,
      seed,
      weights: model.weights(),
    }
  }

  /** `rows` synthetic rows; the same seed gives the same rows on the same backend. */
  sample(rows: number, seed: number): Table {
    return this.sampler(seed)(rows)
  }

  /**
   * A stream of synthetic batches: identifiers stay unique and fakes consistent across batches,
   * so a large output can be generated and written batch by batch in flat memory.
   */
  sampler(seed: number): (rows: number) => Table {
    const stream = this.stream(seed)
    let index = 0
    return (rows) => stream.decode(rows, this.draw(rows, stream.modelSeed(index++)))
  }

  /**
   * The stream behind `sampler`, in two halves so that the network's draws (the costly part) can
   * be made elsewhere, in parallel: batch `i` is drawn with `modelSeed(i)`, and the draws are
   * decoded in batch order. The rows depend only on the seed, not on where the draws were made.
   */
  stream(seed: number): SyntheticStream {
    const random = new Random(seed)
    const columns = outputColumns(this.document)
    const sourceColumns = columns.map((meta) => {
      const source = columnNamed(this.document.columns, meta.name)
      return {
        name: source.name,
        sparkType: parseSparkType(source.sparkType),
        nullable: source.nullable,
        nested: false,
        partition: source.partition,
      }
    })
    const rules = activeRules(this.document, columns)
    const adjusters = columnAdjusters(rules)
    const guard = new RuleGuard(rules, this.allowedCombinations(rules))
    /** One batch being decoded: the network's columns, the output columns produced so far, combinations split once. */
    interface Batch {
      learned: (name: string) => Cell[]
      get: (name: string) => Cell[]
      rows: number
      tuples: Map<string, (readonly Category[] | null)[]>
    }
    const producers = this.plans.map((plan, i): ((batch: Batch) => Cell[]) => {
      const meta = columns[i]
      const sensitive = sensitiveHandler(meta, this.seed)
      const adjust = adjusters.get(meta.name) ?? ((values: Cell[]) => values)
      const handle =
        meta.nullable || plan.source === 'combination' ? sensitive : (values: Cell[]) => withoutNulls(sensitive(values), random)
      const finish = (values: Cell[]) => handle(adjust(values))
      const temporal = TEMPORAL_KINDS.has(meta.kind)
      switch (plan.source) {
        case 'learned':
          return ({ learned }) => finish(learned(plan.column))
        case 'derived': {
          const lookup = new Map(plan.lookup)
          return ({ learned }) =>
            finish(
              learned(plan.from).map((cell) => {
                const value = lookup.get(cellText(cell)) ?? null
                return temporal && typeof value === 'number' ? new Date(value) : value
              }),
            )
        }
        case 'gap':
          return ({ learned, get }) => {
            const lows = get(plan.low)
            return finish(
              learned(plan.column).map((gap, r) => {
                const low = ruleNumber(lows[r])
                if (low === null || typeof gap !== 'number') return null
                const high = rebuildHigh(plan, low, gap)
                return temporal ? new Date(high) : high
              }),
            )
          }
        case 'combination': {
          const group = this.plans.filter((p) => p.source === 'combination' && p.combined === plan.combined)
          const required = group.flatMap((member, index) => (columnNamed(columns, member.column).nullable ? [] : [index]))
          return (batch) => {
            let tuples = batch.tuples.get(plan.combined)
            if (!tuples) {
              tuples = completeTuples(batch.learned(plan.combined).map(splitCombination), required, random)
              batch.tuples.set(plan.combined, tuples)
            }
            return finish(tuples.map((tuple) => tuple?.[plan.index] ?? null))
          }
        }
        case 'expression': {
          const expression = parseExpression(plan.expression)
          const operands = expressionColumns(expression)
          const scale = plan.decimals === undefined ? undefined : 10 ** plan.decimals
          return ({ get, rows }) => {
            const values = new Map(operands.map((name) => [name, get(name)]))
            return finish(
              Array.from({ length: rows }, (_, r) => {
                const value = evaluateExpression(expression, (name) => ruleNumber(values.get(name)?.[r] ?? null))
                return value === null || scale === undefined ? value : Math.round(value * scale) / scale
              }),
            )
          }
        }
        case 'lookalike': {
          const next = lookalikeGenerator(plan.profile, seed + i)
          const forbidden = new Set(plan.forbidden)
          return ({ rows }) =>
            finish(
              Array.from({ length: rows }, () => {
                if (random.next() < plan.nullShare) return null
                let value = next()
                while (forbidden.has(valueHash(value))) value = next()
                return value
              }),
            )
        }
        case 'constant': {
          const value = plan.isDate && typeof plan.value === 'number' ? new Date(plan.value) : plan.value
          return ({ rows }) => finish(Array.from({ length: rows }, () => (random.next() < plan.nullShare ? null : value)))
        }
      }
    })
    // Columns are produced in output order; one a rule rebuilds produces the columns it reads first.
    const decodeBatch = (rows: number, { slots, offsets }: ModelDraw): Table => {
      const decoded = decodeChoices(this.encoding, slots, offsets, rows, random)
      const produced = new Map<string, Cell[]>()
      const batch: Batch = {
        rows,
        tuples: new Map(),
        learned: (name) => decoded[this.encoding.columns.findIndex((c) => c.column === name)],
        get: (name) => {
          let values = produced.get(name)
          if (!values) {
            values = producers[columns.findIndex((c) => c.name === name)](batch)
            produced.set(name, values)
          }
          return values
        },
      }
      return { columns: sourceColumns, values: columns.map((c) => batch.get(c.name)), rowCount: rows }
    }
    let topUps = 0
    let redrawn = 0
    return {
      // Batch 0 draws with the seed itself; later batches with seeds derived from it.
      modelSeed: (index) => (seed + Math.imul(index, 0x9e3779b1)) >>> 0,
      redrawn: () => redrawn,
      decode: (rows, draw) => {
        const table = decodeBatch(rows, draw)
        if (!guard.active) return table
        const taken = new Set(guard.take(table, rows))
        if (taken.size === rows) return table
        const missing = Array.from({ length: rows }, (_, r) => r).filter((r) => !taken.has(r))
        const values = table.values.map((column) => [...column])
        let filled = 0
        let drawn = rows
        while (filled < missing.length) {
          if (drawn > MAX_REDRAWS * rows + MIN_REDRAW_ROWS) throw guard.tooRare(drawn, rows - missing.length + filled)
          const size = Math.max(2 * (missing.length - filled), MIN_REDRAW_ROWS)
          // Redraws are seeded apart from the batches' seeds (modelSeed counts up from 0).
          const extra = decodeBatch(size, this.draw(size, (seed + Math.imul(0x7fffffff - topUps++, 0x9e3779b1)) >>> 0))
          for (const r of guard.take(extra, missing.length - filled)) {
            values.forEach((column, c) => (column[missing[filled]] = extra.values[c][r]))
            filled++
          }
          drawn += size
          redrawn += size
        }
        return { ...table, values }
      },
    }
  }

  /** Per combination rule built in, the value tuples the model can generate (`tupleKey`s of the rule's columns). */
  private allowedCombinations(rules: readonly Rule[]): Map<Rule, Set<string>> {
    const allowed = new Map<Rule, Set<string>>()
    for (const rule of rules) {
      // A masked or faked member is written other than drawn: its combinations are not the ones learned.
      if (
        rule.kind !== 'combination' ||
        rule.columns.some((name) => REWRITING_HANDLING.has(columnNamed(this.document.columns, name).sensitive))
      )
        continue
      const plan = this.plans.find((p) => p.column === rule.columns[0])
      if (plan?.source !== 'combination') continue
      const group = this.plans.filter((p) => p.source === 'combination' && p.combined === plan.combined).map((p) => p.column)
      if (!rule.columns.every((name) => group.includes(name))) continue
      const encoding = this.encoding.columns.find((c) => c.column === plan.combined)
      if (encoding?.type !== 'categorical') continue
      const keys = [...encoding.categories, ...(encoding.rare?.values ?? [])]
      allowed.set(
        rule,
        new Set(
          keys.flatMap((key) => {
            const tuple = splitCombination(key)
            return tuple ? [combinationText(rule.columns.map((name) => tuple[group.indexOf(name)]))] : []
          }),
        ),
      )
    }
    return allowed
  }

  /**
   * Rows whose columns hold the given values (`income = >50K`): drawn from the model and kept
   * when they match, so the other columns follow their learned relationship to the condition.
   */
  sampleWhere(rows: number, seed: number, where: Readonly<Record<string, string>>): Table {
    const names = Object.keys(where)
    const batch = Math.max(rows, 10_000)
    const kept: Cell[][] = []
    let columns: Table['columns'] = []
    let drawn = 0
    const next = this.sampler(seed)
    for (let attempt = 0; kept.length === 0 || kept[0].length < rows; attempt++) {
      if (attempt > 0 && drawn >= 200 * Math.max(rows, 1000)) {
        const share = kept.length ? kept[0].length / drawn : 0
        throw new SparkSynthError(
          `only ${(share * 100).toFixed(3)}% of generated rows match ${names.map((n) => `${n} = ${where[n]}`).join(', ')}: the condition is too rare in the training data to sample from`,
          'Loosen the condition, or check the value is spelled as in the data',
          { column: names[0] },
        )
      }
      const sample = next(batch)
      columns = sample.columns
      const indexes = names.map((name) =>
        columnIndex(sample.columns, name, { problem: 'there is no such synthesised column', choose: 'Condition on one of' }),
      )
      if (kept.length === 0) sample.columns.forEach(() => kept.push([]))
      for (let r = 0; r < batch && kept[0].length < rows; r++) {
        const matches = indexes.every((c, k) => cellText(sample.values[c][r]) === where[names[k]])
        if (matches) sample.values.forEach((column, c) => kept[c].push(column[r]))
      }
      drawn += batch
    }
    return { columns, values: kept, rowCount: rows }
  }

  dispose(): void {
    this.model.dispose()
  }
}

/**
 * A combination group's decoded tuples, where a member the user declared not nullable is null replaced
 * whole by another tuple of the batch, so that the members still form a combination seen in the data.
 */
function completeTuples(
  tuples: (readonly Category[] | null)[],
  required: readonly number[],
  random: Random,
): (readonly Category[] | null)[] {
  const complete = (tuple: readonly Category[] | null) => tuple !== null && required.every((index) => tuple[index] !== null)
  if (required.length === 0) return tuples
  const present = tuples.filter(complete)
  if (present.length === 0) return tuples
  return tuples.map((tuple) => (complete(tuple) ? tuple : present[random.int(present.length)]))
}

/** Per column, the range rules' clamping then the increment rules' rounding of its numbers. */
function columnAdjusters(rules: readonly Rule[]): Map<string, (values: Cell[]) => Cell[]> {
  const adjusters = new Map<string, (values: Cell[]) => Cell[]>()
  for (const rule of rules) {
    if (rule.kind !== 'range' && rule.kind !== 'increment') continue
    const before = adjusters.get(rule.column) ?? ((values: Cell[]) => values)
    const adjust =
      rule.kind === 'range'
        ? (value: number) => Math.min(rule.max ?? Infinity, Math.max(rule.min ?? -Infinity, value))
        : // Rounded to 15 digits: 3 × 0.1 is 0.30000000000000004, and the step's multiple is 0.3.
          (value: number) => Number((Math.round(value / rule.step) * rule.step).toPrecision(15))
    adjusters.set(rule.column, (values) => before(values).map((value) => (typeof value === 'number' ? adjust(value) : value)))
  }
  return adjusters
}

/**
 * A column the user declared not nullable gets no nulls, even where the sample had some: each
 * null takes a value drawn from the batch's others, so the column's distribution is kept.
 */
function withoutNulls(values: Cell[], random: Random): Cell[] {
  const present = values.filter((v) => v !== null)
  if (present.length === 0) return values
  return values.map((v) => v ?? present[random.int(present.length)])
}
