import { describe, expect, it } from 'vitest'
import type { Check } from '../../src/core/result.js'
import { annotationsOf } from '../../src/github/checks.js'
import { retryDelay } from '../../src/github/client.js'
import { runContext } from '../../src/core/run-context.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const policy = { baseMs: 500, maxWaitMs: 60_000 }
const err = (status: number, headers: Record<string, string> = {}) => ({ status, response: { headers } })

describe('retry policy', () => {
  it('honours Retry-After in seconds and as a date', () => {
    expect(retryDelay(err(503, { 'retry-after': '2' }), 0, policy)).toBe(2000)
    expect(retryDelay(err(429, { 'retry-after': new Date(10_000).toUTCString() }), 0, policy, 7_000)).toBe(3000)
  })
  it('backs off exponentially on 5xx without Retry-After', () => {
    expect([0, 1, 2].map((a) => retryDelay(err(502), a, policy))).toEqual([500, 1000, 2000])
  })
  it('waits for the rate-limit reset on a 403 with no remaining quota', () => {
    expect(retryDelay(err(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '20' }), 0, policy, 10_000)).toBe(10_000)
  })
  it('does not retry client errors, and caps long waits', () => {
    expect(retryDelay(err(403), 0, policy)).toBeUndefined()
    expect(retryDelay(err(422), 0, policy)).toBeUndefined()
    expect(retryDelay(err(503, { 'retry-after': '3600' }), 0, policy)).toBe(60_000)
  })
})

it('annotates non-passing checks that point at a file', () => {
  const checks: Check[] = [
    { name: 'a', status: 'fail', observed: '', expected: '', message: 'bad', location: { path: 'cutover.yml', line: 4 } },
    { name: 'b', status: 'pass', observed: '', expected: '', message: 'ok', location: { path: 'x' } },
    { name: 'c', status: 'warn', observed: '', expected: '', message: 'hmm', location: { url: 'http://x' } },
  ]
  expect(annotationsOf(checks)).toEqual([
    { path: 'cutover.yml', start_line: 4, end_line: 4, annotation_level: 'failure', message: 'bad', title: 'a' },
  ])
})

it('puts check runs on the pull request head on pull_request events', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ev-'))
  const event = path.join(dir, 'event.json')
  writeFileSync(event, JSON.stringify({ pull_request: { head: { sha: 'b'.repeat(40) } } }))
  const env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'a'.repeat(40), GITHUB_EVENT_PATH: event }
  expect(runContext({ ...env, GITHUB_EVENT_NAME: 'pull_request' }).sha).toBe('b'.repeat(40))
  expect(runContext({ ...env, GITHUB_EVENT_NAME: 'push' }).sha).toBe('a'.repeat(40))
  expect(runContext(env, 'c'.repeat(40))).toMatchObject({ owner: 'acme', repo: 'shop', sha: 'c'.repeat(40) })
})
