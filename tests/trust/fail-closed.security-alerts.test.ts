// Fail-closed table for security-alerts: every way it can fail to read the alerts, scans and SBOM
// it judges is a `fail` with a sentence, never a pass: a refusal, a feature GitHub says is off, an
// unreadable answer, a glob matching nothing, a scan that did not finish, a severity nobody can read.
// GitHub answers are checked against its OpenAPI description (broken ones say `offSpec`).
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GitHubPort } from '../../src/core/gate.js'
import { securityAlerts } from '../../src/gates/security-alerts/gate.js'
import { createClient } from '../../src/github/client.js'
import { startFakeGitHub, type FakeGitHub, type FakeReply } from '../harness/fake-github.js'
import { serveAlerts, workspace, type AlertState } from '../gates/security-alerts/fake-alerts.js'
import * as gh from '../support/github-shapes.js'

let fake: FakeGitHub
let ws: string
beforeAll(async () => {
  fake = await startFakeGitHub()
  ws = workspace()
  const put = (rel: string, text: string) => writeFileSync(path.join(ws, rel), text)
  put('scans/empty.sarif', '')
  put('scans/truncated.sarif', '{"version":"2.1.0","runs":[{"tool":')
  put('scans/v1.sarif', JSON.stringify({ version: '1.0.0', runs: [] }))
  put('scans/no-results.sarif', JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Trivy' } } }] }))
  put(
    'scans/crashed.sarif',
    JSON.stringify({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'CodeQL' } }, invocations: [{ executionSuccessful: false }], results: [] }],
    }),
  )
  put(
    'scans/odd-severity.sarif',
    JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'scanner', rules: [{ id: 'R1', properties: { 'security-severity': 'HIGH' } }] } },
          results: [{ ruleId: 'R1' }],
        },
      ],
    }),
  )
  put('sbom/empty.json', JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [] }))
  put('sbom/no-version.json', JSON.stringify({ bomFormat: 'CycloneDX', components: [{ name: 'a' }] }))
  put('sbom/list.json', '[]')
  put('sbom/spdx-tv.json', 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n')
  mkdirSync(path.join(ws, 'scans', 'folder.sarif'))
  execFileSync('mkfifo', [path.join(ws, 'scans', 'pipe.sarif')])
})
afterAll(async () => {
  await fake.close()
  rmSync(ws, { recursive: true, force: true })
})

const http = (status: number, message: string): FakeReply => ({ status, body: gh.apiError(status, message) })
const offSpec = (body: unknown, why: string): FakeReply => ({ status: 200, body, offSpec: why })
const ONLY = (feature: 'code-scanning' | 'dependabot' | 'secret-scanning') => ({
  'code-scanning': 'off',
  dependabot: 'off',
  'secret-scanning': 'off',
  [feature]: 'on',
})
const FILES = { 'code-scanning': 'off', dependabot: 'off', 'secret-scanning': 'off' }

interface Case {
  what: string
  state?: AlertState
  inputs: Record<string, string>
  github?: 'none' | 'unreachable'
  env?: Record<string, string>
  check: string
  message: RegExp
}

