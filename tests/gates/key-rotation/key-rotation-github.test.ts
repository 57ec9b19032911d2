// key-rotation over GitHub Actions secrets, against the fake GitHub API (requests checked against
// GitHub's OpenAPI description), answering and refusing.
import { createServer } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { defaultContext, runGate, type GitHubPort } from '../../../src/core/gate.js'
import { keyRotation } from '../../../src/gates/key-rotation/gate.js'
import { createClient } from '../../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from '../../harness/fake-github.js'
import { DAY, iso, nowToSecond } from './pki.js'

const NOW = nowToSecond()
const at = (days: number) => new Date(NOW.getTime() + days * DAY)
const TOKEN = 'github_pat_11AAAAAAA0123456789_abcdefghijklmnopqrstuvwxyz'

let fake: FakeGitHub

beforeAll(async () => {
  fake = await startFakeGitHub()
})
afterAll(async () => {
  await fake.close()
})
afterEach(() => {
  vi.unstubAllEnvs()
  fake.requests.length = 0
})

/** createClient reads GITHUB_API_URL when it builds the Octokit: point it at the fake for that moment. */
function port(): GitHubPort {
  vi.stubEnv('GITHUB_API_URL', fake.url)
  const octokit = createClient(TOKEN, { retries: 0 })
  vi.unstubAllEnvs()
  return { octokit, owner: 'acme', repo: 'shop' }
}

async function gate(inputs: Record<string, string>, github: GitHubPort | null = port()) {
  const lines: string[] = []
  const ctx = defaultContext({ log: (l) => lines.push(l), now: () => NOW, ...(github ? { github } : {}) })
  const result = await runGate(keyRotation, inputs, ctx, { id: 'secrets' })
  return { result, lines }
}

const secret = (name: string, updatedDaysAgo: number) => ({ name, created_at: iso(at(-400)), updated_at: iso(at(-updatedDaysAgo)) })

/** Two pages, linked the way GitHub links them. */
function paged(pages: ReturnType<typeof secret>[][], total: number) {
  return (req: RecordedRequest) => {
    const page = Number(req.query.page ?? '1')
    const next = page < pages.length ? `<${fake.url}${req.path}?per_page=${req.query.per_page}&page=${page + 1}>; rel="next"` : undefined
    return { status: 200, body: { total_count: total, secrets: pages[page - 1] ?? [] }, ...(next ? { headers: { link: next } } : {}) }
  }
}

