import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { Check } from '../../../src/core/result.js'
import { InputFormError } from '../../../src/core/units.js'
import type { Bundle } from '../../../src/gates/decide/bundle.js'
import { classify } from '../../../src/gates/decide/reports.js'
import { approvalRecords, parseRequired, parseSha } from '../../../src/gates/decide/spec.js'
import { DECIDED_AT, OTHER_SHA, REPO, RUN_ID, SHA, SUBJECT, readJson, runDecide, sha256sum, tempDir, writeReports } from './support.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function workspace(): string {
  const t = tempDir()
  cleanups.push(t.cleanup)
  return t.dir
}

const HMAC = 'hmac-key-for-tests-0123456789abcdef'
const reportsOf = (ws: string) => path.join(ws, 'cutover-reports')
const bundleOf = (ws: string) => readJson<Bundle>(path.join(reportsOf(ws), 'cutover-summary.json'))
const checkNamed = (r: { checks: Check[] }, name: string) => r.checks.find((c) => c.name === name)

const PREFLIGHT = [
  { id: 'api-readyz', gate: 'readyz', startMin: 55, durationS: 12 },
  { id: 'rc-proof', gate: 'evidence', startMin: 50, durationS: 40 },
  { id: 'dr', gate: 'dr-drill', startMin: 45, durationS: 600 },
  { id: 'canary', gate: 'canary', startMin: 10, durationS: 300 },
]

/** What decide shows: the headline (unfolded in the job summary), then the details. */
const shown = (r: { headline?: string; details?: string }) => `${r.headline ?? ''}\n${r.details ?? ''}`

