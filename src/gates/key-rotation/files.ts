/**
 * Globs of input files, resolved against the gate's folder with node's own fs.glob (no dependency).
 * A pattern that names an existing file is taken literally first, so a file called `certs[1].pem`
 * is found as written. A pattern matching no file is reported, never silently dropped.
 */
import { glob, readFile, stat } from 'node:fs/promises'
import path from 'node:path'

/** Larger than any real PEM bundle or key inventory; guards against a pattern hitting a disk image. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024

export interface FoundFile {
  /** As the user would recognise it: relative to cwd when the pattern was relative. */
  display: string
  abs: string
}

export interface Expanded {
  files: FoundFile[]
  /** Patterns that matched no regular file, with why. */
  unmatched: { pattern: string; why: string }[]
}

async function isFile(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isFile()
  } catch {
    return false
  }
}

export async function expandGlobs(patterns: string[], cwd: string): Promise<Expanded> {
  const files: FoundFile[] = []
  const seen = new Set<string>()
  const unmatched: Expanded['unmatched'] = []
  for (const pattern of patterns) {
    const literal = path.resolve(cwd, pattern)
    let matches: string[]
    if (await isFile(literal)) matches = [pattern]
    else {
      matches = []
      for await (const m of glob(pattern, { cwd })) matches.push(m)
      matches.sort()
    }
    let found = 0
    let folders = 0
    let others = 0
    for (const m of matches) {
      const abs = path.resolve(cwd, m)
      if (!(await isFile(abs))) {
        if (
          await stat(abs).then(
            (s) => s.isDirectory(),
            () => true,
          )
        )
          folders++
        else others++
        continue
      }
      found++
      if (seen.has(abs)) continue
      seen.add(abs)
      files.push({ display: m, abs })
    }
    if (found === 0)
      unmatched.push({
        pattern,
        why:
          folders > 0
            ? `matched only ${folders === 1 ? 'a folder' : `${folders} folders`}`
            : others > 0
              ? `matched only ${others === 1 ? 'something that is not a regular file (a pipe, socket or device)' : `${others} things that are not regular files`}`
              : 'matched no file',
      })
  }
  return { files, unmatched }
}

export class FileReadError extends Error {}

/** Reads a file with a size cap; FileReadError says why in words (never a stack). */
export async function readCapped(abs: string, display: string): Promise<Buffer> {
  try {
    const info = await stat(abs)
    if (info.size > MAX_FILE_BYTES)
      throw new FileReadError(`${display} is ${info.size} bytes, more than the ${MAX_FILE_BYTES / 1024 / 1024} MiB this gate reads`)
    return await readFile(abs)
  } catch (err) {
    if (err instanceof FileReadError) throw err
    const code = (err as { code?: unknown }).code
    throw new FileReadError(`${display} could not be read${typeof code === 'string' ? ` (${code})` : ''}`)
  }
}

/** The path of a file relative to the workspace, for annotations; undefined outside it. */
export function workspacePath(abs: string, workspace: string): string | undefined {
  const rel = path.relative(workspace, abs)
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined
  return rel.split(path.sep).join('/')
}
