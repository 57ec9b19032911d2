import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { InputFormError } from '../../../src/core/units.js'
import { parseRpo } from '../../../src/gates/dr-drill/budget.js'
import {
  AnswerError,
  judgeVerifyOutput,
  parseArchiverAnswer,
  parseCsv,
  parsePostgresUrl,
  postgresSecrets,
} from '../../../src/gates/dr-drill/postgres.js'
import { MAX_TIMER_MS, runProcess, startTimer } from '../../../src/lib/process.js'
import { TailBuffer, lastLines } from '../../../src/lib/tail.js'
import { WalError, parseLsn, parseWalName, walLag, walName } from '../../../src/gates/dr-drill/wal.js'
import { drDrill } from '../../../src/gates/dr-drill/gate.js'

const root = mkdtempSync(path.join(tmpdir(), 'cutover-dr-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const freshDir = () => {
  const d = path.join(root, `t${++n}`)
  mkdirSync(d, { recursive: true })
  return d
}

async function drill(inputs: Record<string, string>, opts: { cwd?: string; log?: (line: string) => void; now?: () => Date } = {}) {
  const cwd = opts.cwd ?? root
  const ctx = defaultContext({ log: opts.log ?? (() => {}), cwd, workspace: cwd, ...(opts.now ? { now: opts.now } : {}) })
  return runGate(drDrill, inputs, ctx, { id: 'dr-drill' })
}

/**
 * The gate's clock, moved by the commands it runs: each marker file a command touches adds its
 * milliseconds. A duration the gate measures is then exactly what the test chose, whatever the
 * wall clock did.
 */
const T0 = Date.parse('2026-06-01T02:00:00Z')
function markerClock(dir: string, phases: [marker: string, ms: number][]): () => Date {
  return () => new Date(T0 + phases.reduce((t, [m, ms]) => t + (existsSync(path.join(dir, m)) ? ms : 0), 0))
}

/** No process of the group (a session: its leader's pid) is running. */
function groupGone(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return false
  }
  return true
}

