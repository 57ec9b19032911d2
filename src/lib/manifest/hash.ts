/**
 * SHA-256 of many files on more than one core. Node hashes on the thread that calls `update`,
 * so one thread caps throughput at one core's SHA-256 speed; hashing runs on the calling thread
 * (two async lanes, one reading while the other hashes) plus worker threads, all taking files
 * from one queue, largest first so a big file does not start last and leave a core idle.
 *
 * Measured on the 2-core machine (page cache, 1 GiB): ~1.1 CPU-seconds per GiB whichever thread
 * does it (reading costs a quarter of it); a 256 KiB buffer, which stays in L2 between the read
 * and the hash, beat 1 MiB by ~30% with both cores busy, and more threads than cores was slower.
 * Memory: each worker costs ~10 MB of RSS (its own V8 isolate) on top of ~65 MB for Node and the
 * gate, so hashing uses at most two threads (this one and one worker) by default: that keeps the
 * verifying process under 100 MB on any machine, and two cores hash faster (~1.8 GB/s) than the
 * disks of CI runners read. Memory does not grow with file sizes: one buffer per lane.
 *
 * The worker source is a plain string (`eval: true`): it imports nothing of ours, so the same
 * code runs from the TypeScript sources, the compiled output and the bundle (dist/chunks).
 */
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

export const HASH_BUFFER_BYTES = 256 * 1024
/** Below this many bytes in all, hashing stays on the calling thread: it is done (~25 ms per 32 MiB) before a worker would start (~100 ms). */
export const IN_PROCESS_BYTES = 32 * 1024 * 1024

export interface HashJob {
  /** Absolute path. */
  file: string
  /** When given, the opened file must be this inode (it was checked before): a swap is caught. */
  dev?: bigint
  ino?: bigint
  /** Expected size, for ordering and progress only. */
  size?: number
}

export type HashOutcome = { ok: true; digest: string; size: number } | { ok: false; code: string; message: string }

export interface HashOptions {
  /** Threads that hash, the calling one included (so 2 = it and one worker); default min(2, cores). */
  workers?: number
  signal?: AbortSignal
  /** Called after each file with the bytes and files hashed so far. */
  onProgress?: (bytes: number, files: number) => void
  /** `auto` (default): threads unless the job sizes add up to less than IN_PROCESS_BYTES. */
  mode?: 'auto' | 'threads' | 'main'
}

/** The calling thread lets the event loop run (worker replies, progress, cancel) after this many bytes. */
const YIELD_BYTES = 1024 * 1024
/** Files go to a worker in batches of about this many bytes (or BATCH_FILES files): fewer round trips for small files. */
const BATCH_BYTES = 8 * 1024 * 1024
const BATCH_FILES = 256

/**
 * Hashing one file, shared by the worker threads and the calling thread as one source text: a
 * generator that yields after each chunk, so a worker runs it straight through while the calling
 * thread pauses every YIELD_BYTES. Plain JavaScript in a string so that no compiler or bundler
 * rewrites it differently for the two places.
 * O_NOFOLLOW: a symbolic link put in the file's place is refused (ELOOP), never followed.
 * O_NONBLOCK: a FIFO put in its place cannot block the open.
 */
const HASH_STEPS = `function* hashSteps(fs, crypto, buf, job) {
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants
  let fd
  try {
    fd = fs.openSync(job.file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
    const st = fs.fstatSync(fd, { bigint: true })
    if (!st.isFile()) return { ok: false, code: 'ENOTREG', message: 'not a regular file' }
    if (job.ino != null && (st.ino !== job.ino || st.dev !== job.dev)) return { ok: false, code: 'ECHANGED', message: 'replaced while being verified' }
    const hash = crypto.createHash('sha256')
    let size = 0
    let n
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
      hash.update(n === buf.length ? buf : buf.subarray(0, n))
      size += n
      yield n
    }
    return { ok: true, digest: hash.digest('hex'), size }
  } catch (err) {
    return { ok: false, code: String(err.code || 'EIO'), message: String(err.message) }
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}`

// process.getBuiltinModule, not require: eval'd code is ESM when node runs with --input-type=module.
const WORKER_SOURCE = `
'use strict'
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads')
const fs = process.getBuiltinModule('node:fs')
const crypto = process.getBuiltinModule('node:crypto')
const buf = Buffer.allocUnsafe(workerData.bufferBytes)
const hashSteps = (${HASH_STEPS})
function hashOne(job) {
  const steps = hashSteps(fs, crypto, buf, job)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}
parentPort.on('message', (batch) => parentPort.postMessage(batch.map((job) => ({ id: job.id, ...hashOne(job) }))))
`

type Steps = (
  fs: typeof import('node:fs'),
  crypto: typeof import('node:crypto'),
  buf: Buffer,
  job: HashJob,
) => Generator<number, HashOutcome>
const hashSteps = new Function(`return (${HASH_STEPS})`)() as Steps

export function defaultWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism()))
}

