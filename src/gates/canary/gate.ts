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
import { InputError } from '../../core/inputs.js'
import { formatDuration } from '../../core/units.js'
import { BaselineError, loadBaseline, measureBaseline, writeBaseline, type BaselineSource } from './baseline.js'
import { isUrl, loadEvidence } from './evidence.js'
import { pct, times } from './format.js'
import { parseEndpoint } from './http.js'
import { EvidenceError, type Evidence, type LoadedBaseline } from './model.js'
import { DEFAULT_QUERIES, readPrometheus } from './prometheus.js'
import { baselineFailure, progressLine, recordReport, report, type Plan, type Round } from './report.js'
import { evaluate, type EvaluateOptions, type Thresholds } from './verdict.js'
import { MAX_PROMETHEUS_WINDOWS, canaryInputs, canaryAction } from './spec.js'

export { canaryInputs } from './spec.js'

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
  criteria: { en: 'Green windows', tr: 'Yeşil pencereler' },
  // The runbook's "3+ green windows, burst ≤ 1.5x, P99 ≤ baseline + 10%", with this run's numbers.
  ...canaryAction,
  criteriaFor: (s) => {
    const limits = `burst ≤ ${times(s['max-burst'])}, p99 ≤ baseline + ${pct(s['max-p99-regression'])}`
    const errors = pct(s['max-error-rate'])
    return {
      en: `${s['min-green-windows']}+ green windows (${limits}, errors ≤ ${errors})`,
      tr: `${s['min-green-windows']}+ yeşil pencere (${limits}, hata ≤ ${errors})`,
    }
  },
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
