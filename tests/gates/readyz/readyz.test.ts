import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { classifyBody, checkAssertion, parseAssertions } from '../../../src/lib/health-body.js'
import { readyz } from '../../../src/gates/readyz/gate.js'
import { DEFAULT_ACCEPT } from '../../../src/gates/readyz/probe.js'

// ---------------------------------------------------------------------------------------------
// Real HTTP servers on 127.0.0.1, port 0

type Handler = (req: IncomingMessage, res: ServerResponse) => void

const servers: Server[] = []

async function serve(handler: Handler): Promise<{ url: (path?: string) => string; server: Server }> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: (path = '/readyz') => `http://127.0.0.1:${port}${path}`, server }
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections()
          s.close(() => resolve())
        }),
    ),
  )
})

function reply(status: number, body: string, contentType?: string): Handler {
  return (_req, res) => {
    res.writeHead(status, contentType ? { 'content-type': contentType } : {})
    res.end(body)
  }
}

const json = (status: number, body: unknown, contentType = 'application/json') => reply(status, JSON.stringify(body), contentType)
const health = (status: number, body: unknown) => json(status, body, 'application/health+json')

async function gate(inputs: Record<string, string>, log: (line: string) => void = () => {}) {
  return runGate(readyz, inputs, defaultContext({ log }), { id: 'readyz' })
}

/** A clock that only moves when the gate sleeps: rounds land exactly on the interval. */
function fakeClock() {
  let t = Date.parse('2030-01-01T00:00:00Z')
  const lines: string[] = []
  const sleeps: number[] = []
  const ctx = defaultContext({
    now: () => new Date(t),
    sleep: async (ms) => {
      sleeps.push(ms)
      t += ms
    },
    log: (l) => lines.push(l),
  })
  return { ctx, lines, sleeps }
}

/** Resolves when the client (the probe) tears the exchange down before the server finished it. */
function closedByClient(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => res.on('close', () => resolve(!res.writableFinished)))
}

/** Serves `handler` and probes its /readyz with `inputs`. */
async function probe(handler: Handler, inputs: Record<string, string> = {}) {
  const { url } = await serve(handler)
  const result = await gate({ url: url(), ...inputs })
  return { result, check: result.checks[0], url: url() }
}

// ---------------------------------------------------------------------------------------------

describe('readyz: IETF health check format', () => {
  it('passes on a healthy health+json body and reports what it measured', async () => {
    const { result, check, url } = await probe(health(200, { status: 'pass', version: '1' }))
    expect(result.status).toBe('pass')
    expect(result.checks).toHaveLength(1)
    expect(check.name).toBe(url)
    expect(check.status).toBe('pass')
    expect(check.observed).toMatch(/^HTTP 200, health\+json pass, \d+ms$/)
    expect(check.expected).toBe('HTTP 200')
    expect(check.message).toContain(`${url} answered HTTP 200`)
    expect(check.location).toEqual({ url })
    expect(result.metrics.probes).toBe(1)
    expect(result.metrics[`latency_ms:${url}`]).toBeGreaterThanOrEqual(0)
    expect(result.details).toContain('| URL | HTTP | body format | latency | verdict |')
    expect(result.details).toContain('| 200 | health+json |')
  })

  it('warns on a warn body and names the warning component', async () => {
    const body = { status: 'warn', checks: { 'cache:hitRatio': [{ componentType: 'datastore', status: 'warn', output: 'hit ratio 12%' }] } }
    const { result, check } = await probe(health(200, body))
    expect(result.status).toBe('warn')
    expect(check.status).toBe('warn')
    expect(check.observed).toContain('health+json warn')
    expect(check.message).toContain('the service reports warn')
    expect(check.message).toContain('component cache:hitRatio is warn: hit ratio 12%')
    expect(check.message).toMatch(/degraded components before cutting over/)
  })

  it('fails on a fail body and names each failing component with its output', async () => {
    const body = {
      status: 'fail',
      output: 'database unreachable',
      checks: {
        'db:responseTime': [{ componentId: 'dfd6cf2b', componentType: 'datastore', status: 'fail', output: 'connection refused' }],
        'uptime:': [{ componentType: 'system', status: 'pass' }],
      },
    }
    const { result, check } = await probe(health(503, body))
    expect(result.status).toBe('fail')
    expect(check.message).toContain('HTTP 503, expected 200')
    expect(check.message).toContain('the service reports fail: database unreachable')
    expect(check.message).toContain('component db:responseTime (dfd6cf2b) is fail: connection refused')
    expect(check.message).not.toContain('uptime')
    expect(result.summary).toMatch(/^readyz: FAIL: /)
  })

  it.each([
    ['ok', 'pass'],
    ['up', 'pass'],
    ['pass', 'pass'],
    ['degraded', 'warn'],
    ['error', 'fail'],
    ['down', 'fail'],
  ] as const)('understands the alias %s as %s', async (word, status) => {
    const { check } = await probe(health(200, { status: word }))
    expect(check.status).toBe(status)
    expect(check.observed).toContain(`health+json ${word}`)
  })

  it('recognises an IETF status word in a plain application/json body', async () => {
    const { check } = await probe(json(200, { status: 'degraded' }))
    expect(check.status).toBe('warn')
  })

  it('fails a health+json body without a status', async () => {
    const { check } = await probe(health(200, { checks: {} }))
    expect(check.status).toBe('fail')
    expect(check.message).toContain('has no `status`')
  })

  it('fails a body declared JSON that does not parse', async () => {
    const { check } = await probe(reply(200, '{"status": "pass"', 'application/health+json'))
    expect(check.status).toBe('fail')
    expect(check.message).toContain('declared application/health+json but is not valid JSON')
  })

  it('fails an unrecognised status word', async () => {
    const { check } = await probe(json(200, { status: 'banana' }))
    expect(check.status).toBe('fail')
    expect(check.message).toContain('"banana" is not a recognised health status')
  })
})

