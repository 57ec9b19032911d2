// Approvals bound to the evidence: the reviewers approve the digest of the pre-flight decision
// (the decide job's GO bundle); the final bundle shows that what was approved is what was
// promoted, and a pre-flight that changed after the approval is refused.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Bundle } from '../../../src/gates/decide/bundle.js'
import { publicKeyFrom } from '../../../src/gates/decide/sign.js'
import { verifyBundle } from '../../../src/gates/decide/verify.js'
import { opensslKey, readJson, runDecide, tempDir, writeReports } from './support.js'

let ws: string
let key: { priv: string; pub: string }
const pre = () => path.join(ws, 'preflight')
const preBundle = 'decision/preflight-decision.json'
const finalBundle = () => path.join(ws, 'final', 'cutover-summary.json')
const pub = () => ({ publicKey: publicKeyFrom(readFileSync(key.pub, 'utf8'), key.pub), publicKeyLabel: 'signer.pub.pem' })

/** The decide job: a GO on the pre-flight reports; its digest is what the reviewers are shown. */
async function preflightDecision(): Promise<string> {
  const r = await runDecide(ws, { reports: 'preflight', required: 'api,db', bundle: preBundle, 'signing-key': key.priv })
  expect(r.outputs.decision).toBe('GO')
  return r.outputs.digest as string
}

const approvals = (digest?: string) =>
  JSON.stringify([
    {
      user: 'release-captain-2',
      state: 'approved',
      comment: 'GO',
      environments: ['production'],
      ...(digest ? { approvedDigest: digest } : {}),
    },
  ])

function finalInputs(approved: string, extra: Record<string, string> = {}) {
  return {
    reports: 'final',
    required: 'smoke',
    bundle: 'final/cutover-summary.json',
    'signing-key': key.priv,
    'preflight-bundle': preBundle,
    'approved-digest': approved,
    approvals: approvals(approved),
    ...extra,
  }
}

beforeEach(async (t) => {
  const d = tempDir()
  ws = d.dir
  t.onTestFinished(d.cleanup)
  key = opensslKey(ws, 'ed25519', 'signer')
  await writeReports(pre(), [{ id: 'api' }, { id: 'db' }])
  await writeReports(path.join(ws, 'final'), [{ id: 'smoke', startMin: 5 }])
})

describe('approvals bound to the pre-flight decision', () => {
  it('approved == promoted: the final bundle, its attestation and bundle verify all say so', async () => {
    const digest = await preflightDecision()
    const r = await runDecide(ws, finalInputs(digest))
    expect(r.outputs.decision).toBe('GO')
    expect(r.checks.find((c) => c.name === 'approved is promoted')?.status).toBe('pass')
    const b = readJson<Bundle>(finalBundle())
    expect(b.approval).toEqual({ approvedDigest: digest, promotedDigest: digest, preflight: preBundle })
    const st = JSON.parse(
      Buffer.from(readJson<{ payload: string }>(path.join(ws, 'final', 'cutover-summary.intoto.json')).payload, 'base64').toString(),
    )
    expect(st.predicate.approvals).toEqual([
      { identity: 'release-captain-2', comment: 'GO', environment: 'production', approvedDigest: digest },
    ])
    expect(st.predicate.approval).toEqual(b.approval)
    const v = await verifyBundle(finalBundle(), pub())
    expect(v.problems).toEqual([])
    expect(v.passed).toContain(`what was approved is what was promoted: the pre-flight decision ${digest.slice(0, 19)}…`)
  })

  it('a stale digest: the pre-flight was re-run with other reports after the approval, so NO-GO', async () => {
    const approved = await preflightDecision()
    // The pre-flight job runs again (a re-run) with another report; the decide job writes a new GO.
    await writeReports(pre(), [{ id: 'api', durationS: 42 }])
    const now = await preflightDecision()
    expect(now).not.toBe(approved)
    const r = await runDecide(ws, finalInputs(approved))
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'approved is promoted')?.message).toBe(
      `The reviewers approved the pre-flight decision ${approved}, but this run went on with ${preBundle}, which is ${now}: the pre-flight changed after the approval (a re-run with other reports). NO-GO: the new pre-flight decision needs its own approval.`,
    )
    expect(readJson<Bundle>(finalBundle()).approval).toEqual({ approvedDigest: approved, promotedDigest: now, preflight: preBundle })
  })

  it('a GO bundle edited to hide a mismatch is caught by bundle verify', async () => {
    const approved = await preflightDecision()
    await runDecide(ws, finalInputs(approved))
    const b = readJson<Bundle>(finalBundle())
    const forged = { ...b, approval: { ...b.approval!, promotedDigest: 'sha256:' + 'e'.repeat(64) } }
    writeFileSync(finalBundle(), JSON.stringify(forged, null, 2) + '\n')
    const v = await verifyBundle(finalBundle(), pub())
    expect(v.problems).toContain(
      `the bundle says GO, but the reviewers approved the pre-flight decision ${approved} and the run went on with sha256:${'e'.repeat(64)}: decide never decides GO on that, so the bundle was edited`,
    )
  })

  it('an approval of another decision among the approvals is NO-GO', async () => {
    const digest = await preflightDecision()
    const other = 'sha256:' + 'a'.repeat(64)
    const r = await runDecide(ws, finalInputs(digest, { approvals: approvals(other) }))
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'approved is promoted')?.message).toMatch(
      /An approval records the pre-flight decision sha256:a{64}/,
    )
  })

  it('a pre-flight NO-GO cannot be approved into a promotion', async () => {
    const r0 = await runDecide(ws, { reports: 'preflight', required: 'api,db,missing', bundle: preBundle, 'signing-key': key.priv })
    expect(r0.outputs.decision).toBe('NO-GO')
    const r = await runDecide(ws, finalInputs(r0.outputs.digest as string))
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'approved is promoted')?.message).toMatch(
      /is NO-GO, not GO: nothing approved may be promoted on it/,
    )
  })

  it.each([
    ['only the digest', { 'preflight-bundle': '' }, /`approved-digest` was given without `preflight-bundle`/],
    ['only the pre-flight bundle', { 'approved-digest': '' }, /`preflight-bundle` was given without `approved-digest`/],
    [
      'a digest that is not one',
      { 'approved-digest': 'sha256:XYZ' },
      /must be `sha256:` and 64 lowercase hex digits .* holds "sha256:XYZ"/,
    ],
    [
      'a pre-flight bundle that is missing',
      { 'preflight-bundle': 'decision/gone.json' },
      /The pre-flight bundle decision\/gone\.json does not exist/,
    ],
  ])('%s is NO-GO, never a silent pass', async (_name, extra, message) => {
    const digest = await preflightDecision()
    const r = await runDecide(ws, { ...finalInputs(digest), ...extra, approvals: approvals() })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'approved is promoted')?.message).toMatch(message)
  })

  it('approvals that name a digest, with nothing given to compare it with, are NO-GO', async () => {
    const digest = await preflightDecision()
    const r = await runDecide(ws, {
      reports: 'final',
      required: 'smoke',
      bundle: 'final/cutover-summary.json',
      approvals: approvals(digest),
    })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'approved is promoted')?.message).toMatch(
      /neither `preflight-bundle` nor `approved-digest` was given/,
    )
  })
})
