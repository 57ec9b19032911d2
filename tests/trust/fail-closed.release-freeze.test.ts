// Fail-closed table for release-freeze: every way it can fail to read what it judges, against the
// fake GitHub (requests and answers checked against GitHub's OpenAPI description; an answer made
// broken on purpose says so with `offSpec`). Each is a `fail` with a sentence: a refusal, a read-only
// token, an unreadable answer, a list that never ends are never a pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GitHubPort } from '../../src/core/gate.js'
import { releaseFreeze } from '../../src/gates/release-freeze/gate.js'
import { createClient } from '../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub, type FakeReply } from '../harness/fake-github.js'
import { BRANCH, SHA, frozenRepo, serveRepo, type RepoState } from '../gates/release-freeze/fake-repo.js'
import * as gh from '../support/github-shapes.js'

let fake: FakeGitHub
beforeAll(async () => {
  fake = await startFakeGitHub()
})
afterAll(async () => {
  await fake.close()
})

const http = (status: number, message: string, headers?: Record<string, string>): FakeReply => ({
  status,
  body: gh.apiError(status, message),
  ...(headers ? { headers } : {}),
})
const forbidden = http(403, 'Resource not accessible by integration')
const offSpec = (body: unknown, why: string): FakeReply => ({ status: 200, body, offSpec: why })
const RC1 = 'b'.repeat(40)
const FIX = '1'.repeat(40)
const FREEZE = { since: 'v1.4.0-rc.1', approvers: 'ic-alice' }
const compareWith = (reply: FakeReply | { status?: gh.CompareStatus; commits: string[] }): RepoState['compare'] => ({
  [`${SHA}...${BRANCH}`]: { status: 'identical', commits: [] },
  [`${RC1}...${BRANCH}`]: reply,
})

interface Case {
  what: string
  state?: Partial<RepoState>
  inputs?: Record<string, string>
  github?: 'none' | 'unreachable' | Partial<GitHubPort>
  env?: Record<string, string>
  check: string
  message: RegExp
}

