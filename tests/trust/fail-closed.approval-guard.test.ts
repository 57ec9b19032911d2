// Fail-closed table for approval-guard: every way it can fail to read what it judges, against the
// fake GitHub (requests checked against GitHub's OpenAPI description). Each case is a `fail` with
// a sentence, never a pass and never a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GitHubPort } from '../../src/core/gate.js'
import type { GateResult } from '../../src/core/result.js'
import { approvalGuard } from '../../src/gates/approval-guard/gate.js'
import { createClient } from '../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub, type FakeReply } from '../harness/fake-github.js'
import * as gh from '../support/github-shapes.js'

let fake: FakeGitHub
beforeAll(async () => {
  fake = await startFakeGitHub()
})
afterAll(async () => {
  await fake.close()
})

const user = (login: string, id: number) => gh.user(login, id)

function environment(rules: object[], policy: object | null = { protected_branches: true, custom_branch_policies: false }) {
  return {
    id: 161088068,
    node_id: 'MDExOkVudmlyb25tZW50MTYxMDg4MDY4',
    name: 'production',
    url: 'https://api.github.com/repos/acme/shop/environments/production',
    html_url: 'https://github.com/acme/shop/deployments/activity_log?environments_filter=production',
    created_at: '2025-01-10T09:00:00Z',
    updated_at: '2025-05-30T17:45:00Z',
    protection_rules: rules,
    deployment_branch_policy: policy,
  }
}
const reviewersRule = (reviewers: object[] = [{ type: 'User', reviewer: user('alice', 101) }]) => ({
  id: 3755,
  node_id: 'MDQ6R2F0ZTM3NTU=',
  prevent_self_review: true,
  type: 'required_reviewers',
  reviewers,
})
const GOOD_ENV = environment([reviewersRule()])
const review = (who: unknown, state = 'approved', envs = ['production']) => ({
  environments: envs.map((name) => gh.runReview('x', [name]).environments[0]),
  state,
  comment: '',
  user: who,
})

interface Case {
  /** What went wrong, as a person would say it. */
  what: string
  env?: FakeReply
  reviews?: FakeReply
  policies?: FakeReply
  inputs?: Record<string, string>
  github?: 'none' | 'unreachable' | Partial<GitHubPort>
  vars?: Record<string, string>
  status: 'fail' | 'warn'
  /** The check that says it, and the sentence it must hold. */
  check: string
  message: RegExp
}

const ok = (body: unknown): FakeReply => ({ status: 200, body })
/** An answer broken on purpose: its shape is not GitHub's, so the fake does not check it. */
const broken = (body: unknown, why: string): FakeReply => ({ status: 200, body, offSpec: why })
const http = (status: number, message: string, headers?: Record<string, string>): FakeReply => ({
  status,
  body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) },
  ...(headers ? { headers } : {}),
})
const RECORD = { environment: 'production', 'record-approvals': 'true' }

