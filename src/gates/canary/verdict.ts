/**
 * The verdict: each window of the evidence judged against the thresholds, canary against
 * baseline, and the row of green windows that decides. Pure: the gate, the tests and the bench
 * call `evaluate` directly.
 */
import { formatDuration } from '../../core/units.js'
import { count, FUTURE_TOLERANCE_MS, iso, pct, ms, times, windowLabel } from './format.js'
import type { Status } from '../../core/result.js'
import type { Evidence, LoadedBaseline, Reading, Variant, Window } from './model.js'

export interface Thresholds {
  windowMs: number
  minGreen: number
  minRequests: number
  slo: number
  maxBurst: number
  maxP99Regression: number
  maxErrorRate: number
  abortP99Regression: number
  abortErrorRate: number
  /** Oldest evidence accepted when its windows carry no times (default 24h). */
  maxAgeMs?: number
}

export const DEFAULT_MAX_AGE_MS = 24 * 3_600_000

export type TriggerKind = 'burst' | 'p99' | 'error rate'

export interface Trigger {
  kind: TriggerKind
  window: string
  text: string
}

/** Why a window is not green; the kind chooses what to advise. */
export interface Reason {
  kind: 'source' | 'no-data' | 'stale' | 'traffic' | 'baseline' | 'invalid' | 'threshold' | 'reported' | 'layout' | 'anchor'
  text: string
}

/** A window that repeats or overlaps an earlier one: it cannot count as a window of its own. */
export interface Overlap {
  window: string
  other: string
  text: string
}

/**
 * Where the row of green windows stops although the window before is green: time between two
 * windows that nobody measured, or the start of the hold (windows before it do not count).
 */
export interface Break {
  /** Position in `Evaluation.windows` of the oldest window the row can hold. */
  at: number
  kind: 'gap' | 'hold'
  text: string
}

export interface WindowVerdict {
  window: Window
  label: string
  green: boolean
  reasons: Reason[]
  triggers: Trigger[]
  requests?: number
  baselineRequests?: number
  errorRate?: number
  baselineErrorRate?: number
  burst?: number
  p99?: number
  baselineP99?: number
  /** The window carried numbers that could be judged (for the abort check's wording). */
  judged: boolean
  /** Why the live baseline was replaced by the recorded one in this window (it had no traffic). */
  recorded?: string
}

export interface Evaluation {
  shape: Evidence['shape']
  windows: WindowVerdict[]
  /** Green windows in a row, ending with the newest. */
  streak: number
  triggers: Trigger[]
  passed: boolean
  /** Criteria the evidence cannot show (the runbook shape has no p99 per window). */
  unchecked: string[]
  notes: string[]
  /** Windows that repeat or overlap another; undefined when the windows carry no times to compare. */
  overlaps?: Overlap[]
  breaks: Break[]
  /** Windows left out because they start before `not-before` (the promotion). */
  ignored: WindowVerdict[]
  /** Enough green windows and no trigger: the gate passes once the hold is over too. */
  enough: boolean
  /** Time left of the hold at `now` (0 when over); undefined without a hold. */
  holdLeft?: number
  /** How old evidence is whose windows carry no times, from a timestamp in it or its file or HTTP dates. */
  age?: AgeCheck
}

export interface AgeCheck {
  status: Status
  observed: string
  expected: string
  message: string
}

/** How the windows are anchored to the promotion step, and what may replace a quiet baseline. */
export interface EvaluateOptions {
  /** Judge only windows that start at or after this instant (the promotion); earlier ones are ignored. */
  notBefore?: number
  /** Green windows count only from `from` on, and the gate passes only from `until` on. */
  hold?: { from: number; until: number }
  /** A baseline recorded earlier, for windows whose live baseline has no traffic. */
  recorded?: LoadedBaseline
}

/** Evidence timestamps are often rounded to the second: a smaller overlap or gap is not one. */
export const LAYOUT_TOLERANCE_MS = 1000

