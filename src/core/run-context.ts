/** Which repository and commit a run is about, from the runner's environment. */
import { readFileSync } from 'node:fs'

export interface RunContext {
  owner?: string
  repo?: string
  /** The commit check runs attach to: the PR head on pull_request events, else GITHUB_SHA. */
  sha?: string
  eventName?: string
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'])

export function readEvent(env: Record<string, string | undefined>): Record<string, unknown> {
  const file = env.GITHUB_EVENT_PATH
  if (!file) return {}
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
}

export function runContext(env: Record<string, string | undefined>, shaOverride?: string): RunContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  let sha = env.GITHUB_SHA
  if (env.GITHUB_EVENT_NAME && PR_EVENTS.has(env.GITHUB_EVENT_NAME)) {
    const pr = readEvent(env).pull_request as { head?: { sha?: string } } | undefined
    if (pr?.head?.sha) sha = pr.head.sha
  }
  return { owner: owner || undefined, repo: repo || undefined, sha: shaOverride ?? sha, eventName: env.GITHUB_EVENT_NAME }
}
