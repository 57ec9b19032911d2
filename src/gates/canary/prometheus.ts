/**
 * Canary evidence from Prometheus: one `/api/v1/query_range` request per metric and variant,
 * with step = window, so each returned point is one window (the `[$window]` range of the
 * query ends at it). Six requests per evaluation (requests, errors, p99 × canary, baseline),
 * two more for the statistical judge's histogram buckets; all sent at once.
 *
 * The defaults fit the common conventions: `http_requests_total` with a `code` label and the
 * `http_request_duration_seconds` histogram. A counter has no 5xx series until the first
 * error, so the default errors query falls back to zero only where the requests series exists.
 */
import { parse as parseYaml } from 'yaml'
import type { GateContext } from '../../core/gate.js'
import { InputFormError, formatDuration } from '../../core/units.js'
import { iso } from './format.js'
import { FetchProblem, getText, type Endpoint } from './http.js'
import { missing, read, type Evidence, type Reading, type Variant, type Window } from './model.js'

export type Metric = 'requests' | 'errors' | 'p99' | 'buckets' | 'p50'
export type Queries = Record<Metric, string>

export const DEFAULT_QUERIES: Queries = {
  requests: 'sum(increase(http_requests_total{$selector}[$window]))',
  errors:
    'sum(increase(http_requests_total{$selector,code=~"5.."}[$window])) or 0 * sum(increase(http_requests_total{$selector}[$window]))',
  p99: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{$selector}[$window])))',
  buckets: 'sum by (le) (increase(http_request_duration_seconds_bucket{$selector}[$window]))',
  p50: 'histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{$selector}[$window])))',
}

export const QUERIES_FORM =
  'a YAML map with any of `requests`, `errors`, `p99` (in seconds), `p50` (in seconds, for `record-baseline`) and `buckets` (a histogram by `le`, for the judge), each a PromQL query written with $selector and $window'

