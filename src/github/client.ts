/**
 * The Octokit we use everywhere: the runner's API URL, and retries of 5xx and rate-limit
 * answers with a backoff that honours `Retry-After` (and `x-ratelimit-reset`).
 */
import { getOctokit } from '@actions/github'

export type Octokit = ReturnType<typeof getOctokit>

export interface RetryPolicy {
  retries: number
  baseMs: number
  /** The longest we will wait for one retry; a longer Retry-After is not worth a stuck job. */
  maxWaitMs: number
  sleep: (ms: number) => Promise<void>
}

const DEFAULT_POLICY: RetryPolicy = { retries: 3, baseMs: 500, maxWaitMs: 60_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }

interface HttpishError {
  status?: number
  response?: { headers?: Record<string, string | number | undefined> }
}

/** How long to wait before retrying, or undefined when the error is not worth a retry. */
export function retryDelay(
  err: unknown,
  attempt: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'maxWaitMs'>,
  nowMs = Date.now(),
): number | undefined {
  const e = err as HttpishError
  const status = e?.status
  const headers = e?.response?.headers ?? {}
  const rateLimited =
    status === 429 || (status === 403 && (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined))
  if (!(status !== undefined && status >= 500) && !rateLimited) return undefined
  const retryAfter = headers['retry-after']
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter)
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(String(retryAfter)) - nowMs
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), policy.maxWaitMs)
  }
  const reset = Number(headers['x-ratelimit-reset'])
  if (rateLimited && Number.isFinite(reset) && reset > 0) return Math.min(Math.max(reset * 1000 - nowMs, 0), policy.maxWaitMs)
  return Math.min(policy.baseMs * 2 ** attempt, policy.maxWaitMs)
}

/** `baseUrl` defaults to the runner's GITHUB_API_URL, read now (not when the module loaded). */
export function createClient(
  token: string,
  policy: Partial<RetryPolicy> = {},
  baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com',
): Octokit {
  const p = { ...DEFAULT_POLICY, ...policy }
  const octokit = getOctokit(token, { baseUrl, request: { retries: 0 } })
  octokit.hook.wrap('request', async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(options)
      } catch (err) {
        const wait = attempt < p.retries ? retryDelay(err, attempt, p) : undefined
        if (wait === undefined) throw err
        await p.sleep(wait)
      }
    }
  })
  return octokit
}
