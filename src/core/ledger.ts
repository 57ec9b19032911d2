/**
 * The gate ledger: `<report-dir>/ledger.jsonl`, one JSON line per gate run, each chained to the
 * one before by hash, so an auditor can tell offline whether a record was edited, removed,
 * reordered or inserted after the fact.
 *
 * A record is `{seq, time, id, status, reportSha256, prev, hash}` with the keys in that order;
 * `hash` is the SHA-256 (hex) of the record's JSON line without `hash`, i.e.
 *   jq -cj '{seq,time,id,status,reportSha256,prev}' <<<"$line" | sha256sum
 * and `prev` is the previous record's `hash` (64 zeros for the first record). Each line is
 * exactly that compact JSON (keys in that order, no spaces) and a newline: the same fields in
 * other bytes are an edit too, so every byte of the file is accounted for.
 *
 * A ledger may continue another one: its first record's `prev` is then the other ledger's last
 * hash instead of 64 zeros (`start`: each job of a workflow run continues the job before it,
 * handed the head as CUTOVER_LEDGER_PREV), so the ledgers of a whole run are one chain.
 *
 * The chain proves order and integrity of what is there; dropping records from the end leaves
 * a valid shorter chain, so anchor the last hash elsewhere (the decision bundle) to catch that.
 * The chain is not keyed: whoever can write the folder can also append a record with a correct
 * hash. Only an anchor outside the folder (a signed bundle, the check runs) reveals that.
 *
 * Appends are serialised twice: a promise queue per file within a process (gates of one
 * checklist run concurrently), and an exclusive lock file (`ledger.jsonl.lock`, created with
 * O_EXCL) across processes (several actions writing the same report folder). A lock whose
 * owner died is taken over: on this host when its process no longer exists, anywhere once it is
 * older than the stale timeout. Under the lock the records are written (and synced) before
 * their reports are renamed into place: a ledger that cannot take a record leaves every report
 * as it was.
 */
