/**
 * How much of a dataset is sampled, and with which seed, unless the user says otherwise: the
 * CLI's defaults and the extension's settings' defaults (package.json repeats them, checked by a test).
 * A module of its own so that the extension host can read them without bundling the readers.
 */

/** At most this many rows are sampled from the data. */
export const DEFAULT_ROW_BUDGET = 50_000

/** The same seed gives the same sample and the same synthetic rows. */
export const DEFAULT_SEED = 42

/**
 * When the sample is the whole source, this share of it is kept out of training, so that the quality
 * report's distances test memorisation against rows the model never saw (0 keeps none out).
 */
export const DEFAULT_HOLDOUT_SHARE = 0.1

/** A holdout share is below this: at least half of the sample is trained on. */
export const HOLDOUT_SHARE_LIMIT = 0.5
