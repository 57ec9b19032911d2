// `cutover bundle export <bundle> --seed-layout artifacts`: the wien-pilot runbook's evidence folder
// (artifacts/prod_cutover_<timestamp>/) from a decided bundle, every file listed with its hash.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { bundleCommand } from '../../../src/cli/bundle.js'
import { opensslKey, readJson, runDecide, sha256sum, tempDir, writeReports } from './support.js'

let ws: string
const bundleFile = () => path.join(ws, 'cutover-reports', 'cutover-summary.json')
const artifacts = () => path.join(ws, 'artifacts')
// DECIDED_AT is 2026-03-14T10:00:00Z: the folder is named by the decision, not by the clock.
const folder = () => path.join(artifacts(), 'prod_cutover_20260314_100000')

async function exportBundle(...args: string[]) {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true))
  try {
    return { code: await bundleCommand(['export', ...args]), stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

beforeEach(async (t) => {
  const d = tempDir()
  ws = d.dir
  t.onTestFinished(d.cleanup)
  await writeReports(path.join(ws, 'cutover-reports'), [{ id: 'api' }, { id: 'security-gate', gate: 'command' }])
  const key = opensslKey(ws, 'ed25519')
  const approvals = JSON.stringify([{ user: 'ops-lead', state: 'approved', comment: 'GO for Wien', environments: ['production'] }])
  const r = await runDecide(ws, { required: 'api,security-gate', 'signing-key': key.priv, approvals })
  expect(r.outputs.decision).toBe('GO')
})

describe('the seed evidence layout', () => {
  it('one file per gate, approval_record.json and cutover_summary.json with the hash of every file', async () => {
    const r = await exportBundle(bundleFile(), '--seed-layout', artifacts())
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(readdirSync(folder()).sort()).toEqual([
      'api.json',
      'approval_record.json',
      'cutover_summary.json',
      'decision.intoto.json',
      'decision_bundle.json',
      'security-gate.json',
    ])
    expect(readFileSync(path.join(folder(), 'api.json'))).toEqual(readFileSync(path.join(ws, 'cutover-reports', 'api.json')))
    expect(readJson(path.join(folder(), 'approval_record.json'))).toMatchObject({
      decision: 'GO',
      approvals: [{ identity: 'ops-lead', comment: 'GO for Wien', environment: 'production' }],
    })
    const summary = readJson<{ decision: string; files: { file: string; sha256: string }[]; ledgerHead: string }>(
      path.join(folder(), 'cutover_summary.json'),
    )
    expect(summary.decision).toBe('GO')
    expect(summary.ledgerHead).toBe(readJson<{ chainHead: string }>(bundleFile()).chainHead)
    for (const f of summary.files) expect(f.sha256, f.file).toBe(sha256sum(path.join(folder(), f.file)))
    expect(summary.files.map((f) => f.file).sort()).toEqual(
      readdirSync(folder())
        .filter((f) => f !== 'cutover_summary.json')
        .sort(),
    )
  })

  it('a report changed after the decision is refused, and nothing is written', async () => {
    const f = path.join(ws, 'cutover-reports', 'api.json')
    writeFileSync(f, readFileSync(f, 'utf8').replace('"pass"', '"fail"'))
    const r = await exportBundle(bundleFile(), '--seed-layout', artifacts())
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/nothing was exported: report `api` \(api\.json\) changed after the decision/)
    expect(existsSync(artifacts())).toBe(false)
  })

  it('never overwrites an existing evidence folder, and needs a place to write', async () => {
    expect((await exportBundle(bundleFile(), '--seed-layout', artifacts())).code).toBe(0)
    const again = await exportBundle(bundleFile(), '--seed-layout', artifacts())
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists: an evidence folder is never overwritten/)
    expect((await exportBundle(bundleFile(), '--seed-layout', '')).stderr).toMatch(/say where: `--seed-layout <dir>`/)
    expect((await exportBundle(path.join(ws, 'nope.json'), '--seed-layout', artifacts())).stderr).toMatch(/cannot be read \(ENOENT\)/)
  })
})
