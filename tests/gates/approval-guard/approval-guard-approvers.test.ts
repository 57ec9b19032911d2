// approval-guard beyond one reviewer: the two-person rule over a second environment
// (`min-approvals`, `approval-environments`), the Incident Commander among the approvers, and the
// approval of a canary step that waits for the reviewers again (`approval-round`). Against the fake
// GitHub, every request and answer checked against GitHub's OpenAPI description.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GitHubPort } from '../../../src/core/gate.js'
import { approvalGuard } from '../../../src/gates/approval-guard/gate.js'
import { createClient } from '../../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub, type FakeReply } from '../../harness/fake-github.js'
import { runAction } from '../../harness/run-action.js'
import * as gh from '../../support/github-shapes.js'

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
})
afterEach(async () => {
  expect(fake.invalid, 'requests GitHub would reject').toEqual([])
  expect(fake.invalidResponses, 'answers GitHub would not give').toEqual([])
  await fake.close()
})

const PROD = 'production'
const SECOND = 'production-second-approval'

interface World {
  environments?: Record<string, gh.EnvironmentOptions | FakeReply>
  reviews: ReturnType<typeof gh.runReview>[]
  members?: Record<string, 'active' | FakeReply>
}

function serve(w: World) {
  const envs = w.environments ?? {
    [PROD]: { name: PROD, reviewers: ['alice', 'bob'] },
    [SECOND]: { name: SECOND, id: 7, reviewers: ['ic-carol', 'bob'] },
  }
  fake.on('repos/get-environment', (req) => {
    const e = envs[req.params.environment_name]
    if (!e) return { status: 404, body: gh.apiError(404, 'Not Found') }
    return 'status' in e ? e : { status: 200, body: gh.environment(e) }
  })
  fake.on('actions/get-reviews-for-run', () => ({ status: 200, body: w.reviews }))
  fake.on('teams/get-membership-for-user-in-org', (req) => {
    const m = w.members?.[`${req.params.org}/${req.params.team_slug}/${req.params.username}`]
    if (!m) return { status: 404, body: gh.apiError(404, 'Not Found') }
    return m === 'active'
      ? { status: 200, body: gh.teamMembership('active', req.params.org, req.params.team_slug, req.params.username) }
      : m
  })
}

async function gate(w: World, inputs: Record<string, string>, env: Record<string, string> = {}, over: Partial<GitHubPort> = {}) {
  serve(w)
  const github: GitHubPort = {
    octokit: createClient('ghs_test', { retries: 0 }, fake.url),
    owner: 'acme',
    repo: 'shop',
    runId: 42,
    actor: 'octocat',
    ...over,
  }
  const ctx = defaultContext({
    log: () => {},
    now: () => new Date('2026-03-22T01:00:00Z'),
    env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ATTEMPT: '1', GITHUB_TRIGGERING_ACTOR: 'octocat', ...env },
    github,
  })
  return runGate(approvalGuard, { environment: PROD, 'record-approvals': 'true', ...inputs }, ctx, { id: 'approval-guard' })
}
const byName = (r: Awaited<ReturnType<typeof gate>>, name: string) => r.checks.find((c) => c.name === name)
const TWO = { 'min-approvals': '2', 'approval-environments': SECOND }

