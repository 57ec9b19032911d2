/**
 * smoke: an ordered HTTP flow, the seeds' canary money loop (deposit → withdraw request →
 * approve → mark paid → ledger settled) and their auth-separation checks. Steps run in order;
 * each is judged on its status code and its `expect` assertions (readyz's language), and
 * `capture` takes values from its JSON answer for later steps (`{{tx}}`). The first failing
 * step fails the gate, is named, and ends the flow; every step run is reported with its status,
 * time and captured values. Header values are secrets, and so is any captured value a header uses.
 */
import { defineGate, type GateContext } from '../../core/gate.js'
import { makeRedactor, type Redact } from '../../core/redact.js'
import { check, type Check } from '../../core/result.js'
import { formatDuration, formatStatusRanges, statusInRanges } from '../../core/units.js'
import { displayUrl } from '../../lib/url.js'
import {
  checkAssertion,
  isJsonMedia,
  lookup,
  mediaType,
  renderJsonValue,
  snippet,
  type Assertion,
  type BodyReading,
} from '../../lib/health-body.js'
import { exchange, type Exchange } from './http.js'
import { REF, secretCaptures, smokeInputs, stepsSecrets, type Step, smokeAction } from './spec.js'

const MASK = '***'

interface StepReport {
  step: Step
  /** The URL as sent, as it may be shown. */
  shown: string
  status: 'pass' | 'fail'
  http?: number
  ms: number
  attempts: number
  /** `HTTP 201, 12ms`. */
  observed: string
  /** What was seen, as one or more sentences. */
  text: string
  captured: [name: string, shown: string][]
}

export const smoke = defineGate({
  name: 'smoke',
  category: 'Ops',
  criteria: { en: 'Smoke tests PASS', tr: 'Smoke testleri PASS' },
  ...smokeAction,
  inputs: smokeInputs,
  outputs: {
    captured:
      'The values the steps captured, as a JSON object (`{"tx": "dep_1"}`); values used in headers are masked. Record them for the runbook (Tx ID, withdrawal ID).',
  },
  async run(s, ctx) {
    const steps = s.steps
    const secretNames = secretCaptures(steps)
    // The runner masks the input's secrets too; the gate masks them itself for callers that do not.
    const secrets = new Set(stepsSecrets(JSON.stringify(steps.map((st) => ({ url: st.url, headers: Object.fromEntries(st.headers) })))))
    let redact: Redact = makeRedactor(secrets)
    const log = (line: string) => ctx.log(redact(line))

    const values = new Map<string, unknown>()
    const reports: StepReport[] = []
    const t0 = ctx.now().getTime()
    const deadline = t0 + s['flow-timeout']
    for (const [i, step] of steps.entries()) {
      const r = await runStep(step, i, steps.length, {
        ctx,
        values,
        timeout: s.timeout,
        follow: s['follow-redirects'],
        deadline,
        flowTimeout: s['flow-timeout'],
        log,
      })
      for (const c of step.capture) {
        if (!values.has(c.name) || !secretNames.has(c.name)) continue
        const v = renderJsonValue(values.get(c.name))
        if (v.length >= 3) secrets.add(v)
        redact = makeRedactor(secrets)
      }
      r.captured = step.capture
        .filter((c) => values.has(c.name))
        .map((c) => [c.name, secretNames.has(c.name) ? MASK : snippet(renderJsonValue(values.get(c.name)), 80)])
      reports.push(r)
      log(`step ${i + 1}/${steps.length} ${step.name}: ${r.status.toUpperCase()} (${r.observed})`)
      if (r.status === 'fail') break
    }

    const notRun = steps.slice(reports.length)
    const checks = reports.map((r, i) => stepCheck(r, i === reports.length - 1 ? notRun : []))
    const metrics: Record<string, number> = {
      steps_total: steps.length,
      steps_passed: reports.filter((r) => r.status === 'pass').length,
      flow_ms: ctx.now().getTime() - t0,
    }
    for (const r of reports) metrics[`step_ms:${r.step.name}`] = r.ms
    const captured: Record<string, string> = {}
    for (const r of reports) for (const [k] of r.captured) captured[k] = secretNames.has(k) ? MASK : renderJsonValue(values.get(k))
    return redact({ checks, metrics, outputs: { captured: JSON.stringify(captured) }, details: details(reports, notRun) })
  },
})

