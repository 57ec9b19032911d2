// The bundled security-alerts action, run as the runner runs it, against the fake GitHub and
// SARIF and SBOM files in its workspace.
import { rmSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../../harness/fake-github.js'
import { DEFAULT_SHA, runAction } from '../../harness/run-action.js'
import * as gh from '../../support/github-shapes.js'
import { serveAlerts, workspace } from './fake-alerts.js'

let fake: FakeGitHub
let ws: string
beforeEach(async () => {
  fake = await startFakeGitHub()
  ws = workspace()
})
afterEach(async () => {
  expect(fake.invalid, 'requests GitHub would reject').toEqual([])
  expect(fake.invalidResponses, 'answers GitHub would not give').toEqual([])
  await fake.close()
  rmSync(ws, { recursive: true, force: true })
})

describe('security-alerts action', () => {
  it('passes clean alerts, a clean Trivy scan and a CycloneDX SBOM; publishes the check run', async () => {
    serveAlerts(fake, { code: [gh.codeScanningAlert({ number: 4, rule: 'js/unused-local-variable', severity: 'note' })] })
    const run = await runAction('security-alerts', {
      inputs: { sarif: 'scans/trivy-clean.sarif', sbom: 'sbom/cyclonedx.json' },
      apiUrl: fake.url,
      cwd: ws,
    })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.outputs.status).toBe('pass')
    expect(run.summary).toContain('No open security alerts')
    expect(fake.requests.find((q) => q.operationId === 'code-scanning/list-alerts-for-repo')!.query.ref).toBe('refs/heads/main')
    expect(fake.requests.find((q) => q.operationId === 'checks/create')!.body).toMatchObject({
      name: 'cutover / security-alerts',
      head_sha: DEFAULT_SHA,
      conclusion: 'success',
    })
  })

  it('fails the step on a critical Grype finding and a leaked secret, annotating the SARIF file', async () => {
    serveAlerts(fake, { secrets: [gh.secretAlert({ number: 7, secret: 'ghp_neverShownInAnyOutput000000000000' })] })
    const run = await runAction('security-alerts', {
      inputs: { sarif: 'scans/grype-image.sarif', language: 'tr' },
      apiUrl: fake.url,
      cwd: ws,
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('fail')
    expect(run.summary).toContain('Açık güvenlik uyarısı yok')
    expect(run.stdout + run.summary).not.toContain('ghp_neverShownInAnyOutput')
    const created = fake.requests.find((q) => q.operationId === 'checks/create')!.body as {
      conclusion: string
      output: { annotations?: { path: string; message: string }[] }
    }
    expect(created.conclusion).toBe('failure')
    expect(created.output.annotations?.map((a) => a.path)).toEqual(['scans/grype-image.sarif'])
    expect(created.output.annotations?.[0].message).toContain('CVE-2022-37434-zlib critical')
  })
})