describe('decide: complete reports', () => {
  it('is GO when every required gate of this commit and run passed, and writes the bundle with every report hashed', async () => {
    const ws = workspace()
    const files = await writeReports(reportsOf(ws), PREFLIGHT)
    const r = await runDecide(ws, { required: 'api-readyz\nrc-proof\ndr\ncanary', 'hmac-key': HMAC })

    expect(r.status).toBe('pass')
    expect(r.outputs.decision).toBe('GO')
    expect(r.outputs.bundle).toBe('cutover-reports/cutover-summary.json')
    const bundleFile = path.join(ws, r.outputs.bundle)
    expect(r.outputs.digest).toBe(`sha256:${sha256sum(bundleFile)}`)

    const b = bundleOf(ws)
    expect(b.decision).toBe('GO')
    expect(b.status).toBe('pass')
    expect(b.decidedAt).toBe(DECIDED_AT.toISOString())
    expect(b.reasons).toEqual([])
    expect(b.subject).toEqual(SUBJECT)
    // Every report, pinned by the SHA-256 that sha256sum computes of the file on disk.
    expect(b.reports.map((x) => x.id).sort()).toEqual(['api-readyz', 'canary', 'dr', 'rc-proof'])
    for (const file of files) {
      const entry = b.reports.find((x) => x.file === path.basename(file))
      expect(entry?.sha256).toBe(sha256sum(file))
      expect(entry?.status).toBe('pass')
    }
    // The timeline: every gate's start and finish, in the order they started.
    expect(b.timeline.map((t) => t.id)).toEqual(['api-readyz', 'rc-proof', 'dr', 'canary'])
    expect(b.timeline[2]).toEqual({ id: 'dr', start: '2026-03-14T09:15:00.000Z', finish: '2026-03-14T09:25:00.000Z', status: 'pass' })
    expect(b.signature?.alg).toBe('hmac-sha256')
    expect(b.approvals).toEqual([])
    // Its own checks: folder, subjects, one per report, required, signature, bundle.
    expect(checkNamed(r, 'commit and run')?.observed).toBe(`commit ${SHA.slice(0, 12)}, run ${RUN_ID}, attempt 1`)
    expect(checkNamed(r, 'required gates')?.status).toBe('pass')
    expect(r.metrics).toMatchObject({ reports: 4, passed: 4, warned: 0, failed: 0, reasons: 0 })
  })

  it('shows the runbook decision table and the timeline as a Mermaid gantt with T-marks', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), PREFLIGHT)
    const r = await runDecide(ws, { required: 'api-readyz,rc-proof,dr,canary', 'hmac-key': HMAC })
    const d = shown(r)
    // The table is the headline, which the job summary shows unfolded; the timeline is in the details.
    expect(r.headline).toContain('| Category | Criteria | Status | Notes |')
    expect(r.details).toContain('```mermaid\ngantt')
    expect(d).toContain('| Category | Criteria | Status | Notes |')
    expect(d).toMatch(/\| \*\*Infrastructure\*\* \| Readyz healthy \(`api-readyz`\) \| ✅ GO \|/)
    expect(d).toContain('- [x] **GO**: All criteria met, proceed with cutover')
    expect(d).toContain('- [ ] **NO-GO**')
    expect(d).toContain('```mermaid\ngantt')
    expect(d).toContain('dateFormat x')
    expect(d).toContain('axisFormat %H:%M:%S')
    // dr ran from T-45m for 10 minutes; readyz (a registered gate) sits in its category's section.
    const ms = (iso: string) => Date.parse(iso)
    expect(d).toContain(`dr T-45m00s, 10m :done, g3, ${ms('2026-03-14T09:15:00Z')}, ${ms('2026-03-14T09:25:00Z')}`)
    expect(d).toMatch(
      new RegExp(
        `section Infrastructure\\n {2}api-readyz T-55m00s, 12s :done, g\\d+, ${ms('2026-03-14T09:05:00Z')}, ${ms('2026-03-14T09:05:12Z')}`,
      ),
    )
    expect(d).toContain(`GO T-0 :milestone, decision, ${ms('2026-03-14T10:00:00Z')}, ${ms('2026-03-14T10:00:00Z') + 1}`)
    expect(d).not.toContain(':crit')
  })

  it('accepts a report from an earlier attempt of this run (a re-run keeps the jobs that passed)', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [
      { id: 'a', subject: { ...SUBJECT, runAttempt: '1' } },
      { id: 'b', subject: { ...SUBJECT, runAttempt: '2' } },
    ])
    const r = await runDecide(
      ws,
      { required: 'a,b', 'hmac-key': HMAC },
      { env: { GITHUB_SHA: SHA, GITHUB_RUN_ID: RUN_ID, GITHUB_RUN_ATTEMPT: '2' } },
    )
    expect(r.status).toBe('pass')
    expect(checkNamed(r, 'a')?.message).toContain('from attempt 1, kept by this re-run')
    expect(checkNamed(r, 'commit and run')?.observed).toContain('attempts 1, 2')
  })
})

