// The security alerts of a repository on the fake GitHub, each list served in pages with GitHub's
// Link header (Dependabot by its `after` cursor, as GitHub pages it), and the SARIF and SBOM
// fixtures copied into a workspace.
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FakeGitHub, FakeReply, RecordedRequest } from '../../harness/fake-github.js'
import * as gh from '../../support/github-shapes.js'
import { paged } from '../release-freeze/fake-repo.js'

export interface AlertState {
  code?: ReturnType<typeof gh.codeScanningAlert>[] | FakeReply
  dependabot?: ReturnType<typeof gh.dependabotAlert>[] | FakeReply
  secrets?: ReturnType<typeof gh.secretAlert>[] | FakeReply
  perPage?: number
}

const isReply = (x: unknown): x is FakeReply =>
  typeof x === 'object' && x !== null && typeof (x as { status?: unknown }).status === 'number' && !Array.isArray(x)

/** Dependabot pages by cursor: `after` names the last alert of the page before. */
function cursorPaged(fake: FakeGitHub, req: RecordedRequest, items: { number: number }[], perPage: number): FakeReply {
  const after = req.query.after
  const start = after === undefined ? 0 : items.findIndex((a) => String(a.number) === after) + 1
  const page = items.slice(start, start + perPage)
  const headers: Record<string, string> = {}
  if (start + perPage < items.length) {
    const next = new URL(`${fake.url}${req.path}`)
    for (const [k, v] of Object.entries(req.query)) if (k !== 'after') next.searchParams.set(k, v)
    next.searchParams.set('after', String(page.at(-1)!.number))
    headers.link = `<${next}>; rel="next"`
  }
  return { status: 200, body: page, headers }
}

export function serveAlerts(fake: FakeGitHub, state: AlertState, active: () => boolean = () => true): void {
  const per = state.perPage ?? 100
  const when = (op: string, h: (req: RecordedRequest) => FakeReply) => fake.on(op, (req) => (active() ? h(req) : undefined))
  when('code-scanning/list-alerts-for-repo', (req) => (isReply(state.code) ? state.code : paged(fake, req, state.code ?? [], per)))
  when('dependabot/list-alerts-for-repo', (req) =>
    isReply(state.dependabot) ? state.dependabot : cursorPaged(fake, req, state.dependabot ?? [], per),
  )
  when('secret-scanning/list-alerts-for-repo', (req) =>
    isReply(state.secrets) ? state.secrets : paged(fake, req, state.secrets ?? [], per),
  )
}

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/security')

/** A fresh workspace holding the fixtures under `scans/` and `sbom/`. */
export function workspace(): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'security-alerts-'))
  cpSync(FIXTURES, path.join(ws, 'scans'), { recursive: true, filter: (src) => !src.endsWith('.json') || src === FIXTURES })
  cpSync(FIXTURES, path.join(ws, 'sbom'), { recursive: true, filter: (src) => src === FIXTURES || src.endsWith('.json') })
  return ws
}