import { createHash, randomUUID } from 'node:crypto'
import { constants } from 'node:fs'
import { open, rename, rm, stat, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { NotRegularFileError, TooLargeError, kindOf, makeDir, readRegularFile, writeTemp } from './files.js'
import type { Status } from './result.js'

export const LEDGER_FILE = 'ledger.jsonl'
export const GENESIS = '0'.repeat(64)
/** The environment variable that hands a job the head of the ledger it continues. */
export const LEDGER_PREV_ENV = 'CUTOVER_LEDGER_PREV'

export interface LedgerEntry {
  id: string
  status: Status
  /** The report file whose bytes `reportSha256` covers. */
  reportFile: string
  /** ISO 8601 time of the run. */
  time: string
  /**
   * The report's bytes: written into place under the ledger's lock, so the record and the file
   * are always of the same write, whoever else writes the same id at the same time. Without them,
   * the file already in place is hashed, also under the lock.
   */
  bytes?: Uint8Array
  /**
   * The head this ledger continues (another ledger's last hash), used only when it has no record
   * yet: its first record's `prev`. Without it a new ledger starts at 64 zeros.
   */
  start?: string
}

export interface LedgerRecord {
  seq: number
  time: string
  id: string
  status: Status
  reportSha256: string
  prev: string
  hash: string
}

export interface LedgerVerdict {
  ok: boolean
  /** Records read (lines that parse as records). */
  records: number
  /** One sentence per break in the chain, first break first. */
  problems: string[]
  /** 1-based line of the first record that was edited, removed (the record after the gap), reordered or inserted. */
  firstBad?: number
  /** The last record's hash: anchor it to detect records removed from the end. */
  lastHash?: string
  /** The first record's `prev`: 64 zeros, or the head of the ledger this one continues. */
  start?: string
}

export interface VerifyOptions {
  /**
   * What the first record's `prev` must be: 64 zeros (the default), the head of the ledger this
   * one continues, or `any` (the caller links the ledgers itself, from the verdict's `start`).
   */
  start?: string | 'any'
}

export class LedgerError extends Error {
  /** Set when there is no ledger file at all (as opposed to one that cannot be read). */
  readonly missing: boolean
  constructor(message: string, missing = false) {
    super(message)
    this.name = 'LedgerError'
    this.missing = missing
  }
}

/** A ledger of a quarter of a million runs; beyond this it is not one, and is not read. */
export const MAX_LEDGER_BYTES = 64 * 1024 * 1024

export interface LockOptions {
  /** Give up waiting for the lock after this long (ms). */
  timeoutMs?: number
  /** A lock older than this is taken over (ms); appends hold it for milliseconds. */
  staleMs?: number
}

const HEX64 = /^[0-9a-f]{64}$/
const STATUSES = new Set(['pass', 'warn', 'fail'])

/** SHA-256 of the record's canonical JSON without `hash` (see the file comment). */
export function recordHash(r: Omit<LedgerRecord, 'hash'>): string {
  const body = JSON.stringify({ seq: r.seq, time: r.time, id: r.id, status: r.status, reportSha256: r.reportSha256, prev: r.prev })
  return createHash('sha256').update(body).digest('hex')
}

function serialize(r: LedgerRecord): string {
  return (
    JSON.stringify({ seq: r.seq, time: r.time, id: r.id, status: r.status, reportSha256: r.reportSha256, prev: r.prev, hash: r.hash }) +
    '\n'
  )
}

/** The record a line holds, or a sentence saying why it is not one. */
function parseRecord(line: string): LedgerRecord | string {
  let v: unknown
  try {
    v = JSON.parse(line)
  } catch {
    return 'is not JSON'
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'is not a JSON object'
  const r = v as Record<string, unknown>
  if (!Number.isSafeInteger(r.seq) || (r.seq as number) < 1) return 'has no valid `seq`'
  if (typeof r.time !== 'string' || Number.isNaN(Date.parse(r.time))) return 'has no valid `time`'
  if (typeof r.id !== 'string' || r.id === '') return 'has no valid `id`'
  if (typeof r.status !== 'string' || !STATUSES.has(r.status)) return 'has no valid `status`'
  for (const k of ['reportSha256', 'prev', 'hash'] as const)
    if (typeof r[k] !== 'string' || !HEX64.test(r[k] as string)) return `has no valid \`${k}\``
  const extra = Object.keys(r).filter((k) => !['seq', 'time', 'id', 'status', 'reportSha256', 'prev', 'hash'].includes(k))
  if (extra.length) return `has unexpected fields (${extra.join(', ')})`
  return r as unknown as LedgerRecord
}

// ---------------------------------------------------------------------------------------------
// Appending

interface Pending {
  entry: LedgerEntry
  lock: LockOptions
  resolve: (r: LedgerRecord) => void
  reject: (e: unknown) => void
}

/**
 * Per file: the entries waiting to be written, and the flush in progress. Entries that arrive
 * while a flush runs are written together by the next one: one lock and one fsync per batch,
 * so a checklist of 200 gates does not pay 200 of each.
 */
const pending = new Map<string, Pending[]>()
const flushing = new Map<string, Promise<void>>()

/** Appends one record for a gate run; resolves to the record written. */
export async function appendLedger(reportDir: string, entry: LedgerEntry, lock: LockOptions = {}): Promise<LedgerRecord> {
  if (!STATUSES.has(entry.status)) throw new LedgerError(`status ${JSON.stringify(entry.status)} is not pass, warn or fail`)
  // eslint-disable-next-line no-control-regex
  if (typeof entry.id !== 'string' || entry.id === '' || entry.id.length > 200 || /[\u0000-\u001f]/.test(entry.id)) {
    throw new LedgerError('the gate id must be 1 to 200 printable characters')
  }
  if (Number.isNaN(Date.parse(entry.time))) throw new LedgerError(`time ${JSON.stringify(entry.time)} is not an ISO 8601 time`)
  if (entry.start !== undefined && !HEX64.test(entry.start))
    throw new LedgerError(
      `the head to continue must be 64 lowercase hex digits (a ledger record's hash), not ${JSON.stringify(entry.start)}`,
    )
  const file = path.resolve(reportDir, LEDGER_FILE)
  return new Promise<LedgerRecord>((resolve, reject) => {
    const queue = pending.get(file) ?? []
    queue.push({ entry, lock, resolve, reject })
    pending.set(file, queue)
    if (!flushing.has(file)) flush(file)
  })
}

/** Writes every waiting entry of `file`, batch after batch, until none is left. */
function flush(file: string): void {
  const done = (async () => {
    for (let batch = pending.get(file); batch?.length; batch = pending.get(file)) {
      pending.delete(file)
      // Report bytes go to temp files first (outside the lock); a write that fails fails its own append only.
      const staged = await Promise.allSettled(batch.map((p) => (p.entry.bytes ? writeTemp(p.entry.reportFile, p.entry.bytes) : undefined)))
      const ready = batch.flatMap((p, i) => {
        const s = staged[i]
        if (s.status === 'rejected') {
          p.reject(
            new LedgerError(`cannot write the report ${p.entry.reportFile} (${(s.reason as NodeJS.ErrnoException).code ?? s.reason})`),
          )
          return []
        }
        return [{ ...p, ...(s.value ? { tmp: s.value } : {}) }]
      })
      if (ready.length === 0) continue
      let outcome: { records: (LedgerRecord | Error)[] } | { error: unknown }
      try {
        outcome = { records: await appendNow(file, ready) }
      } catch (err) {
        outcome = { error: err }
      }
      // Whatever was not renamed into place (the ledger refused it) is removed before anyone hears
      // back: nothing half-written stays once an append has answered.
      await Promise.all(ready.map((p) => (p.tmp ? rm(p.tmp, { force: true }).catch(() => undefined) : undefined)))
      ready.forEach((p, i) => {
        if ('error' in outcome) return p.reject(outcome.error)
        const r = outcome.records[i]
        if (r instanceof Error) p.reject(r)
        else p.resolve(r)
      })
    }
  })().finally(() => {
    flushing.delete(file)
    // An entry that arrived after the loop's last look would otherwise wait for ever.
    if (pending.get(file)?.length) flush(file)
  })
  flushing.set(file, done)
}

async function hashOnDisk(reportFile: string): Promise<string> {
  let report: Buffer
  try {
    report = await readRegularFile(reportFile, MAX_LEDGER_BYTES)
  } catch (err) {
    const why =
      err instanceof NotRegularFileError || err instanceof TooLargeError ? err.message : ((err as NodeJS.ErrnoException).code ?? err)
    throw new LedgerError(`cannot read the report ${reportFile} to record it (${why})`)
  }
  return createHash('sha256').update(report).digest('hex')
}

type Staged = Pending & { tmp?: string }

/**
 * Under the lock: the ledger must be able to take a record (its last line intact) before
 * anything is written. The records are written first, with one fsync, each with the SHA-256 of
 * the bytes its report will hold; only then are the reports renamed into place, in the same
 * order. So a ledger that refuses the append (torn, read-only, full, not a file) leaves every
 * report already in place as it was. An entry whose report cannot be hashed gets an Error in its
 * slot and no record.
 */
async function appendNow(file: string, batch: Staged[]): Promise<(LedgerRecord | Error)[]> {
  await makeDir(path.dirname(file))
  return withLock(`${file}.lock`, batch[0].lock, async () => {
    let last = await readLastRecord(file)
    const out: (LedgerRecord | Error)[] = []
    const records: LedgerRecord[] = []
    for (const p of batch) {
      let sha256: string
      try {
        sha256 = p.tmp ? createHash('sha256').update(p.entry.bytes!).digest('hex') : await hashOnDisk(p.entry.reportFile)
      } catch (err) {
        out.push(err instanceof LedgerError ? err : new LedgerError(`cannot record the report ${p.entry.reportFile} (${errCode(err)})`))
        continue
      }
      const body = {
        seq: last ? last.seq + 1 : 1,
        time: p.entry.time,
        id: p.entry.id,
        status: p.entry.status,
        reportSha256: sha256,
        prev: last ? last.hash : (p.entry.start ?? GENESIS),
      }
      last = { ...body, hash: recordHash(body) }
      records.push(last)
      out.push(last)
    }
    if (records.length === 0) return out
    // Non-blocking and checked on the descriptor: a FIFO planted as the ledger cannot stall the writer.
    const fh = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o644).catch(
      (err: unknown) => {
        throw new LedgerError(`${file} cannot take the record (${errCode(err)}): no report was put in place`)
      },
    )
    try {
      const s = await fh.stat()
      if (!s.isFile()) throw new LedgerError(`${file} is ${kindOf(s)}, not a ledger file: no record can be written to it`)
      await fh.write(records.map(serialize).join(''))
      await fh.datasync()
    } finally {
      await fh.close()
    }
    for (const [i, p] of batch.entries()) {
      if (!p.tmp || out[i] instanceof Error) continue
      try {
        await rename(p.tmp, p.entry.reportFile)
        delete p.tmp
      } catch (err) {
        // Recorded but not in place: decide will see the record without its file and say so.
        out[i] = new LedgerError(
          `the report ${p.entry.reportFile} was recorded but could not be put in place (${errCode(err)}); run the gate again`,
        )
      }
    }
    return out
  })
}

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err)

