// Fail closed, canary: every way the gate can fail to measure, through the real gate against a
// real Prometheus (backfilled with promtool), real loopback servers and real files. Each row
// must come out `fail` (or `warn` where PRODUCT.md §6 allows it: an age that cannot be
// established), with a sentence naming what was expected and what was seen, and never a stack.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GateContext } from '../../src/core/gate.js'
import type { Status } from '../../src/core/result.js'
import { canary } from '../../src/gates/canary/gate.js'
import { fileWriter } from '../support/files.js'
import { serve, type TestServer } from '../support/http.js'
import { openMetrics, prometheusSkip, startPrometheus, type PromServer, type Traffic } from '../support/prometheus.js'

const MIN = 60_000
const dir = mkdtempSync(path.join(tmpdir(), 'cutover-canary-fail-closed-'))
const servers: TestServer[] = []
let hanging: Server | undefined
let prom: PromServer | undefined
let stopped: PromServer | undefined
/** Whole minutes, in the past: the Prometheus history ends here. */
const t0 = Math.floor(Date.now() / MIN) * MIN
const iso = (t: number) => new Date(t).toISOString()

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  hanging?.closeAllConnections()
  await new Promise((r) => (hanging ? hanging.close(() => r(undefined)) : r(undefined)))
  await prom?.stop()
  await stopped?.stop()
  rmSync(dir, { recursive: true, force: true })
})

beforeAll(async () => {
  // A server that takes the request and never answers: only a timeout ends the wait.
  hanging = createServer(() => {})
  await new Promise<void>((r) => hanging!.listen(0, '127.0.0.1', r))
  if (prometheusSkip !== '') return
  const flat = (v: number) => () => v
  const pair = (service: string, canary: Partial<Traffic> = {}): Traffic[] => [
    { labels: { service, deployment: 'canary' }, rps: flat(10), errorRatio: flat(0), latencyScale: flat(1), ...canary },
    { labels: { service, deployment: 'baseline' }, rps: flat(90), errorRatio: flat(0), latencyScale: flat(1) },
  ]
  prom = await startPrometheus(
    openMetrics([...pair('healthy'), ...pair('idle', { rps: flat(0) }), ...pair('stale', { until: t0 - 17 * MIN })], t0 - 60 * MIN, t0),
  )
  stopped = await startPrometheus(openMetrics([], t0 - MIN, t0))
  await stopped.kill()
})

const file = fileWriter(dir)
async function url(status: number, body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const s = await serve((_q, res) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body)),
  )
  servers.push(s)
  return `${s.url}/var/evidence/latest.json`
}
const hangingUrl = () => `http://127.0.0.1:${(hanging!.address() as AddressInfo).port}`

const healthy = () => ({ canary: { requests: 3_000, errors: 1, p99: 235 }, baseline: { requests: 27_000, errors: 5, p99: 230 } })
const win = (end: number, extra: object = {}) => ({ start: iso(end - 5 * MIN), end: iso(end), ...healthy(), ...extra })
/** Three contiguous, healthy 5-minute windows ending at `end`. */
const three = (end: number) => [win(end - 10 * MIN), win(end - 5 * MIN), win(end)]
const sel = (service: string) => ({
  'canary-selector': `service="${service}",deployment="canary"`,
  'baseline-selector': `service="${service}",deployment="baseline"`,
})

interface Row {
  name: string
  /** The inputs, built when the row runs (servers and files exist by then). */
  inputs: () => Promise<Record<string, string>> | Record<string, string>
  /** The gate's clock, when it matters. */
  now?: () => number
  status: Exclude<Status, 'pass'>
  check: string
  sentence: RegExp
}

