// The smoke gate through the real gate against real loopback servers: the demo's payments API
// (examples/demo/bank.mjs) for the money loop and the auth-separation checks, with faults
// planted in it, and small servers for redirects, timeouts and echoed secrets.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { stringify } from 'yaml'
import { defaultContext, runGate, type GateContext } from '../../../src/core/gate.js'
import { parseSteps } from '../../../src/gates/smoke/spec.js'
import { smoke } from '../../../src/gates/smoke/gate.js'
import { createBank, DEMO_CREDENTIALS, type Bank, type BankOptions } from '../../../examples/demo/bank.mjs'
import { serve, type TestServer } from '../../support/http.js'
import { moneyLoop } from './money-loop.js'

const C = DEMO_CREDENTIALS
let bank: Bank
let api: TestServer
let other: TestServer
const servers: TestServer[] = []

async function startBank(opts: BankOptions = {}) {
  bank = createBank(opts)
  api = await serve((req, res) => void bank.handle(req, res).then((handled) => handled || res.writeHead(404).end()))
  servers.push(api)
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
beforeAll(async () => {
  other = await serve(
    (req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ saw: req.headers })),
  )
})
afterAll(() => other.close())

async function flow(steps: unknown, extra: Record<string, unknown> = {}, over: Partial<GateContext> & { lines?: string[] } = {}) {
  const { lines, ...rest } = over
  const ctx = defaultContext({ log: (l) => lines?.push(l), ...rest })
  return runGate(smoke, { steps: typeof steps === 'string' ? steps : stringify(steps), ...extra }, ctx, { id: 'smoke' })
}

const everything = (r: unknown, lines: string[] = []) => JSON.stringify(r) + '\n' + lines.join('\n')

