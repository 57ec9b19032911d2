/**
 * Scan reports and SBOMs named by globs: every glob must match a file, and every file must be a
 * regular file of a sane size that parses as JSON. What goes wrong is a sentence about the path.
 */
import path from 'node:path'
import { NotRegularFileError, TooLargeError, readRegularFile } from '../../core/files.js'
import type { FilePort } from '../../core/gate.js'
import { fsProblem } from '../../lib/errno.js'
import { globEntries } from '../../lib/glob.js'

export type Matched = { pattern: string; files: string[] }

/** Regular files (or links to them) each pattern matches under `cwd`, absolute and sorted. */
export async function expand(patterns: string[], cwd: string, fs: Pick<FilePort, 'glob' | 'stat'>): Promise<Matched[]> {
  return Promise.all(
    patterns.map(async (pattern) => {
      const files = new Set((await globEntries(pattern, cwd, fs)).filter((m) => m.kind === 'file').map((m) => m.abs))
      return { pattern, files: [...files].sort() }
    }),
  )
}

export type JsonRead = { data: unknown } | { problem: string }

/** Reads and parses a JSON file of at most `limit` bytes; never throws. */
export async function readJson(file: string, limit: number, fs: Pick<FilePort, 'open'>): Promise<JsonRead> {
  let buf: Buffer
  try {
    buf = await readRegularFile(file, limit, fs)
  } catch (err) {
    if (err instanceof NotRegularFileError) return { problem: `is ${err.kind}, not a regular file` }
    if (err instanceof TooLargeError) return { problem: `is ${err.size} bytes, more than the ${limit} this gate reads` }
    const code = (err as { code?: unknown }).code
    return { problem: typeof code === 'string' ? fsProblem(err) : `cannot be read (${String(err)})` }
  }
  if (buf.length === 0) return { problem: 'is empty' }
  try {
    return { data: JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, '')) }
  } catch (err) {
    return { problem: `is not JSON (${(err as Error).message.split('\n')[0]})` }
  }
}

/** A path as a person reads it: relative to the workspace when inside it. */
export function shown(file: string, workspace: string): string {
  const rel = path.relative(workspace, file)
  if (rel === '') return '.'
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file
}

/** The folder globs were matched in, for a sentence: `the workspace` or its path. */
export const folderText = (cwd: string, workspace: string) => (shown(cwd, workspace) === '.' ? 'the workspace' : shown(cwd, workspace))
