// security-alerts against the fake GitHub (requests and answers checked against GitHub's OpenAPI
// description) and against SARIF and SBOM files of the shapes Trivy, Grype, CodeQL, CycloneDX
// and SPDX write.
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GitHubPort } from '../../../src/core/gate.js'
import { securityAlerts } from '../../../src/gates/security-alerts/gate.js'
import { SarifProblem, readSarif } from '../../../src/gates/security-alerts/sarif.js'
import { SbomProblem, readSbom } from '../../../src/gates/security-alerts/sbom.js'
import { createClient } from '../../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub } from '../../harness/fake-github.js'
import * as gh from '../../support/github-shapes.js'
import { serveAlerts, workspace, type AlertState } from './fake-alerts.js'

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

const REF = 'refs/heads/release/1.4'
const OFF = { 'code-scanning': 'off', dependabot: 'off', 'secret-scanning': 'off' }

async function gate(state: AlertState, inputs: Record<string, string>, github: GitHubPort | null = port()) {
  serveAlerts(fake, state)
  const ctx = defaultContext({
    log: () => {},
    env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REF: REF },
    cwd: ws,
    workspace: ws,
    ...(github ? { github } : {}),
  })
  return runGate(securityAlerts, inputs, ctx, { id: 'security-alerts' })
}
function port(): GitHubPort {
  return { octokit: createClient('ghs_testToken', { retries: 0 }, fake.url), owner: 'acme', repo: 'shop', sha: 'e'.repeat(40) }
}
const byName = (r: Awaited<ReturnType<typeof gate>>, name: string) => r.checks.find((c) => c.name === name)!

