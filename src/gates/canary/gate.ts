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
 *
 * A promotion step is anchored: with `not-before` (the instant of the promotion) only windows
 * that start at or after it are read, and with `hold` the step passes only once the hold is
 * over, on green windows inside it. At 100% the baseline has no traffic left: a baseline
 * recorded in pre-flight (`record-baseline`, then `baseline-file`) stands in for it.
 */
import { defineGate, type GateRunContext } from '../../core/gate.js'
import { InputError, input } from '../../core/inputs.js'
import { boundedDuration, formatDuration, InputFormError, parsePercent } from '../../core/units.js'
import { BaselineError, loadBaseline, measureBaseline, writeBaseline, type BaselineSource } from './baseline.js'
import { isUrl, loadEvidence } from './evidence.js'
import { pct } from './format.js'
import { HTTP_URL_FORM, parseEndpoint, urlSecrets } from './http.js'
import { EvidenceError, type Evidence, type LoadedBaseline } from './model.js'
import { DEFAULT_QUERIES, QUERIES_FORM, SELECTOR_FORM, parseQueries, parseSelector, readPrometheus } from './prometheus.js'
import { baselineFailure, progressLine, recordReport, report, type Plan, type Round } from './report.js'
import { evaluate, type EvaluateOptions, type Thresholds } from './verdict.js'

export { details } from './report.js'
export { runJudge, type JudgeReport } from './judge.js'
export { ms, pct, times, windowLabel } from './format.js'
export {
  evaluate,
  type EvaluateOptions,
  type Evaluation,
  type Reason,
  type Thresholds,
  type Trigger,
  type TriggerKind,
  type WindowVerdict,
} from './verdict.js'

// ---------------------------------------------------------------------------------------------
// Inputs

const SECOND = 1000
const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Prometheus answers at most 11,000 points per series; we stay well below. */
export const MAX_PROMETHEUS_WINDOWS = 1000

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
const HOLD_FORM = 'a duration from 0s to 1d, such as 30m'
const TIMEOUT_FORM = 'a duration from 100ms to 5m, such as 30s'
const INSTANT_FORM = 'an ISO 8601 instant with a time zone, such as 2026-03-02T12:00:00Z or 2026-03-02T13:00:00+01:00'

/** An ISO 8601 instant that names its time zone: a promotion time must not depend on the runner's. */
export function parseInstant(raw: string): number {
  const s = raw.trim()
  const m = /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)$/i.exec(s)
  const t = m ? Date.parse(s) : NaN
  // Date.parse rolls 2026-02-30 over into March: the calendar date must exist as written.
  const real = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDate() === +m[3]
  if (!m || !real || !Number.isFinite(t)) throw new InputFormError(raw, INSTANT_FORM)
  return t
}

const url = (form: string) => input.custom('string', form, (raw) => (parseEndpoint(raw, form), raw.trim()))
const selector = input.custom('string', SELECTOR_FORM, parseSelector)

