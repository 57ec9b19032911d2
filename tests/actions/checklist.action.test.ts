// The root checklist action (dist/checklist), run as the runner runs it, on a cutover.yml.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { runAction } from '../harness/run-action.js'
import { json, serve, type TestServer } from '../support/http.js'

let api: FakeGitHub
let svc: TestServer

beforeAll(async () => {
  svc = await serve((req, res) => {
    const route = new URL(req.url ?? '/', 'http://x').pathname
    if (route === '/ok') return json(200, { status: 'UP' })(req, res)
    if (route === '/slow') return void setTimeout(() => json(200, { status: 'pass' })(req, res), 100)
    return json(200, { status: 'warn' }, 'application/health+json')(req, res)
  })
})
afterAll(() => svc.close())
afterEach(async () => {
  expect(api.invalid, 'requests GitHub would reject').toEqual([])
  await api.close()
})

async function workspace(config: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ws-'))
  await writeFile(path.join(dir, 'cutover.yml'), config)
  return dir
}

// Request bodies as the fake API recorded them (validated against the OpenAPI schema already).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const created = () => api.requests.filter((r) => r.operationId === 'checks/create').map((r) => r.body as Record<string, any>)

describe('checklist action', () => {
  it('runs every gate, publishes a check run each and one Go/No-Go summary', async () => {
    const cwd = await workspace(`version: 1
gates:
  - id: api
    uses: readyz
    with:
      url: ${svc.url}/ok
  - id: search
    uses: readyz
    with:
      url: ${svc.url}/degraded
  - id: mind-reader
    uses: telepathy
  - id: web
    uses: readyz
    with:
      url: ${svc.url}/ok
      colour: red
`)
    api = await startFakeGitHub()
    const r = await runAction('checklist', { cwd, apiUrl: api.url })
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('fail')
    expect(r.outputs.summary).toBe('checklist: FAIL: 1 of 4 gates passed')
    const runs = Object.fromEntries(created().map((b) => [b.name, b]))
    expect(Object.keys(runs).sort()).toEqual(['cutover / api', 'cutover / mind-reader', 'cutover / search', 'cutover / web'])
    expect(runs['cutover / api'].conclusion).toBe('success')
    expect(runs['cutover / search'].conclusion).toBe('neutral')
    expect(runs['cutover / mind-reader'].conclusion).toBe('failure')
    expect(runs['cutover / mind-reader'].output.annotations).toEqual([
      expect.objectContaining({
        path: 'cutover.yml',
        start_line: 11,
        annotation_level: 'failure',
        message: expect.stringMatching(/uses `telepathy`, which is not a gate; write one of readyz/),
      }),
    ])
    expect(runs['cutover / web'].output.annotations[0]).toMatchObject({
      path: 'cutover.yml',
      start_line: 13,
      message: expect.stringMatching(/has no `colour`; accepted inputs are `url`/),
    })
    for (const id of ['api', 'search', 'mind-reader', 'web']) {
      const report = JSON.parse(await readFile(path.join(cwd, 'cutover-reports', `${id}.json`), 'utf8'))
      expect(report.id).toBe(id)
    }
    expect(r.summary).toContain('## Cutover gates: ❌ NO-GO')
    expect(r.summary.match(/^\| .* \| `(api|search|mind-reader|web)` \|/gm)).toHaveLength(4)
  })

  it('runs only the gates named in `only`', async () => {
    const cwd = await workspace(
      `version: 1\ngates:\n  - {id: a, uses: readyz, with: {url: "${svc.url}/ok"}}\n  - {id: b, uses: readyz, with: {url: "${svc.url}/degraded"}}\n`,
    )
    api = await startFakeGitHub()
    const r = await runAction('checklist', { cwd, apiUrl: api.url, inputs: { only: 'a' } })
    expect(r.code).toBe(0)
    expect(created().map((b) => b.name)).toEqual(['cutover / a'])
  })

  it('probes gates concurrently', async () => {
    const gates = Array.from({ length: 20 }, (_, i) => `  - {id: g${i}, uses: readyz, with: {url: "${svc.url}/slow"}}`).join('\n')
    const cwd = await workspace(`version: 1\ngates:\n${gates}\n`)
    api = await startFakeGitHub()
    const r = await runAction('checklist', { cwd, apiUrl: api.url, inputs: { 'check-run': 'false' } })
    expect(r.code).toBe(0)
    const reports = await Promise.all(
      Array.from({ length: 20 }, (_, i) => readFile(path.join(cwd, 'cutover-reports', `g${i}.json`), 'utf8').then(JSON.parse)),
    )
    // Every 100 ms probe overlapped the others: the first finished after the last started.
    const starts = reports.map((x) => Date.parse(x.startedAt))
    const finishes = reports.map((x) => Date.parse(x.finishedAt))
    expect(Math.max(...starts)).toBeLessThan(Math.min(...finishes))
    expect(api.requests).toHaveLength(0)
  })

  it.each([
    ['', 'NO-GO', '## Cutover gates: ❌ NO-GO'],
    ['decide:\n  allow-warn: true\n', 'GO', '## Cutover gates: ⚠️ GO with warnings'],
  ])(
    'a warning under the decide block %j: the summary header and the decision output follow the one rule',
    async (block, decision, header) => {
      const cwd = await workspace(
        `version: 1\n${block}gates:\n  - {id: a, uses: readyz, with: {url: "${svc.url}/ok"}}\n  - {id: b, uses: readyz, with: {url: "${svc.url}/degraded"}}\n`,
      )
      api = await startFakeGitHub()
      const r = await runAction('checklist', { cwd, apiUrl: api.url, inputs: { 'check-run': 'false' } })
      expect(r.code).toBe(0)
      expect(r.outputs).toMatchObject({ status: 'warn', decision, gates: 'a,b' })
      expect(r.summary).toContain(header)
    },
  )

  it('a missing config fails with a sentence and a failing check run', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    api = await startFakeGitHub()
    const r = await runAction('checklist', { cwd, apiUrl: api.url })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/config file .*cutover.yml not found; write a cutover.yml/)
    expect(created()[0]).toMatchObject({ name: 'cutover / checklist', conclusion: 'failure' })
  })
})