describe('security-alerts: GitHub alerts, every kind and severity', () => {
  it('passes with no open alert in any feature, reading code scanning on the release ref', async () => {
    const r = await gate({}, {})
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'code scanning').message).toBe('No open code-scanning alert on refs/heads/release/1.4 at or above high.')
    expect(byName(r, 'dependabot alerts').message).toBe('No open Dependabot alert at or above high.')
    expect(byName(r, 'secret scanning').message).toBe('No open secret-scanning alert.')
    const q = (op: string) => fake.requests.find((x) => x.operationId === op)!.query
    expect(q('code-scanning/list-alerts-for-repo')).toMatchObject({ ref: REF, state: 'open' })
    expect(q('dependabot/list-alerts-for-repo')).toMatchObject({ state: 'open' })
    expect(q('secret-scanning/list-alerts-for-repo')).toMatchObject({ state: 'open', hide_secret: 'true' })
  })

  it.each([
    ['critical', 'fail'],
    ['high', 'fail'],
    ['medium', 'pass'],
    ['low', 'pass'],
  ] as const)('a code-scanning alert of security severity %s against the default threshold: %s', async (level, status) => {
    const r = await gate({ code: [gh.codeScanningAlert({ number: 3, rule: 'js/sql-injection', securityLevel: level })] }, {})
    expect(byName(r, 'code scanning').status).toBe(status)
    if (status === 'fail')
      expect(byName(r, 'code scanning').message).toBe(
        `1 open code-scanning alert on refs/heads/release/1.4 at or above high: js/sql-injection ${level} (security severity ${level}) at src/db.ts:42 (CodeQL alert #3): Finding of js/sql-injection. Fix them (or dismiss them with a reason) before the cutover.`,
      )
    else
      expect(byName(r, 'code scanning').message).toBe(
        `No open code-scanning alert on refs/heads/release/1.4 at or above high (1 below it: 1 ${level}).`,
      )
  })

  it('a quality alert is judged by its rule severity: error counts as high', async () => {
    const code = [
      gh.codeScanningAlert({ number: 9, rule: 'js/useless-assignment', severity: 'error' }),
      gh.codeScanningAlert({ number: 10, rule: 'js/unused-local-variable', severity: 'note' }),
    ]
    const r = await gate({ code }, {})
    expect(byName(r, 'code scanning').message).toContain(
      '1 open code-scanning alert on refs/heads/release/1.4 at or above high: js/useless-assignment high (severity error)',
    )
    expect(byName(r, 'code scanning').message).not.toContain('js/unused-local-variable')
  })

  it('max-severity moves the threshold: medium fails a medium Dependabot alert, critical passes a high one', async () => {
    const dependabot = [gh.dependabotAlert({ number: 1, ghsa: 'GHSA-35jh-r3h4-6jhm', severity: 'medium', pkg: 'lodash' })]
    let r = await gate({ dependabot }, { 'max-severity': 'medium' })
    expect(byName(r, 'dependabot alerts').message).toBe(
      '1 open Dependabot alert at or above medium: GHSA-35jh-r3h4-6jhm (CVE-2021-23337) medium (advisory severity medium) at npm/lodash in package-lock.json (Dependabot alert #1): Vulnerability in lodash. Upgrade the dependencies (or dismiss the alerts with a reason) before the cutover.',
    )
    r = await gate({ dependabot: [gh.dependabotAlert({ number: 2, ghsa: 'GHSA-x', severity: 'high' })] }, { 'max-severity': 'critical' })
    expect(byName(r, 'dependabot alerts').status).toBe('pass')
  })

  it('every open secret-scanning alert fails, whatever the threshold; the secret itself is never shown', async () => {
    const secret = 'ghp_R3allyS3cretT0kenValue0123456789abcd'
    const r = await gate({ secrets: [gh.secretAlert({ number: 2, secret })] }, { 'max-severity': 'critical' })
    expect(byName(r, 'secret scanning').message).toBe(
      '1 open secret-scanning alert: GitHub Personal Access Token critical (an exposed secret, validity active: every open one fails) at config/production.env:3, secret scanning alert #2. Revoke and rotate each secret, then close its alert, before the cutover.',
    )
    expect(JSON.stringify(r)).not.toContain(secret)
  })

  it('reads every page: the decisive alert of each feature on page 2', async () => {
    const low = (n: number) => gh.codeScanningAlert({ number: n, rule: `js/rule-${n}`, securityLevel: 'low' })
    const state: AlertState = {
      code: [low(1), low(2), gh.codeScanningAlert({ number: 3, rule: 'js/sql-injection', securityLevel: 'critical' })],
      dependabot: [
        gh.dependabotAlert({ number: 1, ghsa: 'GHSA-1', severity: 'low' }),
        gh.dependabotAlert({ number: 2, ghsa: 'GHSA-2', severity: 'low' }),
        gh.dependabotAlert({ number: 3, ghsa: 'GHSA-3', severity: 'critical' }),
      ],
      secrets: [
        gh.secretAlert({ number: 1, state: 'resolved' }),
        gh.secretAlert({ number: 2, state: 'resolved' }),
        gh.secretAlert({ number: 3 }),
      ],
      perPage: 2,
    }
    const r = await gate(state, {})
    expect(byName(r, 'code scanning').message).toContain('js/sql-injection critical')
    expect(byName(r, 'dependabot alerts').message).toContain('GHSA-3 (CVE-2021-23337) critical')
    expect(byName(r, 'secret scanning').message).toContain('secret scanning alert #3')
    const pages = (op: string) => fake.requests.filter((q) => q.operationId === op).map((q) => q.query.page ?? q.query.after ?? 'first')
    expect(pages('code-scanning/list-alerts-for-repo')).toEqual(['first', '2'])
    expect(pages('dependabot/list-alerts-for-repo')).toEqual(['first', '2'])
    expect(pages('secret-scanning/list-alerts-for-repo')).toEqual(['first', '2'])
  })

  it('a feature GitHub says is off fails, naming it, unless set off', async () => {
    const state: AlertState = {
      code: { status: 404, body: gh.apiError(404, 'no analysis found') },
      dependabot: { status: 403, body: gh.apiError(403, 'Dependabot alerts are disabled for this repository.') },
      secrets: { status: 404, body: gh.apiError(404, 'Secret scanning is disabled on this repository.') },
    }
    let r = await gate(state, {})
    expect(r.status).toBe('fail')
    expect(byName(r, 'code scanning').message).toBe(
      'Code scanning is off or not set up for acme/shop on refs/heads/release/1.4: GitHub answered HTTP 404 (no analysis found), so no alert of it can be read, and a scan that never ran proves nothing. Turn it on in Settings → Code security, or set `code-scanning: off` to cut over without it.',
    )
    expect(byName(r, 'dependabot alerts')).toMatchObject({ status: 'fail', observed: 'off (HTTP 403)' })
    expect(byName(r, 'dependabot alerts').message).toContain('set `dependabot: off`')
    expect(byName(r, 'secret scanning').message).toMatch(
      /^Secret scanning is off or not set up for acme\/shop: GitHub answered HTTP 404 \(Secret scanning is disabled on this repository\.\)/,
    )
    // Set off explicitly: not read, and the rest decides.
    fake.requests.length = 0
    r = await gate(state, { ...OFF, sbom: 'sbom/cyclonedx.json' })
    expect(r.status, r.summary).toBe('pass')
    expect(fake.requests.filter((q) => q.operationId !== 'checks/create')).toEqual([])
    expect(r.details).toContain('Code scanning: not read (`code-scanning: off`).')
  })

  it('a refusal of the token is not a feature that is off: it names the permission', async () => {
    const r = await gate(
      { code: { status: 403, body: gh.apiError(403, 'Resource not accessible by integration') } },
      { dependabot: 'off', 'secret-scanning': 'off' },
    )
    expect(byName(r, 'code scanning').message).toBe(
      'Could not list the open code-scanning alerts of acme/shop: GitHub answered HTTP 403 (Resource not accessible by integration). Reading code-scanning alerts needs `permissions: security-events: read` (a classic token: `security_events`).',
    )
  })

  it('with nothing on and no files, nothing passes', async () => {
    const r = await gate({}, OFF)
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/^Nothing was checked: code scanning, Dependabot and secret scanning are all `off`/)
  })
})

