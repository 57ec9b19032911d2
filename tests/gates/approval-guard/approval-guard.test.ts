// approval-guard against the fake GitHub API (every request checked against GitHub's OpenAPI
// description), with response bodies shaped like GitHub's documented examples.
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GitHubPort } from '../../../src/core/gate.js'
import { InputFormError } from '../../../src/core/units.js'
import { approvalGuard } from '../../../src/gates/approval-guard/gate.js'
import { parseEnvironmentName } from '../../../src/gates/approval-guard/spec.js'
import { createClient } from '../../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub, type FakeReply } from '../../harness/fake-github.js'
import { DEFAULT_SHA, runAction } from '../../harness/run-action.js'
import * as gh from '../../support/github-shapes.js'

const NOW = new Date('2025-06-01T12:00:00Z')
let fake: FakeGitHub
let savedApiUrl: string | undefined

beforeEach(async () => {
  fake = await startFakeGitHub()
  // createClient reads GITHUB_API_URL when it is called.
  savedApiUrl = process.env.GITHUB_API_URL
  process.env.GITHUB_API_URL = fake.url
})

afterEach(async () => {
  if (savedApiUrl === undefined) delete process.env.GITHUB_API_URL
  else process.env.GITHUB_API_URL = savedApiUrl
  expect(fake.invalid, 'requests GitHub would reject').toEqual([])
  expect(fake.invalidResponses, 'answers GitHub would not give').toEqual([])
  await fake.close()
})

function port(over: Partial<GitHubPort> = {}): GitHubPort {
  return {
    octokit: createClient('ghs_testToken', { retries: 0 }),
    owner: 'acme',
    repo: 'shop',
    sha: DEFAULT_SHA,
    runId: 42,
    actor: 'octocat',
    ...over,
  }
}

/** `github: null` runs the gate without GitHub access. A first attempt unless `env` says otherwise. */
async function gate(inputs: Record<string, string>, github: GitHubPort | null = port(), env: Record<string, string> = {}) {
  const ctx = defaultContext({
    log: () => {},
    now: () => NOW,
    env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ATTEMPT: '1', ...env },
    ...(github ? { github } : {}),
  })
  return runGate(approvalGuard, inputs, ctx, { id: 'approval-guard' })
}

const user = (login: string, id: number) => gh.user(login, id)
const team = (slug: string, id: number) => ({
  id,
  node_id: `MDQ6VGVhbT${id}`,
  url: `https://api.github.com/teams/${id}`,
  html_url: `https://github.com/orgs/acme/teams/${slug}`,
  name: slug.replace(/-/g, ' '),
  slug,
  description: 'People who may approve a production cutover',
  privacy: 'closed',
  permission: 'pull',
  parent: null,
})

interface EnvOptions {
  name?: string
  reviewers?: { type: 'User' | 'Team'; reviewer: object }[] | null
  preventSelfReview?: boolean
  branchPolicy?: { protected_branches: boolean; custom_branch_policies: boolean } | null
  waitTimer?: number
}

/** An environment as GET /repos/{owner}/{repo}/environments/{name} returns it. */
function environment(o: EnvOptions = {}) {
  const name = o.name ?? 'production'
  const rules: object[] = []
  if (o.waitTimer !== undefined) rules.push({ id: 3736, node_id: 'MDQ6R2F0ZTM3MzY=', type: 'wait_timer', wait_timer: o.waitTimer })
  if (o.reviewers !== null) {
    rules.push({
      id: 3755,
      node_id: 'MDQ6R2F0ZTM3NTU=',
      prevent_self_review: o.preventSelfReview ?? true,
      type: 'required_reviewers',
      reviewers: o.reviewers ?? [
        { type: 'User', reviewer: user('alice', 101) },
        { type: 'Team', reviewer: team('release-captains', 7) },
      ],
    })
  }
  const policy = o.branchPolicy === undefined ? { protected_branches: true, custom_branch_policies: false } : o.branchPolicy
  if (policy) rules.push({ id: 3756, node_id: 'MDQ6R2F0ZTM3NTY=', type: 'branch_policy' })
  return {
    id: 161088068,
    node_id: 'MDExOkVudmlyb25tZW50MTYxMDg4MDY4',
    name,
    url: `https://api.github.com/repos/acme/shop/environments/${encodeURIComponent(name)}`,
    html_url: `https://github.com/acme/shop/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
    created_at: '2025-01-10T09:00:00Z',
    updated_at: '2025-05-30T17:45:00Z',
    protection_rules: rules,
    deployment_branch_policy: policy,
  }
}

function serveEnvironment(o: EnvOptions = {}) {
  fake.on('repos/get-environment', (req) =>
    req.params.environment_name === (o.name ?? 'production') ? { status: 200, body: environment(o) } : undefined,
  )
}

/** One review as GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals returns it. */
function review(
  login: string,
  id: number,
  state: 'approved' | 'rejected',
  comment: string,
  envs = ['production'],
): Record<string, unknown> {
  return {
    environments: envs.map((name, i) => ({
      id: 161088068 + i,
      node_id: 'MDExOkVudmlyb25tZW50MTYxMDg4MDY4',
      name,
      url: `https://api.github.com/repos/acme/shop/environments/${name}`,
      html_url: `https://github.com/acme/shop/deployments/activity_log?environments_filter=${name}`,
      created_at: '2025-01-10T09:00:00Z',
      updated_at: '2025-05-30T17:45:00Z',
    })),
    state,
    comment,
    user: user(login, id),
  }
}

