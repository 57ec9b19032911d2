/**
 * Files written so that a reader never sees half of one, and read so that a FIFO, a device or a
 * huge file cannot hang or exhaust a reader that expected a small regular file.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'

let counter = 0
/** Tells this process's temp files from those of an earlier process that had the same pid (containers reuse small pids). */
const incarnation = randomBytes(4).toString('hex')

/** `.<name>.<pid>-<incarnation>.<n>.tmp`: whose it is, so a later run can tell a dead writer's leftovers. */
export function tempPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${incarnation}.${++counter}.tmp`)
}

/** A temp name of ours: the pid, then (since the incarnation was added) the incarnation. */
const TEMP = /^\.(.+)\.(\d+)(?:-([0-9a-f]{8}))?\.\d+\.tmp$/
const swept = new Set<string>()

function alive(pid: number, of: string | undefined): boolean {
  if (pid === process.pid) return of === incarnation
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes temp files that writers killed mid-write (kill -9) left in `dir`: once per folder per
 * process, so leftovers never accumulate run after run, and never a live writer's file.
 * Temp names carry no host, so this runs only where the folder is local to its writers.
 */
export async function sweepTemps(dir: string): Promise<void> {
  const key = `${hostname()}:${path.resolve(dir)}`
  if (swept.has(key)) return
  swept.add(key)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  await Promise.all(
    names.map(async (name) => {
      const m = TEMP.exec(name)
      if (m && !alive(Number(m[2]), m[3])) await rm(path.join(dir, name), { force: true }).catch(() => undefined)
    }),
  )
}

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code

function fsError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code })
}

/**
 * `mkdir -p`, one level at a time and at most once per level. Node's own recursive mkdir spins
 * for ever where the parent exists but refuses the child with ENOENT (e.g. `/proc/x`).
 */
export async function makeDir(dir: string): Promise<void> {
  const missing: string[] = []
  for (let at = path.resolve(dir); ;) {
    try {
      if ((await stat(at)).isDirectory()) break
      throw fsError('EEXIST', `${at} exists and is not a folder`)
    } catch (err) {
      const up = path.dirname(at)
      if (codeOf(err) !== 'ENOENT' || up === at) throw err
      missing.push(at)
      at = up
    }
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d)
    } catch (err) {
      // Made meanwhile by a concurrent writer: fine if it is a folder.
      if (codeOf(err) === 'EEXIST' && (await stat(d)).isDirectory()) continue
      throw err
    }
  }
}

/** Writes `data` to a temp file beside `file` (not yet in place); the caller renames or removes it. */
export async function writeTemp(file: string, data: string | Uint8Array): Promise<string> {
  await makeDir(path.dirname(file))
  await sweepTemps(path.dirname(file))
  const tmp = tempPath(file)
  try {
    // Exclusive: a file planted at the temp name (a FIFO, a symlink) is never opened or followed.
    await writeFile(tmp, data, { flag: 'wx' })
  } catch (err) {
    if (codeOf(err) !== 'EEXIST') await rm(tmp, { force: true })
    throw err
  }
  return tmp
}

/** Writes to a temp file beside `file`, then renames it into place; removes the temp file on error. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = await writeTemp(file, data)
  try {
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

// Bounded reads live in src/lib/files.ts (gates share them); core's callers keep importing them from here.
export { NotRegularFileError, TooLargeError, kindOf, readRegularFile } from '../lib/files.js'