/** True while the process runs; a zombie (killed, not yet reaped by its new parent) is dead. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

// ---------------------------------------------------------------------------------------------

describe('dr-drill: inputs', () => {
  it('fails with "nothing to drill" when no source is given', async () => {
    const r = await drill({})
    expect(r.status).toBe('fail')
    expect(r.inputError).toBe(true)
    expect(r.checks[0].message).toMatch(/nothing to drill/)
    const v = await drill({ 'verify-command': 'true' })
    expect(v.checks[0].message).toMatch(/nothing to drill/)
  })

  it('refuses inputs that do not make a drill together, naming the fix', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'source-manifest': 'SHA256SUMS' }, /`source-manifest` and `restored-path` go together/],
      [{ 'backup-path': 'b' }, /add a duration, such as `rpo: 1 file, 24h`/],
      [{ 'source-manifest': 'S', 'restored-path': 'r', rpo: '24h' }, /write it as files/],
      [{ 'restore-command': 'true', rto: '10m', timeout: '5m' }, /`timeout` \(5m\) is shorter than `rto` \(10m\)/],
      [{ 'backup-path': 'b', rpo: '1 files, 2 files' }, /`rpo`.*given twice/],
      [{ 'restore-command': 'true', rto: '0s' }, /`rto`.*above zero/],
      [{ 'restore-command': 'true', rpo: 'one file' }, /`rpo`: "one file" is not valid/],
      [{ 'verify-sql': 'select 1', 'backup-path': 'b', rpo: '1h' }, /`verify-sql` checks a restored `postgres-dump`/],
    ]
    for (const [inputs, message] of cases) {
      const r = await drill(inputs)
      expect(r.status, JSON.stringify(inputs)).toBe('fail')
      expect(r.inputError, JSON.stringify(inputs)).toBe(true)
      expect(r.checks.map((c) => c.message).join(' '), JSON.stringify(inputs)).toMatch(message)
    }
  })

  it('never quotes a postgres-url it refuses, nor its password', async () => {
    const r = await drill({ 'postgres-url': 'postgresql://admin:hunter2secret@db/x/y@z', 'postgres-dump': 'd.dump' })
    expect(r.status).toBe('fail')
    const text = JSON.stringify(r)
    expect(text).toContain('(value hidden)')
    expect(text).not.toContain('hunter2secret')
  })
})

// ---------------------------------------------------------------------------------------------

describe('dr-drill: a restore nothing verified is never a silent pass', () => {
  it('warns on a restore-command alone, saying so and naming the inputs that would verify it', async () => {
    const r = await drill({ 'restore-command': 'true' })
    expect(r.status, r.summary).toBe('warn')
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['restore-command', 'pass'],
      ['verification', 'warn'],
    ])
    const v = r.checks[1]
    expect(v.observed).toBe('nothing verified the restore')
    expect(v.message).toMatch(/^The restore exited 0 after .*, but nothing checked what it restored/)
    for (const name of ['`verify-command`', '`source-manifest`', '`restored-path`', '`verify-sql`']) expect(v.message).toContain(name)
    expect(r.summary).toMatch(/^dr-drill: WARN: The restore exited 0/)
  })

  it('still warns when only the backup age is measured besides the restore', async () => {
    const dir = freshDir()
    mkdirSync(path.join(dir, 'b'))
    writeFileSync(path.join(dir, 'b', 'x.dump'), 'x')
    const r = await drill({ 'restore-command': 'true', 'backup-path': 'b', rpo: '1 file, 100d' }, { cwd: dir })
    expect(r.status, r.summary).toBe('warn')
    expect(r.checks.find((c) => c.name === 'verification')?.status).toBe('warn')
  })

  it('does not warn when verify-command or source-manifest checks what the restore wrote', async () => {
    let r = await drill({ 'restore-command': 'true', 'verify-command': 'true' })
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks.map((c) => c.name)).not.toContain('verification')
    const ds = dataset()
    rmSync(ds.restored, { recursive: true })
    r = await drill(
      { 'restore-command': 'cp -r src restored', 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored' },
      { cwd: ds.dir },
    )
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks.map((c) => c.name)).toEqual(['restore-command', 'source-manifest'])
  })

  it('a failing restore is a fail, not merely unverified', async () => {
    const r = await drill({ 'restore-command': 'exit 4' })
    expect(r.status).toBe('fail')
    expect(r.checks.map((c) => c.name)).toEqual(['restore-command'])
  })
})

describe('dr-drill: limits longer than one Node timer holds', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('startTimer waits past 2^31-1 ms in pieces, firing once at the very end', () => {
    vi.useFakeTimers()
    let fired = 0
    const ms = 26 * 86_400_000
    startTimer(ms, () => fired++)
    // A bare setTimeout of this length fires after 1 ms (Node clamps it); the fake timers do the same.
    vi.advanceTimersByTime(MAX_TIMER_MS)
    expect(fired).toBe(0)
    vi.advanceTimersByTime(ms - MAX_TIMER_MS - 1)
    expect(fired).toBe(0)
    vi.advanceTimersByTime(1)
    expect(fired).toBe(1)
    vi.advanceTimersByTime(10 * MAX_TIMER_MS)
    expect(fired).toBe(1)
  })

  it('startTimer can be cancelled in any piece', () => {
    vi.useFakeTimers()
    let fired = 0
    const cancel = startTimer(3 * MAX_TIMER_MS, () => fired++)
    vi.advanceTimersByTime(MAX_TIMER_MS + 5)
    cancel()
    vi.advanceTimersByTime(5 * MAX_TIMER_MS)
    expect(fired).toBe(0)
  })

  it('rto: 13d (a 26d default timeout) lets a quick restore finish, with no TimeoutOverflowWarning', async () => {
    const warnings: Error[] = []
    const onWarning = (w: Error) => warnings.push(w)
    process.on('warning', onWarning)
    const lines: string[] = []
    try {
      const r = await drill(
        { 'restore-command': 'sleep 0.2; echo restored', 'verify-command': 'true', rto: '13d' },
        { log: (l) => lines.push(l) },
      )
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve))
      expect(r.status, r.summary).toBe('pass')
      expect(r.checks[0].message).toMatch(/^The restore finished in .*, within the RTO of 13d/)
      expect(r.details).toContain('restored')
      expect(lines).toContain('restore-command: started (RTO 13d, killed at 26d)')
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([])
  })

  it('refuses rto and timeout beyond 24d with a sentence naming the input and the range', async () => {
    for (const [k, v] of [
      ['rto', '25d'],
      ['timeout', '30d'],
      ['rto', '99999999999d'],
    ]) {
      const r = await drill({ 'restore-command': 'true', rto: '1h', [k]: v })
      expect(r.status).toBe('fail')
      expect(r.inputError).toBe(true)
      expect(r.checks[0].message).toBe(
        `Could not run the gate: input \`${k}\`: "${v}" is not valid; expected a duration above zero, such as 90s, 15m or 1h30m, at most 24d.`,
      )
    }
  })
})

describe('dr-drill: restore-command', () => {
  it('passes a restore within the RTO and records its duration and output', async () => {
    const lines: string[] = []
    const dir = freshDir()
    // The restore "takes" 4.2s and the verification 800ms on the gate's clock.
    const now = markerClock(dir, [
      ['restored', 4200],
      ['verified', 800],
    ])
    const r = await drill(
      {
        'restore-command': 'echo restored 42 rows; touch restored',
        'verify-command': 'test 1 -eq 1 && echo verified && touch verified',
        rto: '10s',
      },
      { log: (l) => lines.push(l), cwd: dir, now },
    )
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['restore-command', 'pass'],
      ['verify-command', 'pass'],
    ])
    expect(r.metrics.rto_ms).toBe(4200)
    expect(r.metrics.rto_budget_ms).toBe(10_000)
    expect(r.metrics['step_ms:restore-command']).toBe(4200)
    expect(r.metrics['step_ms:verify-command']).toBe(800)
    expect(r.checks[0].message).toBe('The restore finished in 4.2s, within the RTO of 10s (5.8s to spare).')
    expect(r.checks[1].message).toBe('The restored system passed verification in 800ms.')
    expect(r.details).toMatch(/\| restore-command \| .* \| exit 0 \|/)
    expect(r.details).toContain('restored 42 rows')
    expect(r.details).toContain('verified')
    expect(lines.some((l) => /restore-command: started \(RTO 10s, killed at 20s\)/.test(l))).toBe(true)
  })

  it('fails a restore that finishes beyond the RTO, saying by how much', async () => {
    const dir = freshDir()
    const r = await drill(
      { 'restore-command': 'touch done', rto: '1s', timeout: '10s' },
      { cwd: dir, now: markerClock(dir, [['done', 1400]]) },
    )
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toBe(
      'The restore took 1.4s, 400ms over the RTO of 1s. Make the restore faster (closer or incremental backups, parallel restore) or agree a longer RTO.',
    )
    expect(r.metrics.rto_ms).toBe(1400)
  })

  it('fails a restore that exits non-zero, quotes its last line, and does not verify', async () => {
    const marker = path.join(freshDir(), 'verified')
    const r = await drill({
      'restore-command': 'echo "step 1 ok"; echo "gzip: backup.tar.gz: unexpected end of file" >&2; exit 3',
      'verify-command': `touch ${marker}`,
    })
    expect(r.status).toBe('fail')
    expect(r.checks).toHaveLength(1)
    expect(r.checks[0].observed).toMatch(/^exit 3 after/)
    expect(r.checks[0].message).toMatch(/exited 3 after .*unexpected end of file/)
    expect(existsSync(marker)).toBe(false)
    expect(r.details).toMatch(/verify-command \| 0ms \| not run: the restore failed/)
  })

  it('runs under bash with pipefail: a failing stage of a pipeline fails the restore', async () => {
    const r = await drill({ 'restore-command': 'false | cat' })
    expect(r.status).toBe('fail')
    expect(r.checks[0].observed).toMatch(/^exit 1/)
  })

  it('fails when verify-command fails after a good restore', async () => {
    const r = await drill({ 'restore-command': 'true', 'verify-command': 'echo "row count 0, expected 1000"; exit 1' })
    expect(r.status).toBe('fail')
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['restore-command', 'pass'],
      ['verify-command', 'fail'],
    ])
    expect(r.checks[1].message).toMatch(/row count 0, expected 1000/)
  })

  it('kills a hanging restore with its whole process group at the timeout, and no process is left', async () => {
    const dir = freshDir()
    const pidFile = path.join(dir, 'child.pid')
    const lines: string[] = []
    const r = await drill(
      {
        'restore-command': `echo $$ > ${pidFile}; sleep 1000 & echo $! >> ${pidFile}; bash -c 'sleep 1000' & echo $! >> ${pidFile}; echo waiting; wait`,
        rto: '1s',
      },
      { log: (l) => lines.push(l) },
    )
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(
      /The restore was still running after 2s \(the timeout\) and was killed with its process group\. The RTO of 1s was missed\./,
    )
    // The verdict came after the whole group was gone, not when the orphans would have ended.
    const [leader, ...pids] = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number)
    expect(pids).toHaveLength(2)
    expect(groupGone(leader), `process group ${leader} still has members`).toBe(true)
    for (const pid of pids) expect(running(pid), `pid ${pid} still running`).toBe(false)
    expect(r.details).toMatch(/killed by SIGTERM \(timeout\)/)
    expect(r.details).toContain('waiting')
    expect(lines.some((l) => /restore-command: \d.*elapsed; .*RTO/.test(l))).toBe(true)
  })

  it('kills a restore that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const dir = freshDir()
    const pidFile = path.join(dir, 'child.pid')
    const r = await drill({
      'restore-command': `trap '' TERM; sleep 1000 & echo $! > ${pidFile}; while :; do sleep 0.1; done`,
      rto: '1s',
      timeout: '1s',
    })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/still running after 1s/)
    const pid = Number(readFileSync(pidFile, 'utf8'))
    expect(running(pid), `pid ${pid} still running`).toBe(false)
  })

  it('prints progress lines with the time elapsed and the budget left, then the overrun', async () => {
    // The gate's clock steps 1.25s per reading, whatever the wall clock does: every figure printed is exact.
    const lines: string[] = []
    let t = Date.parse('2026-06-01T02:00:00Z')
    const now = () => new Date((t += 1250))
    const r = await drill({ 'restore-command': 'sleep 3', rto: '2s', timeout: '10s' }, { log: (l) => lines.push(l), now })
    expect(r.status).toBe('fail')
    const ticks = lines.filter((l) => /elapsed/.test(l))
    expect(ticks.length).toBeGreaterThanOrEqual(1)
    expect(ticks[0]).toBe('restore-command: 1.25s elapsed; 750ms of the 2s RTO left; killed in 8.75s if still running')
    if (ticks[1]) expect(ticks[1]).toBe('restore-command: 2.5s elapsed; the 2s RTO is exceeded by 500ms; killed in 7.5s if still running')
    expect(r.checks[0].message).toMatch(/RTO/)
  })

  it('keeps only the tail of a long output in the report', async () => {
    const r = await drill({ 'restore-command': 'for i in $(seq 1 20000); do echo "line $i"; done', 'verify-command': 'true' })
    expect(r.status).toBe('pass')
    expect(r.details).toContain('line 20000')
    expect(r.details).not.toMatch(/line 1\n/)
    expect(r.details).toMatch(/restore-command output \(last 40 lines\)/)
  })

  it('fails when the command cannot start (missing working folder, no bash on PATH)', async () => {
    const r = await runGate(
      drDrill,
      { 'restore-command': 'true' },
      defaultContext({ log: () => {}, cwd: path.join(root, 'no-such-dir'), workspace: root }),
      { id: 'x' },
    )
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/could not start: its working folder .*no-such-dir does not exist/)
    const noBash = await runGate(
      drDrill,
      { 'restore-command': 'true' },
      defaultContext({ log: () => {}, cwd: root, workspace: root, env: { PATH: '/nonexistent' } }),
      { id: 'x' },
    )
    expect(noBash.checks[0].message).toMatch(/could not start: `bash` is not on PATH/)
  })
})

// ---------------------------------------------------------------------------------------------

/** Source data, its SHA256SUMS written by the real sha256sum, and a restored copy. */
function dataset(files = 6) {
  const dir = freshDir()
  const src = path.join(dir, 'src')
  mkdirSync(path.join(src, 'ledger'), { recursive: true })
  const names: string[] = []
  for (let i = 0; i < files; i++) {
    const name = i % 2 ? `ledger/day ${i}.csv` : `file-${i}.bin`
    writeFileSync(path.join(src, name), `row,${i}\n`.repeat(100 + i))
    names.push(name)
  }
  const manifest = path.join(dir, 'SHA256SUMS')
  writeFileSync(manifest, execFileSync('sha256sum', ['--', ...names], { cwd: src }))
  const restored = path.join(dir, 'restored')
  execFileSync('cp', ['-r', src, restored])
  return { dir, manifest, restored, names }
}

