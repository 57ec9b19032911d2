// release-freeze against the fake GitHub: every request checked against GitHub's OpenAPI
// description, every answer built in the shape GitHub documents and checked against it too.
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GitHubPort } from '../../../src/core/gate.js'
import { InputFormError } from '../../../src/core/units.js'
import { releaseFreeze, runBranch } from '../../../src/gates/release-freeze/gate.js'
import { parseBranch, parseSince } from '../../../src/gates/release-freeze/spec.js'
import { createClient } from '../../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub } from '../../harness/fake-github.js'
import * as gh from '../../support/github-shapes.js'
import { BRANCH, SHA, frozenRepo, serveRepo, tagObjectSha, type RepoState } from './fake-repo.js'

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
})
afterEach(async () => {
  expect(fake.invalid, 'requests GitHub would reject').toEqual([])
  expect(fake.invalidResponses, 'answers GitHub would not give').toEqual([])
  await fake.close()
})

function port(over: Partial<GitHubPort> = {}): GitHubPort {
  return { octokit: createClient('ghs_testToken', { retries: 0 }, fake.url), owner: 'acme', repo: 'shop', sha: SHA, ...over }
}

async function gate(state: RepoState, inputs: Record<string, string>, over: Partial<GitHubPort> = {}, env: Record<string, string> = {}) {
  serveRepo(fake, state)
  const ctx = defaultContext({
    log: () => {},
    now: () => new Date('2026-03-22T12:00:00Z'),
    env: { GITHUB_SERVER_URL: 'https://github.com', ...env },
    github: port(over),
  })
  return runGate(releaseFreeze, { branch: BRANCH, ...inputs }, ctx, { id: 'release-freeze' })
}
const byName = (r: Awaited<ReturnType<typeof gate>>, name: string) => r.checks.find((c) => c.name === name)!
const ops = () => fake.requests.map((q) => q.operationId)

