// Helpers for the command gate's tests: a clock the gate's waits move, and process checks read from /proc.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { defaultContext, runGate, type GateContext } from '../../../src/core/gate.js'
import { command } from '../../../src/gates/command/gate.js'

export const T0 = Date.parse('2026-06-01T02:00:00Z')

/**
 * A gate clock that moves only when the gate sleeps. `hold(n, signal)` runs before the n-th sleep
 * moves the clock: it can wait for the script to reach a point, or hold the sleep until the run
 * ends (the signal aborts), in which case the clock does not move.
 */
export function steppedClock(hold: (n: number, signal?: AbortSignal) => Promise<'advance' | 'stay'> = async () => 'advance') {
  let t = T0
  const sleeps: number[] = []
  const ctx: Partial<GateContext> = {
    now: () => new Date(t),
    sleep: async (ms, signal) => {
      sleeps.push(ms)
      if ((await hold(sleeps.length, signal)) === 'advance' && !signal?.aborted) t += ms
      await new Promise((r) => setImmediate(r))
    },
  }
  return { ctx, sleeps }
}

/** Resolves when the signal aborts. */
export const ended = (signal?: AbortSignal) =>
  new Promise<void>((r) => (signal?.aborted ? r() : signal?.addEventListener('abort', () => r(), { once: true })))

/** Polls (real time) until `file` exists; the script's own pace, not a measurement. */
export async function waitFor(file: string, limitMs = 10_000): Promise<void> {
  for (let waited = 0; !existsSync(file); waited += 10) {
    if (waited > limitMs) throw new Error(`${file} did not appear`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export async function runCommand(inputs: Record<string, unknown>, over: Partial<GateContext> & { lines?: string[] } = {}) {
  const { lines, ...rest } = over
  const cwd = rest.cwd ?? process.cwd()
  const ctx = defaultContext({ log: (l) => lines?.push(l), cwd, workspace: cwd, ...rest })
  return runGate(command, inputs, ctx, { id: 'command' })
}

/** No process of the group (its leader's pid) is running; zombies count as gone. */
export function groupGone(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return false
  }
  return true
}

export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}
