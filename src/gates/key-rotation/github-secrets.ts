/**
 * Ages of GitHub Actions secrets. The API never returns a secret's value, only its name and
 * `updated_at`: a secret not updated within `max-secret-age` holds a credential overdue for
 * rotation. The workflow's own GITHUB_TOKEN has no permission to list secrets, so a refusal is
 * the common case and must say which token would work.
 */
import type { GitHubPort } from '../../core/gate.js'
import { InputFormError, parseList } from '../../core/units.js'
import { allItems } from '../../github/pages.js'

export type SecretScope = { kind: 'repository' } | { kind: 'environment'; name: string }

export const GITHUB_SECRETS_FORM = '`none`, `repository`, or `environment:<name>` (several scopes on separate lines)'

export function parseSecretScopes(raw: string): SecretScope[] {
  const items = parseList(raw)
  if (items.length === 0) throw new InputFormError(raw, GITHUB_SECRETS_FORM)
  if (items.length === 1 && items[0] === 'none') return []
  const scopes: SecretScope[] = []
  const seen = new Set<string>()
  for (const item of items) {
    let scope: SecretScope
    if (item === 'repository') scope = { kind: 'repository' }
    else {
      const m = /^environment:\s*(.+)$/.exec(item)
      if (!m || m[1].trim() === '') throw new InputFormError(item, GITHUB_SECRETS_FORM)
      scope = { kind: 'environment', name: m[1].trim() }
    }
    const key = scopeLabel(scope)
    if (!seen.has(key)) scopes.push(scope)
    seen.add(key)
  }
  return scopes
}

/** `repository`, `environment production`. */
export function scopeLabel(scope: SecretScope): string {
  return scope.kind === 'repository' ? 'repository' : `environment ${scope.name}`
}

export interface SecretAge {
  name: string
  createdAt: Date
  updatedAt: Date
}

export class SecretsRefused extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

interface ApiSecret {
  name: string
  created_at: string
  updated_at: string
}

/** Every secret of the scope, all pages. Throws SecretsRefused with a sentence saying what to do. */
export async function listSecrets(port: GitHubPort, scope: SecretScope): Promise<SecretAge[]> {
  const { octokit, owner, repo } = port
  let raw: ApiSecret[] | undefined
  try {
    // Every page, by GitHub's Link header; an error or a loop is a refusal, never a shorter list.
    // The items are checked one by one below: the type only names what is read.
    raw = (
      scope.kind === 'repository'
        ? await allItems(octokit, 'GET /repos/{owner}/{repo}/actions/secrets', { owner, repo, per_page: 100 }, 'secrets')
        : await allItems(
            octokit,
            'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets',
            { owner, repo, environment_name: scope.name, per_page: 100 },
            'secrets',
          )
    ) as ApiSecret[] | undefined
  } catch (err) {
    throw refusal(err, scope, `${owner}/${repo}`)
  }
  if (!raw)
    throw new SecretsRefused(`GitHub answered the ${what(scope, `${owner}/${repo}`)} request with something other than a list of secrets.`)
  return raw.map((s) => {
    const updatedAt = new Date(s?.updated_at ?? NaN)
    const createdAt = new Date(s?.created_at ?? NaN)
    if (typeof s?.name !== 'string' || !Number.isFinite(updatedAt.getTime())) {
      throw new SecretsRefused(`GitHub listed a secret of the ${what(scope, `${owner}/${repo}`)} without a name or a valid \`updated_at\`.`)
    }
    return { name: s.name, createdAt, updatedAt }
  })
}

function what(scope: SecretScope, repo: string): string {
  return scope.kind === 'repository' ? `repository secrets of ${repo}` : `secrets of environment ${JSON.stringify(scope.name)} in ${repo}`
}

/** The fine-grained permission GitHub asks for, from its X-Accepted-GitHub-Permissions header. */
function acceptedPermissions(err: unknown): string | undefined {
  const headers = (err as { response?: { headers?: Record<string, unknown> } })?.response?.headers
  const v = headers?.['x-accepted-github-permissions']
  return typeof v === 'string' && v.trim() ? v.trim() : undefined
}

export function refusal(err: unknown, scope: SecretScope, repo: string): SecretsRefused {
  const e = err as { status?: unknown; message?: unknown; response?: { data?: { message?: unknown } } }
  // Octokit reports a request that got no answer (refused, DNS, TLS) as status 500 without a response.
  const status = typeof e?.status === 'number' && e.response ? e.status : undefined
  const apiMessage = String(e?.response?.data?.message ?? e?.message ?? err)
    .split(/\s+-\s+https?:/)[0]
    .replace(/\s+/g, ' ')
    .slice(0, 160)
  const listing = what(scope, repo)
  // GitHub answered, but its pages never ended (src/github/pages.ts): no complete list, so no verdict.
  if (err instanceof Error && err.name === 'PagingError')
    return new SecretsRefused(`Could not list the ${listing}: ${err.message}, so the list is not complete. Run the gate again.`)
  const permission = scope.kind === 'repository' ? "'Secrets: read'" : "'Environments: read' (or 'Secrets: read')"
  const asked = acceptedPermissions(err)
  const needs =
    `The default GITHUB_TOKEN cannot list secrets: give \`github-token\` a fine-grained personal access token or a GitHub App token ` +
    `with the repository permission ${permission} on ${repo}${asked ? ` (GitHub asks for: ${asked})` : ''}, or a classic token with the \`repo\` scope.`
  if (status === 403) return new SecretsRefused(`GitHub refused to list the ${listing} (HTTP 403: ${apiMessage}). ${needs}`, status)
  if (status === 404) {
    const why =
      scope.kind === 'environment'
        ? `the environment ${JSON.stringify(scope.name)} does not exist, or the token may not read it`
        : 'the token may not read this repository\u2019s secrets (GitHub answers 404 for what a token cannot see)'
    return new SecretsRefused(`GitHub answered HTTP 404 for the ${listing}: ${why}. ${needs}`, status)
  }
  if (status === 401)
    return new SecretsRefused(
      `GitHub rejected the token (HTTP 401: ${apiMessage}) when listing the ${listing}. Check \`github-token\`: it may be expired or revoked.`,
      status,
    )
  if (status !== undefined)
    return new SecretsRefused(
      `GitHub answered HTTP ${status} (${apiMessage}) when listing the ${listing}. Run the gate again; if it persists, check https://www.githubstatus.com.`,
      status,
    )
  return new SecretsRefused(
    `The GitHub API could not be reached to list the ${listing}: ${apiMessage}. Check GITHUB_API_URL and the runner's network.`,
  )
}