/** Reads a value that must be a finite number ≥ 0, or records why it cannot be used. */
function take(r: Reading | undefined, label: string, reasons: Reason[], kind: Reason['kind'] = 'no-data'): number | undefined {
  if (!r) {
    reasons.push({ kind, text: `${label}: missing` })
    return undefined
  }
  if (!r.ok) {
    const k: Reason['kind'] = r.why.startsWith('stale') ? 'stale' : r.why.startsWith('Prometheus at') ? 'source' : kind
    reasons.push({ kind: k, text: `${label}: ${r.why}` })
    return undefined
  }
  const v = r.value
  if (Number.isNaN(v)) reasons.push({ kind: 'invalid', text: `${label} is NaN` })
  else if (!Number.isFinite(v)) reasons.push({ kind: 'invalid', text: `${label} is infinite` })
  else if (v < 0) reasons.push({ kind: 'invalid', text: `${label} is negative (${v})` })
  else return v
  return undefined
}

/** Identical reasons from several readings (an unreachable source) become one. */
function merge(reasons: Reason[]): Reason[] {
  const out: Reason[] = []
  const byWhy = new Map<string, { reason: Reason; labels: string[] }>()
  for (const r of reasons) {
    const m = /^((?:canary|baseline) [a-z0-9]+): (.*)$/s.exec(r.text)
    if (!m) {
      out.push(r)
      continue
    }
    const seen = byWhy.get(m[2])
    if (seen) seen.labels.push(m[1])
    else {
      const entry = { reason: { ...r }, labels: [m[1]] }
      byWhy.set(m[2], entry)
      out.push(entry.reason)
    }
  }
  for (const [why, { reason, labels }] of byWhy) reason.text = `${joinLabels(labels)}: ${why}`
  return out
}

function joinLabels(labels: string[]): string {
  if (labels.length === 1) return labels[0]
  const sides = new Map<string, string[]>()
  for (const l of labels) {
    const [side, metric] = l.split(' ')
    sides.set(side, [...(sides.get(side) ?? []), metric])
  }
  return [...sides].map(([side, metrics]) => `${side} ${metrics.join(', ')}`).join('; ')
}

/**
 * Why the live baseline of a window has no traffic to compare with (none left at 100%, or gone
 * quiet), or undefined when it has, or when it is broken in another way (unreachable, NaN),
 * which a recorded baseline must not paper over.
 */
export function quietBaseline(b: Variant | undefined, minRequests: number): string | undefined {
  if (!b) return 'no baseline data in this window'
  const r = b.requests
  if (!r.ok) return /^(no series matched|no samples in this window|stale:)/.test(r.why) ? r.why : undefined
  if (Number.isFinite(r.value) && r.value >= 0 && r.value < minRequests) {
    return `${count(r.value)} baseline requests, fewer than min-requests ${minRequests}`
  }
  return undefined
}