describe('approval-guard: min-approvals, the two-person rule', () => {
  it('passes two different people approving the two environments', async () => {
    const r = await gate(
      { reviews: [gh.runReview('ic-carol', [SECOND], 'approved', 'IC: GO'), gh.runReview('alice', [PROD], 'approved', 'GO')] },
      TWO,
    )
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'approvers')!.message).toBe('2 different people approved run 42 (ic-carol, alice), at least min-approvals 2.')
    expect(byName(r, 'required reviewers (production-second-approval)')!.status).toBe('pass')
    expect(r.metrics.distinct_approvers).toBe(2)
    expect(JSON.parse(r.outputs.approvals).map((a: { user: string }) => a.user)).toEqual(['ic-carol', 'alice'])
  })

  it('fails with one approver', async () => {
    const r = await gate({ reviews: [gh.runReview('alice', [PROD])] }, TWO)
    expect(r.status).toBe('fail')
    expect(byName(r, 'approvers')).toMatchObject({ status: 'fail', observed: '1 distinct approver: alice' })
    expect(byName(r, 'approvers')!.message).toBe(
      'Only 1 different person approved run 42 (alice), fewer than min-approvals 2. GitHub asks one reviewer per environment: have a different reviewer approve production-second-approval, in a new run.',
    )
  })

  it('fails with one person approving both environments (one review or two)', async () => {
    for (const reviews of [[gh.runReview('bob', [PROD, SECOND])], [gh.runReview('bob', [SECOND]), gh.runReview('Bob', [PROD])]]) {
      const r = await gate({ reviews }, TWO)
      expect(byName(r, 'approvers')!.status, JSON.stringify(reviews.map((x) => x.user.login))).toBe('fail')
      expect(r.metrics.distinct_approvers).toBe(1)
    }
  })

  it('fails with two approvers when one of them started the run, even where self-review is allowed', async () => {
    const reviews = [gh.runReview('octocat', [SECOND]), gh.runReview('alice', [PROD])]
    const environments = {
      [PROD]: { name: PROD, reviewers: ['alice', 'octocat'], preventSelfReview: false },
      [SECOND]: { name: SECOND, id: 7, reviewers: ['octocat'], preventSelfReview: false },
    }
    const r = await gate({ environments, reviews }, { ...TWO, 'prevent-self-review': 'false' })
    expect(r.status).toBe('fail')
    expect(byName(r, 'self-review')).toBeUndefined()
    expect(byName(r, 'approvers')!.message).toBe(
      'Only 1 different person approved run 42 (alice), fewer than min-approvals 2; octocat started or re-ran the run, so that approval does not count. GitHub asks one reviewer per environment: have a different reviewer approve production-second-approval, in a new run.',
    )
  })

  it('the one who triggered a re-run is left out too', async () => {
    const reviews = [gh.runReview('mallory', [SECOND]), gh.runReview('alice', [PROD])]
    const r = await gate({ reviews }, TWO, { GITHUB_RUN_ATTEMPT: '2', GITHUB_TRIGGERING_ACTOR: 'mallory' })
    expect(byName(r, 'approvers')!.status).toBe('fail')
    expect(byName(r, 'approvers')!.message).toContain('mallory started or re-ran the run')
  })

  it('a second environment that does not exist or lists no reviewer fails', async () => {
    let r = await gate({ environments: { [PROD]: { name: PROD } }, reviews: [gh.runReview('alice', [PROD])] }, TWO)
    expect(byName(r, 'environment production-second-approval')!.message).toMatch(
      /^Environment production-second-approval does not exist in acme\/shop/,
    )
    r = await gate(
      { environments: { [PROD]: { name: PROD }, [SECOND]: { name: SECOND, reviewers: null } }, reviews: [gh.runReview('alice', [PROD])] },
      TWO,
    )
    expect(byName(r, 'required reviewers (production-second-approval)')!.message).toMatch(
      /^Environment production-second-approval has no required reviewers/,
    )
  })

  it('asks for the recorded approvals: without record-approvals the rule cannot be checked', async () => {
    const r = await gate({ reviews: [] }, { ...TWO, 'record-approvals': 'false', 'incident-commander': 'ic-carol' })
    expect(byName(r, 'approvers')!.message).toBe(
      'min-approvals 2, incident-commander ask who approved the run, which this gate reads only with `record-approvals: true`. Set it, in the job that waits for the approval.',
    )
    expect(fake.requests.map((q) => q.operationId)).not.toContain('actions/get-reviews-for-run')
  })
})

