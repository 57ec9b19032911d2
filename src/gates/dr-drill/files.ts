/**
 * File facts the drill records and compares: a file's SHA-256 and size, the newest file of a
 * backup folder, and which files of a manifest (parsed by the shared reader in src/lib/manifest) a restore lost.
 */
import path from 'node:path'
import type { FilePort } from '../../core/gate.js'
import { hashFiles } from '../../lib/manifest/hash.js'
import type { ManifestEntry } from '../../lib/manifest/manifest.js'

export interface FileFacts {
  path: string
  size: number
  sha256: string
  mtime: Date
}

/**
 * SHA-256 and size of one file, through the shared hasher (src/lib/manifest/hash.ts) (a reused buffer: ~4x faster
 * than a read stream). That hasher refuses symbolic links; a backup folder's `latest.dump` is
 * often one, and sha256sum follows them, so the link is resolved first.
 */
export async function hashFile(file: string, fs: Pick<FilePort, 'realpath'>): Promise<{ sha256: string; size: number }> {
  const [o] = await hashFiles([{ file: await fs.realpath(file) }], { mode: 'main' })
  if (!o.ok) throw Object.assign(new Error(o.message), { code: o.code === 'ENOTREG' ? 'ENOTFILE' : o.code })
  return { sha256: o.digest, size: o.size }
}

export async function fileFacts(file: string, fs: Pick<FilePort, 'stat' | 'realpath'>): Promise<FileFacts> {
  const st = await fs.stat(file)
  if (!st.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'ENOTFILE' })
  const { sha256, size } = await hashFile(file, fs)
  return { path: file, size, sha256, mtime: st.mtime }
}

export interface Newest {
  path: string
  mtime: Date
  size: number
  /** Regular files seen. */
  files: number
}

/**
 * The most recently modified regular file under `root` (or `root` itself when it is a file).
 * Symlinked files count; symlinked folders are not entered (no loops, no escaping the folder).
 */
export async function newestFile(root: string, fs: Pick<FilePort, 'stat' | 'lstat' | 'opendir'>): Promise<Newest | undefined> {
  const top = await fs.stat(root)
  if (top.isFile()) return { path: root, mtime: top.mtime, size: top.size, files: 1 }
  let best: Newest | undefined
  let files = 0
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of await fs.opendir(dir)) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        await walk(full)
        continue
      }
      let st
      try {
        st = entry.isSymbolicLink() ? await fs.stat(full) : await fs.lstat(full)
      } catch {
        continue // a dangling link or a file removed while walking
      }
      if (!st.isFile()) continue
      files++
      if (!best || st.mtimeMs > best.mtime.getTime()) best = { path: full, mtime: st.mtime, size: st.size, files: 0 }
    }
  }
  await walk(root)
  return best ? { ...best, files } : undefined
}

export type LossReason = 'missing' | 'different' | 'not a file' | 'unreadable'

export interface Loss {
  entry: ManifestEntry
  reason: LossReason
  /** The restored file's SHA-256 when it differs. */
  observed?: string
  detail?: string
}

export interface Comparison {
  checked: number
  bytes: number
  lost: Loss[]
}

/**
 * Hashes every manifest file under `root` (on every core, with the shared hasher);
 * files missing or different are lost. Unlike an evidence folder, a restored folder may hold
 * symbolic links, and `sha256sum` follows them: so does this.
 */
export async function compareToManifest(entries: ManifestEntry[], root: string, fs: Pick<FilePort, 'realpath'>): Promise<Comparison> {
  const files = entries.map((e) => path.join(root, e.path))
  const outcomes = await hashFiles(files.map((file) => ({ file })))
  let bytes = 0
  const lost: Loss[] = []
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]
    let o = outcomes[i]
    if (!o.ok && o.code === 'ELOOP') {
      try {
        const h = await hashFile(files[i], fs)
        o = { ok: true, digest: h.sha256, size: h.size }
      } catch (err) {
        o = { ok: false, code: (err as NodeJS.ErrnoException).code ?? 'EIO', message: String(err) }
      }
    }
    if (o.ok) {
      bytes += o.size
      if (o.digest !== entry.digest) lost.push({ entry, reason: 'different', observed: o.digest })
    } else if (o.code === 'ENOENT' || o.code === 'ENOTDIR') lost.push({ entry, reason: 'missing' })
    else if (o.code === 'ENOTREG' || o.code === 'EISDIR') lost.push({ entry, reason: 'not a file' })
    else lost.push({ entry, reason: 'unreadable', detail: o.code })
  }
  return { checked: entries.length, bytes, lost }
}
