/**
 * What protects a branch: the rules of every active ruleset that applies to it (readable with
 * any token that may read the repository), then classic branch protection (readable only with
 * the repository's "Administration: read", which the workflow's GITHUB_TOKEN never has). Each
 * requirement passes on either; one that neither proves is a fail that says why, and a refusal
 * to read is never taken for "protected".
 */
import type { GitHubPort } from '../../core/gate.js'
import { check, type Check } from '../../core/result.js'
import { apiFailure, describeStatus, githubMessage, httpStatus, isRecord } from '../../github/errors.js'
import { allItems } from '../../github/pages.js'

export type Requirement = 'force pushes' | 'deletion' | 'reviews'
const REQUIREMENTS: Requirement[] = ['force pushes', 'deletion', 'reviews']

const EXPECTED: Record<Requirement, string> = {
  'force pushes': 'force pushes blocked',
  deletion: 'deletion blocked',
  reviews: 'at least one approving review required',
}

/** Which requirement a source proves, and in what words. */
type Proof = Partial<Record<Requirement, string>>

interface Rule {
  type?: unknown
  parameters?: { required_approving_review_count?: unknown } | null
  ruleset_id?: unknown
  ruleset_source?: unknown
  ruleset_source_type?: unknown
}

const rulesetName = (r: Rule) =>
  `ruleset ${typeof r.ruleset_id === 'number' ? r.ruleset_id : '?'}${typeof r.ruleset_source === 'string' ? ` of ${r.ruleset_source}` : ''}`

function fromRules(rules: Rule[]): Proof {
  const proof: Proof = {}
  for (const r of rules) {
    if (r.type === 'non_fast_forward') proof['force pushes'] ??= `blocked by ${rulesetName(r)}`
    if (r.type === 'deletion') proof.deletion ??= `blocked by ${rulesetName(r)}`
    if (r.type === 'update') {
      proof['force pushes'] ??= `locked by ${rulesetName(r)} (no updates at all)`
      proof.reviews ??= `locked by ${rulesetName(r)} (no updates at all)`
    }
    const count = r.parameters?.required_approving_review_count
    if (r.type === 'pull_request' && typeof count === 'number' && count >= 1)
      proof.reviews ??= `${count} approving review${count === 1 ? '' : 's'} required by ${rulesetName(r)}`
  }
  return proof
}

interface Classic {
  allow_force_pushes?: { enabled?: unknown }
  allow_deletions?: { enabled?: unknown }
  required_pull_request_reviews?: { required_approving_review_count?: unknown }
  lock_branch?: { enabled?: unknown }
  enforce_admins?: { enabled?: unknown }
}

function fromClassic(p: Classic): Proof {
  const proof: Proof = {}
  if (p.lock_branch?.enabled === true) {
    proof['force pushes'] = 'locked by classic branch protection (read-only)'
    proof.reviews = 'locked by classic branch protection (read-only)'
  }
  if (p.allow_force_pushes?.enabled === false) proof['force pushes'] ??= 'blocked by classic branch protection'
  if (p.allow_deletions?.enabled === false) proof.deletion = 'blocked by classic branch protection'
  const count = p.required_pull_request_reviews?.required_approving_review_count
  if (typeof count === 'number' && count >= 1)
    proof.reviews ??= `${count} approving review${count === 1 ? '' : 's'} required by classic branch protection`
  return proof
}

export interface ProtectionResult {
  checks: Check[]
  rows: [string, string][]
}

const ADMIN_READ =
  'Classic branch protection can be read only with the repository permission "Administration: read" (a GitHub App or fine-grained token; a classic token needs `repo` and admin rights), which the workflow\u2019s GITHUB_TOKEN never has: give such a token as `github-token`, or protect the branch with a ruleset, which any token can read.'

