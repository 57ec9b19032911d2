// The GitHub client's retries (src/github/client.ts) through @octokit/plugin-retry and
// @octokit/plugin-throttling, against the fake GitHub API: which answers are retried, how long
// each wait is (the client's sleep, recorded rather than spent), and when it gives up.
import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from '../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'

const SHA = 'a'.repeat(40)
let api: FakeGitHub | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

async function create(policy: Parameters<typeof createClient>[1] = {}) {
  api = await startFakeGitHub()
  const sleeps: number[] = []
  const octokit = createClient('ghs_test', { sleep: async (ms) => void sleeps.push(ms), ...policy }, api.url)
  const send = () => octokit.rest.checks.create({ owner: 'acme', repo: 'shop', head_sha: SHA, name: 'cutover / readyz' })
  const sent = () => api!.requests.filter((r) => r.operationId === 'checks/create').length
  return { api, sleeps, send, sent }
}

describe('GitHub client retries', () => {
  it('retries 5xx answers with a doubling backoff, then gives up after `retries`', async () => {
    const c = await create()
    for (let i = 0; i < 4; i++) c.api.replyOnce('checks/create', { status: 502, body: { message: 'bad gateway' } })
    await expect(c.send()).rejects.toMatchObject({ status: 502 })
    expect(c.sleeps).toEqual([500, 1000, 2000])
    expect(c.sent()).toBe(4)
  })

  it('a primary rate limit waits for x-ratelimit-reset (plugin-throttling), at most maxWaitMs, then succeeds', async () => {
    const c = await create()
    // An hour away: the wait is the cap, whatever the clock says.
    const reset = Math.floor(Date.now() / 1000) + 3600
    c.api.replyOnce('checks/create', {
      status: 403,
      body: { message: 'API rate limit exceeded' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    })
    const created = await c.send()
    expect(created.status).toBe(201)
    expect(c.sleeps).toEqual([60_000])
    expect(c.sent()).toBe(2)
  })

  it('a secondary rate limit honours Retry-After', async () => {
    const c = await create()
    c.api.replyOnce('checks/create', {
      status: 403,
      body: { message: 'You have exceeded a secondary rate limit' },
      headers: { 'retry-after': '7' },
    })
    expect((await c.send()).status).toBe(201)
    expect(c.sleeps).toEqual([7000])
  })

  it('a 429 whose Retry-After is longer than maxWaitMs waits maxWaitMs', async () => {
    const c = await create({ maxWaitMs: 5000 })
    c.api.replyOnce('checks/create', { status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '3600' } })
    expect((await c.send()).status).toBe(201)
    expect(c.sleeps).toEqual([5000])
  })

  it('never retries a refusal (403 without a rate limit, 404, 422), and not at all with retries: 0', async () => {
    const c = await create()
    c.api.replyOnce('checks/create', { status: 403, body: { message: 'Resource not accessible by integration' } })
    await expect(c.send()).rejects.toMatchObject({ status: 403 })
    expect(c.sleeps).toEqual([])
    expect(c.sent()).toBe(1)
    await c.api.close()
    const d = await create({ retries: 0 })
    d.api.replyOnce('checks/create', { status: 503, body: { message: 'busy' }, headers: { 'retry-after': '1' } })
    await expect(d.send()).rejects.toMatchObject({ status: 503 })
    expect(d.sleeps).toEqual([])
  })
})
