// The canary gate from evidence JSON: files written by the test, and the same scenarios served by
// a real HTTP server on 127.0.0.1. The Prometheus scenarios live in canary-prometheus.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { parseEvidence } from '../../../src/gates/canary/evidence.js'
import { EvidenceError } from '../../../src/gates/canary/model.js'
import { parseQueries, parseSelector, readPrometheus, type PrometheusPlan, DEFAULT_QUERIES } from '../../../src/gates/canary/prometheus.js'
import { defaultContext, runGate, type GateContext } from '../../../src/core/gate.js'
import { commonInputs } from '../../../src/core/inputs.js'
import { InputFormError } from '../../../src/core/units.js'
import { canary, canaryInputs, evaluate, type Thresholds } from '../../../src/gates/canary/gate.js'
import { serve, type TestServer } from '../../support/http.js'

const MIN = 60_000
const dir = mkdtempSync(path.join(tmpdir(), 'cutover-canary-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

// ---------------------------------------------------------------------------------------------
// Scenarios, as the raw shape: six 5-minute windows, the newest ending at `now`

type Scenario = 'healthy' | 'regression' | 'burst' | 'no-canary'

/** Deterministic log-normal latency samples (ms): a seeded generator, Box-Muller. */
function samples(n: number, medianMs: number, seed: number): number[] {
  let s = seed >>> 0
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296
  }
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand())
    return +(medianMs * Math.exp(0.45 * z)).toFixed(3)
  })
}

interface Side {
  requests?: number
  errors?: number
  p50?: number
  p99?: unknown
  latencies?: number[]
}

function raw(now: number, windows: ({ canary?: Side; baseline?: Side } | null)[]) {
  const n = windows.length
  return {
    windows: windows.map((w, i) => {
      const end = now - (n - 1 - i) * 5 * MIN
      return { start: new Date(end - 5 * MIN).toISOString(), end: new Date(end).toISOString(), ...(w ?? {}) }
    }),
  }
}

const baseline = (): Side => ({ requests: 27_000, errors: 5, p50: 80, p99: 230 })
const healthyCanary = (): Side => ({ requests: 3_000, errors: 1, p50: 82, p99: 235 })

function scenario(name: Scenario, now: number, withSamples = false) {
  const windows = Array.from({ length: 6 }, (_, i) => {
    const c = healthyCanary()
    const b = baseline()
    if (name === 'regression') c.p99 = 230 * 1.25
    if (name === 'burst' && i === 2) c.errors = 60
    if (withSamples) {
      c.latencies = samples(600, name === 'regression' ? 100 : 80, 1000 + i)
      b.latencies = samples(2000, 80, 2000 + i)
    }
    return name === 'no-canary' ? { baseline: b } : { canary: c, baseline: b }
  })
  return raw(now, windows)
}

// ---------------------------------------------------------------------------------------------
// Transports: a file in a temp folder, or a real HTTP server

let files = 0
async function viaFile(body: unknown): Promise<string> {
  const file = path.join(dir, `evidence-${++files}.json`)
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body))
  return file
}

async function viaUrl(body: unknown): Promise<string> {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body))
  })
  servers.push(server)
  return `${server.url}/var/evidence/latest.json`
}

const transports = [
  ['a JSON file', viaFile],
  ['an HTTP URL', viaUrl],
] as const

async function gate(inputs: Record<string, string>, ctx: Partial<GateContext> = {}) {
  return runGate(canary, inputs, defaultContext({ log: () => {}, cwd: dir, workspace: dir, ...ctx }), { id: 'canary' })
}

const byName = (r: Awaited<ReturnType<typeof gate>>, name: string) => {
  const c = r.checks.find((x) => x.name === name)
  expect(c, `no check named ${name}: ${JSON.stringify(r.checks)}`).toBeDefined()
  return c!
}

// ---------------------------------------------------------------------------------------------

