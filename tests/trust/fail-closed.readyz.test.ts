// Fail closed, readyz: every way the gate can fail to measure is a `fail` (or a `warn` where the
// service answered but is degraded) with a sentence naming what was expected and what was seen.
// Each row goes through the real gate against a real loopback server; rows whose input is refused
// also prove that nothing was probed.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import type { Status } from '../../src/core/result.js'
import { readyz } from '../../src/gates/readyz/gate.js'
import { serve, type TestServer } from '../support/http.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

const send =
  (status: number, body: string, type?: string, headers: Record<string, string> = {}): Handler =>
  (_req, res) =>
    void res.writeHead(status, { ...(type ? { 'content-type': type } : {}), ...headers }).end(body)

interface Row {
  /** How the gate failed to measure. */
  way: string
  /** What the loopback server does. */
  serve: Handler
  /** The gate's inputs; `URL` is replaced by the server's /readyz address. */
  inputs: Record<string, string>
  status: Exclude<Status, 'pass'>
  /** The sentence: what was expected and what was seen. */
  says: RegExp
  /** The input was refused: no request may reach the server. */
  refused?: boolean
  /** The server was stopped before the probe (nothing listens at its address). */
  stopped?: boolean
  /** Waits between rounds on a clock that moves only when the gate sleeps, so rounds are exact. */
  clock?: boolean
}

function fakeClock() {
  let t = Date.parse('2030-01-01T00:00:00Z')
  return defaultContext({ log: () => {}, now: () => new Date(t), sleep: async (ms) => void (t += ms) })
}

const never: Handler = () => {}
const HEALTH = 'application/health+json'

const rows: Row[] = [
  {
    way: 'timeout: the server never answers',
    serve: never,
    inputs: { url: 'URL', timeout: '200ms' },
    status: 'fail',
    says: /gave no complete answer within 200ms/,
  },
  {
    way: 'timeout: the body never finishes',
    serve: (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).write('partial'),
    inputs: { url: 'URL', timeout: '200ms' },
    status: 'fail',
    says: /gave no complete answer within 200ms: HTTP 200 headers arrived but the body did not finish/,
  },
  {
    way: 'refused connection',
    serve: never,
    stopped: true,
    inputs: { url: 'URL' },
    status: 'fail',
    says: /could not be reached: connection refused \(ECONNREFUSED\)/,
  },
  {
    way: 'DNS failure of a .invalid host (reached by a redirect)',
    serve: send(302, '', undefined, { location: 'http://cutover-readyz.invalid/readyz' }),
    inputs: { url: 'URL', 'follow-redirects': 'true' },
    status: 'fail',
    says: /could not be reached: no DNS record for the host \((ENOTFOUND|EAI_AGAIN)\)|the DNS lookup failed/,
  },
  {
    way: 'empty body with a JSON `expect`',
    serve: send(200, '', 'text/plain'),
    inputs: { url: 'URL', expect: 'status=ok' },
    status: 'fail',
    says: /expected a JSON body for `status=ok`, got text\/plain \(empty\)/,
  },
  {
    way: 'empty body declared health+json',
    serve: send(200, '', HEALTH),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /the body is declared application\/health\+json but is empty/,
  },
  {
    way: 'unparsable body',
    serve: send(200, '{"status": "pass", ', 'application/json'),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /the body is declared application\/json but is not valid JSON/,
  },
  {
    way: 'unparsable body with `expect`',
    serve: send(200, '<html>Sign in</html>', 'text/html'),
    inputs: { url: 'URL', expect: 'status=ok' },
    status: 'fail',
    says: /expected a JSON body for `status=ok`, got text\/html \("<html>Sign in<\/html>"\)/,
  },
  {
    way: 'a redirect when not following',
    serve: send(302, '', undefined, { location: '/login?next=%2Freadyz' }),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /redirected to http:\/\/127\.0\.0\.1:\d+\/login\?next=\*\*\* \(302\) instead of answering/,
  },
  {
    way: 'a redirect loop when following',
    serve: send(307, '', undefined, { location: '/readyz' }),
    inputs: { url: 'URL', 'follow-redirects': 'true' },
    status: 'fail',
    says: /led through more than 20 redirects/,
  },
  {
    way: 'a 200 with a failing component (IETF)',
    serve: send(200, JSON.stringify({ status: 'pass', checks: { 'db:responseTime': [{ status: 'fail', output: 'timeout' }] } }), HEALTH),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /the service reports pass, but 1 of 1 component check is not passing; component db:responseTime is fail: timeout/,
  },
  {
    way: 'a 200 with a failing component (Spring)',
    serve: send(200, JSON.stringify({ status: 'UP', components: { db: { status: 'DOWN' } } }), 'application/json'),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /the service reports UP, but 1 of 1 component check is not passing; component db is DOWN/,
  },
  {
    way: 'a 200 with a degraded component',
    serve: send(200, JSON.stringify({ status: 'pass', checks: { 'cache:hitRatio': [{ status: 'warn' }] } }), HEALTH),
    inputs: { url: 'URL' },
    status: 'warn',
    says: /the service reports pass, but 1 of 1 component check is not passing; component cache:hitRatio is warn/,
  },
  {
    way: 'a 200 with a [-] Kubernetes check',
    serve: send(200, '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n', 'text/plain; charset=utf-8'),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /1 of 2 readiness checks failed; etcd failed: reason withheld/,
  },
  {
    way: 'status null',
    serve: send(200, '{"status":null}', 'application/json'),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /the body's status is null, not a recognised health status \(expected pass\/ok\/up/,
  },
  {
    way: 'status an object',
    serve: send(200, '{"status":{"code":"DOWN"}}', 'application/json'),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /the body's status is an object \(\{"code":"DOWN"\}\), not a recognised health status \(expected/,
  },
  {
    way: 'an unrecognised status word',
    serve: send(200, '{"status":"maybe"}', 'application/json'),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /the body's status "maybe" is not a recognised health status \(expected/,
  },
  {
    way: 'a degraded service that never recovers within wait',
    serve: send(200, '{"status":"warn"}', HEALTH),
    inputs: { url: 'URL', wait: '100ms', interval: '50ms' },
    clock: true,
    status: 'warn',
    says: /the service reports warn\. Saw no pass within 100ms \(3 probes\)/,
  },
  {
    way: 'a status code outside expect-status',
    serve: send(503, 'unavailable', 'text/plain'),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /HTTP 503, expected 200/,
  },
  {
    way: 'a body over 1 MiB',
    serve: send(200, 'x'.repeat(1024 * 1024 + 1), 'text/plain'),
    inputs: { url: 'URL' },
    status: 'fail',
    says: /answered HTTP 200 but the body exceeded 1 MiB/,
  },
  {
    way: 'empty `url` given as an empty string',
    serve: send(200, '{"status":"pass"}', HEALTH),
    inputs: { url: '' },
    status: 'fail',
    refused: true,
    says: /input `url` is required: give one or more absolute http:\/\/ or https:\/\/ URLs/,
  },
  {
    way: '`url` given as blank lines',
    serve: send(200, '{"status":"pass"}', HEALTH),
    inputs: { url: ' \n \n' },
    status: 'fail',
    refused: true,
    says: /input `url` is required/,
  },
  {
    way: 'an `expect` key given empty',
    serve: send(200, '{"status":"pass"}', HEALTH),
    inputs: { url: 'URL', expect: '=pass' },
    status: 'fail',
    refused: true,
    says: /input `expect`: "=pass" is not valid; expected JSON assertions written `path=value`/,
  },
  {
    way: 'a header name given empty',
    serve: send(200, '{"status":"pass"}', HEALTH),
    inputs: { url: 'URL', headers: ': sk_live_value' },
    status: 'fail',
    refused: true,
    says: /input `headers`: \(value hidden\) is not valid; .*on line 1, the text before the first colon is not a header name/,
  },
  {
    way: 'a header value given empty (a secret that was not set)',
    serve: send(200, '{"status":"pass"}', HEALTH),
    inputs: { url: 'URL', headers: 'X-Api-Key: ' },
    status: 'fail',
    refused: true,
    says: /input `headers`: \(value hidden\) is not valid; .*the value on line 1 is empty/,
  },
  {
    way: 'an Authorization scheme without its credential (a secret that was not set)',
    serve: send(200, '{"status":"pass"}', HEALTH),
    inputs: { url: 'URL', headers: 'Accept: application/json\nAuthorization: Bearer ' },
    status: 'fail',
    refused: true,
    says: /input `headers`: \(value hidden\) is not valid; .*the value on line 2 is the scheme Bearer without a credential/,
  },
  {
    way: 'a timeout given empty-ish (zero)',
    serve: send(200, '{"status":"pass"}', HEALTH),
    inputs: { url: 'URL', timeout: '0s' },
    status: 'fail',
    refused: true,
    says: /input `timeout`: "0s" is not valid; expected a duration above zero/,
  },
]