/** `offSpec`: the reviews are not GitHub's documented shape, on purpose (an approval naming nobody). */
function serveReviews(reviews: object[] | FakeReply, offSpec?: string) {
  fake.on('actions/get-reviews-for-run', (req) =>
    req.params.run_id === '42'
      ? Array.isArray(reviews)
        ? { status: 200, body: reviews, ...(offSpec ? { offSpec } : {}) }
        : reviews
      : undefined,
  )
}

const byName = (r: Awaited<ReturnType<typeof gate>>, name: string) => r.checks.find((c) => c.name === name)

// ---------------------------------------------------------------------------------------------

describe('approval-guard: the environment', () => {
  it('passes an environment with reviewers, self-review forbidden and protected branches only', async () => {
    serveEnvironment({ waitTimer: 5 })
    const r = await gate({ environment: 'production' })
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['required reviewers', 'pass'],
      ['prevent self-review', 'pass'],
      ['deployment branches', 'pass'],
    ])
    const reviewers = byName(r, 'required reviewers')!
    expect(reviewers.observed).toBe('2 required reviewers')
    expect(reviewers.expected).toBe('at least 1 required reviewer')
    expect(reviewers.message).toContain('(alice, team release-captains)')
    expect(reviewers.message).toContain('A team counts as one reviewer slot')
    expect(reviewers.location).toEqual({ url: 'https://github.com/acme/shop/settings/environments/161088068/edit' })
    expect(byName(r, 'deployment branches')!.message).toBe('Only protected branches may deploy to production.')
    expect(r.details).toContain('| Required reviewers | alice, team release-captains |')
    expect(r.details).toContain('| Wait timer | 5 minutes |')
    expect(r.metrics).toEqual({ reviewers: 2 })
    expect(r.outputs).toEqual({})
    expect(fake.requests.map((q) => [q.operationId, q.path])).toEqual([
      ['repos/get-environment', '/repos/acme/shop/environments/production'],
    ])
    expect(fake.requests[0].headers.authorization).toBe('token ghs_testToken')
  })

  it('fails an environment without required reviewers, and one without self-review protection', async () => {
    serveEnvironment({ reviewers: null })
    const r = await gate({ environment: 'production' })
    expect(r.status).toBe('fail')
    const reviewers = byName(r, 'required reviewers')!
    expect(reviewers).toMatchObject({ status: 'fail', observed: '0 required reviewers', expected: 'at least 1 required reviewer' })
    expect(reviewers.message).toMatch(
      /^Environment production has no required reviewers: a job that deploys to it starts without anyone approving\./,
    )
    // No reviewers rule means no self-review protection either.
    expect(byName(r, 'prevent self-review')).toMatchObject({ status: 'fail', observed: 'disabled', expected: 'enabled' })
    expect(r.summary).toMatch(/^approval-guard: FAIL: Environment production has no required reviewers/)
  })

  it('counts a team as one reviewer and fails below min-reviewers', async () => {
    serveEnvironment()
    const r = await gate({ environment: 'production', 'min-reviewers': '3' })
    const reviewers = byName(r, 'required reviewers')!
    expect(reviewers.status).toBe('fail')
    expect(reviewers.observed).toBe('2 required reviewers')
    expect(reviewers.expected).toBe('at least 3 required reviewers')
    expect(reviewers.message).toContain('lists 2 required reviewers (alice, team release-captains), fewer than min-reviewers 3')
    expect(reviewers.message).toContain('A team counts as one reviewer slot')
  })

  it('fails when self-review is allowed but prevent-self-review is requested; not checked when not requested', async () => {
    serveEnvironment({ preventSelfReview: false })
    let r = await gate({ environment: 'production' })
    expect(r.status).toBe('fail')
    const self = byName(r, 'prevent self-review')!
    expect(self).toMatchObject({ status: 'fail', observed: 'disabled', expected: 'enabled' })
    expect(self.message).toContain('lets a reviewer approve a run they started themselves, but prevent-self-review is requested')
    expect(self.message).toContain('`prevent-self-review: false`')

    r = await gate({ environment: 'production', 'prevent-self-review': 'false' })
    expect(r.status).toBe('pass')
    expect(byName(r, 'prevent self-review')).toBeUndefined()
    expect(r.details).toContain('| Prevent self-review | disabled |')
  })

  it('warns when any branch may deploy', async () => {
    serveEnvironment({ branchPolicy: null })
    const r = await gate({ environment: 'production' })
    expect(r.status).toBe('warn')
    const branches = byName(r, 'deployment branches')!
    expect(branches).toMatchObject({ status: 'warn', observed: 'any branch may deploy', expected: 'deployment limited to chosen branches' })
    expect(branches.message).toMatch(/^Any branch may deploy to production; set deployment branches/)
    expect(r.summary).toMatch(/^approval-guard: WARN: Any branch may deploy to production/)
  })

  it('lists custom branch and tag patterns', async () => {
    serveEnvironment({ branchPolicy: { protected_branches: false, custom_branch_policies: true } })
    fake.on('repos/list-deployment-branch-policies', () => ({
      status: 200,
      body: {
        total_count: 3,
        branch_policies: [
          { id: 361471, node_id: 'MDE2OkdhdGVCcmFuY2hQb2xpY3kzNjE0NzE=', name: 'main', type: 'branch' },
          { id: 361472, node_id: 'MDE2OkdhdGVCcmFuY2hQb2xpY3kzNjE0NzI=', name: 'release/*', type: 'branch' },
          { id: 361473, node_id: 'MDE2OkdhdGVCcmFuY2hQb2xpY3kzNjE0NzM=', name: 'v*', type: 'tag' },
        ],
      },
    }))
    const r = await gate({ environment: 'production' })
    expect(r.status).toBe('pass')
    expect(byName(r, 'deployment branches')).toMatchObject({ status: 'pass', observed: 'matching main, release/*, tag v*' })
    const list = fake.requests.find((q) => q.operationId === 'repos/list-deployment-branch-policies')!
    expect(list.path).toBe('/repos/acme/shop/environments/production/deployment-branch-policies')
    expect(list.query.per_page).toBe('100')
  })

  it('warns on custom branch policies with no pattern, fails when they cannot be listed', async () => {
    serveEnvironment({ branchPolicy: { protected_branches: false, custom_branch_policies: true } })
    fake.replyOnce('repos/list-deployment-branch-policies', { status: 200, body: { total_count: 0, branch_policies: [] } })
    let r = await gate({ environment: 'production' })
    expect(byName(r, 'deployment branches')).toMatchObject({ status: 'warn', observed: 'custom patterns, none set' })

    fake.replyOnce('repos/list-deployment-branch-policies', {
      status: 403,
      body: { message: 'Resource not accessible by integration', status: '403' },
    })
    r = await gate({ environment: 'production' })
    const branches = byName(r, 'deployment branches')!
    expect(branches.status).toBe('fail')
    expect(branches.message).toContain(
      'Could not list the deployment branch policies of production: GitHub answered HTTP 403 (Resource not accessible by integration)',
    )
  })

  it('fails on a missing environment: a job would create it without reviewers', async () => {
    // The fake answers 404 for an environment nobody served.
    const r = await gate({ environment: 'prod' })
    expect(r.status).toBe('fail')
    expect(r.checks).toHaveLength(1)
    expect(r.checks[0]).toMatchObject({ name: 'environment', status: 'fail', observed: 'HTTP 404' })
    expect(r.checks[0].message).toContain('Environment prod does not exist in acme/shop')
    expect(r.checks[0].message).toContain('a job with `environment: prod` would create it without reviewers')
    expect(r.checks[0].location).toEqual({ url: 'https://github.com/acme/shop/settings/environments' })
  })

  it('names the permission on 403 and 401, with what GitHub says it accepts', async () => {
    fake.replyOnce('repos/get-environment', {
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/deployments/environments#get-an-environment',
        status: '403',
      },
      headers: { 'x-accepted-github-permissions': 'actions=read' },
    })
    let r = await gate({ environment: 'production' })
    expect(r.status).toBe('fail')
    expect(r.checks[0].observed).toBe('HTTP 403')
    expect(r.checks[0].message).toBe(
      'Could not read environment production of acme/shop: GitHub answered HTTP 403 (Resource not accessible by integration) (GitHub accepts: actions=read). ' +
        'The token needs the "Actions" read permission: give the job `permissions: actions: read` (a classic token needs the `repo` scope for a private repository).',
    )
    fake.replyOnce('repos/get-environment', { status: 401, body: { message: 'Bad credentials', status: '401' } })
    r = await gate({ environment: 'production' })
    expect(r.checks[0].message).toContain('GitHub answered HTTP 401 (Bad credentials)')
    expect(r.checks[0].message).toContain('`permissions: actions: read`')
  })

  it('sends an environment name with a slash as one path segment', async () => {
    serveEnvironment({ name: 'prod/eu-west' })
    const r = await gate({ environment: 'prod/eu-west' })
    expect(r.status, r.summary).toBe('pass')
    expect(fake.requests[0].path).toBe('/repos/acme/shop/environments/prod%2Feu-west')
  })

  it('fails with a sentence, not a stack trace, when there is no GitHub access or the API does not answer', async () => {
    let r = await gate({ environment: 'production' }, null)
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toBe(
      'Could not read environment production: the gate needs a token and a repository (the `github-token` input and GITHUB_REPOSITORY) to use the GitHub API. Run it in a workflow, or give it a token.',
    )
    expect(fake.requests).toEqual([])

    // Port 9 (discard) on loopback: nothing listens.
    r = await gate({ environment: 'production' }, port({ octokit: createClient('ghs_testToken', { retries: 0 }, 'http://127.0.0.1:9') }))
    expect(r.status).toBe('fail')
    expect(r.checks[0].observed).toBe('no answer')
    expect(r.checks[0].message).toMatch(
      /^Could not read environment production of acme\/shop: the GitHub API did not answer \(.+\)\. Check GITHUB_API_URL/,
    )
    expect(r.checks[0].message).not.toMatch(/\n\s+at /)
  })

  it('refuses invalid inputs with the input named', async () => {
    let r = await gate({})
    expect(r.inputError).toBe(true)
    expect(r.checks[0].message).toContain('input `environment` is required')
    r = await gate({ environment: 'production', 'min-reviewers': '7' })
    expect(r.checks[0].message).toContain('input `min-reviewers`: "7" is not valid; expected a whole number from 1 to 6')
    r = await gate({ environment: 'x'.repeat(256) })
    expect(r.checks[0].message).toContain('input `environment`')
    expect(fake.requests).toEqual([])
  })
})

