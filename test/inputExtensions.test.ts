// One list of the file extensions Spark Synth reads (EXTENSION_FORMATS in src/core/io/discover.ts);
// the Explorer menus' `when` clauses in package.json cannot import it, so they are checked against it.
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import packageJson from '../package.json' with { type: 'json' }
import { EXTENSION_FORMATS } from '../src/core/io/discover.ts'
import { defaultMetadataPath } from '../src/core/meta/metadataFile.ts'

const EXTENSIONS = Object.keys(EXTENSION_FORMATS)

/** Extensions near the real ones, none of which Spark Synth reads. */
const OTHERS = [
  '',
  '.json',
  '.txt',
  '.crc',
  '.parquet.crc',
  '.par',
  '.parquets',
  '.xparquet',
  '.csvx',
  '.tsv',
  '.orc',
  '.avro',
  'parquet',
  '..csv',
]

/** The Explorer's entries: the Spark Synth submenu, and the items in it. */
const EXPLORER_ENTRIES = [...packageJson.contributes.menus['explorer/context'], ...packageJson.contributes.menus['sparkSynth.explorer']]

/** Every `resourceExtname =~ /…/flags` of the Explorer context menu, as a RegExp. */
function explorerExtensionPatterns(): RegExp[] {
  return EXPLORER_ENTRIES.flatMap(({ when }) =>
    [...when.matchAll(/resourceExtname =~ \/((?:\\\/|[^/])+)\/([a-z]*)/g)].map(([, source = '', flags]) => new RegExp(source, flags)),
  )
}

test("each Explorer menu's resourceExtname pattern accepts exactly the core's extensions, in any case", () => {
  const patterns = explorerExtensionPatterns()
  assert.equal(patterns.length, 4, 'the submenu, and Extract Metadata, Open Dataset and Generate Sampling Snippet in it')
  for (const pattern of patterns) {
    for (const extension of EXTENSIONS) {
      assert.ok(pattern.test(extension), `${pattern} accepts ${extension}`)
      assert.ok(pattern.test(extension.toUpperCase()), `${pattern} accepts ${extension.toUpperCase()}, as the core does`)
    }
    for (const other of OTHERS) assert.ok(!pattern.test(other), `${pattern} refuses ${JSON.stringify(other)}`)
    const [alternatives = ''] = /\((.*)\)/.exec(pattern.source)?.slice(1) ?? []
    assert.deepEqual(
      alternatives
        .split('|')
        .map((name) => `.${name}`)
        .sort(),
      [...EXTENSIONS].sort(),
      `${pattern} lists the same extensions`,
    )
  }
})

test('the Explorer menus stay on folders too, but not on the folders Spark Synth writes or a Delta log', () => {
  for (const command of ['sparkSynth.extractMetadata', 'sparkSynth.openDataset', 'sparkSynth.generateSamplingSnippet']) {
    const item = packageJson.contributes.menus['sparkSynth.explorer'].find((entry) => entry.command === command)
    const [, excluded = ''] =
      /^\(explorerResourceIsFolder && !\(resourceFilename =~ \/(.+?)\/\)\) \|\| resourceExtname =~ /.exec(item?.when ?? '') ?? []
    const notTables = new RegExp(excluded)
    for (const name of ['adult.synth-model', 'http_requests.spark-job', '_delta_log', 'node_modules', '.git'])
      assert.ok(notTables.test(name), name)
    for (const name of ['http_requests', 'events.parquet', 'date=2024-01-01', 'adult-synthetic']) assert.ok(!notTables.test(name), name)
  }
  for (const entry of packageJson.contributes.menus['explorer/context'])
    assert.equal('submenu' in entry && entry.submenu, 'sparkSynth.explorer', 'one entry, labelled Spark Synth')
})

test("the metadata document drops exactly the core's extensions from the input's name", () => {
  const folder = path.resolve('data')
  for (const extension of EXTENSIONS) {
    assert.equal(defaultMetadataPath(path.join(folder, `events${extension}`)), path.join(folder, 'events.synth-meta.json'), extension)
    const upper = extension.toUpperCase()
    assert.equal(defaultMetadataPath(path.join(folder, `events${upper}`)), path.join(folder, 'events.synth-meta.json'), upper)
  }
  for (const name of ['events', 'events.json', 'events.parquet.bak', 'events.tsv'])
    assert.equal(defaultMetadataPath(path.join(folder, name)), path.join(folder, `${name}.synth-meta.json`), name)
  assert.equal(
    defaultMetadataPath(path.join(folder, 'events.parquet', '')),
    path.join(folder, 'events.synth-meta.json'),
    'a folder named as a file',
  )
})