function judgeRaw(w: Window, t: Thresholds, v: WindowVerdict, recorded?: LoadedBaseline) {
  const reasons: Reason[] = []
  const c = w.canary
  const b = w.baseline
  const quiet = recorded ? quietBaseline(b, t.minRequests) : undefined
  if (!c) reasons.push({ kind: 'no-data', text: 'no canary data in this window' })
  if (!b && quiet === undefined) reasons.push({ kind: 'baseline', text: 'missing baseline: no baseline data in this window' })
  const requests = c ? take(c.requests, 'canary requests', reasons) : undefined
  const errors = c ? take(c.errors, 'canary errors', reasons) : undefined
  const p99 = c ? take(c.p99, 'canary p99', reasons) : undefined
  let bRequests: number | undefined
  let bP99: number | undefined
  let bEnough = false
  if (quiet !== undefined && recorded) {
    // The recorded baseline was measured over windows with enough traffic each.
    v.recorded = quiet
    bP99 = recorded.baseline.p99Ms
    bEnough = true
    v.baselineP99 = bP99
    v.baselineErrorRate = recorded.baseline.errorRate
  } else {
    const bReasons: Reason[] = []
    bRequests = b ? take(b.requests, 'baseline requests', bReasons, 'baseline') : undefined
    bP99 = b ? take(b.p99, 'baseline p99', bReasons, 'baseline') : undefined
    // The baseline's errors are context for the table, not a criterion.
    const bErrors = b?.errors.ok && Number.isFinite(b.errors.value) && b.errors.value >= 0 ? b.errors.value : undefined
    reasons.push(...bReasons)
    v.baselineRequests = bRequests
    v.baselineP99 = bP99
    if (bErrors !== undefined && bRequests !== undefined && bRequests > 0 && bErrors <= bRequests) v.baselineErrorRate = bErrors / bRequests
  }
  v.requests = requests
  v.p99 = p99

  let enough = false
  if (requests !== undefined) {
    if (requests < t.minRequests) {
      reasons.push({
        kind: 'traffic',
        text: `too little traffic: ${count(requests)} canary requests, fewer than min-requests ${t.minRequests}`,
      })
    } else enough = true
  }
  if (bRequests !== undefined) {
    if (bRequests < t.minRequests) {
      reasons.push({
        kind: 'traffic',
        text: `too little baseline traffic: ${count(bRequests)} requests, fewer than min-requests ${t.minRequests}`,
      })
    } else bEnough = true
  }
  const budget = 1 - t.slo
  if (requests !== undefined && errors !== undefined) {
    if (errors > requests) {
      reasons.push({ kind: 'invalid', text: `canary errors (${count(errors)}) exceed its requests (${count(requests)})` })
    } else if (requests > 0) {
      const rate = errors / requests
      v.errorRate = rate
      v.burst = rate / budget
      v.judged = true
      if (v.burst > t.maxBurst) {
        reasons.push({
          kind: 'threshold',
          text: `burst ${times(v.burst)} is above max-burst ${times(t.maxBurst)} (error rate ${pct(rate)} against a ${pct(budget)} error budget)`,
        })
      }
      if (rate > t.maxErrorRate) {
        reasons.push({ kind: 'threshold', text: `error rate ${pct(rate)} is above max-error-rate ${pct(t.maxErrorRate)}` })
      }
      // A quiet window still fires a trigger when its errors alone would, counted against min-requests.
      const denominator = Math.max(requests, t.minRequests)
      const effRate = errors / denominator
      const quiet =
        denominator > requests
          ? ` (${count(errors)} errors counted against min-requests ${t.minRequests}, as the window had only ${count(requests)} requests)`
          : ''
      if (effRate / budget > t.maxBurst) {
        v.triggers.push({
          kind: 'burst',
          window: v.label,
          text: `burst ${times(effRate / budget)} is above max-burst ${times(t.maxBurst)}: canary error rate ${pct(effRate)} (${count(errors)} of ${count(Math.max(requests, 0))} requests failed) against a ${pct(budget)} error budget (slo ${pct(t.slo)})${quiet}`,
        })
      }
      if (effRate > t.abortErrorRate) {
        v.triggers.push({
          kind: 'error rate',
          window: v.label,
          text: `canary error rate ${pct(effRate)} (${count(errors)} of ${count(requests)} requests failed) is above abort-error-rate ${pct(t.abortErrorRate)}${quiet}`,
        })
      }
    } else if (errors > 0) {
      reasons.push({ kind: 'invalid', text: `canary errors (${count(errors)}) with zero requests` })
    }
  }
  if (p99 !== undefined && bP99 !== undefined) {
    if (bP99 === 0) {
      reasons.push({ kind: 'baseline', text: 'missing baseline: baseline p99 is 0, nothing to compare the canary against' })
    } else {
      const regression = p99 / bP99 - 1
      const limit = bP99 * (1 + t.maxP99Regression)
      v.judged = true
      const said = `canary p99 ${ms(p99)} is ${pct(regression)} above ${v.recorded ? 'the recorded ' : ''}baseline p99 ${ms(bP99)}`
      if (p99 > limit) reasons.push({ kind: 'threshold', text: `${said}, beyond max-p99-regression ${pct(t.maxP99Regression)}` })
      // p99 of a handful of requests is noise: it fires no trigger.
      if (enough && bEnough && p99 > bP99 * (1 + t.abortP99Regression)) {
        v.triggers.push({ kind: 'p99', window: v.label, text: `${said}, beyond abort-p99-regression ${pct(t.abortP99Regression)}` })
      }
    }
  }
  v.reasons.push(
    ...merge(reasons).map((r) =>
      r.kind === 'baseline' && !r.text.startsWith('missing baseline') ? { ...r, text: `missing baseline: ${r.text}` } : r,
    ),
  )
}

