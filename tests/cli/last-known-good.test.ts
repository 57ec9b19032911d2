// `cutover last-known-good` against the fake GitHub (every request and answer validated against
// GitHub's OpenAPI description): the record job's deployment and its success status, the payload
// read back through the deployments and statuses endpoints, pages followed by their Link header.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { lastKnownGoodCommand } from '../../src/cli/last-known-good.js'
import { createClient } from '../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from '../harness/fake-github.js'
import { user } from '../support/github-shapes.js'

const OWNER = 'acme'
const REPO = 'shop'
const API = 'https://api.github.com'
const OLD = 'a'.repeat(40)
const NEW = 'b'.repeat(40)
const DIGEST = 'sha256:' + 'c'.repeat(64)
const NOW = new Date('2026-03-14T10:00:00.000Z')

const sha256sum = (f: string) => execFileSync('sha256sum', [f], { encoding: 'utf8' }).split(' ')[0]

let gh: FakeGitHub
let dir: string

beforeAll(async () => {
  gh = await startFakeGitHub()
})
afterAll(() => gh.close())

interface Dep {
  id: number
  sha: string
  environment: string
  payload: Record<string, unknown> | string
  created_at: string
  statuses: string[]
}
let deployments: Dep[]
let nextId: number
let perPage: number | undefined

function deployment(d: Dep) {
  const url = `${API}/repos/${OWNER}/${REPO}/deployments/${d.id}`
  return {
    url,
    id: d.id,
    node_id: `MDEwOkRlcGxveW1lbnQ${d.id}`,
    sha: d.sha,
    ref: d.sha,
    task: 'deploy',
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: 'cutover: last known good',
    creator: user('github-actions[bot]', 41898282, 'Bot'),
    created_at: d.created_at,
    updated_at: d.created_at,
    statuses_url: `${url}/statuses`,
    repository_url: `${API}/repos/${OWNER}/${REPO}`,
  }
}

function status(d: Dep, state: string, i: number) {
  const url = `${API}/repos/${OWNER}/${REPO}/deployments/${d.id}/statuses/${d.id * 100 + i}`
  return {
    url,
    id: d.id * 100 + i,
    node_id: `MDE2OkRlcGxveW1lbnRTdGF0dXM${d.id * 100 + i}`,
    state,
    creator: user('github-actions[bot]', 41898282, 'Bot'),
    description: state,
    environment: d.environment,
    target_url: `https://github.com/${OWNER}/${REPO}/actions/runs/9001`,
    created_at: d.created_at,
    updated_at: d.created_at,
    deployment_url: `${API}/repos/${OWNER}/${REPO}/deployments/${d.id}`,
    repository_url: `${API}/repos/${OWNER}/${REPO}`,
  }
}

/** GitHub's deployments: newest first, filtered by environment, `per_page` at a time with a Link to the next page. */
function serve() {
  gh.on('repos/list-deployments', (req: RecordedRequest) => {
    const size = perPage ?? Number(req.query.per_page ?? 30)
    const page = Number(req.query.page ?? 1)
    const all = deployments.filter((d) => !req.query.environment || d.environment === req.query.environment).reverse()
    const slice = all.slice((page - 1) * size, page * size)
    const more = page * size < all.length
    const next = `${gh.url}/repos/${OWNER}/${REPO}/deployments?environment=${req.query.environment}&per_page=${size}&page=${page + 1}`
    return { status: 200, body: slice.map(deployment), headers: (more ? { link: `<${next}>; rel="next"` } : {}) as Record<string, string> }
  })
  gh.on('repos/list-deployment-statuses', (req: RecordedRequest) => {
    const d = deployments.find((x) => x.id === Number(req.params.deployment_id))
    if (!d) return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } }
    const newestFirst = d.statuses.map((s, i) => status(d, s, i)).reverse()
    return { status: 200, body: newestFirst.slice(0, Number(req.query.per_page ?? 30)) }
  })
  gh.on('repos/create-deployment', (req: RecordedRequest) => {
    const b = req.body as { ref: string; environment: string; payload: Record<string, unknown> }
    const d: Dep = { id: nextId++, sha: b.ref, environment: b.environment, payload: b.payload, created_at: NOW.toISOString(), statuses: [] }
    deployments.push(d)
    return { status: 201, body: deployment(d) }
  })
  gh.on('repos/create-deployment-status', (req: RecordedRequest) => {
    const d = deployments.find((x) => x.id === Number(req.params.deployment_id))
    if (!d) return undefined
    const state = (req.body as { state: string }).state
    // GitHub marks the environment's earlier successful deployments inactive.
    if (state === 'success')
      for (const o of deployments)
        if (o !== d && o.environment === d.environment && o.statuses.at(-1) === 'success') o.statuses.push('inactive')
    d.statuses.push(state)
    return { status: 201, body: status(d, state, d.statuses.length - 1) }
  })
}

