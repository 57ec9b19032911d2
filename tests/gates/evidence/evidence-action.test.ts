// The bundled evidence action (dist/evidence/index.js), run as the GitHub runner runs it: outputs
// (`tampered` included), annotations pointing at the failing files, and the HMAC key nowhere.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../../harness/fake-github.js'
import { runAction } from '../../harness/run-action.js'
import { SAMPLE, sh, writeTree } from './support.js'

const HMAC = 'evidence-action-hmac-never-printed-77'
let api: FakeGitHub | undefined
let cwd: string | undefined

afterEach(async () => {
  if (api) {
    expect(api.invalid, 'requests GitHub would reject').toEqual([])
    await api.close()
    api = undefined
  }
  if (cwd) rmSync(cwd, { recursive: true, force: true })
})

/** A workspace with `artifacts/rc-proof` sealed by sha256sum and signed by openssl's HMAC. */
function workspace(): string {
  cwd = mkdtempSync(path.join(tmpdir(), 'cutover-evidence-action-'))
  const dir = path.join(cwd, 'artifacts', 'rc-proof')
  writeTree(dir, SAMPLE)
  writeFileSync(path.join(dir, 'SHA256SUMS'), sh('sha256sum', ['--', ...Object.keys(SAMPLE).sort()], { cwd: dir }))
  writeFileSync(
    path.join(dir, 'SHA256SUMS.sig'),
    sh('openssl', ['dgst', '-sha256', '-hmac', HMAC, '-r', 'SHA256SUMS'], { cwd: dir }).toString().slice(0, 64) + '\n',
  )
  return cwd
}

async function run(inputs: Record<string, string>) {
  api = await startFakeGitHub()
  return runAction('evidence', { inputs: { path: 'artifacts/rc-proof', ...inputs }, apiUrl: api.url, cwd })
}

describe('evidence action', () => {
  it('passes on a sealed, signed folder: tampered=false', async () => {
    workspace()
    const r = await run({ 'hmac-key': HMAC })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.outputs).toMatchObject({ status: 'pass', tampered: 'false', report: 'cutover-reports/evidence.json' })
    const checkRun = api!.requests.find((q) => q.operationId === 'checks/create')!.body as Record<string, unknown>
    expect(checkRun).toMatchObject({ name: 'cutover / evidence', conclusion: 'success' })
  })

  it('fails on an altered file, annotates the file, and never prints the HMAC key', async () => {
    const ws = workspace()
    appendFileSync(path.join(ws, 'artifacts/rc-proof/release/notes.md'), 'edited\n')
    const r = await run({ 'hmac-key': HMAC })
    expect(r.code).not.toBe(0)
    expect(r.outputs).toMatchObject({ status: 'fail', tampered: 'true' })
    expect(r.outputs.summary).toMatch(/^evidence: FAIL: release\/notes\.md does not match the manifest/)
    const body = JSON.stringify(api!.requests.map((q) => q.body))
    expect(body).toContain('"path":"artifacts/rc-proof/release/notes.md"')
    const report = readFileSync(path.join(ws, 'cutover-reports', 'evidence.json'), 'utf8')
    // The runner learns secrets from ::add-mask:: lines and shows them to nobody; nothing else may carry the key.
    expect(r.stdout).toContain(`::add-mask::${HMAC}`)
    const log = r.stdout.replace(/^::add-mask::.*$/gm, '')
    for (const text of [log, r.stderr, r.summary, JSON.stringify(r.outputs), body, report]) expect(text).not.toContain(HMAC)
  })
})