const servers: TestServer[] = []
afterAll(() => Promise.all(servers.map((s) => s.close().catch(() => {}))))

describe('readyz fails closed', () => {
  const prepared = new Map<string, TestServer>()
  beforeAll(async () => {
    for (const row of rows) {
      const s = await serve(row.serve)
      servers.push(s)
      prepared.set(row.way, s)
      if (row.stopped) await s.close()
    }
  })

  it.each(rows.map((r) => [r.way, r] as const))('%s', async (_way, row) => {
    const s = prepared.get(row.way)!
    const inputs = Object.fromEntries(Object.entries(row.inputs).map(([k, v]) => [k, v === 'URL' ? `${s.url}/readyz` : v]))
    const ctx = row.clock ? fakeClock() : defaultContext({ log: () => {} })
    const result = await runGate(readyz, inputs, ctx, { id: 'readyz' })
    expect(result.status).toBe(row.status)
    expect(result.checks.length).toBeGreaterThan(0)
    const c = result.checks.find((x) => x.status === row.status)!
    expect(c.message).toMatch(row.says)
    // A sentence, never a stack trace; an expectation and an observation a person can compare.
    expect(c.message).not.toMatch(/\n\s+at /)
    expect(c.message).toMatch(/\.$/)
    expect(c.expected).not.toBe('')
    expect(c.observed).not.toBe('')
    expect(result.summary).toMatch(new RegExp(`^readyz: ${row.status.toUpperCase()}: `))
    if (row.refused) {
      expect(result.inputError).toBe(true)
      expect(s.requests).toHaveLength(0)
    } else if (!row.stopped) {
      expect(s.requests.length).toBeGreaterThan(0)
    }
  })

  it('covers every way listed in the brief', () => {
    const ways = rows.map((r) => r.way).join('\n')
    for (const w of [
      'timeout',
      'refused connection',
      'empty body with a JSON `expect`',
      'unparsable body',
      'a redirect when not following',
      'DNS failure',
      'failing component',
      'status null',
      'empty `url` given as an empty string',
      'given empty',
    ])
      expect(ways).toContain(w)
  })
})