function lkg(git_sha: string, rollback_sha: string | null = null): Record<string, unknown> {
  return {
    git_sha,
    config_hash: { 'cutover.yml': 'd'.repeat(64) },
    rollback_sha,
    deployed_by: 'release-captain',
    evidence_digest: DIGEST,
    recorded_at: NOW.toISOString(),
  }
}

async function run(args: string[]) {
  let out = ''
  let err = ''
  const code = await lastKnownGoodCommand(args, {
    env: { GITHUB_REPOSITORY: `${OWNER}/${REPO}`, GITHUB_TOKEN: 'test-token', GITHUB_ACTOR: 'release-captain' },
    out: (s) => (out += s),
    err: (s) => (err += s),
    now: () => NOW,
    github: createClient('test-token', { retries: 0 }, gh.url),
  })
  return { code, out, err }
}

beforeEach(() => {
  deployments = []
  nextId = 1
  perPage = undefined
  gh.requests.length = 0
  gh.invalid.length = 0
  gh.invalidResponses.length = 0
  serve()
  dir = mkdtempSync(path.join(tmpdir(), 'lkg-'))
  writeFileSync(path.join(dir, 'cutover.yml'), 'version: 1\n')
  writeFileSync(path.join(dir, '.env.production'), 'WRITES=on\n')
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
  // Nothing was sent or answered that GitHub would not send or accept.
  expect(gh.invalid.map((x) => `${x.status} ${x.method} ${x.path}: ${x.errors.join('; ')}`)).toEqual([])
  expect(gh.invalidResponses.map((x) => `${x.operationId}: ${x.errors.join('; ')}`)).toEqual([])
})

describe('cutover last-known-good record', () => {
  it("writes the seed's fields, with the previous success as the rollback target, and reads them back", async () => {
    deployments.push({
      id: nextId++,
      sha: OLD,
      environment: 'production',
      payload: lkg(OLD),
      created_at: '2026-03-01T10:00:00Z',
      statuses: ['success'],
    })
    const rec = await run([
      'record',
      '--environment',
      'production',
      '--sha',
      NEW,
      '--evidence-digest',
      DIGEST,
      '--config',
      path.join(dir, 'cutover.yml'),
      '--env-config',
      path.join(dir, '.env.production'),
      '--migrations-version',
      '025f_acl_fix',
    ])
    expect(rec.err).toBe('')
    expect(rec.code).toBe(0)
    const created = gh.requests.find((r) => r.operationId === 'repos/create-deployment')
    expect(created?.body).toMatchObject({ ref: NEW, environment: 'production', auto_merge: false, required_contexts: [] })
    expect((created?.body as { payload: unknown }).payload).toEqual({
      git_sha: NEW,
      config_hash: {
        'cutover.yml': sha256sum(path.join(dir, 'cutover.yml')),
        '.env.production': sha256sum(path.join(dir, '.env.production')),
      },
      rollback_sha: OLD,
      deployed_by: 'release-captain',
      evidence_digest: DIGEST,
      migrations_version: '025f_acl_fix',
      recorded_at: NOW.toISOString(),
    })
    expect(gh.requests.find((r) => r.operationId === 'repos/create-deployment-status')?.body).toMatchObject({ state: 'success' })

    const read = await run(['--environment', 'production', '--json'])
    expect(read.code).toBe(0)
    expect(JSON.parse(read.out)).toMatchObject({ git_sha: NEW, rollback_sha: OLD, migrations_version: '025f_acl_fix', deployment_id: 2 })
    expect((await run(['--environment', 'production', '--field', 'git_sha'])).out).toBe(`${NEW}\n`)
  })

  it('the first cutover of an environment records no rollback target (null), and says so', async () => {
    const rec = await run(['record', '--environment', 'staging', '--sha', NEW, '--evidence-digest', DIGEST])
    expect(rec.code).toBe(0)
    expect(rec.out).toMatch(/rollback target none \(the first one recorded\)/)
    expect((await run(['--environment', 'staging', '--json'])).out).toMatch(/"rollback_sha": null/)
  })

  it.each([
    [['--sha', 'abc123'], /--sha must be the full commit SHA/],
    [['--sha', NEW, '--evidence-digest', ''], /--evidence-digest must be `sha256:`/],
    [['--sha', NEW, '--evidence-digest', DIGEST, '--migrations-version', ''], /--migrations-version is empty/],
    [
      ['--sha', NEW, '--evidence-digest', DIGEST, '--config', '/nonexistent/cutover.yml'],
      /the config file \/nonexistent\/cutover\.yml cannot be read/,
    ],
  ])('refuses %j before anything is written', async (extra, message) => {
    const r = await run(['record', '--environment', 'production', ...(extra as string[])])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message as RegExp)
    expect(gh.requests.filter((x) => x.operationId === 'repos/create-deployment')).toEqual([])
  })
})

