// The gate's `ledger` input: an intact chain passes; a tampered one fails, names the first bad
// record and points the annotation at its line.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { appendLedger } from '../../../src/core/ledger.js'
import { failing, sealedWorkspace, verify } from './support.js'

async function withLedger(n = 5) {
  const s = sealedWorkspace()
  const reports = path.join(s.ws, 'cutover-reports')
  const report = path.join(s.ws, 'report.json')
  writeFileSync(report, '{"id":"x"}\n')
  for (let i = 0; i < n; i++)
    await appendLedger(reports, {
      id: `gate-${i}`,
      status: 'pass',
      reportFile: report,
      time: new Date(Date.UTC(2026, 2, 1, 10, i)).toISOString(),
    })
  return { ...s, ledger: path.join(reports, 'ledger.jsonl') }
}

describe('evidence: ledger', () => {
  it('an intact ledger passes, with its record count and last hash', async () => {
    const { ws, ledger } = await withLedger()
    const r = await verify(ws, { ledger: 'cutover-reports/ledger.jsonl' })
    expect(r.status).toBe('pass')
    expect(r.outputs.tampered).toBe('false')
    const c = r.checks.find((x) => x.name === 'ledger')!
    const last = JSON.parse(readFileSync(ledger, 'utf8').trimEnd().split('\n').pop()!) as { hash: string }
    expect(c).toMatchObject({ status: 'pass', observed: '5 records, chain intact', location: { path: 'cutover-reports/ledger.jsonl' } })
    expect(c.message).toContain(last.hash)
    expect(r.metrics.ledgerRecords).toBe(5)
  })

  it('a removed record fails, names it, and sets tampered', async () => {
    const { ws, ledger } = await withLedger()
    const lines = readFileSync(ledger, 'utf8').trimEnd().split('\n')
    lines.splice(1, 1)
    writeFileSync(ledger, lines.join('\n') + '\n')
    const r = await verify(ws, { ledger: 'cutover-reports/ledger.jsonl' })
    expect(r.status).toBe('fail')
    expect(r.outputs.tampered).toBe('true')
    expect(failing(r)).toHaveLength(1)
    expect(failing(r)[0]).toMatchObject({
      name: 'ledger',
      observed: 'chain broken at line 2',
      location: { path: 'cutover-reports/ledger.jsonl', line: 2 },
    })
    expect(failing(r)[0].message).toContain('seq 2 was removed before line 2')
  })

  it('a missing ledger fails with a sentence', async () => {
    const { ws } = sealedWorkspace()
    const r = await verify(ws, { ledger: 'cutover-reports/ledger.jsonl' })
    expect(failing(r)[0]).toMatchObject({ name: 'ledger', observed: 'unreadable' })
    expect(failing(r)[0].message).toMatch(/The ledger cannot be verified: no ledger at .*ledger\.jsonl/)
  })

  it('the ledger is still verified when the evidence folder is missing', async () => {
    const { ws } = await withLedger()
    const r = await verify(ws, { path: 'nowhere', ledger: 'cutover-reports/ledger.jsonl' })
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['path', 'fail'],
      ['ledger', 'pass'],
    ])
  })
})
