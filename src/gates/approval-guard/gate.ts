/**
 * approval-guard: proves that the human GO of a cutover is real.
 *
 * A job with `environment: production` only waits for a person when the environment says so, and
 * a job that names an environment that does not exist silently creates it without reviewers. So
 * this gate reads the environment through the GitHub API and checks that it lists required
 * reviewers (at least `min-reviewers`), forbids self-review when asked, and limits the branches
 * that may deploy. With `record-approvals` it also reads this run's review history and records
 * who approved the environment, with what comment; it fails when nobody approved it, when an
 * approval names no user, or when the approver started the run or triggered this attempt of it
 * while self-review is forbidden. Without `record-approvals` it proves that approval is required,
 * and says that it did not read who approved.
 *
 * GitHub lets one reviewer approve an environment, so a two-person rule needs a second wait: the
 * reusable workflow makes one job wait for a second environment (`approval-environments`) before
 * the GO job waits for `environment`. `min-approvals` then counts the distinct people who approved
 * either, never the person who started the run or triggered this attempt. `incident-commander`
 * must be one of them. `approval-round` is for a job that waits for the environment again (a
 * canary step of `approve-steps`): the run must hold at least that many approvals of it.
 */
import { defineGate, type GateContext, type GitHubPort } from '../../core/gate.js'
import { check, type Check, type Status } from '../../core/result.js'
import { apiFailure, describeStatus, httpStatus } from '../../github/errors.js'
import { membershipChecker, personText, type Person } from '../../github/people.js'
import { allItems } from '../../github/pages.js'
import { cell } from '../../lib/markdown.js'
import { approvalGuardInputs, approvalGuardAction } from './spec.js'

export { approvalGuardInputs } from './spec.js'

// ---------------------------------------------------------------------------------------------
// What we read of GitHub's answers (repos/get-environment, repos/list-deployment-branch-policies,
// actions/get-reviews-for-run). Declared narrowly: every field may be missing in an answer.

interface SimpleUser {
  login?: unknown
}
interface Team {
  slug?: string
  name?: string
}
interface Reviewer {
  type?: 'User' | 'Team' | string
  reviewer?: SimpleUser & Team
}
interface ProtectionRule {
  type?: string
  prevent_self_review?: boolean
  reviewers?: Reviewer[]
  wait_timer?: number
}
interface Environment {
  id?: number
  name?: string
  html_url?: string
  protection_rules?: ProtectionRule[]
  deployment_branch_policy?: { protected_branches?: boolean; custom_branch_policies?: boolean } | null
}
interface BranchPolicy {
  name?: string
  type?: 'branch' | 'tag' | string
}
interface Review {
  state?: string
  comment?: string
  user?: SimpleUser | null
  environments?: { name?: string }[]
}

/** One review of the run, as recorded in the `approvals` output and the report. */
export interface RecordedApproval {
  user: string
  state: string
  comment: string
  environments: string[]
  /**
   * GitHub's review history gives no time for a review, so this is when the gate read it: the
   * review was submitted before this instant (and, for the approval job, shortly before).
   */
  recordedAt: string
}

// ---------------------------------------------------------------------------------------------
// The gate