describe('readyz: Spring Boot Actuator', () => {
  it('passes on UP', async () => {
    const { check } = await probe(
      json(200, { status: 'UP', components: { db: { status: 'UP' } } }, 'application/vnd.spring-boot.actuator.v3+json'),
    )
    expect(check.status).toBe('pass')
    expect(check.observed).toContain('spring UP')
  })

  it('fails on DOWN and names the DOWN components, deepest first', async () => {
    const body = {
      status: 'DOWN',
      components: {
        db: {
          status: 'DOWN',
          components: {
            primary: { status: 'DOWN', details: { error: 'java.net.ConnectException: Connection refused' } },
            replica: { status: 'UP' },
          },
        },
        diskSpace: { status: 'OUT_OF_SERVICE', details: { total: 1, free: 0 } },
        ping: { status: 'UP' },
      },
    }
    const { check } = await probe(json(503, body))
    expect(check.status).toBe('fail')
    expect(check.message).toContain('the service reports DOWN')
    expect(check.message).toContain('component db/primary is DOWN: java.net.ConnectException: Connection refused')
    expect(check.message).toContain('component diskSpace is OUT_OF_SERVICE')
    expect(check.message).not.toContain('replica')
    expect(check.message).not.toContain('ping')
  })

  it('names components of the Boot 2.0/2.1 `details` layout', async () => {
    const { check } = await probe(json(503, { status: 'DOWN', details: { db: { status: 'DOWN', details: { error: 'timeout' } } } }))
    expect(check.message).toContain('component db is DOWN: timeout')
  })

  it('fails on OUT_OF_SERVICE', async () => {
    const { check } = await probe(json(200, { status: 'OUT_OF_SERVICE' }))
    expect(check.status).toBe('fail')
    expect(check.message).toContain('the service reports OUT_OF_SERVICE')
  })

  it('fails on UNKNOWN: health could not be established', async () => {
    const { check } = await probe(json(200, { status: 'UNKNOWN' }))
    expect(check.status).toBe('fail')
    expect(check.message).toContain('the service reports UNKNOWN: its health could not be established')
  })
})

describe('readyz: Kubernetes verbose text', () => {
  const verbose = (failed: boolean) =>
    [
      '[+]ping ok',
      '[+]log ok',
      failed ? '[-]etcd failed: reason withheld' : '[+]etcd ok',
      '[+]poststarthook/start-apiextensions-informers ok',
      `readyz check ${failed ? 'failed' : 'passed'}`,
    ].join('\n')

  it('fails and names the [-] component', async () => {
    const { check } = await probe(reply(500, verbose(true), 'text/plain; charset=utf-8'))
    expect(check.status).toBe('fail')
    expect(check.observed).toContain('k8s verbose failed')
    expect(check.message).toContain('1 of 4 readiness checks failed')
    expect(check.message).toContain('etcd failed: reason withheld')
  })

  it('fails on a [-] line even with HTTP 200', async () => {
    const { check } = await probe(reply(200, verbose(true), 'text/plain'))
    expect(check.status).toBe('fail')
    expect(check.message).toContain('etcd failed')
  })

  it('passes when every line is [+]', async () => {
    const { check } = await probe(reply(200, verbose(false), 'text/plain'))
    expect(check.status).toBe('pass')
    expect(check.message).toContain('all 4 readiness checks pass')
  })
})

