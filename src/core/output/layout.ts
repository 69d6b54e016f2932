/** The names inside a synthetic output folder. */
export const SYNTHETIC_DATA = 'data'
export const RELOAD_SNIPPET = 'reload_synthetic.py'
export const TAKE_SAMPLE_SNIPPET = 'take_sample.py'