function judgeRunbook(w: Window, t: Thresholds, v: WindowVerdict) {
  const pass = w.reported?.pass
  const burst = w.reported?.burst
  if (pass === false) v.reasons.push({ kind: 'reported', text: 'the evidence marks this window `pass: false`' })
  else if (pass === undefined) v.reasons.push({ kind: 'no-data', text: '`pass` is missing' })
  else if (pass !== true) v.reasons.push({ kind: 'invalid', text: `\`pass\` is ${JSON.stringify(pass)?.slice(0, 40)}, not true or false` })
  if (burst === undefined || burst === null)
    v.reasons.push({ kind: 'no-data', text: '`burst` is missing: the error budget burn of this window is unknown' })
  else if (typeof burst !== 'number')
    v.reasons.push({ kind: 'invalid', text: `\`burst\` is ${JSON.stringify(burst)?.slice(0, 40)}, not a number` })
  else if (!Number.isFinite(burst)) v.reasons.push({ kind: 'invalid', text: '`burst` is infinite' })
  else if (burst < 0) v.reasons.push({ kind: 'invalid', text: `\`burst\` is negative (${burst})` })
  else {
    v.burst = burst
    v.judged = true
    if (burst > t.maxBurst) {
      v.reasons.push({ kind: 'threshold', text: `burst ${times(burst)} is above max-burst ${times(t.maxBurst)}` })
      v.triggers.push({ kind: 'burst', window: v.label, text: `burst ${times(burst)} is above max-burst ${times(t.maxBurst)}` })
    }
  }
}

