// The bundled smoke action, run as the GitHub runner runs it, against the demo's payments API on
// loopback and the fake GitHub API: `steps` arrives as the YAML string an action input is.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { createBank, DEMO_CREDENTIALS as C, type Bank, type BankOptions } from '../../examples/demo/bank.mjs'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { runAction } from '../harness/run-action.js'
import { serve, type TestServer } from '../support/http.js'
import { moneyLoop } from '../gates/smoke/money-loop.js'
import { channels, report } from './channels.js'

let api: FakeGitHub
let svc: TestServer
let bank: Bank
afterEach(async () => {
  expect(api.invalid, 'requests GitHub would reject').toEqual([])
  await Promise.all([api.close(), svc.close()])
})

async function run(steps: (base: string) => unknown, opts: BankOptions = {}, extra: Record<string, string> = {}) {
  bank = createBank(opts)
  svc = await serve((req, res) => void bank.handle(req, res).then((handled) => handled || res.writeHead(404).end()))
  api = await startFakeGitHub()
  const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
  const r = await runAction('smoke', { inputs: { steps: stringify(steps(svc.url)), ...extra }, apiUrl: api.url, cwd })
  return { r, cwd }
}
const checkRuns = () => api.requests.filter((r) => r.operationId === 'checks/create')

describe('smoke action', () => {
  it('the money loop passes: captured values as an output, every step in the report, a green check run', async () => {
    const { r, cwd } = await run(moneyLoop, {}, { id: 'canary-money-loop' })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.outputs.status).toBe('pass')
    expect(JSON.parse(r.outputs.captured)).toEqual({ tx: 'dep_1', wid: 'wd_2', available_after: '0', ledger: 'led_3' })
    const rep = await report(cwd, 'canary-money-loop')
    expect((rep.checks as { name: string }[]).map((c) => c.name)).toEqual([
      'deposit',
      'withdraw request',
      'admin approve',
      'mark paid',
      'ledger settled',
    ])
    expect(checkRuns()[0].body).toMatchObject({ name: 'cutover / canary-money-loop', conclusion: 'success' })
    expect(r.summary).toContain('Smoke tests PASS')
  })

  it('a 500 mid-flow fails the step, names the step, and no later request is sent', async () => {
    const { r } = await run(moneyLoop, { fail: { 'mark-paid': 503 } })
    expect(r.code).toBe(1)
    expect(r.outputs.summary).toMatch(/^smoke: FAIL: Step `mark paid` failed: POST .* answered HTTP 503, expected 200-299/)
    expect(r.outputs.summary).toMatch(/not run: ledger settled\./)
    expect(bank.state.requests.filter((q) => q.startsWith('GET /api/v1/ledger'))).toEqual([])
    expect(checkRuns()[0].body).toMatchObject({ conclusion: 'failure' })
  })

  it('a reference no earlier step captures is refused before any request', async () => {
    const { r } = await run((base) => [
      { name: 'approve', method: 'POST', url: `${base}/api/v1/admin/withdrawals/{{wid}}/approve`, headers: { 'X-Admin-Key': C.adminKey } },
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/step `approve`: `url` uses \{\{wid\}\}, which no earlier step captures/)
    expect(bank.state.requests).toEqual([])
  })

  it('header values and the captured values used in headers are in no channel', async () => {
    const { r, cwd } = await run((base) => [
      ...moneyLoop(base),
      {
        name: 'platform rejects an API key',
        url: `${base}/api/v1/platform/tenants`,
        headers: { 'X-API-Key': C.apiKey },
        'expect-status': 401,
        expect: 'error=wrong_auth_method',
      },
      {
        name: 'pack rejects a session cookie',
        url: `${base}/api/v1/routing/status`,
        headers: { Cookie: `session=${C.session}` },
        'expect-status': 401,
        expect: 'error=missing_api_key',
      },
    ])
    expect(r.outputs.status, r.stdout).toBe('pass')
    for (const s of [C.userToken, C.adminKey, C.apiKey, C.session]) expect(r.stdout).toContain(`::add-mask::${s}`)
    const c = await channels(r, api, cwd)
    for (const [name, text] of Object.entries(c))
      for (const s of [C.userToken, C.adminKey, C.apiKey, C.session]) expect(text, name).not.toContain(s)
  })
})