export const approvalGuard = defineGate({
  name: 'approval-guard',
  category: 'Ops',
  // True with and without `record-approvals`: the environment enforces approval (and, when
  // recording, this run was approved). Never "recorded" for a run whose approvals were not read.
  criteria: { en: 'Approval enforced', tr: 'Onay zorunlu' },
  ...approvalGuardAction,
  inputs: approvalGuardInputs,
  outputs: {
    approvals:
      "JSON array of this run's reviews, each `{user, state, comment, environments, recordedAt}` (GitHub gives no review time: `recordedAt` is when the gate read it). Set only with `record-approvals: true`.",
  },
  async run(s, ctx) {
    const env = s.environment
    const gh = ctx.github
    if (!gh) {
      return {
        checks: [
          check(
            'fail',
            'environment',
            'no GitHub API access',
            `environment ${env} readable`,
            `Could not read environment ${env}: the gate needs a token and a repository (the \`github-token\` input and GITHUB_REPOSITORY) to use the GitHub API. Run it in a workflow, or give it a token.`,
          ),
        ],
      }
    }
    const settingsUrl = (id?: number) =>
      `${ctx.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${gh.owner}/${gh.repo}/settings/environments${id ? `/${id}/edit` : ''}`

    const read = await readEnvironment(gh, env)
    if ('error' in read) {
      const where = { url: settingsUrl() }
      return { checks: [check('fail', 'environment', read.observed, `environment ${env} readable`, read.error, where)] }
    }
    const environment = read.environment
    const where = { url: settingsUrl(environment.id) }
    const checks: Check[] = []
    const rows: [string, string][] = []

    const rule = (environment.protection_rules ?? []).find((r) => r.type === 'required_reviewers')
    const reviewers = (rule?.reviewers ?? []).map(reviewerName)
    const teams = (rule?.reviewers ?? []).filter((r) => r.type === 'Team').length
    const reviewersChecked = reviewersCheck(env, reviewers, teams, s['min-reviewers'], where)
    if (!s['record-approvals'] && reviewersChecked.status === 'pass') {
      reviewersChecked.message +=
        ' Approvals were not read (`record-approvals` is false): this proves a deployment must be approved, not that anyone has approved it yet.'
    }
    checks.push(reviewersChecked)
    rows.push(['Required reviewers', reviewers.length ? reviewers.join(', ') : 'none'])

    const selfReviewForbidden = rule?.prevent_self_review === true
    rows.push(['Prevent self-review', selfReviewForbidden ? 'enabled' : 'disabled'])
    if (s['prevent-self-review']) checks.push(selfReviewSettingCheck(env, selfReviewForbidden, where))

    const wait = (environment.protection_rules ?? []).find((r) => r.type === 'wait_timer')
    if (wait?.wait_timer) rows.push(['Wait timer', `${wait.wait_timer} minute${wait.wait_timer === 1 ? '' : 's'}`])

    const branches = await branchPolicyCheck(gh, env, environment, where)
    checks.push(branches.check)
    rows.push(['Deployment branches', branches.summary])

    for (const extra of s['approval-environments'] ?? []) {
      const more = await environmentRules(gh, extra, s['prevent-self-review'], settingsUrl)
      checks.push(...more.checks)
      rows.push(...more.rows)
    }

    if (!s['record-approvals']) rows.push(['Approvals', 'not read (`record-approvals: false`)'])
    const needsRecording = [
      s['min-approvals'] > 1 ? `min-approvals ${s['min-approvals']}` : '',
      s['incident-commander'] ? 'incident-commander' : '',
      s['approval-round'] > 1 ? `approval-round ${s['approval-round']}` : '',
    ].filter(Boolean)
    if (!s['record-approvals'] && needsRecording.length) {
      checks.push(
        check(
          'fail',
          'approvers',
          'approvals not read',
          'approvals read',
          `${needsRecording.join(', ')} ${needsRecording.length === 1 ? 'asks' : 'ask'} who approved the run, which this gate reads only with \`record-approvals: true\`. Set it, in the job that waits for the approval.`,
        ),
      )
    }

    const details = [
      `**Environment \`${cell(env)}\`** (${gh.owner}/${gh.repo})`,
      '',
      '| Rule | Setting |',
      '|---|---|',
      ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    ]
    const metrics: Record<string, number> = { reviewers: reviewers.length }
    const outputs: Record<string, string> = {}

    if (s['record-approvals']) {
      const recorded = await recordApprovals(gh, env, s['prevent-self-review'], ctx)
      checks.push(...recorded.checks)
      if (recorded.approvals) {
        outputs.approvals = JSON.stringify(recorded.approvals)
        metrics.approvals = recorded.approvals.filter((a) => a.state === 'approved' && covers(a, env)).length
        details.push('', ...approvalsTable(recorded.approvals, gh.runId))
        const counted = [env, ...(s['approval-environments'] ?? [])]
        const where = { url: `${ctx.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${gh.owner}/${gh.repo}/actions/runs/${gh.runId}` }
        if (s['approval-round'] > 1) checks.push(roundCheck(env, recorded.approvals, s['approval-round'], gh.runId, where))
        if (s['min-approvals'] > 1) {
          const c = approversCheck(counted, recorded.approvals, s['min-approvals'], gh, ctx.env, where)
          metrics.distinct_approvers = c.distinct
          checks.push(c.check)
        }
        if (s['incident-commander']) checks.push(await commanderCheck(counted, recorded.approvals, s['incident-commander'], gh, where))
      }
    }
    return { checks, metrics, details: details.join('\n'), outputs }
  },
})