describe('readyz: plain status codes and expect', () => {
  it('passes on a plain 200', async () => {
    const { check } = await probe(reply(200, 'ok', 'text/plain'))
    expect(check.status).toBe('pass')
    expect(check.observed).toMatch(/^HTTP 200, text\/plain, \d+ms$/)
  })

  it('fails on a plain 503, saying what was expected and what to do', async () => {
    const { check } = await probe(reply(503, 'unavailable', 'text/plain'))
    expect(check.status).toBe('fail')
    expect(check.message).toContain('HTTP 503, expected 200')
    expect(check.message).toContain('expect-status')
  })

  it('lets the status code decide for JSON without a status', async () => {
    expect((await probe(json(200, { uptime: 12 }))).check.status).toBe('pass')
    expect((await probe(json(500, { uptime: 12 }))).check.status).toBe('fail')
  })

  it('accepts codes in expect-status ranges', async () => {
    const { check } = await probe(reply(204, ''), { 'expect-status': '200-299' })
    expect(check.status).toBe('pass')
    expect(check.expected).toBe('HTTP 200-299')
  })

  it('passes `status=ok` when the body says ok', async () => {
    const { check } = await probe(json(200, { status: 'ok' }), { expect: 'status=ok' })
    expect(check.status).toBe('pass')
    expect(check.expected).toBe('HTTP 200; status=ok')
  })

  it('fails `status=ok` on a mismatch, with observed and expected', async () => {
    const { check } = await probe(json(200, { status: 'degraded' }), { expect: 'status=ok' })
    expect(check.status).toBe('fail')
    expect(check.observed).toContain('status=degraded')
    expect(check.message).toContain('`status` is "degraded", expected "ok"')
  })

  it('evaluates deep paths, array indices, numbers, booleans and null', async () => {
    const body = { ok: true, details: { count: 3, owner: null }, checks: { db: [{ status: 'pass' }] } }
    const pass = await probe(json(200, body), { expect: 'checks.db.0.status=pass\ndetails.count=3\nok=true\ndetails.owner=null' })
    expect(pass.check.status).toBe('pass')
    const fail = await probe(json(200, body), { expect: 'checks.db.1.status=pass\ndetails.count=4' })
    expect(fail.check.status).toBe('fail')
    expect(fail.check.message).toContain('`checks.db.1.status` is missing (no `checks.db.1`)')
    expect(fail.check.message).toContain('`details.count` is "3", expected "4"')
  })

  it('fails a missing path', async () => {
    const { check } = await probe(json(200, { healthy: true }), { expect: 'status=ok' })
    expect(check.status).toBe('fail')
    expect(check.message).toContain('`status` is missing')
  })

  it('fails an assertion on a body that is not JSON', async () => {
    const { check } = await probe(reply(200, '<html><body>Login</body></html>', 'text/html'), { expect: 'status=ok' })
    expect(check.status).toBe('fail')
    expect(check.message).toContain('expected a JSON body for `status=ok`, got text/html ("<html><body>Login</body></html>")')
  })

  it('lets an assertion on status replace the status word verdict', async () => {
    const { check } = await probe(json(200, { status: 'green' }), { expect: 'status=green' })
    expect(check.status).toBe('pass')
  })
})