describe('release-freeze: branch protection, by ruleset or classic', () => {
  it('passes a branch protected by rulesets alone, and then never reads classic protection', async () => {
    const r = await gate(frozenRepo(), {})
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'force pushes').message).toBe('Branch release/1.4: force pushes blocked (blocked by ruleset 42 of acme/shop).')
    expect(byName(r, 'deletion').observed).toBe('blocked by ruleset 42 of acme/shop')
    expect(byName(r, 'reviews').observed).toBe('1 approving review required by ruleset 42 of acme/shop')
    expect(ops()).toEqual(['repos/get-branch-rules'])
    expect(fake.requests[0].path).toBe('/repos/acme/shop/rules/branches/release%2F1.4')
  })

  it('passes a branch protected by classic protection alone', async () => {
    const r = await gate(frozenRepo({ rules: [], classic: { approvals: 2 } }), {})
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'reviews').observed).toBe('2 approving reviews required by classic branch protection')
    expect(byName(r, 'force pushes').observed).toBe('blocked by classic branch protection')
    expect(r.details).toContain('| Classic branch protection | on, administrators included |')
  })

  it('takes each requirement from whichever proves it', async () => {
    const r = await gate(frozenRepo({ rules: [gh.rule.nonFastForward(7)], classic: { forcePushes: true } }), {})
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'force pushes').observed).toBe('blocked by ruleset 7 of acme/shop')
    expect(byName(r, 'deletion').observed).toBe('blocked by classic branch protection')
  })

  it('fails an unprotected branch on every requirement, saying how to fix each', async () => {
    const r = await gate(frozenRepo({ rules: [], classic: 'none' }), {})
    expect(r.status).toBe('fail')
    for (const name of ['force pushes', 'deletion', 'reviews']) expect(byName(r, name).status).toBe('fail')
    expect(byName(r, 'force pushes').message).toBe(
      'Branch release/1.4 of acme/shop is not protected against this: no active ruleset nor classic branch protection requires it. Add a ruleset with "Block force pushes", or untick "Allow force pushes" in its branch protection rule.',
    )
    expect(byName(r, 'reviews').location).toEqual({ url: 'https://github.com/acme/shop/settings/branches' })
  })

  it('fails when classic protection allows force pushes', async () => {
    const r = await gate(frozenRepo({ rules: [], classic: { forcePushes: true } }), {})
    expect(r.status).toBe('fail')
    expect(byName(r, 'force pushes')).toMatchObject({ status: 'fail', observed: 'not required' })
    expect(byName(r, 'deletion').status).toBe('pass')
  })

  it('a pull request rule without a required approval is no review requirement', async () => {
    const r = await gate(frozenRepo({ rules: [gh.rule.nonFastForward(), gh.rule.deletion(), gh.rule.pullRequest(0)], classic: 'none' }), {})
    expect(byName(r, 'reviews').status).toBe('fail')
  })

  it('a locked branch (update ruleset) admits no pushes, so no force push and no unreviewed change', async () => {
    const r = await gate(frozenRepo({ rules: [gh.rule.update(9), gh.rule.deletion(9)] }), {})
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'reviews').observed).toBe('locked by ruleset 9 of acme/shop (no updates at all)')
  })

  it('a read-only token (403 on classic protection) is never a pass for what rulesets do not prove', async () => {
    const refused = {
      status: 403,
      body: gh.apiError(403, 'Resource not accessible by integration'),
      headers: { 'x-accepted-github-permissions': 'administration=read' },
    }
    const r = await gate(frozenRepo({ rules: [gh.rule.nonFastForward()], classic: refused }), {})
    expect(r.status).toBe('fail')
    expect(byName(r, 'force pushes').status).toBe('pass')
    expect(byName(r, 'deletion')).toMatchObject({ status: 'fail', observed: 'classic protection unreadable (HTTP 403)' })
    expect(byName(r, 'deletion').message).toBe(
      'No active ruleset of branch release/1.4 proves "deletion blocked", and classic protection could not be read to prove it either. ' +
        'Could not read the classic branch protection of release/1.4 of acme/shop: GitHub answered HTTP 403 (Resource not accessible by integration) (GitHub accepts: administration=read). ' +
        'Classic branch protection can be read only with the repository permission "Administration: read" (a GitHub App or fine-grained token; a classic token needs `repo` and admin rights), which the workflow’s GITHUB_TOKEN never has: give such a token as `github-token`, or protect the branch with a ruleset, which any token can read.',
    )
  })

  it('reads the rules on every page: the one that blocks deletion is on page 2', async () => {
    const rules = [gh.rule.nonFastForward(1), gh.rule.pullRequest(1, 2), gh.rule.deletion(3)]
    const r = await gate(frozenRepo({ rules, perPage: 2, classic: 'none' }), {})
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'deletion').observed).toBe('blocked by ruleset 3 of acme/shop')
    const pagesRead = fake.requests.filter((q) => q.operationId === 'repos/get-branch-rules').map((q) => q.query.page ?? '1')
    expect(pagesRead).toEqual(['1', '2'])
  })

  it('a branch that does not exist', async () => {
    const r = await gate(frozenRepo({ rules: [], classic: { status: 404, body: gh.apiError(404, 'Branch not found') } }), {})
    expect(byName(r, 'reviews').message).toBe(
      'Branch release/1.4 does not exist in acme/shop: there is nothing frozen to cut over from. Correct `branch`.',
    )
  })
})