const cases: Case[] = [
  // Code scanning
  {
    what: 'code scanning refused (403: no security-events permission)',
    state: { code: http(403, 'Resource not accessible by integration') },
    inputs: ONLY('code-scanning'),
    check: 'code scanning',
    message: /^Could not list the open code-scanning alerts of acme\/shop: GitHub answered HTTP 403 .*`permissions: security-events: read`/,
  },
  {
    what: 'code scanning not set up (404 no analysis found)',
    state: { code: http(404, 'no analysis found') },
    inputs: ONLY('code-scanning'),
    check: 'code scanning',
    message: /^Code scanning is off or not set up for acme\/shop on refs\/heads\/release\/1\.4: GitHub answered HTTP 404/,
  },
  {
    what: 'code scanning needs Advanced Security (403)',
    state: { code: http(403, 'Advanced Security must be enabled for this repository to use code scanning.') },
    inputs: ONLY('code-scanning'),
    check: 'code scanning',
    message: /^Code scanning is off or not set up .*set `code-scanning: off`/,
  },
  {
    what: 'code scanning answers 500',
    state: { code: http(500, 'Server Error') },
    inputs: ONLY('code-scanning'),
    check: 'code scanning',
    message: /GitHub answered HTTP 500 \(Server Error\)\. Run the gate again/,
  },
  {
    what: 'code-scanning alerts that are not a list',
    state: { code: offSpec({ alerts: [] }, 'an object instead of the list') },
    inputs: ONLY('code-scanning'),
    check: 'code scanning',
    message: /^GitHub answered the code-scanning alerts of acme\/shop with something that is not a list of alerts/,
  },
  {
    what: 'a code-scanning alert that is not an object',
    state: { code: offSpec([null], 'a null alert') },
    inputs: ONLY('code-scanning'),
    check: 'code scanning',
    message: /with something that is not a list of alerts/,
  },
  {
    what: 'a code-scanning alert with no severity at all counts as the worst',
    state: {
      code: offSpec(
        [{ ...gh.codeScanningAlert({ number: 5, rule: 'x/y' }), rule: { id: 'x/y', description: 'd' } }],
        'a rule without severity',
      ),
    },
    inputs: { ...ONLY('code-scanning'), 'max-severity': 'critical' },
    check: 'code scanning',
    message: /x\/y of unreadable severity \(no severity given\) at src\/db\.ts:42/,
  },
  {
    what: 'no release ref (GITHUB_REF unset, no `ref`)',
    inputs: ONLY('code-scanning'),
    env: { GITHUB_REF: '' },
    check: 'code scanning',
    message: /^Could not tell which ref the release is/,
  },
  // Dependabot
  {
    what: 'Dependabot alerts disabled (403)',
    state: { dependabot: http(403, 'Dependabot alerts are disabled for this repository.') },
    inputs: ONLY('dependabot'),
    check: 'dependabot alerts',
    message: /^Dependabot alerts are off or not set up for acme\/shop: GitHub answered HTTP 403 .*set `dependabot: off`/,
  },
  {
    what: 'Dependabot alerts refused to the GITHUB_TOKEN (403)',
    state: { dependabot: http(403, 'Resource not accessible by integration') },
    inputs: ONLY('dependabot'),
    check: 'dependabot alerts',
    message: /^Could not list the open Dependabot alerts of acme\/shop: GitHub answered HTTP 403 .*"Dependabot alerts: read"/,
  },
  {
    what: 'a Dependabot alert of a severity nobody knows',
    state: {
      dependabot: offSpec(
        [
          {
            ...gh.dependabotAlert({ number: 1, ghsa: 'GHSA-1', severity: 'low' }),
            security_vulnerability: {},
            security_advisory: { ghsa_id: 'GHSA-1', severity: 'moderate' },
          },
        ],
        'GitHub’s old word for medium',
      ),
    },
    inputs: { ...ONLY('dependabot'), 'max-severity': 'critical' },
    check: 'dependabot alerts',
    message: /GHSA-1 of unreadable severity \(advisory severity moderate\)/,
  },
  // Secret scanning
  {
    what: 'secret scanning disabled (404)',
    state: { secrets: http(404, 'Secret scanning is disabled on this repository.') },
    inputs: ONLY('secret-scanning'),
    check: 'secret scanning',
    message: /^Secret scanning is off or not set up for acme\/shop: GitHub answered HTTP 404/,
  },
  {
    what: 'secret-scanning alerts refused (403)',
    state: { secrets: http(403, 'Resource not accessible by integration') },
    inputs: ONLY('secret-scanning'),
    check: 'secret scanning',
    message: /^Could not list the open secret-scanning alerts of acme\/shop: GitHub answered HTTP 403 .*"Secret scanning alerts: read"/,
  },
  // Access
  {
    what: 'no token or repository',
    github: 'none',
    inputs: ONLY('dependabot'),
    check: 'dependabot alerts',
    message: /^Could not read the Dependabot alerts: the gate needs a token/,
  },
  {
    what: 'the API does not answer',
    github: 'unreachable',
    inputs: ONLY('secret-scanning'),
    check: 'secret scanning',
    message: /the GitHub API did not answer .*Check GITHUB_API_URL/,
  },
  // SARIF
  {
    what: 'a SARIF glob matching nothing',
    inputs: { ...FILES, sarif: 'scans/nothing-*.sarif' },
    check: 'sarif',
    message: /^The glob `scans\/nothing-\*\.sarif` matched no SARIF file/,
  },
  {
    what: 'a folder named like a SARIF file is no file',
    inputs: { ...FILES, sarif: 'scans/folder.sarif' },
    check: 'sarif',
    message: /matched no SARIF file/,
  },
  {
    what: 'an empty SARIF file',
    inputs: { ...FILES, sarif: 'scans/empty.sarif' },
    check: 'sarif scans/empty.sarif',
    message: /^scans\/empty\.sarif is empty: a scan report nobody can read proves nothing\./,
  },
  {
    what: 'a truncated SARIF file',
    inputs: { ...FILES, sarif: 'scans/truncated.sarif' },
    check: 'sarif scans/truncated.sarif',
    message: /^scans\/truncated\.sarif is not JSON/,
  },
  {
    what: 'a named pipe instead of a file',
    inputs: { ...FILES, sarif: 'scans/pipe.sarif' },
    check: 'sarif',
    message: /matched no SARIF file/,
  },
  {
    what: 'SARIF 1.0',
    inputs: { ...FILES, sarif: 'scans/v1.sarif' },
    check: 'sarif scans/v1.sarif',
    message: /is not SARIF 2\.1\.0 \(version "1\.0\.0"\)/,
  },
  {
    what: 'a run without its results list (the scan did not report)',
    inputs: { ...FILES, sarif: 'scans/no-results.sarif' },
    check: 'sarif scans/no-results.sarif',
    message: /has no results list for the Trivy run/,
  },
  {
    what: 'a scan that says it did not finish',
    inputs: { ...FILES, sarif: 'scans/crashed.sarif' },
    check: 'sarif scans/crashed.sarif',
    message: /says the CodeQL scan did not finish/,
  },
  {
    what: 'a security-severity nobody can read, against the highest threshold',
    inputs: { ...FILES, sarif: 'scans/odd-severity.sarif', 'max-severity': 'critical' },
    check: 'sarif scans/odd-severity.sarif',
    message: /R1 of unreadable severity \(security-severity "HIGH"\)/,
  },
  // SBOM
  { what: 'no SBOM', inputs: { ...FILES, sbom: 'sbom/*.spdx.json' }, check: 'sbom', message: /^No SBOM matches `sbom\/\*\.spdx\.json`/ },
  {
    what: 'an SBOM listing no components',
    inputs: { ...FILES, sbom: 'sbom/empty.json' },
    check: 'sbom sbom/empty.json',
    message: /lists no components/,
  },
  {
    what: 'CycloneDX without specVersion',
    inputs: { ...FILES, sbom: 'sbom/no-version.json' },
    check: 'sbom sbom/no-version.json',
    message: /is CycloneDX without a `specVersion`/,
  },
  {
    what: 'an SBOM that is a list',
    inputs: { ...FILES, sbom: 'sbom/list.json' },
    check: 'sbom sbom/list.json',
    message: /is not a JSON object/,
  },
  {
    what: 'SPDX tag-value where JSON is expected',
    inputs: { ...FILES, sbom: 'sbom/spdx-tv.json' },
    check: 'sbom sbom/spdx-tv.json',
    message: /is not JSON/,
  },
  // Nothing at all
  { what: 'every feature off and no file', inputs: FILES, check: 'inputs', message: /^Nothing was checked/ },
  {
    what: 'a threshold that is not a severity',
    inputs: { 'max-severity': 'severe' },
    check: 'inputs',
    message: /input `max-severity`: "severe" is not valid; expected one of `low`, `medium`, `high`, `critical`/,
  },
]

