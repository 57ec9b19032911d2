// Fail closed, smoke: every way a flow can fail to prove itself is a `fail` that names the step,
// what it expected and what came back, against real loopback servers. Rows whose steps are
// refused also prove that not one request was sent.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { smoke } from '../../src/gates/smoke/gate.js'
import { serve, type TestServer } from '../support/http.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void
const send =
  (status: number, body: string, type = 'application/json', headers: Record<string, string> = {}): Handler =>
  (_req, res) =>
    void res.writeHead(status, { 'content-type': type, ...headers }).end(body)

interface Row {
  way: string
  serve: Handler
  /** Steps; `URL` is the server's address. */
  steps: unknown
  extra?: Record<string, string>
  /** The failing step, or `inputs` for refused steps. */
  check: string
  says: RegExp
  refused?: boolean
  stopped?: boolean
}

const one = (step: Record<string, unknown>) => [{ name: 'step', url: 'URL/x', ...step }]

const rows: Row[] = [
  {
    way: 'timeout: no answer',
    serve: () => {},
    steps: one({}),
    extra: { timeout: '200ms' },
    check: 'step',
    says: /gave no answer within 200ms/,
  },
  {
    way: 'timeout: the body never finishes',
    serve: (_q, res) => void res.writeHead(200, { 'content-type': 'application/json' }).write('{"a":'),
    steps: one({}),
    extra: { timeout: '200ms' },
    check: 'step',
    says: /answered HTTP 200 but the body did not finish within 200ms/,
  },
  { way: 'refused connection', serve: () => {}, stopped: true, steps: one({}), check: 'step', says: /connection refused \(ECONNREFUSED\)/ },
  {
    way: 'a 500 from the service',
    serve: send(500, '{"error":"boom"}'),
    steps: one({}),
    check: 'step',
    says: /answered HTTP 500, expected 200-299/,
  },
  {
    way: 'a 404 (router not reachable)',
    serve: send(404, 'not found', 'text/plain'),
    steps: one({}),
    check: 'step',
    says: /answered HTTP 404, expected 200-299; the answer was HTTP 404: "not found"/,
  },
  {
    way: 'an unparsable body with expect',
    serve: send(200, '{"status": "completed", '),
    steps: one({ expect: 'status=completed' }),
    check: 'step',
    says: /expected a JSON body for `status=completed`/,
  },
  {
    way: 'an empty body with expect',
    serve: send(200, ''),
    steps: one({ expect: 'status=ok' }),
    check: 'step',
    says: /expected a JSON body for `status=ok`, got application\/json \(empty\)/,
  },
  {
    way: 'an empty body with a capture',
    serve: send(200, ''),
    steps: one({ capture: { tx: 'id' } }),
    check: 'step',
    says: /capture `tx` needs a JSON answer/,
  },
  {
    way: 'a capture that is null',
    serve: send(200, '{"id": null}'),
    steps: one({ capture: { tx: 'id' } }),
    check: 'step',
    says: /capture `tx`: `id` is null/,
  },
  {
    way: 'a capture that is empty',
    serve: send(200, '{"id": ""}'),
    steps: one({ capture: { tx: 'id' } }),
    check: 'step',
    says: /capture `tx`: `id` is empty/,
  },
  {
    way: 'a failed JSON assertion',
    serve: send(200, '{"balance": {"held": 10}}'),
    steps: one({ expect: 'balance.held=0' }),
    check: 'step',
    says: /`balance\.held` is "10", expected "0"/,
  },
  {
    way: 'a redirect when not following',
    serve: send(302, '', 'text/plain', { location: '/login' }),
    steps: one({}),
    check: 'step',
    says: /answered HTTP 302, expected 200-299/,
  },
  {
    way: 'a redirect loop when following',
    serve: send(307, '', 'text/plain', { location: '/x' }),
    steps: one({}),
    extra: { 'follow-redirects': 'true' },
    check: 'step',
    says: /led through more than 20 redirects/,
  },
  {
    way: 'a redirect to another scheme',
    serve: send(302, '', 'text/plain', { location: 'ftp://files.example.com/x' }),
    steps: one({}),
    extra: { 'follow-redirects': 'true' },
    check: 'step',
    says: /which is not http or https; it was not followed/,
  },
  {
    way: 'a body over 1 MiB',
    serve: send(200, 'x'.repeat(1024 * 1024 + 1), 'text/plain'),
    steps: one({}),
    check: 'step',
    says: /a body over 1 MiB/,
  },
  {
    way: 'a DNS failure',
    serve: () => {},
    steps: [{ name: 'step', url: 'http://cutover-smoke.invalid/x' }],
    check: 'step',
    says: /could not be reached: (no DNS record for the host|the DNS lookup failed)/,
  },
  {
    way: 'steps given as an empty string',
    serve: send(200, '{}'),
    steps: '',
    refused: true,
    check: 'inputs',
    says: /input `steps` is required/,
  },
  {
    way: 'a plain word instead of steps',
    serve: send(200, '{}'),
    steps: 'hello',
    refused: true,
    check: 'inputs',
    says: /it is not a list of steps/,
  },
  {
    way: 'a YAML string holding a word',
    serve: send(200, '{}'),
    steps: '"hello"',
    refused: true,
    check: 'inputs',
    says: /it is not a list of steps/,
  },
  { way: 'an empty list of steps', serve: send(200, '{}'), steps: '[]', refused: true, check: 'inputs', says: /it is not a list of steps/ },
  {
    way: 'a header value given empty (an unset secret)',
    serve: send(200, '{}'),
    steps: one({ headers: { Authorization: '' } }),
    refused: true,
    check: 'inputs',
    says: /is empty; is the secret it comes from set\?/,
  },
  {
    way: 'a bare Bearer without its token',
    serve: send(200, '{}'),
    steps: one({ headers: { Authorization: 'Bearer' } }),
    refused: true,
    check: 'inputs',
    says: /the scheme Bearer without a credential/,
  },
  {
    way: 'a reference to an uncaptured name',
    serve: send(200, '{}'),
    steps: one({ url: 'URL/x/{{tx}}' }),
    refused: true,
    check: 'inputs',
    says: /uses \{\{tx\}\}, which no earlier step captures/,
  },
  {
    way: 'a wait of NaN',
    serve: send(200, '{}'),
    steps: one({ wait: 'NaN' }),
    refused: true,
    check: 'inputs',
    says: /`wait` must be a duration/,
  },
  {
    way: 'a non-http URL',
    serve: send(200, '{}'),
    steps: [{ name: 'step', url: 'file:///etc/passwd' }],
    refused: true,
    check: 'inputs',
    says: /must be an absolute http:\/\/ or https:\/\/ URL|must be http/,
  },
]