describe('dr-drill: RPO in files (source-manifest vs restored-path)', () => {
  const run = (ds: ReturnType<typeof dataset>, extra: Record<string, string> = {}) =>
    drill({ 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored', rpo: '1 file', ...extra }, { cwd: ds.dir })

  it('passes with 0 files lost', async () => {
    const ds = dataset()
    const r = await run(ds)
    expect(r.status, r.summary).toBe('pass')
    expect(r.metrics.files_lost).toBe(0)
    expect(r.metrics.files_checked).toBe(6)
    expect(r.checks[0].observed).toBe('0 files of 6 lost')
  })

  it('passes with 1 file lost against rpo: 1 file, and names it', async () => {
    const ds = dataset()
    unlinkSync(path.join(ds.restored, ds.names[1]))
    const r = await run(ds)
    expect(r.status, r.summary).toBe('pass')
    expect(r.metrics.files_lost).toBe(1)
    expect(r.checks[0].observed).toBe('1 file of 6 lost (1 missing)')
    expect(r.checks[0].message).toContain('"ledger/day 1.csv" is missing')
  })

  it('fails with 2 files lost (one missing, one different), pointing at the manifest line', async () => {
    const ds = dataset()
    unlinkSync(path.join(ds.restored, ds.names[2]))
    writeFileSync(path.join(ds.restored, ds.names[3]), 'truncated')
    const r = await run(ds)
    expect(r.status).toBe('fail')
    expect(r.metrics.files_lost).toBe(2)
    const c = r.checks[0]
    expect(c.observed).toBe('2 files of 6 lost (1 missing, 1 different)')
    expect(c.expected).toBe('at most 1 file lost')
    expect(c.message).toMatch(
      /2 files of SHA256SUMS are lost in restored, above the RPO of 1 file: "file-2.bin" is missing; "ledger\/day 3.csv" differs/,
    )
    expect(c.location).toEqual({ path: 'SHA256SUMS', line: 3 })
  })

  it("follows a restored symbolic link as sha256sum does, and counts a folder in a file's place as lost", async () => {
    const ds = dataset()
    const target = path.join(ds.dir, 'elsewhere.bin')
    execFileSync('mv', [path.join(ds.restored, ds.names[0]), target])
    symlinkSync(target, path.join(ds.restored, ds.names[0]))
    rmSync(path.join(ds.restored, ds.names[2]))
    mkdirSync(path.join(ds.restored, ds.names[2]))
    const r = await run(ds)
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks[0].observed).toBe('1 file of 6 lost (1 not a file)')
  })

  it('fails with 0 files allowed and 1 lost', async () => {
    const ds = dataset()
    writeFileSync(path.join(ds.restored, ds.names[0]), 'x')
    const r = await run(ds, { rpo: '0 files' })
    expect(r.status).toBe('fail')
  })

  it('refuses a manifest whose names GNU sha256sum had to escape, naming the line (they cannot be checked safely)', async () => {
    const dir = freshDir()
    mkdirSync(path.join(dir, 'src'))
    const odd = ['plain.txt', 'new\nline.txt']
    for (const name of odd) writeFileSync(path.join(dir, 'src', name), name)
    writeFileSync(path.join(dir, 'SHA256SUMS'), execFileSync('sha256sum', ['--', ...odd], { cwd: path.join(dir, 'src') }))
    expect(readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8')).toMatch(/^\\/m)
    execFileSync('cp', ['-r', path.join(dir, 'src'), path.join(dir, 'restored')])
    const r = await drill({ 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored', rpo: '5 files' }, { cwd: dir })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/SHA256SUMS could not be used: 1 line cannot be checked: line 2 .*escaped form/)
    expect(r.checks[0].location).toEqual({ path: 'SHA256SUMS', line: 2 })
  })

  it('fails closed on a bad manifest, a path escaping the folder, or a missing restored folder', async () => {
    const ds = dataset()
    writeFileSync(path.join(ds.dir, 'BAD'), `${'a'.repeat(64)}  ok.txt\nnot a manifest line\n`)
    let r = await drill({ 'source-manifest': 'BAD', 'restored-path': 'restored' }, { cwd: ds.dir })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/BAD could not be used: line 2 \("not a manifest line"\) is not a SHA-256 manifest line/)
    expect(r.checks[0].location).toEqual({ path: 'BAD', line: 2 })

    writeFileSync(path.join(ds.dir, 'ESCAPE'), `${'a'.repeat(64)}  ../SHA256SUMS\n`)
    r = await drill({ 'source-manifest': 'ESCAPE', 'restored-path': 'restored' }, { cwd: ds.dir })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/line 1 \(\.\.\/SHA256SUMS\) climbs out with `\.\.`; paths must stay inside the folder/)

    writeFileSync(path.join(ds.dir, 'EMPTY'), '')
    r = await drill({ 'source-manifest': 'EMPTY', 'restored-path': 'restored' }, { cwd: ds.dir })
    expect(r.checks[0].message).toMatch(/EMPTY could not be used: the manifest is empty/)

    r = await drill({ 'source-manifest': 'SHA256SUMS', 'restored-path': 'nowhere' }, { cwd: ds.dir })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/restored folder nowhere cannot be compared .* it does not exist/)

    r = await drill({ 'source-manifest': 'MISSING', 'restored-path': 'restored' }, { cwd: ds.dir })
    expect(r.checks[0].message).toMatch(/MISSING could not be used: it does not exist/)
  })

  it('compares after restore-command has run (the restore writes restored-path)', async () => {
    const ds = dataset()
    rmSync(ds.restored, { recursive: true })
    const r = await drill(
      {
        'restore-command': `cp -r src restored && rm "restored/${ds.names[5]}"`,
        'source-manifest': 'SHA256SUMS',
        'restored-path': 'restored',
      },
      { cwd: ds.dir },
    )
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks.map((c) => c.name)).toEqual(['restore-command', 'source-manifest'])
    expect(r.metrics.files_lost).toBe(1)
  })
})

