// readyz never shows a secret: URL user-info and query values, header values (even pasted
// without a name), and secret headers never follow a redirect to another origin.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { secretValues } from '../../../src/core/inputs.js'
import { makeRedactor } from '../../../src/core/redact.js'
import { readyz } from '../../../src/gates/readyz/gate.js'
import { serve, type TestServer } from '../../support/http.js'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function server(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const s = await serve(handler)
  servers.push(s)
  return s
}

async function gate(inputs: Record<string, string>) {
  const lines: string[] = []
  const result = await runGate(readyz, inputs, defaultContext({ log: (l) => lines.push(l) }), { id: 'readyz' })
  // Everything a person or GitHub could see of this run.
  const everything = JSON.stringify({ result, lines })
  return { result, lines, everything, message: result.checks.map((c) => c.message).join('\n') }
}

const ok = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/health+json' }).end('{"status":"pass"}')
}

describe('URL user-info is never shown, whatever characters the password holds', () => {
  it.each([
    ['#', 'https://admin:Hunter2#Secret@db.example.com/readyz'],
    ['/', 'https://admin:Hunter2/Secret@db.example.com/readyz'],
    ['?', 'https://admin:Hunter2?Secret@db.example.com/readyz'],
    ['@', 'https://admin:Hunter2@Secret@db.example.com/readyz'],
    ['% escapes', 'https://admin:Hunter2%23Secret@db.example.com/readyz'],
    ['a token alone', 'https://Hunter2Secret@db.example.com/readyz'],
    ['digits before #', 'https://admin:2222#Secret@db.example.com/readyz'],
  ])('a password with %s is refused without quoting any of it', async (_what, url) => {
    const r = await gate({ url })
    expect(r.result.status).toBe('fail')
    expect(r.result.inputError).toBe(true)
    expect(r.everything).not.toMatch(/Hunter2|Secret|2222/)
    expect(r.message).toContain('input `url`')
    expect(r.message).toContain('line 1: https://***@db.example.com/readyz holds user-info')
    expect(r.message).toContain('send credentials with `headers`')
  })

  it('names the line of a bad URL among several', async () => {
    const r = await gate({ url: 'https://api.example.com/readyz\nhttps://admin:Hunter2#Secret@db.example.com/readyz' })
    expect(r.message).toContain('line 2: https://***@db.example.com/readyz holds user-info')
    expect(r.everything).not.toMatch(/Hunter2|Secret/)
  })

  it('does not quote a line that is not a URL at all (a token pasted into `url`)', async () => {
    const r = await gate({ url: 'sk_live_51HsecretKEY' })
    expect(r.result.inputError).toBe(true)
    expect(r.everything).not.toContain('sk_live_51HsecretKEY')
    expect(r.message).toContain('line 1 is not an absolute URL')
  })

  it('the url input is registered as secret-bearing, so the one redactor masks these forms', () => {
    const raw = { url: 'https://admin:Hunter2#Secret@db.example.com/readyz\nhttps://api.example.com/readyz?access_token=tok_planted_1' }
    const redact = makeRedactor(secretValues(readyz.inputs, raw))
    const out = redact(`GET ${raw.url} / ${new URL('https://api.example.com/readyz?access_token=tok_planted_1').href}`)
    expect(out).not.toMatch(/Hunter2|Secret|tok_planted_1/)
  })
})

