// A repository on the fake GitHub, as release-freeze reads it: branch rules, classic protection,
// tags, comparisons, the pull requests of each commit, their reviews and team memberships. Every
// list is served in pages of `perPage` with GitHub's Link header, so a test can put the item that
// decides the verdict on page 2. Answers are built by tests/support/github-shapes.ts.
import type { FakeGitHub, FakeReply, RecordedRequest } from '../../harness/fake-github.js'
import * as gh from '../../support/github-shapes.js'

export const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
export const BRANCH = 'release/1.4'

export interface RepoState {
  rules?: object[] | FakeReply
  /** Classic protection: the options, `none` (404 Branch not protected), or a reply. */
  classic?: gh.ClassicOptions | 'none' | FakeReply
  /** Tag name → the commit it names, through a tag object when `annotated`. */
  tags?: Record<string, { sha: string; annotated?: boolean } | FakeReply>
  /** `base...head` → status and the commits after base; unknown pairs are 404. */
  compare?: Record<string, { status?: gh.CompareStatus; commits: string[] } | FakeReply>
  /** Commit SHA → the pull requests GitHub associates with it. */
  pulls?: Record<string, gh.PullOptions[] | FakeReply>
  /** Pull request number → its reviews in order, `[login, state]`. */
  reviews?: Record<number, [string, 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED'][] | FakeReply>
  /** `org/team/login` → membership; absent is 404. */
  members?: Record<string, 'active' | 'pending' | FakeReply>
  /** Commits of the branch for `since` as an instant, newest first. */
  history?: { sha: string; date: string }[]
  perPage?: number
}

const isReply = (x: unknown): x is FakeReply =>
  typeof x === 'object' && x !== null && typeof (x as { status?: unknown }).status === 'number' && !Array.isArray(x)

/** One page of `items` for the request, with the Link header GitHub sends. */
export function paged(fake: FakeGitHub, req: RecordedRequest, items: unknown[], perPage: number): FakeReply {
  const page = Number(req.query.page ?? '1')
  const pages = Math.max(1, Math.ceil(items.length / perPage))
  const url = `${fake.url}${req.path}?${new URLSearchParams({ ...req.query, page: String(page) })}`
  return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers: gh.linkHeader(url, page, pages) }
}

export const notFound = (message = 'Not Found'): FakeReply => ({ status: 404, body: gh.apiError(404, message) })

/** Serves `state` while `active()` holds (handlers stay registered for the fake's life). */
export function serveRepo(fake: FakeGitHub, state: RepoState, active: () => boolean = () => true): void {
  const per = state.perPage ?? 100
  const when = (op: string, h: (req: RecordedRequest) => FakeReply | undefined) => fake.on(op, (req) => (active() ? h(req) : undefined))

  when('repos/get-branch-rules', (req) => (isReply(state.rules) ? state.rules : paged(fake, req, state.rules ?? [], per)))
  when('repos/get-branch-protection', (req) => {
    const c = state.classic ?? 'none'
    if (c === 'none') return notFound('Branch not protected')
    return isReply(c) ? c : { status: 200, body: gh.classicProtection(req.params.branch, c) }
  })
  when('git/get-ref', (req) => {
    const name = req.params.ref.replace(/^tags\//, '')
    const t = state.tags?.[name]
    if (!t) return notFound()
    if (isReply(t)) return t
    return { status: 200, body: t.annotated ? gh.gitRef(name, tagObjectSha(name), 'tag') : gh.gitRef(name, t.sha) }
  })
  when('git/get-tag', (req) => {
    const entry = Object.entries(state.tags ?? {}).find(([name]) => tagObjectSha(name) === req.params.tag_sha)
    if (!entry || isReply(entry[1])) return notFound()
    return { status: 200, body: gh.gitTag(entry[0], req.params.tag_sha, entry[1].sha) }
  })
  when('repos/compare-commits-with-basehead', (req) => {
    const c = state.compare?.[req.params.basehead]
    if (!c) return notFound()
    if (isReply(c)) return c
    const all = c.commits.map((s) => gh.commit(s))
    // GitHub pages by per_page; a smaller `perPage` of the state makes a page 2 out of a few commits.
    const perPage = Math.min(Number(req.query.per_page ?? 250), state.perPage ?? 250)
    const page = Number(req.query.page ?? '1')
    const pages = Math.max(1, Math.ceil(all.length / perPage))
    const url = `${fake.url}${req.path}?${new URLSearchParams({ ...req.query, page: String(page) })}`
    const base = req.params.basehead.split('...')[0]
    return {
      status: 200,
      body: gh.comparison(base, all.slice((page - 1) * perPage, page * perPage), c.status ?? 'ahead', all.length),
      headers: gh.linkHeader(url, page, pages),
    }
  })
  when('repos/list-commits', (req) => {
    const since = req.query.since ? Date.parse(req.query.since) : -Infinity
    const items = (state.history ?? []).filter((c) => Date.parse(c.date) >= since).map((c) => gh.commit(c.sha, undefined, 'dev', c.date))
    return paged(fake, req, items, per)
  })
  when('repos/list-pull-requests-associated-with-commit', (req) => {
    const p = state.pulls?.[req.params.commit_sha] ?? []
    return isReply(p) ? p : paged(fake, req, p.map(gh.pull), per)
  })
  when('pulls/list-reviews', (req) => {
    const r = state.reviews?.[Number(req.params.pull_number)] ?? []
    if (isReply(r)) return r
    const n = Number(req.params.pull_number)
    return paged(
      fake,
      req,
      r.map(([login, s]) => gh.review(login, s, n)),
      per,
    )
  })
  when('teams/get-membership-for-user-in-org', (req) => {
    const m = state.members?.[`${req.params.org}/${req.params.team_slug}/${req.params.username}`]
    if (!m) return notFound()
    if (isReply(m)) return m
    return { status: 200, body: gh.teamMembership(m, req.params.org, req.params.team_slug, req.params.username) }
  })
}

/** The SHA of the annotated tag object of `name` (made up, stable). */
export function tagObjectSha(name: string): string {
  let h = 0
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return h.toString(16).padStart(8, '0').repeat(5)
}

/** A fully frozen repository: every protection by ruleset, RC tag at SHA, one allowed fix since rc.1. */
export function frozenRepo(over: Partial<RepoState> = {}): RepoState {
  const fix = '1'.repeat(40)
  return {
    rules: [gh.rule.nonFastForward(), gh.rule.deletion(), gh.rule.pullRequest(1)],
    tags: { 'v1.4.0-rc.1': { sha: 'b'.repeat(40) }, 'v1.4.0-rc.2': { sha: SHA, annotated: true } },
    compare: {
      [`${SHA}...${BRANCH}`]: { status: 'identical', commits: [] },
      [`${'b'.repeat(40)}...${BRANCH}`]: { commits: [fix] },
    },
    pulls: { [fix]: [{ number: 12, labels: ['P0'], mergeSha: fix, base: BRANCH }] },
    reviews: { 12: [['ic-alice', 'APPROVED']] },
    ...over,
  }
}