/** Reads both kinds of protection and says, per requirement, what proves it or why nothing does. */
export async function protectionChecks(gh: GitHubPort, branch: string, serverUrl: string): Promise<ProtectionResult> {
  const repo = `${gh.owner}/${gh.repo}`
  const where = { url: `${serverUrl}/${repo}/settings/branches` }
  const fail = (req: Requirement, observed: string, message: string) => check('fail', req, observed, EXPECTED[req], message, where)

  let rules: Rule[]
  try {
    const answer = await allItems(gh.octokit, 'GET /repos/{owner}/{repo}/rules/branches/{branch}', {
      owner: gh.owner,
      repo: gh.repo,
      branch,
      per_page: 100,
    })
    if (!Array.isArray(answer) || answer.some((r) => !isRecord(r))) {
      const message = `GitHub answered the rules of branch ${branch} of ${repo} with something that is not a list of rules, so what protects it cannot be told. Run the gate again.`
      return { checks: REQUIREMENTS.map((r) => fail(r, 'unreadable answer', message)), rows: [] }
    }
    rules = answer as Rule[]
  } catch (err) {
    const message = apiFailure(
      err,
      `read the rules of branch ${branch} of ${repo}`,
      'Reading branch rules needs only read access to the repository ("Metadata: read"); a token refused even that cannot prove the branch is frozen.',
    )
    return { checks: REQUIREMENTS.map((r) => fail(r, `rules unreadable (${describeStatus(err)})`, message)), rows: [] }
  }

  const byRules = fromRules(rules)
  const rows: [string, string][] = [
    ['Rulesets', rules.length ? `${new Set(rules.map(rulesetName)).size} active (${rules.length} rules)` : 'none'],
  ]
  let byClassic: Proof = {}
  let classicProblem: { observed: string; message: string } | undefined
  if (REQUIREMENTS.some((r) => !byRules[r])) {
    try {
      const res = await gh.octokit.request('GET /repos/{owner}/{repo}/branches/{branch}/protection', {
        owner: gh.owner,
        repo: gh.repo,
        branch,
      })
      if (!isRecord(res.data)) {
        classicProblem = {
          observed: 'classic protection unreadable',
          message: `GitHub answered the classic branch protection of ${branch} with something that is not a protection, so it cannot be told what it protects. Run the gate again.`,
        }
      } else {
        byClassic = fromClassic(res.data as Classic)
        const admins = (res.data as Classic).enforce_admins?.enabled
        rows.push(['Classic branch protection', admins === true ? 'on, administrators included' : 'on (administrators may bypass it)'])
      }
    } catch (err) {
      const said = githubMessage(err)
      if (httpStatus(err) === 404 && /branch not protected/i.test(said)) rows.push(['Classic branch protection', 'none'])
      else if (httpStatus(err) === 404 && /branch not found/i.test(said)) {
        const message = `Branch ${branch} does not exist in ${repo}: there is nothing frozen to cut over from. Correct \`branch\`.`
        return { checks: REQUIREMENTS.map((r) => fail(r, 'no such branch', message)), rows }
      } else {
        classicProblem = {
          observed: `classic protection unreadable (${describeStatus(err)})`,
          message: apiFailure(err, `read the classic branch protection of ${branch} of ${repo}`, ADMIN_READ),
        }
        rows.push(['Classic branch protection', `not readable (${describeStatus(err)})`])
      }
    }
  }

  const checks = REQUIREMENTS.map((req) => {
    const proof = byRules[req] ?? byClassic[req]
    if (proof) return check('pass', req, proof, EXPECTED[req], `Branch ${branch}: ${EXPECTED[req]} (${proof}).`, where)
    const nothing = `Branch ${branch} of ${repo} is not protected against this: no active ruleset${classicProblem ? '' : ' nor classic branch protection'} requires it.`
    if (classicProblem) {
      return fail(
        req,
        classicProblem.observed,
        `No active ruleset of branch ${branch} proves "${EXPECTED[req]}", and classic protection could not be read to prove it either. ${classicProblem.message}`,
      )
    }
    const fix: Record<Requirement, string> = {
      'force pushes': 'Add a ruleset with "Block force pushes", or untick "Allow force pushes" in its branch protection rule.',
      deletion: 'Add a ruleset with "Restrict deletions", or untick "Allow deletions" in its branch protection rule.',
      reviews:
        'Add a ruleset with "Require a pull request before merging" and at least one required approval, or require approvals in its branch protection rule.',
    }
    return fail(req, 'not required', `${nothing} ${fix[req]}`)
  })
  for (const req of REQUIREMENTS) rows.push([EXPECTED[req], byRules[req] ?? byClassic[req] ?? 'not proven'])
  return { checks, rows }
}
