// How fast is one canary evaluation over a million samples, and how many Prometheus queries
// does it take? Ratios are against references measured in the same run: for evidence JSON,
// JSON.parse of the file plus a plain sort of every latency sample (the least a rank test must
// do); for Prometheus, the same six range queries sent by a bare fetch.
//
// Default: 100,000 samples per source. BENCH_SCALE=10 runs the full million.
//   npx vitest run --config bench/vitest.config.ts bench/canary
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../src/core/gate.js'
import { DEFAULT_QUERIES, renderQuery } from '../src/gates/canary/prometheus.js'
import { canary } from '../src/gates/canary/gate.js'
import { openMetrics, prometheusInstalled, startPrometheus, type Traffic } from '../tests/support/prometheus.js'

const SCALE = Math.max(1, Number(process.env.BENCH_SCALE ?? '1') || 1)
const SAMPLES = 100_000 * SCALE
const MIN = 60_000
const dir = mkdtempSync(path.join(tmpdir(), 'cutover-canary-bench-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ms = (t: number) => `${t.toFixed(1)}ms`
const time = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now()
  const v = await f()
  return [v, performance.now() - t]
}
/** The median of three runs: one slow run (GC, a cold connection) does not decide the ratio. */
const median3 = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const runs = [await time(f), await time(f), await time(f)].sort((a, b) => a[1] - b[1])
  return runs[1]
}

/** Deterministic log-normal latencies (ms). */
function latencies(n: number, median: number, seed: number): number[] {
  let s = seed >>> 0
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s + 0.5) / 4294967296
  }
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand())
    out[i] = Math.round(median * Math.exp(0.45 * z) * 1000) / 1000
  }
  return out
}

describe('canary bench', () => {
  it(`evidence JSON: ${SAMPLES.toLocaleString('en-US')} latency samples, thresholds and the Mann-Whitney judge`, async () => {
    const now = Date.now()
    const windows = 6
    const perWindow = Math.floor(SAMPLES / windows)
    const canaryShare = Math.floor(perWindow / 10)
    const body = {
      windows: Array.from({ length: windows }, (_, i) => {
        const end = now - (windows - 1 - i) * 5 * MIN
        return {
          start: new Date(end - 5 * MIN).toISOString(),
          end: new Date(end).toISOString(),
          canary: { requests: canaryShare, errors: 0, p99: 230, latencies: latencies(canaryShare, 81, 1 + i) },
          baseline: { requests: perWindow - canaryShare, errors: 1, p99: 228, latencies: latencies(perWindow - canaryShare, 80, 100 + i) },
        }
      }),
    }
    const file = path.join(dir, 'evidence.json')
    writeFileSync(file, JSON.stringify(body))

    // Reference: parse the file and sort every sample once.
    const [, reference] = await median3(() => {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof body
      const all = Float64Array.from(parsed.windows.flatMap((w) => [...w.canary.latencies, ...w.baseline.latencies]))
      all.sort()
      return all.length
    })
    const ctx = defaultContext({ log: () => {}, cwd: dir, workspace: dir })
    const [result, elapsed] = await median3(() =>
      runGate(canary, { source: file, judge: 'mann-whitney', 'min-green-windows': '6' }, ctx, { id: 'canary' }),
    )
    expect(result.status).toBe('pass')
    console.log(
      [
        `canary evidence JSON, ${SAMPLES.toLocaleString('en-US')} samples in ${windows} windows (judge over all of them):`,
        `  gate evaluation      ${ms(elapsed)}  (${((SAMPLES / elapsed) * 1000).toExponential(2)} samples/s)`,
        `  reference (parse + sort every sample) ${ms(reference)}`,
        `  ratio gate / reference: ${(elapsed / reference).toFixed(2)}x`,
        `  judge: ${result.checks.find((c) => c.name === 'judge: mann-whitney')?.observed}`,
      ].join('\n'),
    )
  })

  it.skipIf(!prometheusInstalled)(`Prometheus: ${SAMPLES.toLocaleString('en-US')} stored samples read by one evaluation`, async () => {
    // One canary and one baseline: per variant 2 counters + 18 buckets + count + sum = 22 series, one sample a second.
    const series = 44
    const points = Math.ceil(SAMPLES / series)
    const windowMs = 5 * MIN
    const count = Math.max(3, Math.ceil((points * 1000) / windowMs))
    const end = Date.now() - 1000
    const from = end - (points - 1) * 1000
    const flat = (v: number) => () => v
    const traffic: Traffic[] = [
      { labels: { deployment: 'canary' }, rps: flat(20), errorRatio: flat(0.0002), latencyScale: flat(1.01) },
      { labels: { deployment: 'baseline' }, rps: flat(180), errorRatio: flat(0.0002), latencyScale: flat(1) },
    ]
    const [text, generate] = await time(() => openMetrics(traffic, from, end, 1000))
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#')).length
    const [prom, backfill] = await time(() => startPrometheus(text))
    try {
      const asked: string[] = []
      const fetchCounting: typeof fetch = (input, init) => {
        asked.push(String(input))
        return fetch(input, init)
      }
      const inputs = { 'prometheus-url': prom.url, lookback: `${(count * windowMs) / MIN}m` }
      // Warm Prometheus' caches once, so both measurements see the same state.
      await runGate(canary, inputs, defaultContext({ log: () => {} }), { id: 'canary' })
      const [result, elapsed] = await median3(() =>
        runGate(canary, inputs, defaultContext({ log: () => {}, fetch: fetchCounting }), { id: 'canary' }),
      )
      const queries = asked.length / 3
      asked.length = 0
      const [judged, elapsedJudge] = await median3(() =>
        runGate(canary, { ...inputs, judge: 'mann-whitney' }, defaultContext({ log: () => {}, fetch: fetchCounting }), { id: 'canary' }),
      )
      const queriesJudge = asked.length / 3
      // Reference: the same six range queries, sent at once with a bare fetch and read as text.
      const endS = Math.floor(end / 1000)
      const urls = (['canary', 'baseline'] as const).flatMap((side) =>
        (['requests', 'errors', 'p99'] as const).map((metric) => {
          const q = new URLSearchParams({
            query: renderQuery(DEFAULT_QUERIES[metric], `deployment="${side}"`, windowMs),
            start: String(endS - (count - 1) * 300),
            end: String(endS),
            step: '300',
          })
          return `${prom.url}/api/v1/query_range?${q}`
        }),
      )
      const [, reference] = await median3(() => Promise.all(urls.map(async (u) => (await fetch(u)).text())))
      expect(result.status, JSON.stringify(result.checks)).toBe('pass')
      expect(judged.status).not.toBe('fail')
      console.log(
        [
          `canary from Prometheus, ${lines.toLocaleString('en-US')} samples in ${series} series over ${(points / 3600).toFixed(1)}h, ${count} windows of 5m:`,
          `  OpenMetrics written in ${ms(generate)}; promtool backfill + Prometheus ready in ${ms(backfill)}`,
          `  one evaluation: ${ms(elapsed)}, ${queries} range queries (one per metric and variant)`,
          `  with judge: mann-whitney: ${ms(elapsedJudge)}, ${queriesJudge} range queries`,
          `  reference (the same 6 queries by bare fetch): ${ms(reference)}; ratio evaluation / reference: ${(elapsed / reference).toFixed(2)}x`,
        ].join('\n'),
      )
      expect(queries).toBe(6)
      expect(queriesJudge).toBe(8)
    } finally {
      await prom.stop()
    }
  })
})
