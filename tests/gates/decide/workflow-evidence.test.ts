// The evidence the reusable cutover workflow's bundle job sees: one folder per job's artifact,
// `evidence/<artifact>/`, each with the reports its gates wrote and the ledger.jsonl they appended
// to (by the real report writer), judged by the real decide over the folders of the run's
// attempts, then re-verified by `bundle verify`. This is the layout .github/workflows/cutover.yml
// produces (tests/lint/workflow-trust.test.ts holds it to it).
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { verifyBundle } from '../../../src/gates/decide/verify.js'
import { LEDGER_FILE } from '../../../src/core/ledger.js'
import { writeReport } from '../../../src/core/report.js'
import { runDecide, SUBJECT, tempDir, writeReports, type ReportSpec } from './support.js'

const HMAC = 'workflow-evidence-hmac-key-0123456789'
let ws: string
const folder = (name: string) => path.join(ws, 'evidence', `${name}-attempt-1`)
const bundle = () => path.join(ws, 'evidence', 'cutover-summary.json')

/** The jobs of a successful cutover at 10% and 100%, each into its own folder. */
const JOBS: Record<string, ReportSpec[]> = {
  'cutover-reports-preflight': [{ id: 'api-readyz' }, { id: 'rc-proof', gate: 'evidence' }, { id: 'canary-baseline', gate: 'canary' }],
  'cutover-reports-approval': [{ id: 'approval-guard', gate: 'approval-guard' }],
  'cutover-reports-canary-10': [{ id: 'api-readyz-10' }, { id: 'canary-10', gate: 'canary' }],
  'cutover-reports-canary-100': [{ id: 'api-readyz-100' }, { id: 'canary-100', gate: 'canary' }],
  'cutover-reports-verify': [{ id: 'api-readyz-verify' }],
}
const REQUIRED = 'api-readyz,rc-proof,canary-baseline,approval-guard,api-readyz-10,canary-10,api-readyz-100,canary-100,api-readyz-verify'

beforeEach(async (t) => {
  const d = tempDir()
  ws = d.dir
  t.onTestFinished(d.cleanup)
  for (const [name, specs] of Object.entries(JOBS)) await writeReports(folder(name), specs)
})

const decideOver = (extra: Record<string, string> = {}) =>
  runDecide(ws, {
    reports: 'evidence/*-attempt-1',
    required: REQUIRED,
    bundle: 'evidence/cutover-summary.json',
    'hmac-key': HMAC,
    ...extra,
  })

describe('the bundle job: every job’s folder and ledger, judged and chained', () => {
  it('GO over every folder; every ledger is pinned and chained, and bundle verify re-checks each one', async () => {
    const r = await decideOver()
    expect(r.outputs.decision, JSON.stringify(r.checks.filter((c) => c.status !== 'pass'))).toBe('GO')
    const b = JSON.parse(readFileSync(bundle(), 'utf8')) as { ledgers: { file: string }[]; chainHead?: string }
    expect(b.ledgers.map((l) => l.file).sort()).toEqual(
      Object.keys(JOBS)
        .map((n) => `${n}-attempt-1/${LEDGER_FILE}`)
        .sort(),
    )
    expect(b.chainHead).toMatch(/^[0-9a-f]{64}$/)
    expect((await verifyBundle(bundle(), { hmacKey: HMAC })).problems).toEqual([])
  })

  it.each([
    ['a report of a step', 'cutover-reports-canary-100', 'canary-100.json'],
    ['the ledger of the approval', 'cutover-reports-approval', LEDGER_FILE],
    ['a report of the pre-flight', 'cutover-reports-preflight', 'rc-proof.json'],
  ])('a one-byte edit of %s after the decision is caught by bundle verify', async (_, name, file) => {
    await decideOver()
    const target = path.join(folder(name), file)
    const text = readFileSync(target, 'utf8')
    const at = text.indexOf('pass')
    writeFileSync(target, text.slice(0, at) + 'P' + text.slice(at + 1))
    const v = await verifyBundle(bundle(), { hmacKey: HMAC })
    expect(v.problems.length).toBeGreaterThan(0)
    expect(v.problems.join(' ')).toContain(name)
  })

  it('two jobs writing a report of the same name keep both, and a failure in either is NO-GO', async () => {
    // A rollback verification without its own suffix: api-readyz.json in a second folder.
    await writeReports(folder('cutover-reports-rollback-verify'), [{ id: 'api-readyz', status: 'fail' }])
    const r = await decideOver()
    expect(r.outputs.decision).toBe('NO-GO')
    expect(readFileSync(path.join(folder('cutover-reports-preflight'), 'api-readyz.json'), 'utf8')).toContain('"status": "pass"')
  })

  it('a step that never reported is NO-GO: every step is required', async () => {
    const r = await decideOver({ required: `${REQUIRED},canary-50` })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.map((c) => c.message).join(' ')).toContain('canary-50')
  })

  it('a report copied into a folder it was not written to is NO-GO (its ledger did not record it)', async () => {
    const copied = readFileSync(path.join(folder('cutover-reports-canary-10'), 'canary-10.json'))
    writeFileSync(path.join(folder('cutover-reports-canary-100'), 'canary-10.json'), copied)
    expect((await decideOver()).outputs.decision).toBe('NO-GO')
  })

  it('a folder holding only decide’s own report and bundle is no job of gates: it must stay out of the judged folders', async () => {
    // What the pre-flight decision job leaves: its report and its bundle, recorded in their ledger.
    const decision = folder('cutover-reports-decision')
    const pre = await runDecide(ws, {
      reports: 'evidence/cutover-reports-preflight-attempt-1',
      required: 'api-readyz,rc-proof,canary-baseline',
      bundle: 'evidence/cutover-reports-decision-attempt-1/preflight-decision.json',
      'hmac-key': HMAC,
    })
    expect(pre.outputs.decision).toBe('GO')
    await writeReport(decision, pre, SUBJECT)
    const judged = await decideOver()
    expect(judged.outputs.decision).toBe('NO-GO')
    expect(judged.checks.find((c) => c.status === 'fail')?.message).toMatch(/cutover-reports-decision-attempt-1 holds no gate reports/)
    // So the workflow uploads it outside the judged pattern.
    const wf = readFileSync(path.resolve(import.meta.dirname, '../../../.github/workflows/cutover.yml'), 'utf8')
    expect(wf).toContain('name: cutover-decision-attempt-${{ github.run_attempt }}')
    expect(wf).not.toContain('name: cutover-reports-decision')
  })
})
