/**
 * Runs one child process with a hard time limit, the way a DR drill needs it.
 *
 * The child gets its own process group (`detached: true` makes it a session leader), so when it
 * outlives the limit the whole group is signalled: a restore script's `pg_restore`, `rsync` or
 * `sleep` children die with it instead of living on in the runner. SIGTERM first, SIGKILL after
 * a grace period. A command that finishes in time is left alone, background children included:
 * a restore may legitimately start a service that the verify step then queries.
 *
 * Timers here are real timers (they must be cancellable, or a pending 30-minute limit would
 * hold the process open), chained past what one Node timer holds; durations are read from the
 * clock the gate passes in.
 */
import type { spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { TailBuffer } from './tail.js'

export interface RunSpec {
  /** Program and arguments; never a shell string (the caller picks `bash -c` when it wants a shell). */
  argv: [string, ...string[]]
  cwd: string
  env: Record<string, string | undefined>
  /** Kill the process group after this long. */
  limitMs: number
  /** Time between SIGTERM and SIGKILL. */
  graceMs?: number
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string
  /** Keep stdout separately (up to this many bytes), for programs whose answer we parse. */
  captureStdout?: number
  /** Bytes of combined stdout+stderr kept for the report. */
  tailBytes?: number
  signal?: AbortSignal
  now: () => number
  /** Sees every chunk of output as it arrives (to read a verdict line anywhere in it, not only in the tail). */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void
  /** Called every `tickMs` while the child runs (progress lines). */
  onTick?: (elapsedMs: number) => void
  tickMs?: number
}

export interface RunOutcome {
  /** Exit code, or null when a signal ended it or it never started. */
  code: number | null
  signal: NodeJS.Signals | null
  durationMs: number
  /** Killed because it outlived `limitMs`. */
  timedOut: boolean
  /** Killed because `signal` was aborted. */
  cancelled: boolean
  /** The program could not be started (e.g. `ENOENT`); nothing ran. */
  spawnError?: { code: string; message: string }
  /** The end of the combined output. */
  tail: string
  /** Bytes of output that fell out of the tail. */
  dropped: number
  stdout: string
  /** stdout exceeded `captureStdout`. */
  stdoutOverflow: boolean
}

export const DEFAULT_GRACE_MS = 5000
export const DEFAULT_TAIL_BYTES = 64 * 1024
/** How long to wait for the output pipes to drain after the child itself exited. */
const DRAIN_MS = 250

/** Process groups still running: killed if the gate's own process exits first. */
const live = new Set<number>()
let exitHookInstalled = false
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const pgid of live) signalGroup(pgid, 'SIGKILL')
  })
}

/**
 * Whether any process of the group still runs. On Linux, /proc tells zombies apart: a killed
 * grandchild whose new parent never reaps it (pid 1 in many containers) is dead, not a stray.
 */
function groupAlive(pgid: number): boolean {
  if (process.platform === 'linux') {
    try {
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue
        let stat: string
        try {
          stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        } catch {
          continue // exited while we looked
        }
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true
      }
      return false
    } catch {
      // no /proc: fall through
    }
  }
  try {
    process.kill(-pgid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const POLL_MS = 50
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** The longest delay setTimeout holds: beyond it Node warns (TimeoutOverflowWarning) and fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Calls `fn` once after `ms`, however long: a wait beyond what one Node timer can hold is chained
 * in pieces of at most MAX_TIMER_MS, so a 26-day kill limit waits 26 days instead of 1 ms.
 * Returns the function that cancels it.
 */
export function startTimer(ms: number, fn: () => void): () => void {
  let left = Number.isFinite(ms) ? Math.max(0, ms) : 0
  let handle: NodeJS.Timeout
  const arm = () => {
    const piece = Math.min(left, MAX_TIMER_MS)
    left -= piece
    handle = setTimeout(() => (left > 0 ? arm() : fn()), piece)
  }
  arm()
  return () => clearTimeout(handle)
}

/**
 * SIGTERM to the group, then SIGKILL if anything in it is still there after `graceMs`.
 * Resolves once the group is empty (or, for members the kernel cannot reap yet, shortly after SIGKILL).
 */
export async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return
  // Counted in polls rather than read from a clock: this is mechanics, not a measurement.
  for (let waited = 0; waited < graceMs; waited += POLL_MS) {
    await sleep(POLL_MS)
    if (!groupAlive(pgid)) return
  }
  signalGroup(pgid, 'SIGKILL')
  for (let waited = 0; waited < 2000 && groupAlive(pgid); waited += POLL_MS) await sleep(POLL_MS)
}

function signalGroup(pgid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, sig)
    return true
  } catch {
    return false // ESRCH: the group is already empty
  }
}