describe.each(transports)('canary from %s', (_name, via) => {
  it('passes a healthy canary and explains it with a table and charts', async () => {
    const r = await gate({ source: await via(scenario('healthy', Date.now())) })
    expect(r.status).toBe('pass')
    const green = byName(r, 'green windows')
    expect(green.status).toBe('pass')
    expect(green.observed).toBe('6 green windows in a row (3 needed) (6 windows read)')
    expect(green.message).toMatch(
      /The last 3 windows from .* are green in a row \(#4 .* to #6 .*\): burst at most 0\.33x, canary p99 at most \+2\.17% against the baseline, error rate at most 0\.033%/,
    )
    expect(byName(r, 'abort triggers').status).toBe('pass')
    expect(r.outputs).toEqual({ 'green-windows': '6', aborted: 'false', trigger: '' })
    expect(r.details).toContain(
      '| window | requests canary / baseline | error rate canary / baseline | burst | p99 canary / baseline | verdict |',
    )
    expect(r.details).toMatch(
      /\| #6 \d\d:\d\d(:\d\d)?–\d\d:\d\d(:\d\d)? \| 3,000 \/ 27,000 \| 0\.033% \/ 0\.019% \| 0\.33x \| 235ms \/ 230ms \(\+2\.17%\) \| green \|/,
    )
    expect(r.details).toContain('xychart-beta')
    expect(r.details).toContain('title "p99 latency per window (ms)"')
    expect(r.details).toContain('title "Error rate per window (%)"')
    expect(r.metrics).toMatchObject({ windows: 6, green_windows: 6, triggers: 0, canary_p99_ms: 235, baseline_p99_ms: 230 })
  })

  it('aborts on a 25% p99 regression, naming the trigger, the window and the numbers', async () => {
    const r = await gate({ source: await via(scenario('regression', Date.now())) })
    expect(r.status).toBe('fail')
    expect(r.checks[0].name).toBe('abort triggers')
    expect(r.checks[0].message).toMatch(
      /^Abort trigger \(p99\) in window #1 [\d:–]+ of .*: canary p99 288ms is 25% above baseline p99 230ms, beyond abort-p99-regression 20%\. Also 5 more: p99 in #2/,
    )
    expect(r.outputs.aborted).toBe('true')
    expect(r.outputs.trigger).toMatch(/^p99 in window #1/)
    expect(r.summary).toMatch(/^canary: FAIL: Abort trigger \(p99\)/)
  })

  it('aborts on an error burst in the third window', async () => {
    const r = await gate({ source: await via(scenario('burst', Date.now())) })
    expect(r.status).toBe('fail')
    const abort = byName(r, 'abort triggers')
    expect(abort.status).toBe('fail')
    expect(abort.observed).toMatch(/^burst in window #3 /)
    expect(abort.message).toContain(
      'burst 20x is above max-burst 1.5x: canary error rate 2% (60 of 3,000 requests failed) against a 0.1% error budget (slo 99.9%)',
    )
    expect(abort.message).toContain('Also 1 more: error rate in #3')
    // The later windows are green again: the trigger still decides.
    expect(byName(r, 'green windows').status).toBe('pass')
    expect(r.details).toMatch(/\| #3 .*\*\*ABORT\*\*: burst 20x/)
  })

  it('fails when the canary has no data, saying so for every window', async () => {
    const r = await gate({ source: await via(scenario('no-canary', Date.now())) })
    expect(r.status).toBe('fail')
    const green = byName(r, 'green windows')
    expect(green.message).toMatch(
      /^0 of 3 green windows in a row in .*: windows #6 [\d:–]+, #5 [\d:–]+, #4 [\d:–]+ are not green: no canary data in this window\. Check that `canary-selector`/,
    )
    expect(byName(r, 'abort triggers').message).toMatch(/^Could not look for abort triggers: none of the 6 windows/)
    expect(r.details).toContain('_No chart: no window has both canary and baseline numbers._')
  })
})

describe('canary evidence that cannot be read', () => {
  it('a missing file is a fail naming it', async () => {
    const r = await gate({ source: 'var/evidence/nope.json' })
    expect(r.status).toBe('fail')
    expect(r.checks).toHaveLength(1)
    expect(r.checks[0].name).toBe('evidence')
    expect(r.checks[0].message).toBe(
      'The canary evidence could not be read: the evidence file var/evidence/nope.json does not exist. Point `source` at the evidence JSON (runbook or raw shape) and run the gate again.',
    )
    expect(r.checks[0].location).toEqual({ path: 'var/evidence/nope.json' })
  })

  it('a stopped HTTP server is a fail naming the URL and the cause', async () => {
    const server = await serve((_q, res) => res.end('{}'))
    const url = `${server.url}/evidence.json`
    await server.close()
    const r = await gate({ source: url })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toContain(`the evidence URL ${url} could not be reached: connection refused (ECONNREFUSED)`)
  })

  it('an HTTP error status is a fail', async () => {
    const server = await serve((_q, res) => res.writeHead(503).end('down'))
    servers.push(server)
    const r = await gate({ source: `${server.url}/e.json` })
    expect(r.checks[0].message).toContain('answered HTTP 503, not 2xx')
  })

  it.each([
    ['not JSON', '{"canary": ', /is not JSON/],
    ['a JSON array', '[1,2]', /holds an array of 2, not a JSON object/],
    ['no windows', '{"perf": {"p99": 3}}', /has no `canary.windows` or `windows` array/],
    ['windows not an array', '{"canary": {"windows": "3 green"}}', /`canary.windows` is "3 green", not an array of windows/],
  ])('%s is a typed error and a fail', async (_n, body, why) => {
    const r = await gate({ source: await viaFile(body) })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(why)
  })

  it('credentials in the source URL go as Basic auth and never into the result', async () => {
    let auth: string | undefined
    const server = await serve((req, res) => {
      auth = req.headers.authorization
      res.writeHead(200).end(JSON.stringify(scenario('no-canary', Date.now())))
    })
    servers.push(server)
    const url = server.url.replace('http://', 'http://release:s3cret-pw@') + '/e.json?token=tok-123456'
    const lines: string[] = []
    const r = await gate({ source: url }, { log: (l) => lines.push(l) })
    expect(auth).toBe(`Basic ${Buffer.from('release:s3cret-pw').toString('base64')}`)
    const all = JSON.stringify(r) + lines.join('\n')
    expect(all).not.toContain('s3cret-pw')
    expect(all).not.toContain('tok-123456')
    expect(all).not.toContain(Buffer.from('release:s3cret-pw').toString('base64'))
    expect(r.checks[0].message).toContain(`${server.url}/e.json`)
  })
})

describe('canary: Prometheus credentials', () => {
  it('user:password in prometheus-url goes as Basic auth; a 401 is a fail that never shows the password', async () => {
    const seen: (string | undefined)[] = []
    const server = await serve((req, res) => {
      seen.push(req.headers.authorization)
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'error', errorType: 'unauthorized', error: 'bad credentials' }))
    })
    servers.push(server)
    const lines: string[] = []
    const r = await gate({ 'prometheus-url': server.url.replace('http://', 'http://ops:pr0m-s3cret@') }, { log: (l) => lines.push(l) })
    expect(r.status).toBe('fail')
    expect(seen).toHaveLength(6)
    expect(new Set(seen)).toEqual(new Set([`Basic ${Buffer.from('ops:pr0m-s3cret').toString('base64')}`]))
    expect(r.checks[0].message).toContain(`Prometheus at ${server.url} answered HTTP 401: bad credentials`)
    const all = JSON.stringify(r) + lines.join('\n')
    expect(all).not.toContain('pr0m-s3cret')
    expect(all).not.toContain(Buffer.from('ops:pr0m-s3cret').toString('base64'))
  })
})

// ---------------------------------------------------------------------------------------------
// Semantics, window by window

const T: Thresholds = {
  windowMs: 5 * MIN,
  minGreen: 3,
  minRequests: 100,
  slo: 0.999,
  maxBurst: 1.5,
  maxP99Regression: 0.1,
  maxErrorRate: 0.001,
  abortP99Regression: 0.2,
  abortErrorRate: 0.005,
}

function judge(windows: ({ canary?: Side; baseline?: Side } | null)[], now = Date.now()) {
  // JSON has no Infinity: the marker becomes 1e999, which JSON.parse reads as Infinity.
  const ev = parseEvidence(JSON.stringify(raw(now, windows)).replaceAll('"<1e999>"', '1e999'), 'evidence.json')
  return evaluate(ev, T, now)
}

const ok = () => ({ canary: healthyCanary(), baseline: baseline() })
const reasonsOf = (ev: ReturnType<typeof judge>, i: number) => ev.windows[i].reasons.map((r) => r.text)

describe('canary semantics', () => {
  it('"2 of 3 green windows" when a window before the last two is not green', async () => {
    const w = [ok(), ok(), ok(), { canary: { ...healthyCanary(), p99: 230 * 1.15 }, baseline: baseline() }, ok(), ok()]
    const r = await gate({ source: await viaFile(raw(Date.now(), w)) })
    expect(r.status).toBe('fail')
    expect(r.checks[0].name).toBe('green windows')
    expect(r.checks[0].observed).toBe('2 of 3 green windows in a row (6 windows read)')
    expect(r.checks[0].message).toMatch(
      /^2 of 3 green windows in a row in evidence-\d+\.json: window #4 .* is not green: canary p99 265ms is 15% above baseline p99 230ms, beyond max-p99-regression 10%\./,
    )
    expect(r.checks[1]).toMatchObject({ name: 'abort triggers', status: 'pass' })
    expect(r.outputs['green-windows']).toBe('2')
  })

  it('exactly at max-p99-regression is still green', () => {
    const ev = judge([{ canary: { ...healthyCanary(), p99: 253 }, baseline: { ...baseline(), p99: 230 } }])
    expect(reasonsOf(ev, 0)).toEqual([])
    expect(ev.windows[0].green).toBe(true)
  })

  it('too little traffic is not green and names the numbers', () => {
    const ev = judge([{ canary: { ...healthyCanary(), requests: 40, errors: 0 }, baseline: baseline() }])
    expect(reasonsOf(ev, 0)).toEqual(['too little traffic: 40 canary requests, fewer than min-requests 100'])
    expect(ev.triggers).toEqual([])
  })

  it('a quiet window still aborts when its errors alone would, counted against min-requests', () => {
    const ev = judge([{ canary: { requests: 80, errors: 40, p99: 230 }, baseline: baseline() }])
    expect(ev.triggers.map((t) => t.kind)).toEqual(['burst', 'error rate'])
    expect(ev.triggers[0].text).toContain('(40 errors counted against min-requests 100, as the window had only 80 requests)')
  })

  it('non-numbers, infinities and negatives are not green', () => {
    const ev = judge([
      { canary: { ...healthyCanary(), p99: 'NaN' }, baseline: baseline() },
      { canary: { ...healthyCanary(), p99: '<1e999>' }, baseline: baseline() },
      { canary: { ...healthyCanary(), errors: -1 }, baseline: baseline() },
      { canary: { ...healthyCanary(), errors: 4000 }, baseline: baseline() },
      { canary: { ...healthyCanary(), requests: undefined }, baseline: baseline() },
    ])
    expect(reasonsOf(ev, 0)).toEqual(['canary p99: not a number: "NaN" (`windows[0].canary.p99`)'])
    expect(reasonsOf(ev, 1)).toEqual(['canary p99 is infinite'])
    expect(reasonsOf(ev, 2)).toEqual(['canary errors is negative (-1)'])
    expect(reasonsOf(ev, 3)).toEqual(['canary errors (4,000) exceed its requests (3,000)'])
    expect(reasonsOf(ev, 4)).toEqual(['canary requests: missing (`windows[4].canary.requests`)'])
    expect(ev.windows.every((w) => !w.green)).toBe(true)
  })

  it('a missing baseline is not green', () => {
    const ev = judge([{ canary: healthyCanary() }, { canary: healthyCanary(), baseline: { requests: 27_000, errors: 0 } }])
    expect(reasonsOf(ev, 0)).toEqual(['missing baseline: no baseline data in this window'])
    expect(reasonsOf(ev, 1)).toEqual(['missing baseline: baseline p99: missing (`windows[1].baseline.p99`)'])
  })

  it('stale evidence (the newest window ended long ago) is not green', () => {
    const ev = judge([ok(), ok(), ok()], Date.now() - 47 * MIN)
    // judged now, but written 47 minutes ago
    const late = evaluate(parseEvidence(JSON.stringify(raw(Date.now() - 47 * MIN, [ok(), ok(), ok()])), 'e.json'), T, Date.now())
    expect(ev.passed).toBe(true)
    expect(late.passed).toBe(false)
    expect(late.windows[2].reasons[0].text).toMatch(
      /^stale: the newest window \(#3\) ended 47m ago, more than one window \(5m\) before now$/,
    )
  })

  it('windows without times, or in the future, are not green', () => {
    const now = Date.now()
    const ev = evaluate(parseEvidence(JSON.stringify({ windows: [ok()] }), 'e.json'), T, now)
    expect(reasonsOf(ev, 0)).toEqual([
      '`windows[0].start` is missing: cannot tell when this window was measured',
      '`windows[0].end` is missing: cannot tell when this window was measured',
    ])
    const future = evaluate(parseEvidence(JSON.stringify(raw(now + 30 * MIN, [ok()])), 'e.json'), T, now)
    expect(reasonsOf(future, 0)[0]).toMatch(/^ends 30m in the future/)
  })
})

describe('canary: the runbook shape', () => {
  const runbook = (windows: unknown[], perf: unknown = { p50: 120, p99: 480 }) => JSON.stringify({ canary: { windows }, perf })

  it('passes on 3 windows with pass: true and burst ≤ 1.5x, and says what it could not check', async () => {
    const r = await gate({
      source: await viaFile(
        runbook([
          { pass: true, burst: 0.8 },
          { pass: true, burst: 1.2 },
          { pass: true, burst: 0.4 },
        ]),
      ),
    })
    expect(r.status).toBe('pass')
    expect(r.checks[0].message).toBe(
      'The last 3 windows from evidence-' +
        files +
        '.json are green in a row (#1 to #3): pass: true, burst at most 1.2x. Not checked, as the evidence does not carry it: p99 against the baseline, the error rate, the request count.',
    )
    // The windows carry no times: the file's age stands in for them.
    expect(byName(r, 'evidence age')).toMatchObject({ status: 'pass', observed: expect.stringMatching(/ old \(file modification time\)$/) })
    expect(r.details).toContain('| window | pass | burst | verdict |')
    expect(r.details).toContain('perf: p50 120, p99 480; the runbook shape has no baseline to compare them with.')
    expect(r.details).toContain('title "Burst per window"')
  })

  it('never passes on missing data: pass: true without a burst is not green', async () => {
    const r = await gate({ source: await viaFile(runbook([{ pass: true, burst: 0.8 }, { pass: true, burst: 0.8 }, { pass: true }])) })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/^0 of 3 green windows in a row in evidence-\d+\.json: window #3 is not green: `burst` is missing/)
  })

  it('aborts on a burst above 1.5x and refuses non-boolean pass values', async () => {
    const ev = evaluate(
      parseEvidence(runbook([{ pass: true, burst: 1.7 }, { pass: 'yes', burst: 0.1 }, { pass: false, burst: 0.1 }, 7]), 'e.json'),
      T,
      Date.now(),
    )
    expect(ev.triggers).toEqual([{ kind: 'burst', window: '#1', text: 'burst 1.7x is above max-burst 1.5x' }])
    expect(reasonsOf(ev, 1)).toEqual(['`pass` is "yes", not true or false'])
    expect(reasonsOf(ev, 2)).toEqual(['the evidence marks this window `pass: false`'])
    expect(reasonsOf(ev, 3)[0]).toBe('`canary.windows[3]` is 7, not a window object')
  })
})

// ---------------------------------------------------------------------------------------------
// Watch mode, on a virtual clock: the evidence server answers what the canary shows "now"

function watchContext() {
  let clock = Date.parse('2026-01-05T12:00:00Z')
  const lines: string[] = []
  const ctx: Partial<GateContext> = {
    now: () => new Date(clock),
    sleep: async (ms) => {
      clock += ms
    },
    log: (l) => lines.push(l),
  }
  return { ctx, lines, now: () => clock }
}

describe('canary watch mode', () => {
  it('keeps evaluating until enough windows are green, with a progress line each time', async () => {
    const { ctx, lines, now } = watchContext()
    let calls = 0
    const server = await serve((_q, res) => {
      calls++
      // One more green window each evaluation.
      const bad = { canary: { ...healthyCanary(), requests: 10, errors: 0 }, baseline: baseline() }
      const w = Array.from({ length: 6 }, (_, i) => (i >= 6 - calls ? ok() : bad))
      res.writeHead(200).end(JSON.stringify(raw(now(), w)))
    })
    servers.push(server)
    const r = await gate({ source: `${server.url}/e.json`, wait: '10m', interval: '1m' }, ctx)
    expect(r.status).toBe('pass')
    expect(calls).toBe(3)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(
      /^evaluation 1 at 12:00:00Z: 1 of 3 green windows in a row; newest window #6 11:55–12:00: green \(3,000 requests, burst 0\.33x, error rate 0\.033%, p99 235ms vs 230ms\); needs 2 more green windows; 10m left$/,
    )
    expect(lines[1]).toMatch(/^evaluation 2 at 12:01:00Z: 2 of 3 green windows in a row; .*; needs 1 more green window; 9m left$/)
    expect(lines[2]).toMatch(/^evaluation 3 at 12:02:00Z: 3 of 3 green windows in a row; .*; enough: pass$/)
    expect(r.metrics.evaluations).toBe(3)
  })

  it('detects an abort trigger at the first evaluation after the data shows it', async () => {
    const { ctx, lines, now } = watchContext()
    let calls = 0
    const server = await serve((_q, res) => {
      calls++
      const w = [ok(), ok(), calls >= 2 ? { canary: { ...healthyCanary(), errors: 30 }, baseline: baseline() } : ok()]
      // Only two windows: never enough to pass, so only a trigger ends the watch early.
      res.writeHead(200).end(JSON.stringify(raw(now(), w.slice(1))))
    })
    servers.push(server)
    const r = await gate({ source: `${server.url}/e.json`, wait: '30m', interval: '30s' }, ctx)
    expect(calls).toBe(2)
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(
      /^Abort trigger \(burst\) in window #2 11:55:30–12:00:30 of http:\/\/127\.0\.0\.1:\d+\/e\.json: burst 10x/,
    )
    expect(lines[1]).toMatch(/^evaluation 2 at 12:00:30Z: ABORT: burst 10x is above max-burst 1\.5x/)
  })

  it('fails with "2 of 3 green windows" when the time runs out', async () => {
    const { ctx, lines, now } = watchContext()
    const server = await serve((_q, res) => {
      const bad = { canary: { ...healthyCanary(), p99: 260 }, baseline: baseline() }
      res.writeHead(200).end(JSON.stringify(raw(now(), [ok(), bad, ok(), ok()])))
    })
    servers.push(server)
    const r = await gate({ source: `${server.url}/e.json`, wait: '2m', interval: '30s' }, ctx)
    expect(r.status).toBe('fail')
    expect(lines).toHaveLength(5)
    expect(lines[4]).toMatch(/; no time left$/)
    expect(r.checks[0].message).toMatch(
      /^2 of 3 green windows in a row after watching for 2m \(5 evaluations\) in http:\/\/127\.0\.0\.1:\d+\/e\.json: window #2 .* is not green: canary p99 260ms is 13% above baseline p99 230ms, beyond max-p99-regression 10%\./,
    )
  })
})

// ---------------------------------------------------------------------------------------------
// Inputs

describe('canary inputs', () => {
  it.each([
    [{}, 'give `source` (an evidence JSON file or URL) or `prometheus-url`'],
    [{ source: 'a.json', 'prometheus-url': 'http://p:9090' }, 'give either `source` or `prometheus-url`, not both'],
    [{ source: 'a.json', 'abort-p99-regression': '5%' }, '`abort-p99-regression` (5%) is below `max-p99-regression` (10%)'],
    [{ source: 'a.json', 'abort-error-rate': '0.05%' }, '`abort-error-rate` (0.05%) is below `max-error-rate` (0.1%)'],
    [{ 'prometheus-url': 'http://p:9090', lookback: '10m' }, '`lookback` 10m holds 2 windows of 5m, fewer than `min-green-windows` 3'],
    [
      { 'prometheus-url': 'http://p:9090', 'canary-selector': 'deployment=canary' },
      'input `canary-selector`: "deployment=canary" is not valid',
    ],
    [{ 'prometheus-url': 'http://p:9090', queries: 'p99: histogram_quantile(0.99, x)' }, 'must use $selector'],
    [{ 'prometheus-url': 'ftp://p' }, 'input `prometheus-url`: (value hidden) is not valid'],
    [{ source: 'a.json', slo: '100%' }, 'a percentage above 0% and below 100%'],
    [{ source: 'a.json', queries: 'requests: sum(x{$selector})' }, '`queries` applies to Prometheus only'],
  ])('%j is refused: %s', async (inputs, text) => {
    const r = await gate(inputs as Record<string, string>)
    expect(r.inputError).toBe(true)
    expect(r.status).toBe('fail')
    expect(r.checks.map((c) => c.message).join(' ')).toContain(text)
  })

  it('actions/canary/action.yml declares exactly the schema inputs and defaults', () => {
    const yml = parse(readFileSync(path.resolve(import.meta.dirname, '../../../actions/canary/action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: unknown; required?: boolean }>
      outputs: Record<string, unknown>
    }
    const declared = Object.fromEntries(
      Object.entries(yml.inputs).map(([k, v]) => [k, { default: v.default, required: v.required === true }]),
    )
    const specs = { ...commonInputs, ...canaryInputs }
    expect(declared).toEqual(
      Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, { default: s.default, required: s.required === true }])),
    )
    expect(Object.keys(yml.outputs).sort()).toEqual(['aborted', 'green-windows', 'ledger-head', 'report', 'status', 'summary', 'trigger'])
  })

  it('selector and queries parsers: any text is a value or an InputFormError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        for (const p of [parseSelector, parseQueries]) {
          try {
            p(s)
          } catch (err) {
            expect(err).toBeInstanceOf(InputFormError)
          }
        }
      }),
      { numRuns: 500 },
    )
    expect(parseSelector('{app="api", track=~"canary|stable"}')).toBe('app="api", track=~"canary|stable"')
    expect(parseQueries('requests: sum(rate(x{$selector}[$window]))')).toEqual({ requests: 'sum(rate(x{$selector}[$window]))' })
  })
})

