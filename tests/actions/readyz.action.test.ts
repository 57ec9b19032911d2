// The bundled readyz action, run as the GitHub runner runs it, against a fake GitHub API that
// checks every request against GitHub's OpenAPI description.
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { DEFAULT_SHA, runAction } from '../harness/run-action.js'
import { json, serve, type TestServer } from '../support/http.js'

let api: FakeGitHub
let svc: TestServer
const SECRET = 'sup3r-s3cret-header-value-123'

beforeAll(async () => {
  svc = await serve((req, res) => {
    const route = new URL(req.url ?? '/', 'http://x').pathname
    if (route === '/healthy') return json(200, { status: 'pass' }, 'application/health+json')(req, res)
    if (route === '/degraded') return json(200, { status: 'warn' }, 'application/health+json')(req, res)
    if (route === '/auth') {
      const ok = req.headers.authorization === `Bearer ${SECRET}`
      return json(
        ok ? 200 : 401,
        { status: ok ? 'pass' : 'fail', echo: `got ${req.headers.authorization}` },
        'application/health+json',
      )(req, res)
    }
    return json(
      503,
      { status: 'fail', checks: { 'db:connections': [{ status: 'fail', output: 'pool exhausted' }] } },
      'application/health+json',
    )(req, res)
  })
})
afterAll(() => svc.close())
afterEach(async () => {
  expect(api.invalid, 'requests GitHub would reject').toEqual([])
  await api.close()
})

async function run(inputs: Record<string, string>, extra: { eventName?: string; event?: unknown; cwd?: string } = {}) {
  api = await startFakeGitHub()
  return runAction('readyz', { inputs, apiUrl: api.url, ...extra })
}

const checkRuns = () => api.requests.filter((r) => r.operationId === 'checks/create')

