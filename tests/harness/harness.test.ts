import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadOpenApiFixture, openApiToJsonSchema, startFakeGitHub, type FakeGitHub } from './fake-github.js'
import { DEFAULT_SHA, DEFAULT_TOKEN, inputEnvName, parseFileCommand, parseWorkflowCommands, runAction } from './run-action.js'

const TOKEN = { authorization: 'token ghs_fake', 'content-type': 'application/json' }

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'harness-test-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

async function script(name: string, source: string): Promise<string> {
  const file = join(scratch, name)
  await writeFile(file, source)
  return file
}

describe('runAction', () => {
  it('runs a script with the runner environment and reads back outputs, summary, state and env', async () => {
    const file = await script(
      'action.mjs',
      `
import { appendFileSync, readFileSync } from 'node:fs'
const env = process.env
const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
const out = (name, value) => appendFileSync(env.GITHUB_OUTPUT, name + '<<ghadelimiter_1234\\n' + value + '\\nghadelimiter_1234\\n')
out('multi', 'line one\\nline two = still two')
appendFileSync(env.GITHUB_OUTPUT, 'simple=a=b\\n')
out('inputs', JSON.stringify({ dash: env['INPUT_GATE-FILE'], space: env.INPUT_MY_INPUT }))
out('seen', JSON.stringify({
  leak: env.HARNESS_TEST_LEAK ?? null, sha: env.GITHUB_SHA, repo: env.GITHUB_REPOSITORY, event: env.GITHUB_EVENT_NAME,
  after: event.after ?? null, cwd: process.cwd() === env.GITHUB_WORKSPACE, api: env.GITHUB_API_URL, ci: env.CI, actions: env.GITHUB_ACTIONS,
  extra: env.EXTRA, node: process.version,
}))
appendFileSync(env.GITHUB_STEP_SUMMARY, '# Gate\\n\\n| a | b |\\n')
appendFileSync(env.GITHUB_STATE, 'phase<<EOF\\npost\\nEOF\\n')
appendFileSync(env.GITHUB_ENV, 'FOO=bar\\n')
appendFileSync(env.GITHUB_PATH, '/opt/tool/bin\\n')
console.log('::error file=a.ts,line=3,title=Bad%3A thing::first%0Asecond')
console.log('::notice::fine')
process.exitCode = 3
`,
    )
    process.env.HARNESS_TEST_LEAK = 'should-not-leak'
    try {
      const run = await runAction('self-test', {
        script: file,
        inputs: { 'gate-file': 'gates.yml', 'my input': 'spaced' },
        env: { EXTRA: 'x' },
      })
      expect(run.code).toBe(3)
      expect(run.timedOut).toBe(false)
      expect(run.outputs.multi).toBe('line one\nline two = still two')
      expect(run.outputs.simple).toBe('a=b')
      expect(JSON.parse(run.outputs.inputs!)).toEqual({ dash: 'gates.yml', space: 'spaced' })
      expect(JSON.parse(run.outputs.seen!)).toEqual({
        leak: null,
        sha: DEFAULT_SHA,
        repo: 'acme/shop',
        event: 'push',
        after: DEFAULT_SHA,
        cwd: true,
        api: 'http://127.0.0.1:9',
        ci: 'true',
        actions: 'true',
        extra: 'x',
        node: process.version,
      })
      expect(run.summary).toBe('# Gate\n\n| a | b |\n')
      expect(run.state).toEqual({ phase: 'post' })
      expect(run.exportedEnv).toEqual({ FOO: 'bar' })
      expect(run.addedPath).toEqual(['/opt/tool/bin'])
      expect(run.commands).toEqual([
        { command: 'error', properties: { file: 'a.ts', line: '3', title: 'Bad: thing' }, message: 'first\nsecond' },
        { command: 'notice', properties: {}, message: 'fine' },
      ])
    } finally {
      delete process.env.HARNESS_TEST_LEAK
    }
  })

  it('passes a custom event and event name', async () => {
    const file = await script(
      'event.mjs',
      `import { appendFileSync, readFileSync } from 'node:fs'
appendFileSync(process.env.GITHUB_OUTPUT, 'number=' + JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8')).pull_request.number + '\\n')
appendFileSync(process.env.GITHUB_OUTPUT, 'event=' + process.env.GITHUB_EVENT_NAME + '\\n')`,
    )
    const run = await runAction('self-test', { script: file, eventName: 'pull_request', event: { pull_request: { number: 7 } } })
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({ number: '7', event: 'pull_request' })
  })

  it('applies action.yml input defaults like the runner, with ${{ github.token }} as a token', async () => {
    const file = await script(
      'defaults.mjs',
      `import { appendFileSync } from 'node:fs'
const e = process.env
appendFileSync(e.GITHUB_OUTPUT, 'v=' + JSON.stringify([e.INPUT_TIMEOUT, e.INPUT_CONSECUTIVE, e['INPUT_GITHUB-TOKEN'], e['INPUT_FAIL-ON'], e.INPUT_NODEFAULT ?? null]) + '\\n')`,
    )
    const yml = join(scratch, 'action.yml')
    await writeFile(
      yml,
      [
        'name: t',
        'inputs:',
        '  timeout: { default: 5s }',
        '  consecutive: { default: 1 }',
        '  github-token: { default: "${{ github.token }}" }',
        '  fail-on: { default: fail }',
        '  nodefault: { required: false }',
        'runs: { using: node24, main: defaults.mjs }',
      ].join('\n'),
    )
    const run = await runAction('self-test', { script: file, actionYml: yml, inputs: { 'fail-on': 'warn' } })
    expect(JSON.parse(run.outputs.v!)).toEqual(['5s', '1', DEFAULT_TOKEN, 'warn', null])
    const noDefaults = await runAction('self-test', { script: file })
    expect(JSON.parse(noDefaults.outputs.v!)).toEqual([null, null, null, null, null])

    await writeFile(yml, 'inputs:\n  x: { default: "${{ github.repository }}" }\nruns: { using: node24, main: defaults.mjs }\n')
    await expect(runAction('self-test', { script: file, actionYml: yml })).rejects.toThrow(/does not evaluate/)
  })

  it('kills a hung action after timeoutMs', async () => {
    const file = await script('hang.mjs', `setInterval(() => {}, 1000)\n`)
    const started = Date.now()
    const run = await runAction('self-test', { script: file, timeoutMs: 300 })
    expect(run.timedOut).toBe(true)
    expect(run.code).toBe(-1)
    expect(run.signal).toBe('SIGKILL')
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('rejects when the bundle does not exist', async () => {
    await expect(runAction('no-such-action-xyz', {})).rejects.toThrow(/does not exist/)
  })
})

describe('file command and workflow command parsing', () => {
  it('maps input names like the runner', () => {
    expect(inputEnvName('gate-file')).toBe('INPUT_GATE-FILE')
    expect(inputEnvName('my input name')).toBe('INPUT_MY_INPUT_NAME')
  })

  it('parses both forms and keeps empty heredoc values', () => {
    expect(parseFileCommand('a=1\nb<<X\nX\nc<<D\n\nx\nD\n')).toEqual({ a: '1', b: '', c: '\nx' })
    expect(parseFileCommand('a=1\r\nb<<X\r\ny\r\nX\r\n')).toEqual({ a: '1', b: 'y' })
  })

  it('fails like the runner on a missing delimiter or a malformed line', () => {
    expect(() => parseFileCommand('a<<EOF\nvalue\n', 'GITHUB_OUTPUT')).toThrow(/matching delimiter not found/)
    expect(() => parseFileCommand('just text\n')).toThrow(/invalid line 1/)
  })

  it('ignores ordinary log lines', () => {
    expect(parseWorkflowCommands('hello\n::warning::w\nnot ::a command\n')).toEqual([{ command: 'warning', properties: {}, message: 'w' }])
  })
})

describe('OpenAPI fixture', () => {
  it('holds the 12 operations with their source noted', () => {
    const f = loadOpenApiFixture()
    expect(f.source.package).toBe('@octokit/openapi')
    expect(f.source.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(Object.keys(f.operations)).toHaveLength(25)
    expect(f.operations['checks/create']).toMatchObject({ method: 'POST', path: '/repos/{owner}/{repo}/check-runs', successStatus: 201 })
    expect(f.operations['pulls/get']).toMatchObject({ method: 'GET', pathParams: ['owner', 'repo', 'pull_number'], requestBody: null })
    expect(JSON.stringify(f)).not.toContain('$ref')
  })

  it('rewrites OpenAPI nullable as a JSON Schema union', () => {
    expect(openApiToJsonSchema({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] })
    expect(openApiToJsonSchema({ type: 'string', enum: ['a'], nullable: true })).toEqual({ type: ['string', 'null'], enum: ['a', null] })
    expect(openApiToJsonSchema({ properties: { nullable: { type: 'boolean' } } })).toEqual({
      properties: { nullable: { type: 'boolean' } },
    })
  })
})

describe('fake GitHub API', () => {
  let gh: FakeGitHub
  beforeEach(async () => {
    gh = await startFakeGitHub()
  })
  afterEach(async () => {
    await gh.close()
  })

  const post = (path: string, body: unknown, headers: Record<string, string> = TOKEN) =>
    fetch(gh.url + path, { method: 'POST', headers, body: JSON.stringify(body) })

  it('accepts and records a valid checks/create and answers with a check run', async () => {
    const res = await post('/repos/acme/shop/check-runs', {
      name: 'cutover / gates',
      head_sha: DEFAULT_SHA,
      status: 'completed',
      conclusion: 'success',
      completed_at: '2024-05-04T01:14:52Z',
      output: {
        title: 'All gates passed',
        summary: 'ok',
        annotations: [{ path: 'a', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm' }],
      },
    })
    expect(res.status).toBe(201)
    const run = (await res.json()) as Record<string, unknown>
    expect(run).toMatchObject({
      id: 1,
      head_sha: DEFAULT_SHA,
      name: 'cutover / gates',
      status: 'completed',
      conclusion: 'success',
      html_url: 'https://github.com/acme/shop/runs/1',
      output: { title: 'All gates passed', summary: 'ok', annotations_count: 1 },
    })
    expect(gh.invalid).toEqual([])
    expect(gh.requests).toHaveLength(1)
    expect(gh.requests[0]).toMatchObject({
      operationId: 'checks/create',
      method: 'POST',
      path: '/repos/acme/shop/check-runs',
      params: { owner: 'acme', repo: 'shop' },
      body: { name: 'cutover / gates' },
    })
    expect(gh.requests[0]!.headers.authorization).toBe('token ghs_fake')

    const second = (await (await post('/repos/acme/shop/check-runs', { name: 'b', head_sha: DEFAULT_SHA })).json()) as {
      id: number
      status: string
    }
    expect(second).toMatchObject({ id: 2, status: 'queued' })

    const upd = await fetch(`${gh.url}/repos/acme/shop/check-runs/2?x=1`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer ghs_fake', 'content-type': 'application/json' },
      body: JSON.stringify({ conclusion: 'failure', output: { title: 't', summary: 's' } }),
    })
    expect(upd.status).toBe(200)
    expect(await upd.json()).toMatchObject({
      id: 2,
      name: 'b',
      head_sha: DEFAULT_SHA,
      status: 'completed',
      conclusion: 'failure',
      output: { title: 't' },
    })
    expect(gh.requests[2]).toMatchObject({ operationId: 'checks/update', query: { x: '1' }, params: { check_run_id: '2' } })
    // The fake's own answers have GitHub's documented shape.
    expect(gh.invalidResponses).toEqual([])
  })

  it('rejects a body with an enum violation with 422 and records it in invalid', async () => {
    const res = await post('/repos/acme/shop/check-runs', { name: 'x', head_sha: DEFAULT_SHA, conclusion: 'bogus' })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { message: string; documentation_url: string }
    expect(body.message).toMatch(/^Invalid request\./)
    expect(body.message).toContain('bogus')
    expect(body.documentation_url).toMatch(/^https:\/\/docs\.github\.com\//)
    expect(gh.requests).toEqual([])
    expect(gh.invalid).toHaveLength(1)
    expect(gh.invalid[0]).toMatchObject({ method: 'POST', path: '/repos/acme/shop/check-runs', status: 422, operationId: 'checks/create' })
    expect(gh.invalid[0]!.errors.join('\n')).toMatch(/\/conclusion must be one of/)
  })

  it('rejects a missing required field, an over-long field, a bad date-time and too many items', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'x' }, /must have required property 'head_sha'/],
      [
        { name: 'x', head_sha: 'a', output: { title: 't', summary: 's'.repeat(65536) } },
        /\/output\/summary must NOT have more than 65535 characters/,
      ],
      [{ name: 'x', head_sha: 'a', started_at: 'yesterday' }, /\/started_at must match format "date-time"/],
      [
        { name: 'x', head_sha: 'a', actions: [1, 2, 3, 4].map((i) => ({ label: `l${i}`, identifier: `i${i}`, description: 'd' })) },
        /\/actions must NOT have more than 3 items/,
      ],
      [{ name: 'x', head_sha: 'a', actions: [{ label: 'l', identifier: 'i' }] }, /must have required property 'description'/],
    ]
    for (const [body, error] of cases) {
      const res = await post('/repos/acme/shop/check-runs', body)
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422)
      await res.body?.cancel()
      expect(gh.invalid.at(-1)!.errors.join('\n')).toMatch(error)
    }
    const missing = await post('/repos/acme/shop/check-runs', { name: 'x' })
    expect(((await missing.json()) as { message: string }).message).toContain(`"head_sha" wasn't supplied.`)
    expect(gh.requests).toEqual([])
  })

  it('applies the anyOf of checks/update: completed needs a conclusion', async () => {
    const res = await fetch(`${gh.url}/repos/acme/shop/check-runs/9`, {
      method: 'PATCH',
      headers: TOKEN,
      body: JSON.stringify({ status: 'completed' }),
    })
    expect(res.status).toBe(422)
    expect(gh.invalid[0]!.errors.join('\n')).toMatch(/conclusion/)
  })

  it('accepts null where the description says nullable', async () => {
    gh.on('repos/create-deployment', (req) => ({ status: 201, body: { id: 5, ...(req.body as object) } }))
    const res = await post('/repos/acme/shop/deployments', { ref: 'main', description: null, payload: { a: 1 } })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ id: 5, ref: 'main' })
    expect(gh.invalid).toEqual([])
  })

  it('answers 404 for an unknown route or a wrong method and records it', async () => {
    const a = await fetch(`${gh.url}/repos/acme/shop/nope`, { headers: TOKEN })
    const b = await fetch(`${gh.url}/repos/acme/shop/check-runs`, { method: 'DELETE', headers: TOKEN })
    expect([a.status, b.status]).toEqual([404, 404])
    expect(await a.json()).toMatchObject({ message: 'Not Found' })
    await b.body?.cancel()
    expect(gh.invalid.map((i) => [i.method, i.path, i.status])).toEqual([
      ['GET', '/repos/acme/shop/nope', 404],
      ['DELETE', '/repos/acme/shop/check-runs', 404],
    ])
    expect(gh.invalid[1]!.errors[0]).toMatch(/route exists for POST/)
    expect(gh.requests).toEqual([])
  })

  it('answers 401 without credentials', async () => {
    const res = await post('/repos/acme/shop/check-runs', { name: 'x', head_sha: 'a' }, { 'content-type': 'application/json' })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ message: 'Requires authentication' })
    expect(gh.invalid[0]).toMatchObject({ status: 401, operationId: 'checks/create' })
    expect(gh.requests).toEqual([])
  })

  it('checks every success answer against the response schema; an off-spec reply must say so', async () => {
    const get = (path: string) => fetch(`${gh.url}${path}`, { headers: TOKEN }).then((r) => r.json())
    const ref = {
      ref: 'refs/tags/v1.0.0',
      node_id: 'REF_kwDOAAABc7Bdcm',
      url: 'https://api.github.com/repos/acme/shop/git/refs/tags/v1.0.0',
      object: { type: 'commit', sha: DEFAULT_SHA, url: `https://api.github.com/repos/acme/shop/git/commits/${DEFAULT_SHA}` },
    }
    gh.replyOnce('git/get-ref', { status: 200, body: ref })
    gh.replyOnce('git/get-ref', { status: 200, body: { ...ref, object: { sha: DEFAULT_SHA } } })
    gh.replyOnce('git/get-ref', { status: 200, body: { object: null }, offSpec: 'a ref without its object, on purpose' })
    gh.replyOnce('git/get-ref', { status: 204 })
    gh.replyOnce('git/get-ref', { status: 404, body: { message: 'Not Found' } })
    for (let i = 0; i < 5; i++) await get('/repos/acme/shop/git/ref/tags%2Fv1.0.0').catch(() => undefined)
    expect(gh.requests).toHaveLength(5)
    expect(gh.invalidResponses).toEqual([
      {
        operationId: 'git/get-ref',
        method: 'GET',
        path: '/repos/acme/shop/git/ref/tags%2Fv1.0.0',
        status: 200,
        errors: ["/object must have required property 'type'", "/object must have required property 'url'"],
      },
      expect.objectContaining({ status: 204, errors: ['GitHub documents no 204 answer for git/get-ref'] }),
    ])
    expect(gh.requests[0].params.ref).toBe('tags/v1.0.0')
  })

  it('answers 400 for a body that is not JSON', async () => {
    const res = await fetch(`${gh.url}/repos/acme/shop/check-runs`, { method: 'POST', headers: TOKEN, body: '{nope' })
    expect(res.status).toBe(400)
    await res.body?.cancel()
    expect(gh.invalid[0]).toMatchObject({ status: 400 })
  })

  it('serves queued one-shot replies first (FIFO), then handlers, then the default', async () => {
    gh.replyOnce('checks/create', { status: 503, body: { message: 'Service Unavailable' }, headers: { 'retry-after': '1' } })
    gh.replyOnce('checks/create', { status: 429, headers: { 'retry-after': '2', 'x-ratelimit-remaining': '0' } })
    const body = { name: 'x', head_sha: DEFAULT_SHA }
    const r1 = await post('/repos/acme/shop/check-runs', body)
    expect(r1.status).toBe(503)
    expect(r1.headers.get('retry-after')).toBe('1')
    expect(await r1.json()).toEqual({ message: 'Service Unavailable' })
    const r2 = await post('/repos/acme/shop/check-runs', body)
    expect([r2.status, r2.headers.get('retry-after'), r2.headers.get('x-ratelimit-remaining')]).toEqual([429, '2', '0'])
    expect(await r2.text()).toBe('')
    const r3 = await post('/repos/acme/shop/check-runs', body)
    expect(r3.status).toBe(201)
    expect(await r3.json()).toMatchObject({ id: 1 })
    expect(gh.requests.map((r) => r.operationId)).toEqual(['checks/create', 'checks/create', 'checks/create'])

    // Handlers: newest first, undefined falls through; a queued reply still wins.
    gh.on('pulls/get', (req) => ({ status: 200, body: { number: Number(req.params.pull_number), head: { sha: DEFAULT_SHA } } }))
    gh.on('pulls/get', (req) => (req.params.pull_number === '13' ? { status: 404, body: { message: 'Not Found' } } : undefined))
    gh.replyOnce('pulls/get', { status: 500, body: { message: 'boom' } })
    const get = (n: number) => fetch(`${gh.url}/repos/acme/shop/pulls/${n}`, { headers: TOKEN })
    expect((await get(1)).status).toBe(500)
    expect(await (await get(2)).json()).toMatchObject({ number: 2 })
    expect((await get(13)).status).toBe(404)

    // Operations without a handler default to 404.
    const env = await fetch(`${gh.url}/repos/acme/shop/environments/prod%20eu`, { headers: TOKEN })
    expect(env.status).toBe(404)
    expect(gh.requests.at(-1)).toMatchObject({ operationId: 'repos/get-environment', params: { environment_name: 'prod eu' } })
    expect(gh.invalid).toEqual([])
  })

  it('refuses to register a reply for an operation the fixture does not know', () => {
    expect(() => gh.replyOnce('repos/delete', { status: 204 })).toThrow(/unknown operationId/)
  })

  it('works end to end with runAction: a script calls the API given as GITHUB_API_URL', async () => {
    const file = await script(
      'api.mjs',
      `import { appendFileSync } from 'node:fs'
const [owner, repo] = process.env.GITHUB_REPOSITORY.split('/')
const res = await fetch(process.env.GITHUB_API_URL + '/repos/' + owner + '/' + repo + '/check-runs', {
  method: 'POST',
  headers: { authorization: 'token ' + process.env.INPUT_TOKEN, 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'gates', head_sha: process.env.GITHUB_SHA, status: 'in_progress' }),
})
const run = await res.json()
appendFileSync(process.env.GITHUB_OUTPUT, 'status=' + res.status + '\\ncheck-run-id=' + run.id + '\\n')`,
    )
    const run = await runAction('self-test', { script: file, apiUrl: gh.url, inputs: { token: 'ghs_x' } })
    expect(run.stderr).toBe('')
    expect(run.outputs).toEqual({ status: '201', 'check-run-id': '1' })
    expect(gh.requests).toHaveLength(1)
    expect(gh.requests[0]).toMatchObject({
      operationId: 'checks/create',
      body: { name: 'gates', head_sha: DEFAULT_SHA, status: 'in_progress' },
    })
  })
})
