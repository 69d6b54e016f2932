/**
 * How much of a dataset is sampled, and with which seed, unless the user says otherwise: the
 * CLI's defaults and the extension's settings' defaults (package.json repeats them, checked by a test).
 * A module of its own so that the extension host can read them without bundling the readers.
 */

/** At most this many rows are sampled from the data. */
export const DEFAULT_ROW_BUDGET = 50_000

/** The same seed gives the same sample and the same synthetic rows. */
export const DEFAULT_SEED = 42