describe('readyz: transport failures', () => {
  it('fails on a refused connection, naming the cause', async () => {
    const { url, server } = await serve(reply(200, 'ok'))
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const result = await gate({ url: url() })
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toContain('could not be reached: connection refused (ECONNREFUSED)')
    expect(result.checks[0].message).toContain('Check that the service is running')
    expect(result.checks[0].message).not.toMatch(/\n\s+at /)
  })

  it('fails on a TLS error, naming it', async () => {
    const { url } = await serve(reply(200, 'ok'))
    const result = await gate({ url: url().replace('http:', 'https:') })
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toMatch(/could not be reached: TLS failed: .*\((ERR_SSL|EPROTO)[A-Z_]*\)/)
  })

  it('fails on a server that never answers: the deadline aborts the request', async () => {
    let aborted: Promise<boolean> | undefined
    const { url } = await serve((_req, res) => void (aborted = closedByClient(res)))
    const result = await gate({ url: url(), timeout: '300ms' })
    // The server never answers, so only the probe's own abort can have closed the exchange.
    expect(await aborted).toBe(true)
    expect(result.status).toBe('fail')
    expect(result.checks[0].observed).toBe('no complete answer within 300ms')
    expect(result.checks[0].message).toContain('gave no complete answer within 300ms')
  })

  it('bounds the body too: a slow-drip body times out', async () => {
    let aborted: Promise<boolean> | undefined
    const { url } = await serve((_req, res) => {
      aborted = closedByClient(res)
      res.writeHead(200, { 'content-type': 'text/plain' })
      const t = setInterval(() => res.write('.'), 100)
      res.on('close', () => clearInterval(t))
    })
    const result = await gate({ url: url(), timeout: '500ms' })
    // The drip never ends: the probe gave up on it, mid-body.
    expect(await aborted).toBe(true)
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toContain('no complete answer within 500ms: HTTP 200 headers arrived but the body did not finish')
  })

  it('fails on a redirect, naming the location, unless follow-redirects is set', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/readyz') {
        res.writeHead(302, { location: '/login' })
        res.end()
      } else reply(200, 'ok', 'text/plain')(req, res)
    })
    const no = await gate({ url: url() })
    expect(no.status).toBe('fail')
    expect(no.checks[0].message).toContain(`redirected to ${url('/login')} (302)`)
    expect(no.checks[0].message).toContain('follow-redirects: true')
    const yes = await gate({ url: url(), 'follow-redirects': 'true' })
    expect(yes.status).toBe('pass')
  })

  it('accepts a 3xx listed in expect-status', async () => {
    const { check } = await probe(
      (_req, res) => {
        res.writeHead(301, { location: '/elsewhere' })
        res.end()
      },
      { 'expect-status': '200,301' },
    )
    expect(check.status).toBe('pass')
  })

  it('stops reading a 50 MB body at 1 MiB and fails', async () => {
    const total = 50 * 1024 * 1024
    const chunk = Buffer.alloc(64 * 1024, 'x')
    let written = 0
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }) // chunked: no Content-Length to go by
      const pump = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        if (written >= total) res.end()
      }
      pump()
    })
    const result = await gate({ url: url(), timeout: '10s' })
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toContain('the body exceeded 1 MiB')
    // The rest was never pulled: the server could not push anywhere near 50 MB.
    expect(written).toBeLessThan(total / 2)
  })

  it('fails on a Content-Length above 1 MiB without reading the body', async () => {
    const { check } = await probe((_req, res) => {
      res.writeHead(200, { 'content-length': String(5 * 1024 * 1024), 'content-type': 'text/plain' })
      res.write('x')
    })
    expect(check.status).toBe('fail')
    expect(check.message).toContain('exceeded 1 MiB (Content-Length 5242880)')
  })
})

describe('readyz: several URLs', () => {
  it('probes all URLs concurrently; one failing fails the gate and is named', async () => {
    // A barrier: no answer until all three requests are in. Probing one after another would
    // leave the first unanswered until its timeout, and the two good URLs would fail.
    const waiting: (() => void)[] = []
    const { url } = await serve((req, res) => {
      waiting.push(() => reply(req.url === '/bad' ? 503 : 200, 'x', 'text/plain')(req, res))
      if (waiting.length === 3) waiting.forEach((answer) => answer())
    })
    const result = await gate({ url: [url('/a'), url('/bad'), url('/b')].join('\n'), timeout: '10s' })
    expect(waiting).toHaveLength(3)
    expect(result.status).toBe('fail')
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([
      [url('/a'), 'pass'],
      [url('/bad'), 'fail'],
      [url('/b'), 'pass'],
    ])
    expect(result.summary).toContain(url('/bad'))
    expect(result.metrics.probes).toBe(3)
  })
})