describe('cutover last-known-good', () => {
  it('follows the pages to the newest success, past newer failed and other environments', async () => {
    deployments.push({
      id: nextId++,
      sha: OLD,
      environment: 'production',
      payload: lkg(OLD),
      created_at: '2026-03-01T10:00:00Z',
      statuses: ['success'],
    })
    for (let i = 0; i < 5; i++)
      deployments.push({
        id: nextId++,
        sha: NEW,
        environment: 'production',
        payload: lkg(NEW, OLD),
        created_at: '2026-03-02T10:00:00Z',
        statuses: ['pending', 'failure'],
      })
    deployments.push({
      id: nextId++,
      sha: NEW,
      environment: 'staging',
      payload: lkg(NEW, OLD),
      created_at: '2026-03-03T10:00:00Z',
      statuses: ['success'],
    })
    perPage = 2
    const r = await run(['--environment', 'production', '--field', 'git_sha'])
    expect(r.err).toBe('')
    expect(r.out).toBe(`${OLD}\n`)
    const listed = gh.requests.filter((x) => x.operationId === 'repos/list-deployments')
    expect(listed.map((x) => x.query.page ?? '1')).toEqual(['1', '2', '3'])
    expect(listed.every((x) => x.query.environment === 'production')).toBe(true)
  })

  it('an environment that never succeeded has no last known good: exit 2, saying so', async () => {
    deployments.push({
      id: nextId++,
      sha: NEW,
      environment: 'production',
      payload: lkg(NEW),
      created_at: '2026-03-02T10:00:00Z',
      statuses: ['failure'],
    })
    const r = await run(['--environment', 'production'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/production has no successful deployment in acme\/shop/)
  })

  it('a newest success that is not a cutover record is refused, not skipped for an older one', async () => {
    deployments.push({
      id: nextId++,
      sha: OLD,
      environment: 'production',
      payload: lkg(OLD),
      created_at: '2026-03-01T10:00:00Z',
      statuses: ['success'],
    })
    deployments.push({
      id: nextId++,
      sha: NEW,
      environment: 'production',
      payload: {},
      created_at: '2026-03-02T10:00:00Z',
      statuses: ['success'],
    })
    const r = await run(['--environment', 'production'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(
      /the newest successful deployment to production \(id 2, commit bbbbbbbbbbbb\) is not a last-known-good record: its `git_sha` is not a full commit SHA/,
    )
  })

  it('an API refusal is a sentence naming the permission, never a stack trace', async () => {
    gh.replyOnce('repos/list-deployments', {
      status: 403,
      body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' },
    })
    const r = await run(['--environment', 'production'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/Could not read the deployments of acme\/shop: GitHub answered HTTP 403 .*`deployments: read`/)
    expect(r.err).not.toMatch(/\n\s+at /)
  })

  it('a field that is not there, and a missing environment, are refused', async () => {
    deployments.push({
      id: nextId++,
      sha: OLD,
      environment: 'production',
      payload: lkg(OLD),
      created_at: '2026-03-01T10:00:00Z',
      statuses: ['success'],
    })
    expect((await run(['--environment', 'production', '--field', 'rollback_sha'])).err).toMatch(
      /has no "rollback_sha" field to print \(it is null\)/,
    )
    expect((await run(['--environment', ' '])).err).toMatch(/name the environment/)
  })
})
