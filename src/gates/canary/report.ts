/** What the canary gate says: its checks, the windows table and charts, and the progress lines. */
import { check, type Check, type Location } from '../../core/result.js'
import { renderChart } from './chart.js'
import { isUrl } from './evidence.js'
import { count, iso, ms, pct, signed, times } from './format.js'
import { runJudge, type JudgeReport } from './judge.js'
import { formatDuration } from '../../core/units.js'
import type { GateOutcome } from '../../core/gate.js'
import type { Evidence, LoadedBaseline, RecordedBaseline } from './model.js'
import type { PrometheusPlan } from './prometheus.js'
import type { Evaluation, Overlap, Reason, Thresholds, WindowVerdict } from './verdict.js'
import { cell } from '../../lib/markdown.js'

export interface Plan {
  source?: string
  prometheus?: PrometheusPlan
  thresholds: Thresholds
  judge: boolean
  /** Per request to Prometheus or the evidence URL. */
  timeoutMs: number
  /** The promotion this step is judged from, and its hold (`from` is `not-before`, else the gate's start). */
  anchor?: { notBefore?: number; holdMs: number; from: number; until: number; started: number }
  recorded?: LoadedBaseline
}

export interface Round {
  at: number
  evidence?: Evidence
  evaluation?: Evaluation
  error?: string
}

export function progressLine(n: number, round: Round, plan: Plan, left: string): string {
  const t = plan.thresholds
  const head = `evaluation ${n} at ${new Date(round.at).toISOString().slice(11, 19)}Z`
  const tail = left ? `; ${left}` : ''
  if (!round.evaluation) return `${head}: the evidence could not be read: ${round.error}${tail}`
  const ev = round.evaluation
  const src = round.evidence?.queries ? ` (${round.evidence.queries} Prometheus queries)` : ''
  if (ev.triggers.length > 0) return `${head}${src}: ABORT: ${ev.triggers[0].text} in window ${ev.triggers[0].window}`
  const last = ev.windows[ev.windows.length - 1]
  const latest = last
    ? `; newest window ${last.label}: ${last.green ? `green (${measured(last)})` : `not green: ${last.reasons[0]?.text ?? 'see the table'}`}`
    : `; no windows${ev.notes.length ? ` (${ev.notes[ev.notes.length - 1].replace(/\.$/, '')})` : ''}`
  let need: string
  if (ev.passed) need = '; enough: pass'
  else if (ev.enough)
    need = `; enough green windows, holding: ${formatDuration(ev.holdLeft ?? 0)} of the ${formatDuration(plan.anchor?.holdMs ?? 0)} hold left`
  else if (ev.streak >= t.minGreen)
    need = `; not passing: ${ev.overlaps?.length ? 'windows repeat or overlap' : 'the evidence is too old or cannot be dated'}`
  else need = `; needs ${t.minGreen - ev.streak} more green window${t.minGreen - ev.streak === 1 ? '' : 's'}`
  return `${head}${src}: ${streakText(ev.streak, t.minGreen)}${latest}${need}${ev.passed ? '' : tail}`
}

/** `2 of 3 green windows in a row`, or `5 green windows in a row (3 needed)`. */
export function streakText(streak: number, needed: number): string {
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
  baseline:
    'Check that `baseline-selector` (or the evidence) matches the stable deployment and that it is serving traffic. When none is left by design (at 100%), record the baseline in pre-flight with `record-baseline` and pass it as `baseline-file`.',
  invalid: 'Fix the evidence or the queries so every window carries finite, non-negative numbers.',
  threshold: 'Investigate the canary before promoting; raise `wait` to keep watching if it is recovering.',
  reported: 'Find out why the evidence marks the window as failed before promoting.',
  anchor:
    'Only windows measured since the promotion count: read Prometheus, or give each window of the evidence its `start` and `end` times.',
  layout: 'Write each window into the evidence once, back to back, each with its own start and end, then run the gate again.',
}

const HOLD_NEXT =
  'Give the step time: only windows measured since the promotion and inside the hold count, so `wait` must cover the hold and `min-green-windows` windows of `window`.'

