/**
 * Path safety for evidence folders. A manifest entry names a file *inside* the folder: nothing
 * outside it may be read because of what a manifest says. So an entry is refused when it is
 * absolute, climbs with `..`, uses backslashes (another system's separator, or GNU's escaping),
 * holds control characters, or reaches its file through a symbolic link at any depth; and only
 * regular files are hashed (a FIFO would block, a device would never end).
 */
import { lstatSync, type BigIntStats } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import path from 'node:path'

export type PathProblemKind =
  | 'empty'
  | 'absolute'
  | 'dotdot'
  | 'backslash'
  | 'nul'
  | 'control'
  | 'too-long'
  | 'empty-segment'
  | 'symlink'
  | 'not-regular'
  | 'not-directory'
  | 'missing'
  | 'unreadable'

/** Longest entry path accepted (bytes), as PATH_MAX on Linux. */
export const MAX_PATH_BYTES = 4096

/** Checks the text of a manifest path and normalises it (drops `.` parts such as a leading `./`). */
export function checkEntryPath(written: string): { path: string } | { kind: PathProblemKind; reason: string } {
  if (written === '') return { kind: 'empty', reason: 'has an empty path' }
  if (written.includes('\u0000')) return { kind: 'nul', reason: 'holds a NUL character' }
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u001f\u007f]/.test(written)) return { kind: 'control', reason: 'holds a control character' }
  if (written.includes('\\')) return { kind: 'backslash', reason: 'holds a backslash; paths are written with `/`' }
  if (written.startsWith('/') || /^[A-Za-z]:/.test(written)) {
    return { kind: 'absolute', reason: 'is an absolute path; paths are relative to the evidence folder' }
  }
  if (Buffer.byteLength(written) > MAX_PATH_BYTES) return { kind: 'too-long', reason: `is longer than ${MAX_PATH_BYTES} bytes` }
  const parts = written.split('/')
  if (parts.includes('..')) return { kind: 'dotdot', reason: 'climbs out with `..`; paths must stay inside the evidence folder' }
  // `a//b` and `dir/` are not how any tool writes a file's path: refuse rather than guess.
  if (parts.some((p, i) => p === '' && i > 0))
    return { kind: 'empty-segment', reason: 'has an empty path segment (`//` or a trailing `/`)' }
  const kept = parts.filter((p) => p !== '.')
  if (kept.length === 0) return { kind: 'empty', reason: 'names the folder itself, not a file' }
  return { path: kept.join('/') }
}

export interface SafeFile {
  /** Absolute path. */
  file: string
  size: number
  dev: bigint
  ino: bigint
}

export interface UnsafeFile {
  kind: PathProblemKind
  /** A sentence fragment about the entry, e.g. `is reached through the symbolic link a/b`. */
  reason: string
}

/** What lstat and a directory entry both tell. */
type FileType = Pick<
  BigIntStats,
  'isFile' | 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isSymbolicLink'
>

const KIND_NAMES: [test: (s: FileType) => boolean, name: string][] = [
  [(s) => s.isDirectory(), 'a directory'],
  [(s) => s.isFIFO(), 'a FIFO (named pipe)'],
  [(s) => s.isSocket(), 'a socket'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isSymbolicLink(), 'a symbolic link'],
]

export function kindOf(s: FileType): string {
  return KIND_NAMES.find(([t]) => t(s))?.[1] ?? (s.isFile() ? 'a regular file' : 'not a regular file')
}

/**
 * Resolves a normalised entry path below `root` with lstat on every component, so a symbolic
 * link anywhere on the way is seen rather than followed. `dirs` caches the directories already
 * checked (shared across entries: a folder of 1,000 files in 10 directories costs 1,010 lstats).
 * The hasher opens the file with O_NOFOLLOW and compares dev/ino, so a swap after this check is
 * caught too. lstat is synchronous on purpose: a thousand async calls cost ~100x more (each is a
 * thread-pool round trip) than the microseconds each takes.
 */
