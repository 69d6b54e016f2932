/** Where a metadata document's model and synthetic outputs go by default, beside the document. */
import path from 'node:path'
import { SparkSynthError } from '../errors.ts'
import { METADATA_SUFFIX } from '../meta/metadataFile.ts'

export const MODEL_SUFFIX = '.synth-model'
export const SPARK_JOB_SUFFIX = '.spark-job'

/** The name a metadata document gives its dataset: `adult` for `adult.synth-meta.json`. */
export function datasetName(metadataFile: string): string {
  const base = path.basename(metadataFile)
  return base.endsWith(METADATA_SUFFIX) ? base.slice(0, -METADATA_SUFFIX.length) : path.parse(base).name
}

/** `adult.synth-model/` beside `adult.synth-meta.json`. */
export function defaultModelPath(metadataFile: string): string {
  return path.join(path.dirname(metadataFile), `${datasetName(metadataFile)}${MODEL_SUFFIX}`)
}

/** `adult.spark-job/` beside `adult.synth-meta.json`: the bundle that generates on a cluster. */
export function defaultSparkJobPath(metadataFile: string): string {
  return path.join(path.dirname(metadataFile), `${datasetName(metadataFile)}${SPARK_JOB_SUFFIX}`)
}

export const DEFAULT_OUTPUT_PATTERN = '${dir}/${dataset}-synthetic'

/** The variables an output pattern may use. */
export const OUTPUT_PATTERN_VARIABLES = ['dir', 'dataset', 'timestamp', 'workspaceFolder'] as const

export interface OutputContext {
  readonly metadataFile: string
  /** The workspace folder holding the document, if any (`${workspaceFolder}`). */
  readonly workspaceFolder?: string
  readonly now: Date
}

/**
 * The output folder a pattern such as `${dir}/${dataset}-synthetic` names: `${dir}` is the
 * document's folder, `${dataset}` its dataset name, `${timestamp}` the time as `20261125-170200`,
 * `${workspaceFolder}` the workspace folder. A relative result is taken from the document's folder.
 */
export function outputLocation(pattern: string, context: OutputContext): string {
  const dir = path.dirname(path.resolve(context.metadataFile))
  const values: Record<(typeof OUTPUT_PATTERN_VARIABLES)[number], string | undefined> = {
    dir,
    dataset: datasetName(context.metadataFile),
    timestamp: context.now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-'),
    workspaceFolder: context.workspaceFolder,
  }
  const resolved = pattern.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    const value = (values as Record<string, string | undefined>)[name]
    if (value === undefined) {
      throw new SparkSynthError(
        `the output location pattern "${pattern}" uses \${${name}}, which ${name === 'workspaceFolder' ? 'needs a workspace folder' : 'is not a variable'}`,
        `Use ${OUTPUT_PATTERN_VARIABLES.map((v) => `\${${v}}`).join(', ')} in the setting sparkSynth.outputLocation`,
      )
    }
    return value
  })
  if (!resolved.trim())
    throw new SparkSynthError('the output location pattern is empty', `Set sparkSynth.outputLocation, e.g. to ${DEFAULT_OUTPUT_PATTERN}`)
  return path.resolve(dir, resolved)
}
