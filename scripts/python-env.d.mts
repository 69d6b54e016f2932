export interface PythonEnv {
  readonly requirements: string
  readonly venv: string
}
export const TEST_ENV: PythonEnv
export const PEERS_ENV: PythonEnv
/** The venv's python, after making sure the venv holds the pinned requirements (re-created when they change). */
export function ensurePythonEnv(env?: PythonEnv): string
/** The environment Python tests and scripts run in: the venv's python first, Delta's jars cached here. */
export function pythonEnvironment(python: string): NodeJS.ProcessEnv
/** delta-spark's jars, fetched from Maven Central by the first Spark session, kept beside the venv. */
export const IVY_CACHE: string