describe('approval-guard: parseEnvironmentName', () => {
  it('any text is a trimmed name of 1 to 255 characters or an InputFormError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), (raw) => {
        let name: string
        try {
          name = parseEnvironmentName(raw)
        } catch (err) {
          return err instanceof InputFormError
        }
        // eslint-disable-next-line no-control-regex
        return name === raw.trim() && name.length >= 1 && name.length <= 255 && !/[\u0000-\u001f\u007f]/.test(name)
      }),
    )
  })
})

describe('approval-guard: record-approvals', () => {
  it("records another user's approval with its comment, and passes", async () => {
    serveEnvironment()
    serveReviews([review('alice', 101, 'approved', 'Canary PASS, ship it'), review('carol', 103, 'approved', 'staging ok', ['staging'])])
    const r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'approval')).toMatchObject({
      status: 'pass',
      observed: 'approved by alice',
      expected: 'an approved review for production',
    })
    expect(byName(r, 'approval')!.message).toBe('The deployment to production in run 42 was approved by alice ("Canary PASS, ship it").')
    expect(byName(r, 'approval')!.location).toEqual({ url: 'https://github.com/acme/shop/actions/runs/42' })
    expect(byName(r, 'self-review')).toMatchObject({ status: 'pass', observed: 'approvers alice; run started by octocat' })
    expect(JSON.parse(r.outputs.approvals)).toEqual([
      {
        user: 'alice',
        state: 'approved',
        comment: 'Canary PASS, ship it',
        environments: ['production'],
        recordedAt: '2025-06-01T12:00:00.000Z',
      },
      { user: 'carol', state: 'approved', comment: 'staging ok', environments: ['staging'], recordedAt: '2025-06-01T12:00:00.000Z' },
    ])
    expect(r.metrics).toEqual({ reviewers: 2, approvals: 1 })
    expect(r.details).toContain('| alice | approved | production | Canary PASS, ship it | 2025-06-01T12:00:00.000Z |')
    expect(r.details).toContain("GitHub's review history gives no time for a review")
    expect(fake.requests.map((q) => q.path)).toEqual([
      '/repos/acme/shop/environments/production',
      '/repos/acme/shop/actions/runs/42/approvals',
    ])
  })

  it('fails when the approver started the run while self-review is forbidden (logins compared without case)', async () => {
    serveEnvironment()
    serveReviews([review('OctoCat', 583231, 'approved', 'lgtm')])
    let r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(r.status).toBe('fail')
    const self = byName(r, 'self-review')!
    expect(self).toMatchObject({ status: 'fail', observed: "approved by the run's actor octocat" })
    expect(self.message).toContain(
      'octocat started run 42 and approved its deployment to production themselves, while prevent-self-review is requested',
    )
    expect(byName(r, 'approval')!.status).toBe('pass')

    // Allowed when self-review is not forbidden (and the environment allows it).
    fake.on('repos/get-environment', () => ({ status: 200, body: environment({ preventSelfReview: false }) }))
    r = await gate({ environment: 'production', 'record-approvals': 'true', 'prevent-self-review': 'false' })
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'self-review')).toBeUndefined()
  })

  it('fails when the run actor is unknown and self-review must be ruled out', async () => {
    serveEnvironment()
    serveReviews([review('alice', 101, 'approved', '')])
    const r = await gate({ environment: 'production', 'record-approvals': 'true' }, port({ actor: undefined }))
    expect(byName(r, 'self-review')).toMatchObject({ status: 'fail', observed: 'run actor unknown' })
  })

  it('fails when nobody approved the environment: no review, another environment, a rejection', async () => {
    serveEnvironment()
    fake.replyOnce('actions/get-reviews-for-run', { status: 200, body: [] })
    let r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(r.status).toBe('fail')
    expect(byName(r, 'approval')).toMatchObject({ status: 'fail', observed: 'no review' })
    expect(byName(r, 'approval')!.message).toBe(
      'Nobody approved the deployment to production in run 42. The run has no reviews at all. Run this gate in a job with `environment: production`, after its required reviewers approve.',
    )
    expect(r.outputs.approvals).toBe('[]')

    fake.replyOnce('actions/get-reviews-for-run', { status: 200, body: [review('carol', 103, 'approved', 'ok', ['staging'])] })
    r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(byName(r, 'approval')!.message).toContain('The run has 1 review, none for production (for staging).')

    fake.replyOnce('actions/get-reviews-for-run', { status: 200, body: [review('bob', 102, 'rejected', 'canary p99 too high')] })
    r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(byName(r, 'approval')).toMatchObject({ status: 'fail', observed: 'rejected by bob' })
    expect(JSON.parse(r.outputs.approvals)[0]).toMatchObject({ user: 'bob', state: 'rejected', comment: 'canary p99 too high' })
  })

  it('fails without a run id, and names actions: read when the approvals cannot be read', async () => {
    serveEnvironment()
    let r = await gate({ environment: 'production', 'record-approvals': 'true' }, port({ runId: undefined }))
    expect(byName(r, 'approval')).toMatchObject({ status: 'fail', observed: 'no run id' })
    expect(r.outputs.approvals).toBeUndefined()

    serveReviews({ status: 403, body: { message: 'Resource not accessible by integration', status: '403' } })
    r = await gate({ environment: 'production', 'record-approvals': 'true' })
    const approval = byName(r, 'approval')!
    expect(approval).toMatchObject({ status: 'fail', observed: 'could not read approvals (HTTP 403)' })
    expect(approval.message).toContain('Could not read the approvals of run 42: GitHub answered HTTP 403')
    expect(approval.message).toContain('`permissions: actions: read`')
  })
})