/** Judges every window of the evidence at time `now`; pure, so tests and the bench call it directly. */
export function evaluate(evidence: Evidence, t: Thresholds, now: number, opts: EvaluateOptions = {}): Evaluation {
  const unchecked: string[] = []
  const notes = [...evidence.notes]
  const extra = new Map<Window, Reason[]>()
  const add = (w: Window, r: Reason) => extra.set(w, [...(extra.get(w) ?? []), r])
  let age: (AgeCheck & { stale?: Reason }) | undefined
  // Files and URLs can be old: the newest window must have ended within one `window` of now.
  // The windows' own length does not count, or three-day windows would stay fresh for three days.
  if (evidence.shape !== 'prometheus') {
    const ends = evidence.windows.map((w) => w.end).filter((e): e is number => e !== undefined)
    if (ends.length > 0) {
      const newest = evidence.windows.find((w) => w.end === Math.max(...ends)) as Window
      const since = now - newest.end!
      for (const w of evidence.windows) {
        if (since > t.windowMs) {
          add(w, {
            kind: 'stale',
            text: `stale: the newest window (#${newest.index}) ended ${formatDuration(since)} ago, more than one window (${formatDuration(t.windowMs)}) before now`,
          })
        }
        if (w.end !== undefined && w.end > now + FUTURE_TOLERANCE_MS)
          add(w, { kind: 'invalid', text: `ends ${formatDuration(w.end - now)} in the future: check the clock or the timestamps` })
      }
    } else if (evidence.windows.length > 0) {
      age = ageOf(evidence, t, now)
      if (age.stale) for (const w of evidence.windows) add(w, age.stale)
    }
  }
  if (evidence.shape === 'runbook') {
    unchecked.unshift('p99 against the baseline', 'the error rate', 'the request count')
    const perf = evidence.perf
    if (perf) {
      const p = (v: unknown) =>
        typeof v === 'number' && Number.isFinite(v) ? String(v) : `${JSON.stringify(v) ?? 'missing'} (not a number)`
      notes.push(`perf: p50 ${p(perf.p50)}, p99 ${p(perf.p99)}; the runbook shape has no baseline to compare them with.`)
    }
  }
  // Windows measured before the promotion belong to the step before: they are not judged at all.
  const judgedWindows: Window[] = []
  const before: Window[] = []
  for (const w of evidence.windows) {
    if (opts.notBefore !== undefined && w.start !== undefined && w.start < opts.notBefore) before.push(w)
    else judgedWindows.push(w)
    if ((opts.notBefore !== undefined || opts.hold) && w.start === undefined && evidence.shape === 'runbook') {
      add(w, {
        kind: 'anchor',
        text: `carries no start time, so the gate cannot tell whether it was measured after ${opts.notBefore !== undefined ? 'the promotion (`not-before`)' : 'the hold began'}`,
      })
    }
  }
  const { overlaps, gaps } = layout({ ...evidence, windows: judgedWindows }, add)
  const verdict = (w: Window) => {
    const label = windowLabel(w)
    const v: WindowVerdict = { window: w, label, green: false, reasons: [], triggers: [], judged: false }
    for (const p of w.problems) v.reasons.push({ kind: p.startsWith('stale') ? 'stale' : 'invalid', text: p })
    v.reasons.push(...(extra.get(w) ?? []))
    if (evidence.shape === 'runbook') judgeRunbook(w, t, v)
    else judgeRaw(w, t, v, opts.recorded)
    v.green = v.reasons.length === 0 && v.triggers.length === 0
    return v
  }
  const windows = judgedWindows.map(verdict)
  const ignored = before.map((w) => ({ ...verdict(w), green: false }))
  if (ignored.length > 0) {
    notes.push(
      `${ignored.length} window${ignored.length === 1 ? '' : 's'} starting before not-before ${iso(opts.notBefore!)} (the promotion) ${ignored.length === 1 ? 'was' : 'were'} not judged: ${ignored
        .slice(0, 6)
        .map((v) => v.label)
        .join(', ')}${ignored.length > 6 ? ', …' : ''}.`,
    )
  }

  const breaks: Break[] = [...gaps]
  const gapAt = new Set(gaps.map((g) => g.at))
  let streak = 0
  for (let i = windows.length - 1; i >= 0 && windows[i].green; i--) {
    const start = windows[i].window.start
    if (opts.hold && (start === undefined || start < opts.hold.from)) {
      breaks.push({
        at: i + 1,
        kind: 'hold',
        text: `window ${windows[i].label} is green but ${start === undefined ? 'carries no start time' : 'starts before the hold began'} (${iso(opts.hold.from)}), so it does not count towards the hold`,
      })
      break
    }
    streak++
    if (gapAt.has(i)) break
  }
  const triggers = windows.flatMap((w) => w.triggers)
  const enough = triggers.length === 0 && streak >= t.minGreen && (overlaps?.length ?? 0) === 0 && age?.status !== 'fail'
  const holdLeft = opts.hold ? Math.max(0, opts.hold.until - now) : undefined
  return {
    shape: evidence.shape,
    windows,
    streak,
    triggers,
    enough,
    passed: enough && !holdLeft,
    unchecked,
    notes,
    ...(overlaps ? { overlaps } : {}),
    breaks,
    ignored,
    ...(holdLeft !== undefined ? { holdLeft } : {}),
    ...(age ? { age: { status: age.status, observed: age.observed, expected: age.expected, message: age.message } } : {}),
  }
}

/**
 * The age of evidence whose windows carry no times: a timestamp in it first (it travels with
 * the evidence), else the file's modification time or the HTTP Last-Modified header. Unknown is
 * a warning, never a silent pass; too old, in the future or unreadable is a fail.
 */
