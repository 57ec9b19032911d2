/**
 * A failed GitHub API call, as a sentence: what GitHub answered, what GitHub said, and what to do.
 * A refusal (401/403) names the permission the call needs; GitHub says which it wanted in
 * `X-Accepted-GitHub-Permissions`. No answer at all (Octokit reports it as a status without a
 * response) is told apart from an answer.
 */

interface HttpishError {
  status?: number
  message?: string
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown }
}

/** The HTTP status GitHub answered; undefined when no answer came. */
export function httpStatus(err: unknown): number | undefined {
  const e = err as HttpishError | undefined
  return typeof e?.status === 'number' && e.status > 0 && e.response ? e.status : undefined
}

export function describeStatus(err: unknown): string {
  const status = httpStatus(err)
  return status ? `HTTP ${status}` : 'no answer'
}

/** What GitHub said, in a few words: its `message`, else the error's. */
export function githubMessage(err: unknown): string {
  const e = err as HttpishError
  const data = e?.response?.data as { message?: unknown } | undefined
  const text = typeof data?.message === 'string' ? data.message : (e?.message ?? String(err))
  return text
    .split(/\s+-\s+https?:/)[0]
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200)
}

export function acceptedPermissions(err: unknown): string | undefined {
  const v = (err as HttpishError)?.response?.headers?.['x-accepted-github-permissions']
  return v === undefined || String(v).trim() === '' ? undefined : String(v).trim()
}

/**
 * `Could not <what>: GitHub answered HTTP 403 (…). <needs>` — `needs` is the sentence naming the
 * permission, said only for a refusal.
 */
export function apiFailure(err: unknown, what: string, needs: string): string {
  // A list whose pages never end was answered, just not completely (src/github/pages.ts).
  if (err instanceof Error && err.name === 'PagingError')
    return `Could not ${what}: ${err.message}, so the list is not complete. Run the gate again.`
  const status = httpStatus(err)
  const said = githubMessage(err)
  if (status === 401 || status === 403) {
    const accepted = acceptedPermissions(err)
    return `Could not ${what}: GitHub answered HTTP ${status} (${said})${accepted ? ` (GitHub accepts: ${accepted})` : ''}. ${needs}`
  }
  if (status)
    return `Could not ${what}: GitHub answered HTTP ${status} (${said}). Run the gate again; if it persists, check https://www.githubstatus.com.`
  return `Could not ${what}: the GitHub API did not answer (${said}). Check GITHUB_API_URL and the network, then run the gate again.`
}

export const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