export const canaryInputs = {
  source: input.string(
    'Canary evidence JSON: a file path (relative to the workspace) or an http(s) URL. Runbook shape `{"canary": {"windows": [{"pass": true, "burst": 0.8}]}}` or raw shape `{"windows": [{"start", "end", "canary": {"requests", "errors", "p99", "latencies"}, "baseline": {...}}]}` (latencies in ms). Windows with times must end within one `window` of now and must not repeat or overlap; runbook windows without times are dated by a `generated_at` (or `timestamp`, …) in the file, else by the file modification time or the Last-Modified header (see `max-age`). Give this or `prometheus-url`.',
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
    'YAML map replacing the default PromQL: `requests`, `errors`, `p99` (seconds), `p50` (seconds, for `record-baseline`), `buckets` (histogram by `le`, for the judge), written with $selector and $window.',
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
    'Oldest evidence accepted when its windows carry no start/end times (the runbook shape): its age is taken from a timestamp in it (`generated_at`, `timestamp`, …), else from the file modification time or the HTTP Last-Modified header; older is a fail, an age that cannot be established a warn. Windows with times must instead end within one `window` of now. Also the oldest `baseline-file` accepted.',
    { default: '24h' },
  ),
  'not-before': input.custom(
    'string',
    INSTANT_FORM,
    parseInstant,
  )(
    'The instant this step was promoted (ISO 8601, such as 2026-03-02T12:00:00Z): only windows that start at or after it are judged. Prometheus is not asked for anything earlier, and earlier evidence windows are left out and listed, so a step is never judged on the traffic of the step before. The reusable workflow sets it.',
  ),
  hold: input.custom(
    'string',
    HOLD_FORM,
    boundedDuration(0, DAY, HOLD_FORM),
  )(
    'Minimum time a step holds: the gate passes only once `hold` has passed since `not-before` (or since the gate started), with its `min-green-windows` green windows inside the hold. Needs `wait` of at least `hold`. The seed checklist holds 15m at 10%, 30m at 25% and 50%, and 60m at 100%.',
    { default: '0s' },
  ),
  'record-baseline': input.string(
    'Pre-flight: measure the baseline (p50, p99, error rate, request rate over the windows read, every one with at least `min-requests`) and write it to this file, with the window, time and selectors; its SHA-256 goes into the report. The canary is not judged in this mode. Pass the file as `baseline-file` at the later steps.',
  ),
  'baseline-file': input.string(
    'A baseline written by `record-baseline`. In a window where the live baseline has no traffic (none left at 100%, or gone quiet), the canary is judged against it and the absolute limits (`max-error-rate`, `slo`, …), and the report says so; never without canary data. A file that is missing, unreadable, older than `max-age` or for other selectors or queries is a fail.',
  ),
  timeout: input.custom(
    'string',
    TIMEOUT_FORM,
    boundedDuration(100, 5 * 60 * SECOND, TIMEOUT_FORM),
  )('Time allowed for each request to Prometheus or to the evidence URL.', { default: '30s' }),
  judge: input.oneOf(['none', 'mann-whitney'])(
    'Statistical judge: `mann-whitney` compares canary and baseline latency distributions (samples or histogram buckets) in the deciding windows and reports effect size and confidence.',
    { default: 'none' },
  ),
  wait: input.duration(
    'Watch mode: keep evaluating up to this long until the gate can pass (and its `hold` is over) or a trigger fires; 0s evaluates once.',
    { default: '0s' },
  ),
  interval: input.custom(
    'string',
    INTERVAL_FORM,
    boundedDuration(SECOND, HOUR, INTERVAL_FORM),
  )('Watch mode: time between two evaluations; a trigger is seen within one interval of the data showing it.', { default: '30s' }),
}

/** The evidence source as recorded with a baseline: never credentials or a query string. */
function evidenceOrigin(source: string): string {
  if (!isUrl(source)) return source
  try {
    return parseEndpoint(source).shown
  } catch {
    return 'the `source` URL'
  }
}