const cases: Case[] = [
  // The environment
  {
    what: 'environment API 404 (the environment does not exist)',
    env: http(404, 'Not Found'),
    status: 'fail',
    check: 'environment',
    message: /^Environment production does not exist in acme\/shop .*would create it without reviewers/,
  },
  {
    what: 'environment API 403',
    env: http(403, 'Resource not accessible by integration', { 'x-accepted-github-permissions': 'actions=read' }),
    status: 'fail',
    check: 'environment',
    message: /^Could not read environment production of acme\/shop: GitHub answered HTTP 403 .*`permissions: actions: read`/,
  },
  {
    what: 'environment API 401',
    env: http(401, 'Bad credentials'),
    status: 'fail',
    check: 'environment',
    message: /GitHub answered HTTP 401 \(Bad credentials\)/,
  },
  {
    what: 'environment API 500',
    env: http(500, 'Server Error'),
    status: 'fail',
    check: 'environment',
    message: /^Could not read environment production of acme\/shop: GitHub answered HTTP 500 \(Server Error\)\. Run the gate again/,
  },
  {
    what: 'environment API 502 with an HTML body',
    env: { status: 502, body: '<html>Bad gateway</html>' },
    status: 'fail',
    check: 'environment',
    message: /GitHub answered HTTP 502/,
  },
  {
    what: 'the API does not answer (nothing listens)',
    github: 'unreachable',
    status: 'fail',
    check: 'environment',
    message: /^Could not read environment production of acme\/shop: the GitHub API did not answer .*Check GITHUB_API_URL/,
  },
  {
    what: 'no token or repository',
    github: 'none',
    status: 'fail',
    check: 'environment',
    message: /^Could not read environment production: the gate needs a token and a repository/,
  },
  {
    what: 'environment without reviewers (no required_reviewers rule)',
    env: ok(environment([])),
    status: 'fail',
    check: 'required reviewers',
    message: /^Environment production has no required reviewers/,
  },
  {
    what: 'a required_reviewers rule with an empty list',
    env: ok(environment([reviewersRule([])])),
    status: 'fail',
    check: 'required reviewers',
    message: /^Environment production has no required reviewers/,
  },
  {
    what: 'protection_rules that is not a list',
    env: broken({ ...GOOD_ENV, protection_rules: { required_reviewers: true } }, 'protection_rules is an object'),
    status: 'fail',
    check: 'environment',
    message:
      /^GitHub answered the environment production of acme\/shop with something that is not an environment \(`protection_rules` is not a list\)/,
  },
  {
    what: 'reviewers that is not a list',
    env: broken(environment([{ ...reviewersRule(), reviewers: 'alice' }]), 'reviewers is a string'),
    status: 'fail',
    check: 'environment',
    message: /\(the required reviewers are not a list\), so its rules cannot be read/,
  },
  {
    what: 'a required reviewer that is null',
    env: broken(environment([reviewersRule([null as unknown as object])]), 'a null reviewer'),
    status: 'fail',
    check: 'environment',
    message: /\(a required reviewer is not an object\)/,
  },
  {
    what: 'an environment answer that is not an object',
    env: broken('production', 'a string, not an environment'),
    status: 'fail',
    check: 'environment',
    message: /^GitHub answered the environment production of acme\/shop with something that is not an environment/,
  },
  {
    what: 'the branch policies cannot be listed (500)',
    env: ok(environment([reviewersRule()], { protected_branches: false, custom_branch_policies: true })),
    policies: http(500, 'Server Error'),
    status: 'fail',
    check: 'deployment branches',
    message: /^Could not list the deployment branch policies of production: GitHub answered HTTP 500/,
  },
  {
    what: 'branch policies that are not a list of patterns',
    env: ok(environment([reviewersRule()], { protected_branches: false, custom_branch_policies: true })),
    policies: broken({ total_count: 1, branch_policies: [null] }, 'a null policy'),
    status: 'fail',
    check: 'deployment branches',
    message: /^GitHub answered the deployment branch policies of production with something that is not a list of patterns/,
  },
  {
    what: 'any branch may deploy',
    env: ok(environment([reviewersRule()], null)),
    status: 'warn',
    check: 'deployment branches',
    message: /^Any branch may deploy to production/,
  },
  // The run's approvals
  {
    what: 'no approvals yet',
    env: ok(GOOD_ENV),
    reviews: ok([]),
    inputs: RECORD,
    status: 'fail',
    check: 'approval',
    message: /^Nobody approved the deployment to production in run 42\. The run has no reviews at all\./,
  },
  {
    what: 'approvals only for another environment',
    env: ok(GOOD_ENV),
    reviews: ok([review(user('carol', 103), 'approved', ['staging'])]),
    inputs: RECORD,
    status: 'fail',
    check: 'approval',
    message: /^Nobody approved the deployment to production in run 42\. The run has 1 review, none for production/,
  },
  {
    what: 'only a rejection',
    env: ok(GOOD_ENV),
    reviews: ok([review(user('bob', 102), 'rejected')]),
    inputs: RECORD,
    status: 'fail',
    check: 'approval',
    message: /^Nobody approved the deployment to production in run 42\. The reviews of production in this run: rejected by bob\./,
  },
  {
    what: 'an approval whose user is null',
    env: ok(GOOD_ENV),
    reviews: broken([review(null)], 'an approval whose user is null'),
    inputs: RECORD,
    status: 'fail',
    check: 'approval',
    message: /^GitHub lists 1 approval of production in run 42 without a user/,
  },
  {
    what: 'an approvals answer that is not a list',
    env: ok(GOOD_ENV),
    reviews: broken({ approvals: [review(user('alice', 101))] }, 'an object, not the list of reviews'),
    inputs: RECORD,
    status: 'fail',
    check: 'approval',
    message: /^GitHub answered the approvals of run 42 with something that is not a list of reviews/,
  },
  {
    what: 'approvals API 404',
    env: ok(GOOD_ENV),
    reviews: http(404, 'Not Found'),
    inputs: RECORD,
    status: 'fail',
    check: 'approval',
    message: /^Could not read the approvals of run 42: GitHub answered HTTP 404/,
  },
  {
    what: 'approvals API 403',
    env: ok(GOOD_ENV),
    reviews: http(403, 'Resource not accessible by integration'),
    inputs: RECORD,
    status: 'fail',
    check: 'approval',
    message: /^Could not read the approvals of run 42: GitHub answered HTTP 403 .*`permissions: actions: read`/,
  },
  {
    what: 'approvals API 500',
    env: ok(GOOD_ENV),
    reviews: http(500, 'Server Error'),
    inputs: RECORD,
    status: 'fail',
    check: 'approval',
    message: /^Could not read the approvals of run 42: GitHub answered HTTP 500/,
  },
  {
    what: 'no run id',
    env: ok(GOOD_ENV),
    inputs: RECORD,
    github: { runId: undefined },
    status: 'fail',
    check: 'approval',
    message: /^Could not read approvals: the run id \(GITHUB_RUN_ID\) is unknown/,
  },
  {
    what: 'the run actor is unknown',
    env: ok(GOOD_ENV),
    reviews: ok([review(user('alice', 101))]),
    inputs: RECORD,
    github: { actor: undefined },
    status: 'fail',
    check: 'self-review',
    message: /^Could not tell whether the approver started run 42: the run's actor \(GITHUB_ACTOR\) is unknown/,
  },
  {
    what: 'a re-run whose triggering actor is unknown',
    env: ok(GOOD_ENV),
    reviews: ok([review(user('alice', 101))]),
    inputs: RECORD,
    vars: { GITHUB_RUN_ATTEMPT: '2' },
    status: 'fail',
    check: 'self-review',
    message: /the run's triggering actor \(GITHUB_TRIGGERING_ACTOR\) is unknown, and attempt 2 may have been re-run/,
  },
  // Inputs
  {
    what: 'environment given empty',
    inputs: { environment: '' },
    status: 'fail',
    check: 'inputs',
    message: /^Could not run the gate: input `environment` is required/,
  },
  {
    what: 'environment given as spaces',
    inputs: { environment: '   ' },
    status: 'fail',
    check: 'inputs',
    message: /^Could not run the gate: input `environment` is required/,
  },
]