describe('readyz: wait, interval, consecutive', () => {
  function flaky(failFirst: number): { handler: Handler; hits: () => number } {
    let n = 0
    return { handler: (req, res) => reply(++n <= failFirst ? 503 : 200, 'x', 'text/plain')(req, res), hits: () => n }
  }

  it('keeps probing until it sees enough passes in a row, logging each round', async () => {
    const f = flaky(2)
    const { url } = await serve(f.handler)
    const { ctx, lines, sleeps } = fakeClock()
    const result = await runGate(readyz, { url: url(), wait: '3s', interval: '50ms', consecutive: '2' }, ctx, { id: 'readyz' })
    expect(result.status).toBe('pass')
    expect(sleeps).toEqual([50, 50, 50])
    expect(f.hits()).toBe(4)
    expect(result.metrics.probes).toBe(4)
    expect(result.checks[0].message).toContain('It passed 2 times in a row.')
    expect(result.checks[0].expected).toBe('HTTP 200; 2 passes in a row within 3s')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toBe(`round 1: 0 of 1 URL ready; ${url()} 0/2 in a row (HTTP 503); 3s left`)
    expect(lines[2]).toMatch(/^round 3: 0 of 1 URL ready; .* 1\/2 in a row \(HTTP 200\); /)
    expect(lines[3]).toBe('round 4: 1 of 1 URL ready; done')
  })

  it('fails when the passes in a row are not reached within wait', async () => {
    let n = 0
    const { url } = await serve((req, res) => reply(++n % 2 === 0 ? 503 : 200, 'x', 'text/plain')(req, res))
    const { ctx, lines, sleeps } = fakeClock()
    const result = await runGate(readyz, { url: url(), wait: '400ms', interval: '50ms', consecutive: '3' }, ctx, { id: 'readyz' })
    expect(result.status).toBe('fail')
    // Rounds at 0, 50, …, 350ms: after the 8th (a 503), 3 in a row no longer fit in the 50ms left.
    expect(n).toBe(8)
    expect(sleeps).toEqual(Array(7).fill(50))
    expect(result.checks[0].message).toMatch(/needed 3 passes in a row, saw 1 within 400ms/i)
    expect(result.checks[0].observed).toMatch(/; 1\/3 in a row$/)
    expect(lines.at(-1)).toBe(
      `round 8: 0 of 1 URL ready; ${url()} 0/3 in a row (HTTP 503); stopping: 3 passes in a row can no longer be reached in the 50ms left`,
    )
  })

  it('does not probe again a URL that reached its quota', async () => {
    const good = flaky(0)
    const bad = flaky(3)
    const a = await serve(good.handler)
    const b = await serve(bad.handler)
    const { ctx } = fakeClock()
    const result = await runGate(readyz, { url: `${a.url()}\n${b.url()}`, wait: '3s', interval: '30ms', consecutive: '2' }, ctx, {
      id: 'readyz',
    })
    expect(result.status).toBe('pass')
    expect(good.hits()).toBe(2)
    expect(bad.hits()).toBe(5)
  })

  it('with wait 0 and consecutive N, allows just the time N probes take', async () => {
    const f = flaky(0)
    const { url } = await serve(f.handler)
    const { ctx, sleeps } = fakeClock()
    const result = await runGate(readyz, { url: url(), interval: '20ms', consecutive: '3' }, ctx, { id: 'readyz' })
    expect(result.status).toBe('pass')
    expect(f.hits()).toBe(3)
    expect(sleeps).toEqual([20, 20])
  })

  it('stops early when the quota can no longer be reached', async () => {
    const f = flaky(1)
    const { url } = await serve(f.handler)
    const result = await gate({ url: url(), interval: '20ms', consecutive: '3' })
    expect(result.status).toBe('fail')
    expect(f.hits()).toBe(1)
    expect(result.checks[0].message).toMatch(/Needed 3 passes in a row, saw 0 \(1 of at most 3 probes, as wait is 0s\)/)
  })

  it('ends on warn when the service stayed degraded', async () => {
    const { url, server } = await serve(health(200, { status: 'degraded' }))
    let hits = 0
    server.on('request', () => hits++)
    const { ctx } = fakeClock()
    const result = await runGate(readyz, { url: url(), wait: '200ms', interval: '50ms' }, ctx, { id: 'readyz' })
    expect(hits).toBe(5)
    expect(result.status).toBe('warn')
    expect(result.checks[0].message).toContain('Saw no pass within 200ms')
  })

  it('schedules rounds every interval and says how long is left', async () => {
    const f = flaky(1)
    const { url } = await serve(f.handler)
    const { ctx, lines, sleeps } = fakeClock()
    const result = await runGate(readyz, { url: url(), wait: '30s', interval: '10s', consecutive: '3' }, ctx, { id: 'readyz' })
    expect(result.status).toBe('pass')
    expect(sleeps).toEqual([10_000, 10_000, 10_000])
    expect(lines).toEqual([
      `round 1: 0 of 1 URL ready; ${url()} 0/3 in a row (HTTP 503); 30s left`,
      `round 2: 0 of 1 URL ready; ${url()} 1/3 in a row (HTTP 200); 20s left`,
      `round 3: 0 of 1 URL ready; ${url()} 2/3 in a row (HTTP 200); 10s left`,
      'round 4: 1 of 1 URL ready; done',
    ])
    expect(result.checks[0].observed).toMatch(/; 3\/3 in a row$/)
  })

  it('stops as soon as the quota is out of reach, saying so', async () => {
    const f = flaky(2)
    const { url } = await serve(f.handler)
    const { ctx, lines } = fakeClock()
    const result = await runGate(readyz, { url: url(), wait: '30s', interval: '10s', consecutive: '3' }, ctx, { id: 'readyz' })
    expect(result.status).toBe('fail')
    expect(f.hits()).toBe(2)
    expect(lines.at(-1)).toBe(
      `round 2: 0 of 1 URL ready; ${url()} 0/3 in a row (HTTP 503); stopping: 3 passes in a row can no longer be reached in the 20s left`,
    )
    expect(result.checks[0].message).toBe(
      `${url()} answered in 0ms: HTTP 503, expected 200. Needed 3 passes in a row, saw 0 within 30s (2 probes). ` +
        "Check the service's logs and dependencies, or widen `expect-status` if HTTP 503 is a healthy answer.",
    )
  })

  it('refuses a consecutive that cannot fit in wait', async () => {
    const result = await gate({ url: 'http://127.0.0.1:9/readyz', wait: '1s', interval: '500ms', consecutive: '5' })
    expect(result.inputError).toBe(true)
    expect(result.checks[0].message).toContain('`consecutive: 5` at `interval: 500ms` needs at least 2s, but `wait` is 1s')
  })
})

