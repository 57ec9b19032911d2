// What every gate action does around its gate (src/actions/runner.ts), run as the real bundled
// readyz action against the fake GitHub: what it writes, what it refuses to write, and what it
// still publishes when the report folder cannot take the report.
import { execFileSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { LEDGER_FILE, verifyLedger } from '../../src/core/ledger.js'
import type { Check } from '../../src/core/result.js'
import { decide } from '../../src/gates/decide/gate.js'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { DEFAULT_REPOSITORY, DEFAULT_SHA, runAction, type ActionRun } from '../harness/run-action.js'
import { json, serve, type TestServer } from '../support/http.js'

let api: FakeGitHub
let svc: TestServer
const barrier: (() => void)[] = []

beforeAll(async () => {
  svc = await serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const answer = url.searchParams.get('answer') ?? url.pathname.slice(1)
    const reply =
      answer === 'healthy'
        ? json(200, { status: 'pass' }, 'application/health+json')
        : json(503, { status: 'fail' }, 'application/health+json')
    if (url.pathname !== '/barrier') return reply(req, res)
    // Held until every caller has asked, then all answered at once: the gates finish together
    // and write the same report at the same moment.
    barrier.push(() => reply(req, res))
    if (barrier.length >= Number(url.searchParams.get('of'))) barrier.splice(0).forEach((go) => go())
  })
  api = await startFakeGitHub()
})
afterAll(async () => {
  await svc.close()
  await api.close()
})
afterEach(() => {
  expect(api.invalid, 'requests GitHub would reject').toEqual([])
  api.requests.splice(0)
})

const workspace = () => mkdtemp(path.join(tmpdir(), 'runner-'))
// The harness kills a run that outlives this; `timedOut` then says the action hung.
const run = (cwd: string, inputs: Record<string, string>) => runAction('readyz', { inputs, apiUrl: api.url, cwd, timeoutMs: 30_000 })
const checkRuns = () => api.requests.filter((r) => r.operationId === 'checks/create').map((r) => r.body as Record<string, unknown>)
const errors = (r: ActionRun) => r.commands.filter((c) => c.command === 'error').map((c) => c.message)
/** Every file under `dir`, with its bytes, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const f = path.join(e.parentPath, e.name)
    if (e.isFile()) out[path.relative(dir, f)] = readFileSync(f).toString('base64')
  }
  return out
}

/** decide over a folder the actions wrote, as this run (the harness's commit, run and repository), at the time its last report finished. */
async function decideOn(cwd: string, required: string) {
  const dir = path.join(cwd, 'cutover-reports')
  const finished = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => Date.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')).finishedAt))
  const ctx = defaultContext({
    log: () => {},
    cwd,
    workspace: cwd,
    env: { GITHUB_SHA: DEFAULT_SHA, GITHUB_RUN_ID: '4242424242', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: DEFAULT_REPOSITORY },
    now: () => new Date(Math.max(...finished) + 1000),
  })
  const r = await runGate(decide, { required, 'hmac-key': 'runner-test-hmac-key-0123456789', bundle: 'out/bundle.json' }, ctx, {
    id: 'decide',
  })
  return { r, reasons: r.checks.filter((c: Check) => c.status !== 'pass').map((c: Check) => c.message) }
}

describe('gate runner: an invalid common input fails that step and writes nothing', () => {
  it('sha xyz with id api and report-dir custom: the step fails naming `sha`; no report, no check run, another step’s report untouched', async () => {
    const cwd = await workspace()
    // Another step's report and ledger, as a readyz step before this one left them.
    const before = await run(cwd, { url: `${svc.url}/healthy` })
    expect(before.outputs.status).toBe('pass')
    api.requests.splice(0)
    const kept = snapshot(cwd)
    expect(Object.keys(kept).sort()).toEqual(['cutover-reports/ledger.jsonl', 'cutover-reports/readyz.json'])

    const r = await run(cwd, { url: `${svc.url}/down`, sha: 'xyz', id: 'api', 'report-dir': 'custom' })
    expect(r.code).toBe(1)
    expect(errors(r).join('\n')).toMatch(/input `sha`: "xyz" is not valid; expected a full 40-character commit SHA/)
    expect(r.stdout).toContain('Nothing was measured or written (no report, no check run)')
    expect(r.stdout).not.toMatch(/\n\s+at /)
    expect(checkRuns()).toEqual([])
    expect(svc.requests.some((q) => q.url === '/down')).toBe(false)
    expect(existsSync(path.join(cwd, 'custom'))).toBe(false)
    expect(snapshot(cwd)).toEqual(kept)
    expect(r.outputs).toEqual({})
  })
})

