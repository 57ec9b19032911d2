// The one recording pipeline (src/core/record.ts): redact → report → ledger → summary, as the
// actions, `cutover check` and `cutover rehearse` all use it.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LEDGER_FILE, verifyLedger } from '../../src/core/ledger.js'
import { recordRun, type RecordRow } from '../../src/core/record.js'
import { makeRedactor } from '../../src/core/redact.js'
import { check, type GateResult } from '../../src/core/result.js'

const SECRET = 'sk_live_planted_0123456789'
const dir = mkdtempSync(path.join(tmpdir(), 'record-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function row(id: string, message: string, inputError = false): RecordRow {
  const result: GateResult & { outputs: Record<string, string>; inputError: boolean } = {
    id,
    gate: 'readyz',
    status: 'fail',
    summary: `${id}: FAIL: ${message}`,
    checks: [check('fail', 'probe', 'HTTP 503', 'HTTP 200', message)],
    metrics: {},
    startedAt: '2026-03-14T09:00:00.000Z',
    finishedAt: '2026-03-14T09:00:01.000Z',
    durationMs: 1000,
    outputs: { echo: message },
    inputError,
  }
  return { result, category: 'Infrastructure', criteria: 'Readyz healthy', outputs: result.outputs, inputError }
}

const options = (reportDir: string) => ({
  redact: makeRedactor([SECRET]),
  reportDir,
  subject: { sha: 'a'.repeat(40), runId: '1' },
  language: 'en' as const,
  rule: { allowWarn: false },
})

describe('recordRun', () => {
  it('masks before anything is written, writes a report per measured gate and records it in the ledger', async () => {
    const out = path.join(dir, 'reports')
    const r = await recordRun([row('api', `the server said ${SECRET}`), row('web', 'bad input', true)], options(out))
    expect(r.unsaved).toBeUndefined()
    expect(r.reports[0]).toBe(path.join(out, 'api.json'))
    expect(r.reports[1]).toBeUndefined()
    expect(readdirSync(out).sort()).toEqual(['api.json', LEDGER_FILE])
    const written = readFileSync(path.join(out, 'api.json'), 'utf8')
    expect(written).not.toContain(SECRET)
    expect(written).toContain('the server said ***')
    // The runner's own fields stay out of the report.
    expect(JSON.parse(written)).not.toHaveProperty('outputs')
    expect(JSON.parse(written)).not.toHaveProperty('inputError')
    expect(await verifyLedger(path.join(out, LEDGER_FILE))).toMatchObject({ ok: true, records: 1 })
    expect(r.rows[0].result.checks[0].message).toBe('the server said ***')
    expect(r.summary).toContain('❌ NO-GO')
    expect(r.summary).not.toContain(SECRET)
  })

  it('a folder that cannot take the reports loses nothing measured and says why', async () => {
    const blocked = path.join(dir, 'a-file')
    writeFileSync(blocked, 'not a folder')
    const r = await recordRun([row('api', `again ${SECRET}`)], options(blocked))
    expect(r.unsaved).toMatch(/could not take the reports \(cannot write the report .*a-file.*\)|has a file where a folder/)
    expect(r.error).toBeDefined()
    expect(r.rows).toHaveLength(1)
    expect(r.rows[0].result.summary).toBe('api: FAIL: again ***')
  })
})
