// One hash chain across the jobs of a run: each job's ledger starts from the head of the job
// before it (CUTOVER_LEDGER_PREV), decide links them and the bundle names the final head. A
// record reordered, dropped or edited in a middle job is caught, by decide and offline by
// `bundle verify`.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { GENESIS, LEDGER_FILE, ledgerStartFromEnv, verifyLedger, type LedgerRecord } from '../../../src/core/ledger.js'
import { writeReport } from '../../../src/core/report.js'
import type { Bundle } from '../../../src/gates/decide/bundle.js'
import { verifyBundle } from '../../../src/gates/decide/verify.js'
import { SUBJECT, readJson, result, runDecide, tempDir, type ReportSpec } from './support.js'

const HMAC = 'chain-test-hmac-key-0123456789abc'
let ws: string
const JOBS = ['a-preflight', 'b-promote', 'c-verify'] as const
const dir = (job: string) => path.join(ws, 'evidence', job)
const ledger = (job: string) => path.join(dir(job), LEDGER_FILE)
const lines = (job: string) => readFileSync(ledger(job), 'utf8').trimEnd().split('\n')
const records = (job: string) => lines(job).map((l) => JSON.parse(l) as LedgerRecord)
const bundleFile = () => path.join(ws, 'evidence', 'cutover-summary.json')
const REQUIRED = 'api,db,canary-25,canary-50,smoke,health'
const inputs = { reports: 'evidence/*', bundle: 'evidence/cutover-summary.json', required: REQUIRED, 'hmac-key': HMAC }

/** Each job writes its reports in order; every job after the first continues the head before it. */
async function runJobs(plan: Record<(typeof JOBS)[number], ReportSpec[]>) {
  let head: string | undefined
  for (const job of JOBS) {
    for (const spec of plan[job]) await writeReport(dir(job), result(spec), SUBJECT, head ? { ledgerStart: head } : {})
    head = (await verifyLedger(ledger(job), { start: head ?? GENESIS })).lastHash
  }
}

beforeEach(async (t) => {
  const d = tempDir()
  ws = d.dir
  t.onTestFinished(d.cleanup)
  await runJobs({
    'a-preflight': [{ id: 'api' }, { id: 'db' }],
    'b-promote': [
      { id: 'canary-25', gate: 'canary', startMin: 20 },
      { id: 'canary-50', gate: 'canary', startMin: 15 },
    ],
    'c-verify': [
      { id: 'smoke', startMin: 10 },
      { id: 'health', startMin: 5 },
    ],
  })
})

