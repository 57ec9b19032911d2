/** Builds the GitHub port gates use, when a token and a repository are known. */
import type { GitHubApi, GitHubPort } from '../core/gate.js'
import { runContext } from '../core/run-context.js'

/**
 * The client (@actions/github, Octokit and its plugins: most of a bundle's weight and start-up) is
 * loaded at the first request, so a gate that never calls GitHub never pays for it.
 */
export function lazyClient(token: string, load = () => import('./client.js')): GitHubApi {
  let client: Promise<GitHubApi> | undefined
  const get = () => (client ??= load().then((m) => m.createClient(token)))
  return {
    request: async (route, params) => (await get()).request(route, params),
  }
}

export function githubPort(token: string | undefined, env: Record<string, string | undefined>, sha?: string): GitHubPort | undefined {
  const run = runContext(env, sha)
  if (!token || !run.owner || !run.repo) return undefined
  const runId = Number(env.GITHUB_RUN_ID)
  return {
    octokit: lazyClient(token),
    owner: run.owner,
    repo: run.repo,
    sha: run.sha,
    ...(Number.isInteger(runId) && runId > 0 ? { runId } : {}),
    ...(env.GITHUB_ACTOR ? { actor: env.GITHUB_ACTOR } : {}),
  }
}
