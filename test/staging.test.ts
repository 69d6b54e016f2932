// Claims and staged folders: one run writes a target at a time, and a killed run never costs the
// previous version. Real files and real processes (a pid that is gone is one a child had).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { SparkSynthError } from '../src/core/errors.ts'
import { StagedFolder, abandonSync } from '../src/core/io/staging.ts'
import { tempDir } from './helpers.ts'

/** The pid of a process that has ended. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', ''])
  assert.ok(pid)
  return pid
}

test('a claimed target is refused to a second run, naming who holds it; released on commit and on abort', async () => {
  const dir = await tempDir()
  const target = path.join(dir, 'model')
  const first = await StagedFolder.open(target, { overwrite: true, purpose: 'training on adult' })
  const claim = JSON.parse(await readFile(`${target}.lock`, 'utf8')) as { pid: number; host: string; purpose: string }
  assert.deepEqual([claim.pid, claim.host, claim.purpose], [process.pid, os.hostname(), 'training on adult'])
  await assert.rejects(StagedFolder.open(target, { overwrite: true }), (error: unknown) => {
    assert.ok(error instanceof SparkSynthError)
    assert.match(error.message, /this process is already writing here/)
    return true
  })
  // Another live process holds it: the claim of this test's parent, say.
  await first.abort()
  await writeFile(`${target}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), purpose: 'training on adult', since: 'now' }))
  await assert.rejects(StagedFolder.open(target, { overwrite: true }), (error: unknown) => {
    assert.ok(error instanceof SparkSynthError)
    assert.match(error.message, new RegExp(`another run is writing here: training on adult \\(process ${process.ppid} on `))
    assert.match(error.hint, /Wait for it to finish or cancel it.*If that run is gone, delete .*model\.lock/)
    return true
  })
  assert.deepEqual((await readdir(dir)).sort(), ['model.lock'], 'the refused run left nothing')
  await writeFile(`${target}.lock`, JSON.stringify({ pid: deadPid(), host: os.hostname(), purpose: 'training', since: 'then' }))
  const second = await StagedFolder.open(target, { overwrite: true })
  await writeFile(path.join(second.path, 'model.json'), '{}')
  await second.commit()
  assert.deepEqual((await readdir(dir)).sort(), ['model'], "a dead run's claim is taken over; the claim goes with the commit")
})

test('a commit killed between its renames costs nothing: the next run puts the previous version back', async () => {
  const dir = await tempDir()
  const target = path.join(dir, 'out')
  const pid = deadPid()
  // What a run killed mid-commit leaves: the previous version set aside, its finished temporary, its claim.
  await mkdir(`${target}.${pid}.old`)
  await writeFile(path.join(`${target}.${pid}.old`, 'version'), 'previous')
  await mkdir(`${target}.${pid}.tmp`)
  await writeFile(`${target}.lock`, JSON.stringify({ pid, host: os.hostname(), purpose: 'generating', since: 'then' }))
  const next = await StagedFolder.open(target, { overwrite: false, hint: 'exists' }).catch((error: unknown) => error)
  assert.ok(next instanceof SparkSynthError && next.message.includes('already exists'), 'the previous version is back in place')
  assert.equal(await readFile(path.join(target, 'version'), 'utf8'), 'previous')
  assert.deepEqual((await readdir(dir)).sort(), ['out'], 'and the rest of the killed run is gone')
})

test('abandoning removes the temporary and the claim of that process only', async () => {
  const dir = await tempDir()
  const target = path.join(dir, 'out')
  const staged = await StagedFolder.open(target)
  abandonSync(target, deadPid())
  assert.deepEqual((await readdir(dir)).sort(), [`out.${process.pid}.tmp`, 'out.lock'], "another process's claim stays")
  abandonSync(target)
  assert.deepEqual(await readdir(dir), [])
  await staged.abort()
})
