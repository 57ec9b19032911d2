/**
 * What a laptop run knows of itself. Reports name the commit they measured, so `decide` can tell
 * them from a stale folder: on a laptop that is the checkout's HEAD when there is one.
 */
import { execFileSync } from 'node:child_process'

/** The full SHA of HEAD in `cwd`, or undefined outside a git checkout (or without git). */
export function gitHead(cwd: string): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim()
    return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(out) ? out : undefined
  } catch {
    return undefined
  }
}