describe('readyz: cancellation', () => {
  it('gives up a probe in flight when the run is cancelled', async () => {
    const controller = new AbortController()
    let aborted: Promise<boolean> | undefined
    // Cancel once the request is in flight; the server never answers, and the 30s timeout is far off.
    const { url } = await serve((_req, res) => {
      aborted = closedByClient(res)
      controller.abort()
    })
    const result = await runGate(readyz, { url: url(), timeout: '30s' }, defaultContext({ log: () => {}, signal: controller.signal }), {
      id: 'readyz',
    })
    expect(await aborted).toBe(true)
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toContain('the run was cancelled during the probe')
  })

  it('stops waiting between rounds when the run is cancelled', async () => {
    const { url } = await serve(reply(503, 'x'))
    const controller = new AbortController()
    const lines: string[] = []
    const sleeps: number[] = []
    // A sleep that never ends by itself: the run is cancelled while it waits, and only the
    // gate's own watch on the signal can end the wait.
    const sleep = (ms: number) => {
      sleeps.push(ms)
      controller.abort()
      return new Promise<void>(() => {})
    }
    const result = await runGate(
      readyz,
      { url: url(), wait: '10m', interval: '1m' },
      defaultContext({ log: (l) => lines.push(l), signal: controller.signal, sleep, now: () => new Date(0) }),
      { id: 'readyz' },
    )
    expect(sleeps).toEqual([60_000])
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toContain('The run was cancelled after 1 probe, before a pass.')
    expect(lines.at(-1)).toBe('round 1: cancelled while waiting for the next round')
  })
})

describe('readyz: headers', () => {
  it('sends the headers and the defaults, and keeps the values out of every message', async () => {
    const seen: IncomingHttpHeaders[] = []
    const { url } = await serve((req, res) => {
      seen.push(req.headers)
      // An echoing endpoint: the body quotes the request headers.
      reply(200, `auth=${req.headers.authorization} key=${req.headers['x-api-key']}`, 'text/plain')(req, res)
    })
    const secret = 's3cr3t-token-123456'
    const key = 'key-abcdef-987'
    const lines: string[] = []
    const result = await gate({ url: url(), headers: `Authorization: Bearer ${secret}\nX-Api-Key:${key}`, expect: 'status=ok' }, (l) =>
      lines.push(l),
    )
    expect(seen[0].authorization).toBe(`Bearer ${secret}`)
    expect(seen[0]['x-api-key']).toBe(key)
    expect(seen[0].accept).toBe(DEFAULT_ACCEPT)
    expect(seen[0]['user-agent']).toBe('cutover-gates')
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toContain('expected a JSON body')
    const everything = JSON.stringify({
      checks: result.checks,
      details: result.details,
      summary: result.summary,
      metrics: result.metrics,
      lines,
    })
    expect(everything).not.toContain(secret)
    expect(everything).not.toContain(key)
  })

  it('lets headers override accept and user-agent', async () => {
    const seen: IncomingHttpHeaders[] = []
    const { url } = await serve((req, res) => {
      seen.push(req.headers)
      reply(200, 'ok')(req, res)
    })
    await gate({ url: url(), headers: 'Accept: text/plain\nUser-Agent: probe/1.0' })
    expect(seen[0].accept).toBe('text/plain')
    expect(seen[0]['user-agent']).toBe('probe/1.0')
  })

  it('masks header values through the secret function', () => {
    const secret = readyz.inputs.headers.secret as (raw: string) => string[]
    expect(secret('Authorization: Bearer abc.def.ghi\nX-Key: zzz')).toEqual(
      expect.arrayContaining(['Bearer abc.def.ghi', 'abc.def.ghi', 'zzz']),
    )
  })
})