describe('smoke: the canary money loop', () => {
  it('deposit → withdraw request → approve → mark paid → ledger settled passes, with captures carried forward', async () => {
    await startBank()
    const lines: string[] = []
    const r = await flow(moneyLoop(api.url), {}, { lines })
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['deposit', 'pass'],
      ['withdraw request', 'pass'],
      ['admin approve', 'pass'],
      ['mark paid', 'pass'],
      ['ledger settled', 'pass'],
    ])
    expect(bank.state.requests).toEqual([
      'POST /api/v1/wallet/deposits',
      'POST /api/v1/wallet/withdrawals',
      'POST /api/v1/admin/withdrawals/wd_2/approve',
      'POST /api/v1/admin/withdrawals/wd_2/mark-paid',
      'GET /api/v1/ledger/withdrawals/wd_2',
    ])
    expect(JSON.parse(r.outputs.captured)).toEqual({ tx: 'dep_1', wid: 'wd_2', available_after: '0', ledger: 'led_3' })
    expect(r.checks[4].message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/ledger\/withdrawals\/wd_2 answered HTTP 200, status=settled, ledger_ref=led_3, balance\.held=0, balance\.available=0 as expected\.$/,
    )
    expect(r.checks[0].message).toMatch(/Captured tx=dep_1\.$/)
    expect(r.checks[1].expected).toBe('HTTP 201; status=requested; balance.held=10; captures wid (id), available_after (balance.available)')
    expect(r.details).toMatch(
      /\| 3 \| admin approve \| POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/admin\/withdrawals\/wd_2\/approve \| 200 \| \d+ms \| pass \| - \|/,
    )
    expect(r.metrics).toMatchObject({ steps_total: 5, steps_passed: 5 })
    expect(lines).toContain('step 5/5 ledger settled: PASS (' + r.checks[4].observed + ')')
  })

  it('a 500 mid-flow fails at that step, names it, and sends nothing after it', async () => {
    await startBank({ fail: { approve: 500 } })
    const r = await flow(moneyLoop(api.url))
    expect(r.status).toBe('fail')
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['deposit', 'pass'],
      ['withdraw request', 'pass'],
      ['admin approve', 'fail'],
    ])
    expect(r.checks[2].message).toMatch(
      /^Step `admin approve` failed: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/admin\/withdrawals\/wd_2\/approve answered HTTP 500, expected 200-299; `status` is missing, expected "approved"; the answer was HTTP 500: "\{\\"error\\":\\"internal_error\\",\\"route\\":\\"approve\\"\}"\. The flow stopped here; not run: mark paid, ledger settled\.$/,
    )
    expect(r.summary).toMatch(/^smoke: FAIL: Step `admin approve` failed/)
    expect(bank.state.requests).toHaveLength(3)
    expect(r.details).toMatch(/\| 4 \| mark paid \| POST .* \| - \| - \| not run \| - \|/)
  })

  it('a ledger invariant breach (held not released) fails the JSON assertion and says what came back', async () => {
    await startBank({ keepHeld: true })
    const r = await flow(moneyLoop(api.url))
    expect(r.status).toBe('fail')
    expect(r.checks.at(-1)!.name).toBe('ledger settled')
    expect(r.checks.at(-1)!.message).toMatch(
      /`status` is "open", expected "settled"; `balance\.held` is "10", expected "0"; the answer was HTTP 200: /,
    )
  })

  it('a capture whose path is missing fails the step that should have given it', async () => {
    await startBank()
    const steps: Record<string, unknown>[] = moneyLoop(api.url).slice(0, 2)
    steps[1] = { ...steps[1], capture: { wid: 'withdrawal.id' } }
    const r = await flow(steps)
    expect(r.checks[1].message).toMatch(/capture `wid`: `withdrawal\.id` is missing from the answer \(no `withdrawal`\)/)
  })

  it('polls a step with wait and interval on the gate clock until it passes', async () => {
    let polls = 0
    const srv = await serve((_req, res) => {
      polls++
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: polls < 3 ? 'open' : 'settled' }))
    })
    servers.push(srv)
    let t = Date.parse('2026-06-01T02:00:00Z')
    const sleeps: number[] = []
    const r = await flow(
      [{ name: 'ledger', url: `${srv.url}/ledger`, expect: 'status=settled', wait: '30s', interval: '5s' }],
      {},
      {
        now: () => new Date(t),
        sleep: async (ms) => {
          sleeps.push(ms)
          t += ms
        },
      },
    )
    expect(r.status).toBe('pass')
    expect(sleeps).toEqual([5000, 5000])
    expect(r.checks[0].observed).toMatch(/^HTTP 200, \d+ms, 3 attempts$/)
    expect(r.checks[0].message).toMatch(/as expected \(attempt 3, after 10s\)\.$/)
  })

  it('a step still failing when its wait is over fails, saying how long it tried', async () => {
    const srv = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"open"}'))
    servers.push(srv)
    let t = 0
    const r = await flow(
      [{ name: 'ledger', url: `${srv.url}/l`, expect: 'status=settled', wait: '12s', interval: '5s' }],
      {},
      {
        now: () => new Date(t),
        sleep: async (ms) => void (t += ms),
      },
    )
    expect(r.checks[0].observed).toMatch(/3 attempts$/)
    expect(r.checks[0].message).toMatch(/\(attempt 3, after 10s\)\. It kept failing for the `wait` of 12s\.$/)
  })

  it('the flow-timeout bounds the whole flow on the gate clock', async () => {
    await startBank()
    let t = 0
    const fetchSlow: typeof fetch = async (...args) => {
      t += 25_000
      return fetch(...args)
    }
    const r = await flow(moneyLoop(api.url), { 'flow-timeout': '1m' }, { now: () => new Date(t), fetch: fetchSlow })
    expect(r.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'fail'])
    expect(r.checks[3].message).toBe(
      'Step `mark paid` failed: The flow had used its whole `flow-timeout` (1m) before this step could start. The flow stopped here; not run: ledger settled.',
    )
  })
})

describe('smoke: auth separation (the 401 pattern)', () => {
  const separation = (base: string) => [
    {
      name: 'platform rejects an API key',
      url: `${base}/api/v1/platform/tenants`,
      headers: { 'X-API-Key': C.apiKey },
      'expect-status': 401,
      expect: 'error=wrong_auth_method',
    },
    {
      name: 'pack rejects a session cookie',
      url: `${base}/api/v1/routing/status`,
      headers: { Cookie: `session=${C.session}` },
      'expect-status': 401,
      expect: 'error=missing_api_key',
    },
  ]

  it('passes when each endpoint rejects the other credential with the expected error', async () => {
    await startBank()
    const r = await flow(separation(api.url))
    expect(r.status).toBe('pass')
    expect(r.checks[0].message).toMatch(/answered HTTP 401, error=wrong_auth_method as expected\.$/)
  })

  it('fails when a platform endpoint accepts an API key', async () => {
    const leaky = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"tenants":[]}'))
    servers.push(leaky)
    const r = await flow(separation(leaky.url))
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(
      /answered HTTP 200, expected 401; `error` is missing, expected "wrong_auth_method"; the answer was HTTP 200: "\{\\"tenants\\":\[\]\}"/,
    )
    expect(r.checks).toHaveLength(1)
  })

  it('a rejection with another error code is not the separation the runbook asks for', async () => {
    const wrong = await serve(
      (_req, res) => void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"expired_token"}'),
    )
    servers.push(wrong)
    const r = await flow(separation(wrong.url))
    expect(r.checks[0].message).toMatch(/`error` is "expired_token", expected "wrong_auth_method"/)
  })
})

