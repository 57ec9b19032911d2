import { execFile, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { GENESIS, LEDGER_FILE, LedgerError, appendLedger, recordHash, verifyLedger, type LedgerRecord } from '../../src/core/ledger.js'

const LEDGER_TS = path.resolve(import.meta.dirname, '../../src/core/ledger.ts')
const TS_RESOLVE = path.resolve(import.meta.dirname, '../support/ts-resolve.mjs')
const dirs: string[] = []
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

function reportDir(): { dir: string; report: string; ledger: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-ledger-'))
  dirs.push(dir)
  const report = path.join(dir, 'gate.json')
  writeFileSync(report, JSON.stringify({ id: 'gate', status: 'pass' }) + '\n')
  return { dir, report, ledger: path.join(dir, LEDGER_FILE) }
}

const T0 = Date.parse('2026-03-01T10:00:00Z')
const at = (i: number) => new Date(T0 + i * 1000).toISOString()

async function ledgerOf(n: number) {
  const r = reportDir()
  for (let i = 0; i < n; i++)
    await appendLedger(r.dir, { id: `gate-${i + 1}`, status: i % 3 === 2 ? 'warn' : 'pass', reportFile: r.report, time: at(i) })
  return r
}

const lines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n')
const records = (file: string) => lines(file).map((l) => JSON.parse(l) as LedgerRecord)
const write = (file: string, ls: string[]) => writeFileSync(file, ls.join('\n') + '\n')
const rehash = (r: LedgerRecord) => JSON.stringify({ ...r, hash: recordHash(r) })

describe('appendLedger', () => {
  it('chains records: seq, prev, hash, and the SHA-256 of the report', async () => {
    const { dir, report, ledger } = reportDir()
    const first = await appendLedger(dir, { id: 'api-readyz', status: 'pass', reportFile: report, time: at(0) })
    writeFileSync(report, '{"changed":true}\n')
    const second = await appendLedger(dir, { id: 'rc-proof', status: 'fail', reportFile: report, time: at(1) })
    expect(first).toMatchObject({ seq: 1, id: 'api-readyz', status: 'pass', prev: GENESIS, time: at(0) })
    expect(second).toMatchObject({ seq: 2, prev: first.hash })
    expect(second.reportSha256).toBe(execFileSync('sha256sum', [report]).toString().slice(0, 64))
    expect(first.reportSha256).not.toBe(second.reportSha256)
    expect(records(ledger)).toEqual([first, second])
    expect(Object.keys(records(ledger)[0])).toEqual(['seq', 'time', 'id', 'status', 'reportSha256', 'prev', 'hash'])
  })

  it('an auditor can recompute each hash with jq and sha256sum, as documented', async () => {
    const { ledger } = await ledgerOf(3)
    for (const line of lines(ledger)) {
      const body = execFileSync('jq', ['-cj', '{seq,time,id,status,reportSha256,prev}'], { input: line })
      expect(execFileSync('sha256sum', [], { input: body }).toString().slice(0, 64)).toBe(JSON.parse(line).hash)
    }
  })

  it('refuses a missing report, a bad status or time', async () => {
    const { dir, report } = reportDir()
    await expect(appendLedger(dir, { id: 'x', status: 'pass', reportFile: path.join(dir, 'nope.json'), time: at(0) })).rejects.toThrow(
      /cannot read the report/,
    )
    await expect(appendLedger(dir, { id: 'x', status: 'ok' as 'pass', reportFile: report, time: at(0) })).rejects.toThrow(LedgerError)
    await expect(appendLedger(dir, { id: 'x', status: 'pass', reportFile: report, time: 'yesterday' })).rejects.toThrow(LedgerError)
  })

  it('loses nothing with 200 concurrent appends in one process', async () => {
    const { dir, report, ledger } = reportDir()
    const written = await Promise.all(
      Array.from({ length: 200 }, (_, i) => appendLedger(dir, { id: `g${i}`, status: 'pass', reportFile: report, time: at(i) })),
    )
    expect(new Set(written.map((r) => r.seq)).size).toBe(200)
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: true, records: 200, problems: [] })
    expect(
      records(ledger)
        .map((r) => r.id)
        .sort(),
    ).toEqual(Array.from({ length: 200 }, (_, i) => `g${i}`).sort())
  })

  it('loses nothing with several processes appending at once (and this one too)', async () => {
    const { dir, report, ledger } = reportDir()
    const script = `
      const { appendLedger } = await import(${JSON.stringify(LEDGER_TS)})
      const [dir, who, n, report] = process.argv.slice(1)
      await Promise.all(Array.from({ length: Number(n) }, (_, i) =>
        appendLedger(dir, { id: who + '-' + i, status: 'pass', reportFile: report, time: new Date().toISOString() })))
    `
    const children = Array.from(
      { length: 4 },
      (_, c) =>
        new Promise<void>((resolve, reject) => {
          const p = spawn(process.execPath, ['--import', TS_RESOLVE, '--input-type=module', '-e', script, dir, `p${c}`, '40', report], {
            stdio: ['ignore', 'ignore', 'pipe'],
          })
          let err = ''
          p.stderr.on('data', (d) => (err += d))
          p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child ${c} exited ${code}: ${err}`))))
        }),
    )
    const mine = Array.from({ length: 40 }, (_, i) =>
      appendLedger(dir, { id: `main-${i}`, status: 'warn', reportFile: report, time: at(i) }),
    )
    await Promise.all([...children, ...mine])
    const v = await verifyLedger(ledger)
    expect(v.problems).toEqual([])
    expect(v).toMatchObject({ ok: true, records: 200 })
    const ids = records(ledger).map((r) => r.id)
    expect(new Set(ids).size).toBe(200)
    for (const who of ['p0', 'p1', 'p2', 'p3', 'main']) expect(ids.filter((id) => id.startsWith(`${who}-`))).toHaveLength(40)
    expect(records(ledger).map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    expect(existsSync(`${ledger}.lock`)).toBe(false)
  })

  it('takes over a lock whose process is gone', async () => {
    const { dir, report, ledger } = reportDir()
    const dead = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString()
    writeFileSync(`${ledger}.lock`, JSON.stringify({ pid: Number(dead), host: hostname(), token: 'x' }))
    const r = await appendLedger(dir, { id: 'a', status: 'pass', reportFile: report, time: at(0) }, { timeoutMs: 2000 })
    expect(r.seq).toBe(1)
  })

  it('takes over a lock older than the stale timeout, and waits for a fresh one held by a live process', async () => {
    const { dir, report, ledger } = reportDir()
    const lock = `${ledger}.lock`
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'])
    try {
      writeFileSync(lock, JSON.stringify({ pid: holder.pid, host: hostname(), token: 'held' }))
      await expect(
        appendLedger(dir, { id: 'a', status: 'pass', reportFile: report, time: at(0) }, { timeoutMs: 300, staleMs: 60_000 }),
      ).rejects.toThrow(/could not lock .*ledger\.jsonl\.lock within 0s: another process holds it/)
      const old = new Date(Date.now() - 120_000)
      utimesSync(lock, old, old)
      const r = await appendLedger(dir, { id: 'a', status: 'pass', reportFile: report, time: at(0) }, { timeoutMs: 2000, staleMs: 60_000 })
      expect(r.seq).toBe(1)
    } finally {
      holder.kill()
    }
  })

  it('refuses to chain onto a torn or edited last record', async () => {
    const { dir, report, ledger } = await ledgerOf(2)
    writeFileSync(ledger, readFileSync(ledger, 'utf8').slice(0, -20))
    await expect(appendLedger(dir, { id: 'x', status: 'pass', reportFile: report, time: at(9) })).rejects.toThrow(
      /ends with an incomplete record/,
    )
    const r = await ledgerOf(2)
    const ls = lines(r.ledger)
    ls[1] = ls[1].replace('"status":"pass"', '"status":"fail"')
    write(r.ledger, ls)
    await expect(appendLedger(r.dir, { id: 'x', status: 'pass', reportFile: r.report, time: at(9) })).rejects.toThrow(
      /does not match its hash/,
    )
  })
})

describe('appendLedger with the report bytes: nothing is put in place that the ledger does not record', () => {
  const report = (status: string) => Buffer.from(JSON.stringify({ id: 'api', status }) + '\n')

  it('a torn last line: the report already in place is not overwritten, and no temp file is left', async () => {
    const { dir } = reportDir()
    const file = path.join(dir, 'api.json')
    await appendLedger(dir, { id: 'api', status: 'pass', reportFile: file, time: at(0), bytes: report('pass') })
    writeFileSync(path.join(dir, LEDGER_FILE), readFileSync(path.join(dir, LEDGER_FILE), 'utf8') + '{"seq":2,"ti')
    await expect(appendLedger(dir, { id: 'api', status: 'fail', reportFile: file, time: at(1), bytes: report('fail') })).rejects.toThrow(
      /ends with an incomplete record/,
    )
    expect(readFileSync(file)).toEqual(report('pass'))
    expect(readdirSync(dir).sort()).toEqual(['api.json', 'gate.json', LEDGER_FILE])
  })

  it('a ledger that refuses the append (read-only, immutable): the report already in place is not overwritten', async () => {
    const { dir } = reportDir()
    const file = path.join(dir, 'api.json')
    const ledger = path.join(dir, LEDGER_FILE)
    await appendLedger(dir, { id: 'api', status: 'pass', reportFile: file, time: at(0), bytes: report('pass') })
    // root writes through a 0444 mode; an immutable file refuses even root.
    const root = process.getuid?.() === 0
    execFileSync(root ? 'chattr' : 'chmod', root ? ['+i', ledger] : ['0444', ledger])
    try {
      await expect(appendLedger(dir, { id: 'api', status: 'fail', reportFile: file, time: at(1), bytes: report('fail') })).rejects.toThrow(
        /EPERM|EACCES/,
      )
    } finally {
      execFileSync(root ? 'chattr' : 'chmod', root ? ['-i', ledger] : ['0644', ledger])
    }
    expect(readFileSync(file)).toEqual(report('pass'))
    expect(await verifyLedger(ledger)).toMatchObject({ ok: true, records: 1 })
    expect(readdirSync(dir).sort()).toEqual(['api.json', 'gate.json', LEDGER_FILE])
  })

  it('a ledger that is a FIFO or a folder is refused without blocking, and no report is put in place', async () => {
    for (const plant of [(f: string) => execFileSync('mkfifo', [f]), (f: string) => mkdirSync(f)]) {
      const { dir } = reportDir()
      plant(path.join(dir, LEDGER_FILE))
      const file = path.join(dir, 'api.json')
      await expect(appendLedger(dir, { id: 'api', status: 'pass', reportFile: file, time: at(0), bytes: report('pass') })).rejects.toThrow(
        /not a ledger file/,
      )
      expect(existsSync(file)).toBe(false)
    }
  })

  it('a lock file that is a FIFO is refused with a sentence, not waited on for ever', async () => {
    const { dir } = reportDir()
    execFileSync('mkfifo', [path.join(dir, `${LEDGER_FILE}.lock`)])
    await expect(
      appendLedger(dir, { id: 'api', status: 'pass', reportFile: path.join(dir, 'api.json'), time: at(0), bytes: report('pass') }),
    ).rejects.toThrow(/is not a lock file .*remove it/)
  })
})

describe('verifyLedger names the first record that was tampered with', () => {
  it('an intact ledger', async () => {
    const { ledger } = await ledgerOf(6)
    const v = await verifyLedger(ledger)
    expect(v).toEqual({ ok: true, records: 6, problems: [], lastHash: records(ledger)[5].hash, start: GENESIS })
  })

  it('an edited record (hash left alone)', async () => {
    const { ledger } = await ledgerOf(6)
    const ls = lines(ledger)
    ls[3] = ls[3].replace('"status":"pass"', '"status":"fail"')
    write(ledger, ls)
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 4 })
    expect(v.problems).toEqual(['record seq 4 (line 4) was edited: its contents do not match its hash'])
  })

  it('an edited record whose hash was recomputed', async () => {
    const { ledger } = await ledgerOf(6)
    const rs = records(ledger)
    const ls = lines(ledger)
    ls[2] = rehash({ ...rs[2], status: 'pass', id: 'forged' })
    write(ledger, ls)
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 3 })
    expect(v.problems[0]).toBe(
      'record seq 3 (line 3) is not the record that record seq 4 (line 4) was chained to: it was edited and re-hashed, or replaced',
    )
  })

  it('a removed record', async () => {
    const { ledger } = await ledgerOf(6)
    const ls = lines(ledger)
    ls.splice(2, 1)
    write(ledger, ls)
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 3 })
    expect(v.problems).toEqual(['record seq 4 (line 3) follows seq 2: seq 3 was removed before line 3'])
  })

  it('removed records at the start', async () => {
    const { ledger } = await ledgerOf(6)
    write(ledger, lines(ledger).slice(2))
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 1 })
    expect(v.problems[0]).toBe('record seq 3 (line 1) does not start the chain: the records before it were removed')
  })

  it('two records swapped', async () => {
    const { ledger } = await ledgerOf(6)
    const ls = lines(ledger)
    ;[ls[2], ls[3]] = [ls[3], ls[2]]
    write(ledger, ls)
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 3 })
    expect(v.problems[0]).toBe('record seq 4 (line 3) comes before the record on line 4 that it follows: records were reordered')
    expect(v.problems.every((p) => !p.includes('inserted'))).toBe(true)
  })

  it('a record moved to the end', async () => {
    const { ledger } = await ledgerOf(6)
    const ls = lines(ledger)
    ls.push(...ls.splice(1, 1))
    write(ledger, ls)
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 2 })
    expect(v.problems.join(' ')).toContain('reordered')
  })

  it('an inserted record with a valid hash chained to its predecessor', async () => {
    const { ledger } = await ledgerOf(6)
    const rs = records(ledger)
    const ls = lines(ledger)
    const forged = { ...rs[2], id: 'forged-pass', status: 'pass' as const, time: at(2.5) }
    ls.splice(3, 0, rehash({ ...forged, seq: 4, prev: rs[2].hash }))
    write(ledger, ls)
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 4 })
    expect(v.problems[0]).toBe('the record on line 4 was inserted: record seq 4 (line 5) is chained to the record before it')
  })

  it('an inserted record chained to nothing', async () => {
    const { ledger } = await ledgerOf(6)
    const rs = records(ledger)
    const ls = lines(ledger)
    ls.splice(3, 0, rehash({ ...rs[3], id: 'forged', prev: 'f'.repeat(64) }))
    write(ledger, ls)
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 4 })
    expect(v.problems[0]).toBe('record seq 4 (line 4) is chained to no record in the ledger: it was inserted or forged')
  })

  it('a duplicated record', async () => {
    const { ledger } = await ledgerOf(4)
    const ls = lines(ledger)
    ls.splice(2, 0, ls[1])
    write(ledger, ls)
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 3 })
    expect(v.problems[0]).toContain('repeats the record on line 2')
  })

  it('a line that is not a record, an empty line, a torn last line', async () => {
    for (const [edit, firstBad, text] of [
      [(ls: string[]) => ls.splice(2, 0, 'not json'), 3, 'line 3 is not JSON: it is not a ledger record'],
      [(ls: string[]) => ls.splice(2, 0, ''), 3, 'line 3 is empty'],
      [(ls: string[]) => ls.splice(2, 0, '{"seq":1}'), 3, 'line 3 has no valid `time`'],
    ] as const) {
      const { ledger } = await ledgerOf(4)
      const ls = lines(ledger)
      edit(ls)
      write(ledger, ls)
      const v = await verifyLedger(ledger)
      expect(v.firstBad).toBe(firstBad)
      expect(v.problems[0]).toContain(text)
    }
    const { ledger } = await ledgerOf(4)
    writeFileSync(ledger, readFileSync(ledger, 'utf8').slice(0, -1))
    const v = await verifyLedger(ledger)
    expect(v).toMatchObject({ ok: false, firstBad: 4 })
    expect(v.problems).toEqual(['line 4 has no line end: the last write was cut short or the file was edited'])
  })

  it('an empty ledger is not ok; a missing one is a LedgerError', async () => {
    const { ledger, dir } = reportDir()
    writeFileSync(ledger, '')
    expect(await verifyLedger(ledger)).toMatchObject({ ok: false, records: 0, problems: ['the ledger holds no records'] })
    await expect(verifyLedger(path.join(dir, 'missing.jsonl'))).rejects.toThrow(/no ledger at/)
  })

  it('arbitrary bytes: a verdict, never a crash, never ok', async () => {
    const { ledger } = reportDir()
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.array(fc.json(), { maxLength: 5 }).map((js) => Buffer.from(js.join('\n') + '\n')),
        ),
        async (bytes) => {
          writeFileSync(ledger, bytes)
          const v = await verifyLedger(ledger)
          expect(v.ok).toBe(false)
          expect(v.problems.length).toBeGreaterThan(0)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('the ledger from another process is the same chain', () => {
  it('records appended by a child process verify here', async () => {
    const { dir, report, ledger } = reportDir()
    await promisify(execFile)(process.execPath, [
      '--import',
      TS_RESOLVE,
      '--input-type=module',
      '-e',
      `const { appendLedger } = await import(${JSON.stringify(LEDGER_TS)}); for (let i = 0; i < 3; i++) await appendLedger(process.argv[1], { id: 'c' + i, status: 'pass', reportFile: process.argv[2], time: new Date().toISOString() })`,
      dir,
      report,
    ])
    await appendLedger(dir, { id: 'here', status: 'fail', reportFile: report, time: at(0) })
    expect(await verifyLedger(ledger)).toMatchObject({ ok: true, records: 4 })
  })
})
