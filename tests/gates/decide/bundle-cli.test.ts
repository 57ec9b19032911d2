// `cutover decide` and `cutover bundle verify`, called as the CLI calls them, with stdout and
// stderr captured: exit codes, the printed decision table, and no secret in anything printed.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { bundleCommand } from '../../../src/cli/bundle.js'
import { decideCommand } from '../../../src/cli/decide.js'
import { DECIDED_AT, OTHER_SHA, RUN_ENV, SUBJECT, opensslKey, tempDir, writeReports } from './support.js'

let ws: string
let cleanup: () => void
let key: { priv: string; pub: string }
const HMAC = 'cli-hmac-secret-value-0123456789'

beforeAll(() => {
  ;({ dir: ws, cleanup } = tempDir())
  key = opensslKey(ws, 'ec-p256', 'signer')
})
afterAll(() => cleanup())

/** The run looks like a workflow run; no event file, so the commit is GITHUB_SHA. It is decided when the reports say. */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(DECIDED_AT)
  for (const [k, v] of Object.entries(RUN_ENV)) vi.stubEnv(k, v)
  vi.stubEnv('GITHUB_EVENT_NAME', undefined)
  vi.stubEnv('GITHUB_EVENT_PATH', undefined)
  vi.stubEnv('CUTOVER_HMAC', HMAC)
  rmSync(path.join(ws, 'cutover-reports'), { recursive: true, force: true })
})
afterEach(() => {
  vi.unstubAllEnvs()
  vi.useRealTimers()
})