// ---------------------------------------------------------------------------------------------
// Arbitrary evidence: a typed error or windows judged by the rules, never a crash, never a pass

const anyWindow = fc.record(
  {
    pass: fc.oneof(fc.boolean(), fc.jsonValue()),
    burst: fc.oneof(fc.double(), fc.jsonValue()),
    start: fc.oneof(fc.constant(new Date().toISOString()), fc.jsonValue()),
    end: fc.oneof(fc.constant(new Date().toISOString()), fc.jsonValue()),
    canary: fc.oneof(
      fc.jsonValue(),
      fc.record({ requests: fc.jsonValue(), errors: fc.jsonValue(), p99: fc.jsonValue(), latencies: fc.jsonValue() }, { requiredKeys: [] }),
    ),
    baseline: fc.jsonValue(),
  },
  { requiredKeys: [] },
)

describe('canary: arbitrary evidence', () => {
  it('arbitrary JSON never crashes and never passes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        let ev
        try {
          ev = parseEvidence(JSON.stringify(v), 'e.json')
        } catch (err) {
          expect(err).toBeInstanceOf(EvidenceError)
          return
        }
        expect(evaluate(ev, T, Date.now()).passed).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })

  it('arbitrary bytes never crash and never pass', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          const ev = parseEvidence(Buffer.from(bytes).toString('utf8'), 'e.json')
          expect(evaluate(ev, T, Date.now()).passed).toBe(false)
        } catch (err) {
          expect(err).toBeInstanceOf(EvidenceError)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('windows of arbitrary fields are green only when every rule holds', () => {
    fc.assert(
      fc.property(fc.array(anyWindow, { maxLength: 6 }), fc.boolean(), (windows, nested) => {
        const body = nested ? { canary: { windows } } : { windows }
        const ev = evaluate(parseEvidence(JSON.stringify(body), 'e.json'), T, Date.now())
        for (const w of ev.windows) {
          if (!w.green) {
            expect(w.reasons.length + w.triggers.length).toBeGreaterThan(0)
            continue
          }
          if (ev.shape === 'runbook') {
            expect(w.window.reported?.pass).toBe(true)
            expect(typeof w.window.reported?.burst).toBe('number')
            expect(w.burst!).toBeLessThanOrEqual(T.maxBurst)
          } else {
            expect(w.requests!).toBeGreaterThanOrEqual(T.minRequests)
            expect(w.baselineRequests!).toBeGreaterThanOrEqual(T.minRequests)
            expect(w.burst!).toBeLessThanOrEqual(T.maxBurst)
            expect(w.errorRate!).toBeLessThanOrEqual(T.maxErrorRate)
            expect(w.p99!).toBeLessThanOrEqual(w.baselineP99! * (1 + T.maxP99Regression))
          }
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('arbitrary files through the whole gate: a fail with a sentence, never a stack or a pass', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        async (text) => {
          const r = await gate({ source: await viaFile(text) })
          expect(r.status).toBe('fail')
          for (const c of r.checks) expect(c.message).not.toMatch(/\n\s+at /)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('arbitrary Prometheus answers never crash and never pass', async () => {
    const plan: PrometheusPlan = {
      endpoint: { url: 'http://127.0.0.1:9/', shown: 'http://127.0.0.1:9' },
      selectors: { canary: 'deployment="canary"', baseline: 'deployment="baseline"' },
      queries: DEFAULT_QUERIES,
      windowMs: 5 * MIN,
      count: 3,
      buckets: true,
      timeoutMs: 1000,
    }
    const answer = fc.oneof(
      fc.jsonValue(),
      fc.record({
        status: fc.constantFrom('success', 'error'),
        data: fc.record({
          resultType: fc.constantFrom('matrix', 'vector'),
          result: fc.array(
            fc.record({
              metric: fc.jsonValue(),
              values: fc.array(
                fc.tuple(fc.oneof(fc.double(), fc.jsonValue()), fc.oneof(fc.string(), fc.constantFrom('NaN', '+Inf', '-Inf', '12'))),
                { maxLength: 4 },
              ),
            }),
          ),
        }),
      }),
    )
    await fc.assert(
      fc.asyncProperty(answer, fc.integer({ min: 200, max: 599 }), async (body, status) => {
        const ctx = defaultContext({ fetch: (async () => new Response(JSON.stringify(body), { status })) as typeof fetch })
        const ev = await readPrometheus(plan, ctx, Date.now())
        expect(ev.windows).toHaveLength(3)
        expect(evaluate(ev, T, Date.now()).passed).toBe(false)
      }),
      { numRuns: 300 },
    )
  })
})