/** How many threads will hash these jobs, the calling one included; 0 means the calling thread alone (small jobs). */
export function threadsFor(jobs: HashJob[], opts: Pick<HashOptions, 'workers' | 'mode'> = {}): number {
  if (jobs.length === 0 || opts.mode === 'main') return 0
  const total = jobs.reduce((n, j) => n + (j.size ?? IN_PROCESS_BYTES), 0)
  if (opts.mode !== 'threads' && (total < IN_PROCESS_BYTES || jobs.length === 1)) return 0
  return Math.max(1, Math.min(opts.workers ?? defaultWorkers(), jobs.length))
}

export class HashAbortedError extends Error {
  constructor() {
    super('hashing was cancelled')
    this.name = 'HashAbortedError'
  }
}

/** Hashes every job; the outcome at index i belongs to job i. A file that cannot be read is an outcome, not a throw. */
export async function hashFiles(jobs: HashJob[], opts: HashOptions = {}): Promise<HashOutcome[]> {
  const outcomes: HashOutcome[] = new Array(jobs.length)
  if (jobs.length === 0) return outcomes
  if (opts.signal?.aborted) throw new HashAbortedError()
  const count = threadsFor(jobs, opts)
  const order = count === 0 ? jobs.map((_, i) => i) : jobs.map((_, i) => i).sort((a, b) => (jobs[b].size ?? 0) - (jobs[a].size ?? 0))
  let next = 0
  let done = 0
  let bytes = 0
  const record = (id: number, outcome: HashOutcome) => {
    outcomes[id] = outcome
    done++
    if (outcome.ok) bytes += outcome.size
    opts.onProgress?.(bytes, done)
  }

  // The calling thread hashes too: N hashing threads are N-1 workers plus this one (a worker
  // fewer, ~10 MB less). It pauses every YIELD_BYTES so worker replies are handled promptly.
  const onMain = async () => {
    const buf = Buffer.allocUnsafe(HASH_BUFFER_BYTES)
    let since = 0
    let files = 0
    while (next < order.length) {
      if (opts.signal?.aborted) throw new HashAbortedError()
      const id = order[next++]
      const steps = hashSteps(fs, crypto, buf, jobs[id])
      for (;;) {
        const r = steps.next()
        if (r.done) {
          record(id, r.value)
          break
        }
        since += r.value
        if (since >= YIELD_BYTES) {
          since = 0
          await new Promise((resolve) => setImmediate(resolve))
        }
      }
      // Small files: still let replies through regularly.
      if (++files % 32 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
  }

  const batch = (): { id: number; file: string; dev?: bigint; ino?: bigint }[] => {
    const out = []
    let size = 0
    while (next < order.length && out.length < BATCH_FILES && (out.length === 0 || size < BATCH_BYTES)) {
      const id = order[next++]
      const j = jobs[id]
      out.push({ id, file: j.file, dev: j.dev, ino: j.ino })
      size += j.size ?? BATCH_BYTES
    }
    return out
  }

  const workers: Worker[] = []
  let mainFinished = false
  let settleThreads = () => {}
  const threaded = new Promise<void>((resolve, reject) => {
    if (count <= 1) return resolve()
    const fail = (err: unknown) => reject(err instanceof Error ? err : new Error(String(err)))
    let inFlight = 0
    let starting = 0
    // Done when nothing is in flight and nothing is left: the queue is empty, or only workers still starting remain.
    const settle = () => {
      if (inFlight === 0 && (next >= order.length || (starting === workers.length && mainFinished))) resolve()
    }
    settleThreads = settle
    const send = (w: Worker): boolean => {
      const b = opts.signal?.aborted ? [] : batch()
      if (b.length === 0) return false
      inFlight++
      w.postMessage(b)
      return true
    }
    for (let i = 0; i < count - 1; i++) {
      // Small heaps: a worker holds one buffer and one hash at a time.
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { bufferBytes: HASH_BUFFER_BYTES },
        resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
        stdout: false,
        stderr: false,
      })
      workers.push(w)
      starting++
      w.on('message', (results: ({ id: number } & HashOutcome)[]) => {
        inFlight--
        for (const { id, ...outcome } of results) record(id, outcome)
        send(w)
        settle()
      })
      w.on('error', fail)
      w.on('exit', (code) => {
        if (inFlight > 0 && !opts.signal?.aborted) fail(new Error(`a hashing thread stopped early (exit code ${code})`))
      })
      // A worker takes files only once it runs (starting one takes ~100 ms): until then this
      // thread hashes alone, and on a small folder it may finish before any worker is up.
      // Two batches in flight, so a worker never waits for this thread between batches.
      w.once('online', () => {
        starting--
        send(w)
        send(w)
        settle()
      })
    }
  })
  // Workers still starting when the work is done are not waited for.
  const mainDone = onMain().then(() => {
    mainFinished = true
    settleThreads()
  })
  const aborted = new Promise<never>((_, reject) => {
    if (opts.signal) opts.signal.addEventListener('abort', () => reject(new HashAbortedError()), { once: true })
  })
  aborted.catch(() => undefined)
  try {
    await Promise.race([Promise.all([mainDone, threaded]), aborted])
  } finally {
    // Not awaited: a worker that never got a file may still be starting; it is stopped and left to exit.
    for (const w of workers) {
      w.unref()
      void w.terminate()
    }
  }
  return outcomes
}
