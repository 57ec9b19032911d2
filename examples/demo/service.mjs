// A small local service for the demo: healthy and degraded endpoints in the formats the
// readyz gate understands, and a payments API (bank.mjs) for the smoke gate's canary money loop
// and auth-separation checks. Start it with `node examples/demo/service.mjs [port]`.
import http from 'node:http'
import { createBank } from './bank.mjs'

const routes = {
  '/readyz': [
    200,
    'application/health+json',
    { status: 'pass', version: '1', checks: { 'db:responseTime': [{ status: 'pass', observedValue: 4, observedUnit: 'ms' }] } },
  ],
  '/actuator/health': [
    200,
    'application/vnd.spring-boot.actuator.v3+json',
    { status: 'UP', components: { db: { status: 'UP' }, diskSpace: { status: 'UP' } } },
  ],
  '/livez': [200, 'text/plain', '[+]ping ok\n[+]etcd ok\n[+]informer-sync ok\nlivez check passed\n'],
  '/search/health': [
    200,
    'application/health+json',
    {
      status: 'warn',
      checks: { 'index:lag': [{ status: 'warn', observedValue: 42, observedUnit: 's', output: 'replica lag 42s above 30s' }] },
    },
  ],
}

/** Six 5-minute canary windows ending now: healthy traffic, canary p99 within 10% of baseline. */
function canaryEvidence(now = Date.now()) {
  const windows = []
  for (let i = 5; i >= 0; i--) {
    const end = now - i * 300_000
    windows.push({
      start: new Date(end - 300_000).toISOString(),
      end: new Date(end).toISOString(),
      canary: { requests: 12_000 + i * 37, errors: 3, p50: 0.041, p99: 0.212 + i * 0.001 },
      baseline: { requests: 108_000 + i * 113, errors: 31, p50: 0.04, p99: 0.205 },
    })
  }
  return { windows }
}

export function startDemoService(port = 0, bankOptions = {}) {
  const bank = createBank(bankOptions)
  const server = http.createServer(async (req, res) => {
    if (await bank.handle(req, res)) return
    if (req.url === '/canary/evidence.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(canaryEvidence()))
      return
    }
    const route = routes[new URL(req.url, 'http://x').pathname]
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    const [status, type, body] = route
    res.writeHead(status, { 'content-type': type }).end(typeof body === 'string' ? body : JSON.stringify(body))
  })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startDemoService(Number(process.argv[2] ?? 8787))
  console.log(`demo service on http://127.0.0.1:${server.address().port}`)
}
