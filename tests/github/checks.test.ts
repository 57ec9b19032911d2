// Check-run publishing against the fake GitHub API (request bodies validated against GitHub's OpenAPI).
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { GateResult } from '../../src/core/result.js'
import { publishCheckRun } from '../../src/github/checks.js'
import { createClient } from '../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'

let api: FakeGitHub
const saved = process.env.GITHUB_API_URL
beforeEach(async () => {
  api = await startFakeGitHub()
  process.env.GITHUB_API_URL = api.url
})
afterEach(async () => {
  process.env.GITHUB_API_URL = saved
  expect(api.invalid).toEqual([])
  await api.close()
})

function result(n: number, text = ''): GateResult {
  return {
    id: 'evidence',
    gate: 'evidence',
    status: 'fail',
    summary: 'evidence: FAIL: files changed',
    checks: Array.from({ length: n }, (_, i) => ({
      name: `file ${i}`,
      status: 'fail' as const,
      observed: 'sha256 abc',
      expected: 'sha256 def',
      message: `artifacts/f${i}.bin changed`,
      location: { path: `artifacts/f${i}.bin`, line: 1 },
    })),
    metrics: {},
    details: text || undefined,
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:00:02.000Z',
    durationMs: 2000,
  }
}

const run = { owner: 'acme', repo: 'shop', sha: 'a'.repeat(40) }
const row = (r: GateResult) => ({ result: r, category: 'Infrastructure', criteria: 'Evidence integrity' })

it('creates a completed check run in one request', async () => {
  const out = await publishCheckRun(createClient('t0ken'), run, row(result(3)), 'en')
  expect(out).toMatchObject({ published: true, requests: 1 })
  expect(api.requests).toHaveLength(1)
  expect(api.requests[0].body).toMatchObject({ status: 'completed', conclusion: 'failure', head_sha: run.sha })
})

it('sends annotations in batches of at most 50', async () => {
  const out = await publishCheckRun(createClient('t0ken'), run, row(result(120)), 'en')
  expect(out).toMatchObject({ published: true, requests: 3 })
  const batches = api.requests.map((r) => (r.body as { output: { annotations?: unknown[] } }).output.annotations?.length)
  expect(api.requests.map((r) => r.operationId)).toEqual(['checks/create', 'checks/update', 'checks/update'])
  expect(batches).toEqual([50, 50, 20])
})

it('keeps output text within 65,535 characters', async () => {
  await publishCheckRun(createClient('t0ken'), run, row(result(1, 'z'.repeat(200_000))), 'en')
  const output = (api.requests[0].body as { output: { text: string; summary: string } }).output
  expect(output.text.length).toBeLessThanOrEqual(65_535)
  expect(output.summary.length).toBeLessThanOrEqual(65_535)
})

it('gives up after the retries, with a warning instead of an exception', async () => {
  for (let i = 0; i < 4; i++) api.replyOnce('checks/create', { status: 502, body: { message: 'bad gateway' } })
  const out = await publishCheckRun(createClient('t0ken', { baseMs: 1 } as never), run, row(result(1)), 'en')
  expect(out).toMatchObject({ published: false, warning: expect.stringMatching(/HTTP 502/) })
})