describe('smoke: secrets', () => {
  it('header values, captured tokens used in headers and URL query values appear in no channel', async () => {
    const LOGIN_TOKEN = 'sess-tok-Q8x77Pq2-secret'
    const echo = await serve(async (req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/login')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: LOGIN_TOKEN, user: 'ops' }))
      // A service that quotes the credentials it got, in its error.
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `bad credentials ${req.headers.authorization} ${req.headers['x-api-key']}` }))
    })
    servers.push(echo)
    const lines: string[] = []
    const r = await flow(
      [
        {
          name: 'login',
          method: 'POST',
          url: `${echo.url}/login`,
          headers: { 'X-API-Key': C.apiKey },
          body: { user: 'ops' },
          capture: { token: 'token', user: 'user' },
        },
        {
          name: 'use token',
          url: `${echo.url}/me?access_token=qv-9w8e7r6t&x=1`,
          headers: { Authorization: 'Bearer {{token}}', 'X-API-Key': C.apiKey },
        },
      ],
      {},
      { lines },
    )
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/Captured token=\*\*\*, user=ops\.$/)
    expect(r.checks[1].message).toMatch(/bad credentials Bearer \*\*\* \*\*\*/)
    expect(r.checks[1].message).toMatch(/\/me\?access_token=\*\*\*&x=\*\*\*/)
    expect(JSON.parse(r.outputs.captured)).toEqual({ token: '***', user: 'ops' })
    const all = everything(r, lines)
    for (const secret of [LOGIN_TOKEN, C.apiKey, 'qv-9w8e7r6t']) expect(all).not.toContain(secret)
  })

  it('a cookie value echoed without its name is masked too', async () => {
    const echo = await serve((req, res) => {
      const value = (req.headers.cookie ?? '').split('=')[1]
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `unknown session ${value}` }))
    })
    servers.push(echo)
    const r = await flow([{ name: 'cookie', url: `${echo.url}/x`, headers: { Cookie: `session=${C.session}; theme=dark` } }])
    expect(r.checks[0].message).toMatch(/unknown session \*\*\*/)
    expect(everything(r)).not.toContain(C.session)
  })

  it('secret headers are not sent to another origin on a redirect; same-origin redirects keep them', async () => {
    const hop = await serve((req, res) => {
      if (req.url === '/away') return void res.writeHead(307, { location: `${other.url}/landing` }).end()
      if (req.url === '/home') return void res.writeHead(302, { location: '/final' }).end()
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ auth: req.headers.authorization ?? null }))
    })
    servers.push(hop)
    const headers = { Authorization: `Bearer ${C.userToken}` }
    const r = await flow(
      [
        { name: 'cross-origin', url: `${hop.url}/away`, headers, expect: 'saw.user-agent=cutover-gates' },
        { name: 'same-origin', url: `${hop.url}/home`, headers, expect: `auth=Bearer ${C.userToken}` },
      ],
      { 'follow-redirects': 'true' },
    )
    expect(r.status, JSON.stringify(r.checks)).toBe('pass')
    expect(other.requests.at(-1)!.headers.authorization).toBeUndefined()
    expect(r.checks[0].message).toMatch(/redirected once to http:\/\/127\.0\.0\.1:\d+\/landing/)
    const notFollowed = await flow([{ name: 'no follow', url: `${hop.url}/away`, headers }])
    expect(notFollowed.checks[0].message).toMatch(/answered HTTP 307, expected 200-299/)
  })
})

describe('smoke: what cannot be measured', () => {
  it('a server that never answers fails the step at its timeout', async () => {
    const silent = await serve(() => {})
    servers.push(silent)
    const r = await flow([{ name: 'hang', url: `${silent.url}/x` }], { timeout: '200ms' })
    expect(r.checks[0].message).toMatch(/^Step `hang` failed: GET http:\/\/127\.0\.0\.1:\d+\/x gave no answer within 200ms\.$/)
  })

  it('a refused connection names its cause', async () => {
    const gone = await serve(() => {})
    await gone.close()
    const r = await flow([
      { name: 'down', url: `${gone.url}/x` },
      { name: 'after', url: `${gone.url}/y` },
    ])
    expect(r.checks[0].message).toMatch(
      /could not be reached: connection refused \(ECONNREFUSED\)\. The flow stopped here; not run: after\.$/,
    )
  })

  it('expect on a body that is not JSON fails', async () => {
    const html = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'))
    servers.push(html)
    const r = await flow([{ name: 'page', url: `${html.url}/`, expect: 'status=ok' }])
    expect(r.checks[0].message).toMatch(/expected a JSON body for `status=ok`, got text\/html/)
  })

  it('a body that is one reference keeps the captured JSON type', async () => {
    const seen: unknown[] = []
    const echo = await serve(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      if (chunks.length) seen.push(JSON.parse(Buffer.concat(chunks).toString()))
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"amount": 10, "note": "x"}')
    })
    servers.push(echo)
    await flow([
      { name: 'read', url: `${echo.url}/a`, capture: { amount: 'amount' } },
      { name: 'send', method: 'POST', url: `${echo.url}/b`, body: { amount: '{{amount}}', memo: 'refund {{amount}} USD' } },
    ])
    expect(seen).toEqual([{ amount: 10, memo: 'refund 10 USD' }])
  })
})