async function gather(plan: Plan, ctx: GateRunContext, now: number): Promise<Evidence> {
  if (plan.prometheus) return readPrometheus(plan.prometheus, ctx, now)
  return loadEvidence(plan.source as string, ctx, plan.timeoutMs)
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
    if (s.hold > 0 && s.wait < s.hold) {
      problems.push(
        `\`wait\` ${s.wait === 0 ? '0s' : formatDuration(s.wait)} is shorter than \`hold\` ${formatDuration(s.hold)}: the gate would stop before the hold is over and could never pass; set \`wait\` to at least \`hold\``,
      )
    }
    if (s['record-baseline']) {
      if (s['baseline-file'])
        problems.push(
          'give either `record-baseline` (pre-flight: measure the baseline) or `baseline-file` (a later step: use it), not both',
        )
      if (s.wait > 0 || s.hold > 0) problems.push('`record-baseline` measures the baseline once: drop `wait` and `hold`')
    }
    if (problems.length) throw new InputError(problems)

    // runGate masks what the input specs register as secret, in these lines and in the result.
    const log = (line: string) => ctx.log(line)
    const judge = s.judge === 'mann-whitney'
    const started = ctx.now().getTime()
    const notBefore = s['not-before']
    const plan: Plan = { thresholds: t, judge, timeoutMs: s.timeout }
    if (notBefore !== undefined || s.hold > 0) {
      // Prometheus windows end on whole seconds: a hold anchored on the gate's start is too.
      const from = notBefore ?? Math.floor(started / 1000) * 1000
      plan.anchor = { notBefore, holdMs: s.hold, from, until: from + s.hold, started }
    }
    let source: BaselineSource
    if (s['prometheus-url']) {
      plan.prometheus = {
        endpoint: parseEndpoint(s['prometheus-url']),
        selectors: { canary: s['canary-selector'], baseline: s['baseline-selector'] },
        queries: { ...DEFAULT_QUERIES, ...(s.queries ?? {}) },
        windowMs: s.window,
        count,
        buckets: judge,
        p50: s['record-baseline'] !== undefined,
        ...(notBefore !== undefined ? { notBefore } : {}),
        timeoutMs: s.timeout,
      }
      source = {
        kind: 'prometheus',
        url: plan.prometheus.endpoint.shown,
        selectors: plan.prometheus.selectors,
        queries: plan.prometheus.queries,
      }
    } else {
      plan.source = s.source
      source = { kind: 'evidence', origin: evidenceOrigin(s.source as string) }
    }

    // A baseline the gate was told to rely on must be sound before anything is judged with it.
    let recorded: LoadedBaseline | undefined
    if (s['baseline-file']) {
      try {
        recorded = await loadBaseline(ctx, s['baseline-file'], { source, maxAgeMs: t.maxAgeMs!, now: started })
      } catch (err) {
        if (!(err instanceof BaselineError)) throw err
        log(`the recorded baseline cannot be used: ${err.message}`)
        return baselineFailure(err.message)
      }
      plan.recorded = recorded
    }
    const options: EvaluateOptions = {
      ...(notBefore !== undefined ? { notBefore } : {}),
      ...(plan.anchor && plan.anchor.holdMs > 0 ? { hold: { from: plan.anchor.from, until: plan.anchor.until } } : {}),
      ...(recorded ? { recorded } : {}),
    }

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
        round.evaluation = evaluate(round.evidence, t, at, options)
      } catch (err) {
        if (!(err instanceof EvidenceError)) throw err
        round.error = err.message
      }
      const ev = round.evaluation
      const settled = ev !== undefined && (ev.passed || ev.triggers.length > 0)
      const now = ctx.now().getTime()
      let next = Math.max(started + n * s.interval, now)
      // Evaluate right when the hold ends rather than up to an interval later (or never, at the deadline).
      const holdEnd = options.hold?.until
      if (holdEnd !== undefined && now < holdEnd && next > holdEnd) next = holdEnd
      const more = s.wait > 0 && !settled && next <= deadline && !cancelled()
      log(
        progressLine(
          n,
          round,
          plan,
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

    if (s['record-baseline']) {
      let result: Parameters<typeof recordReport>[2]
      if (!round.evaluation || !round.evidence) result = { error: `the evidence could not be read: ${round.error}` }
      else {
        try {
          const baseline = measureBaseline(round.evidence, round.evaluation, t, source, round.at)
          result = { baseline, ...(await writeBaseline(ctx, s['record-baseline'], baseline)) }
        } catch (err) {
          if (!(err instanceof BaselineError)) throw err
          result = { error: err.message }
        }
      }
      return recordReport(round, plan, result)
    }

    const watched =
      s.wait > 0 ? ` after watching for ${formatDuration(ctx.now().getTime() - started)} (${n} evaluation${n === 1 ? '' : 's'})` : ''
    const outcome = report(round, plan, n, watched)
    return outcome
  },
})
