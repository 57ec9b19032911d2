/**
 * What one drill accumulates as its providers run (checks, metrics, steps, snapshots, output
 * tails), and the helpers every provider words its findings with.
 */
import path from 'node:path'
import type { GateRunContext, RunOutcome } from '../../core/gate.js'
import type { Check, Location } from '../../core/result.js'
import { formatBytes, formatDuration } from '../../core/units.js'
import { describeEnd } from '../../lib/process.js'
import { lastLines } from '../../lib/tail.js'
import type { FileFacts } from './files.js'
import type { PgRun } from './postgres.js'
import type { DrSettings } from './spec.js'

/** A step of the drill, for the report's table. */
export interface Step {
  name: string
  ms: number
  result: string
}

export interface Snapshot {
  what: string
  path: string
  size: number
  sha256: string
  timestamp: string
}

export interface OutputTail {
  step: string
  text: string
  cut: boolean
}

/** Everything one drill accumulates. */
export interface Drill {
  s: DrSettings
  ctx: GateRunContext
  limit: number
  checks: Check[]
  metrics: Record<string, number>
  steps: Step[]
  snapshots: Snapshot[]
  tails: OutputTail[]
  rtoLines: string[]
  rpoLines: string[]
}

export const TAIL_LINES = 40
export const TAIL_CHARS = 6000

/** One kind of drill: when its inputs are given, it runs and adds its checks to the drill. */
export interface DrillProvider {
  name: string
  applies(s: DrSettings): boolean
  run(d: Drill): Promise<void>
}

export const abs = (d: Drill, p: string) => path.resolve(d.ctx.cwd, p)

/** The path relative to the workspace, or undefined when it lies outside. */
export function inWorkspace(d: Drill, p: string): string | undefined {
  const rel = path.relative(d.ctx.workspace, abs(d, p))
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined
}

/** A path as the report shows it: relative to the workspace when inside it. */
export const shown = (d: Drill, p: string) => inWorkspace(d, p) ?? abs(d, p)

/** An annotation target: only files inside the workspace can be annotated. */
export function location(d: Drill, p: string, line?: number): Location | undefined {
  const rel = inWorkspace(d, p)
  if (rel === undefined) return undefined
  return line !== undefined ? { path: rel, line } : { path: rel }
}

export const size = (bytes: number | bigint) => formatBytes(Number(bytes))

export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e?.code === 'ENOENT') return 'it does not exist'
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied'
  if (e?.code === 'ENOTDIR') return 'a part of the path is not a folder'
  if (e?.code === 'ENOTFILE') return 'it is not a regular file'
  return e?.message ?? String(err)
}

/**
 * The line of output a message quotes (the full tail goes into the details): the last error
 * line of a PostgreSQL tool (its last line is often a `^` pointer or a context line), else the
 * last non-empty line.
 */
export function lastLine(text: string, preferErrors = false): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
  const errors = preferErrors ? lines.filter((l) => /\b(ERROR|FATAL|PANIC|error):/.test(l)) : []
  const line = errors.pop() ?? lines.pop() ?? ''
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

export function keepTail(d: Drill, step: string, o: RunOutcome): void {
  if (!o.tail.trim()) return
  const t = lastLines(o.tail, TAIL_LINES, TAIL_CHARS)
  d.tails.push({ step, text: t.text, cut: t.cut || o.dropped > 0 })
}

export function tickMs(rto: number): number {
  return Math.min(5000, Math.max(1000, Math.round(rto / 10)))
}

/** A progress line while a timed step runs: elapsed, budget left, when it will be killed. */
export function progress(d: Drill, step: string, budget: number | undefined, sinceMs = 0) {
  return (elapsedMs: number) => {
    const el = sinceMs + elapsedMs
    const parts = [`${step}: ${formatDuration(el)} elapsed`]
    if (budget !== undefined) {
      parts.push(
        el <= budget
          ? `${formatDuration(budget - el)} of the ${formatDuration(budget)} RTO left`
          : `the ${formatDuration(budget)} RTO is exceeded by ${formatDuration(el - budget)}`,
      )
    }
    parts.push(`killed in ${formatDuration(Math.max(0, d.limit - elapsedMs))} if still running`)
    d.ctx.log(parts.join('; '))
  }
}

export function pgRun(d: Drill, limitMs = d.limit, extra: Partial<PgRun> = {}): PgRun {
  return {
    exec: d.ctx.exec,
    fs: d.ctx.fs,
    cwd: d.ctx.cwd,
    env: d.ctx.env,
    now: () => d.ctx.now().getTime(),
    limitMs,
    ...(d.ctx.signal ? { signal: d.ctx.signal } : {}),
    ...extra,
  }
}

/** Why a child process did not succeed, as a clause: `exited 1`, `was killed after 30m (timeout)`. */
export function howItEnded(d: Drill, o: RunOutcome, program: string): string {
  if (o.spawnError?.code === 'ENOENT') return `could not start: \`${program}\` is not on PATH`
  if (o.spawnError?.code === 'ENOCWD') return `could not start: its working folder ${d.ctx.cwd} does not exist`
  if (o.spawnError) return `could not start (${o.spawnError.code})`
  if (o.timedOut) return `was still running after ${formatDuration(d.limit)} (the timeout) and was killed with its process group`
  if (o.cancelled) return 'was cancelled, and killed with its process group'
  const last = lastLine(o.tail, program !== 'bash')
  return `${describeEnd(o).replace(/^exit/, 'exited')} after ${formatDuration(o.durationMs)}${last ? `: ${last}` : ''}`
}

export function snapshot(what: string, p: string, f: FileFacts): Snapshot {
  return { what, path: p, size: f.size, sha256: f.sha256, timestamp: f.mtime.toISOString() }
}