const servers = new Map<string, TestServer>()
beforeAll(async () => {
  for (const row of rows) {
    const s = await serve(row.serve)
    servers.set(row.way, s)
    if (row.stopped) await s.close()
  }
})
afterAll(() => Promise.all([...servers.values()].map((s) => s.close().catch(() => {}))))

describe('smoke fails closed', () => {
  it.each(rows.map((r) => [r.way, r] as const))('%s', async (_way, row) => {
    const s = servers.get(row.way)!
    const text = (typeof row.steps === 'string' ? row.steps : stringify(row.steps)).replace(/URL/g, s.url)
    const r = await runGate(smoke, { steps: text, ...row.extra }, defaultContext({ log: () => {} }), { id: 'smoke' })
    expect(r.status).toBe('fail')
    const c = r.checks.find((x) => x.name === row.check && x.status === 'fail')
    expect(c, JSON.stringify(r.checks, null, 1)).toBeDefined()
    expect(c!.message).toMatch(row.says)
    expect(c!.message).not.toMatch(/\n\s+at /)
    expect(c!.message).toMatch(/\.$/)
    expect(c!.expected).not.toBe('')
    expect(c!.observed).not.toBe('')
    if (!row.refused) expect(c!.message).toMatch(/^Step `step` failed: /)
    if (row.refused) {
      expect(r.inputError).toBe(true)
      expect(s.requests).toHaveLength(0)
    }
  })

  it('covers every way the contract names', () => {
    const ways = rows.map((r) => r.way).join('\n')
    for (const w of [
      'timeout',
      'refused connection',
      'a 500',
      'a failed JSON assertion',
      'an unparsable body',
      'a redirect when not following',
      'given as an empty string',
      'uncaptured name',
    ])
      expect(ways).toContain(w)
  })
})
