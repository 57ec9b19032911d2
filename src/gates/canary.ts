/**
 * canary: is the canary healthy enough to promote? Judged in windows, canary against baseline.
 *
 * A window is green when it has data (at least `min-requests` requests on each side), its burst
 * (error ratio ÷ the error budget 1 − `slo`) is within `max-burst`, the canary's p99 is within
 * `max-p99-regression` of the baseline's, and its error rate within `max-error-rate`. The gate
 * passes when the last `min-green-windows` windows are green in a row. An abort trigger (burst
 * above `max-burst`, p99 above the baseline by `abort-p99-regression`, error rate above
 * `abort-error-rate`) in any window read is an immediate fail naming the trigger and window.
 * Missing, NaN, infinite, stale or too little data never makes a window green: the window says
 * why. With `wait`, the gate re-reads its source every `interval` until it can pass, a trigger
 * fires, or the time is up.
 */
import { defineGate, type GateContext } from '../core/gate.js'
import { InputError, input } from '../core/inputs.js'
import { makeRedactor } from '../core/redact.js'
import { check, type Check, type Status } from '../core/result.js'
import { boundedDuration, formatDuration, InputFormError, parsePercent } from '../core/units.js'
import { renderChart } from '../canary/chart.js'
import { loadEvidence, isUrl } from '../canary/evidence.js'
import { HTTP_URL_FORM, parseEndpoint, urlSecrets } from '../canary/http.js'
import { JudgeError, groupSamples, mannWhitney, type MannWhitney, type TieGroup } from '../canary/mann-whitney.js'
import { EvidenceError, type Evidence, type Reading, type Variant, type Window } from '../canary/model.js'
import {
  DEFAULT_QUERIES,
  QUERIES_FORM,
  SELECTOR_FORM,
  parseQueries,
  parseSelector,
  readPrometheus,
  type PrometheusPlan,
} from '../canary/prometheus.js'

// ---------------------------------------------------------------------------------------------
// Inputs

const SECOND = 1000
const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Prometheus answers at most 11,000 points per series; we stay well below. */
export const MAX_PROMETHEUS_WINDOWS = 1000
const QUERY_TIMEOUT_MS = 30_000

const SLO_FORM = 'a percentage above 0% and below 100%, such as 99.9%'
function parseSlo(raw: string): number {
  let v: number
  try {
    v = parsePercent(raw)
  } catch {
    throw new InputFormError(raw, SLO_FORM)
  }
  if (!(v > 0 && v < 1)) throw new InputFormError(raw, SLO_FORM)
  return v
}

const PROMETHEUS_URL_FORM = `${HTTP_URL_FORM} (user:password@ is sent as Basic authentication)`
const WINDOW_FORM = 'a duration from 1s to 1d, such as 5m'
const LOOKBACK_FORM = 'a duration from 1s to 30d, such as 30m'
const INTERVAL_FORM = 'a duration from 1s to 1h, such as 30s'

const url = (form: string) => input.custom('string', form, (raw) => (parseEndpoint(raw, form), raw.trim()))
const selector = input.custom('string', SELECTOR_FORM, parseSelector)

