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
import { boundedDuration, formatDuration, InputFormError, parsePercent } from '../core/units.js'
import { loadEvidence } from '../canary/evidence.js'
import { pct } from '../canary/format.js'
import { HTTP_URL_FORM, parseEndpoint, urlSecrets } from '../canary/http.js'
import { EvidenceError, type Evidence } from '../canary/model.js'
import { DEFAULT_QUERIES, QUERIES_FORM, SELECTOR_FORM, parseQueries, parseSelector, readPrometheus } from '../canary/prometheus.js'
import { progressLine, report, type Plan, type Round } from '../canary/report.js'
import { evaluate, type Thresholds } from '../canary/verdict.js'

export { details } from '../canary/report.js'
export { runJudge, type JudgeReport } from '../canary/judge.js'
export { ms, pct, times, windowLabel } from '../canary/format.js'
export {
  evaluate,
  type Evaluation,
  type Reason,
  type Thresholds,
  type Trigger,
  type TriggerKind,
  type WindowVerdict,
} from '../canary/verdict.js'

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
const MAX_AGE_FORM = 'a duration from 1s to 365d, such as 24h'

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
  'max-age': input.custom(
    'string',
    MAX_AGE_FORM,
    boundedDuration(SECOND, 365 * DAY, MAX_AGE_FORM),
  )(
    'Oldest evidence accepted when its windows carry no start/end times (the runbook shape): its age is taken from a timestamp in it (`generated_at`, `timestamp`, …), else from the file modification time or the HTTP Last-Modified header; older is a fail, an age that cannot be established a warn. Windows with times must instead end within one `window` of now.',
    { default: '24h' },
  ),
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

async function gather(plan: Plan, ctx: GateContext, now: number): Promise<Evidence> {
  if (plan.prometheus) return readPrometheus(plan.prometheus, ctx, now)
  return loadEvidence(plan.source as string, ctx)
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
      maxAgeMs: s['max-age'],
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
