/**
 * release-freeze: the seeds' "Release Candidate Branch Frozen: only P0 fixes, approved by the
 * Incident Commander", "RC tag matches tested commit" and "branch locked", read from GitHub:
 * the branch is protected (rulesets or classic protection), the RC tag names the commit under
 * test, the commit under test is on the branch, and every commit after the freeze point came
 * through a merged pull request with an allowed label (and an approver's approval). A refusal to
 * read any of it is a fail, never a pass: a read-only token proves nothing.
 */
import { defineGate, type GateContext, type GitHubPort } from '../../core/gate.js'
import { check, type Check } from '../../core/result.js'
import { peopleText } from '../../github/people.js'
import {
  MAX_COMMITS,
  commitText,
  commitsAfter,
  compareToBranch,
  freezeJudge,
  type CommitInfo,
  type Listed,
  type Verdict,
} from './commits.js'
import { protectionChecks } from './protection.js'
import { resolveTag } from './refs.js'
import { releaseFreezeInputs, type Since, releaseFreezeAction } from './spec.js'

/** The branch the run is for: a pull request's base, else the branch pushed or dispatched. */
export function runBranch(env: GateContext['env']): string | undefined {
  const base = env.GITHUB_BASE_REF?.trim()
  if (base) return base
  const ref = env.GITHUB_REF?.trim() ?? ''
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined
}

const short = (sha: string) => sha.slice(0, 7)
const LISTED = 20

export const releaseFreeze = defineGate({
  name: 'release-freeze',
  category: 'Ops',
  criteria: { en: 'Release branch frozen', tr: 'Release branch kilitlendi' },
  ...releaseFreezeAction,
  inputs: releaseFreezeInputs,
  outputs: {
    offending: 'The commits since `since` that broke the freeze, one `<sha> <reason>` per line; empty when none did.',
  },
  async run(s, ctx) {
    const gh = ctx.github
    const branch = s.branch ?? runBranch(ctx.env)
    const expectedBranch = 'a release branch to check'
    if (!gh) {
      const c = check(
        'fail',
        'github',
        'no GitHub API access',
        'the GitHub API',
        'Could not check the release freeze: the gate needs a token and a repository (the `github-token` input and GITHUB_REPOSITORY) to read branch protection, tags and pull requests. Run it in a workflow, or give it a token.',
      )
      return { checks: [c] }
    }
    if (!branch) {
      const c = check(
        'fail',
        'branch',
        `ref ${ctx.env.GITHUB_REF ?? 'unknown'}`,
        expectedBranch,
        `Could not tell which branch is frozen: the run is for ${ctx.env.GITHUB_REF ? `\`${ctx.env.GITHUB_REF}\`, not a branch` : 'no known ref'}. Give \`branch\`, such as release/1.4.`,
      )
      return { checks: [c] }
    }
    const server = ctx.env.GITHUB_SERVER_URL ?? 'https://github.com'
    const repoUrl = `${server}/${gh.owner}/${gh.repo}`
    const checks: Check[] = []
    const protection = await protectionChecks(gh, branch, server)
    checks.push(...protection.checks)
    const rows: [string, string][] = [['Branch', branch], ...protection.rows]
    const outputs: Record<string, string> = { offending: '' }
    const metrics: Record<string, number> = {}

    if (s.tag) {
      const c = await tagCheck(gh, s.tag, repoUrl)
      checks.push(c)
      rows.push(['RC tag', `${s.tag}: ${c.observed}`])
    }

    if (s.since) {
      const onBranch = await onBranchCheck(gh, branch, repoUrl)
      checks.push(onBranch)
      const listed = await commitsSince(gh, branch, s.since)
      const from = sinceText(s.since)
      const where = { url: `${repoUrl}/commits/${encodeURIComponent(branch)}` }
      if ('error' in listed) {
        checks.push(
          check('fail', 'freeze', listed.observed, `every commit since ${from} through an allowed pull request`, listed.error, where),
        )
      } else {
        const c = await freezeCheck(gh, branch, from, listed.commits, s['allowed-labels'], s.approvers, where)
        checks.push(c.check)
        metrics.commits_since = listed.commits.length
        metrics.offending = c.offending.length
        outputs.offending = c.offending.map((v) => `${v.commit.sha} ${v.offence}`).join('\n')
        rows.push(['Commits since the freeze', `${listed.commits.length} since ${from}`])
      }
    }

    const details = ['**Release freeze**', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)].join('\n')
    return { checks, metrics, outputs, details }
  },
})

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()

function sinceText(since: Since): string {
  if (since.kind === 'sha') return `commit ${short(since.sha)}`
  if (since.kind === 'tag') return `tag ${since.name}`
  return since.at.toISOString()
}