describe('approval-guard action (bundled, as the runner runs it)', () => {
  it('records the approval, sets the approvals output and publishes a check run', async () => {
    serveEnvironment()
    serveReviews([review('alice', 101, 'approved', 'GO')])
    const run = await runAction('approval-guard', {
      inputs: { environment: 'production', 'record-approvals': 'true' },
      apiUrl: fake.url,
      env: { GITHUB_RUN_ID: '42' },
    })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.outputs.status).toBe('pass')
    expect(run.outputs.report).toBe('cutover-reports/approval-guard.json')
    expect(JSON.parse(run.outputs.approvals)).toEqual([
      { user: 'alice', state: 'approved', comment: 'GO', environments: ['production'], recordedAt: expect.any(String) },
    ])
    expect(run.summary).toContain('alice')
    const ops = fake.requests.map((q) => q.operationId)
    expect(ops).toEqual(['repos/get-environment', 'actions/get-reviews-for-run', 'checks/create'])
    expect(fake.requests[1].path).toBe('/repos/acme/shop/actions/runs/42/approvals')
    expect(fake.requests[2].body).toMatchObject({ name: 'cutover / approval-guard', head_sha: DEFAULT_SHA, conclusion: 'success' })
  })

  it('fails the step when the actor approved their own run', async () => {
    serveEnvironment()
    serveReviews([review('octocat', 583231, 'approved', 'self')])
    const run = await runAction('approval-guard', {
      inputs: { environment: 'production', 'record-approvals': 'true', language: 'tr' },
      apiUrl: fake.url,
      env: { GITHUB_RUN_ID: '42' },
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('fail')
    expect(run.outputs.summary).toContain('octocat started run 42 and approved its deployment to production themselves')
    // The row label: "Onay kaydedildi" (approval recorded) claimed too much for runs that read no approval.
    expect(run.summary).toContain('Onay zorunlu')
    expect(fake.requests.find((q) => q.operationId === 'checks/create')!.body).toMatchObject({ conclusion: 'failure' })
  })
})

describe('approval-guard: what the verdict claims is what was checked (issue 12)', () => {
  it('with record-approvals at its default, nothing claims an approval was recorded', async () => {
    serveEnvironment()
    const r = await gate({ environment: 'production' })
    expect(r.status, r.summary).toBe('pass')
    // The Go/No-Go row: the gate proved that approval is required, not that anyone approved.
    expect(approvalGuard.criteria.en).toBe('Approval enforced')
    expect(approvalGuard.criteria.tr).toBe('Onay zorunlu')
    for (const c of r.checks)
      expect(`${c.name} ${c.observed} ${c.expected} ${c.message}`).not.toMatch(/\bapproval recorded|\bwas approved by/i)
    expect(byName(r, 'required reviewers')!.message).toContain(
      'Approvals were not read (`record-approvals` is false): this proves a deployment must be approved, not that anyone has approved it yet.',
    )
    expect(r.details).toContain('| Approvals | not read (`record-approvals: false`) |')
    expect(fake.requests.map((q) => q.operationId)).toEqual(['repos/get-environment'])
  })

  it('the action summary in English does not say "Approval recorded" either', async () => {
    serveEnvironment()
    const run = await runAction('approval-guard', { inputs: { environment: 'production' }, apiUrl: fake.url })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.summary).not.toContain('Approval recorded')
    expect(run.summary).toContain('Approval enforced')
  })
})

