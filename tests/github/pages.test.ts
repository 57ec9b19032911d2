// Every list the gates read from GitHub goes through src/github/pages.ts, and each has a test
// whose decisive item is on page 2 of a `Link`-paged answer (issue 18). A new gate that reads a
// list with a bare `request(` (one page, silently), or without a page-2 test, fails here.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { keyRotation } from '../../src/gates/key-rotation/gate.js'
import { createClient } from '../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from '../harness/fake-github.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const fixture = JSON.parse(readFileSync(path.join(ROOT, 'tests/fixtures/github-openapi.json'), 'utf8')) as {
  operations: Record<
    string,
    { method: string; path: string; queryParams: { name: string }[]; responses: Record<string, { type?: string }> }
  >
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  )
}
const files = sources(path.join(ROOT, 'src')).map((f) => ({ file: path.relative(ROOT, f), text: readFileSync(f, 'utf8') }))

/** A GitHub operation that answers with pages: it takes page/per_page/after, or answers an array. */
function isList(route: string): boolean {
  const [method, p] = route.split(' ')
  const op = Object.values(fixture.operations).find((o) => o.method === method && o.path === p)
  if (!op)
    throw new Error(
      `${route} is not in tests/fixtures/github-openapi.json: add it (scripts/extract-openapi.mjs) so the fake GitHub answers it`,
    )
  return (
    op.queryParams.some((q) => ['page', 'per_page', 'after'].includes(q.name)) ||
    Object.values(op.responses).some((s) => s.type === 'array')
  )
}

/**
 * Each list route the gates read, and the test that puts its decisive item on page 2.
 * A list added to a gate must be added here with its test.
 */
const PAGE_TWO_TESTS: Record<string, [file: string, test: string]> = {
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals': [
    'tests/gates/approval-guard/approval-guard.test.ts',
    'reads the approval on page 2 of the run’s reviews',
  ],
  'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies': [
    'tests/gates/approval-guard/approval-guard.test.ts',
    'reads the deployment branch pattern on page 2',
  ],
  'GET /repos/{owner}/{repo}/actions/secrets': [
    'tests/gates/key-rotation/key-rotation-github.test.ts',
    'lists every page of repository secrets and judges updated_at against max-secret-age',
  ],
  'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets': [
    'tests/github/pages.test.ts',
    'environment secrets: the stale one on page 2 fails the gate',
  ],
  'GET /repos/{owner}/{repo}/code-scanning/alerts': [
    'tests/gates/security-alerts/security-alerts.test.ts',
    'reads every page: the decisive alert of each feature on page 2',
  ],
  'GET /repos/{owner}/{repo}/dependabot/alerts': [
    'tests/gates/security-alerts/security-alerts.test.ts',
    'reads every page: the decisive alert of each feature on page 2',
  ],
  'GET /repos/{owner}/{repo}/secret-scanning/alerts': [
    'tests/gates/security-alerts/security-alerts.test.ts',
    'reads every page: the decisive alert of each feature on page 2',
  ],
  'GET /repos/{owner}/{repo}/compare/{basehead}': [
    'tests/gates/release-freeze/release-freeze.test.ts',
    'reads every page: the offending commit on page 2 of the comparison',
  ],
  'GET /repos/{owner}/{repo}/commits': [
    'tests/gates/release-freeze/release-freeze.test.ts',
    'a freeze point given as an instant lists the commits dated after it, every page',
  ],
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews': [
    'tests/gates/release-freeze/release-freeze.test.ts',
    'reads every page of reviews: the approval on page 2',
  ],
  'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls': [
    'tests/gates/release-freeze/release-freeze.test.ts',
    'reads every page of a commit’s pull requests: the merged one on page 2',
  ],
  'GET /repos/{owner}/{repo}/deployments': [
    'tests/cli/last-known-good.test.ts',
    'follows the pages to the newest success, past newer failed and other environments',
  ],
  'GET /repos/{owner}/{repo}/rules/branches/{branch}': [
    'tests/gates/release-freeze/release-freeze.test.ts',
    'reads the rules on every page: the one that blocks deletion is on page 2',
  ],
}

/**
 * Lists read for their first item only, on purpose: no later page can change the answer. Each
 * names why; a route here is neither a bare-request offence nor owed a page-2 test.
 */
