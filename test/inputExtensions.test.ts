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

/** Every `resourceExtname =~ /…/flags` of the Explorer context menu, as a RegExp. */
function explorerExtensionPatterns(): RegExp[] {
  return packageJson.contributes.menus['explorer/context'].flatMap(({ when }) =>
    [...when.matchAll(/resourceExtname =~ \/((?:\\\/|[^/])+)\/([a-z]*)/g)].map(([, source = '', flags]) => new RegExp(source, flags)),
  )
}

test("each Explorer menu's resourceExtname pattern accepts exactly the core's extensions, in any case", () => {
  const patterns = explorerExtensionPatterns()
  assert.equal(patterns.length, 3, 'Extract Metadata, Open Dataset and Generate Sampling Snippet')
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

test('the Explorer menus stay on folders too', () => {
  for (const command of ['sparkSynth.extractMetadata', 'sparkSynth.openDataset', 'sparkSynth.generateSamplingSnippet']) {
    const item = packageJson.contributes.menus['explorer/context'].find((entry) => entry.command === command)
    assert.match(item?.when ?? '', /^explorerResourceIsFolder \|\| resourceExtname =~ /, command)
  }
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
