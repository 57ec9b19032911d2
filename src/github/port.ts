/** Builds the GitHub port gates use, when a token and a repository are known. */
import type { GitHubPort } from '../core/gate.js'
import { createClient } from './client.js'
import { runContext } from '../core/run-context.js'

export function githubPort(token: string | undefined, env: Record<string, string | undefined>, sha?: string): GitHubPort | undefined {
  const run = runContext(env, sha)
  if (!token || !run.owner || !run.repo) return undefined
  const runId = Number(env.GITHUB_RUN_ID)
  return {
    octokit: createClient(token),
    owner: run.owner,
    repo: run.repo,
    sha: run.sha,
    ...(Number.isInteger(runId) && runId > 0 ? { runId } : {}),
    ...(env.GITHUB_ACTOR ? { actor: env.GITHUB_ACTOR } : {}),
  }
}
