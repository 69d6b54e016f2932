/** The names inside a synthetic output folder. */
export const SYNTHETIC_DATA = 'data'
export const RELOAD_SNIPPET = 'reload_synthetic.py'
export const TAKE_SAMPLE_SNIPPET = 'take_sample.py'

/** The embedded example, the UCI Adult table as a Spark output folder: where it lies in the package. */
export const EXAMPLE_DATASET = ['examples', 'adult'] as const