interface Run {
  ctx: GateContext
  values: Map<string, unknown>
  timeout: number
  follow: boolean
  deadline: number
  flowTimeout: number
  log: (line: string) => void
}

/** `{{name}}` replaced with the captured value, %-encoded when it goes into a URL. */
function fill(text: string, values: Map<string, unknown>, encode = false): string {
  return text.replace(REF, (_, name: string) => {
    const v = renderJsonValue(values.get(name))
    return encode ? encodeURIComponent(v) : v
  })
}

/** A body string that is one reference only takes the captured value with its JSON type (a number stays a number). */
function fillBody(v: unknown, values: Map<string, unknown>): unknown {
  if (typeof v === 'string') {
    const whole = /^\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$/.exec(v)
    return whole ? values.get(whole[1]) : fill(v, values)
  }
  if (Array.isArray(v)) return v.map((x) => fillBody(x, values))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillBody(x, values)]))
  return v
}

async function runStep(step: Step, i: number, total: number, run: Run): Promise<StepReport> {
  const { ctx, values } = run
  const url = fill(step.url, values, true)
  const shown = displayUrl(url)
  const request = {
    method: step.method,
    url,
    headers: step.headers.map(([k, v]) => [k, fill(v, values)] as [string, string]),
    ...(step.body !== undefined ? { body: JSON.stringify(fillBody(step.body, values)) } : {}),
  }
  const expect = step.expect.map((a) => ({ ...a, value: fill(a.value, values), text: `${a.path}=${fill(a.value, values)}` }))
  const started = ctx.now().getTime()
  const stepEnd = step.wait > 0 ? started + step.wait : started
  let attempts = 0
  for (;;) {
    const left = run.deadline - ctx.now().getTime()
    if (left <= 0) {
      return {
        step,
        shown,
        status: 'fail',
        ms: ctx.now().getTime() - started,
        attempts,
        observed: 'not started: flow-timeout',
        text: `${attempts ? `After ${attempts} attempt${attempts === 1 ? '' : 's'}, the` : 'The'} flow had used its whole \`flow-timeout\` (${formatDuration(run.flowTimeout)}) before this step ${attempts ? 'passed' : 'could start'}.`,
        captured: [],
      }
    }
    attempts++
    const t = ctx.now().getTime()
    const x = await exchange(ctx, request, { timeoutMs: Math.min(run.timeout, left), follow: run.follow })
    const ms = ctx.now().getTime() - t
    const judged = judge(step, expect, x, values)
    const now = ctx.now().getTime()
    // Another attempt only if it starts within the step's `wait` and the flow's time.
    const more = !judged.ok && step.wait > 0 && now + step.interval <= stepEnd && now + step.interval < run.deadline && !ctx.signal?.aborted
    if (!more) {
      const again = attempts > 1 ? ` (attempt ${attempts}, after ${formatDuration(now - started)})` : ''
      return {
        step,
        shown,
        status: judged.ok ? 'pass' : 'fail',
        ...(x.status !== undefined ? { http: x.status } : {}),
        ms,
        attempts,
        observed: `${x.status !== undefined ? `HTTP ${x.status}` : judged.short}, ${ms}ms${attempts > 1 ? `, ${attempts} attempts` : ''}`,
        text: `${step.method} ${shown} ${judged.text}${again}.${judged.ok || step.wait === 0 ? '' : ` It kept failing for the \`wait\` of ${formatDuration(step.wait)}.`}`,
        captured: [],
      }
    }
    run.log(`step ${i + 1}/${total} ${step.name}: attempt ${attempts} ${judged.short}; again in ${formatDuration(step.interval)}`)
    await ctx.sleep(step.interval, ctx.signal)
  }
}

function reading(contentType: string | null, text: string): BodyReading {
  const mime = mediaType(contentType)
  const base = { format: 'text' as const, mime, components: [], componentCount: 0 }
  const t = text.trim()
  if (t === '' || !(isJsonMedia(mime) || t.startsWith('{') || t.startsWith('['))) return base
  try {
    return { ...base, format: 'json', json: { value: JSON.parse(t) } }
  } catch {
    return base
  }
}

/** Judges one answer; on a pass, the step's captures are taken into `values`. */
function judge(step: Step, expect: Assertion[], x: Exchange, values: Map<string, unknown>): { ok: boolean; text: string; short: string } {
  const hops = x.hops.length
    ? ` (redirected ${x.hops.length === 1 ? 'once' : `${x.hops.length} times`} to ${displayUrl(x.hops[x.hops.length - 1].to)})`
    : ''
  if (!x.ok) return { ok: false, text: `${x.text}${hops}`, short: x.short }
  const body = reading(x.contentType, x.text)
  const quoted = x.text.trim() ? `: ${JSON.stringify(snippet(x.text, 200))}` : ' with an empty body'
  const problems: string[] = []
  if (!statusInRanges(x.status, step.expectStatus))
    problems.push(`answered HTTP ${x.status}, expected ${formatStatusRanges(step.expectStatus)}`)
  const failed = expect.map((a) => checkAssertion(a, body, x.text)).filter((r) => !r.ok)
  problems.push(...failed.map((r) => r.problem as string))
  const got: [string, unknown][] = []
  if (problems.length === 0) {
    for (const c of step.capture) {
      if (!body.json) {
        problems.push(`capture \`${c.name}\` needs a JSON answer, and this one is not JSON`)
        break
      }
      const found = lookup(body.json.value, c.segments)
      if (!found.found)
        problems.push(
          `capture \`${c.name}\`: \`${c.path}\` is missing from the answer${found.missing !== c.path ? ` (no \`${found.missing}\`)` : ''}`,
        )
      else if (found.value === null || (typeof found.value === 'string' && found.value === ''))
        problems.push(`capture \`${c.name}\`: \`${c.path}\` is ${found.value === null ? 'null' : 'empty'}`)
      else got.push([c.name, found.value])
    }
  }
  if (problems.length) {
    const short = x.status !== undefined && !statusInRanges(x.status, step.expectStatus) ? `HTTP ${x.status}` : 'expectation failed'
    return { ok: false, text: `${problems.join('; ')}${hops}; the answer was HTTP ${x.status}${quoted}`, short }
  }
  for (const [k, v] of got) values.set(k, v)
  const asserted = expect.length ? `, ${expect.map((a) => a.text).join(', ')} as expected` : ''
  return { ok: true, text: `answered HTTP ${x.status}${asserted}${hops}`, short: `HTTP ${x.status}` }
}