describe('release-freeze: the RC tag names the commit under test', () => {
  it('an annotated tag is followed through its tag object', async () => {
    const r = await gate(frozenRepo(), { tag: 'v1.4.0-rc.2' })
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'tag').message).toBe(`Tag v1.4.0-rc.2 (annotated tag) points at the commit under test ${SHA}.`)
    expect(fake.requests.find((q) => q.operationId === 'git/get-ref')!.path).toBe('/repos/acme/shop/git/ref/tags%2Fv1.4.0-rc.2')
    expect(fake.requests.find((q) => q.operationId === 'git/get-tag')!.params.tag_sha).toBe(tagObjectSha('v1.4.0-rc.2'))
  })

  it('a lightweight tag at the commit passes', async () => {
    const r = await gate(frozenRepo({ tags: { 'v1.4.0-rc.2': { sha: SHA } } }), { tag: 'refs/tags/v1.4.0-rc.2' })
    expect(byName(r, 'tag')).toMatchObject({ status: 'pass', observed: 'lightweight tag at 6dcb09b' })
    expect(ops()).not.toContain('git/get-tag')
  })

  it('a tag at another commit fails, lightweight or annotated', async () => {
    const other = '9'.repeat(40)
    for (const annotated of [false, true]) {
      const r = await gate(frozenRepo({ tags: { 'v1.4.0-rc.2': { sha: other, annotated } } }), { tag: 'v1.4.0-rc.2' })
      expect(r.status).toBe('fail')
      expect(byName(r, 'tag').message).toBe(
        `Tag v1.4.0-rc.2 (${annotated ? 'annotated' : 'lightweight'} tag) points at ${other}, not at the commit under test ${SHA}: the release candidate that was tested is not the one being cut over. Re-tag, or cut over 9999999.`,
      )
    }
  })

  it('a missing tag, a tag of a tree, and no commit under test fail', async () => {
    let r = await gate(frozenRepo(), { tag: 'v9' })
    expect(byName(r, 'tag').message).toBe('Tag v9 does not exist in acme/shop: push the RC tag, or correct `tag`/`since`.')
    r = await gate(frozenRepo({ tags: { 'v1.4.0-rc.2': { status: 200, body: gh.gitRef('v1.4.0-rc.2', 'd'.repeat(40), 'tree') } } }), {
      tag: 'v1.4.0-rc.2',
    })
    expect(byName(r, 'tag').message).toBe(`Tag v1.4.0-rc.2 of acme/shop names a tree (${'d'.repeat(40)}), not a commit.`)
    r = await gate(frozenRepo(), { tag: 'v1.4.0-rc.2' }, { sha: undefined })
    expect(byName(r, 'tag').observed).toBe('commit under test unknown')
  })
})

