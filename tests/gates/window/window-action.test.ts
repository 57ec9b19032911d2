// The bundled window action, run as the runner runs it (dist/window/index.js, INPUT_* variables,
// GITHUB_OUTPUT and the job summary), with its check run published to the fake GitHub. The clock
// is the runner's, so the windows chosen make the verdict independent of when the test runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../../harness/fake-github.js'
import { DEFAULT_SHA, runAction } from '../../harness/run-action.js'

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
})
afterEach(async () => {
  expect(fake.invalid, 'requests GitHub would reject').toEqual([])
  expect(fake.invalidResponses, 'answers GitHub would not give').toEqual([])
  await fake.close()
})

describe('window action', () => {
  it('passes inside a window open every day, and publishes the check run', async () => {
    const run = await runAction('window', { inputs: { allow: 'Mon-Sun 00:00-24:00 Europe/Vienna' }, apiUrl: fake.url })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.outputs.status).toBe('pass')
    expect(run.outputs.report).toBe('cutover-reports/window.json')
    expect(run.summary).toContain('Maintenance window active')
    const created = fake.requests.find((q) => q.operationId === 'checks/create')!
    expect(created.body).toMatchObject({ name: 'cutover / window', head_sha: DEFAULT_SHA, conclusion: 'success' })
  })

  it('evaluates as-of (a D-1 check) outside the window: the step fails, saying when the next window opens', async () => {
    const run = await runAction('window', {
      inputs: { allow: 'Sun 02:00-06:00 Europe/Vienna', 'as-of': '2026-03-28T12:00:00Z', needs: '4h', language: 'tr' },
      apiUrl: fake.url,
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('fail')
    expect(run.outputs['next-open']).toBe('2026-04-05T00:00:00.000Z')
    expect(run.outputs['window-closes']).toBe('')
    expect(run.outputs.summary).toContain(
      'The next allowed window (Sun 02:00-06:00 Europe/Vienna) opens Sun 2026-04-05 02:00 Europe/Vienna (UTC+2) = 2026-04-05 00:00 UTC and lasts 4h.',
    )
    expect(run.summary).toContain('Bakım penceresi aktif')
  })

  it('refuses a garbage window before measuring anything', async () => {
    const run = await runAction('window', { inputs: { allow: 'Sunday 2-6 Vienna' }, apiUrl: fake.url })
    expect(run.code).toBe(1)
    expect(run.outputs.summary).toMatch(/input `allow`: "Sunday 2-6 Vienna" is not valid/)
  })
})