describe('gate runner: a refused gate input decides nothing', () => {
  it('decide with a refused input fails the step, writes no bundle and outputs decision NO-GO (never an empty decision)', async () => {
    const cwd = await workspace()
    const r = await runAction('decide', {
      inputs: { 'allow-warn': 'yes', 'check-run': 'false' },
      apiUrl: api.url,
      cwd,
      timeoutMs: 30_000,
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/input `allow-warn`: "yes" is not valid; expected true or false/)
    expect(r.outputs).toMatchObject({ status: 'fail', decision: 'NO-GO' })
    expect(readdirSync(cwd)).toEqual([])
  })
})

describe('gate runner: reports are hashed from the bytes written, under the ledger lock', () => {
  it.each([1, 2, 3])(
    'ten concurrent runs (separate processes) of the same id into one folder leave a folder decide accepts (round %i)',
    async () => {
      const cwd = await workspace()
      const runs = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          run(cwd, {
            url: `${svc.url}/barrier?of=10&answer=${i % 2 ? 'healthy' : 'down'}`,
            id: 'api',
            'fail-on': 'never',
            'check-run': 'false',
          }),
        ),
      )
      for (const r of runs) expect(r.code, r.stdout + r.stderr).toBe(0)
      const dir = path.join(cwd, 'cutover-reports')
      const v = await verifyLedger(path.join(dir, LEDGER_FILE))
      expect(v).toMatchObject({ ok: true, records: 10, problems: [] })
      expect(readdirSync(dir).sort()).toEqual(['api.json', LEDGER_FILE])
      const { r, reasons } = await decideOn(cwd, 'api')
      expect(reasons.join('\n')).not.toContain('changed after the gate wrote it')
      expect(r.checks.find((c: Check) => c.name === 'ledger chain')?.status).toBe('pass')
      // Whichever run was last, the folder holds its report: the decision is that report's status.
      const last = JSON.parse(readFileSync(path.join(dir, LEDGER_FILE), 'utf8').trimEnd().split('\n').at(-1)!) as { status: string }
      expect(r.outputs.decision).toBe(last.status === 'pass' ? 'GO' : 'NO-GO')
    },
  )
})

describe('gate runner: a ledger that cannot take the record stops the write', () => {
  it('a torn last ledger line: the earlier report is not overwritten, the step fails naming `report-dir`, results still published', async () => {
    const cwd = await workspace()
    const first = await run(cwd, { url: `${svc.url}/healthy`, id: 'api' })
    expect(first.outputs.status).toBe('pass')
    const dir = path.join(cwd, 'cutover-reports')
    appendFileSync(path.join(dir, LEDGER_FILE), '{"seq":2,"time":"2026-')
    const kept = snapshot(cwd)
    api.requests.splice(0)

    const r = await run(cwd, { url: `${svc.url}/down`, id: 'api' })
    expect(r.code).toBe(1)
    expect(snapshot(cwd)).toEqual(kept) // no report overwritten, no temp file left, no record added
    expect(errors(r).join('\n')).toMatch(/input `report-dir`: cutover-reports .*ends with an incomplete record/)
    expect(r.outputs.status).toBe('fail')
    expect(r.outputs.report).toBe('')
    expect(r.summary).toContain('NO-GO')
    expect(checkRuns()).toMatchObject([{ name: 'cutover / api', conclusion: 'failure' }])
  })
})

describe('gate runner: an unusable report folder still prints and publishes the results, naming the input', () => {
  const unwritable = (cwd: string) => {
    // root writes anywhere it may chmod; /sys/kernel refuses even root (EACCES).
    if (process.getuid?.() === 0) return '/sys/kernel'
    const d = path.join(cwd, 'locked')
    mkdirSync(d)
    execFileSync('chmod', ['0555', d])
    return d
  }

  it.each([
    ['a file', (cwd: string) => (writeFileSync(path.join(cwd, 'blocker'), 'not a folder'), 'blocker')],
    ['a folder the job cannot write to', unwritable],
    ['/proc/x (where mkdir -p spins for ever in Node)', () => '/proc/x'],
  ])('report-dir is %s', async (_, dirFor) => {
    const cwd = await workspace()
    const reportDir = dirFor(cwd)
    const r = await run(cwd, { url: `${svc.url}/healthy`, id: 'api', 'report-dir': reportDir })
    expect(r.timedOut).toBe(false)
    expect(r.code).toBe(1)
    expect(errors(r).join('\n')).toMatch(
      new RegExp(
        `^input \`report-dir\`: ${reportDir.replace(/[/.]/g, '\\$&')} .*; the results above were published but no report was saved`,
      ),
    )
    expect(r.outputs).toMatchObject({ status: 'pass', report: '', summary: 'api: PASS (1 of 1 checks passed)' })
    expect(r.summary).toContain(`${svc.url}/healthy`)
    expect(checkRuns()).toMatchObject([{ name: 'cutover / api', conclusion: 'success' }])
  })
})