describe('readyz: bad inputs', () => {
  const message = async (inputs: Record<string, string>) => {
    const result = await gate(inputs)
    expect(result.status).toBe('fail')
    expect(result.inputError).toBe(true)
    return result.checks.map((c) => c.message).join('\n')
  }

  it('names a missing url and the accepted form', async () => {
    expect(await message({})).toContain('input `url` is required: give one or more absolute http:// or https:// URLs')
  })

  it('names a bad timeout and the accepted form', async () => {
    expect(await message({ url: 'http://127.0.0.1:9/', timeout: '5 parsecs' })).toContain(
      'input `timeout`: "5 parsecs" is not valid; expected a duration above zero and at most 1h, such as 500ms, 5s or 1m',
    )
  })

  it('names a bad expect-status and the accepted form', async () => {
    expect(await message({ url: 'http://127.0.0.1:9/', 'expect-status': 'abc' })).toContain(
      'input `expect-status`: "abc" is not valid; expected HTTP status codes or ranges',
    )
  })

  it('names an unknown input and lists the accepted ones', async () => {
    expect(await message({ url: 'http://127.0.0.1:9/', bogus: 'x' })).toContain(
      'input has no `bogus`; accepted inputs are `url`, `expect-status`',
    )
  })

  it('refuses URLs that are not absolute http(s), without quoting a password', async () => {
    // `url` is secret-bearing: the value is hidden, the line is named and shown masked.
    const ftp = await message({ url: 'ftp://example.com/x' })
    expect(ftp).toContain('input `url`: (value hidden) is not valid; expected one or more absolute http://')
    expect(ftp).toContain('(line 1: ftp://example.com/x is not http:// or https://)')
    const relative = await message({ url: '/readyz' })
    expect(relative).toContain('input `url`: (value hidden) is not valid')
    expect(relative).toContain('(line 1 is not an absolute URL)')
    const creds = await message({ url: 'https://admin:hunter22@example.com/readyz' })
    expect(creds).toContain('without user:password@')
    expect(creds).not.toContain('hunter22')
  })

  it('refuses bad headers, expect lines, consecutive and follow-redirects', async () => {
    const headers = await message({ url: 'http://127.0.0.1:9/', headers: 'Bad Name: secretvalue' })
    expect(headers).toContain('input `headers`: (value hidden) is not valid; expected HTTP headers written `Name: value`')
    expect(headers).toContain('on line 1, the text before the first colon is not a header name; write `Name: value`')
    expect(headers).not.toContain('Bad Name')
    expect(headers).not.toContain('secretvalue')
    expect(await message({ url: 'http://127.0.0.1:9/', headers: 'no colon here' })).toContain('line 1 has no colon')
    expect(await message({ url: 'http://127.0.0.1:9/', expect: 'status' })).toContain(
      'input `expect`: "status" is not valid; expected JSON assertions',
    )
    expect(await message({ url: 'http://127.0.0.1:9/', expect: 'a..b=1' })).toContain('input `expect`')
    expect(await message({ url: 'http://127.0.0.1:9/', consecutive: '0' })).toContain(
      'input `consecutive`: "0" is not valid; expected a whole number from 1 to 1000',
    )
    expect(await message({ url: 'http://127.0.0.1:9/', 'follow-redirects': 'yes' })).toContain('expected true or false')
    expect(await message({ url: 'http://127.0.0.1:9/', interval: '0s' })).toContain('input `interval`')
  })
})