export function runProcess(spec: RunSpec): Promise<RunOutcome> {
  const grace = spec.graceMs ?? DEFAULT_GRACE_MS
  const tail = new TailBuffer(spec.tailBytes ?? DEFAULT_TAIL_BYTES)
  const stdoutCap = spec.captureStdout ?? 0
  const stdoutChunks: Buffer[] = []
  let stdoutSize = 0
  let stdoutOverflow = false
  const started = spec.now()
  const elapsed = () => Math.max(0, spec.now() - started)

  return new Promise<RunOutcome>((resolve) => {
    let timedOut = false
    let cancelled = false
    let settled = false
    let cancelLimit = () => {}
    let cancelTick = () => {}
    const clear = () => {
      cancelLimit()
      cancelTick()
      spec.signal?.removeEventListener('abort', onAbort)
    }

    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: RunOutcome['spawnError']) => {
      if (settled) return
      settled = true
      const durationMs = elapsed()
      clear()
      resolve({
        code,
        signal,
        durationMs,
        timedOut,
        cancelled,
        ...(spawnError ? { spawnError } : {}),
        tail: tail.text(),
        dropped: tail.dropped,
        stdout: Buffer.concat(stdoutChunks).toString('utf8'),
        stdoutOverflow,
      })
    }

    if (spec.signal?.aborted) {
      cancelled = true
      finish(null, null)
      return
    }

    let child: ReturnType<typeof spawn>
    try {
      // Taken at first use: an ES import of node:child_process costs every action's start-up, most never spawn.
      const cp = process.getBuiltinModule('node:child_process') as typeof import('node:child_process')
      child = cp.spawn(spec.argv[0], spec.argv.slice(1), {
        cwd: spec.cwd,
        env: spec.env as NodeJS.ProcessEnv,
        detached: true,
        stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      })
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      finish(null, null, { code: e.code ?? 'ESPAWN', message: e.message })
      return
    }
    const pgid = child.pid
    if (pgid !== undefined) {
      live.add(pgid)
      installExitHook()
    }

    child.stdout!.on('data', (chunk: Buffer) => {
      tail.push(chunk)
      spec.onOutput?.(chunk, 'stdout')
      if (stdoutSize < stdoutCap) {
        const keep = chunk.subarray(0, stdoutCap - stdoutSize)
        stdoutChunks.push(keep)
        stdoutSize += keep.byteLength
        if (keep.byteLength < chunk.byteLength) stdoutOverflow = true
      } else if (stdoutCap > 0) stdoutOverflow = true
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      tail.push(chunk)
      spec.onOutput?.(chunk, 'stderr')
    })
    if (spec.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => {}) // EPIPE when the program does not read its input
      child.stdin.end(spec.stdin)
    }

    let exited = false
    let killing: Promise<void> | undefined
    const kill = () => {
      if (pgid === undefined || exited) return
      killing ??= terminateGroup(pgid, grace).then(() => {
        live.delete(pgid)
      })
    }
    function onAbort() {
      if (settled || timedOut || cancelled) return
      cancelled = true
      kill()
    }
    spec.signal?.addEventListener('abort', onAbort, { once: true })

    cancelLimit = startTimer(spec.limitMs, () => {
      if (settled || cancelled) return
      timedOut = true
      kill()
    })
    if (spec.onTick && spec.tickMs && spec.tickMs > 0) {
      const tickMs = spec.tickMs
      const tick = () => {
        if (settled) return
        spec.onTick!(elapsed())
        cancelTick = startTimer(tickMs, tick)
      }
      cancelTick = startTimer(tickMs, tick)
    }

    child.on('error', (err: NodeJS.ErrnoException) => {
      // Only spawn failures reach here before 'exit' (ENOENT, EACCES). A missing working folder
      // is also reported as ENOENT, as if the program were missing: tell them apart.
      if (pgid !== undefined) live.delete(pgid)
      const code = err.code === 'ENOENT' && !existsSync(spec.cwd) ? 'ENOCWD' : (err.code ?? 'ESPAWN')
      finish(null, null, { code, message: err.message })
    })

    child.on('exit', (code, signal) => {
      exited = true
      // The output pipes may be held open by a background child: wait briefly for them to
      // drain, then stop waiting (and let them flow unobserved, so that child never blocks).
      const done = () => {
        if (pgid !== undefined && !timedOut && !cancelled) live.delete(pgid)
        for (const s of [child.stdout, child.stderr]) {
          if (!s) continue
          s.removeAllListeners('data')
          s.resume()
          ;(s as unknown as { unref?: () => void }).unref?.()
        }
        // A killed run ends only when its whole group is gone, so no stray process outlives the verdict.
        if (killing) void killing.then(() => finish(code, signal))
        else finish(code, signal)
      }
      let closed = false
      child.once('close', () => {
        closed = true
        done()
      })
      const t = setTimeout(() => {
        if (!closed) done()
      }, DRAIN_MS)
      t.unref()
    })
  })
}

/** `exit 3`, `killed by SIGKILL`, `not started (ENOENT)`: how a run ended, in a few words. */
export function describeEnd(o: RunOutcome): string {
  if (o.spawnError) return `could not be started (${o.spawnError.code})`
  if (o.code !== null) return `exit ${o.code}`
  if (o.signal) return `killed by ${o.signal}`
  return 'not run'
}