// ---------------------------------------------------------------------------------------------

describe('dr-drill: RPO in time (backup-path)', () => {
  // Ages are taken against the gate's clock, fixed here: an age is exactly what the file was given.
  const NOW = new Date(T0)
  const now = () => NOW
  function backups(ages: Record<string, number>) {
    const dir = freshDir()
    const b = path.join(dir, 'backups')
    for (const [name, ageMs] of Object.entries(ages)) {
      const p = path.join(b, name)
      mkdirSync(path.dirname(p), { recursive: true })
      writeFileSync(p, `backup ${name}`)
      const t = new Date(NOW.getTime() - ageMs)
      utimesSync(p, t, t)
    }
    return dir
  }
  const H = 3_600_000

  it('passes when the newest backup (in a nested folder) is within the RPO, and records it', async () => {
    const dir = backups({ 'old.dump': 30 * H, '2025/06/new.dump': 2 * H, 'mid.dump': 5 * H })
    const r = await drill({ 'backup-path': 'backups', rpo: '1 file, 24h' }, { cwd: dir, now })
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks[0].observed).toBe('backups/2025/06/new.dump: 2h old')
    expect(r.metrics.backup_age_ms).toBe(2 * H)
    const sha = execFileSync('sha256sum', [path.join(dir, 'backups/2025/06/new.dump')], { encoding: 'utf8' }).split(' ')[0]
    expect(r.details).toContain(`| newest backup | backups/2025/06/new.dump | 23 B | \`${sha}\` |`)
    expect(r.checks[0].location).toEqual({ path: 'backups/2025/06/new.dump' })
  })

  it('fails when the newest backup is older than the RPO', async () => {
    const dir = backups({ 'a.dump': 30 * H, 'b.dump': 26 * H })
    const r = await drill({ 'backup-path': 'backups', rpo: '24h' }, { cwd: dir, now })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/backups\/b\.dump was written 1d2h ago .*, 2h over the RPO of 1d/)
    expect(r.metrics.backup_age_ms).toBe(26 * H)
  })

  it('fails on an empty or missing backup folder', async () => {
    const dir = freshDir()
    mkdirSync(path.join(dir, 'empty'))
    let r = await drill({ 'backup-path': 'empty', rpo: '1h' }, { cwd: dir })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/empty holds no backup file/)
    r = await drill({ 'backup-path': 'missing', rpo: '1h' }, { cwd: dir })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/missing could not be read: it does not exist/)
  })
})

