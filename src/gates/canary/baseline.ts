/**
 * Recorded baselines. At 100% no baseline traffic is left to compare the canary with, so the
 * baseline is measured in pre-flight (`record-baseline`), written to a file whose SHA-256 goes
 * into the report, and read back at the later steps (`baseline-file`). A file that is missing,
 * unreadable, too old or for other selectors is refused with a sentence naming it.
 */
import { createHash } from 'node:crypto'
import path from 'node:path'
import { writeFileAtomic } from '../../core/files.js'
import type { GateRunContext } from '../../core/gate.js'
import { formatDuration } from '../../core/units.js'
import { describe, instant, shownPath } from './evidence.js'
import { BASELINE_FORMAT, type Evidence, type LoadedBaseline, type Reading, type RecordedBaseline } from './model.js'
import { FUTURE_TOLERANCE_MS, iso } from './format.js'
import type { Evaluation, Thresholds } from './verdict.js'

/** The baseline cannot be recorded or used; the message names the file and what is wrong. */
export class BaselineError extends Error {}

const MAX_BASELINE_BYTES = 1024 * 1024

export type BaselineSource = RecordedBaseline['source']

/** Why a baseline reading cannot be recorded, or undefined when it is a finite number ≥ `min`. */
function unusable(r: Reading | undefined, min: number, label: string): string | undefined {
  if (!r) return `${label} is missing`
  if (!r.ok) return `${label}: ${r.why}`
  if (!Number.isFinite(r.value)) return `${label} is ${Number.isNaN(r.value) ? 'NaN' : 'infinite'}`
  if (r.value < min) return `${label} is ${r.value}, below ${min}`
  return undefined
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/**
 * The baseline over every window read: requests and errors summed, p50 and p99 the median of
 * the windows' own. Each window must carry the baseline in full, with at least `min-requests`.
 */
export function measureBaseline(evidence: Evidence, ev: Evaluation, t: Thresholds, source: BaselineSource, now: number): RecordedBaseline {
  if (evidence.shape === 'runbook') {
    throw new BaselineError(
      `${evidence.origin} is in the runbook shape, which carries no baseline numbers per window: record the baseline from Prometheus or from the raw shape`,
    )
  }
  const windows = ev.windows
  if (windows.length < t.minGreen) {
    throw new BaselineError(
      `${evidence.origin} gave ${windows.length} window${windows.length === 1 ? '' : 's'} to measure the baseline over, fewer than min-green-windows ${t.minGreen}`,
    )
  }
  const problems: string[] = []
  let requests = 0
  let errors = 0
  let seconds = 0
  const p99s: number[] = []
  const p50s: number[] = []
  for (const v of windows) {
    // Problems of the window itself (stale, repeated, bad times), not of the canary's numbers.
    const own = v.reasons.find(
      (r) => ['stale', 'invalid', 'layout', 'anchor'].includes(r.kind) && !/^(canary|missing baseline)/.test(r.text),
    )
    const b = v.window.baseline
    const why =
      own?.text ??
      (!b
        ? 'no baseline data in this window'
        : (unusable(b.requests, t.minRequests, 'baseline requests') ??
          unusable(b.errors, 0, 'baseline errors') ??
          unusable(b.p99, Number.MIN_VALUE, 'baseline p99') ??
          (b.errors.ok && b.requests.ok && b.errors.value > b.requests.value ? 'baseline errors exceed its requests' : undefined)))
    if (why || !b) {
      problems.push(`window ${v.label}: ${why}`)
      continue
    }
    requests += (b.requests as { value: number }).value
    errors += (b.errors as { value: number }).value
    p99s.push((b.p99 as { value: number }).value)
    if (b.p50?.ok && Number.isFinite(b.p50.value) && b.p50.value > 0) p50s.push(b.p50.value)
    const w = v.window
    seconds += (w.start !== undefined && w.end !== undefined ? w.end - w.start : t.windowMs) / 1000
  }
  if (problems.length > 0) {
    throw new BaselineError(
      `${problems.length} of the ${windows.length} windows from ${evidence.origin} do not carry a full baseline: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`,
    )
  }
  const first = windows[0].window
  const last = windows[windows.length - 1].window
  return {
    format: BASELINE_FORMAT,
    recordedAt: iso(now),
    source,
    window: formatDuration(t.windowMs),
    windowMs: t.windowMs,
    from: iso(first.start ?? first.end! - t.windowMs),
    to: iso(last.end!),
    windows: windows.length,
    // increase() extrapolates, so counts are fractional; a thousandth of a request is enough.
    requests: Math.round(requests * 1000) / 1000,
    errors: Math.round(errors * 1000) / 1000,
    errorRate: errors / requests,
    requestRate: requests / seconds,
    p50Ms: p50s.length ? median(p50s) : null,
    p99Ms: median(p99s),
  }
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

/** Writes the recorded baseline; nothing is written when it could not be measured. */
export async function writeBaseline(
  ctx: GateRunContext,
  target: string,
  baseline: RecordedBaseline,
): Promise<{ file: string; sha256: string }> {
  const file = path.resolve(ctx.cwd, target)
  const shown = shownPath(ctx, file)
  const text = JSON.stringify(baseline, null, 2) + '\n'
  try {
    const s = await ctx.fs.stat(file).catch(() => undefined)
    if (s && !s.isFile()) throw new BaselineError(`\`record-baseline\` ${shown} is not a regular file, so the baseline was not written`)
    await writeFileAtomic(file, text)
  } catch (err) {
    if (err instanceof BaselineError) throw err
    const code = (err as { code?: string }).code ?? 'error'
    throw new BaselineError(`the baseline could not be written to \`record-baseline\` ${shown} (${code})`)
  }
  return { file: shown, sha256: sha256(text) }
}

/** What a recorded baseline must match to be used: the source and, for Prometheus, selectors and queries. */
export interface BaselineExpectation {
  source: BaselineSource
  maxAgeMs: number
  now: number
}

/** Reads and checks `baseline-file`; every problem is a BaselineError whose message names the file. */
export async function loadBaseline(ctx: GateRunContext, target: string, want: BaselineExpectation): Promise<LoadedBaseline> {
  const file = path.resolve(ctx.cwd, target)
  const shown = shownPath(ctx, file)
  const name = `the recorded baseline \`baseline-file\` ${shown}`
  let bytes: Buffer
  try {
    const s = await ctx.fs.stat(file)
    if (!s.isFile()) throw new BaselineError(`${name} is not a regular file`)
    if (s.size > MAX_BASELINE_BYTES) throw new BaselineError(`${name} is ${s.size} bytes, more than a recorded baseline can be`)
    bytes = await ctx.fs.readFile(file)
  } catch (err) {
    if (err instanceof BaselineError) throw err
    const code = (err as { code?: string }).code
    throw new BaselineError(
      code === 'ENOENT'
        ? `${name} does not exist: record it in pre-flight with \`record-baseline\` and carry the file to this step`
        : `${name} cannot be read (${code ?? 'error'})`,
    )
  }
  let doc: unknown
  try {
    doc = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new BaselineError(`${name} is not JSON`)
  }
  const b = doc as Partial<RecordedBaseline> & Record<string, unknown>
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || b.format !== BASELINE_FORMAT) {
    throw new BaselineError(`${name} is not a recorded canary baseline (\`format\` ${describe(b?.format)}, not "${BASELINE_FORMAT}")`)
  }
  const at = typeof b.recordedAt === 'string' ? instant(b.recordedAt) : undefined
  if (at === undefined) throw new BaselineError(`${name}: \`recordedAt\` is ${describe(b.recordedAt)}, not an ISO 8601 time`)
  const numbers: [keyof RecordedBaseline, number][] = [
    ['windowMs', 1],
    ['windows', 1],
    ['requests', 1],
    ['errors', 0],
    ['p99Ms', Number.MIN_VALUE],
  ]
  for (const [key, min] of numbers) {
    const v = b[key]
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
      throw new BaselineError(`${name}: \`${key}\` is ${describe(v)}, not a number of at least ${min}`)
  }
  if (b.p50Ms !== null && b.p50Ms !== undefined && (typeof b.p50Ms !== 'number' || !Number.isFinite(b.p50Ms) || b.p50Ms <= 0)) {
    throw new BaselineError(`${name}: \`p50Ms\` is ${describe(b.p50Ms)}, not a latency in milliseconds`)
  }
  if (b.errors! > b.requests!) throw new BaselineError(`${name}: \`errors\` (${b.errors}) exceed \`requests\` (${b.requests})`)
  const age = want.now - at
  if (age < -FUTURE_TOLERANCE_MS) {
    throw new BaselineError(
      `${name} says it was recorded ${formatDuration(-age)} in the future (${b.recordedAt}): check the clock of the pre-flight runner`,
    )
  }
  if (age > want.maxAgeMs) {
    throw new BaselineError(
      `${name} was recorded ${formatDuration(age)} ago (${b.recordedAt}), longer ago than max-age ${formatDuration(want.maxAgeMs)}: record it again in this cutover's pre-flight`,
    )
  }
  const mismatch = sourceMismatch(b.source, want.source)
  if (mismatch) throw new BaselineError(`${name} ${mismatch}: its numbers say nothing about this canary`)
  // The rate is recomputed from the counts the file carries, so the two cannot disagree.
  const baseline = { ...(b as RecordedBaseline), errorRate: b.errors! / b.requests! }
  return { baseline, file: shown, sha256: sha256(bytes), at }
}

const QUERY_KEYS = ['requests', 'errors', 'p99'] as const

function sourceMismatch(got: unknown, want: BaselineSource): string | undefined {
  const g = got as Partial<BaselineSource> | undefined
  const kind = (k: unknown) => (k === 'prometheus' ? 'Prometheus' : k === 'evidence' ? 'evidence JSON' : describe(k))
  if (typeof g !== 'object' || g === null || g.kind !== want.kind) {
    return `was recorded from ${kind(g?.kind)}, but this gate reads ${kind(want.kind)}`
  }
  if (want.kind !== 'prometheus') return undefined
  const gp = g as Extract<BaselineSource, { kind: 'prometheus' }>
  const sel = gp.selectors ?? ({} as { canary?: string; baseline?: string })
  if (sel.baseline !== want.selectors.baseline || sel.canary !== want.selectors.canary) {
    return `was recorded for baseline-selector ${describe(sel.baseline)} and canary-selector ${describe(sel.canary)}, not ${describe(want.selectors.baseline)} and ${describe(want.selectors.canary)}`
  }
  const differs = QUERY_KEYS.filter((k) => gp.queries?.[k] !== want.queries[k])
  if (differs.length) return `was recorded with other queries (${differs.map((k) => `\`${k}\``).join(', ')} differ)`
  return undefined
}
