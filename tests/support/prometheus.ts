// A real Prometheus for tests: history written as OpenMetrics text, backfilled into a fresh
// TSDB with `promtool tsdb create-blocks-from openmetrics`, then served by `prometheus` on
// 127.0.0.1 with a free port. Nothing is scraped: the TSDB holds exactly what the test wrote.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { erfc } from '../../src/gates/canary/mann-whitney.js'

/** Whether the Debian package's binaries are on PATH (`apt-get install prometheus`). */
export const prometheusInstalled: boolean = ['prometheus', 'promtool'].every(
  (bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0,
)

/** Why Prometheus tests are skipped, or '' when they run. Under CI=true they never skip: they fail. */
export const prometheusSkip: string =
  prometheusInstalled || process.env.CI === 'true'
    ? ''
    : 'SKIPPED: prometheus and promtool are not installed (apt-get install prometheus); CI installs them and runs these tests'

export interface PromServer {
  url: string
  port: number
  /** Stops the process (SIGTERM, then SIGKILL) and removes its storage. */
  stop(): Promise<void>
  /** Stops the process but keeps nothing running on the port: the "Prometheus stopped" scenario. */
  kill(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

/** Backfills `openmetrics` (must end with `# EOF`) and starts Prometheus on it. */
export async function startPrometheus(openmetrics: string): Promise<PromServer> {
  if (!prometheusInstalled) {
    throw new Error('prometheus and promtool must be installed to run this test (Debian: apt-get install prometheus)')
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-prom-'))
  const data = path.join(dir, 'data')
  const input = path.join(dir, 'history.om.txt')
  writeFileSync(input, openmetrics)
  const backfill = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, data], { encoding: 'utf8' })
  if (backfill.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`promtool backfill failed (${backfill.status}): ${backfill.stderr || backfill.stdout}`)
  }
  const config = path.join(dir, 'prometheus.yml')
  writeFileSync(config, 'global:\n  evaluation_interval: 1h\nscrape_configs: []\n')
  const port = await freePort()
  const log: string[] = []
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Long enough that the backfilled blocks are never deleted while the test runs.
      '--storage.tsdb.retention.time=30d',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  child.stderr?.on('data', (b: Buffer) => log.push(b.toString()))
  let exited = false
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())))
  const url = `http://127.0.0.1:${port}`
  const kill = async () => {
    if (!exited) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await gone
      clearTimeout(timer)
    }
  }
  const stop = async () => {
    await kill()
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 30_000
  for (;;) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`prometheus exited before it was ready: ${log.join('').slice(-2000)}`)
    }
    try {
      const res = await fetch(`${url}/-/ready`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`prometheus was not ready within 30s: ${log.join('').slice(-2000)}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { url, port, stop, kill }
}

// ---------------------------------------------------------------------------------------------
// Traffic written as OpenMetrics

/** The histogram buckets (seconds) of `http_request_duration_seconds`. */
export const BUCKETS = [0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.75, 1, 2.5, 5]

export interface Traffic {
  /** Labels of every series, e.g. { service: 'healthy', deployment: 'canary' }. */
  labels: Record<string, string>
  /** Requests per second at time t (epoch ms). */
  rps: (t: number) => number
  /** Share of requests answered 5xx at time t. */
  errorRatio: (t: number) => number
  /** Latency multiplier at time t (1 = the base distribution). */
  latencyScale: (t: number) => number
  /** The last instant with samples (epoch ms): the series stops there, as when scraping stops. */
  until?: number
}

/** Base latency: log-normal with a median of 80ms and σ 0.45 (p99 ≈ 228ms). */
export const MEDIAN_S = 0.08
export const SIGMA = 0.45
export function latencyCdf(seconds: number, scale = 1): number {
  if (seconds <= 0) return 0
  const z = Math.log(seconds / (MEDIAN_S * scale)) / SIGMA
  return 0.5 * erfc(-z / Math.SQRT2)
}

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')

/**
 * OpenMetrics text for `traffic` from `from` to `to` (epoch ms), one sample every `stepMs`:
 * `http_requests_total` by code (the 500 series appears only from the first error on, as a
 * real counter does) and the `http_request_duration_seconds` histogram.
 */
export function openMetrics(traffic: Traffic[], from: number, to: number, stepMs = 15_000): string {
  const counters: string[] = ['# TYPE http_requests counter']
  const histograms: string[] = ['# TYPE http_request_duration_seconds histogram']
  for (const tr of traffic) {
    const ok: string[] = []
    const bad: string[] = []
    let good = 0
    let errors = 0
    let total = 0
    let sum = 0
    const cum = new Array(BUCKETS.length).fill(0)
    const lbl = labelText(tr.labels)
    for (let t = from; t <= Math.min(to, tr.until ?? to); t += stepMs) {
      const ts = (t / 1000).toFixed(3)
      const n = tr.rps(t) * (stepMs / 1000)
      const e = n * tr.errorRatio(t)
      good += n - e
      errors += e
      total += n
      const scale = tr.latencyScale(t)
      sum += n * MEDIAN_S * scale * Math.exp((SIGMA * SIGMA) / 2)
      BUCKETS.forEach((le, k) => (cum[k] += n * latencyCdf(le, scale)))
      ok.push(`http_requests_total{${lbl},code="200"} ${good.toFixed(3)} ${ts}`)
      if (errors > 0) bad.push(`http_requests_total{${lbl},code="500"} ${errors.toFixed(3)} ${ts}`)
      BUCKETS.forEach((le, k) => histograms.push(`http_request_duration_seconds_bucket{${lbl},le="${le}"} ${cum[k].toFixed(3)} ${ts}`))
      histograms.push(`http_request_duration_seconds_bucket{${lbl},le="+Inf"} ${total.toFixed(3)} ${ts}`)
      histograms.push(`http_request_duration_seconds_count{${lbl}} ${total.toFixed(3)} ${ts}`)
      histograms.push(`http_request_duration_seconds_sum{${lbl}} ${sum.toFixed(6)} ${ts}`)
    }
    counters.push(...ok, ...bad)
  }
  return [...counters, ...histograms, '# EOF', ''].join('\n')
}
