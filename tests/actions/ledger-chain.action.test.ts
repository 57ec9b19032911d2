// One chain across the jobs of a run, through the real bundled actions: a job's step outputs its
// report folder's `ledger-head`, the next job gets it as CUTOVER_LEDGER_PREV, and decide with
// `ledger-chain: linked` over both folders judges them as one chain (as the reusable workflow's
// bundle job does).
import { readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { GENESIS, LEDGER_FILE, recordHash, type LedgerRecord } from '../../src/core/ledger.js'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { runAction, type ActionRun } from '../harness/run-action.js'
import { json, serve, type TestServer } from '../support/http.js'

let api: FakeGitHub
let svc: TestServer

beforeAll(async () => {
  svc = await serve((req, res) => json(200, { status: 'pass' }, 'application/health+json')(req, res))
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

const HMAC = 'ledger-chain-test-hmac-key-0123456789'
const run = (name: string, cwd: string, inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction(name, { inputs: { 'check-run': 'false', ...inputs }, env, apiUrl: api.url, cwd, timeoutMs: 30_000 })
const readyz = (cwd: string, id: string, dir: string, env: Record<string, string> = {}) =>
  run('readyz', cwd, { url: `${svc.url}/health`, id, 'report-dir': dir }, env)
const records = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as LedgerRecord)
const decideOver = (cwd: string, chain: string) =>
  run('decide', cwd, {
    reports: 'job-1\njob-2',
    required: 'api-1,api-2',
    'ledger-chain': chain,
    'hmac-key': HMAC,
    bundle: 'out/cutover-summary.json',
    'report-dir': 'out',
    'fail-on': 'never',
  })
const ok = (r: ActionRun) => expect(r.code, r.stdout + r.stderr).toBe(0)

/** Two jobs of a run: the second continues the first's head, as cutover.yml hands it on. */
async function twoJobs() {
  const cwd = await mkdtemp(path.join(tmpdir(), 'ledger-chain-'))
  const first = await readyz(cwd, 'api-1', 'job-1')
  ok(first)
  const head = first.outputs['ledger-head']
  const second = await readyz(cwd, 'api-2', 'job-2', { CUTOVER_LEDGER_PREV: head })
  ok(second)
  return { cwd, head, first, second }
}

describe('the ledger head handed from job to job', () => {
  it("ledger-head is the last record's hash of the step's folder; the next job's first record names it", async () => {
    const { cwd, head, second } = await twoJobs()
    const one = records(path.join(cwd, 'job-1', LEDGER_FILE))
    expect(one).toHaveLength(1)
    expect(one[0].prev).toBe(GENESIS)
    expect(head).toBe(one[0].hash)
    const two = records(path.join(cwd, 'job-2', LEDGER_FILE))
    expect(two[0].prev).toBe(head)
    expect(second.outputs['ledger-head']).toBe(two.at(-1)!.hash)
  })

  it('a second step into the same folder moves the head on to its own record', async () => {
    const { cwd, second } = await twoJobs()
    const again = await readyz(cwd, 'api-2b', 'job-2', { CUTOVER_LEDGER_PREV: second.outputs['ledger-head'] })
    ok(again)
    const two = records(path.join(cwd, 'job-2', LEDGER_FILE))
    expect(two).toHaveLength(2)
    // CUTOVER_LEDGER_PREV names where a new ledger starts; a ledger with records continues itself.
    expect(two[1].prev).toBe(two[0].hash)
    expect(again.outputs['ledger-head']).toBe(two[1].hash)
  })

  it('decide with ledger-chain linked over both folders is GO, with the second job’s head as the run’s', async () => {
    const { cwd, second } = await twoJobs()
    const d = await decideOver(cwd, 'linked')
    ok(d)
    expect(d.outputs.decision, d.stdout).toBe('GO')
    const bundle = JSON.parse(readFileSync(path.join(cwd, 'out', 'cutover-summary.json'), 'utf8')) as { chainHead?: string }
    expect(bundle.chainHead).toBe(second.outputs['ledger-head'])
  })

  it("an edited record in the first job's folder (re-hashed, so that ledger alone still verifies) is NO-GO", async () => {
    const { cwd } = await twoJobs()
    const file = path.join(cwd, 'job-1', LEDGER_FILE)
    const [r] = records(file)
    const edited = { ...r, status: 'pass' as const, time: new Date(Date.parse(r.time) - 60_000).toISOString() }
    const forged = { ...edited, hash: recordHash(edited) }
    writeFileSync(file, JSON.stringify(forged) + '\n')
    const d = await decideOver(cwd, 'linked')
    ok(d)
    expect(d.outputs.decision).toBe('NO-GO')
    expect(d.stdout).toMatch(/not one chain/)
  })

  it('a second job that did not get the head starts its own chain: linked is NO-GO', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ledger-chain-'))
    ok(await readyz(cwd, 'api-1', 'job-1'))
    ok(await readyz(cwd, 'api-2', 'job-2', { CUTOVER_LEDGER_PREV: '' }))
    const d = await decideOver(cwd, 'linked')
    ok(d)
    expect(d.outputs.decision).toBe('NO-GO')
    expect(d.stdout).toMatch(/not one chain/)
  })

  it('a folder whose chain was broken hands on no head: the next job cannot continue a damaged ledger', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ledger-chain-'))
    ok(await readyz(cwd, 'api-1', 'job-1'))
    ok(await readyz(cwd, 'api-1b', 'job-1'))
    const file = path.join(cwd, 'job-1', LEDGER_FILE)
    const [r, last] = records(file)
    // The first record edited without re-hashing; the last is intact, so the ledger still takes a record.
    writeFileSync(file, JSON.stringify({ ...r, status: 'warn' }) + '\n' + JSON.stringify(last) + '\n')
    const again = await readyz(cwd, 'api-1c', 'job-1')
    ok(again)
    expect(records(file)).toHaveLength(3)
    expect(again.outputs['ledger-head']).toBe('')
    expect(again.commands.find((c) => c.command === 'warning')?.message).toMatch(
      /^No ledger head handed on: the ledger job-1\/ledger\.jsonl is not intact \(record seq 1 \(line 1\) was edited/,
    )
  })

  it('a head that is not one is refused before anything is measured or written', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ledger-chain-'))
    const r = await readyz(cwd, 'api-1', 'job-1', { CUTOVER_LEDGER_PREV: 'e'.repeat(63) })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/CUTOVER_LEDGER_PREV must be the head of the previous job's ledger/)
    expect(r.outputs['ledger-head']).toBeUndefined()
  })
})