const FIRST_ITEM_ONLY: Record<string, string> = {
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses':
    "GitHub lists a deployment's statuses newest first, and only the newest says whether it is live (last-known-good)",
}

const ROUTE = /'((?:GET|POST|PATCH|PUT|DELETE) \/[^']+)'/g
const routes = files.flatMap(({ file, text }) => [...text.matchAll(ROUTE)].map((m) => ({ file, route: m[1] })))

describe('every list through src/github/pages.ts', () => {
  it('the source names GitHub routes (the scan finds what it looks for)', () => {
    expect(routes.length).toBeGreaterThan(10)
  })

  it('no list route is read with a bare request(), and none with Octokit’s own paginator', () => {
    const bare = files.flatMap(({ file, text }) =>
      [...text.matchAll(/\.request\(\s*'(GET \/[^']+)'/g)]
        .filter((m) => isList(m[1]) && !(m[1] in FIRST_ITEM_ONLY))
        .map((m) => `${file}: ${m[1]}`),
    )
    expect(bare).toEqual([])
    const paginate = files.filter(({ text }) => /\.paginate\b/.test(text)).map(({ file }) => file)
    expect(paginate).toEqual([])
    // Lists through octokit.rest.* would skip pages.ts too; only check runs are written that way.
    const rest = files.flatMap(({ file, text }) => [...text.matchAll(/\.rest\.(\w+)\.(\w+)\(/g)].map((m) => `${file}: ${m[1]}.${m[2]}`))
    expect(rest.every((r) => /: checks\.(create|update)$/.test(r))).toBe(true)
  })

  it('every list route the gates read has a page-2 test, and that test exists', () => {
    const lists = [
      ...new Set(routes.filter((r) => r.route.startsWith('GET ') && isList(r.route) && !(r.route in FIRST_ITEM_ONLY)).map((r) => r.route)),
    ].sort()
    expect(lists).toEqual(Object.keys(PAGE_TWO_TESTS).sort())
    for (const [route, [file, name]] of Object.entries(PAGE_TWO_TESTS)) {
      const text = readFileSync(path.join(ROOT, file), 'utf8')
      expect(text.includes(`'${name}'`), `${route}: no test '${name}' in ${file}`).toBe(true)
    }
  })
})

describe('environment secrets, every page', () => {
  let fake: FakeGitHub
  beforeAll(async () => {
    fake = await startFakeGitHub()
  })
  afterAll(() => fake.close())

  const NOW = new Date('2026-03-02T12:00:00Z')
  const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const secret = (name: string, updated: number) => ({ name, created_at: daysAgo(400), updated_at: daysAgo(updated) })

  it('environment secrets: the stale one on page 2 fails the gate', async () => {
    const pages = [[secret('FRESH_KEY', 3)], [secret('STALE_KEY', 120)]]
    fake.on('actions/list-environment-secrets', (req: RecordedRequest) => {
      const page = Number(req.query.page ?? '1')
      const next = page < pages.length ? `<${fake.url}${req.path}?per_page=${req.query.per_page}&page=${page + 1}>; rel="next"` : undefined
      return { status: 200, body: { total_count: 2, secrets: pages[page - 1] ?? [] }, ...(next ? { headers: { link: next } } : {}) }
    })
    vi.stubEnv('GITHUB_API_URL', fake.url)
    const octokit = createClient('t0ken', { retries: 0 })
    vi.unstubAllEnvs()
    const ctx = defaultContext({ log: () => {}, now: () => NOW, github: { octokit, owner: 'acme', repo: 'shop' } })
    const r = await runGate(keyRotation, { 'github-secrets': 'environment:production' }, ctx, { id: 'secrets' })
    expect(fake.invalid).toEqual([])
    expect(fake.invalidResponses).toEqual([])
    const calls = fake.requests.filter((q) => q.operationId === 'actions/list-environment-secrets')
    expect(calls.map((q) => [q.params.environment_name, q.query.page ?? '1'])).toEqual([
      ['production', '1'],
      ['production', '2'],
    ])
    expect(r.status).toBe('fail')
    const stale = r.checks.find((c) => c.name.endsWith('STALE_KEY'))
    expect(stale, JSON.stringify(r.checks.map((c) => c.name))).toMatchObject({ status: 'fail' })
  })
})
