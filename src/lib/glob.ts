/**
 * Input files and folders named by globs, with node's own fs.glob (no dependency). A pattern
 * that names an existing entry is taken as written first, so a file called `certs[1].pem` is
 * found literally. Links are followed: an entry is what it points to.
 */
import * as nodeFs from 'node:fs/promises'
import path from 'node:path'

export type EntryKind = 'file' | 'folder' | 'other' | 'missing'

export interface GlobMatch {
  /** As the pattern matched it (relative to cwd when the pattern was relative). */
  match: string
  abs: string
  kind: EntryKind
}

export type GlobFs = Pick<typeof nodeFs, 'glob' | 'stat'>

export async function kindAt(abs: string, fs: GlobFs = nodeFs): Promise<EntryKind> {
  try {
    const s = await fs.stat(abs)
    return s.isFile() ? 'file' : s.isDirectory() ? 'folder' : 'other'
  } catch {
    return 'missing'
  }
}

/** Every entry `pattern` matches under `cwd`, sorted, each with what it is. */
export async function globEntries(pattern: string, cwd: string, fs: GlobFs = nodeFs): Promise<GlobMatch[]> {
  const literal = path.resolve(cwd, pattern)
  const literalKind = await kindAt(literal, fs)
  if (literalKind !== 'missing') return [{ match: pattern, abs: literal, kind: literalKind }]
  const matches: string[] = []
  for await (const m of fs.glob(pattern, { cwd })) matches.push(m)
  matches.sort()
  return Promise.all(
    matches.map(async (match) => {
      const abs = path.resolve(cwd, match)
      return { match, abs, kind: await kindAt(abs, fs) }
    }),
  )
}

/** Whether the text is a glob rather than a plain path. */
export const isGlob = (text: string) => /[*?[{]/.test(text)