export const canaryInputs = {
  source: input.string(
    'Canary evidence JSON: a file path (relative to the workspace) or an http(s) URL. Runbook shape `{"canary": {"windows": [{"pass": true, "burst": 0.8}]}}` or raw shape `{"windows": [{"start", "end", "canary": {"requests", "errors", "p99", "latencies"}, "baseline": {...}}]}` (latencies in ms). Give this or `prometheus-url`.',
    { secret: urlSecrets },
  ),
  'prometheus-url': url(PROMETHEUS_URL_FORM)(
    'Prometheus base URL, such as http://prometheus:9090; credentials in it are treated as secrets. Give this or `source`.',
    { secret: urlSecrets },
  ),
  'canary-selector': selector('PromQL label matchers that select the canary, put into the queries as $selector.', {
    default: 'deployment="canary"',
  }),
  'baseline-selector': selector('PromQL label matchers that select the baseline, put into the queries as $selector.', {
    default: 'deployment="baseline"',
  }),
  queries: input.custom(
    'string',
    QUERIES_FORM,
    parseQueries,
  )(
    'YAML map replacing the default PromQL: `requests`, `errors`, `p99` (seconds), `buckets` (histogram by `le`, for the judge), written with $selector and $window.',
  ),
  window: input.custom(
    'string',
    WINDOW_FORM,
    boundedDuration(SECOND, DAY, WINDOW_FORM),
  )('Length of one window, such as 5m.', {
    default: '5m',
  }),
  lookback: input.custom(
    'string',
    LOOKBACK_FORM,
    boundedDuration(SECOND, 30 * DAY, LOOKBACK_FORM),
  )('How far back Prometheus is read, in whole windows ending now; triggers anywhere in it abort.', { default: '30m' }),
  'min-green-windows': input.integer(1, 1000)('Green windows in a row the gate needs, the newest ending now.', { default: '3' }),
  'min-requests': input.integer(1)('Requests a window needs on each side (canary and baseline) to be judged.', { default: '100' }),
  slo: input.custom(
    'string',
    SLO_FORM,
    parseSlo,
  )('Availability objective; the error budget is 1 − slo and burst is error rate ÷ budget.', {
    default: '99.9%',
  }),
  'max-burst': input.ratio('Highest burst (error rate ÷ error budget) of a green window; above it is an abort trigger.', {
    default: '1.5x',
  }),
  'max-p99-regression': input.percent('How far the canary p99 may exceed the baseline p99 in a green window.', { default: '10%' }),
  'max-error-rate': input.percent('Highest canary error rate (5xx ÷ requests) of a green window.', { default: '0.1%' }),
  'abort-p99-regression': input.percent('Abort trigger: canary p99 above the baseline p99 by more than this.', { default: '20%' }),
  'abort-error-rate': input.percent('Abort trigger: canary error rate above this.', { default: '0.5%' }),
  judge: input.oneOf(['none', 'mann-whitney'])(
    'Statistical judge: `mann-whitney` compares canary and baseline latency distributions (samples or histogram buckets) in the deciding windows and reports effect size and confidence.',
    { default: 'none' },
  ),
  wait: input.duration('Watch mode: keep evaluating up to this long until the gate can pass or a trigger fires; 0s evaluates once.', {
    default: '0s',
  }),
  interval: input.custom(
    'string',
    INTERVAL_FORM,
    boundedDuration(SECOND, HOUR, INTERVAL_FORM),
  )('Watch mode: time between two evaluations; a trigger is seen within one interval of the data showing it.', { default: '30s' }),
}

// ---------------------------------------------------------------------------------------------
// The verdict

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
}

export type TriggerKind = 'burst' | 'p99' | 'error rate'

export interface Trigger {
  kind: TriggerKind
  window: string
  text: string
}

/** Why a window is not green; the kind chooses what to advise. */
export interface Reason {
  kind: 'source' | 'no-data' | 'stale' | 'traffic' | 'baseline' | 'invalid' | 'threshold' | 'reported'
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
}

const clock = (ms: number) => {
  const s = new Date(ms).toISOString()
  return s.slice(17, 19) === '00' ? s.slice(11, 16) : s.slice(11, 19)
}

export function windowLabel(w: Window): string {
  if (w.start !== undefined && w.end !== undefined) return `#${w.index} ${clock(w.start)}–${clock(w.end)}`
  if (w.end !== undefined) return `#${w.index} until ${clock(w.end)}`
  return `#${w.index}`
}

export const pct = (x: number) => `${+(x * 100).toPrecision(x !== 0 && Math.abs(x) < 0.01 ? 2 : 3)}%`
export const ms = (x: number) => `${x < 10 ? +x.toFixed(2) : Math.round(x)}ms`
export const times = (x: number) => `${+x.toFixed(2)}x`
const count = (n: number) => Math.round(n).toLocaleString('en-US')
const signed = (x: number) => `${x >= 0 ? '+' : ''}${pct(x)}`
/** Confidence from a p-value without rounding 99.995% up to a certain-looking 100%. */
const confidenceText = (p: number) => (p < 1e-4 ? 'more than 99.99%' : `${+((1 - p) * 100).toFixed(2)}%`)

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