describe('release-freeze: every commit since the freeze', () => {
  const fix = '1'.repeat(40)
  const since = { since: 'v1.4.0-rc.1', approvers: 'ic-alice' }

  it('passes a fix through a merged pull request labelled P0 and approved by the Incident Commander', async () => {
    const r = await gate(frozenRepo(), since)
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'on branch').status).toBe('pass')
    expect(byName(r, 'freeze').message).toBe(
      'All 1 commit on release/1.4 since tag v1.4.0-rc.1 came through a merged pull request into release/1.4 labelled P0 and approved by ic-alice: #12.',
    )
    expect(r.outputs.offending).toBe('')
    expect(r.metrics).toMatchObject({ commits_since: 1, offending: 0 })
  })

  it('fails a commit whose pull request carries no allowed label, naming it', async () => {
    const r = await gate(frozenRepo({ pulls: { [fix]: [{ number: 12, labels: ['enhancement'], mergeSha: fix, base: BRANCH }] } }), since)
    expect(r.status).toBe('fail')
    expect(byName(r, 'freeze').message).toBe(
      `1 of 1 commit on release/1.4 since tag v1.4.0-rc.1 did not come through a merged pull request into release/1.4 labelled P0 and approved by ic-alice: 1111111 "Change 1111111" (dev): pull request #12 carries none of P0 (it has enhancement).`,
    )
    expect(r.outputs.offending).toBe(`${fix} pull request #12 carries none of P0 (it has enhancement)`)
  })

  it('fails a labelled pull request nobody of the approvers approved, and one whose approval was withdrawn', async () => {
    let r = await gate(frozenRepo({ reviews: { 12: [['bob', 'APPROVED']] } }), since)
    expect(byName(r, 'freeze').message).toContain('pull request #12 is approved only by bob, none of ic-alice.')
    r = await gate(
      frozenRepo({
        reviews: {
          12: [
            ['ic-alice', 'APPROVED'],
            ['ic-alice', 'CHANGES_REQUESTED'],
          ],
        },
      }),
      since,
    )
    expect(byName(r, 'freeze').message).toContain('pull request #12 is approved by nobody, none of ic-alice.')
    // Without approvers, the label alone lets it in.
    fake.requests.length = 0
    r = await gate(frozenRepo({ reviews: { 12: [] } }), { since: 'v1.4.0-rc.1' })
    expect(r.status, r.summary).toBe('pass')
    expect(ops()).not.toContain('pulls/list-reviews')
  })

  it('fails a commit pushed directly, and one that came through a pull request into another branch', async () => {
    const direct = '2'.repeat(40)
    const fromMain = '3'.repeat(40)
    const state = frozenRepo({
      compare: {
        [`${SHA}...${BRANCH}`]: { status: 'identical', commits: [] },
        [`${'b'.repeat(40)}...${BRANCH}`]: { commits: [fix, direct, fromMain] },
      },
      pulls: {
        [fix]: [{ number: 12, labels: ['P0'], mergeSha: fix, base: BRANCH }],
        [fromMain]: [
          { number: 30, labels: ['P0'], base: 'main' },
          { number: 31, labels: ['P0'], base: BRANCH, merged: false },
        ],
      },
    })
    const r = await gate(state, since)
    expect(r.status).toBe('fail')
    expect(byName(r, 'freeze').observed).toBe('2 of 3 commits not allowed')
    expect(byName(r, 'freeze').message).toContain(
      '2222222 "Change 2222222" (dev): came through no merged pull request into release/1.4 (pushed directly); ' +
        '3333333 "Change 3333333" (dev): came through no merged pull request into release/1.4; it is in #30 (merged into main), #31 (open).',
    )
    expect(r.outputs.offending.split('\n')).toHaveLength(2)
  })

  it('a team of approvers: a member approved; a refusal to read membership is no approval', async () => {
    let r = await gate(frozenRepo({ members: { 'acme/incident-commanders/ic-alice': 'active' } }), {
      since: 'v1.4.0-rc.1',
      approvers: '@acme/incident-commanders',
    })
    expect(r.status, r.summary).toBe('pass')
    r = await gate(
      frozenRepo({
        members: { 'acme/incident-commanders/ic-alice': { status: 403, body: gh.apiError(403, 'Resource not accessible by integration') } },
      }),
      { since: 'v1.4.0-rc.1', approvers: 'acme/incident-commanders' },
    )
    expect(r.status).toBe('fail')
    expect(byName(r, 'freeze').observed).toBe('1 of 1 commit not allowed or not readable')
    expect(byName(r, 'freeze').message).toContain(
      'pull request #12 is approved only by ic-alice, and could not read whether ic-alice is a member of team acme/incident-commanders: GitHub answered HTTP 403 (Resource not accessible by integration).',
    )
    r = await gate(frozenRepo({ members: { 'acme/incident-commanders/ic-alice': 'pending' } }), {
      since: 'v1.4.0-rc.1',
      approvers: 'acme/incident-commanders',
    })
    expect(byName(r, 'freeze').message).toContain('approved only by ic-alice, none of acme/incident-commanders')
  })

  it('reads every page: the offending commit on page 2 of the comparison', async () => {
    const commits = ['4', '5', '6'].map((d) => d.repeat(40))
    const pulls = Object.fromEntries(
      commits.slice(0, 2).map((s, i) => [s, [{ number: 40 + i, labels: ['P0'], mergeSha: s, base: BRANCH }]]),
    )
    const state = frozenRepo({
      compare: { [`${SHA}...${BRANCH}`]: { status: 'identical', commits: [] }, [`${'b'.repeat(40)}...${BRANCH}`]: { commits } },
      pulls,
    })
    const r = await gate({ ...state, perPage: 2 }, { since: 'v1.4.0-rc.1' })
    expect(r.status).toBe('fail')
    expect(fake.requests.filter((q) => q.params.basehead?.startsWith('b')).map((q) => q.query.page ?? '1')).toEqual(['1', '2'])
    expect(byName(r, 'freeze').message).toContain('1 of 3 commits on release/1.4 since tag v1.4.0-rc.1 did not come through')
    expect(byName(r, 'freeze').message).toContain('6666666 "Change 6666666" (dev): came through no merged pull request')
  })

  it('a comparison that lists fewer commits than it counts is not judged as complete', async () => {
    const short = { status: 200, body: gh.comparison('b'.repeat(40), [gh.commit(fix)], 'ahead', 2) }
    const r = await gate(
      frozenRepo({ compare: { [`${SHA}...${BRANCH}`]: { status: 'identical', commits: [] }, [`${'b'.repeat(40)}...${BRANCH}`]: short } }),
      since,
    )
    expect(byName(r, 'freeze')).toMatchObject({ status: 'fail', observed: '1 of 2 commits listed' })
  })

  it('reads every page of reviews: the approval on page 2', async () => {
    const reviews: [string, 'APPROVED' | 'COMMENTED'][] = [
      ['bob', 'COMMENTED'],
      ['carol', 'COMMENTED'],
      ['ic-alice', 'APPROVED'],
    ]
    const r = await gate(frozenRepo({ reviews: { 12: reviews }, perPage: 2 }), since)
    expect(r.status, r.summary).toBe('pass')
    expect(fake.requests.filter((q) => q.operationId === 'pulls/list-reviews').map((q) => q.query.page ?? '1')).toEqual(['1', '2'])
  })

  it('reads every page of a commit’s pull requests: the merged one on page 2', async () => {
    const state = frozenRepo({
      pulls: {
        [fix]: [
          { number: 50, base: 'main', labels: ['P0'] },
          { number: 51, base: BRANCH, merged: false, labels: ['P0'] },
          { number: 12, labels: ['P0'], mergeSha: fix, base: BRANCH },
        ],
      },
      perPage: 2,
    })
    const r = await gate(state, since)
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'freeze').message).toContain(': #12.')
  })

  it('a freeze point given as a SHA, and one not on the branch', async () => {
    let r = await gate(frozenRepo(), { since: 'b'.repeat(40) })
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'freeze').expected).toContain('since commit bbbbbbb')
    r = await gate(
      frozenRepo({
        compare: {
          [`${SHA}...${BRANCH}`]: { status: 'identical', commits: [] },
          [`${'b'.repeat(40)}...${BRANCH}`]: { status: 'diverged', commits: [] },
        },
      }),
      {
        since: 'b'.repeat(40),
      },
    )
    expect(byName(r, 'freeze').message).toBe(
      'Commit bbbbbbb is not on branch release/1.4 (GitHub compares it as diverged): the branch and it have gone separate ways.',
    )
  })

  it('a freeze point given as an instant lists the commits dated after it, every page', async () => {
    // One commit a page: the allowed fix on page 1, the offending commit on page 2, an older one the filter drops.
    const history = [
      { sha: fix, date: '2026-03-21T12:00:00Z' },
      { sha: '7'.repeat(40), date: '2026-03-21T10:00:00Z' },
      { sha: '8'.repeat(40), date: '2026-03-19T10:00:00Z' },
    ]
    const r = await gate(frozenRepo({ history, perPage: 1 }), { since: '2026-03-20T18:00:00Z' })
    expect(r.status).toBe('fail')
    expect(byName(r, 'freeze').message).toContain('1 of 2 commits on release/1.4 since 2026-03-20T18:00:00.000Z did not come through')
    expect(byName(r, 'freeze').message).toContain('7777777')
    expect(fake.requests.find((q) => q.operationId === 'repos/list-commits')!.query).toMatchObject({
      sha: BRANCH,
      since: '2026-03-20T18:00:00.000Z',
    })
  })

  it('the commit under test must be on the branch', async () => {
    const r = await gate(
      frozenRepo({
        compare: { [`${SHA}...${BRANCH}`]: { status: 'behind', commits: [] }, [`${'b'.repeat(40)}...${BRANCH}`]: { commits: [] } },
      }),
      since,
    )
    expect(byName(r, 'on branch').message).toBe(
      'The commit under test 6dcb09b is not on branch release/1.4 (GitHub compares it as behind): it has commits the branch does not.',
    )
  })

  it('no commit since the freeze passes, saying so', async () => {
    const r = await gate(
      frozenRepo({
        compare: {
          [`${SHA}...${BRANCH}`]: { status: 'identical', commits: [] },
          [`${'b'.repeat(40)}...${BRANCH}`]: { status: 'identical', commits: [] },
        },
      }),
      since,
    )
    expect(byName(r, 'freeze').message).toBe('No commit reached release/1.4 since tag v1.4.0-rc.1.')
  })
})

