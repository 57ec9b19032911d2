/**
 * The freeze itself: the commits that reached the branch after the freeze point, and for each,
 * the merged pull request into the branch that brought it, its labels and who approved it.
 */
import type { GitHubPort } from '../../core/gate.js'
import { apiFailure, describeStatus, isRecord } from '../../github/errors.js'
import { allItems, pages } from '../../github/pages.js'
import { membershipChecker, peopleText, type Person } from '../../github/people.js'

export interface CommitInfo {
  sha: string
  title: string
  author: string
}

export type Listed = { commits: CommitInfo[] } | { error: string; observed: string }

const READ_CONTENTS = 'Listing commits needs the repository permission "Contents: read" (`permissions: contents: read`).'
/** A freeze lets a handful of fixes in; past this many the freeze point is wrong (or there was none). */
export const MAX_COMMITS = 200

function commitInfo(c: unknown): CommitInfo | undefined {
  if (!isRecord(c) || typeof c.sha !== 'string' || !/^[0-9a-f]{40}$/.test(c.sha)) return undefined
  const inner = isRecord(c.commit) ? c.commit : {}
  const message = typeof inner.message === 'string' ? inner.message : ''
  const login = isRecord(c.author) && typeof c.author.login === 'string' ? c.author.login : undefined
  const name = isRecord(inner.author) && typeof inner.author.name === 'string' ? inner.author.name : undefined
  return { sha: c.sha, title: message.split('\n')[0].slice(0, 80), author: login ?? name ?? 'unknown author' }
}

const short = (sha: string) => sha.slice(0, 7)
/** `what` names the freeze point in lower case (`tag v1`); a sentence starts with a capital. */
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** Where `base` stands to the branch: on it (commits after it listed), or not. */
export async function compareToBranch(gh: GitHubPort, base: string, branch: string, what: string, wantCommits: boolean): Promise<Listed> {
  const repo = `${gh.owner}/${gh.repo}`
  const commits: CommitInfo[] = []
  let status: unknown
  let total: unknown
  try {
    for await (const page of pages(gh.octokit, 'GET /repos/{owner}/{repo}/compare/{basehead}', {
      owner: gh.owner,
      repo: gh.repo,
      basehead: `${base}...${branch}`,
      per_page: wantCommits ? 100 : 1,
    })) {
      const d = page.data
      if (!isRecord(d) || !Array.isArray(d.commits) || typeof d.total_commits !== 'number' || typeof d.status !== 'string') {
        return {
          observed: 'unreadable answer',
          error: `GitHub answered the comparison of ${what} with branch ${branch} with something that is not a comparison. Run the gate again.`,
        }
      }
      status = d.status
      total = d.total_commits
      for (const c of d.commits) {
        const info = commitInfo(c)
        if (!info)
          return { observed: 'unreadable answer', error: `GitHub listed a commit after ${what} without a SHA. Run the gate again.` }
        commits.push(info)
      }
      if (!wantCommits) break
    }
  } catch (err) {
    if ((err as { status?: number }).status === 404)
      return {
        observed: 'not comparable',
        error: `${capital(what)} and branch ${branch} cannot be compared in ${repo} (GitHub answered 404: one of them does not exist, or they share no history).`,
      }
    return { observed: `unreadable (${describeStatus(err)})`, error: failure(err, `compare ${what} with branch ${branch} of ${repo}`) }
  }
  if (status !== 'ahead' && status !== 'identical') {
    return {
      observed: `${status} of ${branch}`,
      error: `${capital(what)} is not on branch ${branch} (GitHub compares it as ${status}): ${status === 'behind' ? `it has commits the branch does not` : 'the branch and it have gone separate ways'}.`,
    }
  }
  if (wantCommits && commits.length !== total) {
    return {
      observed: `${commits.length} of ${String(total)} commits listed`,
      error: `GitHub listed ${commits.length} of the ${String(total)} commits on branch ${branch} after ${what}, so the rest cannot be judged. Run the gate again.`,
    }
  }
  return { commits }
}

/** Commits on the branch dated after `at` (commit dates, which whoever commits sets). */
export async function commitsAfter(gh: GitHubPort, branch: string, at: Date): Promise<Listed> {
  const repo = `${gh.owner}/${gh.repo}`
  try {
    const items = await allItems(gh.octokit, 'GET /repos/{owner}/{repo}/commits', {
      owner: gh.owner,
      repo: gh.repo,
      sha: branch,
      since: at.toISOString(),
      per_page: 100,
    })
    const commits = items?.map(commitInfo)
    if (!commits || commits.some((c) => !c))
      return {
        observed: 'unreadable answer',
        error: `GitHub answered the commits of branch ${branch} with something that is not a list of commits.`,
      }
    return { commits: commits as CommitInfo[] }
  } catch (err) {
    return { observed: `unreadable (${describeStatus(err)})`, error: failure(err, `list the commits of branch ${branch} of ${repo}`) }
  }
}

const failure = (err: unknown, what: string) => apiFailure(err, what, READ_CONTENTS)

export interface Verdict {
  commit: CommitInfo
  /** The pull request that let it in, when one did. */
  pull?: number
  /** Why it should not be there; absent when it may be. */
  offence?: string
  /** The API could not answer: the commit is unjudged, which fails too. */
  unread?: boolean
}

interface Pull {
  number: number
  state: string
  merged: boolean
  base: string
  sameRepo: boolean
  labels: string[]
  mergeSha?: string
}