describe('security-alerts: SARIF files from any scanner', () => {
  it('Trivy: the HIGH result fails, named with its security-severity and location; MEDIUM and LOW are counted below', async () => {
    const r = await gate({}, { ...OFF, sarif: 'scans/trivy-image.sarif' })
    const c = byName(r, 'sarif scans/trivy-image.sarif')
    expect(c.status).toBe('fail')
    expect(c.message).toBe(
      '1 result of Trivy in scans/trivy-image.sarif at or above high: CVE-2023-0286 high (security-severity "7.4") at ghcr.io/acme/shop:1 (Trivy): openssl: X.400 address type confusion in X.509 GeneralName. Fix them, or suppress them in the scanner with a reason, before the cutover.',
    )
    expect(c.location).toEqual({ path: 'scans/trivy-image.sarif' })
    const low = await gate({}, { ...OFF, sarif: 'scans/trivy-image.sarif', 'max-severity': 'critical' })
    expect(byName(low, 'sarif scans/trivy-image.sarif').message).toBe(
      'No result of Trivy in scans/trivy-image.sarif at or above critical (3 below it: 1 high, 1 medium, 1 low).',
    )
  })

  it('Trivy with no findings passes; Grype results without a level are judged by security-severity', async () => {
    let r = await gate({}, { ...OFF, sarif: 'scans/trivy-clean.sarif' })
    expect(r.status, r.summary).toBe('pass')
    r = await gate({}, { ...OFF, sarif: 'scans/grype-*.sarif' })
    expect(byName(r, 'sarif scans/grype-image.sarif').message).toContain(
      '1 result of grype in scans/grype-image.sarif at or above high: CVE-2022-37434-zlib critical (security-severity "9.8") at image/lib/apk/db/installed:1 (grype)',
    )
  })

  it('CodeQL: rules in an extension found by toolComponent, a suppressed result left out, a note below the threshold', async () => {
    const r = await gate({}, { ...OFF, sarif: 'scans/codeql.sarif' })
    const c = byName(r, 'sarif scans/codeql.sarif')
    expect(c.message).toBe(
      '1 result of CodeQL in scans/codeql.sarif at or above high: js/sql-injection high (security-severity "8.8") at src/db.ts:42 (CodeQL): Database query built from user-controlled sources. Fix them, or suppress them in the scanner with a reason, before the cutover (not findings: 1 suppressed).',
    )
  })

  it('a level-only result: error is high, warning medium; the SARIF default level is warning', async () => {
    const sarif = (results: object[]) => ({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'semgrep', rules: [{ id: 'r1' }] } }, results }],
    })
    const read = readSarif(
      sarif([
        { ruleId: 'r1', level: 'error', message: { text: 'e' } },
        { ruleId: 'r1', level: 'warning', message: { text: 'w' } },
        { ruleId: 'r1', message: { text: 'default' } },
        { ruleId: 'r1', kind: 'pass', message: { text: 'passed' } },
        { ruleId: 'r1', level: 'error', baselineState: 'absent', message: { text: 'gone' } },
      ]),
    )
    expect(read.findings.map((f) => [f.severity, f.basis])).toEqual([
      ['high', 'level error'],
      ['medium', 'level warning'],
      ['medium', 'level warning (the SARIF default)'],
    ])
    expect(read.skipped).toEqual({ 'kind pass': 1, 'absent from the baseline': 1 })
    // A security-severity nobody can read counts as worse than any threshold.
    const odd = readSarif({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 't', rules: [{ id: 'x', properties: { 'security-severity': 'HIGH' } }] } },
          results: [{ ruleId: 'x', ruleIndex: 0 }],
        },
      ],
    })
    expect(odd.findings[0]).toMatchObject({ severity: 'unknown', basis: 'security-severity "HIGH"' })
  })

  it('refuses what is not a finished SARIF 2.1.0 scan', () => {
    const cases: [unknown, RegExp][] = [
      [[], /is not a JSON object/],
      [{ version: '2.0.0', runs: [] }, /is not SARIF 2\.1\.0 \(version "2\.0\.0"\)/],
      [{ version: '2.1.0' }, /has no `runs` list/],
      [{ version: '2.1.0', runs: [] }, /holds no run/],
      [{ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] }, /names no tool/],
      [
        { version: '2.1.0', runs: [{ tool: { driver: { name: 'Trivy' } } }] },
        /has no results list for the Trivy run: the scan did not report/,
      ],
      [
        { version: '2.1.0', runs: [{ tool: { driver: { name: 'CodeQL' } }, invocations: [{ executionSuccessful: false }], results: [] }] },
        /did not finish/,
      ],
      [{ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [null] }] }, /result 1 of the x run is not an object/],
    ]
    for (const [data, message] of cases) expect(() => readSarif(data)).toThrow(message)
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        try {
          readSarif(data)
        } catch (err) {
          expect(err).toBeInstanceOf(SarifProblem)
        }
      }),
    )
  })

  it('a glob matching nothing, a file that is not JSON, one that is not SARIF: each fails', async () => {
    writeFileSync(path.join(ws, 'scans', 'broken.sarif'), '{"version": "2.1.0", "runs": [')
    writeFileSync(path.join(ws, 'scans', 'old.sarif'), JSON.stringify({ version: '1.0.0', runs: [] }))
    const r = await gate({}, { ...OFF, sarif: 'scans/none-*.sarif\nscans/broken.sarif\nscans/old.sarif' })
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['sarif', 'fail'],
      ['sarif scans/broken.sarif', 'fail'],
      ['sarif scans/old.sarif', 'fail'],
    ])
    expect(r.checks[0].message).toMatch(/^The glob `scans\/none-\*\.sarif` matched no SARIF file under the workspace/)
    expect(r.checks[1].message).toMatch(/^scans\/broken\.sarif is not JSON/)
    expect(r.checks[2].message).toBe(
      'scans/old.sarif is not SARIF 2.1.0 (version "1.0.0"): it cannot be judged. Point `sarif` at the scanner\'s SARIF 2.1.0 output.',
    )
  })
})

