// GitHub's answers, built as GitHub documents them (the fields its OpenAPI description requires,
// with the values its examples show), so a test feeds a gate what GitHub would send. Each builder
// is checked against the description in tests/harness/github-shapes.test.ts.

export const REPO = 'acme/shop'
const API = 'https://api.github.com'
const WEB = 'https://github.com'

let ids = 1000
const nextId = () => ++ids

export function user(login: string, id = nextId(), type: 'User' | 'Organization' | 'Bot' = 'User') {
  const u = `${API}/users/${login}`
  return {
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: u,
    html_url: `${WEB}/${login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type,
    site_admin: false,
  }
}

export function repository(fullName = REPO) {
  const [owner, name] = fullName.split('/')
  const u = `${API}/repos/${fullName}`
  return {
    id: 1296269,
    node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
    name,
    full_name: fullName,
    owner: user(owner, 1, 'Organization'),
    private: true,
    html_url: `${WEB}/${fullName}`,
    description: 'The shop',
    fork: false,
    url: u,
    archive_url: `${u}/{archive_format}{/ref}`,
    assignees_url: `${u}/assignees{/user}`,
    blobs_url: `${u}/git/blobs{/sha}`,
    branches_url: `${u}/branches{/branch}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    comments_url: `${u}/comments{/number}`,
    commits_url: `${u}/commits{/sha}`,
    compare_url: `${u}/compare/{base}...{head}`,
    contents_url: `${u}/contents/{+path}`,
    contributors_url: `${u}/contributors`,
    deployments_url: `${u}/deployments`,
    downloads_url: `${u}/downloads`,
    events_url: `${u}/events`,
    forks_url: `${u}/forks`,
    git_commits_url: `${u}/git/commits{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    git_url: `git:github.com/${fullName}.git`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    issue_events_url: `${u}/issues/events{/number}`,
    issues_url: `${u}/issues{/number}`,
    keys_url: `${u}/keys{/key_id}`,
    labels_url: `${u}/labels{/name}`,
    languages_url: `${u}/languages`,
    merges_url: `${u}/merges`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    pulls_url: `${u}/pulls{/number}`,
    releases_url: `${u}/releases{/id}`,
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: `${u}/stargazers`,
    statuses_url: `${u}/statuses/{sha}`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    tags_url: `${u}/tags`,
    teams_url: `${u}/teams`,
    trees_url: `${u}/git/trees{/sha}`,
    clone_url: `${WEB}/${fullName}.git`,
    mirror_url: null,
    hooks_url: `${u}/hooks`,
    svn_url: `${WEB}/${fullName}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 108,
    default_branch: 'main',
    open_issues_count: 0,
    open_issues: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: '2026-03-20T18:00:00Z',
    created_at: '2024-01-26T19:01:12Z',
    updated_at: '2026-03-20T18:00:00Z',
  }
}

export function label(name: string, id = nextId()) {
  return {
    id,
    node_id: `LA_${id}`,
    url: `${API}/repos/${REPO}/labels/${encodeURIComponent(name)}`,
    name,
    description: `Label ${name}`,
    color: 'b60205',
    default: false,
  }
}

export interface PullOptions {
  number: number
  base?: string
  labels?: string[]
  merged?: boolean
  state?: 'open' | 'closed'
  mergeSha?: string | null
  author?: string
  repo?: string
}

