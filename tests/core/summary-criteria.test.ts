// The sign-off table states what was actually required and what was actually measured: real gates
// run on real files with non-default thresholds, then recorded and decided on as a workflow does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { makeRedactor } from '../../src/core/redact.js'
import { recordRun } from '../../src/core/record.js'
import { renderSummary, renderTable, type GateRow } from '../../src/core/summary.js'
import { canary } from '../../src/gates/canary/gate.js'
import { decide } from '../../src/gates/decide/index.js'
import { gates } from '../../src/gates/index.js'
import { keyRotation } from '../../src/gates/key-rotation/gate.js'

const NOW = Date.parse('2026-03-02T12:00:00Z')
const MIN = 60_000
const DAY = 86_400_000
const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
const dir = mkdtempSync(path.join(tmpdir(), 'cutover-summary-criteria-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ctx = (language: 'en' | 'tr' = 'en') =>
  defaultContext({ log: () => {}, cwd: dir, workspace: dir, now: () => new Date(NOW), language, catalog: gates })

async function gateRows(language: 'en' | 'tr' = 'en'): Promise<GateRow[]> {
  const inventory = path.join(dir, 'keys.json')
  writeFileSync(
    inventory,
    JSON.stringify([
      { name: 'psp-live-key', expires: new Date(NOW + 3 * DAY).toISOString() },
      { name: 'webhook-secret', expires: new Date(NOW + 200 * DAY).toISOString() },
    ]),
  )
  const windows = Array.from({ length: 2 }, (_, i) => ({
    start: new Date(NOW - (2 - i) * 5 * MIN).toISOString(),
    end: new Date(NOW - (1 - i) * 5 * MIN).toISOString(),
    canary: { requests: 3_000, errors: 1, p99: 235 },
    baseline: { requests: 27_000, errors: 5, p99: 230 },
  }))
  const evidence = path.join(dir, 'canary.json')
  writeFileSync(evidence, JSON.stringify({ windows }))
  const keys = await runGate(keyRotation, { inventory, 'fail-within': '2d', 'warn-within': '5d' }, ctx(language), { id: 'keys' })
  const green = await runGate(canary, { source: evidence, 'min-green-windows': '2', 'max-burst': '2x' }, ctx(language), { id: 'canary' })
  return [
    { result: keys, category: keyRotation.category, criteria: keyRotation.criteria[language] },
    { result: green, category: canary.category, criteria: canary.criteria[language] },
  ]
}

describe('the criteria column states the configured thresholds', () => {
  it('fail-within 2d and min-green-windows 2 are what the table says, not the runbook defaults', async () => {
    const rows = await gateRows()
    expect(rows[0].result.status).toBe('warn')
    expect(rows[1].result.status).toBe('pass')
    const md = renderSummary(rows, { language: 'en' })
    expect(md).toContain('| Security | Keys healthy (2+ days; warn under 5 days) | `keys` | ⚠️ WARN |')
    expect(md).toContain('| Canary | 2+ green windows (burst ≤ 2x, p99 ≤ baseline + 10%, errors ≤ 0.1%) | `canary` | ✅ PASS |')
    expect(md).not.toMatch(/7\+ days|3\+ green/)
    const text = renderTable(rows, 'en')
    expect(text).toMatch(/^keys\s+Keys healthy \(2\+ days; warn under 5 days\)\s+⚠️ WARN/m)
    expect(text).toMatch(/^canary\s+2\+ green windows/m)
  })

  it('each row carries the measured values, before any <details>', async () => {
    const md = renderSummary(await gateRows(), { language: 'en' })
    const folded = md.indexOf('<details>')
    const keysRow = md.split('\n').find((l) => l.includes('| `keys` |'))!
    expect(keysRow).toMatch(/psp-live-key: expires 2026-03-05T12:00:00Z \(3\.0 days left\)/)
    // The row is kept short enough for its notes to fit; every value is in the folded table.
    expect(keysRow.length).toBeLessThan(1000)
    expect(md.slice(folded)).toMatch(/\| `keys` \| \S+keys\.json: webhook-secret \| ✅ PASS \| expires .* \(200\.0 days left\) \|/)
    expect(md.indexOf(keysRow)).toBeLessThan(folded)
    const canaryRow = md.split('\n').find((l) => l.includes('| `canary` |'))!
    expect(canaryRow).toContain('green windows: 2 of 2 green windows in a row')
    expect(md.indexOf(canaryRow)).toBeLessThan(folded)
    expect(md).not.toContain('check(s)')
  })

  it("decide's job summary leads with its table, each gate's row saying what that gate measured under its configured criterion", async () => {
    const reports = path.join(dir, 'reports')
    const rows = await gateRows()
    await recordRun(
      rows.map((r) => ({ ...r, outputs: {} })),
      { redact: makeRedactor([]), reportDir: reports, subject: { sha: SHA }, language: 'en', rule: { allowWarn: true } },
    )
    const r = await runGate(decide, { reports, 'allow-warn': 'true', required: 'keys,canary', sha: SHA }, ctx(), { id: 'decide' })
    expect(r.outputs.decision).toBe('GO')
    const md = renderSummary([{ result: r, category: decide.category, criteria: decide.criteria.en }], { language: 'en' })
    const table = md.indexOf('| Category | Criteria | Status | Notes |')
    expect(table).toBeGreaterThan(0)
    expect(table).toBeLessThan(md.indexOf('<details>'))
    expect(md.indexOf('- [x] **GO**')).toBeLessThan(md.indexOf('<details>'))
    expect(md).toContain(
      '| **Canary** | 2+ green windows (burst ≤ 2x, p99 ≤ baseline + 10%, errors ≤ 0.1%) (`canary`) | ✅ GO | green windows: 2 of 2 green windows in a row',
    )
    expect(md).toContain('| **Security** | Keys healthy (2+ days; warn under 5 days) (`keys`) | ⚠️ GO (warning) |')
    // decide's bookkeeping is folded with every other check, not in the decision rows.
    const headline = md.slice(0, md.indexOf('<details>'))
    expect(headline).not.toMatch(/pass, commit \w+, run none/)
    expect(headline).not.toMatch(/Hashed .* MB\/s/)
    // The timeline, folded, draws the gates' own start and length.
    expect(md).toMatch(/keys T-0s, 0ms :active, g\d+, \d+, \d+/)
  })
})