describe('security-alerts: the SBOM', () => {
  it('a CycloneDX SBOM lists components (nested ones counted)', async () => {
    const r = await gate({}, { ...OFF, sbom: 'sbom/cyclonedx.json' })
    expect(byName(r, 'sbom sbom/cyclonedx.json').message).toBe(
      'The SBOM sbom/cyclonedx.json (CycloneDX 1.5 for ghcr.io/acme/shop@1.4.0-rc.2) lists 3 components.',
    )
  })

  it('an SPDX SBOM lists packages', async () => {
    const r = await gate({}, { ...OFF, sbom: 'sbom/spdx.json' })
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'sbom sbom/spdx.json').observed).toBe('SPDX-2.3, 2 components')
  })

  it('a missing SBOM fails', async () => {
    const r = await gate({}, { ...OFF, sbom: 'sbom/bom.cdx.json' })
    expect(r.checks[0]).toMatchObject({ name: 'sbom', status: 'fail' })
    expect(r.checks[0].message).toBe(
      'No SBOM matches `sbom/bom.cdx.json` under the workspace: the SBOM was not generated, or was written elsewhere. Generate it (CycloneDX or SPDX JSON) before this gate, or fix `sbom`.',
    )
  })

  it('an SBOM without components, or in no SBOM format, fails', async () => {
    writeFileSync(path.join(ws, 'sbom', 'empty.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [] }))
    writeFileSync(path.join(ws, 'sbom', 'other.json'), JSON.stringify({ packages: ['lodash'] }))
    const r = await gate({}, { ...OFF, sbom: 'sbom/empty.json\nsbom/other.json' })
    expect(byName(r, 'sbom sbom/empty.json').message).toBe(
      "The SBOM sbom/empty.json (CycloneDX 1.5) lists no components: it names none of the release's parts. Generate it from the built release.",
    )
    expect(byName(r, 'sbom sbom/other.json').message).toMatch(/is neither CycloneDX JSON .* nor SPDX JSON/)
  })

  it('reads SPDX 3 JSON-LD, and never crashes on arbitrary JSON', () => {
    const spdx3 = {
      '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld',
      '@graph': [
        { type: 'SpdxDocument', spdxId: 'urn:doc', name: 'shop' },
        { type: 'software_Package', spdxId: 'urn:pkg:1', name: 'express' },
      ],
    }
    expect(readSbom(spdx3)).toEqual({ format: 'SPDX 3', components: 1, subject: 'shop' })
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        try {
          readSbom(data)
        } catch (err) {
          expect(err).toBeInstanceOf(SbomProblem)
        }
      }),
    )
  })
})
