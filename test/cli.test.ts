import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { cp, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { parseMetadata } from '../src/core/meta/metadataFile.ts'
import { EXAMPLE_ADULT, INTEROP_FILES, ROOT, SPARK_TABLES, tempDir } from './helpers.ts'

const CLI = path.join(ROOT, 'dist', 'cli.cjs')

/** Runs the built CLI as a user would; resolves with its exit code and output. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: ROOT })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

test('--help works for the CLI and every command', async () => {
  const top = await run('--help')
  assert.equal(top.code, 0)
  for (const command of ['inspect', 'meta', 'demo']) {
    assert.match(top.stdout, new RegExp(`\\b${command}\\b`))
    const help = await run(command, '--help')
    assert.equal(help.code, 0)
    assert.match(help.stdout, new RegExp(`^spark-synth ${command}`))
  }
})

test('inspect prints one row per column with kinds and partitions', async () => {
  const result = await run('inspect', path.join(SPARK_TABLES, 'http_requests'), '--rows', '500', '--seed', '3')
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /2 files, 1,581 rows; sampled 500 with seed 3/)
  assert.match(result.stdout, /date \(partition\)\s+date\s+date/)
  assert.match(result.stdout, /EdgeStartTimestamp\s+timestamp_ntz\s+timestamp/)
})

test('meta writes the document beside the input by default, or where -o says', async () => {
  const dir = await tempDir()
  const input = path.join(dir, 'adult')
  await cp(EXAMPLE_ADULT, input, { recursive: true })
  const result = await run('meta', input, '--rows', '1000')
  assert.equal(result.code, 0, result.stderr)
  const beside = `${input}.synth-meta.json`
  const document = parseMetadata(await readFile(beside, 'utf8'), beside)
  assert.equal(document.source.path, 'adult')
  assert.equal(document.source.sampleSize, 1000)
  const chosen = path.join(dir, 'elsewhere.json')
  assert.equal((await run('meta', input, '-o', chosen)).code, 0)
  assert.ok((await stat(chosen)).size > 1000)
})

test('bad input exits non-zero with a one-paragraph error naming the file', async () => {
  const corrupt = path.join(INTEROP_FILES, 'datapage_v1-corrupt-checksum.parquet')
  const result = await run('inspect', corrupt)
  assert.equal(result.code, 1)
  assert.equal(result.stdout, '')
  assert.equal(result.stderr.trim().split('\n').length, 1, 'one paragraph, no stack trace')
  assert.match(result.stderr, /datapage_v1-corrupt-checksum\.parquet, column "a": page checksum mismatch/)
  assert.equal((await run('inspect', '/does/not/exist')).code, 1)
})

test('wrong usage exits 2 with the command help', async () => {
  const noInput = await run('meta')
  assert.equal(noInput.code, 2)
  assert.match(noInput.stderr, /expected one input/)
  assert.match(noInput.stderr, /spark-synth meta <input>/)
  assert.equal((await run('inspect', 'x', '--rows', 'many')).code, 2)
  assert.equal((await run('frobnicate')).code, 2)
})