function ageOf(evidence: Evidence, t: Thresholds, now: number): AgeCheck & { stale?: Reason } {
  const maxAge = t.maxAgeMs ?? DEFAULT_MAX_AGE_MS
  const expected = `at most max-age ${formatDuration(maxAge)} old`
  const from = evidence.origin
  const stamp = evidence.stamp
  if (stamp && 'problem' in stamp) {
    return {
      status: 'fail',
      observed: 'unreadable timestamp',
      expected,
      message: `The evidence from ${from} cannot be dated: ${stamp.problem}. Fix the timestamp; the file or HTTP dates are not used instead, as the evidence claims a time of its own.`,
      stale: { kind: 'invalid', text: `the evidence cannot be dated: ${stamp.problem}` },
    }
  }
  let at: number
  let source: string
  let said: string
  if (stamp) {
    at = stamp.at
    source = `\`${stamp.key}\``
    said = `\`${stamp.key}\` ${iso(at)}`
  } else if (evidence.modified && 'at' in evidence.modified) {
    at = evidence.modified.at
    source = evidence.modified.from
    said = `${source} ${iso(at)}`
  } else {
    const why = evidence.modified?.missing ?? 'its source gives no date'
    return {
      status: 'warn',
      observed: 'unknown',
      expected,
      message: `The age of the evidence from ${from} cannot be established: it holds no timestamp (\`generated_at\`, \`timestamp\`, …), ${why}, and its windows carry no start or end times, so they may be from any day. Write \`generated_at\` (ISO 8601) into the evidence or serve it with Last-Modified.`,
    }
  }
  const age = now - at
  if (age < -FUTURE_TOLERANCE_MS) {
    return {
      status: 'fail',
      observed: `${formatDuration(-age)} in the future (${source})`,
      expected,
      message: `The evidence from ${from} claims to be from ${formatDuration(-age)} in the future (${said}): check the clock of whatever wrote it, or the timestamp.`,
      stale: { kind: 'invalid', text: `the evidence is dated ${formatDuration(-age)} in the future (${source})` },
    }
  }
  const observed = `${formatDuration(Math.max(0, age))} old (${source})`
  if (age > maxAge) {
    return {
      status: 'fail',
      observed,
      expected,
      message: `The evidence from ${from} is ${formatDuration(age)} old (${said}), older than max-age ${formatDuration(maxAge)}: its windows are not the canary of now. Regenerate the evidence, or raise \`max-age\` if this age is expected.`,
      stale: {
        kind: 'stale',
        text: `stale: the evidence is ${formatDuration(age)} old (${source}), older than max-age ${formatDuration(maxAge)}`,
      },
    }
  }
  const weak =
    source === 'file modification time'
      ? ' The age comes from the file modification time, and a checkout or a copy resets it: write `generated_at` into the evidence for an age that travels with it.'
      : ''
  return {
    status: 'pass',
    observed,
    expected,
    message: `The evidence from ${from} is ${formatDuration(Math.max(0, age))} old (${said}), within max-age ${formatDuration(maxAge)}.${weak}`,
  }
}

/**
 * Windows repeated, overlapping or with holes between them. A copy of one green window must
 * not count three times, and a window left out (it may have been red) must not be skipped
 * over. Prometheus windows are laid out by the gate itself, back to back.
 */
function layout(evidence: Evidence, add: (w: Window, r: Reason) => void): { overlaps?: Overlap[]; gaps: Break[] } {
  if (evidence.shape === 'prometheus') return { gaps: [] }
  // Windows without an end are not green anyway; the others are compared in time order, so a
  // broken window placed among copies cannot keep them apart.
  const ws = evidence.windows.filter((w) => w.end !== undefined).sort((a, b) => a.end! - b.end!)
  if (ws.length === 0) return { gaps: [] }
  const overlaps: Overlap[] = []
  const gaps: Break[] = []
  for (let i = 1; i < ws.length; i++) {
    const w = ws[i]
    const p = ws[i - 1]
    const here = windowLabel(w)
    let other = windowLabel(p)
    let text: string | undefined
    // Name the first of several copies, not the copy before.
    const first = ws.slice(0, i).find((x) => x.end === w.end && x.start === w.start)
    if (first) {
      other = windowLabel(first)
      text = `repeats ${other} (same ${w.start === undefined ? 'end' : 'start and end'})`
    } else if (w.start !== undefined) {
      const overlap = p.end! - Math.max(w.start, p.start ?? -Infinity)
      if (overlap > LAYOUT_TOLERANCE_MS) text = `overlaps ${other} by ${formatDuration(overlap)}`
      else if (w.start - p.end! > LAYOUT_TOLERANCE_MS) {
        gaps.push({
          at: evidence.windows.indexOf(w),
          kind: 'gap',
          text: `window ${here} starts ${formatDuration(w.start - p.end!)} after ${other} ended: that time was not measured, so the row restarts at #${w.index}`,
        })
      }
    }
    if (text) {
      overlaps.push({ window: here, other, text: `${here} ${text}` })
      add(w, { kind: 'layout', text })
    }
  }
  return { overlaps, gaps }
}
