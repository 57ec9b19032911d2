// The bundled release-freeze action, run as the runner runs it, against the fake GitHub: the
// branch of the run, the RC tag at GITHUB_SHA, the freeze since rc.1, and its check run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../../harness/fake-github.js'
import { DEFAULT_SHA, runAction } from '../../harness/run-action.js'
import { BRANCH, SHA, frozenRepo, serveRepo } from './fake-repo.js'

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
})
afterEach(async () => {
  expect(fake.invalid, 'requests GitHub would reject').toEqual([])
  expect(fake.invalidResponses, 'answers GitHub would not give').toEqual([])
  await fake.close()
})

const env = { GITHUB_REF: `refs/heads/${BRANCH}`, GITHUB_REF_NAME: BRANCH }

describe('release-freeze action', () => {
  it('passes a frozen branch of the run and publishes the check run', async () => {
    expect(SHA).toBe(DEFAULT_SHA)
    serveRepo(fake, frozenRepo())
    const run = await runAction('release-freeze', {
      inputs: { tag: 'v1.4.0-rc.2', since: 'v1.4.0-rc.1', approvers: 'ic-alice' },
      apiUrl: fake.url,
      env,
    })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.outputs.status).toBe('pass')
    expect(run.outputs.offending).toBe('')
    expect(run.summary).toContain('Release branch frozen')
    const created = fake.requests.find((q) => q.operationId === 'checks/create')!
    expect(created.body).toMatchObject({ name: 'cutover / release-freeze', head_sha: DEFAULT_SHA, conclusion: 'success' })
    expect(fake.requests.find((q) => q.operationId === 'repos/get-branch-rules')!.params.branch).toBe(BRANCH)
  })

  it('fails the step on a commit that skipped the freeze, naming it in the output', async () => {
    const fix = '1'.repeat(40)
    serveRepo(fake, frozenRepo({ pulls: { [fix]: [{ number: 12, labels: ['feature'], mergeSha: fix, base: BRANCH }] } }))
    const run = await runAction('release-freeze', { inputs: { since: 'v1.4.0-rc.1', language: 'tr' }, apiUrl: fake.url, env })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('fail')
    expect(run.outputs.offending).toBe(`${fix} pull request #12 carries none of P0 (it has feature)`)
    expect(run.summary).toContain('Release branch kilitlendi')
    expect(fake.requests.find((q) => q.operationId === 'checks/create')!.body).toMatchObject({ conclusion: 'failure' })
  })
})