/** A pull request as `GET /repos/{owner}/{repo}/commits/{sha}/pulls` lists it ("pull request simple"). */
export function pull(o: PullOptions) {
  const repo = o.repo ?? REPO
  const u = `${API}/repos/${repo}/pulls/${o.number}`
  const merged = o.merged ?? true
  const author = user(o.author ?? 'dev')
  const side = (ref: string, sha: string) => ({
    label: `acme:${ref}`,
    ref,
    repo: repository(repo),
    sha,
    user: user('acme', 1, 'Organization'),
  })
  return {
    url: u,
    id: 1_000_000 + o.number,
    node_id: `PR_${o.number}`,
    html_url: `${WEB}/${repo}/pull/${o.number}`,
    diff_url: `${WEB}/${repo}/pull/${o.number}.diff`,
    patch_url: `${WEB}/${repo}/pull/${o.number}.patch`,
    issue_url: `${API}/repos/${repo}/issues/${o.number}`,
    commits_url: `${u}/commits`,
    review_comments_url: `${u}/comments`,
    review_comment_url: `${API}/repos/${repo}/pulls/comments{/number}`,
    comments_url: `${API}/repos/${repo}/issues/${o.number}/comments`,
    statuses_url: `${API}/repos/${repo}/statuses/${'e'.repeat(40)}`,
    number: o.number,
    state: o.state ?? (merged ? 'closed' : 'open'),
    locked: false,
    title: `Fix #${o.number}`,
    user: author,
    body: null,
    labels: (o.labels ?? []).map((n) => label(n)),
    milestone: null,
    active_lock_reason: null,
    created_at: '2026-03-21T09:00:00Z',
    updated_at: '2026-03-21T10:00:00Z',
    closed_at: merged ? '2026-03-21T10:00:00Z' : null,
    merged_at: merged ? '2026-03-21T10:00:00Z' : null,
    merge_commit_sha: o.mergeSha === undefined ? null : o.mergeSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(`fix-${o.number}`, 'e'.repeat(40)),
    base: side(o.base ?? 'release/1.4', 'f'.repeat(40)),
    _links: {
      self: { href: u },
      html: { href: `${WEB}/${repo}/pull/${o.number}` },
      issue: { href: `${API}/repos/${repo}/issues/${o.number}` },
      comments: { href: `${API}/repos/${repo}/issues/${o.number}/comments` },
      review_comments: { href: `${u}/comments` },
      review_comment: { href: `${API}/repos/${repo}/pulls/comments{/number}` },
      commits: { href: `${u}/commits` },
      statuses: { href: `${API}/repos/${repo}/statuses/${'e'.repeat(40)}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: false,
  }
}

/** A commit as `GET /repos/{owner}/{repo}/commits` and the compare endpoint list it. */
export function commit(sha: string, message = `Change ${sha.slice(0, 7)}`, login = 'dev', date = '2026-03-21T10:00:00Z') {
  const person = { name: login, email: `${login}@example.com`, date }
  return {
    url: `${API}/repos/${REPO}/commits/${sha}`,
    sha,
    node_id: `C_${sha.slice(0, 12)}`,
    html_url: `${WEB}/${REPO}/commit/${sha}`,
    comments_url: `${API}/repos/${REPO}/commits/${sha}/comments`,
    commit: {
      url: `${API}/repos/${REPO}/git/commits/${sha}`,
      author: person,
      committer: person,
      message,
      comment_count: 0,
      tree: { sha: 'd'.repeat(40), url: `${API}/repos/${REPO}/git/trees/${'d'.repeat(40)}` },
      verification: { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null },
    },
    author: user(login),
    committer: user(login),
    parents: [
      { sha: 'c'.repeat(40), url: `${API}/repos/${REPO}/commits/${'c'.repeat(40)}`, html_url: `${WEB}/${REPO}/commit/${'c'.repeat(40)}` },
    ],
  }
}

export type CompareStatus = 'ahead' | 'behind' | 'identical' | 'diverged'

/** `GET /repos/{owner}/{repo}/compare/{base}...{head}`, one page of it. */
export function comparison(base: string, commits: ReturnType<typeof commit>[], status: CompareStatus = 'ahead', total = commits.length) {
  const u = `${API}/repos/${REPO}/compare/${base}...release`
  return {
    url: u,
    html_url: `${WEB}/${REPO}/compare/${base}...release`,
    permalink_url: `${WEB}/${REPO}/compare/acme:${base}...acme:release`,
    diff_url: `${WEB}/${REPO}/compare/${base}...release.diff`,
    patch_url: `${WEB}/${REPO}/compare/${base}...release.patch`,
    base_commit: commit(base.length === 40 ? base : 'b'.repeat(40)),
    merge_base_commit: commit(base.length === 40 ? base : 'b'.repeat(40)),
    status,
    ahead_by: status === 'behind' || status === 'identical' ? 0 : total,
    behind_by: status === 'behind' || status === 'diverged' ? 1 : 0,
    total_commits: total,
    commits,
    files: [],
  }
}

export function gitRef(tag: string, sha: string, type: 'commit' | 'tag' | 'tree' = 'commit') {
  const kind = type === 'tag' ? 'tags' : type === 'tree' ? 'trees' : 'commits'
  return {
    ref: `refs/tags/${tag}`,
    node_id: `REF_${tag}`,
    url: `${API}/repos/${REPO}/git/refs/tags/${tag}`,
    object: { type, sha, url: `${API}/repos/${REPO}/git/${kind}/${sha}` },
  }
}

export function gitTag(tag: string, tagSha: string, target: string, type: 'commit' | 'tag' = 'commit') {
  return {
    node_id: `TAG_${tag}`,
    tag,
    sha: tagSha,
    url: `${API}/repos/${REPO}/git/tags/${tagSha}`,
    message: `Release candidate ${tag}\n`,
    tagger: { name: 'Release Captain', email: 'captain@example.com', date: '2026-03-20T18:00:00Z' },
    object: { type, sha: target, url: `${API}/repos/${REPO}/git/${type === 'tag' ? 'tags' : 'commits'}/${target}` },
    verification: { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null },
  }
}

export function review(login: string, state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED', pr: number, id = nextId()) {
  return {
    id,
    node_id: `PRR_${id}`,
    user: user(login),
    body: state === 'APPROVED' ? 'LGTM' : '',
    state,
    html_url: `${WEB}/${REPO}/pull/${pr}#pullrequestreview-${id}`,
    pull_request_url: `${API}/repos/${REPO}/pulls/${pr}`,
    _links: {
      html: { href: `${WEB}/${REPO}/pull/${pr}#pullrequestreview-${id}` },
      pull_request: { href: `${API}/repos/${REPO}/pulls/${pr}` },
    },
    submitted_at: '2026-03-21T09:30:00Z',
    commit_id: 'e'.repeat(40),
    author_association: 'MEMBER',
  }
}

export interface ClassicOptions {
  forcePushes?: boolean
  deletions?: boolean
  approvals?: number | null
  lock?: boolean
  enforceAdmins?: boolean
}

/** `GET /repos/{owner}/{repo}/branches/{branch}/protection`. */
export function classicProtection(branch: string, o: ClassicOptions = {}) {
  const u = `${API}/repos/${REPO}/branches/${encodeURIComponent(branch)}/protection`
  return {
    url: u,
    required_status_checks: {
      url: `${u}/required_status_checks`,
      strict: true,
      contexts: ['ci'],
      contexts_url: `${u}/required_status_checks/contexts`,
      checks: [{ context: 'ci', app_id: null }],
    },
    enforce_admins: { url: `${u}/enforce_admins`, enabled: o.enforceAdmins ?? true },
    ...(o.approvals === null
      ? {}
      : {
          required_pull_request_reviews: {
            url: `${u}/required_pull_request_reviews`,
            dismiss_stale_reviews: true,
            require_code_owner_reviews: false,
            require_last_push_approval: false,
            required_approving_review_count: o.approvals ?? 1,
          },
        }),
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: o.forcePushes ?? false },
    allow_deletions: { enabled: o.deletions ?? false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: o.lock ?? false },
    allow_fork_syncing: { enabled: false },
  }
}

const source = (id: number) => ({ ruleset_source_type: 'Repository', ruleset_source: REPO, ruleset_id: id })

/** One rule of `GET /repos/{owner}/{repo}/rules/branches/{branch}`. */
export const rule = {
  nonFastForward: (id = 42) => ({ type: 'non_fast_forward', ...source(id) }),
  deletion: (id = 42) => ({ type: 'deletion', ...source(id) }),
  update: (id = 42) => ({ type: 'update', parameters: { update_allows_fetch_and_merge: false }, ...source(id) }),
  pullRequest: (approvals: number, id = 42) => ({
    type: 'pull_request',
    parameters: {
      dismiss_stale_reviews_on_push: true,
      require_code_owner_review: false,
      require_last_push_approval: true,
      required_approving_review_count: approvals,
      required_review_thread_resolution: false,
    },
    ...source(id),
  }),
}

export function teamMembership(state: 'active' | 'pending' = 'active', org = 'acme', team = 'incident-commanders', login = 'ic-alice') {
  return { url: `${API}/orgs/${org}/teams/${team}/memberships/${login}`, role: 'member', state }
}

/** The error body GitHub sends with a 4xx or 5xx. */
export function apiError(status: number, message: string, docs = 'https://docs.github.com/rest') {
  return { message, documentation_url: docs, status: String(status) }
}

/** `Link` header of page `page` of `pages`, as GitHub writes it. */
export function linkHeader(url: string, page: number, pages: number): Record<string, string> {
  if (page >= pages) return {}
  const at = (n: number) => {
    const u = new URL(url)
    u.searchParams.set('page', String(n))
    return u.toString()
  }
  return { link: `<${at(page + 1)}>; rel="next", <${at(pages)}>; rel="last"` }
}

export interface CodeScanningOptions {
  number: number
  rule: string
  /** `security_severity_level` (security queries); omitted for quality rules. */
  securityLevel?: 'low' | 'medium' | 'high' | 'critical'
  severity?: 'none' | 'note' | 'warning' | 'error'
  path?: string
  line?: number
  tool?: string
  state?: 'open' | 'dismissed' | 'fixed'
  ref?: string
}

/** One item of `GET /repos/{owner}/{repo}/code-scanning/alerts`. */
export function codeScanningAlert(o: CodeScanningOptions) {
  const u = `${API}/repos/${REPO}/code-scanning/alerts/${o.number}`
  return {
    number: o.number,
    created_at: '2026-03-18T09:00:00Z',
    updated_at: '2026-03-18T09:00:00Z',
    url: u,
    html_url: `${WEB}/${REPO}/security/code-scanning/${o.number}`,
    instances_url: `${u}/instances`,
    state: o.state ?? 'open',
    fixed_at: null,
    dismissed_by: null,
    dismissed_at: null,
    dismissed_reason: null,
    dismissed_comment: null,
    rule: {
      id: o.rule,
      name: o.rule.split('/').pop(),
      severity: o.severity ?? 'error',
      ...(o.securityLevel ? { security_severity_level: o.securityLevel } : {}),
      description: `Finding of ${o.rule}`,
      tags: ['security'],
    },
    tool: { name: o.tool ?? 'CodeQL', guid: null, version: '2.20.0' },
    most_recent_instance: {
      ref: o.ref ?? 'refs/heads/release/1.4',
      analysis_key: '.github/workflows/codeql.yml:analyze',
      environment: '{"language":"javascript"}',
      category: '.github/workflows/codeql.yml:analyze/language:javascript',
      state: o.state ?? 'open',
      commit_sha: 'e'.repeat(40),
      message: { text: `Finding of ${o.rule}.` },
      location: { path: o.path ?? 'src/db.ts', start_line: o.line ?? 42, end_line: o.line ?? 42, start_column: 5, end_column: 30 },
      classifications: [],
    },
  }
}

export interface DependabotOptions {
  number: number
  ghsa: string
  cve?: string | null
  severity: 'low' | 'medium' | 'high' | 'critical'
  pkg?: string
  ecosystem?: string
  manifest?: string
  state?: 'open' | 'dismissed' | 'fixed' | 'auto_dismissed'
}

/** One item of `GET /repos/{owner}/{repo}/dependabot/alerts`. */
export function dependabotAlert(o: DependabotOptions) {
  const pkg = { ecosystem: o.ecosystem ?? 'npm', name: o.pkg ?? 'lodash' }
  const vulnerability = {
    package: pkg,
    severity: o.severity,
    vulnerable_version_range: '< 4.17.21',
    first_patched_version: { identifier: '4.17.21' },
  }
  return {
    number: o.number,
    state: o.state ?? 'open',
    dependency: { package: pkg, manifest_path: o.manifest ?? 'package-lock.json', scope: 'runtime', relationship: 'direct' },
    security_advisory: {
      ghsa_id: o.ghsa,
      cve_id: o.cve === undefined ? 'CVE-2021-23337' : o.cve,
      summary: `Vulnerability in ${pkg.name}`,
      description: `A vulnerability in ${pkg.name}.`,
      vulnerabilities: [vulnerability],
      severity: o.severity,
      cvss: { score: 7.2, vector_string: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
      cwes: [{ cwe_id: 'CWE-94', name: 'Improper Control of Generation of Code' }],
      identifiers: [{ type: 'GHSA', value: o.ghsa }, ...(o.cve === null ? [] : [{ type: 'CVE', value: o.cve ?? 'CVE-2021-23337' }])],
      references: [{ url: `https://nvd.nist.gov/vuln/detail/${o.cve ?? 'CVE-2021-23337'}` }],
      published_at: '2021-02-15T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
      withdrawn_at: null,
    },
    security_vulnerability: vulnerability,
    url: `${API}/repos/${REPO}/dependabot/alerts/${o.number}`,
    html_url: `${WEB}/${REPO}/security/dependabot/${o.number}`,
    created_at: '2026-03-18T09:00:00Z',
    updated_at: '2026-03-18T09:00:00Z',
    dismissed_at: null,
    dismissed_by: null,
    dismissed_reason: null,
    dismissed_comment: null,
    fixed_at: null,
    auto_dismissed_at: null,
  }
}

export interface SecretOptions {
  number: number
  type?: string
  display?: string
  path?: string
  line?: number
  /** The secret's value as GitHub would send it without `hide_secret`: tests prove it is never shown. */
  secret?: string
  state?: 'open' | 'resolved'
}

/** One item of `GET /repos/{owner}/{repo}/secret-scanning/alerts`. */
export function secretAlert(o: SecretOptions) {
  const u = `${API}/repos/${REPO}/secret-scanning/alerts/${o.number}`
  const path = o.path ?? 'config/production.env'
  return {
    number: o.number,
    created_at: '2026-03-18T09:00:00Z',
    updated_at: '2026-03-18T09:00:00Z',
    url: u,
    html_url: `${WEB}/${REPO}/security/secret-scanning/${o.number}`,
    locations_url: `${u}/locations`,
    state: o.state ?? 'open',
    resolution: null,
    resolved_at: null,
    resolved_by: null,
    resolution_comment: null,
    secret_type: o.type ?? 'github_personal_access_token',
    secret_type_display_name: o.display ?? 'GitHub Personal Access Token',
    ...(o.secret ? { secret: o.secret } : {}),
    push_protection_bypassed: false,
    push_protection_bypassed_by: null,
    push_protection_bypassed_at: null,
    validity: 'active',
    publicly_leaked: false,
    multi_repo: false,
    first_location_detected: {
      path,
      start_line: o.line ?? 3,
      end_line: o.line ?? 3,
      start_column: 14,
      end_column: 54,
      blob_sha: 'a'.repeat(40),
      blob_url: `${API}/repos/${REPO}/git/blobs/${'a'.repeat(40)}`,
      commit_sha: 'e'.repeat(40),
      commit_url: `${API}/repos/${REPO}/git/commits/${'e'.repeat(40)}`,
    },
    has_more_locations: false,
  }
}

export interface EnvironmentOptions {
  name: string
  id?: number
  /** Reviewer logins; a login `org/team` is a team. `[]` lists no reviewer; `null` has no rule. */
  reviewers?: string[] | null
  preventSelfReview?: boolean
}

/** `GET /repos/{owner}/{repo}/environments/{environment_name}`. */
export function environment(o: EnvironmentOptions) {
  const id = o.id ?? 161088068
  const reviewers = (o.reviewers ?? ['alice']).map((r) => {
    if (!r.includes('/')) return { type: 'User', reviewer: user(r) }
    const slug = r.split('/')[1]
    const teamId = nextId()
    return {
      type: 'Team',
      reviewer: {
        id: teamId,
        node_id: `T_${teamId}`,
        url: `${API}/teams/${teamId}`,
        html_url: `${WEB}/orgs/acme/teams/${slug}`,
        name: slug,
        slug,
        description: null,
        privacy: 'closed',
        notification_setting: 'notifications_enabled',
        permission: 'pull',
        members_url: `${API}/teams/${teamId}/members{/member}`,
        repositories_url: `${API}/teams/${teamId}/repos`,
        parent: null,
      },
    }
  })
  const enc = encodeURIComponent(o.name)
  return {
    id,
    node_id: `EN_${id}`,
    name: o.name,
    url: `${API}/repos/${REPO}/environments/${enc}`,
    html_url: `${WEB}/${REPO}/deployments/activity_log?environments_filter=${enc}`,
    created_at: '2025-01-10T09:00:00Z',
    updated_at: '2025-05-30T17:45:00Z',
    protection_rules:
      o.reviewers === null
        ? []
        : [{ id: 3755, node_id: 'GA_3755', prevent_self_review: o.preventSelfReview ?? true, type: 'required_reviewers', reviewers }],
    deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
  }
}

/** One review of `GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals`. */
export function runReview(login: string, environments: string[], state: 'approved' | 'rejected' = 'approved', comment = '') {
  return {
    environments: environments.map((name, i) => ({
      id: 161088068 + i,
      node_id: `EN_${161088068 + i}`,
      name,
      url: `${API}/repos/${REPO}/environments/${encodeURIComponent(name)}`,
      html_url: `${WEB}/${REPO}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
      created_at: '2025-01-10T09:00:00Z',
      updated_at: '2025-05-30T17:45:00Z',
    })),
    state,
    comment,
    user: user(login),
  }
}