// ---------------------------------------------------------------------------------------------

describe('dr-drill parsers: arbitrary input gives a typed error, never a crash', () => {
  const typed = (f: () => unknown, ...errors: (new (...a: never[]) => Error)[]) => {
    try {
      f()
      return true
    } catch (err) {
      return errors.some((E) => err instanceof E)
    }
  }

  it('parseRpo', () => {
    fc.assert(fc.property(fc.string(), (s) => typed(() => parseRpo(s), InputFormError)))
    expect(parseRpo('1 file')).toEqual({ files: 1 })
    expect(parseRpo('0 files')).toEqual({ files: 0 })
    expect(parseRpo('1 file, 24h')).toEqual({ files: 1, ms: 86_400_000 })
    expect(parseRpo('15m\n2 files')).toEqual({ files: 2, ms: 900_000 })
    for (const bad of ['', 'file', '1 file, 2 files', '1h, 2h', '-1 files', '1 file, 1h, 1m'])
      expect(() => parseRpo(bad)).toThrow(InputFormError)
  })

  it('parsePostgresUrl: typed errors, and no password on the command line', () => {
    fc.assert(fc.property(fc.string(), (s) => typed(() => parsePostgresUrl(s), InputFormError)))
    fc.assert(fc.property(fc.string(), (s) => typed(() => parsePostgresUrl(`postgresql://${s}`), InputFormError)))
    fc.assert(fc.property(fc.string(), (s) => postgresSecrets(s).length >= 1))
    const t = parsePostgresUrl('postgresql://app%40x:s%2Fecr%3At@db.internal:6432/orders?sslmode=require&application_name=x')
    expect(t.display).toBe('db.internal:6432/orders')
    expect(t.uri()).toBe('postgresql://app%40x@db.internal:6432/orders?sslmode=require&application_name=x')
    expect(t.uri('cutover_drill_1')).toBe('postgresql://app%40x@db.internal:6432/cutover_drill_1?sslmode=require&application_name=x')
    expect(t.env).toEqual({ PGPASSWORD: 's/ecr:t' })
    expect(t.secrets).toEqual(expect.arrayContaining(['s%2Fecr%3At', 's/ecr:t']))
    const q = parsePostgresUrl('postgres://u@h1:5432,h2:5433/db?password=pw%21pw')
    expect(q.uri()).toBe('postgresql://u@h1:5432,h2:5433/db')
    expect(q.env).toEqual({ PGPASSWORD: 'pw!pw' })
    expect(parsePostgresUrl('postgresql:///app?host=/var/run/postgresql').display).toBe('socket /var/run/postgresql/app')
    expect(() => parsePostgresUrl('postgresql://u:pa/ss@h/db')).toThrow(/percent-encode/)
    expect(() => parsePostgresUrl('mysql://u:p@h/db')).toThrow(InputFormError)
  })

  it('WAL names and positions', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 12 }), (s, k) => typed(() => parseWalName(s, 1 << (20 + (k % 11))), WalError)),
    )
    fc.assert(fc.property(fc.string(), (s) => typed(() => parseLsn(s), WalError)))
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.bigInt({ min: 0n, max: 2n ** 34n - 1n }),
        fc.integer({ min: 1, max: 255 }),
        (k, segno, tli) => {
          const size = 1 << (20 + k)
          const name = walName(tli, segno, size)
          const back = parseWalName(name, size)
          return name.length === 24 && back.segno === segno && back.timeline === tli
        },
      ),
    )
    // 16 MiB segments: 256 per 4 GiB log.
    expect(parseWalName('000000010000000100000002', 16 << 20).segno).toBe(258n)
    expect(() => parseWalName('000000010000000100000100', 16 << 20)).toThrow(/holds only 256 segments/)
    expect(parseWalName('000000010000000000000003.00000028.backup', 16 << 20).segno).toBe(3n)
    expect(() => parseWalName('00000002.history', 16 << 20)).toThrow(WalError)
    expect(() => parseWalName('000000010000000000000003', 3 << 20)).toThrow(/power of two/)
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n)
    // Just after pg_switch_wal(): the position sits on the boundary and names the finished segment.
    expect(walLag('000000010000000000000003', '000000010000000000000003', '0/4000000', 16 << 20)).toEqual({ segments: 0, bytes: 0n })
    expect(walLag('000000010000000000000003', '000000010000000000000004', '0/4001000', 16 << 20)).toEqual({ segments: 1, bytes: 0x1000n })
    expect(walLag('0000000100000000000000FF', '000000020000000100000001', '1/1000010', 16 << 20)).toEqual({
      segments: 2,
      bytes: 0x1000010n,
    })
    expect(() => walLag('000000010000000000000009', '000000010000000000000004', '0/4000000', 16 << 20)).toThrow(/ahead of the current one/)
  })

  it('psql answers: the archiver row and verify-sql CSV', () => {
    fc.assert(fc.property(fc.string(), (s) => typed(() => parseArchiverAnswer(s), AnswerError)))
    fc.assert(fc.property(fc.jsonValue(), (v) => typed(() => parseArchiverAnswer(JSON.stringify(v)), AnswerError)))
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseCsv(s)
        const v = judgeVerifyOutput(s)
        return typeof v.ok === 'boolean'
      }),
    )
    expect(parseCsv('a,b\n"x,""y\nz",f\n')).toEqual([
      ['a', 'b'],
      ['x,"y\nz', 'f'],
    ])
    expect(judgeVerifyOutput('?column?\nt\n').ok).toBe(true)
    expect(judgeVerifyOutput('count\n1000\n')).toMatchObject({ ok: true, observed: '1000' })
    expect(judgeVerifyOutput('?column?\nf\n')).toMatchObject({ ok: false, observed: 'false' })
    expect(judgeVerifyOutput('x\n\n')).toMatchObject({ ok: false, observed: 'NULL' })
    expect(judgeVerifyOutput('x\n')).toMatchObject({ ok: false, observed: 'no rows' })
    expect(judgeVerifyOutput('')).toMatchObject({ ok: false, observed: 'no result' })
  })

  it('the gate never passes on an arbitrary manifest whose files are not there', async () => {
    const dir = freshDir()
    mkdirSync(path.join(dir, 'restored'))
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{64} {2}[a-z]{1,8}\n$/)), async (text) => {
        writeFileSync(path.join(dir, 'M'), text)
        const r = await drill({ 'source-manifest': 'M', 'restored-path': 'restored', rpo: '0 files' }, { cwd: dir })
        return r.status === 'fail'
      }),
      { numRuns: 40 },
    )
  })
})