const prometheusRows: Row[] = [
  {
    name: 'Prometheus unreachable (stopped)',
    inputs: () => ({ 'prometheus-url': stopped!.url }),
    status: 'fail',
    check: 'green windows',
    sentence: /Prometheus at http:\/\/127\.0\.0\.1:\d+ could not be reached: connection refused \(ECONNREFUSED\)\./,
  },
  {
    name: 'Prometheus does not answer within `timeout`',
    inputs: () => ({ 'prometheus-url': hangingUrl(), timeout: '200ms' }),
    status: 'fail',
    check: 'green windows',
    sentence: /Prometheus at http:\/\/127\.0\.0\.1:\d+ gave no complete answer within 0\.2s\./,
  },
  {
    name: 'an empty result (the selector matches no series)',
    inputs: () => ({ 'prometheus-url': prom!.url, ...sel('nobody') }),
    status: 'fail',
    check: 'green windows',
    sentence:
      /canary requests, errors, p99: no series matched service="nobody",deployment="canary"; missing baseline: baseline requests, p99: no series matched service="nobody",deployment="baseline"\./,
  },
  {
    name: 'NaN samples from PromQL',
    inputs: () => ({
      'prometheus-url': prom!.url,
      ...sel('healthy'),
      queries: 'p99: sum(rate(http_request_duration_seconds_count{$selector}[$window])) * NaN',
    }),
    status: 'fail',
    check: 'green windows',
    sentence: /are not green: canary p99 is NaN; baseline p99 is NaN\. Fix the evidence or the queries/,
  },
  {
    name: 'zero requests',
    inputs: () => ({ 'prometheus-url': prom!.url, ...sel('idle') }),
    status: 'fail',
    check: 'green windows',
    sentence: /too little traffic: 0 canary requests, fewer than min-requests 100/,
  },
  {
    name: 'stale data (the series stopped)',
    inputs: () => ({ 'prometheus-url': prom!.url, ...sel('stale') }),
    now: () => t0,
    status: 'fail',
    check: 'green windows',
    sentence: /canary requests, errors, p99: stale: the newest sample is in the window ending [\d:]+Z, 15m before this one\./,
  },
  {
    name: 'Prometheus answers HTTP 500',
    inputs: async () => ({
      'prometheus-url': (await url(500, { status: 'error', error: 'query processing would load too many samples' })).replace(/\/var.*/, ''),
    }),
    status: 'fail',
    check: 'green windows',
    sentence: /answered HTTP 500: query processing would load too many samples \(query: /,
  },
  {
    name: 'no complete window since not-before',
    inputs: () => ({ 'prometheus-url': prom!.url, ...sel('healthy'), 'not-before': iso(t0 - 2 * MIN) }),
    now: () => t0,
    status: 'fail',
    check: 'green windows',
    sentence:
      /^0 of 3 green windows: no window from Prometheus at http:\/\/127\.0\.0\.1:\d+ starts at or after not-before [\dT:-]+Z \(the promotion\)\. No complete window of 5m since not-before [\dT:-]+Z yet: the first ends at [\dT:-]+Z\. Give the step time/,
  },
  {
    name: 'the hold is not over when `wait` runs out (not-before ahead of the gate)',
    inputs: () => ({
      'prometheus-url': prom!.url,
      ...sel('healthy'),
      'not-before': iso(t0 - 10 * MIN),
      hold: '10m',
      wait: '10m',
      interval: '5m',
    }),
    now: () => t0 - 15 * MIN,
    status: 'fail',
    check: 'hold',
    sentence:
      /^The hold of 10m since the promotion \(`not-before`\) at [\dT:-]+Z was not over after watching for 10m \(3 evaluations\): 5m of it had passed, and the step may pass only from [\dT:-]+Z\. The hold starts 5m after the gate did/,
  },
]

const evidenceRows: Row[] = [
  {
    name: 'missing source file',
    inputs: () => ({ source: 'var/evidence/nope.json' }),
    status: 'fail',
    check: 'evidence',
    sentence: /^The canary evidence could not be read: the evidence file var\/evidence\/nope\.json does not exist\. Point `source` at/,
  },
  {
    name: 'unparsable JSON',
    inputs: () => ({ source: file('{"windows": [') }),
    status: 'fail',
    check: 'evidence',
    sentence: /evidence-\d+\.json is not JSON \(.+\); expected the runbook shape/,
  },
  {
    name: 'an empty `source` string',
    inputs: () => ({ source: '' }),
    status: 'fail',
    check: 'inputs',
    sentence: /^Could not run the gate: give `source` \(an evidence JSON file or URL\) or `prometheus-url`\.$/,
  },
  {
    name: 'a `source` of only spaces, and an empty `prometheus-url`',
    inputs: () => ({ source: '   ', 'prometheus-url': '' }),
    status: 'fail',
    check: 'inputs',
    sentence: /^Could not run the gate: give `source` \(an evidence JSON file or URL\) or `prometheus-url`\.$/,
  },
  {
    name: 'HTTP 500 from the source URL',
    inputs: async () => ({ source: await url(500, 'oops') }),
    status: 'fail',
    check: 'evidence',
    sentence: /the evidence URL http:\/\/127\.0\.0\.1:\d+\/var\/evidence\/latest\.json answered HTTP 500, not 2xx\./,
  },
  {
    name: 'the source URL does not answer within `timeout`',
    inputs: () => ({ source: `${hangingUrl()}/e.json`, timeout: '200ms' }),
    status: 'fail',
    check: 'evidence',
    sentence: /the evidence URL http:\/\/127\.0\.0\.1:\d+\/e\.json gave no complete answer within 0\.2s\./,
  },
  {
    name: 'an HTML page instead of JSON',
    inputs: async () => ({ source: await url(200, '<html>login</html>', { 'content-type': 'text/html' }) }),
    status: 'fail',
    check: 'evidence',
    sentence: /latest\.json is not JSON/,
  },
  {
    name: 'an empty windows array',
    inputs: () => ({ source: file({ windows: [] }) }),
    status: 'fail',
    check: 'green windows',
    sentence: /^0 of 3 green windows: evidence-\d+\.json holds no windows\./,
  },
  {
    name: 'NaN and infinite numbers in the evidence',
    inputs: () => ({
      source: file(
        JSON.stringify({
          windows: [
            win(t0 - 10 * MIN),
            win(t0 - 5 * MIN, { canary: { requests: 3000, errors: 0, p99: '<inf>' } }),
            win(t0, { canary: { requests: 'NaN', errors: 0, p99: 230 } }),
          ],
        }).replace('"<inf>"', '1e999'),
      ),
    }),
    now: () => t0,
    status: 'fail',
    check: 'green windows',
    sentence:
      /window #3 .* is not green: canary requests: not a number: "NaN" \(`windows\[2\]\.canary\.requests`\)\. window #2 .* is not green: canary p99 is infinite\./,
  },
  {
    name: 'stale evidence (the newest window ended 47 minutes ago)',
    inputs: () => ({ source: file({ windows: three(t0 - 47 * MIN) }) }),
    now: () => t0,
    status: 'fail',
    check: 'green windows',
    sentence: /stale: the newest window \(#3\) ended 47m ago, more than one window \(5m\) before now\./,
  },
  {
    name: 'one window repeated three times',
    inputs: () => ({ source: file({ windows: [win(t0), win(t0), win(t0)] }) }),
    now: () => t0,
    status: 'fail',
    check: 'distinct windows',
    sentence:
      /^3 of the 3 windows in evidence-\d+\.json repeat or overlap, so they cannot count as separate windows: #2 .* repeats #1 .* \(same start and end\); #3 .* repeats #1 .*\./,
  },
  {
    name: 'windows overlapping within one minute',
    inputs: () => ({ source: file({ windows: [win(t0 - 40_000), win(t0 - 20_000), win(t0)] }) }),
    now: () => t0,
    status: 'fail',
    check: 'distinct windows',
    sentence: /#2 .* overlaps #1 .* by 4m40s; #3 .* overlaps #2 .* by 4m40s\./,
  },
  {
    name: 'a hole in the row (a window left out)',
    inputs: () => ({ source: file({ windows: [win(t0 - 15 * MIN), win(t0 - 5 * MIN), win(t0)] }) }),
    now: () => t0,
    status: 'fail',
    check: 'green windows',
    sentence: /window #2 .* starts 5m after #1 .* ended: that time was not measured, so the row restarts at #2\./,
  },
  {
    name: 'runbook evidence older than max-age',
    inputs: () => ({
      source: file({ generated_at: iso(t0 - 3 * 24 * 60 * MIN), canary: { windows: [1, 2, 3].map(() => ({ pass: true, burst: 0.2 })) } }),
    }),
    now: () => t0,
    status: 'fail',
    check: 'evidence age',
    sentence:
      /^The evidence from evidence-\d+\.json is 3d old \(`generated_at` [\dT:.-]+Z\), older than max-age 1d: its windows are not the canary of now\./,
  },
  {
    name: 'runbook evidence whose age cannot be established (no timestamp, no Last-Modified)',
    inputs: async () => ({ source: await url(200, { canary: { windows: [1, 2, 3].map(() => ({ pass: true, burst: 0.2 })) } }) }),
    status: 'warn',
    check: 'evidence age',
    sentence:
      /^The age of the evidence from http:\/\/127\.0\.0\.1:\d+\/var\/evidence\/latest\.json cannot be established: it holds no timestamp .*, the server sent no Last-Modified header, and its windows carry no start or end times, so they may be from any day\./,
  },
  {
    name: 'runbook evidence with an unreadable timestamp',
    inputs: () => ({ source: file({ generated_at: 'yesterday', canary: { windows: [{ pass: true, burst: 0.2 }] } }) }),
    status: 'fail',
    check: 'evidence age',
    sentence:
      /^The evidence from evidence-\d+\.json cannot be dated: `generated_at` is "yesterday", not an ISO 8601 time or Unix seconds\./,
  },
  {
    name: 'runbook windows cannot be placed after not-before',
    inputs: () => ({
      source: file({ generated_at: iso(t0), canary: { windows: [1, 2, 3].map(() => ({ pass: true, burst: 0.2 })) } }),
      'not-before': iso(t0 - 30 * MIN),
    }),
    now: () => t0,
    status: 'fail',
    check: 'green windows',
    sentence: /carries no start time, so the gate cannot tell whether it was measured after the promotion \(`not-before`\)\./,
  },
  {
    name: 'a `baseline-file` that does not exist',
    inputs: () => ({ source: file({ windows: three(t0) }), 'baseline-file': 'cutover-reports/baseline.json' }),
    status: 'fail',
    check: 'recorded baseline',
    sentence:
      /^The canary was not judged: the recorded baseline `baseline-file` cutover-reports\/baseline\.json does not exist: record it in pre-flight with `record-baseline` and carry the file to this step\.$/,
  },
  {
    name: 'a `baseline-file` that is not JSON',
    inputs: () => ({ source: file({ windows: three(t0) }), 'baseline-file': file('p99: 230ms') }),
    status: 'fail',
    check: 'recorded baseline',
    sentence: /^The canary was not judged: the recorded baseline `baseline-file` evidence-\d+\.json is not JSON\.$/,
  },
  {
    name: 'a `baseline-file` that is not a recorded baseline (the seed’s `jq .perf` output)',
    inputs: () => ({ source: file({ windows: three(t0) }), 'baseline-file': file({ p50: 120, p99: 480 }) }),
    status: 'fail',
    check: 'recorded baseline',
    sentence: /is not a recorded canary baseline \(`format` nothing, not "cutover-gates\/canary-baseline@1"\)\.$/,
  },
  {
    name: 'a `baseline-file` older than max-age',
    inputs: () => ({ source: file({ windows: three(t0) }), 'baseline-file': file(recorded(t0 - 2 * 24 * 60 * MIN)) }),
    now: () => t0,
    status: 'fail',
    check: 'recorded baseline',
    sentence: /was recorded 2d ago \([\dT:.-]+Z\), longer ago than max-age 1d: record it again in this cutover's pre-flight\.$/,
  },
  {
    name: 'a `baseline-file` recorded from another kind of source',
    inputs: () => ({
      source: file({ windows: three(t0) }),
      'baseline-file': file(
        recorded(t0, { kind: 'prometheus', url: 'http://p', selectors: { canary: 'a="1"', baseline: 'a="2"' }, queries: {} }),
      ),
    }),
    now: () => t0,
    status: 'fail',
    check: 'recorded baseline',
    sentence: /was recorded from Prometheus, but this gate reads evidence JSON: its numbers say nothing about this canary\.$/,
  },
]

/** A well-formed recorded baseline, as record-baseline writes it. */
function recorded(at: number, source: object = { kind: 'evidence', origin: 'e.json' }) {
  return {
    format: 'cutover-gates/canary-baseline@1',
    recordedAt: iso(at),
    source,
    window: '5m',
    windowMs: 5 * MIN,
    from: iso(at - 30 * MIN),
    to: iso(at),
    windows: 6,
    requests: 162_000,
    errors: 30,
    errorRate: 30 / 162_000,
    requestRate: 90,
    p50Ms: 80,
    p99Ms: 230,
  }
}

async function run(row: Row) {
  const inputs = await row.inputs()
  const ctx: Partial<GateContext> = { log: () => {}, cwd: dir, workspace: dir }
  if (row.now) {
    let clock = row.now()
    ctx.now = () => new Date(clock)
    ctx.sleep = async (ms) => void (clock += ms)
  }
  return runGate(canary, inputs, defaultContext(ctx), { id: 'canary' })
}

async function expectFailClosed(row: Row) {
  const r = await run(row)
  expect(r.status, JSON.stringify(r.checks, null, 1)).toBe(row.status)
  const c = r.checks.find((x) => x.name === row.check)
  expect(c, `no check named ${row.check}: ${JSON.stringify(r.checks, null, 1)}`).toBeDefined()
  expect(c!.status).toBe(row.status)
  expect(c!.message).toMatch(row.sentence)
  // A sentence, never a stack: it ends like one and holds no stack frame.
  for (const x of r.checks) {
    expect(x.message).toMatch(/[.)]$/)
    expect(x.message).not.toMatch(/\n\s+at |Error:|undefined|\[object /)
  }
  expect(r.summary).toMatch(new RegExp(`^canary: ${row.status.toUpperCase()}: `))
}

describe('fail closed: canary', () => {
  describe.skipIf(prometheusSkip !== '')(prometheusSkip || 'against a real Prometheus', () => {
    it.each(prometheusRows.map((r) => [r.name, r] as const))('%s', async (_name, row) => expectFailClosed(row))
  })

  describe('against real files and loopback servers', () => {
    it.each(evidenceRows.map((r) => [r.name, r] as const))('%s', async (_name, row) => expectFailClosed(row))
  })

  it('covers every way of failing to measure the brief lists', () => {
    const names = [...prometheusRows, ...evidenceRows].map((r) => r.name.toLowerCase()).join('\n')
    for (const way of [
      'unreachable',
      'timeout',
      'empty result',
      'nan',
      'zero requests',
      'stale data',
      'stale evidence',
      'repeated',
      'overlapping',
      'missing source file',
      'unparsable json',
      'empty `source` string',
      'http 500 from the source url',
    ]) {
      expect(names).toContain(way)
    }
  })
})