/** The last record, read from the end of the file (a ledger grows with every run). */
async function readLastRecord(file: string): Promise<LedgerRecord | undefined> {
  let fh
  try {
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    const s = await fh.stat()
    if (!s.isFile()) throw new LedgerError(`${file} is ${kindOf(s)}, not a ledger file: no record can be chained to it`)
    const size = s.size
    if (size === 0) return undefined
    const len = Math.min(size, 64 * 1024)
    const buf = Buffer.alloc(len)
    await fh.read(buf, 0, len, size - len)
    const text = buf.toString('utf8')
    if (!text.endsWith('\n'))
      throw new LedgerError(
        `${file} ends with an incomplete record; a write was cut short. Keep the file as evidence and start a new report folder`,
      )
    const start = text.lastIndexOf('\n', text.length - 2) + 1
    if (start === 0 && len < size) throw new LedgerError(`the last line of ${file} is longer than 64 KiB: it is not a ledger record`)
    const parsed = parseRecord(text.slice(start, -1))
    if (typeof parsed === 'string')
      throw new LedgerError(`the last line of ${file} ${parsed}; the ledger was damaged, so no record can be chained to it`)
    if (recordHash(parsed) !== parsed.hash)
      throw new LedgerError(`the last record of ${file} does not match its hash: it was edited, so no record can be chained to it`)
    return parsed
  } finally {
    await fh.close()
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface LockBody {
  pid: number
  host: string
  token: string
}

/** Runs `fn` holding an exclusive lock file. */
export async function withLock<T>(lockFile: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000
  const staleMs = opts.staleMs ?? 10_000
  const me: LockBody = { pid: process.pid, host: hostname(), token: randomUUID() }
  const deadline = Date.now() + timeoutMs
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lockFile, 'wx')
      try {
        await fh.writeFile(JSON.stringify(me))
      } finally {
        await fh.close()
      }
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const stale = await staleLock(lockFile, staleMs)
    if (stale !== undefined) {
      // Re-read just before removing: if another process took it over meanwhile, leave theirs.
      if ((await readLock(lockFile)) === stale) await unlink(lockFile).catch(() => undefined)
      continue
    }
    if (Date.now() > deadline) {
      throw new LedgerError(
        `could not lock ${lockFile} within ${Math.round(timeoutMs / 1000)}s: another process holds it. If no cutover process is running, remove the file`,
      )
    }
    await delay(Math.random() * Math.min(50, 2 + 2 ** Math.min(attempt, 6)))
  }
  try {
    return await fn()
  } finally {
    if ((await readLock(lockFile)) === JSON.stringify(me)) await unlink(lockFile).catch(() => undefined)
  }
}