describe('one chain across the jobs of a run', () => {
  it("each job's first record names the previous job's head, and the bundle names the final head", async () => {
    expect(records('a-preflight')[0].prev).toBe(GENESIS)
    expect(records('b-promote')[0].prev).toBe(records('a-preflight').at(-1)?.hash)
    expect(records('c-verify')[0].prev).toBe(records('b-promote').at(-1)?.hash)
    const r = await runDecide(ws, inputs)
    expect(r.outputs.decision).toBe('GO')
    expect(r.checks.find((c) => c.name === 'ledger links')?.status).toBe('pass')
    const b = readJson<Bundle>(bundleFile())
    expect(b.chainHead).toBe(records('c-verify').at(-1)?.hash)
    expect(b.ledgers.map((p) => p.file)).toEqual(JOBS.map((j) => `${j}/${LEDGER_FILE}`))
    expect(b.ledgers.map((p) => p.prev)).toEqual([GENESIS, records('a-preflight')[1].hash, records('b-promote')[1].hash])
    expect((await verifyBundle(bundleFile(), { hmacKey: HMAC })).problems).toEqual([])
  })

  it('a middle job whose records were reordered is NO-GO, and caught offline after a GO', async () => {
    await runDecide(ws, inputs)
    const [x, y] = lines('b-promote')
    writeFileSync(ledger('b-promote'), `${y}\n${x}\n`)
    const v = await verifyBundle(bundleFile(), { hmacKey: HMAC })
    expect(v.problems.join('\n')).toMatch(/b-promote\/ledger\.jsonl/)
    const r = await runDecide(ws, { ...inputs, bundle: 'evidence/again.json' })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'ledger chain' && c.status === 'fail')?.message).toMatch(/b-promote\/ledger\.jsonl is broken/)
  })

  it("a middle job's last record dropped (its report with it) breaks the link to the next job", async () => {
    await runDecide(ws, inputs)
    writeFileSync(ledger('b-promote'), lines('b-promote')[0] + '\n')
    rmSync(path.join(dir('b-promote'), 'canary-50.json'))
    const v = await verifyBundle(bundleFile(), { hmacKey: HMAC })
    expect(v.problems).toContain(
      'the ledger b-promote/ledger.jsonl holds 1 records, fewer than the 2 the bundle pinned: records were removed from its end',
    )
    // Decided again on what is left: the verify job continues a head no ledger ends any more.
    const r = await runDecide(ws, { ...inputs, required: 'api,db,canary-25,smoke,health', bundle: 'evidence/again.json' })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'ledger links')?.message).toMatch(
      /the ledger c-verify\/ledger\.jsonl continues the head [0-9a-f]{12}, which is the last record of no ledger here/,
    )
  })

  it("a middle job's first record dropped is caught: what is left does not start where the job started", async () => {
    writeFileSync(ledger('b-promote'), lines('b-promote')[1] + '\n')
    rmSync(path.join(dir('b-promote'), 'canary-25.json'))
    const r = await runDecide(ws, { ...inputs, required: 'api,db,canary-50,smoke,health' })
    expect(r.outputs.decision).toBe('NO-GO')
    const msg = r.checks
      .filter((c) => c.status === 'fail')
      .map((c) => c.message)
      .join('\n')
    expect(msg).toMatch(/b-promote\/ledger\.jsonl is broken: record seq 2 \(line 1\) is out of sequence: expected seq 1/)
  })

  it('a record edited in a middle job is NO-GO, and caught offline after a GO', async () => {
    await runDecide(ws, inputs)
    const l = lines('b-promote')
    writeFileSync(ledger('b-promote'), [l[0].replace('"status":"pass"', '"status":"warn"'), l[1]].join('\n') + '\n')
    expect((await verifyBundle(bundleFile(), { hmacKey: HMAC })).problems.join('\n')).toMatch(/b-promote\/ledger\.jsonl/)
    const r = await runDecide(ws, { ...inputs, bundle: 'evidence/again.json' })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'ledger chain' && c.status === 'fail')?.message).toMatch(
      /b-promote\/ledger\.jsonl is broken: record seq 1 \(line 1\) was edited/,
    )
  })

  it('a whole middle job missing is NO-GO: the next job continues a head that is not there', async () => {
    rmSync(dir('b-promote'), { recursive: true })
    const r = await runDecide(ws, { ...inputs, required: 'api,db,smoke,health' })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'ledger links')?.status).toBe('fail')
  })

  it('the bundle cannot reorder its ledgers, or name another head, without verify saying so', async () => {
    await runDecide(ws, inputs)
    const b = readJson<Bundle>(bundleFile())
    const swapped = { ...b, ledgers: [b.ledgers[1], b.ledgers[0], b.ledgers[2]] }
    writeFileSync(bundleFile(), JSON.stringify(swapped, null, 2) + '\n')
    expect((await verifyBundle(bundleFile(), { hmacKey: HMAC })).problems).toContain(
      "the bundle lists the run's ledgers out of their chain order: the list of ledgers was edited",
    )
    const head = { ...b, chainHead: b.ledgers[1].lastHash }
    writeFileSync(bundleFile(), JSON.stringify(head, null, 2) + '\n')
    expect((await verifyBundle(bundleFile(), { hmacKey: HMAC })).problems.join('\n')).toMatch(
      /the bundle's chainHead [0-9a-f]{64} is not the last hash of the run's chain/,
    )
  })

  it('`ledger-chain: separate` refuses ledgers that continue another, rather than hide the link', async () => {
    const r = await runDecide(ws, { ...inputs, 'ledger-chain': 'separate' })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'ledger links')?.message).toMatch(/continue the head of another ledger/)
  })
})

describe('CUTOVER_LEDGER_PREV', () => {
  it('unset or empty starts a new chain; a head is taken; anything else is refused without quoting a long value', () => {
    expect(ledgerStartFromEnv({})).toEqual({})
    expect(ledgerStartFromEnv({ CUTOVER_LEDGER_PREV: '  ' })).toEqual({})
    expect(ledgerStartFromEnv({ CUTOVER_LEDGER_PREV: 'a'.repeat(64) })).toEqual({ start: 'a'.repeat(64) })
    expect(ledgerStartFromEnv({ CUTOVER_LEDGER_PREV: 'A'.repeat(64) }).problem).toMatch(/64 lowercase hex digits/)
    expect(ledgerStartFromEnv({ CUTOVER_LEDGER_PREV: 'x'.repeat(200) }).problem).toMatch(/holds 200 characters$/)
  })
})