async function capture(run: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  try {
    return { code: await run(), stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

const reports = () => path.join(ws, 'cutover-reports')
const bundle = () => path.join(reports(), 'cutover-summary.json')

describe('cutover decide', () => {
  it('exits 0 on GO and prints the runbook decision table and the bundle', async () => {
    await writeReports(reports(), [{ id: 'api' }, { id: 'rc-proof', gate: 'evidence' }])
    const r = await capture(() => decideCommand(['--reports', reports(), '--required', 'api,rc-proof', '--signing-key', key.priv]))
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^Category\s+Criteria\s+Status\s+Notes$/)
    expect(r.stdout).toMatch(/Infrastructure\s+Readyz healthy \(api\)\s+GO\s+pass, commit 6dcb09b5b578, run 9001 attempt 1/)
    expect(r.stdout).toMatch(/Ops\s+Evidence bundle signed\s+GO\s+ECDSA P-256 with SHA-256, key sha256:/)
    expect(r.stdout).toContain('Go/No-Go decision: GO\n')
    expect(r.stdout).toMatch(/Bundle: .*cutover-summary\.json \(sha256:[0-9a-f]{64}\)/)
    expect(r.stderr).toContain('decide: GO (0 reasons)')
  })

  it('exits 1 on GO with warnings (allow-warn), 2 on NO-GO, naming each reason', async () => {
    await writeReports(reports(), [{ id: 'api' }, { id: 'keys', gate: 'key-rotation', status: 'warn' }])
    const warned = await capture(() =>
      decideCommand(['--reports', reports(), '--required', 'api,keys', '--allow-warn', '--hmac-env', 'CUTOVER_HMAC']),
    )
    expect(warned.code).toBe(1)
    expect(warned.stdout).toContain('Go/No-Go decision: GO with warnings')
    expect(warned.stdout).toContain('  ! `keys` warned, accepted by allow-warn')

    await writeReports(reports(), [{ id: 'old', subject: { ...SUBJECT, sha: OTHER_SHA } }])
    const nogo = await capture(() =>
      decideCommand(['--reports', reports(), '--required', 'api,keys,dr', '--hmac-env', 'CUTOVER_HMAC', '--language', 'tr']),
    )
    expect(nogo.code).toBe(2)
    expect(nogo.stdout.split('\n')[0]).toMatch(/^Kategori\s+Kriter\s+Durum\s+Notlar$/)
    expect(nogo.stdout).toContain('GO/NO-GO Kararı: NO-GO')
    expect(nogo.stdout).toContain('  ✗ `keys` warned:')
    expect(nogo.stdout).toContain('  ✗ `old` is stale: it is from commit 111111111111, not 6dcb09b5b578.')
    expect(nogo.stdout).toContain('  ✗ Required gate `dr` has no report')
    expect(nogo.stdout).toMatch(/—\s+Zorunlu kontrol çalıştı \(dr\)\s+NO-GO/)
  })

  it('never prints the HMAC key, and says so when --hmac-env names an unset variable', async () => {
    await writeReports(reports(), [{ id: 'api' }])
    const r = await capture(() => decideCommand(['--reports', reports(), '--required', 'api', '--hmac-env', 'CUTOVER_HMAC']))
    expect(r.code).toBe(0)
    expect(r.stdout + r.stderr + readFileSync(bundle(), 'utf8')).not.toContain(HMAC)
    const unset = await capture(() => decideCommand(['--reports', reports(), '--hmac-env', 'NOT_SET_ANYWHERE']))
    expect(unset).toEqual({
      code: 2,
      stdout: '',
      stderr: 'cutover decide: --hmac-env names NOT_SET_ANYWHERE, but that environment variable is not set\n',
    })
  })

  it('exits 2 on reports from years ago when no --sha and no GITHUB_SHA is known (max-report-age, 24h by default)', async () => {
    await writeReports(reports(), [{ id: 'api' }, { id: 'rc-proof', gate: 'evidence' }])
    for (const k of Object.keys(RUN_ENV)) vi.stubEnv(k, undefined)
    vi.setSystemTime(new Date(DECIDED_AT.getTime() + 2 * 365 * 86_400_000))
    const r = await capture(() => decideCommand(['--reports', reports(), '--required', 'api,rc-proof', '--hmac-env', 'CUTOVER_HMAC']))
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('Go/No-Go decision: NO-GO')
    expect(r.stdout).toMatch(
      / {2}✗ `api` is stale: it finished \S+ ago \(2026-03-14T09:30:20\.000Z\), longer ago than `max-report-age` \(1d\)/,
    )
    expect(r.stdout).toMatch(/ {2}✗ `rc-proof` is stale: /)
  })

  it('exits 2 on reports that name no commit and no run, when none is known to compare with (a laptop)', async () => {
    await writeReports(reports(), [{ id: 'api', subject: {} }])
    for (const k of Object.keys(RUN_ENV)) vi.stubEnv(k, undefined)
    const r = await capture(() => decideCommand(['--reports', reports(), '--required', 'api', '--hmac-env', 'CUTOVER_HMAC']))
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('  ✗ `api` is stale: it names no commit and no workflow run, so nothing ties it to this cutover')
  })

  it('exits 2 with one sentence on a bad option or input, never a stack trace', async () => {
    const bad = await capture(() => decideCommand(['--nope']))
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^cutover decide: Unknown option '--nope'.*see `cutover decide --help`\n$/)
    const input = await capture(() => decideCommand(['--reports', reports(), '--sha', 'abc']))
    expect(input.code).toBe(2)
    expect(input.stderr).toBe(
      'cutover decide: Could not run the gate: input `sha`: "abc" is not valid; expected a full commit SHA: 40 (or, in SHA-256 repositories, 64) hexadecimal digits.\n',
    )
    expect((await capture(() => decideCommand(['--help']))).stdout).toContain('Usage: cutover decide')
  })
})

describe('cutover bundle verify', () => {
  beforeEach(async () => {
    await writeReports(reports(), [{ id: 'api' }, { id: 'canary', gate: 'canary' }])
  })

  it('exits 0 for a bundle and reports as decide left them', async () => {
    await capture(() => decideCommand(['--reports', reports(), '--required', 'api,canary', '--signing-key', key.priv]))
    const r = await capture(() => bundleCommand(['verify', bundle(), '--public-key', key.pub]))
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('✓ 2 of 2 listed reports match the SHA-256 the bundle lists')
    expect(r.stdout).toMatch(/✓ the ECDSA P-256 with SHA-256 signature is valid \(key sha256:[0-9a-f]{64}\)/)
    expect(r.stdout).toContain('Bundle valid: GO decision for commit 6dcb09b5b578 at 2026-')
  })

  it('exits 2 naming the report edited after the decision, and the bad signature of an edited bundle', async () => {
    await capture(() => decideCommand(['--reports', reports(), '--required', 'api,canary', '--hmac-env', 'CUTOVER_HMAC']))
    const canary = path.join(reports(), 'canary.json')
    const bytes = readFileSync(canary)
    bytes[bytes.length - 3] ^= 0x01
    writeFileSync(canary, bytes)
    const text = readFileSync(bundle(), 'utf8')
    writeFileSync(
      bundle(),
      text.replace('"decision": "GO"', '"decision": "GO" ').replace('"status": "pass",\n  "decidedAt"', '"status": "warn",\n  "decidedAt"'),
    )
    const r = await capture(() => bundleCommand(['verify', bundle(), '--hmac-env', 'CUTOVER_HMAC']))
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(
      /✗ report `canary` \(canary\.json\) changed after the decision: its SHA-256 is now [0-9a-f]{64}, the bundle lists [0-9a-f]{64}/,
    )
    expect(r.stdout).toContain('✗ the HMAC-SHA256 signature does not match: the bundle was changed after it was signed, or the key differs')
    expect(r.stdout).toContain('Bundle NOT valid: 3 problems')
    expect(r.stdout + r.stderr).not.toContain(HMAC)
  })

  it('exits 2 with one sentence on bad usage or an unreadable key', async () => {
    expect(await capture(() => bundleCommand([]))).toMatchObject({
      code: 2,
      stderr: 'cutover bundle: say what to do: `cutover bundle verify <file>`; see `cutover bundle --help`\n',
    })
    expect(await capture(() => bundleCommand(['check', 'x']))).toMatchObject({
      code: 2,
      stderr: 'cutover bundle: unknown subcommand "check"; the ones there are: verify, export; see `cutover bundle --help`\n',
    })
    expect(await capture(() => bundleCommand(['verify']))).toMatchObject({
      code: 2,
      stderr: 'cutover bundle verify: name the bundle to verify: `cutover bundle verify <file>`; see `cutover bundle verify --help`\n',
    })
    const k = await capture(() => bundleCommand(['verify', bundle(), '--public-key', 'missing.pem']))
    expect(k).toMatchObject({
      code: 2,
      stderr: '`cutover bundle: `public-key` is neither an inline PEM key nor a readable file: missing.pem does not exist\n'.slice(1),
    })
  })
})