describe('decide: NO-GO', () => {
  it('is NO-GO when a required gate has no report, naming it', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), PREFLIGHT.slice(0, 2))
    const r = await runDecide(ws, { required: 'api-readyz\nrc-proof\ndr', 'hmac-key': HMAC })
    expect(r.status).toBe('fail')
    expect(r.outputs.decision).toBe('NO-GO')
    const c = checkNamed(r, 'dr')
    expect(c?.status).toBe('fail')
    expect(c?.message).toContain('Required gate `dr` has no report (cutover-reports/dr.json is missing; present: api-readyz, rc-proof)')
    const b = bundleOf(ws)
    expect(b.decision).toBe('NO-GO')
    expect(b.reasons).toEqual([c?.message])
    expect(shown(r)).toContain('❌ NO-GO')
    expect(shown(r)).toContain('| **—** | Required gate ran (`dr`) | ❌ NO-GO |')
  })

  it('is NO-GO on a report from another commit (stale), naming both commits', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'api' }, { id: 'old', subject: { ...SUBJECT, sha: OTHER_SHA } }])
    const r = await runDecide(ws, { required: 'api,old', 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    const c = checkNamed(r, 'old')
    expect(c?.status).toBe('fail')
    expect(c?.observed).toMatch(/^stale: /)
    expect(c?.message).toBe(
      `\`old\` is stale: it is from commit ${OTHER_SHA.slice(0, 12)}, not ${SHA.slice(0, 12)}. Run the gate again in this run for this commit, then decide again.`,
    )
    expect(c?.location).toEqual({ path: 'cutover-reports/old.json' })
    expect(checkNamed(r, 'api')?.status).toBe('pass')
  })

  it('is NO-GO on a report from another workflow run, and on one that names no run', async () => {
    const ws = workspace()
    const { runId: _r, ...noRun } = SUBJECT
    await writeReports(reportsOf(ws), [
      { id: 'api' },
      { id: 'yesterday', subject: { ...SUBJECT, runId: '8000' } },
      { id: 'local', subject: noRun },
    ])
    const r = await runDecide(ws, { 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(checkNamed(r, 'yesterday')?.message).toContain(`it is from workflow run 8000, not this run ${RUN_ID}`)
    expect(checkNamed(r, 'local')?.message).toContain(`it names no workflow run, and this is run ${RUN_ID}`)
  })

  it('is NO-GO on a report from a later attempt than this one, or from another repository', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [
      { id: 'future', subject: { ...SUBJECT, runAttempt: '3' } },
      { id: 'fork', subject: { ...SUBJECT, repository: 'someone/else' } },
      { id: 'odd', subject: { ...SUBJECT, runAttempt: 'x' } },
    ])
    const r = await runDecide(ws, { 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(checkNamed(r, 'future')?.message).toContain('it is from attempt 3, after this attempt 1')
    expect(checkNamed(r, 'fork')?.message).toContain(`it is from repository someone/else, not ${REPO}`)
    expect(checkNamed(r, 'odd')?.message).toContain('its run attempt "x" is not a number')
  })

  it('judges the commit given as `sha` over the run commit', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'api', subject: { ...SUBJECT, sha: OTHER_SHA } }])
    const r = await runDecide(ws, { sha: OTHER_SHA.toUpperCase(), 'hmac-key': HMAC, required: 'api' })
    expect(r.outputs.decision).toBe('GO')
    expect(bundleOf(ws).subject.sha).toBe(OTHER_SHA)
  })

  it('is NO-GO on a failed gate even with allow-warn ("Canary FAIL = NO-GO"), marking it crit in the gantt', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'api' }, { id: 'canary', gate: 'canary', status: 'fail', startMin: 5 }])
    const r = await runDecide(ws, { 'allow-warn': 'true', required: 'api,canary', 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    const c = checkNamed(r, 'canary')
    expect(c?.message).toBe(
      '`canary` failed: answered 503, the fail reason. A failed gate is NO-GO, with no exceptions: fix it and run the gate again.',
    )
    expect(shown(r)).toMatch(/canary T-5m00s, 20s :crit, g\d+,/)
    expect(shown(r)).toContain('NO-GO T-0 :milestone, crit, decision,')
    expect(shown(r)).toContain('- [x] **NO-GO**')
  })

  it('is NO-GO with zero reports, and when the folder does not exist', async () => {
    const ws = workspace()
    const missing = await runDecide(ws, { 'hmac-key': HMAC })
    expect(missing.outputs.decision).toBe('NO-GO')
    expect(checkNamed(missing, 'reports folder')?.message).toContain('The reports folder cutover-reports does not exist')

    // The first run made the folder to write its bundle in: now it holds no gate report.
    const empty = await runDecide(ws, { 'hmac-key': HMAC })
    expect(empty.outputs.decision).toBe('NO-GO')
    expect(checkNamed(empty, 'reports folder')?.message).toContain(
      'cutover-reports holds no gate reports: nothing was measured, so nothing can be GO',
    )
    // The bundle records the NO-GO too.
    expect(bundleOf(ws).decision).toBe('NO-GO')
    expect(bundleOf(ws).reports).toEqual([])
  })

  it('is NO-GO on every unreadable report, each with its reason, and still pins their hashes', async () => {
    const ws = workspace()
    const dir = reportsOf(ws)
    await writeReports(dir, [{ id: 'api' }])
    writeFileSync(path.join(dir, 'garbage.json'), '{"id": "garbage", ')
    writeFileSync(path.join(dir, 'shape.json'), JSON.stringify({ schemaVersion: 1, id: 'shape', status: 'ok' }))
    writeFileSync(path.join(dir, 'future.json'), JSON.stringify({ schemaVersion: 2, id: 'future' }))
    writeFileSync(path.join(dir, 'copied.json'), readFileSync(path.join(dir, 'api.json')))
    mkdirSync(path.join(dir, 'folder.json'))
    const r = await runDecide(ws, { 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(checkNamed(r, 'garbage')?.message).toMatch(/^cutover-reports\/garbage\.json cannot be used: it is not valid JSON \(/)
    expect(checkNamed(r, 'shape')?.message).toContain('it is not a gate report: `gate`: ')
    expect(checkNamed(r, 'shape')?.message).toContain('`status`: ')
    expect(checkNamed(r, 'future')?.message).toContain('its schemaVersion is 2; this version of decide reads 1')
    expect(checkNamed(r, 'copied')?.message).toContain('its id is `api`, but a report is named `<id>.json`: it was renamed or copied')
    expect(checkNamed(r, 'folder')?.message).toContain('it is not a regular file')
    const b = bundleOf(ws)
    expect(b.reports.find((x) => x.id === 'garbage')).toMatchObject({ status: 'fail', sha256: sha256sum(path.join(dir, 'garbage.json')) })
    expect(b.reasons).toHaveLength(5 + 1 + 1) // five unreadable files, no `required` list, and a ledger that records none of them
  })

  it('is NO-GO on a report whose status does not add up to its checks (edited after the gate wrote it)', async () => {
    const ws = workspace()
    const [file] = await writeReports(reportsOf(ws), [{ id: 'api', status: 'fail' }])
    const report = readJson<Record<string, unknown>>(file)
    writeFileSync(file, JSON.stringify({ ...report, status: 'pass' }, null, 2))
    const r = await runDecide(ws, { required: 'api', 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(checkNamed(r, 'api')?.message).toBe(
      '`api` says "pass" but its 1 checks add up to "fail": the report was edited after the gate wrote it. Run the gate again.',
    )
  })

  it('is NO-GO when the approvals asked for cannot be recorded', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'api' }])
    for (const [approvals, why] of [
      ['approvals.json', 'the approvals file approvals.json does not exist'],
      ['{"approvals": [1]}', 'record 1 is not a JSON object'],
      ['[not json', 'the inline `approvals` is not valid JSON'],
    ]) {
      const r = await runDecide(ws, { required: 'api', 'hmac-key': HMAC, approvals })
      expect(r.outputs.decision).toBe('NO-GO')
      expect(checkNamed(r, 'recorded approvals')?.message).toContain(why)
    }
  })
})