export function report(round: Round, plan: Plan, n: number, watched: string) {
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
      `The last ${t.minGreen} windows from ${evidence.origin} are green in a row (${deciding[0].label} to ${deciding[deciding.length - 1].label}): ${figures}.${recordedText(deciding, plan.recorded)}${uncheckedText}`,
      loc,
    )
  } else if (ev.windows.length === 0) {
    greenCheck = check(
      'fail',
      'green windows',
      observed,
      expected,
      plan.anchor?.notBefore !== undefined
        ? `0 of ${t.minGreen} green windows${watched}: no window from ${evidence.origin} starts at or after not-before ${iso(plan.anchor.notBefore)} (the promotion)${ev.ignored.length ? `; ${ev.ignored.length} earlier window${ev.ignored.length === 1 ? ' was' : 's were'} not judged` : ''}. ${evidence.notes.find((x) => x.startsWith('No complete window')) ?? ''} Give the step time: raise \`wait\` so windows measured since the promotion can be judged.`.replace(
            / {2,}/g,
            ' ',
          )
        : `0 of ${t.minGreen} green windows${watched}: ${evidence.origin} holds no windows. Write the canary windows into the evidence, then run the gate again.`,
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
    // The row may also end at a hole between green windows, at the start of the hold, or simply
    // because fewer windows than needed exist yet (since the promotion).
    const gap = ev.breaks.find((g) => g.at === ev.windows.length - ev.streak)
    const since = plan.anchor?.notBefore !== undefined ? ` since not-before ${iso(plan.anchor.notBefore)}` : ''
    const few =
      !gap && notGreen.length === 0 && ev.windows.length < t.minGreen
        ? `only ${ev.windows.length} window${ev.windows.length === 1 ? '' : 's'} of ${formatDuration(t.windowMs)}${since ? `${since} (the promotion)` : ` in ${evidence.origin}`}, fewer than min-green-windows ${t.minGreen}.`
        : ''
    const next = gap
      ? gap.kind === 'gap'
        ? NEXT.layout
        : HOLD_NEXT
      : few
        ? since || plan.prometheus
          ? HOLD_NEXT
          : 'Write more windows into the evidence, then run the gate again.'
        : NEXT[notGreen[0]?.reasons[0]?.kind ?? 'threshold']
    const reasons = [gap ? `${gap.text}.` : '', few, why].filter(Boolean).join(' ')
    greenCheck = check(
      'fail',
      'green windows',
      observed,
      expected,
      `${ev.streak} of ${t.minGreen} green windows in a row${watched} in ${evidence.origin}: ${reasons}${more} ${next}${uncheckedText}`,
      loc,
    )
  }
  if (ev.triggers.length > 0) checks.push(abortCheck, greenCheck)
  else checks.push(greenCheck, abortCheck)
  if (ev.overlaps) checks.push(distinctCheck(ev.overlaps, ev.windows.length, evidence.origin, loc))
  if (ev.age) checks.push(check(ev.age.status, 'evidence age', ev.age.observed, ev.age.expected, ev.age.message, loc))
  if (plan.anchor) checks.push(holdCheck(ev, plan, round.at, watched))
  if (plan.recorded) checks.push(recordedCheck(ev, plan.recorded))

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

/** The sentence every judgement against a recorded baseline carries. */
function recordedText(windows: WindowVerdict[], recorded: LoadedBaseline | undefined): string {
  const used = windows.filter((w) => w.recorded !== undefined)
  if (!recorded || used.length === 0) return ''
  const which = used.length === windows.length ? 'these windows' : `windows ${used.map((w) => w.label).join(', ')}`
  return ` ${which[0].toUpperCase()}${which.slice(1)} were judged against the baseline recorded at ${recorded.baseline.recordedAt}, live baseline has no traffic (${used[0].recorded}).`
}

function recordedCheck(ev: Evaluation, recorded: LoadedBaseline): Check {
  const b = recorded.baseline
  const used = ev.windows.filter((w) => w.recorded !== undefined)
  const figures = `p99 ${ms(b.p99Ms)}${b.p50Ms !== null ? `, p50 ${ms(b.p50Ms)}` : ''}, error rate ${pct(b.errorRate)}, ${+b.requestRate.toPrecision(3)} requests/s over ${b.windows} windows of ${b.window} (${b.from} to ${b.to})`
  const file = `${recorded.file} (SHA-256 ${recorded.sha256})`
  const expected = 'a baseline recorded in pre-flight, for windows whose live baseline has no traffic'
  if (ev.shape === 'runbook') {
    return check(
      'pass',
      'recorded baseline',
      `recorded at ${b.recordedAt}, not applicable`,
      expected,
      `The baseline recorded at ${b.recordedAt} in ${file} was not used: the runbook shape compares no latency with a baseline, live or recorded.`,
      { path: recorded.file },
    )
  }
  if (used.length === 0) {
    return check(
      'pass',
      'recorded baseline',
      `recorded at ${b.recordedAt}, not needed`,
      expected,
      `The baseline recorded at ${b.recordedAt} in ${file} was not needed: the live baseline had traffic in every window judged. Recorded: ${figures}.`,
      { path: recorded.file },
    )
  }
  const labels = used.length === ev.windows.length ? `all ${used.length} windows` : `windows ${used.map((w) => w.label).join(', ')}`
  return check(
    'pass',
    'recorded baseline',
    `used in ${used.length} of ${ev.windows.length} windows`,
    expected,
    `The canary was judged against the baseline recorded at ${b.recordedAt}, live baseline has no traffic (${used[0].recorded}) in ${labels}. Recorded in ${file}: ${figures}. The canary's own numbers are still required, and the absolute limits (max-error-rate, slo, max-burst) apply as always.`,
    { path: recorded.file },
  )
}

function holdCheck(ev: Evaluation, plan: Plan, at: number, watched: string): Check {
  const a = plan.anchor!
  const t = plan.thresholds
  const by = a.notBefore !== undefined ? 'the promotion (`not-before`)' : 'the gate started'
  const ignored = ev.ignored.length ? ` ${ev.ignored.length} earlier window${ev.ignored.length === 1 ? ' was' : 's were'} not judged.` : ''
  if (a.holdMs === 0) {
    return check(
      'pass',
      'hold',
      `windows since ${iso(a.from)}`,
      `only windows that start at or after not-before ${iso(a.from)}`,
      `Judged only the ${ev.windows.length} window${ev.windows.length === 1 ? '' : 's'} that start at or after not-before ${iso(a.from)} (the promotion).${ignored}`,
    )
  }
  const expected = `hold ${formatDuration(a.holdMs)} since ${iso(a.from)}, then ${t.minGreen} green windows in a row inside it`
  const held = Math.max(0, Math.min(at, a.until) - a.from)
  if (!ev.holdLeft) {
    return check(
      'pass',
      'hold',
      `${formatDuration(a.holdMs)} held`,
      expected,
      `Held ${formatDuration(a.holdMs)} since ${by} at ${iso(a.from)}, until ${iso(a.until)}; the green windows that decide lie inside the hold.${ignored}`,
    )
  }
  const future =
    a.from > a.started
      ? ` The hold starts ${formatDuration(a.from - a.started)} after the gate did: check \`not-before\` and the clocks.`
      : ''
  return check(
    'fail',
    'hold',
    `${formatDuration(held)} of ${formatDuration(a.holdMs)} held`,
    expected,
    `The hold of ${formatDuration(a.holdMs)} since ${by} at ${iso(a.from)} was not over${watched}: ${formatDuration(held)} of it had passed, and the step may pass only from ${iso(a.until)}.${future} Give \`wait\` at least the time left of the hold.`,
  )
}

/** The outcome when the gate was given a recorded baseline it cannot use: nothing is judged. */
export function baselineFailure(why: string): GateOutcome {
  return {
    checks: [
      check(
        'fail',
        'recorded baseline',
        'not usable',
        'a baseline recorded in pre-flight by `record-baseline`',
        `The canary was not judged: ${why}.`,
      ),
    ],
    metrics: { evaluations: 0 },
    outputs: { 'green-windows': '0', aborted: 'false', trigger: '' },
  }
}

/** The outcome of `record-baseline`: the baseline recorded (or why not); the canary is not judged. */
export function recordReport(
  round: Round,
  plan: Plan,
  result: { baseline: RecordedBaseline; file: string; sha256: string } | { error: string },
): GateOutcome {
  const expected = `the baseline measured in at least ${plan.thresholds.minGreen} windows, each with ≥ ${count(plan.thresholds.minRequests)} requests`
  const outputs = { 'green-windows': '0', aborted: 'false', trigger: '' }
  const detail = round.evaluation && round.evidence ? details(round.evaluation, round.evidence, plan.thresholds) : undefined
  if ('error' in result) {
    return {
      checks: [
        check(
          'fail',
          'baseline recorded',
          'not recorded',
          expected,
          `The baseline was not recorded, and nothing was written: ${result.error}. Record it while the stable deployment serves its usual traffic.`,
        ),
      ],
      metrics: { evaluations: 1 },
      ...(detail ? { details: detail } : {}),
      outputs,
    }
  }
  const b = result.baseline
  const from = b.source.kind === 'prometheus' ? `Prometheus at ${b.source.url} for ${b.source.selectors.baseline}` : b.source.origin
  const figures = `p99 ${ms(b.p99Ms)}, p50 ${b.p50Ms === null ? 'not measured' : ms(b.p50Ms)}, error rate ${pct(b.errorRate)}, ${+b.requestRate.toPrecision(3)} requests/s`
  return {
    checks: [
      check(
        'pass',
        'baseline recorded',
        figures,
        expected,
        `Recorded the baseline of ${b.windows} windows of ${b.window} (${b.from} to ${b.to}) from ${from} into ${result.file} (SHA-256 ${result.sha256}) at ${b.recordedAt}: ${figures}. The canary was not judged; pass this file as \`baseline-file\` at the later steps.`,
        { path: result.file },
      ),
    ],
    metrics: {
      evaluations: 1,
      windows: b.windows,
      baseline_p99_ms: b.p99Ms,
      ...(b.p50Ms !== null ? { baseline_p50_ms: b.p50Ms } : {}),
      baseline_error_rate: b.errorRate,
      baseline_request_rate: b.requestRate,
    },
    details: [
      `**Recorded baseline** in ${result.file}, SHA-256 \`${result.sha256}\`:`,
      '',
      '```json',
      JSON.stringify(b, null, 2),
      '```',
      '',
      detail ?? '',
    ]
      .join('\n')
      .trimEnd(),
    outputs,
  }
}

function distinctCheck(overlaps: Overlap[], n: number, origin: string, loc: Location | undefined): Check {
  const expected = 'every window once, none overlapping another'
  if (overlaps.length === 0) {
    return check(
      'pass',
      'distinct windows',
      `${n} distinct window${n === 1 ? '' : 's'}, none overlapping`,
      expected,
      `The ${n} windows of ${origin} are distinct and do not overlap.`,
      loc,
    )
  }
  const involved = new Set(overlaps.flatMap((o) => [o.window, o.other]))
  const listed = overlaps
    .slice(0, 5)
    .map((o) => o.text)
    .join('; ')
  const more = overlaps.length > 5 ? `; and ${overlaps.length - 5} more (see the table)` : ''
  return check(
    'fail',
    'distinct windows',
    `${overlaps.length} window${overlaps.length === 1 ? '' : 's'} repeat or overlap another`,
    expected,
    `${involved.size} of the ${n} windows in ${origin} repeat or overlap, so they cannot count as separate windows: ${listed}${more}. ${NEXT.layout}`,
    loc,
  )
}

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
      const rec = w.recorded !== undefined
      out.push(
        `| ${cell(w.label)} | ${opt(w.requests, count)} / ${rec ? 'recorded' : opt(w.baselineRequests, count)} | ${opt(w.errorRate, pct)} / ${opt(w.baselineErrorRate, pct)}${rec ? ' recorded' : ''} | ${opt(w.burst, times)} | ${rec ? p99.replace(/ \(/, ' recorded (') : p99} | ${cell(verdictCell(w))} |`,
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