describe('body classifier', () => {
  it('a degraded component of a service that says pass is a warn, named', async () => {
    const body = { status: 'pass', checks: { 'cache:ping': [{ status: 'warn', output: 'slow' }] } }
    const { check } = await probe(health(200, body))
    expect(check.status).toBe('warn')
    expect(check.observed).toContain('health+json pass, components warn')
    expect(check.message).toContain(
      'the service reports pass, but 1 of 1 component check is not passing; component cache:ping is warn: slow.',
    )
  })

  it('reads a Kubernetes final line on its own', () => {
    expect(classifyBody('text/plain', 'livez check failed')).toMatchObject({ format: 'k8s', verdict: 'fail' })
    expect(classifyBody('text/plain', 'ok')).toMatchObject({ format: 'text' })
    expect(classifyBody('text/plain', 'ok').verdict).toBeUndefined()
  })

  it('caps the components it names', () => {
    const checks = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, [{ status: 'fail' }]]))
    const r = classifyBody('application/health+json', JSON.stringify({ status: 'fail', checks }))
    expect(r.components).toHaveLength(9)
    expect(r.components.at(-1)).toBe('and 12 more')
    expect(r.componentCount).toBe(20)
  })

  it('treats a body that only looks like JSON as text unless declared JSON', () => {
    expect(classifyBody('text/plain', '{not json').format).toBe('text')
    expect(classifyBody('application/json', '{not json')).toMatchObject({ verdict: 'fail', problem: 'unparsable' })
    expect(classifyBody(null, '').format).toBe('empty')
  })

  it('does not follow prototype properties in assertions', () => {
    const r = classifyBody('application/json', '{"a":{}}')
    const [a] = parseAssertions('a.constructor.name=Object')
    expect(checkAssertion(a, r, '{"a":{}}').ok).toBe(false)
  })
})

describe('readyz: properties', () => {
  it('never passes `status=ok` unless the body is JSON whose status is "ok"', async () => {
    let body: Uint8Array = new Uint8Array(0)
    let contentType = 'application/json'
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': contentType })
      res.end(body)
    })
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record(
          { status: fc.oneof(fc.constantFrom('ok', 'OK', 'ok ', 'pass', 'UP', 'degraded'), fc.jsonValue()), checks: fc.jsonValue() },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    )
    const bytes = fc.oneof(
      text.map((t) => new TextEncoder().encode(t)),
      fc.uint8Array({ maxLength: 512 }),
    )
    await fc.assert(
      fc.asyncProperty(
        bytes,
        fc.constantFrom('application/json', 'application/health+json', 'text/plain', 'text/html', 'application/octet-stream'),
        async (b, ct) => {
          body = b
          contentType = ct
          const result = await gate({ url: url(), expect: 'status=ok' })
          if (result.status !== 'pass') return
          const parsed = JSON.parse(new TextDecoder().decode(b)) as { status?: unknown }
          expect(parsed.status).toBe('ok')
        },
      ),
      { numRuns: 150 },
    )
  })

  it('classifies arbitrary bodies without throwing', () => {
    fc.assert(
      fc.property(
        fc.option(fc.oneof(fc.string(), fc.constantFrom('application/json', 'application/health+json', 'text/plain; charset=utf-8'))),
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.jsonValue().map((v) => JSON.stringify({ status: 'DOWN', components: { a: v, b: { status: 'DOWN', components: v } } })),
          fc.jsonValue().map((v) => JSON.stringify({ status: 'fail', checks: { a: v, 'b:c': [v, { status: v, output: v }] } })),
          fc
            .array(fc.oneof(fc.constantFrom('[+]', '[-]', 'readyz check failed', '\n', ' ok', 'failed: x'), fc.string()))
            .map((a) => a.join('')),
        ),
        (ct, text) => {
          const r = classifyBody(ct, text)
          expect(['health+json', 'spring', 'k8s', 'json', 'text', 'empty']).toContain(r.format)
          for (const a of parseAssertions('status=ok\nchecks.a.0.status=pass\nx.0=1')) checkAssertion(a, r, text)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('survives hostile nesting', () => {
    const n = 20_000
    const spring = '{"status":"DOWN","components":{"c":'.repeat(n) + '{"status":"DOWN"}' + '}}'.repeat(n)
    expect(spring.length).toBeLessThan(1024 * 1024)
    const r = classifyBody('application/json', spring)
    expect(r.verdict).toBe('fail')
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(() => classifyBody('application/json', deep)).not.toThrow()
  })
})