describe('approval-guard: an approval nobody can be named for fails (issue 12)', () => {
  const unattributed: [string, unknown][] = [
    ['user: null', null],
    ['no user field', undefined],
    ['a user without a login', { id: 5, type: 'User' }],
    ['an empty login', { login: '' }],
    ['a login that is not text', { login: 42 }],
  ]
  it.each(unattributed)('%s', async (_label, who) => {
    serveEnvironment()
    const r0 = review('ghost', 10137, 'approved', 'lgtm')
    if (who === undefined) delete r0.user
    else r0.user = who
    serveReviews([r0], 'an approval whose user GitHub did not name')
    const r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(r.status, r.summary).toBe('fail')
    const approval = byName(r, 'approval')!
    expect(approval.status).toBe('fail')
    expect(approval.observed).toBe('approved by no named user')
    expect(approval.message).toBe(
      'GitHub lists 1 approval of production in run 42 without a user (a deleted account, or an incomplete answer): an approval nobody can be named for proves no person approved it, and self-review cannot be ruled out. Have a required reviewer approve a new run.',
    )
    expect(JSON.parse(r.outputs.approvals)[0]).toMatchObject({ user: '(no user)', state: 'approved' })
    // Nobody named to compare with the actor: no self-review verdict that reads "approvers ;".
    expect(byName(r, 'self-review')).toBeUndefined()
  })

  it('fails even beside an approval by a named reviewer', async () => {
    serveEnvironment()
    const ghost = review('ghost', 10137, 'approved', '')
    ghost.user = null
    serveReviews([review('alice', 101, 'approved', 'GO'), ghost], 'an approval whose user is null')
    const r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(r.status).toBe('fail')
    expect(byName(r, 'approval')).toMatchObject({ status: 'fail', observed: 'approved by alice, approved by no named user' })
    expect(byName(r, 'self-review')).toMatchObject({ status: 'pass', observed: 'approvers alice; run started by octocat' })
  })

  it('a rejection without a user is recorded, and does not make an approval', async () => {
    serveEnvironment()
    const ghost = review('ghost', 10137, 'rejected', 'no')
    ghost.user = null
    serveReviews([ghost], 'a rejection whose user is null')
    const r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(r.status).toBe('fail')
    expect(byName(r, 'approval')).toMatchObject({ status: 'fail', observed: 'rejected by (no user)' })
  })
})