describe('decide: warnings', () => {
  it('is NO-GO on a warned gate without allow-warn, saying how to accept it', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'api' }, { id: 'keys', gate: 'key-rotation', status: 'warn' }])
    const r = await runDecide(ws, { required: 'api,keys', 'hmac-key': HMAC })
    expect(r.status).toBe('fail')
    expect(r.outputs.decision).toBe('NO-GO')
    expect(checkNamed(r, 'keys')?.message).toBe(
      '`keys` warned: answered 503, the warn reason. NO-GO because `allow-warn` is false: fix what it warns about, or set `allow-warn: true` to accept warnings.',
    )
  })

  it('is GO with warnings (status warn) on a warned gate with allow-warn', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'api' }, { id: 'keys', gate: 'key-rotation', status: 'warn' }])
    const r = await runDecide(ws, { required: 'api,keys', 'allow-warn': 'true', 'hmac-key': HMAC })
    expect(r.status).toBe('warn')
    expect(r.outputs.decision).toBe('GO')
    expect(checkNamed(r, 'keys')?.status).toBe('warn')
    const b = bundleOf(ws)
    expect(b).toMatchObject({ decision: 'GO', status: 'warn' })
    expect(b.reasons).toEqual([checkNamed(r, 'keys')?.message])
    expect(shown(r)).toContain('- [x] **GO**')
    expect(shown(r)).toMatch(/keys T-30m00s, 20s :active, /)
  })

  it('is NO-GO when no `required` list is given (GO with warnings only under allow-warn); an unsigned bundle is stated, not judged', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'api' }])
    const r = await runDecide(ws)
    expect(r.status).toBe('fail')
    expect(r.outputs.decision).toBe('NO-GO')
    expect(checkNamed(r, 'required gates')?.message).toContain('a gate that never ran would go unnoticed')
    const accepted = await runDecide(ws, { 'allow-warn': 'true' })
    expect(accepted.status).toBe('warn')
    expect(accepted.outputs.decision).toBe('GO')
    expect(checkNamed(accepted, 'bundle signature')).toBeUndefined()
    expect(shown(accepted)).toContain('**Signature:** unsigned')
    expect(bundleOf(ws).signature).toBeUndefined()
  })
})