describe('readyz action', () => {
  it('passes on a healthy endpoint: outputs, report, summary and one completed check run', async () => {
    const r = await run({ url: `${svc.url}/healthy` })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.outputs.status).toBe('pass')
    expect(r.outputs.summary).toBe('readyz: PASS (1 of 1 checks passed)')
    expect(r.outputs.report).toBe('cutover-reports/readyz.json')
    expect(r.summary).toContain('## Cutover gates: ✅ GO')
    expect(r.summary).toContain(`${svc.url}/healthy`)
    expect(api.requests).toHaveLength(1)
    const body = checkRuns()[0].body as Record<string, unknown>
    expect(body).toMatchObject({ name: 'cutover / readyz', head_sha: DEFAULT_SHA, status: 'completed', conclusion: 'success' })
  })

  it('fails the step on a failing endpoint, naming the component, with a failing check run', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run({ url: `${svc.url}/down`, id: 'api-readyz', language: 'tr' }, { cwd })
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('fail')
    expect(r.outputs.summary).toMatch(/db:connections/)
    expect(r.summary).toContain('**GO/NO-GO Kararı:** NO-GO')
    expect(checkRuns()[0].body).toMatchObject({ name: 'cutover / api-readyz', conclusion: 'failure' })
    const report = JSON.parse(await readFile(path.join(cwd, 'cutover-reports/api-readyz.json'), 'utf8'))
    expect(report).toMatchObject({
      schemaVersion: 1,
      id: 'api-readyz',
      gate: 'readyz',
      status: 'fail',
      subject: { repository: 'acme/shop', sha: DEFAULT_SHA },
    })
    expect(report.checks[0]).toMatchObject({ status: 'fail', name: `${svc.url}/down` })
  })

  it('a warning is neutral and passes the step unless fail-on is warn', async () => {
    let r = await run({ url: `${svc.url}/degraded` })
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('warn')
    expect(checkRuns()[0].body).toMatchObject({ conclusion: 'neutral' })
    await api.close()
    r = await run({ url: `${svc.url}/degraded`, 'fail-on': 'warn' })
    expect(r.code).toBe(1)
  })

  it('fail-on: never keeps the step green and still reports the failure', async () => {
    const r = await run({ url: `${svc.url}/down`, 'fail-on': 'never' })
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('fail')
  })

  it('puts the check run on the pull request head', async () => {
    const head = 'b'.repeat(40)
    await run({ url: `${svc.url}/healthy` }, { eventName: 'pull_request', event: { pull_request: { number: 7, head: { sha: head } } } })
    expect(checkRuns()[0].body).toMatchObject({ head_sha: head })
  })

  it.each([
    [{}, /input `url` is required/],
    [{ url: 'http://127.0.0.1:1/', timeout: '5 parsecs' }, /input `timeout`: "5 parsecs" is not valid; expected a duration/],
    [
      { url: 'http://127.0.0.1:1/', 'expect-status': 'abc' },
      /input `expect-status`: "abc" is not valid; expected HTTP status codes or ranges/,
    ],
  ])('bad input %j fails the step with a sentence, publishes a failing check run and writes no report', async (inputs, message) => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run(inputs as Record<string, string>, { cwd })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(message)
    expect(r.stdout).not.toMatch(/\n\s+at /) // no stack trace
    expect(r.summary).toMatch(message)
    expect(checkRuns()[0].body).toMatchObject({ conclusion: 'failure' })
    expect((checkRuns()[0].body as { output: { summary: string } }).output.summary).toMatch(message)
    // A refused input writes nothing: no report, no ledger record.
    expect(await readdir(path.join(cwd, 'cutover-reports')).catch(() => [])).toEqual([])
  })

  it.each([
    [{ 'fail-on': 'sometimes' }, /input `fail-on`: "sometimes" is not valid; expected one of `fail`, `warn`, `never`/],
    [{ sha: 'xyz', id: 'api', 'report-dir': 'custom' }, /input `sha`: "xyz" is not valid; expected a full 40-character commit SHA/],
    [{ id: 'a b', 'report-dir': 'custom' }, /input `id`: "a b" is not valid/],
  ])('a refused common input %j fails the step naming it, and writes nothing anywhere', async (inputs, message) => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run({ url: `${svc.url}/healthy`, ...(inputs as Record<string, string>) }, { cwd })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(message)
    expect(r.stdout).toContain('Nothing was measured or written')
    expect(r.stdout).not.toMatch(/\n\s+at /)
    // No check run under a wrong name, no report in another step's place, no request to the service.
    expect(checkRuns()).toEqual([])
    expect((await readdir(cwd)).filter((f) => f !== '.cutover-gates')).toEqual([])
    expect(r.outputs).toEqual({})
  })

  it('never writes a header secret to the log, summary, report or check run', async () => {
    const r = await run({ url: `${svc.url}/auth`, headers: `Authorization: Bearer ${SECRET}`, 'report-dir': 'out' })
    expect(r.outputs.status).toBe('pass')
    expect(svc.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`)
    // The runner learns secrets from ::add-mask::; nothing else may carry them.
    const log = (r.stdout + r.stderr).split('\n').filter((l) => !l.startsWith('::add-mask::'))
    expect(r.stdout).toContain(`::add-mask::${SECRET}`)
    expect(log.join('\n')).not.toContain(SECRET)
    expect(r.summary).not.toContain(SECRET)
    expect(JSON.stringify(api.requests)).not.toContain(SECRET)
    expect(JSON.stringify(r.outputs)).not.toContain(SECRET)
  })

  it('without checks: write it warns and keeps a passing gate green', async () => {
    api = await startFakeGitHub()
    api.on('checks/create', () => ({ status: 403, body: { message: 'Resource not accessible by integration' } }))
    const r = await runAction('readyz', { inputs: { url: `${svc.url}/healthy` }, apiUrl: api.url })
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('pass')
    expect(r.stdout).toMatch(/::warning::Check run cutover \/ readyz not published: .*checks: write/)
    expect(r.summary).toContain('✅ GO')
  })

  it('retries a 503 from GitHub and publishes on the second request', async () => {
    api = await startFakeGitHub()
    api.replyOnce('checks/create', { status: 503, body: { message: 'busy' }, headers: { 'retry-after': '1' } })
    const r = await runAction('readyz', { inputs: { url: `${svc.url}/healthy` }, apiUrl: api.url })
    expect(r.code).toBe(0)
    expect(checkRuns()).toHaveLength(2)
    expect(r.stdout).toContain('Published check run')
  })

  it('waits what Retry-After asks before the retry (the client’s sleep, recorded, against the fake GitHub)', async () => {
    api = await startFakeGitHub()
    api.replyOnce('checks/create', { status: 503, body: { message: 'busy' }, headers: { 'retry-after': '1' } })
    const sleeps: number[] = []
    const octokit = createClient('ghs_test', { sleep: async (ms) => void sleeps.push(ms) }, api.url)
    const created = await octokit.rest.checks.create({ owner: 'acme', repo: 'shop', head_sha: DEFAULT_SHA, name: 'cutover / readyz' })
    expect(created.status).toBe(201)
    expect(sleeps).toEqual([1000])
    expect(checkRuns()).toHaveLength(2)
  })
})

/** Every channel a secret could leak through: the log (outside ::add-mask::), summary, outputs, report and check runs. */
async function channels(r: Awaited<ReturnType<typeof runAction>>, cwd: string, reportDir = 'cutover-reports') {
  const log = (r.stdout + r.stderr)
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  const reports = await readdir(path.join(cwd, reportDir)).catch(() => [] as string[])
  const files = await Promise.all(reports.map((f) => readFile(path.join(cwd, reportDir, f), 'utf8')))
  return { log, summary: r.summary, outputs: JSON.stringify(r.outputs), report: files.join('\n'), checkRuns: JSON.stringify(api.requests) }
}

describe('readyz action: secrets in the url and headers inputs', () => {
  const TOKEN = 'tok_planted_5e4d3c2b1a'

  it('a query token reaches the service but no channel', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run({ url: `${svc.url}/healthy?access_token=${TOKEN}` }, { cwd })
    expect(r.outputs.status, r.stdout).toBe('pass')
    expect(svc.requests.at(-1)?.url).toBe(`/healthy?access_token=${TOKEN}`)
    const c = await channels(r, cwd)
    expect(c.report).toContain(`${svc.url}/healthy?access_token=***`)
    expect(c.summary).toContain(`${svc.url}/healthy?access_token=***`)
    for (const [name, text] of Object.entries(c)) expect(text, name).not.toContain(TOKEN)
  })

  it.each(['#', '/', '?', '@'])('a password holding %s is in no channel, not even in part', async (ch) => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run({ url: `https://admin:Hunter2${ch}Secret@db.example.com/readyz` }, { cwd })
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('fail')
    const c = await channels(r, cwd)
    expect(c.summary).toContain('https://***@db.example.com/readyz holds user-info')
    expect(checkRuns()[0].body).toMatchObject({ conclusion: 'failure' })
    for (const [name, text] of Object.entries(c)) expect(text, name).not.toMatch(/Hunter2|Secret/)
  })

  it('a header value pasted without its name is in no channel', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run({ url: `${svc.url}/healthy`, headers: 'Bearer sk_live_51Hplanted:abcdef' }, { cwd })
    expect(r.code).toBe(1)
    const c = await channels(r, cwd)
    expect(c.summary).toContain('line 1')
    for (const [name, text] of Object.entries(c)) expect(text, name).not.toContain('sk_live_51Hplanted')
  })

  it('a redirect to another origin: the header never reaches it, and the report names the final URL', async () => {
    const other = await serve(json(200, { status: 'pass' }, 'application/health+json'))
    const first = await serve((_req, res) => void res.writeHead(302, { location: `${other.url}/ready` }).end())
    try {
      const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
      const r = await run({ url: `${first.url}/readyz`, headers: `X-Api-Key: ${SECRET}`, 'follow-redirects': 'true' }, { cwd })
      expect(r.outputs.status).toBe('pass')
      expect(first.requests[0].headers['x-api-key']).toBe(SECRET)
      expect(other.requests).toHaveLength(1)
      expect(other.requests[0].headers['x-api-key']).toBeUndefined()
      const c = await channels(r, cwd)
      expect(c.report).toContain(`It was redirected (302) to ${other.url}/ready`)
      expect(c.report).toContain('were not sent there')
      for (const [name, text] of Object.entries(c)) expect(text, name).not.toContain(SECRET)
    } finally {
      await Promise.all([first.close(), other.close()])
    }
  })
})
