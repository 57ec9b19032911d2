/**
 * The JSON file a script leaves as its evidence (`security_gate_result.json`): it must be written
 * by this run, be a regular file and parse as JSON; its SHA-256 goes into the report, so the
 * evidence bundle can later prove which file the verdict was about.
 */
import { createHash } from 'node:crypto'
import type { FilePort } from '../../core/gate.js'
import { NotRegularFileError, TooLargeError, readRegularFile } from '../../core/files.js'

export const MAX_RESULT_BYTES = 16 * 1024 * 1024

/** What was there before the run, so a file left over from an earlier run is not taken as this run's. */
export interface Before {
  mtimeMs: number
  sha256: string
}

export type ResultFile =
  { ok: true; sha256: string; bytes: number } | { ok: false; observed: string; why: string; sha256?: string; bytes?: number }

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

export async function snapshot(file: string, fs: Pick<FilePort, 'stat' | 'open'>): Promise<Before | undefined> {
  try {
    const s = await fs.stat(file)
    if (!s.isFile()) return undefined
    return { mtimeMs: s.mtimeMs, sha256: sha256(await readRegularFile(file, MAX_RESULT_BYTES, fs)) }
  } catch {
    return undefined
  }
}

function readProblem(err: unknown): { observed: string; why: string } {
  if (err instanceof NotRegularFileError) return { observed: err.kind, why: `it is ${err.kind}, not a regular file` }
  if (err instanceof TooLargeError)
    return { observed: 'too large', why: `it is larger than the ${MAX_RESULT_BYTES / 1024 / 1024} MiB a result file may be` }
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return { observed: 'missing', why: 'the script did not write it (it does not exist)' }
  if (code === 'EACCES' || code === 'EPERM') return { observed: 'unreadable', why: 'it cannot be read (permission denied)' }
  if (code === 'ENOTDIR') return { observed: 'missing', why: 'a part of its path is not a folder' }
  return { observed: 'unreadable', why: `it cannot be read (${code ?? (err as Error).message})` }
}

export async function readResultFile(file: string, before: Before | undefined, fs: Pick<FilePort, 'stat' | 'open'>): Promise<ResultFile> {
  let bytes: Buffer
  let mtimeMs: number
  try {
    bytes = await readRegularFile(file, MAX_RESULT_BYTES, fs)
    mtimeMs = (await fs.stat(file)).mtimeMs
  } catch (err) {
    return { ok: false, ...readProblem(err) }
  }
  const digest = sha256(bytes)
  const facts = { sha256: digest, bytes: bytes.byteLength }
  if (before && before.sha256 === digest && before.mtimeMs === mtimeMs) {
    return {
      ok: false,
      observed: 'not written by this run',
      why: 'it is the file that was there before the script ran: the script did not write it',
      ...facts,
    }
  }
  if (bytes.byteLength === 0) return { ok: false, observed: 'empty', why: 'it is empty, not JSON', ...facts }
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    // V8's message quotes a piece of the file, which may hold anything: only the position is said.
    const at = /position (\d+)/.exec((err as Error).message)
    const where = at ? ` (at character ${at[1]})` : /end of JSON/.test((err as Error).message) ? ' (it ends too early)' : ''
    const why = err instanceof TypeError ? 'it is not UTF-8 text' : `it is not valid JSON${where}`
    return { ok: false, observed: 'not JSON', why, ...facts }
  }
  return { ok: true, ...facts }
}