describe('dr-drill process runner', () => {
  it('TailBuffer keeps exactly the last bytes, across wraps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.uint8Array({ maxLength: 100 })), (cap, chunks) => {
        const t = new TailBuffer(cap)
        for (const c of chunks) t.push(c)
        const all = Buffer.concat(chunks)
        return t.bytes().equals(all.subarray(Math.max(0, all.length - cap))) && t.total === all.length
      }),
    )
    expect(lastLines('a\nb\nc\n', 2, 100)).toEqual({ text: 'b\nc', cut: true })
  })

  it('captures stdout separately, feeds stdin, and reports a missing program', async () => {
    const o = await runProcess({
      argv: ['bash', '-c', 'cat; echo err >&2'],
      cwd: root,
      env: process.env,
      limitMs: 5000,
      stdin: 'hello',
      captureStdout: 3,
      now: () => Date.now(),
    })
    expect(o.code).toBe(0)
    expect(o.stdout).toBe('hel')
    expect(o.stdoutOverflow).toBe(true)
    expect(o.tail).toContain('err')
    const m = await runProcess({
      argv: ['no-such-program-xyz'],
      cwd: root,
      env: { PATH: '/usr/bin:/bin' },
      limitMs: 5000,
      now: () => Date.now(),
    })
    expect(m.spawnError?.code).toBe('ENOENT')
  })

  it('does not wait for a background child that keeps the output open', async () => {
    const dir = freshDir()
    const pidFile = path.join(dir, 'bg.pid')
    const o = await runProcess({
      argv: ['bash', '-c', `sleep 30 & echo $! > ${pidFile}; echo started`],
      cwd: root,
      env: process.env,
      limitMs: 20_000,
      now: () => Date.now(),
    })
    expect(o.code).toBe(0)
    expect(o.timedOut).toBe(false)
    expect(o.tail).toContain('started')
    // Still running when the run resolved: it was not waited for (it holds stdout for 30s,
    // and waiting would have hit the 20s limit). Left alone: a restore may start a service
    // the verify step uses. Clean up here.
    const pid = Number(readFileSync(pidFile, 'utf8'))
    expect(running(pid)).toBe(true)
    process.kill(pid, 'SIGKILL')
  })

  it('stops a run when its signal is aborted, killing the group', async () => {
    const pidFile = path.join(freshDir(), 'pids')
    const ac = new AbortController()
    const o = await runProcess({
      argv: ['bash', '-c', `echo $$ > ${pidFile}; sleep 100 & echo $! >> ${pidFile}; wait`],
      cwd: root,
      env: process.env,
      limitMs: 60_000,
      now: () => Date.now(),
      signal: ac.signal,
      // Abort from inside the run, once the pids are written: no race with a wall-clock delay.
      onTick: () => {
        if (existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim().split('\n').length === 2) ac.abort()
      },
      tickMs: 20,
    })
    expect(o.cancelled).toBe(true)
    expect(o.timedOut).toBe(false)
    expect(o.signal).toBe('SIGTERM')
    const [leader, child] = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number)
    expect(groupGone(leader)).toBe(true)
    expect(running(child)).toBe(false)
  })
})