describe('smoke: steps refused before anything is sent', () => {
  it.each([
    [
      'a reference to an uncaptured name',
      [{ name: 'a', url: 'URL/x/{{tx}}' }],
      /step `a`: `url` uses \{\{tx\}\}, which no earlier step captures/,
    ],
    [
      'a reference to a name captured later',
      [
        { name: 'a', url: 'URL/x', headers: { Authorization: 'Bearer {{token}}' } },
        { name: 'b', url: 'URL/login', capture: { token: 'token' } },
      ],
      /step `a`: `headers` uses \{\{token\}\}, which no earlier step captures/,
    ],
    [
      'a step that reads its own capture',
      [{ name: 'a', url: 'URL/x/{{id}}', capture: { id: 'id' } }],
      /uses \{\{id\}\}, which no earlier step captures/,
    ],
    [
      'a captured host',
      [
        { name: 'a', url: 'URL', capture: { h: 'host' } },
        { name: 'b', url: 'http://{{h}}/x' },
      ],
      /takes a captured value in its scheme, host or port/,
    ],
    ['an unknown key', [{ name: 'a', url: 'URL', expect_status: 201 }], /step 1 has `expect_status`; a step takes `name`, `method`, `url`/],
    ['no name', [{ url: 'URL' }], /step 1 has no `name`/],
    [
      'a name twice',
      [
        { name: 'a', url: 'URL' },
        { name: 'a', url: 'URL' },
      ],
      /two steps are named `a`/,
    ],
    ['a GET with a body', [{ name: 'a', url: 'URL', body: { x: 1 } }], /a GET request has no body/],
    [
      'a header left empty by an unset secret',
      [{ name: 'a', url: 'URL', headers: { 'X-API-Key': '' } }],
      /the value on line 1 is empty; is the secret it comes from set\?/,
    ],
    ['user-info in the URL', [{ name: 'a', url: 'http://ops:pw-Secret-77@127.0.0.1/x' }], /holds user-info/],
    [
      'a malformed reference',
      [{ name: 'a', method: 'POST', url: 'URL', body: { x: '{{ not valid }}' } }],
      /`body` holds `\{\{` or `\}\}` that is not a reference/,
    ],
    ['a bad expect-status', [{ name: 'a', url: 'URL', 'expect-status': 'ok' }], /`expect-status`: expected HTTP status codes/],
    ['not a list', { name: 'a', url: 'URL' }, /it is not a list of steps/],
    ['YAML that does not parse', '- name: a\n  url: [', /the YAML does not parse/],
  ])('%s', async (_what, steps, message) => {
    const srv = await serve((_req, res) => void res.writeHead(200).end('{}'))
    servers.push(srv)
    const text = (typeof steps === 'string' ? steps : stringify(steps)).replace(/URL/g, srv.url)
    const r = await flow(text)
    expect(r.inputError).toBe(true)
    expect(r.checks.map((c) => c.message).join(' ')).toMatch(message)
    expect(srv.requests).toHaveLength(0)
    expect(everything(r)).not.toContain('pw-Secret-77')
  })

  it('the YAML library prints no warning, which would quote a header value', () => {
    const warned = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    try {
      parseSteps('- name: a\n  url: http://x/\n  headers:\n    X-Key: !pl4nted-secret\n')
    } catch {
      // refused or not: either way, silently
    }
    expect(warned).not.toHaveBeenCalled()
    warned.mockRestore()
  })

  it('takes the list as a YAML string holding it, as an action input gives it', () => {
    const steps = parseSteps(stringify(stringify([{ name: 'a', url: 'http://x/y', expect: ['a=1', 'b={{ c }}'.replace('{{ c }}', '2')] }])))
    expect(steps).toMatchObject([{ name: 'a', method: 'GET', url: 'http://x/y', expect: [{ text: 'a=1' }, { text: 'b=2' }] }])
  })
})
