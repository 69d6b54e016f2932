/**
 * Outputs appear whole or not at all, and one run at a time: a run first claims its target
 * (`<target>.lock`, naming the run), writes under a temporary name beside it, `<target>.<pid>.tmp`,
 * and renames that into place when complete. A run that is killed leaves only its temporary and
 * its claim, which the next run beside the same target removes (their process is gone).
 */
import { link, mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises'
import { readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SparkSynthError } from '../errors.ts'

/** The temporary name a process writes `target` under. */
export function temporaryPathFor(target: string, pid = process.pid): string {
  return `${path.resolve(target)}.${pid}.tmp`
}

/** Where the previous version of `target` waits while a run moves its own into place. */
const previousPathFor = (target: string, pid = process.pid) => `${path.resolve(target)}.${pid}.old`
const claimPathFor = (target: string) => `${path.resolve(target)}.lock`

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** What a claim file says of the run that holds it. */
interface Claim {
  readonly pid: number
  readonly host: string
  readonly purpose: string
  readonly since: string
}

async function readClaim(file: string): Promise<Claim | undefined> {
  try {
    const claim = JSON.parse(await readFile(file, 'utf8')) as Partial<Claim>
    return typeof claim.pid === 'number' && typeof claim.host === 'string' ? (claim as Claim) : undefined
  } catch {
    return undefined
  }
}

/** A claim on this machine whose process is gone; an unreadable claim is stale too (its writer died mid-write). */
const isStale = (claim: Claim | undefined) => !claim || (claim.host === os.hostname() && !processAlive(claim.pid))

/**
 * Claims `target` for this process, or tells who holds it. The claim is written whole under a private
 * name and linked into place, which fails if a claim is there: two runs cannot both win.
 */
async function claimTarget(target: string, purpose: string): Promise<void> {
  const file = claimPathFor(target)
  const mine = `${path.resolve(target)}.${process.pid}.claim`
  const claim: Claim = { pid: process.pid, host: os.hostname(), purpose, since: new Date().toISOString() }
  await writeFile(mine, `${JSON.stringify(claim)}\n`)
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(mine, file)
        return
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      const holder = await readClaim(file)
      if (attempt === 0 && holder?.pid !== process.pid && isStale(holder)) {
        await rm(file, { force: true })
        continue
      }
      if (holder?.pid === process.pid && holder.host === claim.host) {
        throw new SparkSynthError('this process is already writing here', 'Wait for the first run to finish', {
          file: path.resolve(target),
        })
      }
      const who = holder ? `${holder.purpose} (process ${holder.pid} on ${holder.host}, since ${holder.since})` : 'a run that is starting'
      throw new SparkSynthError(
        `another run is writing here: ${who}`,
        `Wait for it to finish or cancel it, or choose another output. If that run is gone, delete ${file}`,
        { file: path.resolve(target) },
      )
    }
  } finally {
    await unlink(mine).catch(() => undefined)
  }
}

async function releaseClaim(target: string): Promise<void> {
  const file = claimPathFor(target)
  if ((await readClaim(file))?.pid === process.pid) await rm(file, { force: true })
}

/** Removes the temporaries left beside `target` by processes that no longer run; restores a previous version a killed commit had set aside. */
export async function removeStaleTemporaries(target: string): Promise<void> {
  const folder = path.dirname(path.resolve(target))
  const prefix = `${path.basename(target)}.`
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue
    const [, pidText, kind] = /^(\d+)\.(tmp|old|claim)$/.exec(name.slice(prefix.length)) ?? []
    const pid = Number(pidText)
    if (!pid || pid === process.pid || processAlive(pid)) continue
    const stale = path.join(folder, name)
    // Killed between its two renames: the target is gone, its previous version set aside; put it back.
    if (kind === 'old' && !(await exists(target))) await rename(stale, path.resolve(target))
    else await rm(stale, { recursive: true, force: true })
  }
}

/**
 * What a process that is ending (or its parent, after killing it) removes: its temporary of
 * `target` and its claim. Synchronous, for exit paths.
 */
export function abandonSync(target: string, pid = process.pid): void {
  rmSync(temporaryPathFor(target, pid), { recursive: true, force: true })
  rmSync(`${path.resolve(target)}.${pid}.claim`, { force: true })
  const claim = claimPathFor(target)
  try {
    if ((JSON.parse(readFileSync(claim, 'utf8')) as Partial<Claim>).pid === pid) rmSync(claim, { force: true })
  } catch {
    // No claim, or one being written: the next run judges it.
  }
}

/** Writes a file through its temporary name, so that a reader never sees half of it. */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  await removeStaleTemporaries(file)
  const temporary = temporaryPathFor(file)
  await writeFile(temporary, data)
  await rename(temporary, file)
}

export const exists = (target: string): Promise<boolean> =>
  stat(target).then(
    () => true,
    () => false,
  )

/** A folder being written: everything goes into `path`, which `commit` renames to the target. */
export class StagedFolder {
  private constructor(
    readonly target: string,
    readonly path: string,
  ) {}

  /**
   * Claims `target` and starts a folder for it. An existing target is an error unless `overwrite`;
   * it is replaced only on `commit`, so an aborted run leaves it as it was. `purpose` says who
   * writes, to a second run that finds the target claimed.
   */
  static async open(
    target: string,
    options: { readonly overwrite?: boolean; readonly hint?: string; readonly purpose?: string } = {},
  ): Promise<StagedFolder> {
    const folder = path.resolve(target)
    await mkdir(path.dirname(folder), { recursive: true })
    await removeStaleTemporaries(folder)
    await claimTarget(folder, options.purpose ?? 'a Spark Synth run')
    try {
      if (!options.overwrite && (await exists(folder))) {
        throw new SparkSynthError('the output already exists', options.hint ?? 'Choose another output path, or allow replacing it', {
          file: folder,
        })
      }
      const temporary = temporaryPathFor(folder)
      await rm(temporary, { recursive: true, force: true })
      await mkdir(temporary, { recursive: true })
      return new StagedFolder(folder, temporary)
    } catch (error) {
      await releaseClaim(folder)
      throw error
    }
  }

  /**
   * Moves the finished folder into place. A folder cannot be renamed over another, so the previous
   * version is set aside first and removed last: killed in between, the next run puts it back.
   */
  async commit(): Promise<void> {
    const previous = previousPathFor(this.target)
    const replacing = await exists(this.target)
    if (replacing) await rename(this.target, previous)
    await rename(this.path, this.target)
    if (replacing) await rm(previous, { recursive: true, force: true })
    await releaseClaim(this.target)
  }

  /** Drops everything written so far. */
  async abort(): Promise<void> {
    await rm(this.path, { recursive: true, force: true })
    await releaseClaim(this.target)
  }
}