describe('release-freeze: which branch, and inputs', () => {
  it('defaults to the base branch of a pull request, else the branch of the run', () => {
    expect(runBranch({ GITHUB_BASE_REF: 'release/1.4', GITHUB_REF: 'refs/pull/7/merge' })).toBe('release/1.4')
    expect(runBranch({ GITHUB_BASE_REF: '', GITHUB_REF: 'refs/heads/release/1.5' })).toBe('release/1.5')
    expect(runBranch({ GITHUB_REF: 'refs/tags/v1' })).toBeUndefined()
  })

  it('fails with a sentence when no branch can be told, and without GitHub access', async () => {
    serveRepo(fake, frozenRepo())
    const ctx = (github?: GitHubPort) =>
      defaultContext({ log: () => {}, env: { GITHUB_REF: 'refs/tags/v1.4.0' }, ...(github ? { github } : {}) })
    let r = await runGate(releaseFreeze, {}, ctx(port()), { id: 'release-freeze' })
    expect(r.checks[0].message).toBe(
      'Could not tell which branch is frozen: the run is for `refs/tags/v1.4.0`, not a branch. Give `branch`, such as release/1.4.',
    )
    r = await runGate(releaseFreeze, { branch: BRANCH }, ctx(), { id: 'release-freeze' })
    expect(r.checks[0].message).toMatch(/^Could not check the release freeze: the gate needs a token and a repository/)
  })

  it('refuses branch, tag and since that are not refs or instants', async () => {
    for (const [inputs, message] of [
      [{ branch: 'release 1.4' }, /input `branch`/],
      [{ branch: 'a..b' }, /input `branch`/],
      [{ tag: 'v1~1' }, /input `tag`/],
      [{ since: '2026-02-30T00:00:00Z' }, /input `since`: "2026-02-30T00:00:00Z" is not valid/],
      [{ since: '2026-03-20' }, /input `since`/],
      [{ approvers: 'not a login!' }, /input `approvers`/],
      [{ 'allowed-labels': ' , ' }, /input `allowed-labels`/],
    ] as const) {
      const r = await gate(frozenRepo(), inputs)
      expect(r.status).toBe('fail')
      expect(r.checks[0].message, JSON.stringify(inputs)).toMatch(message)
    }
  })

  it('parsers return a value or an InputFormError, never crash', () => {
    expect(parseSince('v1.4.0-rc.1')).toEqual({ kind: 'tag', name: 'v1.4.0-rc.1' })
    expect(parseSince('A'.repeat(40))).toEqual({ kind: 'sha', sha: 'a'.repeat(40) })
    expect(parseSince('2026-03-20T19:00:00+01:00')).toMatchObject({ kind: 'time', at: new Date('2026-03-20T18:00:00Z') })
    fc.assert(
      fc.property(fc.string(), (text) => {
        for (const parse of [parseSince, parseBranch]) {
          try {
            parse(text)
          } catch (err) {
            expect(err).toBeInstanceOf(InputFormError)
          }
        }
      }),
    )
  })
})