describe('key-rotation: GitHub secrets', () => {
  it('lists every page of repository secrets and judges updated_at against max-secret-age', async () => {
    fake.on('actions/list-repo-secrets', paged([[secret('FRESH_KEY', 10), secret('AGING_KEY', 75)], [secret('STALE_KEY', 88)]], 3))
    const { result, lines } = await gate({ 'github-secrets': 'repository' })
    expect(fake.invalid).toEqual([])
    const calls = fake.requests.filter((r) => r.operationId === 'actions/list-repo-secrets')
    expect(calls.map((r) => [r.params.owner, r.params.repo, r.query.per_page, r.query.page ?? '1'])).toEqual([
      ['acme', 'shop', '100', '1'],
      ['acme', 'shop', '100', '2'],
    ])
    expect(result.status).toBe('fail')
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([
      ['GitHub repository: STALE_KEY', 'fail'],
      ['GitHub repository: AGING_KEY', 'warn'],
      ['GitHub repository: FRESH_KEY', 'pass'],
    ])
    const stale = result.checks[0]
    expect(stale.observed).toBe(`expires ${iso(at(2))} (2.0 days left)`)
    expect(stale.message).toContain(`Secret STALE_KEY of repository acme/shop, last updated ${iso(at(-88))} with max-secret-age 90d,`)
    expect(stale.message).toContain('gh secret set STALE_KEY')
    expect(stale.location).toEqual({ url: 'https://github.com/acme/shop/settings/secrets/actions' })
    expect(lines).toContain('GitHub repository secrets: 3')
    expect(JSON.stringify(result)).not.toContain(TOKEN)
  })

  it('max-secret-age and as-of move the verdict', async () => {
    fake.on('actions/list-repo-secrets', paged([[secret('ONLY_KEY', 50)]], 1))
    expect((await gate({ 'github-secrets': 'repository' })).result.status).toBe('pass')
    expect((await gate({ 'github-secrets': 'repository', 'max-secret-age': '60d' })).result.status).toBe('warn')
    const later = await gate({ 'github-secrets': 'repository', 'as-of': iso(at(38)) })
    expect(later.result.status).toBe('fail')
    expect(later.result.checks[0].observed).toBe(`expires ${iso(at(40))} (2.0 days left)`)
  })

  it('reads environment secrets of the named environment', async () => {
    fake.on('actions/list-environment-secrets', (req) =>
      req.params.environment_name === 'production'
        ? { status: 200, body: { total_count: 1, secrets: [secret('DB_PASSWORD', 100)] } }
        : undefined,
    )
    const { result } = await gate({ 'github-secrets': 'environment:production' })
    expect(fake.invalid).toEqual([])
    expect(result.checks).toHaveLength(1)
    expect(result.checks[0].name).toBe('GitHub environment production: DB_PASSWORD')
    expect(result.checks[0].status).toBe('fail')
    expect(result.checks[0].observed).toBe(`expired ${iso(at(-10))} (10.0 days ago)`)
    expect(result.checks[0].message).toContain('gh secret set DB_PASSWORD --env "production"')
  })

  it('a refusal (403) is a fail naming the token and permission needed, not a crash', async () => {
    fake.replyOnce('actions/list-repo-secrets', {
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/actions/secrets#list-repository-secrets',
        status: '403',
      },
      headers: { 'x-accepted-github-permissions': 'secrets=read' },
    })
    const { result, lines } = await gate({ 'github-secrets': 'repository' })
    expect(result.status).toBe('fail')
    expect(result.inputError).toBe(false)
    expect(result.checks).toHaveLength(1)
    const c = result.checks[0]
    expect(c.name).toBe('GitHub repository secrets')
    expect(c.observed).toBe('refused (HTTP 403)')
    expect(c.message).toContain(
      'GitHub refused to list the repository secrets of acme/shop (HTTP 403: Resource not accessible by integration).',
    )
    expect(c.message).toContain('The default GITHUB_TOKEN cannot list secrets')
    expect(c.message).toContain(
      "fine-grained personal access token or a GitHub App token with the repository permission 'Secrets: read' on acme/shop",
    )
    expect(c.message).toContain('(GitHub asks for: secrets=read)')
    expect(lines).toContain('GitHub repository secrets: HTTP 403')
    expect(JSON.stringify(result)).not.toContain(TOKEN)
  })

  it('a 404 for an environment says it may not exist, and other sources still count', async () => {
    fake.replyOnce('actions/list-environment-secrets', { status: 404, body: { message: 'Not Found', status: '404' } })
    fake.on('actions/list-repo-secrets', paged([[secret('OK_KEY', 1)]], 1))
    const { result } = await gate({ 'github-secrets': 'repository\nenvironment:prod-eu' })
    expect(result.status).toBe('fail')
    const refused = result.checks.find((c) => c.name === 'GitHub environment prod-eu secrets')
    expect(refused?.message).toContain('the environment "prod-eu" does not exist, or the token may not read it')
    expect(refused?.message).toContain("'Environments: read' (or 'Secrets: read')")
    expect(result.checks.find((c) => c.name === 'GitHub repository: OK_KEY')?.status).toBe('pass')
  })

  it('a rejected token (401) says to check github-token', async () => {
    fake.replyOnce('actions/list-repo-secrets', { status: 401, body: { message: 'Bad credentials', status: '401' } })
    const { result } = await gate({ 'github-secrets': 'repository' })
    expect(result.checks[0].message).toContain('GitHub rejected the token (HTTP 401: Bad credentials)')
  })

  it('no secrets at all is a fail: nothing was measured', async () => {
    fake.replyOnce('actions/list-repo-secrets', { status: 200, body: { total_count: 0, secrets: [] } })
    const { result } = await gate({ 'github-secrets': 'repository' })
    expect(result.status).toBe('fail')
    expect(result.checks[0].observed).toBe('0 secrets')
  })

  it('without a GitHub port, the source fails naming the token needed', async () => {
    const { result } = await gate({ 'github-secrets': 'repository' }, null)
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toContain("'Secrets: read'")
    expect(result.checks[0].message).toContain('the default GITHUB_TOKEN cannot list secrets')
  })

  it('a page 2 that answers 409 is no shorter list: the stale secret on it is not silently dropped', async () => {
    // Octokit's own paginator ends quietly on a 409, as if page 1 were the whole list.
    const two = paged([[secret('FRESH_KEY', 10)], [secret('STALE_KEY', 120)]], 2)
    fake.on('actions/list-repo-secrets', (req) =>
      req.query.page === '2' ? { status: 409, body: { message: 'Conflict', status: '409' } } : two(req),
    )
    const { result } = await gate({ 'github-secrets': 'repository' })
    expect(result.status).toBe('fail')
    expect(result.checks.map((c) => c.name)).toEqual(['GitHub repository secrets'])
    expect(result.checks[0].message).toContain('GitHub answered HTTP 409 (Conflict) when listing the repository secrets of acme/shop')
  })

  it('pages that link back to themselves fail, saying the list is not complete', async () => {
    fake.on('actions/list-environment-secrets', (req) => ({
      status: 200,
      body: { total_count: 2, secrets: [secret('DB_PASSWORD', 1)] },
      headers: { link: `<${fake.url}${req.path}?per_page=100>; rel="next"` },
    }))
    const { result } = await gate({ 'github-secrets': 'environment:production' })
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toBe(
      'Could not list the secrets of environment "production" in acme/shop: GitHub\'s pages of GET /repos/{owner}/{repo}/environments/{environment_name}/secrets did not end (a page links back to one already read), so the list is not complete. Run the gate again.',
    )
  })

  it('an unreachable API is a fail with the cause', async () => {
    const probe = createServer()
    const closed = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)))
    await new Promise<void>((r) => probe.close(() => r()))
    vi.stubEnv('GITHUB_API_URL', `http://127.0.0.1:${closed}`)
    const octokit = createClient(TOKEN, { retries: 0 })
    vi.unstubAllEnvs()
    const { result } = await gate({ 'github-secrets': 'repository' }, { octokit, owner: 'acme', repo: 'shop' })
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toContain(
      'The GitHub API could not be reached to list the repository secrets of acme/shop: connect ECONNREFUSED',
    )
  })
})
