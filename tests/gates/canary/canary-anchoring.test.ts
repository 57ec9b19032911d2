// Promotion anchoring against a real Prometheus over backfilled history: `not-before` (only
// windows since the promotion), `hold` (a step passes only once it has held, on green windows
// inside the hold) and a baseline recorded in pre-flight standing in for the live baseline at
// 100%. The gate runs on its context's clock, set into the backfilled past and advanced by its
// own sleep(), so an hour of watching takes no real time. Under CI=true these tests never skip.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { canary } from '../../../src/gates/canary/gate.js'
import { openMetrics, prometheusSkip, startPrometheus, type PromServer, type Traffic } from '../../support/prometheus.js'

const MIN = 60_000
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z')

describe.skipIf(prometheusSkip !== '')(prometheusSkip || 'canary anchored to the promotion, on a real Prometheus', () => {
  let prom: PromServer
  /** Whole minutes, in the past: the history ends here. */
  let t0: number
  /** The promotion instant of every scenario. */
  let P: number
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-canary-anchor-'))

  beforeAll(async () => {
    t0 = Math.floor(Date.now() / MIN) * MIN
    P = t0 - 60 * MIN
    const flat = (v: number) => () => v
    const after = (a: number, b: number) => (t: number) => (t >= P ? b : a)
    const pair = (service: string, canary: Partial<Traffic>, baseline: Partial<Traffic> = {}): Traffic[] => [
      { labels: { service, deployment: 'canary' }, rps: flat(10), errorRatio: flat(0), latencyScale: flat(1.02), ...canary },
      { labels: { service, deployment: 'baseline' }, rps: flat(90), errorRatio: flat(0.0002), latencyScale: flat(1), ...baseline },
    ]
    const traffic = [
      // Before the promotion the canary burned its error budget and was slow; since, it is healthy.
      ...pair('recovered', { errorRatio: after(0.02, 0), latencyScale: after(1.3, 1.02) }),
      // The reverse: healthy at the step before, 15% slower since the promotion.
      ...pair('regressed', { latencyScale: after(1.02, 1.15) }),
      ...pair('steady', {}),
      // At 100%: the baseline's series end at the promotion, the canary serves everything.
      ...pair('full', { rps: after(10, 100) }, { until: P }),
      ...pair('full-slow', { rps: after(10, 100), latencyScale: after(1.02, 1.3) }, { until: P }),
    ]
    prom = await startPrometheus(openMetrics(traffic, t0 - 3 * 60 * MIN, t0))
  })
  afterAll(async () => {
    await prom?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const selectors = (service: string) => ({
    'canary-selector': `service="${service}",deployment="canary"`,
    'baseline-selector': `service="${service}",deployment="baseline"`,
  })

  /** Runs the gate with its clock starting at `start`; sleep() only moves that clock. */
  async function gate(service: string, start: number, inputs: Record<string, string> = {}) {
    let clock = start
    const slept: number[] = []
    const lines: string[] = []
    const asked: URL[] = []
    const ctx = defaultContext({
      now: () => new Date(clock),
      sleep: async (ms) => {
        slept.push(ms)
        clock += ms
      },
      log: (l) => lines.push(l),
      fetch: (input, init) => {
        asked.push(new URL(String(input)))
        return fetch(input, init)
      },
      cwd: dir,
      workspace: dir,
    })
    const r = await runGate(canary, { 'prometheus-url': prom.url, ...selectors(service), ...inputs }, ctx, { id: 'canary' })
    return { r, slept, lines, asked, end: () => clock }
  }
  const byName = (r: { checks: { name: string }[] }, name: string) => {
    const c = r.checks.find((x) => x.name === name)
    expect(c, `no check named ${name}: ${JSON.stringify(r.checks, null, 1)}`).toBeDefined()
    return c as (typeof r.checks)[number] & { status: string; observed: string; message: string }
  }

  describe('not-before: only windows since the promotion are judged', () => {
    it('bad windows before the promotion are never asked for, and the good ones after it pass', async () => {
      const { r, lines, asked, end } = await gate('recovered', P + MIN, { 'not-before': iso(P), hold: '15m', wait: '20m', interval: '1m' })
      expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
      expect(end()).toBe(P + 15 * MIN)
      // Nothing before the promotion: each query's first point is the end of a window starting at or after P.
      expect(asked.length).toBeGreaterThan(0)
      for (const u of asked) {
        const step = Number(u.searchParams.get('step'))
        expect(Number(u.searchParams.get('start')) - step).toBeGreaterThanOrEqual(P / 1000)
      }
      expect(byName(r, 'abort triggers').status).toBe('pass')
      expect(byName(r, 'green windows').observed).toBe('3 of 3 green windows in a row (3 windows read)')
      expect(byName(r, 'hold')).toMatchObject({ status: 'pass', observed: '15m held' })
      expect(byName(r, 'hold').message).toBe(
        `Held 15m since the promotion (\`not-before\`) at ${iso(P)}, until ${iso(P + 15 * MIN)}; the green windows that decide lie inside the hold.`,
      )
      // Until a whole window has passed since the promotion there is nothing to judge, and it says so.
      expect(lines[0]).toContain(
        `no windows (No complete window of 5m since not-before ${iso(P)} yet: the first ends at ${iso(P + 5 * MIN)})`,
      )
    })

    it('the same history without not-before is judged on the step before: its abort trigger fires', async () => {
      const { r } = await gate('recovered', P + MIN)
      expect(r.status).toBe('fail')
      expect(r.checks[0]).toMatchObject({ name: 'abort triggers', status: 'fail' })
    })

    it('the reverse: green windows before the promotion do not carry a step that regressed since', async () => {
      // Unanchored, the first evaluation passes at once on the windows of the step before: the defect.
      const unanchored = await gate('regressed', P + MIN)
      expect(unanchored.r.status).toBe('pass')
      const { r, end } = await gate('regressed', P + MIN, { 'not-before': iso(P), hold: '15m', wait: '15m', interval: '1m' })
      expect(r.status).toBe('fail')
      // The hold is over at P+15m, but the step may still recover: it watches until `wait` runs out.
      expect(end()).toBe(P + 16 * MIN)
      const green = byName(r, 'green windows')
      expect(green.observed).toBe('0 of 3 green windows in a row (3 windows read)')
      expect(green.message).toMatch(
        /are not green: canary p99 \d+ms is 1\d(\.\d+)?% above baseline p99 \d+ms, beyond max-p99-regression 10%/,
      )
      for (const w of r.details!.matchAll(/^\| #\d+ (\d\d:\d\d)–/gm)) expect(w[1] >= iso(P).slice(11, 16)).toBe(true)
    })
  })

  describe('hold: a step passes only once it has held', () => {
    it('enough green windows early on still wait for the hold, evaluating right when it ends', async () => {
      const { r, lines, slept, end } = await gate('steady', P + MIN, {
        'not-before': iso(P),
        window: '1m',
        hold: '15m',
        wait: '20m',
        interval: '4m',
      })
      expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
      // Evaluations at P+1m, +5m, +9m, +13m, then at the hold's end rather than at +17m.
      expect(slept).toEqual([4 * MIN, 4 * MIN, 4 * MIN, 2 * MIN])
      expect(end()).toBe(P + 15 * MIN)
      expect(lines[1]).toMatch(/; enough green windows, holding: 10m of the 15m hold left; 16m left$/)
      expect(lines[4]).toMatch(/: 15 green windows in a row \(3 needed\); .*; enough: pass$/)
    })

    it('without not-before the hold starts with the gate, and windows from before it do not count', async () => {
      const start = P + MIN
      const { r, lines, end } = await gate('steady', start, { window: '1m', hold: '10m', wait: '10m', interval: '1m' })
      expect(r.status).toBe('pass')
      expect(end()).toBe(start + 10 * MIN)
      expect(lines[0]).toMatch(/^evaluation 1 at [\d:]+Z \(6 Prometheus queries\): 0 of 3 green windows in a row; /)
      expect(byName(r, 'hold').message).toContain(`Held 10m since the gate started at ${iso(start)}`)
      // The 30 windows read are all green, but only those inside the hold make the row.
      expect(byName(r, 'green windows').observed).toBe('10 green windows in a row (3 needed) (30 windows read)')
    })

    it('a hold that cannot end within `wait` (not-before ahead of the clock) fails, saying how much was held', async () => {
      const { r } = await gate('steady', P, { 'not-before': iso(P + 10 * MIN), hold: '15m', wait: '15m', interval: '5m' })
      expect(r.status).toBe('fail')
      const hold = byName(r, 'hold')
      expect(hold.observed).toBe('5m of 15m held')
      expect(hold.message).toContain(`may pass only from ${iso(P + 25 * MIN)}`)
      expect(hold.message).toContain('The hold starts 10m after the gate did: check `not-before` and the clocks.')
      expect(byName(r, 'green windows').message).toMatch(
        /^1 of 3 green windows in a row after watching for 15m \(4 evaluations\) in Prometheus at http:\/\/127\.0\.0\.1:\d+: only 1 window of 5m since not-before [\dT:-]+Z \(the promotion\), fewer than min-green-windows 3\. Give the step time: /,
      )
    })
  })

  describe('a baseline recorded in pre-flight stands in at 100%', () => {
    const file = (name: string) => path.join(dir, name)

    async function record(service: string, name: string, extra: Record<string, string> = {}) {
      const { r } = await gate(service, P - 2 * MIN, { 'record-baseline': name, ...extra })
      expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
      return r
    }

    it('records p50, p99, error rate and request rate with the window, time and selectors; the report carries its SHA-256', async () => {
      // Credentials in the URL go as Basic auth (Prometheus ignores it) and into neither the file nor the report.
      const r = await record('full', 'baseline-full.json', { 'prometheus-url': prom.url.replace('http://', 'http://ops:pr0m-s3cret@') })
      const text = readFileSync(file('baseline-full.json'), 'utf8')
      const b = JSON.parse(text)
      expect(b).toMatchObject({
        format: 'cutover-gates/canary-baseline@1',
        recordedAt: iso(P - 2 * MIN),
        source: {
          kind: 'prometheus',
          url: prom.url,
          selectors: { canary: 'service="full",deployment="canary"', baseline: 'service="full",deployment="baseline"' },
        },
        window: '5m',
        windowMs: 5 * MIN,
        windows: 6,
        to: iso(P - 2 * MIN),
      })
      expect(b.requestRate).toBeCloseTo(90, 0)
      expect(b.errorRate).toBeCloseTo(0.0002, 4)
      // Log-normal with a median of 80ms and σ 0.45, through histogram_quantile: p50 ≈ 80ms, p99 ≈ 228ms.
      expect(b.p50Ms).toBeGreaterThan(70)
      expect(b.p50Ms).toBeLessThan(90)
      expect(b.p99Ms).toBeGreaterThan(200)
      expect(b.p99Ms).toBeLessThan(250)
      const sha = execFileSync('sha256sum', [file('baseline-full.json')], { encoding: 'utf8' }).split(' ')[0]
      const rec = byName(r, 'baseline recorded')
      expect(rec.message).toContain(`into baseline-full.json (SHA-256 ${sha})`)
      expect(rec.message).toContain('The canary was not judged')
      expect(r.details).toContain(sha)
      for (const secret of ['pr0m-s3cret', Buffer.from('ops:pr0m-s3cret').toString('base64')]) {
        expect(text).not.toContain(secret)
        expect(JSON.stringify(r)).not.toContain(secret)
      }
    })

    it('at 100% the live baseline is gone: judged against the recorded one, and the report says so', async () => {
      await record('full', 'baseline-full-2.json')
      const { r } = await gate('full', P + MIN, {
        'not-before': iso(P),
        hold: '15m',
        wait: '20m',
        interval: '1m',
        'baseline-file': 'baseline-full-2.json',
      })
      expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
      const phrase = `judged against the baseline recorded at ${iso(P - 2 * MIN)}, live baseline has no traffic`
      expect(byName(r, 'green windows').message).toContain(phrase)
      const used = byName(r, 'recorded baseline')
      expect(used.observed).toBe('used in 3 of 3 windows')
      expect(used.message).toContain(`The canary was ${phrase} (no series matched service="full",deployment="baseline") in all 3 windows.`)
      expect(r.details).toMatch(
        /\| #3 [\d:–]+ \| 30,000 \/ recorded \| 0% \/ 0\.02% recorded \| 0x \| \d+ms \/ \d+ms recorded \(\+[\d.]+%\) \| green \|/,
      )
    })

    it('the statistical judge has no baseline distribution to rank against a recorded baseline, and says so', async () => {
      await record('full', 'baseline-full-3.json')
      const { r } = await gate('full', P + 15 * MIN, {
        'not-before': iso(P),
        'baseline-file': 'baseline-full-3.json',
        judge: 'mann-whitney',
      })
      expect(r.status).toBe('fail')
      expect(byName(r, 'judge: mann-whitney').message).toContain('(the baseline is the recorded one, which holds no distribution)')
      expect(byName(r, 'green windows').status).toBe('pass')
    })

    it('without the recorded baseline the same step fails closed on the missing baseline, and says what to do', async () => {
      const { r } = await gate('full', P + 15 * MIN, { 'not-before': iso(P) })
      expect(r.status).toBe('fail')
      const green = byName(r, 'green windows')
      expect(green.message).toContain('missing baseline: baseline requests, p99: no series matched service="full",deployment="baseline"')
      expect(green.message).toContain('record the baseline in pre-flight with `record-baseline` and pass it as `baseline-file`')
    })

    it('a canary slower than the recorded baseline still aborts', async () => {
      await record('full-slow', 'baseline-slow.json')
      const { r } = await gate('full-slow', P + 15 * MIN, { 'not-before': iso(P), 'baseline-file': 'baseline-slow.json' })
      expect(r.status).toBe('fail')
      expect(r.checks[0]).toMatchObject({ name: 'abort triggers', status: 'fail' })
      expect(r.checks[0].message).toMatch(
        /canary p99 \d+ms is 2\d(\.\d+)?% above the recorded baseline p99 \d+ms, beyond abort-p99-regression 20%/,
      )
    })

    it('never passes without canary data, recorded baseline or not', async () => {
      const ghost = { 'canary-selector': 'service="full",deployment="ghost"' }
      await record('full', 'baseline-ghost.json', ghost)
      const { r } = await gate('full', P + 15 * MIN, { ...ghost, 'not-before': iso(P), 'baseline-file': 'baseline-ghost.json' })
      expect(r.status).toBe('fail')
      expect(byName(r, 'green windows').message).toContain(
        'canary requests, errors, p99: no series matched service="full",deployment="ghost"',
      )
    })

    it('a baseline recorded for other selectors, or older than max-age, is a fail naming the file', async () => {
      await record('steady', 'baseline-steady.json')
      const other = await gate('full', P + 15 * MIN, { 'not-before': iso(P), 'baseline-file': 'baseline-steady.json' })
      expect(other.r.status).toBe('fail')
      expect(other.r.checks).toHaveLength(1)
      expect(other.r.checks[0].message).toBe(
        'The canary was not judged: the recorded baseline `baseline-file` baseline-steady.json was recorded for baseline-selector "service=\\"steady\\",deployment=\\"baseline\\"" and canary-selector "service=\\"steady\\",deployment=\\"canary\\"", not "service=\\"full\\",deployment=\\"baseline\\"" and "service=\\"full\\",deployment=\\"canary\\"": its numbers say nothing about this canary.',
      )
      expect(other.asked).toHaveLength(0)
      const old = await gate('steady', P + 15 * MIN, { 'baseline-file': 'baseline-steady.json', 'max-age': '10m' })
      expect(old.r.status).toBe('fail')
      expect(old.r.checks[0].message).toContain(
        `was recorded 17m ago (${iso(P - 2 * MIN)}), longer ago than max-age 10m: record it again in this cutover's pre-flight`,
      )
    })
  })
})