describe('decide: the folder and the bundle', () => {
  it("leaves out decide's own report and earlier bundles, and writes the bundle where `bundle` says", async () => {
    const ws = workspace()
    const dir = reportsOf(ws)
    await writeReports(dir, [{ id: 'api' }, { id: 'decide', gate: 'decide', status: 'fail' }])
    const first = await runDecide(ws, { required: 'api', 'hmac-key': HMAC, bundle: 'cutover-reports/first.json' })
    expect(first.outputs.decision).toBe('GO')
    const second = await runDecide(ws, { required: 'api', 'hmac-key': HMAC, bundle: 'out/final.json' })
    expect(second.outputs.decision).toBe('GO')
    expect(second.outputs.bundle).toBe('out/final.json')
    const b = readJson<Bundle>(path.join(ws, 'out/final.json'))
    expect(b.reports.map((x) => x.file)).toEqual(['../cutover-reports/api.json'])
    expect(shown(second)).toContain('`cutover-reports/decide.json` (it is a decide report)')
    expect(shown(second)).toContain('`cutover-reports/first.json` (it is a decide bundle, not a gate report)')
  })

  it('records approvals given inline or as a file, and leaves the file out of the reports', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'api' }])
    const approvals = [
      { user: 'ops-lead', environments: ['production'], state: 'approved', comment: 'GO', recordedAt: '2026-03-14T09:58:00Z' },
    ]
    writeFileSync(path.join(reportsOf(ws), 'approvals.json'), JSON.stringify({ approvals }))
    const fromFile = await runDecide(ws, { required: 'api', 'hmac-key': HMAC, approvals: 'cutover-reports/approvals.json' })
    expect(fromFile.outputs.decision).toBe('GO')
    expect(bundleOf(ws).approvals).toEqual(approvals)
    expect(bundleOf(ws).reports.map((x) => x.id)).toEqual(['api'])
    expect(shown(fromFile)).toContain('**Recorded approvals (1):**')
    expect(shown(fromFile)).toContain('| @ops-lead | approved | production | GO | 2026-03-14T09:58:00Z |')

    rmSync(path.join(reportsOf(ws), 'approvals.json'))
    const inline = await runDecide(ws, { required: 'api', 'hmac-key': HMAC, approvals: JSON.stringify(approvals[0]) })
    expect(inline.outputs.decision).toBe('GO')
    expect(bundleOf(ws).approvals).toEqual(approvals)
  })

  it('is NO-GO when the bundle cannot be written, with empty bundle and digest outputs', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'api' }])
    writeFileSync(path.join(ws, 'blocker'), 'a file where a folder should be')
    const r = await runDecide(ws, { required: 'api', 'hmac-key': HMAC, bundle: 'blocker/summary.json' })
    expect(r.outputs).toEqual({ decision: 'NO-GO', bundle: '', digest: '', attestation: '' })
    expect(checkNamed(r, 'evidence bundle')?.message).toContain(
      'The evidence bundle blocker/summary.json has a file where a folder of its path should be (EEXIST): without it there is no record',
    )
  })

  it('without a run to compare with (a local run), needs the reports to agree on one commit and run', async () => {
    const ws = workspace()
    await writeReports(reportsOf(ws), [{ id: 'a' }, { id: 'b' }])
    const agree = await runDecide(ws, { required: 'a,b', 'hmac-key': HMAC }, { env: {} })
    expect(agree.outputs.decision).toBe('GO')
    expect(checkNamed(agree, 'commit and run')?.message).toContain('as the reports agree among themselves')

    await writeReports(reportsOf(ws), [{ id: 'b', subject: { ...SUBJECT, sha: OTHER_SHA, runId: '1' } }])
    const mixed = await runDecide(ws, { required: 'a,b', 'hmac-key': HMAC }, { env: {} })
    expect(mixed.outputs.decision).toBe('NO-GO')
    expect(checkNamed(mixed, 'commit and run')?.message).toBe(
      `The reports are not from one release: commits disagree: ${SHA.slice(0, 12)} for a; ${OTHER_SHA.slice(0, 12)} for b; runs disagree: ${RUN_ID} for a; 1 for b. Give \`sha\` to say which commit is being cut over, and decide on the reports of one run.`,
    )
  })
})