async function readLock(lockFile: string): Promise<string | undefined> {
  try {
    // A lock body is a few dozen bytes; a FIFO or a device in its place is not read.
    return (await readRegularFile(lockFile, 4096)).toString('utf8')
  } catch (err) {
    if (err instanceof NotRegularFileError || err instanceof TooLargeError)
      throw new LedgerError(`${lockFile} is not a lock file (${err.message}): remove it, then run the gate again`)
    return undefined
  }
}

/** The lock's content when its owner is gone, else undefined. */
async function staleLock(lockFile: string, staleMs: number): Promise<string | undefined> {
  const text = await readLock(lockFile)
  if (text === undefined) return undefined
  let body: Partial<LockBody> = {}
  try {
    body = JSON.parse(text) as LockBody
  } catch {
    // Being written right now, or its writer died between creating and writing: judged by age.
  }
  if (body.host === hostname() && typeof body.pid === 'number' && body.pid !== process.pid) {
    try {
      process.kill(body.pid, 0)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return text
    }
  }
  try {
    const s = await stat(lockFile)
    if (Date.now() - s.mtimeMs > staleMs) return text
  } catch {
    return undefined
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Verifying

/**
 * The ledger's bytes, read once: a bounded regular file (a FIFO, a device or a huge file in its
 * place cannot hang or exhaust the reader). Throws LedgerError with a phrase about the file.
 */
export async function readLedgerBytes(file: string): Promise<Buffer> {
  try {
    return await readRegularFile(file, MAX_LEDGER_BYTES)
  } catch (err) {
    if (err instanceof NotRegularFileError) throw new LedgerError(`it is ${err.kind}, not a regular file`)
    if (err instanceof TooLargeError)
      throw new LedgerError(`it is ${err.size} bytes, more than the ${MAX_LEDGER_BYTES} bytes a ledger may be`)
    const code = (err as NodeJS.ErrnoException).code
    throw new LedgerError(code === 'ENOENT' ? `no ledger at ${file}` : `cannot read the ledger ${file} (${code ?? err})`, code === 'ENOENT')
  }
}

/** Verifies the whole chain and names the first record that breaks it. Throws LedgerError only when the file cannot be read. */
export async function verifyLedger(file: string, opts: VerifyOptions = {}): Promise<LedgerVerdict> {
  const { chain: _c, ...verdict } = verifyLedgerBytes(await readLedgerBytes(file), opts)
  return verdict
}

/**
 * The head a job's ledger continues, from CUTOVER_LEDGER_PREV: undefined when it is not set (or
 * empty: a new chain starts), else the 64-hex head, or a sentence refusing what it holds.
 */
export function ledgerStartFromEnv(env: Record<string, string | undefined>): { start?: string; problem?: string } {
  const raw = env[LEDGER_PREV_ENV]
  if (raw === undefined || raw.trim() === '') return {}
  const v = raw.trim()
  if (!HEX64.test(v))
    return {
      problem: `${LEDGER_PREV_ENV} must be the head of the previous job's ledger (64 lowercase hex digits), but it holds ${v.length > 80 ? `${v.length} characters` : JSON.stringify(v)}`,
    }
  return { start: v }
}

/** The verdict on a ledger's bytes, and its records (in order) when the chain holds. */
export function verifyLedgerBytes(bytes: Buffer, opts: VerifyOptions = {}): LedgerVerdict & { chain: LedgerRecord[] } {
  const text = bytes.toString('utf8')
  // A record's hash covers its text; bytes that are not UTF-8 decode to other text, so are named here.
  if (!Buffer.from(text, 'utf8').equals(bytes))
    return { ok: false, records: 0, problems: ['the ledger is not valid UTF-8: it was damaged or edited'], firstBad: 1, chain: [] }
  const parts = text.split('\n')
  const rest = parts.pop() ?? ''
  const read = { lines: rest === '' ? parts : [...parts, rest], incomplete: rest !== '' }
  const { lines, incomplete } = read
  const problems: string[] = []
  const bad = new Set<number>()
  const note = (line: number, sentence: string) => {
    bad.add(line)
    problems.push(sentence)
  }
  if (lines.length === 0) return { ok: false, records: 0, problems: ['the ledger holds no records'], firstBad: 1, chain: [] }

  const recs: (LedgerRecord | undefined)[] = lines.map((text, i) => {
    if (text === '') {
      note(i + 1, `line ${i + 1} is empty: a record was removed or the file was edited by hand`)
      return undefined
    }
    const r = parseRecord(text)
    if (typeof r === 'string') {
      note(i + 1, `line ${i + 1} ${r}: it is not a ledger record`)
      return undefined
    }
    // The same fields in other bytes (a space, another escape, a CR) are an edit too: every byte is accounted for.
    if (serialize(r) !== `${text}\n`)
      note(i + 1, `line ${i + 1} is not written as the ledger writes its records (the same fields in other bytes): it was edited`)
    return r
  })
  if (incomplete) note(lines.length, `line ${lines.length} has no line end: the last write was cut short or the file was edited`)

  // The hash the first record must name: 64 zeros, a given head, or (`any`) whatever line 1 names.
  const first = recs[0]
  const origin = opts.start === 'any' ? (first?.prev ?? GENESIS) : (opts.start ?? GENESIS)

  // Where each hash sits, to tell a removed record from a reordered or inserted one.
  const lineOf = new Map<string, number>()
  recs.forEach((r, i) => r && !lineOf.has(r.hash) && lineOf.set(r.hash, i + 1))

  const referenced = new Set(recs.map((r) => r?.prev))
  let prev: LedgerRecord | undefined
  let prevLine = 0
  recs.forEach((r, i) => {
    const line = i + 1
    if (!r) {
      prev = undefined
      prevLine = line
      return
    }
    const at = `record seq ${r.seq} (line ${line})`
    if (recordHash(r) !== r.hash) note(line, `${at} was edited: its contents do not match its hash`)
    else if (lineOf.get(r.hash) !== line) {
      // A copy: named, then stepped over so the chain is checked across it.
      note(line, `${at} repeats the record on line ${lineOf.get(r.hash)}: a record was copied in`)
      return
    }
    const expected = prevLine === 0 ? origin : prev?.hash
    if (expected !== undefined && r.prev !== expected) {
      const predLine = r.prev === origin ? 0 : lineOf.get(r.prev)
      if (predLine === undefined) {
        if (prevLine === 0)
          note(
            line,
            origin === GENESIS
              ? `${at} does not start the chain: the records before it were removed`
              : `${at} does not continue the head ${origin.slice(0, 12)} it should: the records before it were removed, or it continues another ledger`,
          )
        else if (prev && r.seq > prev.seq + 1)
          note(line, `${at} follows seq ${prev.seq}: ${missing(prev.seq + 1, r.seq - 1)} removed before line ${line}`)
        else if (prev && referenced.has(prev.hash)) note(line, `${at} is chained to no record in the ledger: it was inserted or forged`)
        else
          note(
            prevLine,
            `record seq ${prev?.seq} (line ${prevLine}) is not the record that ${at} was chained to: it was edited and re-hashed, or replaced`,
          )
      } else if (predLine > line) {
        note(line, `${at} comes before the record on line ${predLine} that it follows: records were reordered`)
      } else if (predLine === 0 && prevLine > 0) {
        note(prevLine, `${at} starts a new chain after line ${prevLine}: records were inserted before it or the ledger was spliced`)
      } else {
        // Its predecessor is earlier: what lies between does not belong here.
        // A displaced record is still the predecessor of another one; an inserted one is nobody's.
        const between = recs.slice(predLine, i).filter((x): x is LedgerRecord => x !== undefined)
        const reordered = between.some((x) => referenced.has(x.hash))
        const which = lineRange(predLine + 1, line - 1)
        note(
          predLine + 1,
          reordered
            ? `${which} ${predLine + 1 === line - 1 ? 'is' : 'are'} out of place before ${at}: records were reordered`
            : `${which} ${predLine + 1 === line - 1 ? 'was' : 'were'} inserted: ${at} is chained to the record before ${predLine + 1 === line - 1 ? 'it' : 'them'}`,
        )
      }
    } else if (expected !== undefined && r.seq !== (prev ? prev.seq + 1 : 1) && !bad.has(line)) {
      note(line, `${at} is out of sequence: expected seq ${prev ? prev.seq + 1 : 1}`)
    }
    prev = r
    prevLine = line
  })

  const records = recs.filter((r) => r !== undefined).length
  const last = [...recs].reverse().find((r) => r !== undefined)
  const firstBad = bad.size ? Math.min(...bad) : undefined
  const ok = problems.length === 0
  return {
    ok,
    records,
    problems,
    ...(firstBad !== undefined ? { firstBad } : {}),
    ...(last ? { lastHash: last.hash } : {}),
    ...(first ? { start: first.prev } : {}),
    chain: ok ? recs.filter((r): r is LedgerRecord => r !== undefined) : [],
  }
}

function missing(from: number, to: number): string {
  return from === to ? `seq ${from} was` : `seq ${from} to ${to} were`
}

function lineRange(from: number, to: number): string {
  return from === to ? `the record on line ${from}` : `the records on lines ${from} to ${to}`
}
