// decide with the gate ledger (src/core/ledger.ts) next to the reports: the chain is checked, the
// reports must be the files the ledger recorded, and the bundle pins the ledger's length and end.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Bundle } from '../../../src/gates/decide/bundle.js'
import { verifyBundle } from '../../../src/gates/decide/verify.js'
import { LEDGER_FILE, appendLedger, verifyLedger, type LedgerRecord } from '../../../src/core/ledger.js'
import { readJson, runDecide, tempDir, writeReports, type ReportSpec } from './support.js'

const HMAC = 'ledger-test-hmac-key-0123456789'
let ws: string
const reports = () => path.join(ws, 'cutover-reports')
const ledger = () => path.join(reports(), LEDGER_FILE)
const bundleFile = () => path.join(reports(), 'cutover-summary.json')
const lines = () => readFileSync(ledger(), 'utf8').trimEnd().split('\n')

/** Each gate writes its report; writeReport appends its ledger record, as the runner does. */
async function runGates(specs: ReportSpec[]) {
  await writeReports(reports(), specs)
}

beforeEach(async (t) => {
  const d = tempDir()
  ws = d.dir
  t.onTestFinished(d.cleanup)
  await runGates([{ id: 'api' }, { id: 'rc-proof', gate: 'evidence' }, { id: 'canary', gate: 'canary' }])
})

describe('decide with a gate ledger', () => {
  it('checks the chain and pins its length and last hash in the bundle', async () => {
    const r = await runDecide(ws, { required: 'api,rc-proof,canary', 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('GO')
    const c = r.checks.find((x) => x.name === 'ledger chain')
    expect(c?.status).toBe('pass')
    expect(c?.message).toBe(
      'The gate ledger cutover-reports/ledger.jsonl holds an intact chain of 3 records; every report in the folder is the file it recorded, and every recorded gate has its report.',
    )
    const last = JSON.parse(lines()[2]) as LedgerRecord
    expect(readJson<Bundle>(bundleFile()).ledgers).toEqual([{ file: 'ledger.jsonl', lastHash: last.hash, records: 3 }])
    expect((await verifyBundle(bundleFile(), { hmacKey: HMAC })).passed).toContain(
      `the ledger ledger.jsonl is intact and still holds the 3 records pinned (last ${last.hash.slice(0, 12)})`,
    )
  })

  it('stays valid when records are appended after the decision (decide’s own run)', async () => {
    await runDecide(ws, { required: 'api,rc-proof,canary', 'hmac-key': HMAC })
    await appendLedger(reports(), { id: 'decide', status: 'pass', reportFile: bundleFile(), time: new Date().toISOString() })
    expect((await verifyLedger(ledger())).records).toBe(4)
    expect((await verifyBundle(bundleFile(), { hmacKey: HMAC })).problems).toEqual([])
  })

  it('bundle verify names records removed from the end, and a ledger rewritten from scratch', async () => {
    await runDecide(ws, { required: 'api,rc-proof,canary', 'hmac-key': HMAC })
    const original = readFileSync(ledger())
    writeFileSync(ledger(), lines().slice(0, 2).join('\n') + '\n')
    expect((await verifyBundle(bundleFile(), { hmacKey: HMAC })).problems).toEqual([
      'the ledger ledger.jsonl holds 2 records, fewer than the 3 the bundle pinned: records were removed from its end',
    ])
    // A whole new, internally valid chain: the pinned hash gives it away.
    rmSync(ledger())
    await runGates([{ id: 'api' }, { id: 'rc-proof', gate: 'evidence' }, { id: 'canary', gate: 'canary', durationS: 21 }])
    const v = await verifyBundle(bundleFile(), { hmacKey: HMAC })
    expect(v.problems.some((p) => p.startsWith('record 3 of the ledger ledger.jsonl is not the one the bundle pinned'))).toBe(true)
    writeFileSync(ledger(), original)
  })

  it('is NO-GO when the ledger was edited, naming the record', async () => {
    const l = lines()
    writeFileSync(ledger(), [l[0], l[1].replace('"status":"pass"', '"status":"warn"'), l[2]].join('\n') + '\n')
    const r = await runDecide(ws, { required: 'api,rc-proof,canary', 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((x) => x.name === 'ledger chain')?.message).toMatch(
      /^The gate ledger cutover-reports\/ledger\.jsonl is broken: record seq 2 \(line 2\) was edited: its contents do not match its hash/,
    )
  })

  it('is NO-GO when a report is not the file its gate recorded (rewritten after the gate ran)', async () => {
    const file = path.join(reports(), 'canary.json')
    const report = readJson<Record<string, unknown>>(file)
    writeFileSync(file, JSON.stringify({ ...report, summary: 'canary: PASS (all good, trust me)' }, null, 2) + '\n')
    const r = await runDecide(ws, { required: 'api,rc-proof,canary', 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((x) => x.name === 'ledger chain')?.message).toBe(
      'The reports in cutover-reports are not what cutover-reports/ledger.jsonl recorded: `canary` is not the file its gate recorded (seq 3): it changed after the gate wrote it. That is NO-GO: run the gates again into a fresh folder.',
    )
  })
})
