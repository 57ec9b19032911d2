// The canary gate against a real Prometheus (Debian package `prometheus`), started on 127.0.0.1
// over a history backfilled with promtool: every number the gate judges went through PromQL.
// Under CI=true these tests never skip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { canary } from '../../../src/gates/canary/gate.js'
import { openMetrics, prometheusSkip, startPrometheus, type PromServer, type Traffic } from '../../support/prometheus.js'

const MIN = 60_000

describe.skipIf(prometheusSkip !== '')(prometheusSkip || 'canary from a real Prometheus', () => {
  let prom: PromServer
  let t0: number

  beforeAll(async () => {
    t0 = Date.now()
    const flat = (v: number) => () => v
    const pair = (service: string, canary: Partial<Traffic>, baseline: Partial<Traffic> | null): Traffic[] => [
      { labels: { service, deployment: 'canary' }, rps: flat(10), errorRatio: flat(0), latencyScale: flat(1.02), ...canary },
      ...(baseline
        ? [{ labels: { service, deployment: 'baseline' }, rps: flat(90), errorRatio: flat(0.0002), latencyScale: flat(1), ...baseline }]
        : []),
    ]
    const traffic = [
      ...pair('healthy', {}, {}),
      ...pair('slow', { latencyScale: flat(1.25) }, {}),
      // 2% errors from 19 to 16 minutes ago: inside the third of six 5-minute windows.
      ...pair('burst', { errorRatio: (t) => (t >= t0 - 19 * MIN && t <= t0 - 16 * MIN ? 0.02 : 0.0001) }, {}),
      // The canary's series stop 17 minutes ago, as when its scrape breaks.
      ...pair('stale', { until: t0 - 17 * MIN }, {}),
      ...pair('lonely', {}, null),
    ]
    prom = await startPrometheus(openMetrics(traffic, t0 - 60 * MIN, t0 - 5_000))
  })
  afterAll(async () => {
    await prom?.stop()
  })

  const service = (name: string, deployment = 'canary') => `service="${name}",deployment="${deployment}"`
  async function gate(name: string, inputs: Record<string, string> = {}, fetchLog: string[] = []) {
    const counting: typeof fetch = (input, init) => {
      fetchLog.push(String(input))
      return fetch(input, init)
    }
    return runGate(
      canary,
      { 'prometheus-url': prom.url, 'canary-selector': service(name), 'baseline-selector': service(name, 'baseline'), ...inputs },
      defaultContext({ log: () => {}, fetch: counting }),
      { id: 'canary' },
    )
  }

  it('passes a healthy canary with one range query per metric and variant', async () => {
    const asked: string[] = []
    const r = await gate('healthy', {}, asked)
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
    expect(asked).toHaveLength(6)
    for (const u of asked) {
      const q = new URL(u)
      expect(q.pathname).toBe('/api/v1/query_range')
      expect(q.searchParams.get('step')).toBe('300')
    }
    expect(r.metrics.prometheus_queries).toBe(6)
    expect(r.checks[0]).toMatchObject({
      name: 'green windows',
      status: 'pass',
      observed: '6 green windows in a row (3 needed) (6 windows read)',
    })
    // 10 rps for 5 minutes, no 5xx series at all (the errors query falls back to 0), p99 2% above 90 rps of baseline.
    expect(r.details).toMatch(/\| #5 [\d:]+–[\d:]+ \| 3,000 \/ 27,000 \| 0% \/ 0\.02% \| 0x \| \d+ms \/ \d+ms \(\+[\d.]+%\) \| green \|/)
    expect(r.metrics.canary_p99_ms / r.metrics.baseline_p99_ms).toBeGreaterThan(1)
    expect(r.metrics.canary_p99_ms / r.metrics.baseline_p99_ms).toBeLessThan(1.05)
    expect(r.details).toContain('xychart-beta')
  })

  it('the judge reads the histogram buckets: two more queries, a negligible effect on a healthy canary', async () => {
    const asked: string[] = []
    const r = await gate('healthy', { judge: 'mann-whitney' }, asked)
    expect(asked).toHaveLength(8)
    const judge = r.checks.find((c) => c.name === 'judge: mann-whitney')!
    expect(judge.status).toBe('pass')
    expect(judge.message).toMatch(/[\d,]+ canary and [\d,]+ baseline observations in histogram buckets from windows #4 .* to #6 /)
    expect(judge.observed).toMatch(/\(negligible\)/)
    expect(r.status).toBe('pass')
  })

  it('aborts on a 25% p99 regression, and the judge sees a significant slowdown', async () => {
    const r = await gate('slow', { judge: 'mann-whitney' })
    expect(r.status).toBe('fail')
    expect(r.checks[0].name).toBe('abort triggers')
    const m = /canary p99 (\d+)ms is ([\d.]+)% above baseline p99 (\d+)ms, beyond abort-p99-regression 20%/.exec(r.checks[0].message)
    expect(m, r.checks[0].message).not.toBeNull()
    expect(Number(m![2])).toBeGreaterThan(20)
    expect(Number(m![2])).toBeLessThan(30)
    expect(r.checks[0].message).toMatch(/^Abort trigger \(p99\) in window #1 /)
    const judge = r.checks.find((c) => c.name === 'judge: mann-whitney')!
    expect(judge.status).toBe('warn')
    expect(judge.message).toMatch(/higher than the baseline's with more than 99\.99% confidence/)
    expect(judge.observed).toMatch(/Cliff's δ \+0\.2\d+ \(small\)/)
  })

  it('aborts on an error burst in the third window', async () => {
    const r = await gate('burst')
    expect(r.status).toBe('fail')
    expect(r.checks[0]).toMatchObject({ name: 'abort triggers', status: 'fail' })
    expect(r.checks[0].observed).toMatch(/^burst in window #3 /)
    expect(r.checks[0].message).toMatch(
      /burst 1\d(\.\d+)?x is above max-burst 1\.5x: canary error rate 1\.\d+% \(\d+ of 3,000 requests failed\)/,
    )
    expect(r.outputs.aborted).toBe('true')
    // Windows 4 to 6 are green again; the trigger still decides.
    expect(r.checks[1]).toMatchObject({ name: 'green windows', status: 'pass' })
  })

  it('a canary label with no series is not green, and says which selector matched nothing', async () => {
    const r = await runGate(
      canary,
      {
        'prometheus-url': prom.url,
        'canary-selector': service('healthy', 'canary-v2'),
        'baseline-selector': service('healthy', 'baseline'),
      },
      defaultContext({ log: () => {} }),
      { id: 'canary' },
    )
    expect(r.status).toBe('fail')
    const green = r.checks.find((c) => c.name === 'green windows')!
    expect(green.message).toContain('0 of 3 green windows in a row in Prometheus at ' + prom.url)
    expect(green.message).toContain('canary requests, errors, p99: no series matched service="healthy",deployment="canary-v2"')
    expect(green.message).toContain('Check that `canary-selector`')
  })

  it('samples that stopped arriving are stale, not green', async () => {
    const r = await gate('stale')
    expect(r.status).toBe('fail')
    const green = r.checks.find((c) => c.name === 'green windows')!
    expect(green.message).toMatch(
      /window #6 .* is not green: canary requests, errors, p99: stale: the newest sample is in the window ending [\d:]+Z, 15m before this one\./,
    )
  })

  it('a missing baseline is not green', async () => {
    const r = await gate('lonely')
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toContain(
      'missing baseline: baseline requests, p99: no series matched service="lonely",deployment="baseline"',
    )
  })

  it('custom queries with $selector and $window, and a query Prometheus rejects', async () => {
    const queries = [
      'requests: sum(increase(http_requests_total{$selector}[$window]))',
      'errors: sum(increase(http_requests_total{$selector,code="500"}[$window])) or vector(0)',
      'p99: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{$selector}[$window])))',
    ].join('\n')
    const asked: string[] = []
    const r = await gate('healthy', { queries, window: '10m', lookback: '30m' }, asked)
    expect(r.status, JSON.stringify(r.checks)).toBe('pass')
    expect(r.metrics.windows).toBe(3)
    expect(new URL(asked[0]).searchParams.get('query')).toBe(
      'sum(increase(http_requests_total{service="healthy",deployment="canary"}[600s]))',
    )
    const bad = await gate('healthy', { queries: 'p99: histogram_quantile(0.99, {$selector}[$window]' })
    expect(bad.status).toBe('fail')
    expect(bad.checks[0].message).toMatch(/canary p99: Prometheus at http:\/\/127\.0\.0\.1:\d+ answered HTTP 400: .*parse error/)
  })

  it('Prometheus stopped: every window says it could not be reached', async () => {
    const other = await startPrometheus(openMetrics([], t0 - MIN, t0))
    await other.kill()
    const r = await runGate(canary, { 'prometheus-url': other.url }, defaultContext({ log: () => {} }), { id: 'canary' })
    await other.stop()
    expect(r.status).toBe('fail')
    const green = r.checks.find((c) => c.name === 'green windows')!
    expect(green.message).toContain(`0 of 3 green windows in a row in Prometheus at ${other.url}: windows #6 `)
    expect(green.message).toContain(
      `canary requests, errors, p99; baseline requests, p99: Prometheus at ${other.url} could not be reached: connection refused (ECONNREFUSED).`,
    )
    expect(green.message).toContain('Check that Prometheus is reachable from the runner')
    expect(r.details).toContain(`Prometheus at ${other.url}: Prometheus at ${other.url} could not be reached`)
  })
})