function pullOf(p: unknown, owner: string, repo: string): Pull | undefined {
  if (!isRecord(p) || typeof p.number !== 'number') return undefined
  const base = isRecord(p.base) ? p.base : {}
  const baseRepo = isRecord(base.repo) ? base.repo.full_name : undefined
  return {
    number: p.number,
    state: typeof p.state === 'string' ? p.state : 'unknown',
    merged: typeof p.merged_at === 'string' && p.merged_at !== '',
    base: typeof base.ref === 'string' ? base.ref : '?',
    sameRepo: typeof baseRepo === 'string' && baseRepo.toLowerCase() === `${owner}/${repo}`.toLowerCase(),
    labels: (Array.isArray(p.labels) ? p.labels : []).flatMap((l) => (isRecord(l) && typeof l.name === 'string' ? [l.name] : [])),
    ...(typeof p.merge_commit_sha === 'string' ? { mergeSha: p.merge_commit_sha } : {}),
  }
}

/** The approvers' verdict on one pull request: who of them approved, or why nobody did. */
type Approval = { by: string } | { offence: string; unread?: boolean }

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

/** Judges commits one after another, asking GitHub about each pull request once. */
export function freezeJudge(gh: GitHubPort, branch: string, labels: string[], approvers: Person[] | undefined) {
  const isOneOf = membershipChecker(gh)
  const approvals = new Map<number, Promise<Approval>>()
  const wanted = labels.map((l) => l.toLowerCase())

  async function approvalOf(pr: number): Promise<Approval> {
    let reviews: unknown[] | undefined
    try {
      reviews = await allItems(gh.octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
        owner: gh.owner,
        repo: gh.repo,
        pull_number: pr,
        per_page: 100,
      })
    } catch (err) {
      const why = apiFailure(
        err,
        `read the reviews of pull request #${pr}`,
        'Reading reviews needs "Pull requests: read" (`permissions: pull-requests: read`).',
      )
      return { unread: true, offence: `has reviews nobody could read: ${lowerFirst(why)}` }
    }
    if (!reviews)
      return { unread: true, offence: 'has reviews nobody could read: GitHub answered them with something that is not a list of reviews' }
    // A reviewer's last word counts: an approval later dismissed or followed by "changes requested" is none.
    const last = new Map<string, string>()
    for (const r of reviews) {
      if (!isRecord(r) || !isRecord(r.user) || typeof r.user.login !== 'string' || typeof r.state !== 'string') continue
      if (['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(r.state)) last.set(r.user.login, r.state)
    }
    const approvedBy = [...last].filter(([, s]) => s === 'APPROVED').map(([login]) => login)
    const problems: string[] = []
    for (const login of approvedBy) {
      const m = await isOneOf(login, approvers!)
      if (m.match) return { by: login }
      problems.push(...m.problems)
    }
    const who = approvedBy.length ? `approved only by ${approvedBy.join(', ')}` : 'approved by nobody'
    if (problems.length) return { unread: true, offence: `is ${who}, and ${[...new Set(problems)].map(lowerFirst).join(' ')}` }
    return { offence: `is ${who}, none of ${peopleText(approvers!)}` }
  }

  return async function judge(commit: CommitInfo): Promise<Verdict> {
    let raw: unknown[] | undefined
    try {
      raw = await allItems(gh.octokit, 'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
        owner: gh.owner,
        repo: gh.repo,
        commit_sha: commit.sha,
        per_page: 100,
      })
    } catch (err) {
      return {
        commit,
        unread: true,
        offence: apiFailure(
          err,
          `list the pull requests of commit ${short(commit.sha)}`,
          'Reading pull requests needs "Pull requests: read" (`permissions: pull-requests: read`).',
        ),
      }
    }
    const pulls = raw?.map((p) => pullOf(p, gh.owner, gh.repo))
    if (!pulls || pulls.some((p) => !p))
      return {
        commit,
        unread: true,
        offence: `GitHub answered the pull requests of commit ${short(commit.sha)} with something that is not a list of pull requests.`,
      }
    const merged = (pulls as Pull[])
      .filter((p) => p.merged && p.sameRepo && p.base === branch)
      .sort((a, b) => Number(b.mergeSha === commit.sha) - Number(a.mergeSha === commit.sha))
    if (merged.length === 0) {
      const others = (pulls as Pull[]).map((p) => `#${p.number} (${p.merged ? `merged into ${p.base}` : p.state})`)
      return {
        commit,
        offence: `came through no merged pull request into ${branch}${others.length ? `; it is in ${others.join(', ')}` : ' (pushed directly)'}`,
      }
    }
    let firstOffence: Verdict | undefined
    for (const pr of merged) {
      const labelled = pr.labels.some((l) => wanted.includes(l.toLowerCase()))
      if (!labelled) {
        firstOffence ??= {
          commit,
          pull: pr.number,
          offence: `pull request #${pr.number} carries none of ${labels.join(', ')}${pr.labels.length ? ` (it has ${pr.labels.join(', ')})` : ' (it has no labels)'}`,
        }
        continue
      }
      if (!approvers) return { commit, pull: pr.number }
      let a = approvals.get(pr.number)
      if (!a) approvals.set(pr.number, (a = approvalOf(pr.number)))
      const approval = await a
      if ('by' in approval) return { commit, pull: pr.number }
      firstOffence ??= { commit, pull: pr.number, offence: `pull request #${pr.number} ${approval.offence}`, unread: approval.unread }
    }
    return firstOffence!
  }
}

export const commitText = (c: CommitInfo) => `${short(c.sha)} "${c.title}" (${c.author})`