describe('approval-guard: the Incident Commander approves GO', () => {
  const reviews = [gh.runReview('ic-carol', [SECOND]), gh.runReview('alice', [PROD])]

  it('passes when the named commander approved, fails when not', async () => {
    let r = await gate({ reviews }, { ...TWO, 'incident-commander': '@IC-Carol' })
    expect(byName(r, 'incident commander')!.message).toBe('The Incident Commander approved run 42: ic-carol.')
    r = await gate({ reviews }, { ...TWO, 'incident-commander': 'dave' })
    expect(byName(r, 'incident commander')!.message).toBe(
      "Run 42 was approved only by ic-carol, alice, and the Incident Commander (dave) is not among them: the runbook's sole decider did not say GO. Have dave approve a new run.",
    )
  })

  it('a team: an active member approved; a token that may not read members never passes', async () => {
    let r = await gate(
      { reviews, members: { 'acme/incident-commanders/ic-carol': 'active' } },
      { 'incident-commander': 'acme/incident-commanders', 'approval-environments': SECOND },
    )
    expect(byName(r, 'incident commander')!.message).toBe(
      'The Incident Commander approved run 42: ic-carol, of team acme/incident-commanders.',
    )
    r = await gate(
      {
        reviews,
        members: { 'acme/incident-commanders/ic-carol': { status: 403, body: gh.apiError(403, 'Resource not accessible by integration') } },
      },
      { 'incident-commander': 'acme/incident-commanders', 'approval-environments': SECOND },
    )
    expect(byName(r, 'incident commander')).toMatchObject({ status: 'fail', observed: 'membership unreadable' })
    expect(byName(r, 'incident commander')!.message).toContain(
      'Could not read whether ic-carol is a member of team acme/incident-commanders: GitHub answered HTTP 403',
    )
  })
})

describe('approval-guard: approval-round, a canary step approved again', () => {
  it('the second wait needs a second approval of the environment', async () => {
    let r = await gate({ reviews: [gh.runReview('alice', [PROD])] }, { 'approval-round': '2' })
    expect(byName(r, 'approval round')!.message).toBe(
      'Run 42 holds 1 approval of production (alice), but this job is wait number 2 for its reviewers: this step was not approved by them. Check that the job has `environment: production` and that the environment still requires reviewers.',
    )
    r = await gate(
      { reviews: [gh.runReview('alice', [PROD], 'approved', 'GO'), gh.runReview('bob', [PROD], 'approved', 'promote to 50%')] },
      { 'approval-round': '2' },
    )
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'approval round')!.message).toBe(
      'Run 42 holds 2 approvals of production (alice, bob): its reviewers approved this job, the wait number 2 for them.',
    )
  })
})

describe('approval-guard action: the two-person rule through the bundled action', () => {
  it('min-approvals 2 passes two approvers of two environments, and fails the step with one', async () => {
    serve({ reviews: [gh.runReview('ic-carol', [SECOND]), gh.runReview('alice', [PROD])] })
    let run = await runAction('approval-guard', {
      inputs: {
        environment: PROD,
        'record-approvals': 'true',
        'min-approvals': '2',
        'approval-environments': SECOND,
        'incident-commander': 'ic-carol',
      },
      apiUrl: fake.url,
      env: { GITHUB_RUN_ID: '42' },
    })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.outputs.status).toBe('pass')
    expect(JSON.parse(run.outputs.approvals)).toHaveLength(2)
    fake.on('actions/get-reviews-for-run', () => ({
      status: 200,
      body: [gh.runReview('octocat', [SECOND]), gh.runReview('alice', [PROD])],
    }))
    run = await runAction('approval-guard', {
      inputs: { environment: PROD, 'record-approvals': 'true', 'min-approvals': '2', 'approval-environments': SECOND },
      apiUrl: fake.url,
      env: { GITHUB_RUN_ID: '42' },
    })
    expect(run.code).toBe(1)
    expect(run.outputs.summary).toContain('approval-guard: FAIL')
    expect(run.stdout).toContain('Only 1 different person approved run 42 (alice), fewer than min-approvals 2')
  })
})