describe('query values are masked in every place readyz writes a URL', () => {
  const TOKEN = 'tok_planted_9f8e7d'

  it('a passing probe: check name, message, location, metrics, details and progress lines', async () => {
    const seen: string[] = []
    const s = await server((req, res) => {
      seen.push(req.url ?? '')
      ok(req, res)
    })
    const r = await gate({ url: `${s.url}/readyz?access_token=${TOKEN}&verbose`, consecutive: '2', interval: '10ms' })
    expect(seen[0]).toBe(`/readyz?access_token=${TOKEN}&verbose`) // the real URL is what is sent
    expect(r.result.status).toBe('pass')
    const shown = `${s.url}/readyz?access_token=***&verbose`
    expect(r.result.checks[0].name).toBe(shown)
    expect(r.result.checks[0].location).toEqual({ url: shown })
    expect(r.result.checks[0].message).toContain(`${shown} answered HTTP 200`)
    expect(Object.keys(r.result.metrics)).toContain(`latency_ms:${shown}`)
    expect(r.result.details).toContain(shown)
    expect(r.lines.join('\n')).toContain(shown)
    expect(r.everything).not.toContain(TOKEN)
  })

  it.each([
    ['a failing answer', (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(503).end('down')],
    [
      'a redirect not followed',
      (req: IncomingMessage, res: ServerResponse) =>
        void res.writeHead(302, { location: `/login?next=${encodeURIComponent(req.url ?? '')}&code=${TOKEN}` }).end(),
    ],
    [
      'a body that echoes the URL',
      (req: IncomingMessage, res: ServerResponse) =>
        void res.writeHead(500, { 'content-type': 'text/plain' }).end(`no route for ${req.url}`),
    ],
  ])('%s', async (_what, handler) => {
    const s = await server(handler)
    const r = await gate({ url: `${s.url}/readyz?access_token=${TOKEN}`, expect: 'status=ok' })
    expect(r.result.status).toBe('fail')
    expect(r.everything).not.toContain(TOKEN)
  })

  it('an unreachable host and a timeout', async () => {
    const s = await server(() => {})
    const never = await gate({ url: `${s.url}/readyz?access_token=${TOKEN}`, timeout: '100ms' })
    expect(never.result.status).toBe('fail')
    expect(never.everything).not.toContain(TOKEN)
    const refused = await gate({ url: `http://127.0.0.1:9/readyz?access_token=${TOKEN}` })
    expect(refused.result.status).toBe('fail')
    expect(refused.everything).not.toContain(TOKEN)
  })
})

describe('a header value without a name is never quoted back', () => {
  it.each([
    ['no colon at all', 'Bearer sk_live_51Hplanted0000', 1],
    ['a colon inside the token', 'Bearer sk_live_51Hplanted:0000', 1],
    ['on the second line', 'Accept: application/json\nBearer sk_live_51Hplanted:0000', 2],
    ['a name with a space', 'X Api Key sk_live_51Hplanted: v', 1],
  ])('%s', async (_what, headers, line) => {
    const r = await gate({ url: 'http://127.0.0.1:9/readyz', headers })
    expect(r.result.inputError).toBe(true)
    expect(r.everything).not.toContain('sk_live_51Hplanted')
    expect(r.everything).not.toContain('Bearer sk_')
    expect(r.message).toContain('input `headers`')
    expect(r.message).toContain(`line ${line}`)
    expect(r.message).toContain('`Name: value`')
  })

  it('a value with characters a header cannot carry is refused without quoting it or its name', async () => {
    const r = await gate({ url: 'http://127.0.0.1:9/readyz', headers: 'X-Planted-Name: sk_live_51Hplanted\u0100' })
    expect(r.result.inputError).toBe(true)
    expect(r.everything).not.toMatch(/sk_live_51Hplanted|X-Planted-Name/)
    expect(r.message).toContain('line 1')
  })
})

describe('redirects: secret headers never cross origins', () => {
  const HEADERS = 'Authorization: Bearer sk_live_planted_auth\nX-Api-Key: planted-api-key-123\nX-Custom: planted-custom-456'
  const carried = (h: IncomingHttpHeaders) => [h.authorization, h['x-api-key'], h['x-custom']].filter(Boolean)

  it('a 302 to another origin drops every header from `headers`, says so, and names the final URL', async () => {
    const other = await server(ok) // another port on loopback: another origin
    const first = await server((_req, res) => void res.writeHead(302, { location: `${other.url}/ready?sig=planted-sig-789` }).end())
    const r = await gate({ url: `${first.url}/readyz`, headers: HEADERS, 'follow-redirects': 'true' })
    expect(carried(first.requests[0].headers)).toHaveLength(3)
    expect(other.requests).toHaveLength(1)
    expect(carried(other.requests[0].headers)).toEqual([])
    expect(other.requests[0].headers['user-agent']).toBe('cutover-gates')
    expect(r.result.status).toBe('pass')
    const c = r.result.checks[0]
    expect(c.message).toContain(`redirected (302) to ${other.url}/ready?sig=***`)
    expect(c.message).toContain('another origin')
    expect(c.message).toContain('Authorization, X-Api-Key, X-Custom')
    expect(c.message).toContain('were not sent there')
    expect(c.observed).toContain(`final URL ${other.url}/ready?sig=***`)
    expect(r.everything).not.toMatch(/planted/)
  })

  it('the other origin is reached through every redirect code fetch follows', async () => {
    for (const code of [301, 303, 307, 308]) {
      const other = await server(ok)
      const first = await server((_req, res) => void res.writeHead(code, { location: `${other.url}/ready` }).end())
      const r = await gate({ url: `${first.url}/readyz`, headers: HEADERS, 'follow-redirects': 'true' })
      expect(r.result.status, String(code)).toBe('pass')
      expect(carried(other.requests[0].headers), String(code)).toEqual([])
    }
  })

  it('a redirect within the origin keeps the headers', async () => {
    const s = await server((req, res) => {
      if (req.url === '/readyz') return void res.writeHead(302, { location: '/ready' }).end()
      ok(req, res)
    })
    const r = await gate({ url: `${s.url}/readyz`, headers: HEADERS, 'follow-redirects': 'true' })
    expect(r.result.status).toBe('pass')
    expect(s.requests.map((q) => carried(q.headers).length)).toEqual([3, 3])
    expect(r.result.checks[0].message).toContain(`redirected (302) to ${s.url}/ready`)
    expect(r.result.checks[0].message).not.toContain('another origin')
  })

  it('A → B → A: B never receives them', async () => {
    const a = await server((req, res) => {
      if (req.url === '/readyz') return void res.writeHead(302, { location: `${b.url}/hop` }).end()
      ok(req, res)
    })
    const b: TestServer = await server((_req, res) => void res.writeHead(307, { location: `${a.url}/final` }).end())
    const r = await gate({ url: `${a.url}/readyz`, headers: HEADERS, 'follow-redirects': 'true' })
    expect(r.result.status).toBe('pass')
    expect(carried(b.requests[0].headers)).toEqual([])
    expect(r.result.checks[0].message).toContain(`${a.url}/final`)
  })

  it('a redirect loop fails, saying how many redirects it followed', async () => {
    const s = await server((req, res) => void res.writeHead(302, { location: `/r${Number((req.url ?? '/r0').slice(2)) + 1}` }).end())
    const r = await gate({ url: `${s.url}/r0`, 'follow-redirects': 'true' })
    expect(r.result.status).toBe('fail')
    expect(r.result.checks[0].message).toContain('more than 20 redirects')
    expect(s.requests).toHaveLength(21)
  })

  it('a redirect to something that is not http(s) fails without following it', async () => {
    const s = await server((_req, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end())
    const r = await gate({ url: `${s.url}/readyz`, 'follow-redirects': 'true' })
    expect(r.result.status).toBe('fail')
    expect(r.result.checks[0].message).toContain('redirected (302) to file:///etc/passwd, which is not http or https')
  })

  it('a redirect into a URL with user-info is neither followed nor shown', async () => {
    const s = await server((_req, res) => void res.writeHead(302, { location: 'http://usr:pw_planted_x@127.0.0.1:9/ready' }).end())
    const r = await gate({ url: `${s.url}/readyz`, 'follow-redirects': 'true' })
    expect(r.result.status).toBe('fail')
    expect(r.result.checks[0].message).toContain(
      'redirected (302) to http://***@127.0.0.1:9/ready, which carries user-info; it was not followed',
    )
    expect(r.everything).not.toContain('pw_planted_x')
  })

  it('a 3xx without Location is judged as the answer it is', async () => {
    const s = await server((_req, res) => void res.writeHead(302).end())
    const r = await gate({ url: `${s.url}/readyz`, 'follow-redirects': 'true' })
    expect(r.result.status).toBe('fail')
    expect(r.result.checks[0].message).toContain('HTTP 302, expected 200')
  })
})