const cases: Case[] = [
  // Protection
  {
    what: 'the rules cannot be read (403, a read-only token)',
    state: { rules: forbidden },
    check: 'force pushes',
    message: /^Could not read the rules of branch release\/1\.4 of acme\/shop: GitHub answered HTTP 403/,
  },
  {
    what: 'the rules API answers 500',
    state: { rules: http(500, 'Server Error') },
    check: 'deletion',
    message: /GitHub answered HTTP 500 \(Server Error\)/,
  },
  {
    what: 'rules that are not a list',
    state: { rules: offSpec({ rules: [] }, 'an object instead of the list of rules') },
    check: 'reviews',
    message: /^GitHub answered the rules of branch release\/1\.4 of acme\/shop with something that is not a list of rules/,
  },
  {
    what: 'classic protection refused to a fork token (403) while rulesets prove nothing',
    state: { rules: [], classic: forbidden },
    check: 'reviews',
    message: /could not be read to prove it either\. Could not read the classic branch protection .* HTTP 403 .*"Administration: read"/,
  },
  {
    what: 'classic protection 404 that is not "Branch not protected" (a token that may not see it)',
    state: { rules: [], classic: http(404, 'Not Found') },
    check: 'force pushes',
    message:
      /classic protection could not be read to prove it either\. Could not read the classic branch protection .* HTTP 404 \(Not Found\)/,
  },
  {
    what: 'classic protection answered with HTML (502)',
    state: { rules: [], classic: { status: 502, body: '<html>Bad gateway</html>' } },
    check: 'deletion',
    message: /GitHub answered HTTP 502/,
  },
  {
    what: 'classic protection that is not an object',
    state: { rules: [], classic: offSpec(['enabled'], 'a list instead of a protection') },
    check: 'deletion',
    message: /with something that is not a protection/,
  },
  {
    what: 'the API does not answer at all',
    github: 'unreachable',
    check: 'force pushes',
    message: /the GitHub API did not answer .*Check GITHUB_API_URL/,
  },
  {
    what: 'no token or repository',
    github: 'none',
    check: 'github',
    message: /^Could not check the release freeze: the gate needs a token/,
  },
  {
    what: 'no branch given and the run is for a tag',
    inputs: { branch: '' },
    env: { GITHUB_REF: 'refs/tags/v1.4.0' },
    check: 'branch',
    message: /^Could not tell which branch is frozen/,
  },
  // The RC tag
  {
    what: 'the tag does not exist',
    inputs: { tag: 'v1.4.0-rc.9' },
    check: 'tag',
    message: /^Tag v1\.4\.0-rc\.9 does not exist in acme\/shop/,
  },
  {
    what: 'the tag cannot be read (403)',
    state: { tags: { 'v1.4.0-rc.2': forbidden } },
    inputs: { tag: 'v1.4.0-rc.2' },
    check: 'tag',
    message: /^Could not read tag v1\.4\.0-rc\.2 of acme\/shop: GitHub answered HTTP 403 .*"Contents: read"/,
  },
  {
    what: 'a ref answer for another ref',
    state: { tags: { 'v1.4.0-rc.2': { status: 200, body: gh.gitRef('v1.4.0-rc.1', SHA) } } },
    inputs: { tag: 'v1.4.0-rc.2' },
    check: 'tag',
    message: /with something that is not that tag's ref/,
  },
  {
    what: 'a ref whose object has no SHA',
    state: { tags: { 'v1.4.0-rc.2': offSpec({ ref: 'refs/tags/v1.4.0-rc.2', object: {} }, 'a ref without its object') } },
    inputs: { tag: 'v1.4.0-rc.2' },
    check: 'tag',
    message: /with something that is not that tag's ref/,
  },
  { what: 'no commit under test', github: { sha: undefined }, inputs: { tag: 'v1.4.0-rc.2' }, check: 'tag', message: /no commit is known/ },
  // The freeze
  {
    what: 'the freeze tag does not exist',
    inputs: { since: 'v1.3.9' },
    check: 'freeze',
    message: /^Tag v1\.3\.9 does not exist in acme\/shop/,
  },
  {
    what: 'the comparison is refused (403)',
    state: { compare: compareWith(forbidden) },
    inputs: FREEZE,
    check: 'freeze',
    message: /^Could not compare tag v1\.4\.0-rc\.1 with branch release\/1\.4 of acme\/shop: GitHub answered HTTP 403/,
  },
  {
    what: 'the comparison is 404 (no common history)',
    state: { compare: compareWith(http(404, 'Not Found')) },
    inputs: FREEZE,
    check: 'freeze',
    message: /cannot be compared in acme\/shop \(GitHub answered 404/,
  },
  {
    what: 'a comparison that is not one',
    state: { compare: compareWith(offSpec({ commits: 'none' }, 'commits is not a list')) },
    inputs: FREEZE,
    check: 'freeze',
    message: /with something that is not a comparison/,
  },
  {
    what: 'a comparison listing fewer commits than it counts',
    state: { compare: compareWith({ status: 200, body: gh.comparison(RC1, [gh.commit(FIX)], 'ahead', 3) }) },
    inputs: FREEZE,
    check: 'freeze',
    message: /^GitHub listed 1 of the 3 commits on branch release\/1\.4 after tag v1\.4\.0-rc\.1, so the rest cannot be judged/,
  },
  {
    what: 'pages that never end (a Link back to the same page)',
    inputs: FREEZE,
    state: {
      compare: compareWith({
        status: 200,
        body: gh.comparison(RC1, [gh.commit(FIX)], 'ahead', 3),
        headers: { link: '<LOOP>; rel="next"' },
      }),
    },
    check: 'freeze',
    message:
      /^Could not compare tag v1\.4\.0-rc\.1 with branch release\/1\.4 of acme\/shop: GitHub's pages of .* did not end \(a page links back to one already read\), so the list is not complete\. Run the gate again\.$/,
  },
  {
    what: 'more commits since the freeze than a freeze lets in',
    state: { compare: compareWith({ commits: Array.from({ length: 201 }, (_, i) => i.toString(16).padStart(40, '0')) }) },
    inputs: FREEZE,
    check: 'freeze',
    message: /^201 commits reached release\/1\.4 since tag v1\.4\.0-rc\.1: more than the 200 a freeze could let in/,
  },
  {
    what: 'the pull requests of a commit are refused (403)',
    state: { pulls: { [FIX]: forbidden } },
    inputs: FREEZE,
    check: 'freeze',
    message: /Could not list the pull requests of commit 1111111: GitHub answered HTTP 403 .*"Pull requests: read"/,
  },
  {
    what: 'pull requests that are not a list',
    state: { pulls: { [FIX]: offSpec({ number: 12 }, 'an object instead of a list') } },
    inputs: FREEZE,
    check: 'freeze',
    message: /with something that is not a list of pull requests/,
  },
  {
    what: 'the reviews are refused (403)',
    state: { reviews: { 12: forbidden } },
    inputs: FREEZE,
    check: 'freeze',
    message:
      /pull request #12 has reviews nobody could read: could not read the reviews of pull request #12: GitHub answered HTTP 403.*`permissions: pull-requests: read`\)\.$/,
  },
  {
    what: 'a team approver whose membership cannot be read (GITHUB_TOKEN)',
    state: { members: { 'acme/ic/ic-alice': forbidden } },
    inputs: { since: 'v1.4.0-rc.1', approvers: 'acme/ic' },
    check: 'freeze',
    message:
      /pull request #12 is approved only by ic-alice, and could not read whether ic-alice is a member of team acme\/ic: GitHub answered HTTP 403/,
  },
  {
    what: 'the commits since an instant are refused (409, an empty repository: never an empty list)',
    state: { history: [] },
    inputs: { since: '2026-03-20T18:00:00Z' },
    check: 'freeze',
    message: /^Could not list the commits of branch release\/1\.4 of acme\/shop: GitHub answered HTTP 409 \(Git Repository is empty\.\)/,
  },
  // Inputs
  {
    what: 'since given as a date without a time',
    inputs: { since: '2026-03-20' },
    check: 'inputs',
    message: /input `since`: "2026-03-20" is not valid/,
  },
  { what: 'approvers that are not logins', inputs: { approvers: 'Incident Commander' }, check: 'inputs', message: /input `approvers`/ },
]

async function run(c: Case) {
  fake.requests.length = 0
  fake.invalid.length = 0
  fake.invalidResponses.length = 0
  const base: GitHubPort = {
    octokit: createClient('ghs_failClosed', { retries: 0 }, c.github === 'unreachable' ? 'http://127.0.0.1:9' : fake.url),
    owner: 'acme',
    repo: 'shop',
    sha: SHA,
  }
  const github = c.github === 'none' ? undefined : typeof c.github === 'object' ? { ...base, ...c.github } : base
  const ctx = defaultContext({
    log: () => {},
    now: () => new Date('2026-03-22T12:00:00Z'),
    env: { GITHUB_SERVER_URL: 'https://github.com', ...c.env },
    ...(github ? { github } : {}),
  })
  return runGate(releaseFreeze, { branch: BRANCH, ...c.inputs }, ctx, { id: 'release-freeze' })
}

let current: symbol | undefined

describe('release-freeze fails closed', () => {
  it.each(cases)('$what → fail', async (c) => {
    const token = Symbol(c.what)
    current = token
    const state = frozenRepo(c.state)
    serveRepo(fake, state, () => current === token)
    if (c.what.startsWith('pages that never end')) {
      // The Link must be absolute: point it at the page just read.
      fake.on('repos/compare-commits-with-basehead', (req) =>
        current === token && req.params.basehead.startsWith('b')
          ? {
              status: 200,
              body: gh.comparison(RC1, [gh.commit(FIX)], 'ahead', 3),
              headers: { link: `<${fake.url}${req.path}?per_page=100>; rel="next"` },
            }
          : undefined,
      )
    }
    if (c.what.includes('409')) {
      fake.on('repos/list-commits', () => (current === token ? http(409, 'Git Repository is empty.') : undefined))
    }
    const r = await run(c)
    expect(fake.invalid, 'requests GitHub would reject').toEqual([])
    expect(fake.invalidResponses, 'answers GitHub would not give').toEqual([])
    expect(r.status, r.summary).toBe('fail')
    const found = r.checks.filter((x) => x.name === c.check && x.status === 'fail')
    expect(found.length, JSON.stringify(r.checks, null, 1)).toBeGreaterThan(0)
    expect(found[0].message).toMatch(c.message)
    expect(found[0].message).toMatch(/^[A-Z`0-9].*[.)]$/s)
    expect(JSON.stringify(r)).not.toMatch(/\n\s+at |TypeError|is not a function|Cannot read properties|undefined/)
  })

  it('the table is not passing on a broken setup: the frozen repository passes', async () => {
    const token = Symbol('baseline')
    current = token
    serveRepo(fake, frozenRepo(), () => current === token)
    const r = await run({ what: 'baseline', inputs: { ...FREEZE, tag: 'v1.4.0-rc.2' }, check: '', message: /./ })
    expect(r.status, r.summary).toBe('pass')
    expect(fake.invalidResponses).toEqual([])
  })
})