describe('approval-guard: self-review counts whoever triggered this attempt (issue 12)', () => {
  it('fails when the approver triggered the re-run, though someone else started the run', async () => {
    serveEnvironment()
    serveReviews([review('mallory', 666, 'approved', 'ship it')])
    const r = await gate({ environment: 'production', 'record-approvals': 'true' }, port(), {
      GITHUB_TRIGGERING_ACTOR: 'Mallory',
      GITHUB_RUN_ATTEMPT: '2',
    })
    expect(r.status).toBe('fail')
    const self = byName(r, 'self-review')!
    expect(self).toMatchObject({ status: 'fail', observed: "approved by the run's triggering actor Mallory" })
    expect(self.message).toBe(
      'Mallory re-ran run 42 (attempt 2; octocat started it) and approved its deployment to production themselves, while prevent-self-review is requested. ' +
        'Have another required reviewer approve a new run, and tick "Prevent self-review" in Settings → Environments → production.',
    )
  })

  it('still fails when the approver started the run and someone else re-ran it', async () => {
    serveEnvironment()
    serveReviews([review('octocat', 583231, 'approved', '')])
    const r = await gate({ environment: 'production', 'record-approvals': 'true' }, port(), {
      GITHUB_TRIGGERING_ACTOR: 'bob',
      GITHUB_RUN_ATTEMPT: '2',
    })
    expect(byName(r, 'self-review')).toMatchObject({ status: 'fail', observed: "approved by the run's actor octocat" })
  })

  it('passes when neither the actor nor the triggering actor approved, naming both', async () => {
    serveEnvironment()
    serveReviews([review('alice', 101, 'approved', '')])
    const r = await gate({ environment: 'production', 'record-approvals': 'true' }, port(), {
      GITHUB_TRIGGERING_ACTOR: 'bob',
      GITHUB_RUN_ATTEMPT: '3',
    })
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'self-review')).toMatchObject({
      status: 'pass',
      observed: 'approvers alice; run started by octocat, attempt 3 triggered by bob',
    })
  })

  it('fails on a re-run whose triggering actor is unknown: it may be the approver', async () => {
    serveEnvironment()
    serveReviews([review('alice', 101, 'approved', '')])
    for (const attempt of ['2', undefined]) {
      const env: Record<string, string> = attempt ? { GITHUB_RUN_ATTEMPT: attempt } : {}
      const ctx = defaultContext({
        log: () => {},
        now: () => NOW,
        env: { GITHUB_SERVER_URL: 'https://github.com', ...env },
        github: port(),
      })
      const r = await runGate(approvalGuard, { environment: 'production', 'record-approvals': 'true' }, ctx, { id: 'approval-guard' })
      const self = r.checks.find((c) => c.name === 'self-review')!
      expect(self, String(attempt)).toMatchObject({ status: 'fail', observed: 'triggering actor unknown' })
      expect(self.message).toContain(
        `the run's triggering actor (GITHUB_TRIGGERING_ACTOR) is unknown, and ${attempt ? `attempt ${attempt}` : 'an attempt of unknown number'} may have been re-run by someone other than octocat`,
      )
    }
  })

  it('the bundled action reads GITHUB_TRIGGERING_ACTOR', async () => {
    serveEnvironment()
    serveReviews([review('mallory', 666, 'approved', 'self')])
    const run = await runAction('approval-guard', {
      inputs: { environment: 'production', 'record-approvals': 'true' },
      apiUrl: fake.url,
      env: { GITHUB_RUN_ID: '42', GITHUB_TRIGGERING_ACTOR: 'mallory', GITHUB_RUN_ATTEMPT: '2' },
    })
    expect(run.outputs.status).toBe('fail')
    expect(run.outputs.summary).toContain('mallory re-ran run 42')
  })
})

