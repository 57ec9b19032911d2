/**
 * The Octokit we use everywhere: the runner's API URL, GitHub's pacing and rate limits by
 * @octokit/plugin-throttling, and retries by @octokit/plugin-retry, with our policy for how long
 * to wait: `Retry-After` honoured (and `x-ratelimit-reset`), 5xx answers retried with a
 * backoff, and never more than `maxWaitMs` for one retry. The waits go through `sleep`, so a
 * test can record them instead of spending them.
 */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'

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
  message?: string
  response?: { headers?: Record<string, string | number | undefined> }
  request?: { request?: { retryCount?: number } }
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

/** What plugin-throttling recognises as a rate limit, and waits out itself (it then retries). */
function throttled(e: HttpishError): boolean {
  if (e.status !== 403 && e.status !== 429) return false
  return String(e.response?.headers?.['x-ratelimit-remaining']) === '0' || /\bsecondary rate\b/i.test(e.message ?? '')
}

/** Every client error and server error: plugin-retry's own choice of what and how long is replaced by ours. */
const ALL_STATUSES = Array.from({ length: 200 }, (_, i) => 400 + i)

/** `baseUrl` defaults to the runner's GITHUB_API_URL, read now (not when the module loaded). */
export function createClient(
  token: string,
  policy: Partial<RetryPolicy> = {},
  baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com',
): Octokit {
  const p = { ...DEFAULT_POLICY, ...policy }
  // Inside plugin-retry: decide, wait with our sleep, then hand the request back for an immediate retry.
  const policyPlugin = (octokit: {
    hook: Octokit['hook']
    retry?: { retryRequest(e: unknown, retries: number, after: number): unknown }
  }) => {
    octokit.hook.error('request', async (err) => {
      const e = err as HttpishError
      const attempt = e.request?.request?.retryCount ?? 0
      const wait = !throttled(e) && attempt < p.retries ? retryDelay(err, attempt, p) : undefined
      if (wait === undefined || !octokit.retry) throw err
      await p.sleep(wait)
      throw octokit.retry.retryRequest(err, p.retries, 0)
    })
  }
  const onLimit = async (retryAfterSeconds: number, _options: unknown, _octokit: unknown, retryCount: number) => {
    if (retryCount >= p.retries) return false
    await p.sleep(Math.min(Math.max(retryAfterSeconds, 0) * 1000, p.maxWaitMs))
    return true
  }
  return getOctokit(
    token,
    {
      baseUrl,
      retry: { doNotRetry: ALL_STATUSES, retryAfterBaseValue: 1 },
      throttle: { onRateLimit: onLimit, onSecondaryRateLimit: onLimit, retryAfterBaseValue: 0 },
    },
    policyPlugin as never,
    retry,
    throttling,
  )
}