function expectedOf(step: Step): string {
  return [
    `HTTP ${formatStatusRanges(step.expectStatus)}`,
    ...step.expect.map((a) => a.text),
    ...(step.capture.length ? [`captures ${step.capture.map((c) => `${c.name} (${c.path})`).join(', ')}`] : []),
  ].join('; ')
}

function stepCheck(r: StepReport, notRun: Step[]): Check {
  const captured = r.captured.length ? ` Captured ${r.captured.map(([k, v]) => `${k}=${v}`).join(', ')}.` : ''
  if (r.status === 'pass') return check('pass', r.step.name, r.observed, expectedOf(r.step), `${r.text}${captured}`, { url: r.shown })
  const rest = notRun.length ? ` The flow stopped here; not run: ${notRun.map((s) => s.name).join(', ')}.` : ''
  return check('fail', r.step.name, r.observed, expectedOf(r.step), `Step \`${r.step.name}\` failed: ${r.text}${rest}`, { url: r.shown })
}

function details(reports: StepReport[], notRun: Step[]): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\s+/g, ' ')
  const rows = reports.map(
    (r, i) =>
      `| ${i + 1} | ${cell(r.step.name)} | ${r.step.method} ${cell(r.shown)} | ${r.http ?? '-'} | ${r.ms}ms | ${r.status === 'pass' ? 'pass' : 'FAIL'} | ${cell(r.captured.map(([k, v]) => `${k}=${v}`).join(', ') || '-')} |`,
  )
  const skipped = notRun.map(
    (s, j) => `| ${reports.length + j + 1} | ${cell(s.name)} | ${s.method} ${cell(displayUrl(s.url))} | - | - | not run | - |`,
  )
  return ['| # | step | request | HTTP | time | result | captured |', '|---|---|---|---|---|---|---|', ...rows, ...skipped].join('\n')
}