describe('decide: inputs', () => {
  it('refuses bad inputs with a sentence naming the input, as a fail without a bundle', async () => {
    const ws = workspace()
    const r = await runDecide(ws, { required: 'api, ../etc', sha: 'abc123', 'allow-warn': 'maybe' })
    expect(r.status).toBe('fail')
    expect(r.inputError).toBe(true)
    const messages = r.checks.map((c) => c.message).join('\n')
    expect(messages).toContain('input `required`: "../etc" is not valid')
    expect(messages).toContain('input `sha`: "abc123" is not valid; expected a full commit SHA')
    expect(messages).toContain('input `allow-warn`: "maybe" is not valid; expected true or false')
  })

  it('parseRequired takes ids one per line or comma-separated; arbitrary text gives a typed error or valid ids', () => {
    expect(parseRequired('a\nb, c\n\na')).toEqual(['a', 'b', 'c'])
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        try {
          const ids = parseRequired(s)
          expect(ids.length).toBeGreaterThan(0)
          for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/)
        } catch (err) {
          expect(err).toBeInstanceOf(InputFormError)
        }
      }),
    )
  })

  it('parseSha takes 40 or 64 hex digits only; arbitrary text gives a typed error', () => {
    expect(parseSha(` ${SHA.toUpperCase()} `)).toBe(SHA)
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        try {
          expect(parseSha(s)).toMatch(/^([0-9a-f]{40}|[0-9a-f]{64})$/)
        } catch (err) {
          expect(err).toBeInstanceOf(InputFormError)
        }
      }),
    )
  })

  it('approvalRecords and the report reader classify any JSON value without throwing, and never accept a non-report', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const a = approvalRecords(v)
        if (typeof a !== 'string') for (const x of a) expect(typeof x === 'object' && x !== null && !Array.isArray(x)).toBe(true)
        const c = classify(v)
        if ('report' in c) expect(c.report.checks).toBeInstanceOf(Array)
      }),
    )
  })

  it('arbitrary bytes as a report file are a fail naming the file, never a crash and never GO', async () => {
    const ws = workspace()
    const dir = reportsOf(ws)
    mkdirSync(dir)
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        writeFileSync(path.join(dir, 'x.json'), bytes)
        const r = await runDecide(ws, { required: 'x', 'hmac-key': HMAC })
        expect(r.outputs.decision).toBe('NO-GO')
        expect(checkNamed(r, 'x')?.status).toBe('fail')
      }),
      { numRuns: 60 },
    )
  })
})
