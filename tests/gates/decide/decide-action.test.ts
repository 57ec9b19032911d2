// The bundled decide action, run as the GitHub runner runs it, after the bundled readyz action wrote
// its report into the same workspace: outputs, job summary, check run, and no secret anywhere.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { bundleCommand } from '../../../src/cli/bundle.js'
import type { Bundle } from '../../../src/gates/decide/bundle.js'
import { startFakeGitHub, type FakeGitHub } from '../../harness/fake-github.js'
import { DEFAULT_SHA, runAction } from '../../harness/run-action.js'
import { json, serve, type TestServer } from '../../support/http.js'

const HMAC = 'action-hmac-key-never-printed-42'
let svc: TestServer
let api: FakeGitHub | undefined
let cwd: string

beforeAll(async () => {
  svc = await serve((req, res) =>
    req.url === '/healthy'
      ? json(200, { status: 'pass' }, 'application/health+json')(req, res)
      : json(503, { status: 'fail' }, 'application/health+json')(req, res),
  )
})
afterAll(() => svc.close())
afterEach(async () => {
  if (api) {
    expect(api.invalid, 'requests GitHub would reject').toEqual([])
    await api.close()
    api = undefined
  }
  await rm(cwd, { recursive: true, force: true })
})

async function action(name: string, inputs: Record<string, string>) {
  api ??= await startFakeGitHub()
  return runAction(name, { inputs, apiUrl: api.url, cwd })
}

describe('decide action', () => {
  it('GO after a passing readyz in the same run: outputs, bundle, summary with table and gantt, check run; the key is masked', async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const gate = await action('readyz', { url: `${svc.url}/healthy`, id: 'api-readyz' })
    expect(gate.code, gate.stdout).toBe(0)

    const r = await action('decide', { required: 'api-readyz', 'hmac-key': HMAC })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.outputs).toMatchObject({
      status: 'pass',
      decision: 'GO',
      bundle: 'cutover-reports/cutover-summary.json',
      report: 'cutover-reports/decide.json',
    })
    expect(r.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(r.summary).toContain('## Cutover gates: ✅ GO')
    // The decision table and the final decision come first, unfolded; the timeline is folded below them.
    const row = r.summary.indexOf('| **Infrastructure** | Readyz healthy (`api-readyz`) | ✅ GO |')
    expect(row).toBeGreaterThan(0)
    expect(row).toBeLessThan(r.summary.indexOf('<details>'))
    expect(r.summary.indexOf('- [x] **GO**')).toBeLessThan(r.summary.indexOf('<details>'))
    expect(r.summary).toContain('```mermaid\ngantt')
    const run = api!.requests.find((q) => q.operationId === 'checks/create' && (q.body as { name?: string }).name === 'cutover / decide')
    expect(run?.body).toMatchObject({ head_sha: DEFAULT_SHA, conclusion: 'success' })

    const bundle = JSON.parse(await readFile(path.join(cwd, r.outputs.bundle), 'utf8')) as Bundle
    expect(bundle.subject).toMatchObject({
      repository: 'acme/shop',
      sha: DEFAULT_SHA,
      runId: '4242424242',
      runAttempt: '1',
      actor: 'octocat',
    })
    expect(bundle.reports.map((x) => x.id)).toEqual(['api-readyz'])
    const everything = [
      r.stdout.replace(/^::add-mask::.*$/gm, ''), // the runner reads these lines and shows them to nobody
      r.stderr,
      r.summary,
      JSON.stringify(r.outputs),
      await readFile(path.join(cwd, 'cutover-reports/decide.json'), 'utf8'),
      JSON.stringify(bundle),
      JSON.stringify(api!.requests),
    ]
    for (const text of everything) expect(text).not.toContain(HMAC)

    // The bundle verifies from the command line; decide's own report, written after it, is not in it.
    vi.stubEnv('DECIDE_ACTION_HMAC', HMAC)
    const out: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true))
    const code = await bundleCommand(['verify', path.join(cwd, r.outputs.bundle), '--hmac-env', 'DECIDE_ACTION_HMAC']).finally(() => {
      spy.mockRestore()
      vi.unstubAllEnvs()
    })
    expect(code, out.join('')).toBe(0)

    // A second decide leaves decide.json out and is still GO.
    const again = await action('decide', { required: 'api-readyz', 'hmac-key': HMAC })
    expect(again.outputs.decision).toBe('GO')
    expect(again.summary).toContain('`cutover-reports/decide.json` (it is a decide report)')
  })

  it('NO-GO fails the step, names the failing gate and the missing one, and still leaves the bundle', async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    await action('readyz', { url: `${svc.url}/down`, id: 'api-readyz', 'fail-on': 'never' })
    const r = await action('decide', { required: 'api-readyz\nrc-proof' })
    expect(r.code).toBe(1)
    expect(r.outputs).toMatchObject({ status: 'fail', decision: 'NO-GO', bundle: 'cutover-reports/cutover-summary.json' })
    expect(r.stdout).toContain('`api-readyz` failed:')
    expect(r.summary).toContain('Required gate `rc-proof` has no report')
    expect(r.summary).toContain('- [x] **NO-GO**')
    const bundle = JSON.parse(await readFile(path.join(cwd, r.outputs.bundle), 'utf8')) as Bundle
    expect(bundle.decision).toBe('NO-GO')
    expect(bundle.reasons.length).toBeGreaterThanOrEqual(2) // readyz failed, rc-proof missing (unsigned is stated, not a reason)
  })
})
