/**
 * Outputs appear whole or not at all: each is written under a temporary name beside its place,
 * `<target>.<pid>.tmp`, and renamed into place when complete. A run that is killed leaves only
 * its temporary, which the next run beside the same target removes (its process is gone).
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SparkSynthError } from '../errors.ts'

/** The temporary name a process writes `target` under. */
export function temporaryPathFor(target: string, pid = process.pid): string {
  return `${path.resolve(target)}.${pid}.tmp`
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes the temporaries left beside `target` by processes that no longer run. */
export async function removeStaleTemporaries(target: string): Promise<void> {
  const folder = path.dirname(path.resolve(target))
  const prefix = `${path.basename(target)}.`
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue
    const pid = Number(/^(\d+)\.tmp$/.exec(name.slice(prefix.length))?.[1])
    if (pid && pid !== process.pid && !processAlive(pid)) await rm(path.join(folder, name), { recursive: true, force: true })
  }
}

/** Writes a file through its temporary name, so that a reader never sees half of it. */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
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
   * Starts a folder at `target`. An existing target is an error unless `overwrite`; it is
   * replaced only on `commit`, so an aborted run leaves it as it was.
   */
  static async open(target: string, options: { readonly overwrite?: boolean; readonly hint?: string } = {}): Promise<StagedFolder> {
    const folder = path.resolve(target)
    await removeStaleTemporaries(folder)
    if (!options.overwrite && (await exists(folder))) {
      throw new SparkSynthError('the output already exists', options.hint ?? 'Choose another output path, or allow replacing it', {
        file: folder,
      })
    }
    const temporary = temporaryPathFor(folder)
    await rm(temporary, { recursive: true, force: true })
    await mkdir(temporary, { recursive: true })
    return new StagedFolder(folder, temporary)
  }

  /** Moves the finished folder into place, replacing what was there. */
  async commit(): Promise<void> {
    await rm(this.target, { recursive: true, force: true })
    await rename(this.path, this.target)
  }

  /** Drops everything written so far. */
  async abort(): Promise<void> {
    await rm(this.path, { recursive: true, force: true })
  }
}
