/**
 * Input files of the gate: globs resolved against its folder (src/lib/glob.ts), read with a cap.
 * A pattern matching no file is reported, never silently dropped.
 */
import path from 'node:path'
import type { FilePort } from '../../core/gate.js'
import { NotRegularFileError, TooLargeError, readRegularFile } from '../../lib/files.js'
import { globEntries, type GlobFs } from '../../lib/glob.js'

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

export async function expandGlobs(patterns: string[], cwd: string, fs?: GlobFs): Promise<Expanded> {
  const files: FoundFile[] = []
  const seen = new Set<string>()
  const unmatched: Expanded['unmatched'] = []
  for (const pattern of patterns) {
    const matches = await globEntries(pattern, cwd, fs)
    const found = matches.filter((m) => m.kind === 'file')
    const folders = matches.filter((m) => m.kind === 'folder').length
    const others = matches.length - found.length - folders
    for (const m of found) {
      if (seen.has(m.abs)) continue
      seen.add(m.abs)
      files.push({ display: m.match, abs: m.abs })
    }
    if (found.length === 0)
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

/** Reads a regular file with a size cap; FileReadError says why in words (never a stack). */
export async function readCapped(abs: string, display: string, fs?: Pick<FilePort, 'open'>): Promise<Buffer> {
  try {
    return await readRegularFile(abs, MAX_FILE_BYTES, fs)
  } catch (err) {
    if (err instanceof TooLargeError)
      throw new FileReadError(`${display} is ${err.size} bytes, more than the ${MAX_FILE_BYTES / 1024 / 1024} MiB this gate reads`)
    if (err instanceof NotRegularFileError) throw new FileReadError(`${display} could not be read (it is ${err.kind})`)
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