export function resolveInside(root: string, rel: string, dirs: Map<string, UnsafeFile | null>): SafeFile | UnsafeFile {
  const parts = rel.split('/')
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/')
    let verdict = dirs.get(dir)
    if (verdict === undefined) {
      verdict = checkDirectory(root, dir)
      dirs.set(dir, verdict)
    }
    if (verdict) return verdict
  }
  const file = path.join(root, ...parts)
  let s: BigIntStats
  try {
    s = lstatSync(file, { bigint: true })
  } catch (err) {
    return statError(err, rel)
  }
  if (s.isSymbolicLink()) return { kind: 'symlink', reason: 'is a symbolic link; evidence must be regular files' }
  if (!s.isFile()) return { kind: 'not-regular', reason: `is ${kindOf(s)}, not a regular file` }
  return { file, size: Number(s.size), dev: s.dev, ino: s.ino }
}

function checkDirectory(root: string, dir: string): UnsafeFile | null {
  try {
    const s = lstatSync(path.join(root, ...dir.split('/')), { bigint: true })
    if (s.isSymbolicLink())
      return { kind: 'symlink', reason: `is reached through the symbolic link ${dir}; evidence must be regular files inside the folder` }
    if (!s.isDirectory()) return { kind: 'not-directory', reason: `is below ${dir}, which is ${kindOf(s)}, not a directory` }
    return null
  } catch (err) {
    return statError(err, dir)
  }
}

function statError(err: unknown, rel: string): UnsafeFile {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return { kind: 'missing', reason: 'does not exist' }
  if (code === 'ENOTDIR') return { kind: 'not-directory', reason: `is below something that is not a directory (${rel})` }
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'unreadable', reason: 'cannot be read (permission denied)' }
  return { kind: 'unreadable', reason: `cannot be read (${code ?? String(err)})` }
}

export interface FolderEntry {
  /** `/`-separated path relative to the folder. */
  path: string
  /** `file` for a regular file; otherwise what it is (`a symbolic link`, `a FIFO (named pipe)`, ...). */
  kind: 'file' | string
  /** With `stat` only (0n / 0 otherwise). */
  size: number
  dev: bigint
  ino: bigint
  /** The name is not valid UTF-8 (shown with replacement characters). */
  badName?: boolean
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const lossy = new TextDecoder('utf-8')

/**
 * Every non-directory below `root` (symbolic links are listed, never followed), sorted by the
 * bytes of the path so a manifest written from it is the same on every machine.
 * `skip` holds `/`-separated paths to leave out (the manifest and its signature).
 */
export async function walkFolder(root: string, skip: Set<string> = new Set(), opts: { stat?: boolean } = {}): Promise<FolderEntry[]> {
  const out: FolderEntry[] = []
  const visit = async (dir: string, prefix: string): Promise<void> => {
    const items = await readdir(dir, { withFileTypes: true, encoding: 'buffer' })
    for (const item of items) {
      let name: string
      let badName = false
      try {
        name = utf8.decode(item.name)
      } catch {
        name = lossy.decode(item.name)
        badName = true
      }
      const rel = prefix ? `${prefix}/${name}` : name
      // A name that is not UTF-8 cannot be written in a manifest: it is reported, never entered.
      const full = badName ? Buffer.concat([Buffer.from(dir + path.sep), item.name]) : path.join(dir, name)
      if (item.isDirectory() && !badName) {
        await visit(full as string, rel)
        continue
      }
      if (skip.has(rel)) continue
      // The directory entry's own type is lstat's (d_type); the size and inode need the call.
      const s = opts.stat ? await lstat(full, { bigint: true }) : undefined
      const kind = (s ?? item).isFile() ? 'file' : kindOf(s ?? item)
      out.push({ path: rel, kind, size: Number(s?.size ?? 0), dev: s?.dev ?? 0n, ino: s?.ino ?? 0n, ...(badName ? { badName } : {}) })
    }
  }
  await visit(root, '')
  return out.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)))
}

export function insideRel(root: string, target: string): string | undefined {
  const rel = path.relative(root, target)
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined
  return rel.split(path.sep).join('/')
}