describe('approval-guard: every page of every list (issue 18)', () => {
  /** `pages` of items served by the Link header GitHub writes; `broken` answers page N with a reply instead. */
  function servePages(op: string, pages: object[][], wrap: (items: object[]) => unknown, broken?: { page: number; reply: FakeReply }) {
    fake.on(op, (req) => {
      const page = Number(req.query.page ?? '1')
      if (broken && page === broken.page) return broken.reply
      const url = `${fake.url}${req.path}?${new URLSearchParams({ ...req.query, page: String(page) })}`
      return { status: 200, body: wrap(pages[page - 1] ?? []), headers: gh.linkHeader(url, page, pages.length) }
    })
  }
  const policy = (id: number, name: string) => ({ id, node_id: `MDE2OkdhdGVCcmFuY2hQb2xpY3k${id}`, name, type: 'branch' })
  const policies = (items: object[]) => ({ total_count: 2, branch_policies: items })
  const customBranches = { branchPolicy: { protected_branches: false, custom_branch_policies: true } }

  it('reads the approval on page 2 of the run’s reviews', async () => {
    serveEnvironment()
    servePages(
      'actions/get-reviews-for-run',
      [[review('carol', 103, 'approved', 'staging ok', ['staging'])], [review('alice', 101, 'approved', 'GO')]],
      (items) => items,
    )
    const r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(byName(r, 'approval')).toMatchObject({ status: 'pass', observed: 'approved by alice' })
    expect(fake.requests.filter((q) => q.operationId === 'actions/get-reviews-for-run').map((q) => q.query.page ?? '1')).toEqual(['1', '2'])
  })

  it('fails when page 2 of the reviews cannot be read, though page 1 holds an approval', async () => {
    serveEnvironment()
    servePages('actions/get-reviews-for-run', [[review('alice', 101, 'approved', 'GO')], []], (items) => items, {
      page: 2,
      reply: { status: 502, body: gh.apiError(502, 'Server Error') },
    })
    const r = await gate({ environment: 'production', 'record-approvals': 'true' })
    expect(byName(r, 'approval')).toMatchObject({ status: 'fail', observed: 'could not read approvals (HTTP 502)' })
  })

  it('reads the deployment branch pattern on page 2', async () => {
    serveEnvironment(customBranches)
    servePages('repos/list-deployment-branch-policies', [[policy(1, 'main')], [policy(2, 'release/*')]], policies)
    const r = await gate({ environment: 'production' })
    expect(byName(r, 'deployment branches')).toMatchObject({ status: 'pass', observed: 'matching main, release/*' })
  })

  it('a page that answers 409 or links back is no shorter list: it fails', async () => {
    // Octokit's own paginator ends quietly on a 409, as if the list ended there.
    serveEnvironment(customBranches)
    servePages('repos/list-deployment-branch-policies', [[policy(1, 'main')], [policy(2, 'release/*')]], policies, {
      page: 2,
      reply: { status: 409, body: gh.apiError(409, 'Conflict') },
    })
    let r = await gate({ environment: 'production' })
    expect(byName(r, 'deployment branches')).toMatchObject({ status: 'fail', observed: 'could not list the patterns (HTTP 409)' })

    fake.on('repos/list-deployment-branch-policies', (req) => ({
      status: 200,
      body: policies([policy(1, 'main')]),
      headers: { link: `<${fake.url}${req.path}?per_page=100>; rel="next"` },
    }))
    r = await gate({ environment: 'production' })
    const branches = byName(r, 'deployment branches')!
    expect(branches.status).toBe('fail')
    expect(branches.message).toContain('did not end (a page links back to one already read), so the list is not complete')
  })
})