/** Parses the `queries` input; unknown keys and queries without $selector are refused. */
export function parseQueries(raw: string): Partial<Queries> {
  let doc: unknown
  try {
    doc = parseYaml(raw, { logLevel: 'silent' })
  } catch {
    throw new InputFormError(raw.slice(0, 80), QUERIES_FORM)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new InputFormError(raw.slice(0, 80), QUERIES_FORM)
  const out: Partial<Queries> = {}
  for (const [key, value] of Object.entries(doc)) {
    if (!(key in DEFAULT_QUERIES)) throw new InputFormError(key, `${QUERIES_FORM} (\`${key}\` is not one of them)`)
    if (typeof value !== 'string' || value.trim() === '')
      throw new InputFormError(String(value), `${QUERIES_FORM} (\`${key}\` must be a query)`)
    if (!value.includes('$selector')) {
      throw new InputFormError(value, `${QUERIES_FORM} (\`${key}\` must use $selector, or canary and baseline would read the same series)`)
    }
    out[key as Metric] = value.trim()
  }
  return out
}

export const SELECTOR_FORM = 'PromQL label matchers such as deployment="canary" or app="api",track=~"canary|stable"'
const MATCHER = String.raw`\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*`
const SELECTOR = new RegExp(`^${MATCHER}(?:,${MATCHER})*$`)

export function parseSelector(raw: string): string {
  const s = raw
    .trim()
    .replace(/^\{([\s\S]*)\}$/, '$1')
    .trim()
  if (!SELECTOR.test(s)) throw new InputFormError(raw, SELECTOR_FORM)
  return s
}

/** A Prometheus duration for `$window`: whole seconds when possible. */
export function promDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

export function renderQuery(template: string, selector: string, windowMs: number): string {
  return template.replaceAll('$selector', selector).replaceAll('$window', promDuration(windowMs))
}

export interface PrometheusPlan {
  endpoint: Endpoint
  selectors: { canary: string; baseline: string }
  queries: Queries
  windowMs: number
  /** How many windows to read, the newest ending now. */
  count: number
  /** Also read histogram buckets, for the judge. */
  buckets: boolean
  /** Also read the baseline's p50, to record it. */
  p50?: boolean
  /** Read only windows that start at or after this instant (the promotion). */
  notBefore?: number
  timeoutMs: number
}

export const MAX_ANSWER_BYTES = 64 * 1024 * 1024

type Side = 'canary' | 'baseline'
interface Series {
  labels: Record<string, string>
  /** Window index → value. */
  points: Map<number, number>
}
type Answer = { ok: true; series: Series[] } | { ok: false; why: string }

/** Queries Prometheus for `plan.count` windows ending at `endMs` and lays the answers out as windows. */
export async function readPrometheus(plan: PrometheusPlan, ctx: GateContext, endMs: number): Promise<Evidence> {
  // Whole seconds, so the step points fall exactly on our window ends.
  const end = Math.floor(endMs / 1000) * 1000
  const origin = `Prometheus at ${plan.endpoint.shown}`
  // Windows before the promotion are never asked for: their `[$window]` ranges would reach into the step before.
  const count = plan.notBefore === undefined ? plan.count : Math.min(plan.count, Math.floor((end - plan.notBefore) / plan.windowMs))
  if (count <= 0) {
    const note = `No complete window of ${formatDuration(plan.windowMs)} since not-before ${iso(plan.notBefore!)} yet: the first ends at ${iso(plan.notBefore! + plan.windowMs)}.`
    return { shape: 'prometheus', origin, windows: [], queries: 0, notes: [note] }
  }
  const start = end - (count - 1) * plan.windowMs
  const metrics: Metric[] = plan.buckets ? ['requests', 'errors', 'p99', 'buckets'] : ['requests', 'errors', 'p99']
  const jobs: { side: Side; metric: Metric; query: string }[] = []
  for (const side of ['canary', 'baseline'] as const) {
    for (const metric of side === 'baseline' && plan.p50 ? [...metrics, 'p50' as const] : metrics)
      jobs.push({ side, metric, query: renderQuery(plan.queries[metric], plan.selectors[side], plan.windowMs) })
  }
  const sized = { ...plan, count }
  const answers = await Promise.all(jobs.map((j) => queryRange(sized, ctx, j.query, start, end)))
  const got = (side: Side, metric: Metric) => answers[jobs.findIndex((j) => j.side === side && j.metric === metric)]

  const windows: Window[] = []
  for (let i = 0; i < count; i++) {
    const wEnd = start + i * plan.windowMs
    windows.push({ index: i + 1, start: wEnd - plan.windowMs, end: wEnd, problems: [] })
  }
  const unreachable = answers.filter((a): a is { ok: false; why: string } => !a.ok)
  const notes: string[] = []
  if (unreachable.length === answers.length) notes.push(`Prometheus at ${plan.endpoint.shown}: ${unreachable[0].why}`)
  for (const side of ['canary', 'baseline'] as const) {
    const sel = plan.selectors[side]
    for (const w of windows) {
      const i = w.index - 1
      const v: Variant = {
        requests: reading(got(side, 'requests'), i, side, 'requests', sel, start, plan.windowMs),
        errors: reading(got(side, 'errors'), i, side, 'errors', sel, start, plan.windowMs),
        // Prometheus histograms are in seconds; the gate speaks milliseconds.
        p99: scale(reading(got(side, 'p99'), i, side, 'p99', sel, start, plan.windowMs), 1000),
      }
      if (plan.buckets) v.latencies = bucketsAt(got(side, 'buckets'), i, side, sel)
      if (side === 'baseline' && plan.p50) v.p50 = scale(reading(got(side, 'p50'), i, side, 'p50', sel, start, plan.windowMs), 1000)
      w[side] = v
    }
  }
  return { shape: 'prometheus', origin, windows, queries: jobs.length, notes }
}

function scale(r: Reading, by: number): Reading {
  return r.ok ? read(r.value * by) : r
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19)

/** One series' value in window i, or why there is none (empty, stale, the query failed). */
function reading(a: Answer, i: number, side: Side, metric: Metric, selector: string, start: number, step: number): Reading {
  if (!a.ok) return missing(a.why)
  if (a.series.length === 0) return missing(`no series matched ${selector}`)
  if (a.series.length > 1) {
    return missing(`the ${metric} query returned ${a.series.length} series for ${selector}, not one; aggregate it with sum(...)`)
  }
  const points = a.series[0].points
  const value = points.get(i)
  if (value !== undefined) return read(value)
  const before = [...points.keys()].filter((k) => k < i)
  const after = [...points.keys()].some((k) => k > i)
  if (!after && before.length > 0) {
    const last = Math.max(...before)
    return missing(
      `stale: the newest sample is in the window ending ${clock(start + last * step)}Z, ${formatDuration((i - last) * step)} before this one`,
    )
  }
  return missing(`no samples in this window (empty result for ${selector})`)
}

function bucketsAt(a: Answer, i: number, side: Side, selector: string): Variant['latencies'] {
  if (!a.ok) return { problem: a.why }
  const rows: { le: number; cum: number }[] = []
  for (const s of a.series) {
    const le = promNumber(s.labels.le ?? '')
    const v = s.points.get(i)
    if (Number.isNaN(le) || v === undefined || !Number.isFinite(v)) continue
    rows.push({ le, cum: v })
  }
  if (rows.length === 0) return { problem: `no ${side} histogram buckets for ${selector} in this window` }
  rows.sort((x, y) => x.le - y.le)
  // Cumulative counts to per-bucket counts; increase() extrapolation can make a step dip below zero.
  let prev = 0
  const buckets = rows.map((r) => {
    const count = Math.max(0, r.cum - prev)
    prev = Math.max(prev, r.cum)
    return { le: r.le, count }
  })
  return { buckets }
}

/** Prometheus writes numbers as strings, with `NaN`, `+Inf` and `-Inf`. */
export function promNumber(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity
  if (s === '-Inf') return -Infinity
  if (s === 'NaN') return NaN
  return s.trim() === '' ? NaN : Number(s)
}

async function queryRange(plan: PrometheusPlan, ctx: GateContext, query: string, start: number, end: number): Promise<Answer> {
  const base = plan.endpoint.url.replace(/[?#].*$/, '').replace(/\/+$/, '')
  const search = new URL(plan.endpoint.url).search
  const params = new URLSearchParams(search)
  params.set('query', query)
  params.set('start', String(start / 1000))
  params.set('end', String(end / 1000))
  params.set('step', String(plan.windowMs / 1000))
  const url = `${base}/api/v1/query_range?${params}`
  const where = `Prometheus at ${plan.endpoint.shown}`
  let answer
  try {
    answer = await getText(ctx, plan.endpoint, url, { timeoutMs: plan.timeoutMs, maxBytes: MAX_ANSWER_BYTES })
  } catch (err) {
    if (err instanceof FetchProblem) return { ok: false, why: `${where} ${err.message}` }
    throw err
  }
  let body: { status?: unknown; error?: unknown; errorType?: unknown; data?: { resultType?: unknown; result?: unknown } }
  try {
    body = JSON.parse(answer.text)
  } catch {
    return { ok: false, why: `${where} answered HTTP ${answer.status} with a body that is not JSON (is this the Prometheus API?)` }
  }
  if (answer.status < 200 || answer.status > 299 || body?.status !== 'success') {
    const error = typeof body?.error === 'string' ? `: ${body.error.slice(0, 200)}` : ''
    return { ok: false, why: `${where} answered HTTP ${answer.status}${error} (query: ${query})` }
  }
  if (body.data?.resultType !== 'matrix' || !Array.isArray(body.data.result)) {
    return { ok: false, why: `${where} did not answer a range query with a matrix (query: ${query})` }
  }
  const series: Series[] = []
  for (const s of body.data.result as { metric?: unknown; values?: unknown }[]) {
    const labels = (typeof s?.metric === 'object' && s.metric !== null ? s.metric : {}) as Record<string, string>
    const points = new Map<number, number>()
    if (Array.isArray(s?.values)) {
      for (const p of s.values as unknown[]) {
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string') continue
        const i = Math.round((p[0] * 1000 - start) / plan.windowMs)
        if (i >= 0 && i < plan.count) points.set(i, promNumber(p[1]))
      }
    }
    series.push({ labels, points })
  }
  return { ok: true, series }
}