let current: symbol | undefined

describe('security-alerts fails closed', () => {
  it.each(cases)('$what → fail', async (c) => {
    const token = Symbol(c.what)
    current = token
    serveAlerts(fake, c.state ?? {}, () => current === token)
    fake.invalid.length = 0
    fake.invalidResponses.length = 0
    const github: GitHubPort | undefined =
      c.github === 'none'
        ? undefined
        : {
            octokit: createClient('ghs_failClosed', { retries: 0 }, c.github === 'unreachable' ? 'http://127.0.0.1:9' : fake.url),
            owner: 'acme',
            repo: 'shop',
          }
    const ctx = defaultContext({
      log: () => {},
      env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REF: 'refs/heads/release/1.4', ...c.env },
      cwd: ws,
      workspace: ws,
      ...(github ? { github } : {}),
    })
    const r = await runGate(securityAlerts, c.inputs, ctx, { id: 'security-alerts' })
    expect(fake.invalid, 'requests GitHub would reject').toEqual([])
    expect(fake.invalidResponses, 'answers GitHub would not give').toEqual([])
    expect(r.status, r.summary).toBe('fail')
    const found = r.checks.filter((x) => x.name === c.check && x.status === 'fail')
    expect(found, JSON.stringify(r.checks, null, 1)).toHaveLength(1)
    expect(found[0].message).toMatch(c.message)
    expect(found[0].message).toMatch(/^[A-Z`0-9a-z].*[.)]$/s)
    expect(JSON.stringify(r)).not.toMatch(/\n\s+at |TypeError|is not a function|Cannot read properties|undefined/)
  })

  it('the table is not passing on a broken setup: clean alerts, a clean scan and an SBOM pass', async () => {
    const token = Symbol('baseline')
    current = token
    serveAlerts(fake, {}, () => current === token)
    const ctx = defaultContext({
      log: () => {},
      env: { GITHUB_REF: 'refs/heads/release/1.4' },
      cwd: ws,
      workspace: ws,
      github: { octokit: createClient('ghs_x', { retries: 0 }, fake.url), owner: 'acme', repo: 'shop' },
    })
    const r = await runGate(securityAlerts, { sarif: 'scans/trivy-clean.sarif', sbom: 'sbom/spdx.json' }, ctx, { id: 'security-alerts' })
    expect(r.status, r.summary).toBe('pass')
  })
})