function judgeRaw(w: Window, t: Thresholds, v: WindowVerdict) {
  const reasons: Reason[] = []
  const c = w.canary
  const b = w.baseline
  if (!c) reasons.push({ kind: 'no-data', text: 'no canary data in this window' })
  if (!b) reasons.push({ kind: 'baseline', text: 'missing baseline: no baseline data in this window' })
  const requests = c ? take(c.requests, 'canary requests', reasons) : undefined
  const errors = c ? take(c.errors, 'canary errors', reasons) : undefined
  const p99 = c ? take(c.p99, 'canary p99', reasons) : undefined
  const bReasons: Reason[] = []
  const bRequests = b ? take(b.requests, 'baseline requests', bReasons, 'baseline') : undefined
  const bP99 = b ? take(b.p99, 'baseline p99', bReasons, 'baseline') : undefined
  // The baseline's errors are context for the table, not a criterion.
  const bErrors = b?.errors.ok && Number.isFinite(b.errors.value) && b.errors.value >= 0 ? b.errors.value : undefined
  reasons.push(...bReasons)

  v.requests = requests
  v.baselineRequests = bRequests
  v.p99 = p99
  v.baselineP99 = bP99
  if (bErrors !== undefined && bRequests !== undefined && bRequests > 0 && bErrors <= bRequests) v.baselineErrorRate = bErrors / bRequests

  let enough = false
  if (requests !== undefined) {
    if (requests < t.minRequests) {
      reasons.push({
        kind: 'traffic',
        text: `too little traffic: ${count(requests)} canary requests, fewer than min-requests ${t.minRequests}`,
      })
    } else enough = true
  }
  let bEnough = false
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
      const said = `canary p99 ${ms(p99)} is ${pct(regression)} above baseline p99 ${ms(bP99)}`
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
export function evaluate(evidence: Evidence, t: Thresholds, now: number): Evaluation {
  const unchecked: string[] = []
  const notes = [...evidence.notes]
  // Files and URLs can be old: the newest window must have ended within one window of now.
  if (evidence.shape !== 'prometheus') {
    const ends = evidence.windows.map((w) => w.end).filter((e): e is number => e !== undefined)
    if (ends.length > 0) {
      const newest = evidence.windows.find((w) => w.end === Math.max(...ends)) as Window
      const length = newest.start !== undefined && newest.end! > newest.start ? newest.end! - newest.start : t.windowMs
      const age = now - newest.end!
      for (const w of evidence.windows) {
        if (age > length) {
          w.problems.push(
            `stale: the newest window (#${newest.index}) ended ${formatDuration(age)} ago, more than one window (${formatDuration(length)}) before now`,
          )
        }
        if (w.end !== undefined && w.end > now + 60_000)
          w.problems.push(`ends ${formatDuration(w.end - now)} in the future: check the clock or the timestamps`)
      }
    } else if (evidence.windows.length > 0) {
      unchecked.push('freshness (the windows carry no start/end times)')
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
  const windows = evidence.windows.map((w) => {
    const label = windowLabel(w)
    const v: WindowVerdict = { window: w, label, green: false, reasons: [], triggers: [], judged: false }
    for (const p of w.problems) v.reasons.push({ kind: p.startsWith('stale') ? 'stale' : 'invalid', text: p })
    if (evidence.shape === 'runbook') judgeRunbook(w, t, v)
    else judgeRaw(w, t, v)
    v.green = v.reasons.length === 0 && v.triggers.length === 0
    return v
  })
  let streak = 0
  for (let i = windows.length - 1; i >= 0 && windows[i].green; i--) streak++
  const triggers = windows.flatMap((w) => w.triggers)
  return { shape: evidence.shape, windows, streak, triggers, passed: triggers.length === 0 && streak >= t.minGreen, unchecked, notes }
}

// ---------------------------------------------------------------------------------------------
// The statistical judge

export interface JudgeReport {
  status: Status
  observed: string
  message: string
  result?: MannWhitney
}

/** Mann-Whitney over the pooled latencies of the deciding windows (the last `min-green-windows`). */
export function runJudge(ev: Evaluation, t: Thresholds): JudgeReport {
  const deciding = ev.windows.slice(-t.minGreen)
  const names =
    deciding.length === 0
      ? 'no window'
      : deciding.length === 1
        ? `window ${deciding[0].label}`
        : `windows ${deciding[0].label} to ${deciding[deciding.length - 1].label}`
  const missingIn: string[] = []
  const canarySamples: Float64Array[] = []
  const baselineSamples: Float64Array[] = []
  const groups = new Map<number, TieGroup>()
  let samplesMode = true
  let bucketsMode = true
  for (const w of deciding) {
    for (const side of ['canary', 'baseline'] as const) {
      const lat = (w.window[side] as Variant | undefined)?.latencies
      if (!lat || lat.problem || (!lat.samples && !lat.buckets)) {
        missingIn.push(`${side} in ${w.label}${lat?.problem ? ` (${lat.problem})` : ''}`)
        samplesMode = bucketsMode = false
        continue
      }
      if (lat.samples) (side === 'canary' ? canarySamples : baselineSamples).push(lat.samples)
      else samplesMode = false
      if (lat.buckets) {
        for (const bk of lat.buckets) {
          const g = groups.get(bk.le) ?? { value: bk.le, a: 0, b: 0 }
          if (side === 'canary') g.a += bk.count
          else g.b += bk.count
          groups.set(bk.le, g)
        }
      } else bucketsMode = false
    }
  }
  if (deciding.length === 0 || missingIn.length > 0 || (!samplesMode && !bucketsMode)) {
    const where = missingIn.length
      ? `: none for ${missingIn.slice(0, 3).join('; ')}${missingIn.length > 3 ? ` (+${missingIn.length - 3} more)` : ''}`
      : ''
    return {
      status: 'fail',
      observed: 'no latency distributions',
      message: `judge: mann-whitney needs latency samples or histogram buckets for canary and baseline in ${names}${where}. Add \`latencies\` (ms) to the raw evidence, read a Prometheus histogram, or set \`judge: none\`.`,
    }
  }
  let mw: MannWhitney
  try {
    if (samplesMode) mw = mannWhitney(groupSamples(concat(canarySamples), concat(baselineSamples)))
    else mw = mannWhitney([...groups.values()].sort((x, y) => x.value - y.value))
  } catch (err) {
    const why = err instanceof JudgeError ? err.message : String(err)
    return { status: 'fail', observed: 'not computed', message: `judge: mann-whitney could not compare ${names}: ${why}.` }
  }
  const effect = `Cliff's δ ${mw.delta >= 0 ? '+' : ''}${mw.delta.toFixed(3)} (${mw.magnitude}), P(canary slower) ${mw.probabilityHigher.toFixed(3)}`
  const sizes = `${count(mw.n1)} canary and ${count(mw.n2)} baseline ${samplesMode ? 'samples' : 'observations in histogram buckets'} from ${names}`
  const observed = `one-sided p ${fmtP(mw.pGreater)}, ${effect}`
  const slower = mw.pGreater < 0.05 && mw.delta >= 0.147
  const message = slower
    ? `Mann-Whitney U: the canary's latency is higher than the baseline's with ${confidenceText(mw.pGreater)} confidence (one-sided p ${fmtP(mw.pGreater)}, z ${mw.z.toFixed(2)}); effect ${effect}; ${sizes}. A slowdown that is significant and not negligible: look at the canary's latency before promoting.`
    : `Mann-Whitney U: no significant, non-negligible slowdown of the canary (one-sided p ${fmtP(mw.pGreater)}, confidence ${confidenceText(mw.pGreater)}; two-sided p ${fmtP(mw.pTwoSided)}); effect ${effect}; ${sizes}.`
  return { status: slower ? 'warn' : 'pass', observed, message, result: mw }
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const fmtP = (p: number) => (p < 1e-4 ? p.toExponential(1) : String(+p.toPrecision(2)))

// ---------------------------------------------------------------------------------------------
// Reading the source, the watch loop, the report

interface Plan {
  source?: string
  prometheus?: PrometheusPlan
  thresholds: Thresholds
  judge: boolean
}

async function gather(plan: Plan, ctx: GateContext, now: number): Promise<Evidence> {
  if (plan.prometheus) return readPrometheus(plan.prometheus, ctx, now)
  return loadEvidence(plan.source as string, ctx)
}

interface Round {
  at: number
  evidence?: Evidence
  evaluation?: Evaluation
  error?: string
}

export const canary = defineGate({
  name: 'canary',
  category: 'Canary',
  criteria: { en: '3+ green windows', tr: '3+ yeşil pencere' },
  inputs: canaryInputs,
  outputs: {
    'green-windows': 'Green windows in a row at the end of the evaluation, the newest ending now.',
    aborted: '`true` when an abort trigger fired (roll back), `false` otherwise.',
    trigger: 'The first abort trigger, in one line (empty when none fired).',
  },
  async run(s, ctx) {
    const problems: string[] = []
    if (s.source && s['prometheus-url']) problems.push('give either `source` or `prometheus-url`, not both')
    if (!s.source && !s['prometheus-url']) problems.push('give `source` (an evidence JSON file or URL) or `prometheus-url`')
    const t: Thresholds = {
      windowMs: s.window,
      minGreen: s['min-green-windows'],
      minRequests: s['min-requests'],
      slo: s.slo,
      maxBurst: s['max-burst'],
      maxP99Regression: s['max-p99-regression'],
      maxErrorRate: s['max-error-rate'],
      abortP99Regression: s['abort-p99-regression'],
      abortErrorRate: s['abort-error-rate'],
    }
    if (t.abortP99Regression < t.maxP99Regression) {
      problems.push(
        `\`abort-p99-regression\` (${pct(t.abortP99Regression)}) is below \`max-p99-regression\` (${pct(t.maxP99Regression)}); an abort trigger must not fire before a window stops being green`,
      )
    }
    if (t.abortErrorRate < t.maxErrorRate) {
      problems.push(
        `\`abort-error-rate\` (${pct(t.abortErrorRate)}) is below \`max-error-rate\` (${pct(t.maxErrorRate)}); an abort trigger must not fire before a window stops being green`,
      )
    }
    const count = Math.floor(s.lookback / s.window)
    if (s['prometheus-url']) {
      if (count < t.minGreen) {
        problems.push(
          `\`lookback\` ${formatDuration(s.lookback)} holds ${count} window${count === 1 ? '' : 's'} of ${formatDuration(s.window)}, fewer than \`min-green-windows\` ${t.minGreen}; raise \`lookback\``,
        )
      } else if (count > MAX_PROMETHEUS_WINDOWS) {
        problems.push(
          `\`lookback\` ${formatDuration(s.lookback)} holds ${count} windows of ${formatDuration(s.window)}, more than ${MAX_PROMETHEUS_WINDOWS}; lower \`lookback\` or raise \`window\``,
        )
      }
    } else if (s.queries) problems.push('`queries` applies to Prometheus only: give `prometheus-url` or drop `queries`')
    if (problems.length) throw new InputError(problems)

    const secrets = [...urlSecrets(s.source ?? ''), ...urlSecrets(s['prometheus-url'] ?? '')]
    const redact = makeRedactor(secrets)
    const log = (line: string) => ctx.log(redact(line))
    const judge = s.judge === 'mann-whitney'
    const plan: Plan = { thresholds: t, judge }
    if (s['prometheus-url']) {
      plan.prometheus = {
        endpoint: parseEndpoint(s['prometheus-url']),
        selectors: { canary: s['canary-selector'], baseline: s['baseline-selector'] },
        queries: { ...DEFAULT_QUERIES, ...(s.queries ?? {}) },
        windowMs: s.window,
        count,
        buckets: judge,
        timeoutMs: QUERY_TIMEOUT_MS,
      }
    } else plan.source = s.source

    const started = ctx.now().getTime()
    const deadline = started + s.wait
    const cancelled = () => ctx.signal?.aborted === true
    let round: Round
    let n = 0
    for (;;) {
      n++
      const at = ctx.now().getTime()
      round = { at }
      try {
        round.evidence = await gather(plan, ctx, at)
        round.evaluation = evaluate(round.evidence, t, at)
      } catch (err) {
        if (!(err instanceof EvidenceError)) throw err
        round.error = err.message
      }
      const ev = round.evaluation
      const settled = ev !== undefined && (ev.passed || ev.triggers.length > 0)
      const now = ctx.now().getTime()
      const next = Math.max(started + n * s.interval, now)
      const more = s.wait > 0 && !settled && next <= deadline && !cancelled()
      log(
        progressLine(
          n,
          round,
          t,
          more
            ? `${formatDuration(Math.max(0, deadline - now))} left`
            : s.wait > 0 && !settled
              ? cancelled()
                ? 'cancelled'
                : 'no time left'
              : '',
        ),
      )
      if (!more) break
      await ctx.sleep(next - now)
      if (cancelled()) break
    }

    const watched =
      s.wait > 0 ? ` after watching for ${formatDuration(ctx.now().getTime() - started)} (${n} evaluation${n === 1 ? '' : 's'})` : ''
    const outcome = report(round, plan, n, watched)
    return redact(outcome)
  },
})

function progressLine(n: number, round: Round, t: Thresholds, left: string): string {
  const head = `evaluation ${n} at ${new Date(round.at).toISOString().slice(11, 19)}Z`
  const tail = left ? `; ${left}` : ''
  if (!round.evaluation) return `${head}: the evidence could not be read: ${round.error}${tail}`
  const ev = round.evaluation
  const src = round.evidence?.queries ? ` (${round.evidence.queries} Prometheus queries)` : ''
  if (ev.triggers.length > 0) return `${head}${src}: ABORT: ${ev.triggers[0].text} in window ${ev.triggers[0].window}`
  const last = ev.windows[ev.windows.length - 1]
  const latest = last
    ? `; newest window ${last.label}: ${last.green ? `green (${measured(last)})` : `not green: ${last.reasons[0]?.text ?? 'see the table'}`}`
    : '; no windows'
  const need = ev.passed
    ? '; enough: pass'
    : `; needs ${t.minGreen - ev.streak} more green window${t.minGreen - ev.streak === 1 ? '' : 's'}`
  return `${head}${src}: ${streakText(ev.streak, t.minGreen)}${latest}${need}${ev.passed ? '' : tail}`
}

/** `2 of 3 green windows in a row`, or `5 green windows in a row (3 needed)`. */
function streakText(streak: number, needed: number): string {
  return streak > needed ? `${streak} green windows in a row (${needed} needed)` : `${streak} of ${needed} green windows in a row`
}

function measured(w: WindowVerdict): string {
  const parts: string[] = []
  if (w.requests !== undefined) parts.push(`${count(w.requests)} requests`)
  if (w.burst !== undefined) parts.push(`burst ${times(w.burst)}`)
  if (w.errorRate !== undefined) parts.push(`error rate ${pct(w.errorRate)}`)
  if (w.p99 !== undefined && w.baselineP99 !== undefined) parts.push(`p99 ${ms(w.p99)} vs ${ms(w.baselineP99)}`)
  return parts.join(', ')
}

const NEXT: Record<Reason['kind'], string> = {
  source: 'Check that Prometheus is reachable from the runner (URL, network, credentials), then run the gate again.',
  'no-data': 'Check that `canary-selector` (or the evidence) matches the canary and that it is serving traffic.',
  stale: 'The data stopped arriving: check the scrape of the canary or regenerate the evidence, then run the gate again.',
  traffic: 'Send more traffic to the canary (a larger step or a longer `window`), or lower `min-requests` if this traffic is normal.',
  baseline: 'Check that `baseline-selector` (or the evidence) matches the stable deployment and that it is serving traffic.',
  invalid: 'Fix the evidence or the queries so every window carries finite, non-negative numbers.',
  threshold: 'Investigate the canary before promoting; raise `wait` to keep watching if it is recovering.',
  reported: 'Find out why the evidence marks the window as failed before promoting.',
}

function report(round: Round, plan: Plan, n: number, watched: string) {
  const t = plan.thresholds
  const checks: Check[] = []
  // Annotations point at the evidence file; URLs are named in the check.
  const loc = plan.source && !isUrl(plan.source) && round.evidence ? { path: round.evidence.origin } : undefined
  if (!round.evaluation) {
    const shown = plan.source && !isUrl(plan.source) ? { path: plan.source } : undefined
    checks.push(
      check(
        'fail',
        'evidence',
        'not readable',
        'canary evidence JSON',
        `The canary evidence could not be read${watched}: ${round.error}. Point \`source\` at the evidence JSON (runbook or raw shape) and run the gate again.`,
        shown,
      ),
    )
    return { checks, metrics: { evaluations: n }, outputs: { 'green-windows': '0', aborted: 'false', trigger: '' } }
  }
  const ev = round.evaluation
  const evidence = round.evidence as Evidence
  const raw = ev.shape !== 'runbook'
  const criteria = raw
    ? `each with ≥ ${count(t.minRequests)} requests on each side, burst ≤ ${times(t.maxBurst)} (slo ${pct(t.slo)}), p99 ≤ baseline + ${pct(t.maxP99Regression)}, error rate ≤ ${pct(t.maxErrorRate)}`
    : `each with pass: true and burst ≤ ${times(t.maxBurst)}`
  const uncheckedText = ev.unchecked.length ? ` Not checked, as the evidence does not carry it: ${ev.unchecked.join(', ')}.` : ''

  // Abort triggers.
  const judged = ev.windows.filter((w) => w.judged).length
  const abortExpected = raw
    ? `no window with burst > ${times(t.maxBurst)}, p99 > baseline + ${pct(t.abortP99Regression)} or error rate > ${pct(t.abortErrorRate)}`
    : `no window with burst > ${times(t.maxBurst)}`
  let abortCheck: Check
  if (ev.triggers.length > 0) {
    const first = ev.triggers[0]
    const others = ev.triggers.slice(1)
    const also = others.length
      ? ` Also ${others.length} more: ${others
          .slice(0, 4)
          .map((x) => `${x.kind} in ${x.window}`)
          .join(', ')}${others.length > 4 ? ', …' : ''}.`
      : ''
    abortCheck = check(
      'fail',
      'abort triggers',
      `${first.kind} in window ${first.window}`,
      abortExpected,
      `Abort trigger (${first.kind}) in window ${first.window} of ${evidence.origin}: ${first.text}.${also} Roll back the canary and find the cause before promoting again.`,
      loc,
    )
  } else if (judged === 0) {
    abortCheck = check(
      'fail',
      'abort triggers',
      'no window with usable data',
      abortExpected,
      `Could not look for abort triggers${watched}: none of the ${ev.windows.length} windows from ${evidence.origin} has usable numbers (see the table).`,
      loc,
    )
  } else {
    const skipped = ev.windows.length - judged
    abortCheck = check(
      'pass',
      'abort triggers',
      `none in ${judged} window${judged === 1 ? '' : 's'}`,
      abortExpected,
      `No abort trigger in the ${judged} window${judged === 1 ? '' : 's'} with data from ${evidence.origin}${skipped ? ` (${skipped} without usable data)` : ''}.`,
      loc,
    )
  }

  // Green windows.
  const expected = `${t.minGreen} green windows in a row, ${criteria}`
  const observed = `${streakText(ev.streak, t.minGreen)} (${ev.windows.length} window${ev.windows.length === 1 ? '' : 's'} read)`
  let greenCheck: Check
  if (ev.streak >= t.minGreen) {
    const deciding = ev.windows.slice(-t.minGreen)
    const maxBurst = Math.max(...deciding.map((w) => w.burst ?? 0))
    const figures = raw
      ? `burst at most ${times(maxBurst)}, canary p99 at most ${signed(Math.max(...deciding.map((w) => (w.p99 ?? 0) / (w.baselineP99 || 1) - 1)))} against the baseline, error rate at most ${pct(Math.max(...deciding.map((w) => w.errorRate ?? 0)))}`
      : `pass: true, burst at most ${times(maxBurst)}`
    greenCheck = check(
      'pass',
      'green windows',
      observed,
      expected,
      `The last ${t.minGreen} windows from ${evidence.origin} are green in a row (${deciding[0].label} to ${deciding[deciding.length - 1].label}): ${figures}.${uncheckedText}`,
      loc,
    )
  } else if (ev.windows.length === 0) {
    greenCheck = check(
      'fail',
      'green windows',
      observed,
      expected,
      `0 of ${t.minGreen} green windows${watched}: ${evidence.origin} holds no windows. Write the canary windows into the evidence, then run the gate again.`,
      loc,
    )
  } else {
    const notGreen = ev.windows
      .slice(-t.minGreen)
      .filter((w) => !w.green)
      .reverse()
    // Windows failing for the same reasons (an unreachable source, no series) are named together.
    const groups = new Map<string, string[]>()
    for (const w of notGreen) {
      const text = w.reasons.map((r) => r.text).join('; ') || w.triggers.map((x) => x.text).join('; ')
      groups.set(text, [...(groups.get(text) ?? []), w.label])
    }
    const why = [...groups]
      .slice(0, 3)
      .map(([text, labels]) =>
        labels.length === 1 ? `window ${labels[0]} is not green: ${text}.` : `windows ${labels.join(', ')} are not green: ${text}.`,
      )
      .join(' ')
    const more = groups.size > 3 ? ' (More windows are not green: see the table.)' : ''
    const kind = notGreen[0]?.reasons[0]?.kind ?? 'threshold'
    greenCheck = check(
      'fail',
      'green windows',
      observed,
      expected,
      `${ev.streak} of ${t.minGreen} green windows in a row${watched} in ${evidence.origin}: ${why}${more} ${NEXT[kind]}${uncheckedText}`,
      loc,
    )
  }
  if (ev.triggers.length > 0) checks.push(abortCheck, greenCheck)
  else checks.push(greenCheck, abortCheck)

  let judgeReport: JudgeReport | undefined
  if (plan.judge) {
    judgeReport = runJudge(ev, t)
    checks.push(
      check(
        judgeReport.status,
        'judge: mann-whitney',
        judgeReport.observed,
        "no significant slowdown (95% one-sided, Cliff's δ < 0.147)",
        judgeReport.message,
        loc,
      ),
    )
  }

  const metrics: Record<string, number> = {
    evaluations: n,
    windows: ev.windows.length,
    green_windows: ev.streak,
    triggers: ev.triggers.length,
  }
  if (evidence.queries) metrics.prometheus_queries = evidence.queries
  const latest = [...ev.windows].reverse().find((w) => w.judged)
  if (latest) {
    if (latest.burst !== undefined) metrics.burst = latest.burst
    if (latest.errorRate !== undefined) metrics.error_rate = latest.errorRate
    if (latest.p99 !== undefined) metrics.canary_p99_ms = latest.p99
    if (latest.baselineP99 !== undefined) metrics.baseline_p99_ms = latest.baselineP99
  }
  if (judgeReport?.result) {
    metrics.judge_p_value = judgeReport.result.pGreater
    metrics.judge_cliffs_delta = judgeReport.result.delta
  }
  return {
    checks,
    metrics,
    details: details(ev, evidence, t, judgeReport),
    outputs: {
      'green-windows': String(ev.streak),
      aborted: String(ev.triggers.length > 0),
      trigger: ev.triggers.length ? `${ev.triggers[0].kind} in window ${ev.triggers[0].window}: ${ev.triggers[0].text}` : '',
    },
  }
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ')

function verdictCell(w: WindowVerdict): string {
  if (w.triggers.length) return `**ABORT**: ${w.triggers.map((x) => x.text).join('; ')}`
  if (w.green) return 'green'
  return `not green: ${w.reasons.map((r) => r.text).join('; ')}`
}

export function details(ev: Evaluation, evidence: Evidence, t: Thresholds, judge?: JudgeReport): string {
  const out: string[] = []
  const queries = evidence.queries ? `, ${evidence.queries} range queries` : ''
  out.push(
    `**Canary windows** from ${evidence.origin}${queries}: ${streakText(ev.streak, t.minGreen)}${ev.triggers.length ? `, **${ev.triggers.length} abort trigger${ev.triggers.length === 1 ? '' : 's'}**` : ''}.`,
    '',
  )
  const opt = <T>(v: T | undefined, f: (v: T) => string) => (v === undefined ? '–' : f(v))
  if (ev.shape === 'runbook') {
    out.push('| window | pass | burst | verdict |', '|---|---|---|---|')
    for (const w of ev.windows) {
      const pass = w.window.reported?.pass
      out.push(
        `| ${cell(w.label)} | ${pass === undefined ? '–' : cell(JSON.stringify(pass).slice(0, 20))} | ${opt(w.burst, times)} | ${cell(verdictCell(w))} |`,
      )
    }
  } else {
    out.push(
      '| window | requests canary / baseline | error rate canary / baseline | burst | p99 canary / baseline | verdict |',
      '|---|---|---|---|---|---|',
    )
    for (const w of ev.windows) {
      const p99 =
        w.p99 !== undefined && w.baselineP99 !== undefined && w.baselineP99 > 0
          ? `${ms(w.p99)} / ${ms(w.baselineP99)} (${signed(w.p99 / w.baselineP99 - 1)})`
          : `${opt(w.p99, ms)} / ${opt(w.baselineP99, ms)}`
      out.push(
        `| ${cell(w.label)} | ${opt(w.requests, count)} / ${opt(w.baselineRequests, count)} | ${opt(w.errorRate, pct)} / ${opt(w.baselineErrorRate, pct)} | ${opt(w.burst, times)} | ${p99} | ${cell(verdictCell(w))} |`,
      )
    }
  }
  out.push('')
  const labels = ev.windows.map((w) => `#${w.window.index}`)
  if (ev.shape === 'runbook') {
    const chart = renderChart({
      title: 'Burst per window',
      yTitle: 'burst (x)',
      labels,
      lines: [
        { name: 'burst', values: ev.windows.map((w) => w.burst) },
        { name: `max-burst ${times(t.maxBurst)} (also the abort trigger)`, values: ev.windows.map(() => t.maxBurst) },
      ],
    })
    if (chart) out.push(chart, '')
  } else {
    const p99 = renderChart({
      title: 'p99 latency per window (ms)',
      yTitle: 'p99 (ms)',
      labels,
      lines: [
        { name: 'canary p99', values: ev.windows.map((w) => w.p99) },
        { name: 'baseline p99', values: ev.windows.map((w) => w.baselineP99) },
        {
          name: `green limit: baseline + ${pct(t.maxP99Regression)}`,
          values: ev.windows.map((w) => (w.baselineP99 === undefined ? undefined : w.baselineP99 * (1 + t.maxP99Regression))),
        },
        {
          name: `abort: baseline + ${pct(t.abortP99Regression)}`,
          values: ev.windows.map((w) => (w.baselineP99 === undefined ? undefined : w.baselineP99 * (1 + t.abortP99Regression))),
        },
      ],
    })
    const errors = renderChart({
      title: 'Error rate per window (%)',
      yTitle: 'error rate (%)',
      labels,
      lines: [
        { name: 'canary error rate', values: ev.windows.map((w) => (w.errorRate === undefined ? undefined : w.errorRate * 100)) },
        {
          name: 'baseline error rate',
          values: ev.windows.map((w) => (w.baselineErrorRate === undefined ? undefined : w.baselineErrorRate * 100)),
        },
        { name: `green limit: max-error-rate ${pct(t.maxErrorRate)}`, values: ev.windows.map(() => t.maxErrorRate * 100) },
        { name: `abort: abort-error-rate ${pct(t.abortErrorRate)}`, values: ev.windows.map(() => t.abortErrorRate * 100) },
      ],
    })
    if (p99) out.push(p99, '')
    if (errors) out.push(errors, '')
    if (!p99 && !errors) out.push('_No chart: no window has both canary and baseline numbers._', '')
  }
  if (ev.unchecked.length) out.push(`Not checked (not in the evidence): ${ev.unchecked.join(', ')}.`, '')
  for (const n of ev.notes) out.push(`${n}`, '')
  if (judge) out.push(`**Judge (Mann-Whitney U)**: ${judge.message}`, '')
  return out.join('\n').trimEnd()
}