async function run(c: Case): Promise<GateResult> {
  fake.requests.length = 0
  fake.invalid.length = 0
  fake.invalidResponses.length = 0
  const base: GitHubPort = {
    octokit: createClient('ghs_failClosed', { retries: 0 }, c.github === 'unreachable' ? 'http://127.0.0.1:9' : fake.url),
    owner: 'acme',
    repo: 'shop',
    runId: 42,
    actor: 'octocat',
  }
  const github = c.github === 'none' ? undefined : typeof c.github === 'object' ? { ...base, ...c.github } : base
  const ctx = defaultContext({
    log: () => {},
    now: () => new Date('2025-06-01T12:00:00Z'),
    env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ATTEMPT: '1', ...c.vars },
    ...(github ? { github } : {}),
  })
  return runGate(approvalGuard, c.inputs ?? { environment: 'production' }, ctx, { id: 'approval-guard' })
}

let current: symbol | undefined

describe('approval-guard fails closed', () => {
  it.each(cases)('$what → $status', async (c) => {
    const handlers: [string, FakeReply | undefined][] = [
      ['repos/get-environment', c.env],
      ['actions/get-reviews-for-run', c.reviews],
      ['repos/list-deployment-branch-policies', c.policies],
    ]
    // Handlers stay registered for the fake's life: each answers only while its case runs.
    const token = Symbol(c.what)
    current = token
    for (const [op, reply] of handlers) if (reply) fake.on(op, () => (current === token ? reply : undefined))
    const r = await run(c)
    expect(fake.invalid, 'requests GitHub would reject').toEqual([])
    expect(fake.invalidResponses, 'answers GitHub would not give').toEqual([])
    expect(r.status, r.summary).toBe(c.status)
    const found = r.checks.filter((x) => x.name === c.check && x.status === c.status)
    expect(found, JSON.stringify(r.checks, null, 1)).toHaveLength(1)
    const message = found[0].message
    expect(message).toMatch(c.message)
    // A sentence a person can act on: starts with a capital or a quoted name, ends with a full stop.
    expect(message).toMatch(/^[A-Z`].*[.)]$/s)
    expect(JSON.stringify(r)).not.toMatch(/\n\s+at |TypeError|is not a function|Cannot read properties|undefined/)
    expect(r.summary).toMatch(new RegExp(`^approval-guard: ${c.status.toUpperCase()}: `))
  })
})
