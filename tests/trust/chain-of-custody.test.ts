// Issue 11, "Chain of custody in decide": one test per hole, each on real files written by the
// real report writer and ledger, then the bundle as `cutover bundle verify` checks it.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { copyFileSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Bundle } from '../../src/gates/decide/bundle.js'
import { verifyBundle } from '../../src/gates/decide/verify.js'
import { LEDGER_FILE, appendLedger } from '../../src/core/ledger.js'
import type { Check } from '../../src/core/result.js'
import { DECIDED_AT, SUBJECT, readJson, runDecide, tempDir, writeReports } from '../gates/decide/support.js'

const HMAC = 'custody-hmac-key-0123456789abcdef'
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function workspace(): { ws: string; dir: string; file: (id: string) => string } {
  const t = tempDir()
  cleanups.push(t.cleanup)
  const dir = path.join(t.dir, 'cutover-reports')
  return { ws: t.dir, dir, file: (id) => path.join(dir, `${id}.json`) }
}

const named = (r: { checks: Check[] }, name: string) => r.checks.find((c) => c.name === name)
const reasons = (r: { checks: Check[] }) => r.checks.filter((c) => c.status !== 'pass').map((c) => c.message)

describe('chain of custody: every record has its report, every report its record', () => {
  it('a recorded failure whose report was deleted is NO-GO, even with `required` naming only the other gates', async () => {
    const { ws, dir, file } = workspace()
    await writeReports(dir, [{ id: 'api' }, { id: 'keys', gate: 'key-rotation', status: 'fail' }, { id: 'dr', gate: 'dr-drill' }])
    rmSync(file('keys'))
    const r = await runDecide(ws, { required: 'api,dr', 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(named(r, 'ledger chain')?.message).toBe(
      'The reports in cutover-reports are not what cutover-reports/ledger.jsonl recorded: `keys` was recorded as FAIL (seq 2, 2026-03-14T09:30:20.000Z) but its report keys.json is gone: a report was deleted. That is NO-GO: run the gates again into a fresh folder.',
    )
  })

  it('a passing report copied in, never recorded, is NO-GO', async () => {
    const { ws, dir, file } = workspace()
    await writeReports(dir, [{ id: 'api' }])
    await writeReports(path.join(ws, 'yesterday'), [{ id: 'smoke' }])
    copyFileSync(path.join(ws, 'yesterday', 'smoke.json'), file('smoke'))
    const r = await runDecide(ws, { required: 'api,smoke', 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(named(r, 'ledger chain')?.message).toContain('`smoke` was never recorded: it was copied in, not written by a gate here')
  })

  it('a folder whose ledger.jsonl was deleted is NO-GO (the ledger check is not skipped)', async () => {
    const { ws, dir } = workspace()
    await writeReports(dir, [{ id: 'api' }])
    rmSync(path.join(dir, LEDGER_FILE))
    const r = await runDecide(ws, { required: 'api', 'hmac-key': HMAC })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(named(r, 'ledger chain')?.message).toMatch(/^cutover-reports has no ledger\.jsonl: nothing records which gates ran there/)
    expect(readJson<Bundle>(path.join(dir, 'cutover-summary.json')).ledgers).toEqual([])
  })

  it('a ledger that is a FIFO, /dev/zero or far too large is NO-GO with a sentence, never a hang', async () => {
    for (const plant of [
      (f: string) => execFileSync('mkfifo', [f]),
      (f: string) => symlinkSync('/dev/zero', f),
      (f: string) => execFileSync('truncate', ['-s', '200M', f]),
    ]) {
      const { ws, dir } = workspace()
      await writeReports(dir, [{ id: 'api' }])
      rmSync(path.join(dir, LEDGER_FILE))
      plant(path.join(dir, LEDGER_FILE))
      const r = await runDecide(ws, { required: 'api', 'hmac-key': HMAC })
      expect(r.outputs.decision).toBe('NO-GO')
      expect(named(r, 'ledger chain')?.message).toMatch(/ledger\.jsonl is broken: .*(named pipe|device|bytes, more than)/)
    }
  })
})

describe('chain of custody: a file named as `approvals` or `bundle` is never a report and never hides one', () => {
  it('a failing report named as `approvals` is judged as the failing report it is, and is not counted as an approval', async () => {
    const { ws, dir } = workspace()
    await writeReports(dir, [{ id: 'api' }, { id: 'canary', gate: 'canary', status: 'fail' }])
    const r = await runDecide(ws, { required: 'api', 'hmac-key': HMAC, approvals: 'cutover-reports/canary.json' })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(named(r, 'canary')?.status).toBe('fail')
    expect(named(r, 'canary')?.message).toMatch(/^`canary` failed: /)
    expect(named(r, 'recorded approvals')?.message).toContain('is the gate report `canary`, not approvals')
    const b = readJson<Bundle>(path.join(dir, 'cutover-summary.json'))
    expect(b.approvals).toEqual([])
    expect(b.reports.map((x) => x.id)).toEqual(['api', 'canary'])
    expect(r.details).not.toContain('Left out of the decision')
  })

  it('a FIFO or /dev/zero named as `approvals` or `signing-key` is NO-GO with a sentence, never a hang', async () => {
    const { ws, dir } = workspace()
    await writeReports(dir, [{ id: 'api' }])
    execFileSync('mkfifo', [path.join(ws, 'pipe.json')])
    for (const [inputs, name, says] of [
      [{ approvals: 'pipe.json' }, 'recorded approvals', /the approvals file pipe\.json is a named pipe \(FIFO\), not a file/],
      [{ approvals: '/dev/zero' }, 'recorded approvals', /the approvals file \/dev\/zero is a device, not a file/],
      [{ 'signing-key': 'pipe.json', 'hmac-key': '' }, 'bundle signature', /pipe\.json is a named pipe \(FIFO\)/],
      [{ 'signing-key': '/dev/zero', 'hmac-key': '' }, 'bundle signature', /\/dev\/zero is a device/],
    ] as const) {
      const r = await runDecide(ws, { required: 'api', 'hmac-key': HMAC, ...inputs })
      expect(r.outputs.decision).toBe('NO-GO')
      expect(named(r, name)?.message).toMatch(says)
    }
  })

  it('a report named as `bundle` is refused and left byte for byte as it was, whatever shape it was given', async () => {
    const { ws, dir, file } = workspace()
    await writeReports(dir, [{ id: 'api' }, { id: 'canary', gate: 'canary', status: 'fail' }, { id: 'dr', gate: 'dr-drill' }])
    // As the gate wrote it, and reshaped to look like a bundle (so decide would think it may overwrite it).
    writeFileSync(file('dr'), JSON.stringify({ decision: 'GO', reports: [] }, null, 2) + '\n')
    for (const id of ['canary', 'dr', 'api']) {
      const before = readFileSync(file(id))
      const r = await runDecide(ws, { required: 'api', 'hmac-key': HMAC, bundle: `cutover-reports/${id}.json` })
      expect(r.outputs).toMatchObject({ decision: 'NO-GO', bundle: '', digest: '' })
      expect(named(r, 'evidence bundle')?.message).toMatch(
        new RegExp(
          `^The evidence bundle was not written: \`bundle\` names cutover-reports/${id}\\.json, which (is a gate report|the ledger records as the report of \`${id}\`)`,
        ),
      )
      expect(readFileSync(file(id)).equals(before), `${id}.json was changed`).toBe(true)
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})

describe('chain of custody: time, commit and run', () => {
  it('reports from years ago are NO-GO when no commit is known to compare with (max-report-age, 24h by default)', async () => {
    const { ws, dir } = workspace()
    await writeReports(dir, [{ id: 'api' }])
    const r = await runDecide(
      ws,
      { required: 'api', 'hmac-key': HMAC },
      { env: {}, now: () => new Date(DECIDED_AT.getTime() + 3 * 365 * 86_400_000) },
    )
    expect(r.outputs.decision).toBe('NO-GO')
    expect(named(r, 'api')?.message).toMatch(
      /^`api` is stale: it finished \S+ ago \(2026-03-14T09:30:20\.000Z\), longer ago than `max-report-age` \(1d\)/,
    )
  })

  it('a report that names no commit and no run does not count as fresh, even when nothing is known to compare with', async () => {
    const { ws, dir } = workspace()
    await writeReports(dir, [
      { id: 'api', subject: {} },
      { id: 'dr', gate: 'dr-drill', subject: { repository: 'acme/shop' } },
    ])
    const r = await runDecide(ws, { required: 'api,dr', 'hmac-key': HMAC }, { env: {} })
    expect(r.outputs.decision).toBe('NO-GO')
    for (const id of ['api', 'dr'])
      expect(named(r, id)?.message).toMatch(
        new RegExp(`^\`${id}\` is stale: it names no commit and no workflow run, so nothing ties it to this cutover`),
      )
  })

  it('a report with a commit but no run, or a run but no commit, counts when nothing else is known (a laptop run with GITHUB_SHA)', async () => {
    const { ws, dir } = workspace()
    await writeReports(dir, [{ id: 'api', subject: { sha: SUBJECT.sha } }])
    const r = await runDecide(ws, { required: 'api', 'hmac-key': HMAC }, { env: {} })
    expect(reasons(r)).toEqual([])
    expect(r.outputs.decision).toBe('GO')
  })
})

/** Two jobs' folders (each with its own ledger) and the final bundle over both. */
async function twoJobs() {
  const { ws } = workspace()
  const pre = path.join(ws, 'jobs', 'preflight')
  const can = path.join(ws, 'jobs', 'canary')
  await writeReports(pre, [{ id: 'api' }, { id: 'dr', gate: 'dr-drill' }])
  await writeReports(can, [
    { id: 'canary-25', gate: 'canary', startMin: 10 },
    { id: 'canary-50', gate: 'canary', startMin: 5 },
  ])
  const r = await runDecide(ws, {
    reports: 'jobs/*',
    required: 'api,dr,canary-25,canary-50',
    'hmac-key': HMAC,
    bundle: 'final/cutover-summary.json',
  })
  expect(reasons(r)).toEqual([])
  expect(r.outputs.decision).toBe('GO')
  const bundle = path.join(ws, 'final', 'cutover-summary.json')
  return { ws, pre, can, bundle }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

describe('chain of custody: the bundle pins every ledger and chains their heads', () => {
  it('pins each folder’s ledger by length and last hash, in order, and chains the heads as documented', async () => {
    const { pre, can, bundle } = await twoJobs()
    const b = readJson<Bundle>(bundle)
    const last = (dir: string) => JSON.parse(readFileSync(path.join(dir, LEDGER_FILE), 'utf8').trimEnd().split('\n').at(-1)!).hash as string
    expect(b.ledgers).toEqual([
      { file: '../jobs/canary/ledger.jsonl', records: 2, lastHash: last(can) },
      { file: '../jobs/preflight/ledger.jsonl', records: 2, lastHash: last(pre) },
    ])
    // h0 = 64 zeros; h = SHA-256(`${h}:${file}:${records}:${lastHash}`) for each pin in order.
    const head = b.ledgers.reduce((h, p) => sha256(`${h}:${p.file}:${p.records}:${p.lastHash}`), '0'.repeat(64))
    expect(b.chainHead).toBe(head)
    const v = await verifyBundle(bundle, { hmacKey: HMAC })
    expect(v.problems).toEqual([])
    expect(v.passed).toContain(`the 2 ledgers chain to ${head.slice(0, 12)}`)
  })

  it('records appended after the decision (decide’s own, the next job’s) keep the pins valid', async () => {
    const { pre, bundle } = await twoJobs()
    await appendLedger(pre, { id: 'decide', status: 'pass', reportFile: path.join(pre, 'api.json'), time: DECIDED_AT.toISOString() })
    expect((await verifyBundle(bundle, { hmacKey: HMAC })).problems).toEqual([])
  })

  it('`bundle verify` detects a one-byte change anywhere in any ledger, any report, or the bundle', async () => {
    const { pre, can, bundle } = await twoJobs()
    const files = [bundle, ...[pre, can].flatMap((d) => readdirSync(d).map((f) => path.join(d, f)))]
    expect(files.map((f) => path.basename(f)).sort()).toEqual(
      ['api.json', 'canary-25.json', 'canary-50.json', 'cutover-summary.json', 'dr.json', 'ledger.jsonl', 'ledger.jsonl'].sort(),
    )
    let tried = 0
    for (const file of files) {
      const original = readFileSync(file)
      // Every byte of the ledgers; a spread of bytes of the others (each is hashed or compared whole).
      const step = file.endsWith(LEDGER_FILE) ? 1 : Math.max(1, Math.floor(original.length / 97))
      for (let at = 0; at < original.length; at += step) {
        for (const change of ['flip', 'insert'] as const) {
          const bytes =
            change === 'flip'
              ? Buffer.from(original).fill(original[at] ^ 0x01, at, at + 1)
              : Buffer.concat([original.subarray(0, at), Buffer.from(' '), original.subarray(at)])
          writeFileSync(file, bytes)
          const v = await verifyBundle(bundle, { hmacKey: HMAC })
          expect(v.problems, `${change} at byte ${at} of ${path.relative(path.dirname(pre), file)} went unnoticed`).not.toEqual([])
          tried++
        }
      }
      writeFileSync(file, original)
    }
    expect((await verifyBundle(bundle, { hmacKey: HMAC })).problems).toEqual([])
    expect(tried).toBeGreaterThan(2000)
  })

  it('`bundle verify` reads only bounded regular files: a FIFO or /dev/zero as the bundle, a report or a ledger is a problem, not a hang', async () => {
    const { pre, bundle } = await twoJobs()
    const swap = (file: string, plant: (f: string) => void) => {
      const keep = `${file}.keep`
      copyFileSync(file, keep)
      rmSync(file)
      plant(file)
      return () => {
        rmSync(file)
        copyFileSync(keep, file)
        rmSync(keep)
      }
    }
    const fifo = (f: string) => execFileSync('mkfifo', [f])
    const zero = (f: string) => symlinkSync('/dev/zero', f)
    for (const [file, plant, says] of [
      [bundle, fifo, /cutover-summary\.json is a named pipe \(FIFO\), not a bundle file/],
      [bundle, zero, /cutover-summary\.json is a device, not a bundle file/],
      [path.join(pre, 'api.json'), fifo, /report `api` \(\.\.\/jobs\/preflight\/api\.json\) is a named pipe \(FIFO\), not a report file/],
      [path.join(pre, 'api.json'), zero, /report `api` .* is a device, not a report file/],
      [path.join(pre, LEDGER_FILE), fifo, /the ledger \.\.\/jobs\/preflight\/ledger\.jsonl is broken: .*named pipe/],
      [path.join(pre, LEDGER_FILE), zero, /the ledger \.\.\/jobs\/preflight\/ledger\.jsonl is broken: .*device/],
    ] as const) {
      const restore = swap(file, plant)
      const v = await verifyBundle(bundle, { hmacKey: HMAC })
      expect(v.problems.join('\n')).toMatch(says)
      restore()
    }
    expect((await verifyBundle(bundle, { hmacKey: HMAC })).problems).toEqual([])
  })

  it('a ledger dropped from the bundle’s folders, or cut short, is named', async () => {
    const { can, bundle } = await twoJobs()
    const ledger = path.join(can, LEDGER_FILE)
    const text = readFileSync(ledger, 'utf8')
    writeFileSync(ledger, text.split('\n').slice(0, 1).join('\n') + '\n')
    expect((await verifyBundle(bundle, { hmacKey: HMAC })).problems).toEqual([
      'the ledger ../jobs/canary/ledger.jsonl holds 1 records, fewer than the 2 the bundle pinned: records were removed from its end',
    ])
    rmSync(ledger)
    expect((await verifyBundle(bundle, { hmacKey: HMAC })).problems.join('\n')).toMatch(/jobs\/canary\/ledger\.jsonl/)
  })
})