// ---------------------------------------------------------------------------------------------
// The environment and its rules

type EnvironmentRead = { environment: Environment } | { error: string; observed: string }

async function readEnvironment(gh: GitHubPort, env: string): Promise<EnvironmentRead> {
  try {
    const res = await gh.octokit.request('GET /repos/{owner}/{repo}/environments/{environment_name}', {
      owner: gh.owner,
      repo: gh.repo,
      environment_name: env,
    })
    const problem = environmentProblem(res.data)
    if (problem) {
      return {
        observed: 'unreadable answer',
        error: `GitHub answered the environment ${env} of ${gh.owner}/${gh.repo} with something that is not an environment (${problem}), so its rules cannot be read. Run the gate again; if it persists, check that GITHUB_API_URL points at the GitHub API.`,
      }
    }
    return { environment: res.data as Environment }
  } catch (err) {
    const status = httpStatus(err)
    if (status === 404) {
      return {
        observed: 'HTTP 404',
        error:
          `Environment ${env} does not exist in ${gh.owner}/${gh.repo} (or the token cannot see the repository): a job with \`environment: ${env}\` would create it without reviewers, and nobody would be asked to approve. ` +
          `Create it in Settings → Environments with required reviewers, or correct \`environment\`.`,
      }
    }
    return { observed: describeStatus(err), error: apiError(err, `read environment ${env} of ${gh.owner}/${gh.repo}`) }
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
const absent = (x: unknown) => x === undefined || x === null

/** What makes an answer unreadable as an environment (a wrong shape must not read as "no reviewers"). */
function environmentProblem(data: unknown): string | undefined {
  if (!isRecord(data)) return 'not a JSON object'
  const rules = data.protection_rules
  if (!absent(rules) && !Array.isArray(rules)) return '`protection_rules` is not a list'
  for (const rule of (rules ?? []) as unknown[]) {
    if (!isRecord(rule)) return 'a protection rule is not an object'
    if (!absent(rule.reviewers) && !Array.isArray(rule.reviewers)) return 'the required reviewers are not a list'
    if (((rule.reviewers ?? []) as unknown[]).some((r) => !isRecord(r))) return 'a required reviewer is not an object'
  }
  if (!absent(data.deployment_branch_policy) && !isRecord(data.deployment_branch_policy))
    return '`deployment_branch_policy` is not an object'
  return undefined
}

function reviewerName(r: Reviewer): string {
  const who = r.reviewer ?? {}
  if (r.type === 'Team') return `team ${who.slug ?? who.name ?? '(unnamed)'}`
  return loginOf(who) ?? '(unnamed user)'
}

function reviewersCheck(env: string, reviewers: string[], teams: number, min: number, where: { url: string }): Check {
  const expected = `at least ${min} required reviewer${min === 1 ? '' : 's'}`
  const observed = `${reviewers.length} required reviewer${reviewers.length === 1 ? '' : 's'}`
  const teamNote = teams > 0 ? ` A team counts as one reviewer slot: any one of its members may approve.` : ''
  if (reviewers.length === 0) {
    return check(
      'fail',
      'required reviewers',
      observed,
      expected,
      `Environment ${env} has no required reviewers: a job that deploys to it starts without anyone approving. ` +
        `Add required reviewers in Settings → Environments → ${env} (on GitHub Free, Pro and Team plans, required reviewers are available for public repositories only).`,
      where,
    )
  }
  if (reviewers.length < min) {
    return check(
      'fail',
      'required reviewers',
      observed,
      expected,
      `Environment ${env} lists ${reviewers.length} required reviewer${reviewers.length === 1 ? '' : 's'} (${reviewers.join(', ')}), fewer than min-reviewers ${min}.${teamNote} Add reviewers in Settings → Environments → ${env}, or lower \`min-reviewers\`.`,
      where,
    )
  }
  return check(
    'pass',
    'required reviewers',
    observed,
    expected,
    `Environment ${env} lists ${reviewers.length} required reviewer${reviewers.length === 1 ? '' : 's'} (${reviewers.join(', ')}), at least min-reviewers ${min}; GitHub needs one of them to approve a deployment.${teamNote}`,
    where,
  )
}

function selfReviewSettingCheck(env: string, enabled: boolean, where: { url: string }): Check {
  if (enabled) {
    return check(
      'pass',
      'prevent self-review',
      'enabled',
      'enabled',
      `Environment ${env} forbids reviewers from approving runs they started.`,
      where,
    )
  }
  return check(
    'fail',
    'prevent self-review',
    'disabled',
    'enabled',
    `Environment ${env} lets a reviewer approve a run they started themselves, but prevent-self-review is requested. ` +
      `Tick "Prevent self-review" under Required reviewers in Settings → Environments → ${env}, or set \`prevent-self-review: false\`.`,
    where,
  )
}

async function branchPolicyCheck(
  gh: GitHubPort,
  env: string,
  environment: Environment,
  where: { url: string },
): Promise<{ check: Check; summary: string }> {
  const verdict = (status: Status, observed: string, message: string) => ({
    summary: observed,
    check: check(status, 'deployment branches', observed, 'deployment limited to chosen branches', message, where),
  })
  const settings = `Settings → Environments → ${env}`
  const policy = environment.deployment_branch_policy
  if (!policy) {
    return verdict(
      'warn',
      'any branch may deploy',
      `Any branch may deploy to ${env}; set deployment branches (${settings} → Deployment branches and tags) so that only release branches can.`,
    )
  }
  if (policy.protected_branches) return verdict('pass', 'protected branches only', `Only protected branches may deploy to ${env}.`)
  if (!policy.custom_branch_policies) {
    return verdict(
      'warn',
      'a policy that is neither protected branches nor custom patterns',
      `Environment ${env} has a deployment branch policy GitHub describes as neither protected branches nor custom patterns; check it in ${settings}.`,
    )
  }
  let patterns: BranchPolicy[]
  try {
    // Every page: the pattern that lets a branch deploy may be on the last one.
    const answer = await allItems(
      gh.octokit,
      'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
      { owner: gh.owner, repo: gh.repo, environment_name: env, per_page: 100 },
      'branch_policies',
    )
    if (!answer || answer.some((p) => !isRecord(p))) {
      return verdict(
        'fail',
        'could not read the patterns (unreadable answer)',
        `GitHub answered the deployment branch policies of ${env} with something that is not a list of patterns, so which branches may deploy cannot be told. Run the gate again.`,
      )
    }
    patterns = answer as BranchPolicy[]
  } catch (err) {
    return verdict(
      'fail',
      `could not list the patterns (${describeStatus(err)})`,
      apiError(err, `list the deployment branch policies of ${env}`),
    )
  }
  const names = patterns.map((p) => (p.type === 'tag' ? `tag ${p.name ?? '?'}` : (p.name ?? '?')))
  if (names.length === 0) {
    return verdict(
      'warn',
      'custom patterns, none set',
      `Environment ${env} limits deployments to selected branches and tags but lists no pattern; add the release branch pattern in ${settings}.`,
    )
  }
  return verdict('pass', `matching ${names.join(', ')}`, `Only branches and tags matching ${names.join(', ')} may deploy to ${env}.`)
}

// ---------------------------------------------------------------------------------------------
// The run's approvals

const covers = (a: RecordedApproval, env: string) => a.environments.some((e) => e.toLowerCase() === env.toLowerCase())

async function recordApprovals(
  gh: GitHubPort,
  env: string,
  preventSelfReview: boolean,
  ctx: GateContext,
): Promise<{ checks: Check[]; approvals?: RecordedApproval[] }> {
  if (gh.runId === undefined) {
    return {
      checks: [
        check(
          'fail',
          'approval',
          'no run id',
          `an approved review for ${env}`,
          `Could not read approvals: the run id (GITHUB_RUN_ID) is unknown. Run the gate inside the workflow run whose approval it records, or set \`record-approvals: false\`.`,
        ),
      ],
    }
  }
  const runUrl = `${ctx.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${gh.owner}/${gh.repo}/actions/runs/${gh.runId}`
  let reviews: Review[]
  try {
    // GitHub documents no pages for this list, but a Link to a next page is followed all the same:
    // the approval that counts may be on it.
    const data = await allItems(gh.octokit, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals', {
      owner: gh.owner,
      repo: gh.repo,
      run_id: gh.runId,
    })
    if (!data) {
      return {
        checks: [
          check(
            'fail',
            'approval',
            'unreadable answer',
            `an approved review for ${env}`,
            `GitHub answered the approvals of run ${gh.runId} with something that is not a list of reviews, so who approved cannot be told. Run the gate again; if it persists, check that GITHUB_API_URL points at the GitHub API.`,
            { url: runUrl },
          ),
        ],
      }
    }
    // A review that is not an object holds no approval; its fields are read as text or not at all.
    reviews = data.filter(isRecord) as Review[]
  } catch (err) {
    return {
      checks: [
        check(
          'fail',
          'approval',
          `could not read approvals (${describeStatus(err)})`,
          `an approved review for ${env}`,
          apiError(err, `read the approvals of run ${gh.runId}`),
          { url: runUrl },
        ),
      ],
    }
  }
  const recordedAt = ctx.now().toISOString()
  const approvals: RecordedApproval[] = reviews.map((r) => ({
    user: loginOf(r.user) ?? NO_USER,
    state: typeof r.state === 'string' ? r.state : 'unknown',
    comment: typeof r.comment === 'string' ? r.comment : '',
    environments: (Array.isArray(r.environments) ? r.environments : []).map((e) =>
      isRecord(e) && typeof e.name === 'string' ? e.name : '?',
    ),
    recordedAt,
  }))
  const forEnv = approvals.filter((a) => covers(a, env))
  const approved = forEnv.filter((a) => a.state === 'approved')
  const expected = `an approved review for ${env}`
  const checks: Check[] = []
  const where = { url: runUrl }

  if (approved.length === 0) {
    const others = forEnv.length
      ? ` The reviews of ${env} in this run: ${forEnv.map((a) => `${a.state} by ${a.user}`).join(', ')}.`
      : approvals.length
        ? ` The run has ${approvals.length} review${approvals.length === 1 ? '' : 's'}, none for ${env} (for ${[...new Set(approvals.flatMap((a) => a.environments))].join(', ') || 'no environment'}).`
        : ' The run has no reviews at all.'
    checks.push(
      check(
        'fail',
        'approval',
        forEnv.length ? forEnv.map((a) => `${a.state} by ${a.user}`).join(', ') : 'no review',
        expected,
        `Nobody approved the deployment to ${env} in run ${gh.runId}.${others} Run this gate in a job with \`environment: ${env}\`, after its required reviewers approve.`,
        where,
      ),
    )
    return { checks, approvals }
  }

  const named = approved.filter((a) => a.user !== NO_USER)
  const nameless = approved.length - named.length
  const observed = approved
    .map((a) => `approved by ${a.user === NO_USER ? 'no named user' : a.user}`)
    .filter((t, i, all) => all.indexOf(t) === i)
  if (nameless > 0) {
    // A person approves; an approval naming nobody cannot be told apart from the actor's own.
    checks.push(
      check(
        'fail',
        'approval',
        observed.join(', '),
        `${expected}, by a named user`,
        `GitHub lists ${nameless} approval${nameless === 1 ? '' : 's'} of ${env} in run ${gh.runId} without a user (a deleted account, or an incomplete answer): an approval nobody can be named for proves no person approved it, and self-review cannot be ruled out. Have a required reviewer approve a new run.`,
        where,
      ),
    )
  } else {
    const rejected = forEnv.filter((a) => a.state === 'rejected')
    const said = (a: RecordedApproval) => (a.comment ? ` ("${a.comment}")` : '')
    checks.push(
      check(
        'pass',
        'approval',
        observed.join(', '),
        expected,
        `The deployment to ${env} in run ${gh.runId} was approved by ${approved.map((a) => `${a.user}${said(a)}`).join(', ')}.` +
          (rejected.length ? ` Also rejected by ${rejected.map((a) => `${a.user}${said(a)}`).join(', ')}.` : ''),
        where,
      ),
    )
  }

  // With only nameless approvals there is nobody to compare: the approval check already fails.
  if (preventSelfReview && named.length > 0) checks.push(selfReviewCheck(gh, env, named, ctx.env, where))
  return { checks, approvals }
}

/** What a review's approver is recorded as when GitHub names nobody; never a valid login. */
const NO_USER = '(no user)'

function loginOf(user: SimpleUser | null | undefined): string | undefined {
  const login = user?.login
  return typeof login === 'string' && login.trim() !== '' ? login : undefined
}

/**
 * Nobody approves a run they started, nor an attempt of it they triggered: `GITHUB_ACTOR` started
 * the run, `GITHUB_TRIGGERING_ACTOR` this attempt (a re-run may be someone else's).
 */
function selfReviewCheck(
  gh: GitHubPort,
  env: string,
  approved: RecordedApproval[],
  vars: GateContext['env'],
  where: { url: string },
): Check {
  const name = 'self-review'
  const expected = 'approver is neither the person who started the run nor the one who triggered this attempt'
  const actor = gh.actor || undefined
  const triggering = vars.GITHUB_TRIGGERING_ACTOR?.trim() || undefined
  const attempt = vars.GITHUB_RUN_ATTEMPT?.trim() || undefined
  if (!actor && !triggering) {
    return check(
      'fail',
      name,
      'run actor unknown',
      expected,
      `Could not tell whether the approver started run ${gh.runId}: the run's actor (GITHUB_ACTOR) is unknown. Run the gate inside the workflow run, or set \`prevent-self-review: false\`.`,
      where,
    )
  }
  // On a first attempt the two are one person; on a re-run either may be missing someone.
  if ((!actor || !triggering) && attempt !== '1') {
    const [known, missing] = actor ? [actor, 'triggering actor (GITHUB_TRIGGERING_ACTOR)'] : [triggering!, 'actor (GITHUB_ACTOR)']
    return check(
      'fail',
      name,
      actor ? 'triggering actor unknown' : 'run actor unknown',
      expected,
      `Could not tell whether the approver started run ${gh.runId}: the run's ${missing} is unknown, and ${attempt ? `attempt ${attempt}` : 'an attempt of unknown number'} may have been re-run by someone other than ${known}. Run the gate inside the workflow run, or set \`prevent-self-review: false\`.`,
      where,
    )
  }
  const same = (a: RecordedApproval, who: string | undefined) => who !== undefined && a.user.toLowerCase() === who.toLowerCase()
  const byActor = approved.find((a) => same(a, actor))
  if (byActor) {
    return check(
      'fail',
      name,
      `approved by the run's actor ${actor}`,
      expected,
      `${actor} started run ${gh.runId} and approved its deployment to ${env} themselves, while prevent-self-review is requested. ` +
        `Have another required reviewer approve a new run, and tick "Prevent self-review" in Settings → Environments → ${env}.`,
      where,
    )
  }
  const byTriggering = approved.find((a) => same(a, triggering))
  if (byTriggering) {
    const startedBy = actor ? `; ${actor} started it` : ''
    return check(
      'fail',
      name,
      `approved by the run's triggering actor ${triggering}`,
      expected,
      `${triggering} re-ran run ${gh.runId} (attempt ${attempt ?? '?'}${startedBy}) and approved its deployment to ${env} themselves, while prevent-self-review is requested. ` +
        `Have another required reviewer approve a new run, and tick "Prevent self-review" in Settings → Environments → ${env}.`,
      where,
    )
  }
  const approvers = approved.map((a) => a.user).join(', ')
  const reran = triggering && (!actor || triggering.toLowerCase() !== actor.toLowerCase())
  const starters = [actor ? `run started by ${actor}` : '', reran ? `attempt ${attempt ?? '?'} triggered by ${triggering}` : '']
    .filter(Boolean)
    .join(', ')
  return check(
    'pass',
    name,
    `approvers ${approvers}; ${starters}`,
    expected,
    `Nobody approved their own run: ${[
      actor ? `${actor} started run ${gh.runId}` : '',
      reran ? `${triggering} triggered attempt ${attempt ?? '?'}` : '',
    ]
      .filter(Boolean)
      .join(', ')}, and ${approvers} approved it.`,
    where,
  )
}

// ---------------------------------------------------------------------------------------------
// More than one approval: a second environment, the two-person rule, the Incident Commander

/** A further environment's rules: it exists, lists reviewers, forbids self-review when asked. */
async function environmentRules(
  gh: GitHubPort,
  name: string,
  preventSelfReview: boolean,
  settingsUrl: (id?: number) => string,
): Promise<{ checks: Check[]; rows: [string, string][] }> {
  const read = await readEnvironment(gh, name)
  if ('error' in read) {
    return {
      checks: [check('fail', `environment ${name}`, read.observed, `environment ${name} readable`, read.error, { url: settingsUrl() })],
      rows: [],
    }
  }
  const where = { url: settingsUrl(read.environment.id) }
  const rule = (read.environment.protection_rules ?? []).find((r) => r.type === 'required_reviewers')
  const reviewers = (rule?.reviewers ?? []).map(reviewerName)
  const teams = (rule?.reviewers ?? []).filter((r) => r.type === 'Team').length
  const checks = [reviewersCheck(name, reviewers, teams, 1, where)]
  checks[0].name = `required reviewers (${name})`
  if (preventSelfReview) {
    const c = selfReviewSettingCheck(name, rule?.prevent_self_review === true, where)
    c.name = `prevent self-review (${name})`
    checks.push(c)
  }
  return { checks, rows: [[`Required reviewers of ${name}`, reviewers.length ? reviewers.join(', ') : 'none']] }
}

/** The approvals of the counted environments that name a person. */
const approvalsOf = (approvals: RecordedApproval[], envs: string[]) =>
  approvals.filter((a) => a.state === 'approved' && a.user !== NO_USER && envs.some((e) => covers(a, e)))

function roundCheck(env: string, approvals: RecordedApproval[], round: number, runId: number | undefined, where: { url: string }): Check {
  const held = approvals.filter((a) => a.state === 'approved' && covers(a, env))
  const expected = `at least ${round} approvals of ${env} in the run`
  const who = held.map((a) => a.user).join(', ')
  if (held.length >= round) {
    return check(
      'pass',
      'approval round',
      `${held.length} approvals of ${env}`,
      expected,
      `Run ${runId ?? '?'} holds ${held.length} approvals of ${env} (${who}): its reviewers approved this job, the wait number ${round} for them.`,
      where,
    )
  }
  return check(
    'fail',
    'approval round',
    `${held.length} approval${held.length === 1 ? '' : 's'} of ${env}`,
    expected,
    `Run ${runId ?? '?'} holds ${held.length} approval${held.length === 1 ? '' : 's'} of ${env}${who ? ` (${who})` : ''}, but this job is wait number ${round} for its reviewers: this step was not approved by them. Check that the job has \`environment: ${env}\` and that the environment still requires reviewers.`,
    where,
  )
}

function approversCheck(
  envs: string[],
  approvals: RecordedApproval[],
  min: number,
  gh: GitHubPort,
  vars: GateContext['env'],
  where: { url: string },
): { check: Check; distinct: number } {
  const starters = [gh.actor, vars.GITHUB_TRIGGERING_ACTOR?.trim()].filter((x): x is string => !!x).map((x) => x.toLowerCase())
  const people = new Map<string, string>()
  for (const a of approvalsOf(approvals, envs)) people.set(a.user.toLowerCase(), a.user)
  const excluded = [...people.keys()].filter((p) => starters.includes(p)).map((p) => people.get(p)!)
  const counted = [...people].filter(([k]) => !starters.includes(k)).map(([, v]) => v)
  const expected = `at least ${min} distinct approvers of ${envs.join(' and ')}, none of them who started the run`
  const without = excluded.length
    ? `; ${excluded.join(', ')} started or re-ran the run, so ${excluded.length === 1 ? 'that approval does' : 'those approvals do'} not count`
    : ''
  if (starters.length === 0) {
    return {
      distinct: counted.length,
      check: check(
        'fail',
        'approvers',
        'run actor unknown',
        expected,
        `Could not count the approvers of run ${gh.runId ?? '?'}: who started it (GITHUB_ACTOR) is unknown, so their own approval cannot be left out. Run the gate inside the workflow run.`,
        where,
      ),
    }
  }
  if (counted.length >= min) {
    return {
      distinct: counted.length,
      check: check(
        'pass',
        'approvers',
        `${counted.length} distinct approvers: ${counted.join(', ')}`,
        expected,
        `${counted.length} different people approved run ${gh.runId ?? '?'} (${counted.join(', ')}), at least min-approvals ${min}${without}.`,
        where,
      ),
    }
  }
  return {
    distinct: counted.length,
    check: check(
      'fail',
      'approvers',
      `${counted.length} distinct approver${counted.length === 1 ? '' : 's'}${counted.length ? `: ${counted.join(', ')}` : ''}`,
      expected,
      `Only ${counted.length} different ${counted.length === 1 ? 'person' : 'people'} approved run ${gh.runId ?? '?'}${counted.length ? ` (${counted.join(', ')})` : ''}, fewer than min-approvals ${min}${without}. ` +
        `GitHub asks one reviewer per environment: have a different reviewer approve ${envs.length > 1 ? envs.slice(1).join(', ') : 'a second environment (`approval-environments`)'}, in a new run.`,
      where,
    ),
  }
}

async function commanderCheck(
  envs: string[],
  approvals: RecordedApproval[],
  ic: Person,
  gh: GitHubPort,
  where: { url: string },
): Promise<Check> {
  const approvers = [...new Set(approvalsOf(approvals, envs).map((a) => a.user))]
  const expected = `${personText(ic)} among the approvers`
  const isOneOf = membershipChecker(gh)
  const problems: string[] = []
  for (const login of approvers) {
    const m = await isOneOf(login, [ic])
    if (m.match) {
      const as = ic.kind === 'team' ? `${login}, of team ${personText(ic)}` : login
      return check(
        'pass',
        'incident commander',
        `approved by ${as}`,
        expected,
        `The Incident Commander approved run ${gh.runId ?? '?'}: ${as}.`,
        where,
      )
    }
    problems.push(...m.problems)
  }
  const who = approvers.length ? `approved only by ${approvers.join(', ')}` : 'approved by nobody'
  if (problems.length) {
    return check(
      'fail',
      'incident commander',
      'membership unreadable',
      expected,
      `Run ${gh.runId ?? '?'} was ${who}; ${[...new Set(problems)].join(' ')}`,
      where,
    )
  }
  return check(
    'fail',
    'incident commander',
    who,
    expected,
    `Run ${gh.runId ?? '?'} was ${who}, and the Incident Commander (${personText(ic)}) is not among them: the runbook's sole decider did not say GO. Have ${personText(ic)} approve a new run.`,
    where,
  )
}

function approvalsTable(approvals: RecordedApproval[], runId?: number): string[] {
  if (approvals.length === 0) return [`Run ${runId ?? '?'} has no reviews.`]
  return [
    `**Reviews of run ${runId ?? '?'}**`,
    '',
    '| Reviewer | State | Environments | Comment | Recorded at |',
    '|---|---|---|---|---|',
    ...approvals.map(
      (a) => `| ${cell(a.user)} | ${a.state} | ${cell(a.environments.join(', '))} | ${cell(a.comment) || '-'} | ${a.recordedAt} |`,
    ),
    '',
    "GitHub's review history gives no time for a review: *recorded at* is when this gate read it; the review came before.",
  ]
}

// ---------------------------------------------------------------------------------------------
// API failures as sentences

/**
 * The sentence for a failed API call. Environments, branch policies and a run's reviews all need
 * the "Actions" read permission (`actions: read` for GITHUB_TOKEN); classic tokens need `repo`
 * for a private repository.
 */
export function apiError(err: unknown, what: string): string {
  return apiFailure(
    err,
    what,
    'The token needs the "Actions" read permission: give the job `permissions: actions: read` (a classic token needs the `repo` scope for a private repository).',
  )
}