async function tagCheck(gh: GitHubPort, tag: string, repoUrl: string): Promise<Check> {
  const where = { url: `${repoUrl}/releases/tag/${encodeURIComponent(tag)}` }
  const expected = gh.sha ? `tag ${tag} at the commit under test ${short(gh.sha)}` : `tag ${tag} at the commit under test`
  if (!gh.sha)
    return check(
      'fail',
      'tag',
      'commit under test unknown',
      expected,
      `Could not compare tag ${tag} with the commit under test: no commit is known (the \`sha\` input or GITHUB_SHA).`,
    )
  const read = await resolveTag(gh, tag)
  if ('error' in read) return check('fail', 'tag', read.observed, expected, read.error, where)
  const kind = read.annotated ? 'annotated tag' : 'lightweight tag'
  if (read.sha !== gh.sha)
    return check(
      'fail',
      'tag',
      `${kind} at ${short(read.sha)}`,
      expected,
      `Tag ${tag} (${kind}) points at ${read.sha}, not at the commit under test ${gh.sha}: the release candidate that was tested is not the one being cut over. Re-tag, or cut over ${short(read.sha)}.`,
      where,
    )
  return check(
    'pass',
    'tag',
    `${kind} at ${short(read.sha)}`,
    expected,
    `Tag ${tag} (${kind}) points at the commit under test ${gh.sha}.`,
    where,
  )
}

async function onBranchCheck(gh: GitHubPort, branch: string, repoUrl: string): Promise<Check> {
  const expected = `the commit under test on ${branch}`
  if (!gh.sha)
    return check(
      'fail',
      'on branch',
      'commit under test unknown',
      expected,
      `Could not tell whether the commit under test is on ${branch}: no commit is known.`,
    )
  const listed = await compareToBranch(gh, gh.sha, branch, `the commit under test ${short(gh.sha)}`, false)
  if ('error' in listed) return check('fail', 'on branch', listed.observed, expected, listed.error, { url: `${repoUrl}/commit/${gh.sha}` })
  return check('pass', 'on branch', `on ${branch}`, expected, `The commit under test ${gh.sha} is on branch ${branch}.`)
}

async function commitsSince(gh: GitHubPort, branch: string, since: Since): Promise<Listed> {
  if (since.kind === 'time') return commitsAfter(gh, branch, since.at)
  let base = since.kind === 'sha' ? since.sha : undefined
  if (since.kind === 'tag') {
    const read = await resolveTag(gh, since.name)
    if ('error' in read) return read
    base = read.sha
  }
  return compareToBranch(gh, base!, branch, sinceText(since), true)
}

async function freezeCheck(
  gh: GitHubPort,
  branch: string,
  from: string,
  list: CommitInfo[],
  labels: string[],
  approvers: Parameters<typeof freezeJudge>[3],
  where: { url: string },
): Promise<{ check: Check; offending: Verdict[] }> {
  const rule = `a merged pull request into ${branch} labelled ${labels.join(' or ')}${approvers ? ` and approved by ${peopleText(approvers)}` : ''}`
  const expected = `every commit since ${from} through ${rule}`
  if (list.length > MAX_COMMITS) {
    return {
      offending: [],
      check: check(
        'fail',
        'freeze',
        `${list.length} commits since ${from}`,
        expected,
        `${list.length} commits reached ${branch} since ${from}: more than the ${MAX_COMMITS} a freeze could let in, so the branch was not frozen then. Check \`since\`.`,
        where,
      ),
    }
  }
  if (list.length === 0)
    return {
      offending: [],
      check: check('pass', 'freeze', 'no commit since', expected, `No commit reached ${branch} since ${from}.`, where),
    }
  const judge = freezeJudge(gh, branch, labels, approvers)
  const verdicts: Verdict[] = []
  for (const c of list) verdicts.push(await judge(c))
  const offending = verdicts.filter((v) => v.offence)
  if (offending.length === 0) {
    const pulls = [...new Set(verdicts.map((v) => `#${v.pull}`))]
    return {
      offending,
      check: check(
        'pass',
        'freeze',
        `${list.length} commit${list.length === 1 ? '' : 's'}, all allowed`,
        expected,
        `All ${list.length} commit${list.length === 1 ? '' : 's'} on ${branch} since ${from} came through ${rule}: ${pulls.join(', ')}.`,
        where,
      ),
    }
  }
  const shown = offending.slice(0, LISTED).map((v) => `${commitText(v.commit)}: ${v.offence!.replace(/\.$/, '')}`)
  const more = offending.length > LISTED ? ` (+${offending.length - LISTED} more)` : ''
  const unread = offending.some((v) => v.unread)
  return {
    offending,
    check: check(
      'fail',
      'freeze',
      `${offending.length} of ${list.length} commit${list.length === 1 ? '' : 's'} ${unread ? 'not allowed or not readable' : 'not allowed'}`,
      expected,
      `${offending.length} of ${list.length} commit${list.length === 1 ? '' : 's'} on ${branch} since ${from} did not come through ${rule}: ${shown.join('; ')}${more}.`,
      where,
    ),
  }
}
