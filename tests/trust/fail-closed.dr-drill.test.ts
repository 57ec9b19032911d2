// Fail-closed table for dr-drill: every way a drill can fail to measure, with real components:
// real bash processes (killed with their process groups), real files and SHA256SUMS written by
// sha256sum, and the real PostgreSQL helper for the database cases. Each case is a `fail` (or a
// `warn` where the contract allows it: an unverified restore, a backup dated in the future) with a
// sentence, never a pass and never a stack trace; no secret of the URL appears anywhere.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GateContext } from '../../src/core/gate.js'
import type { GateResult } from '../../src/core/result.js'
import { drDrill } from '../../src/gates/dr-drill/gate.js'
import { pgMissing, skipPg, startPostgres, type Pg } from '../support/postgres.js'

const root = mkdtempSync(path.join(tmpdir(), 'dr-fail-closed-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const NOW = new Date('2026-06-01T02:00:00Z')

let n = 0
function fresh(): string {
  const d = path.join(root, `c${++n}`)
  mkdirSync(d, { recursive: true })
  return d
}

/** Source data with its SHA256SUMS (by the real sha256sum); `restored` is left for the case to make. */
function source(dir: string): void {
  mkdirSync(path.join(dir, 'src'))
  for (const name of ['a.csv', 'b.csv', 'c.csv']) writeFileSync(path.join(dir, 'src', name), `rows of ${name}\n`)
  writeFileSync(path.join(dir, 'SHA256SUMS'), execFileSync('sha256sum', ['a.csv', 'b.csv', 'c.csv'], { cwd: path.join(dir, 'src') }))
}

async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
  const { port } = srv.address() as { port: number }
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

interface Case {
  what: string
  /** Builds the case in its own folder; returns the inputs and anything to change in the context. */
  setup: (dir: string) => Record<string, string> | Promise<Record<string, string>>
  ctx?: (dir: string) => Partial<GateContext>
  status: 'fail' | 'warn'
  check: string
  message: RegExp
  /** Needs a real PostgreSQL server (or at least psql). */
  pg?: boolean
}

const cases: Case[] = [
  // restore-command and verify-command
  {
    what: 'restore command missing (nothing to drill)',
    setup: () => ({ rto: '15m' }),
    status: 'fail',
    check: 'inputs',
    message: /^Could not run the gate: nothing to drill: give at least one of `restore-command`/,
  },
  {
    what: 'restore command given empty',
    setup: () => ({ 'restore-command': '  ', 'verify-command': '' }),
    status: 'fail',
    check: 'inputs',
    message: /nothing to drill/,
  },
  {
    what: 'restore script not found',
    setup: () => ({ 'restore-command': './restore-from-s3.sh --latest', 'verify-command': 'true' }),
    status: 'fail',
    check: 'restore-command',
    message: /^The restore exited 127 after .*: .*restore-from-s3\.sh: No such file or directory\. Read the output tail/,
  },
  {
    what: 'bash not on PATH',
    setup: () => ({ 'restore-command': 'true' }),
    ctx: () => ({ env: { PATH: '/nonexistent' } }),
    status: 'fail',
    check: 'restore-command',
    message: /^The restore could not start: `bash` is not on PATH\./,
  },
  {
    what: 'working folder gone',
    setup: () => ({ 'restore-command': 'true' }),
    ctx: (dir) => ({ cwd: path.join(dir, 'gone') }),
    status: 'fail',
    check: 'restore-command',
    message: /^The restore could not start: its working folder .*gone does not exist\./,
  },
  {
    what: 'restore times out (and its children with it)',
    setup: () => ({ 'restore-command': 'sleep 1000 & wait', rto: '1s', timeout: '1s', 'verify-command': 'true' }),
    status: 'fail',
    check: 'restore-command',
    message: /^The restore was still running after 1s \(the timeout\) and was killed with its process group\. The RTO of 1s was missed\./,
  },
  {
    what: 'restore killed by a signal',
    setup: () => ({ 'restore-command': 'kill -KILL $$', 'verify-command': 'true' }),
    status: 'fail',
    check: 'restore-command',
    message: /^The restore killed by SIGKILL after /,
  },
  {
    what: 'run cancelled before the restore',
    setup: () => ({ 'restore-command': 'true', 'verify-command': 'true' }),
    ctx: () => ({ signal: AbortSignal.abort() }),
    status: 'fail',
    check: 'restore-command',
    message: /^The restore was cancelled, and killed with its process group\./,
  },
  {
    what: 'verify failing',
    setup: () => ({ 'restore-command': 'true', 'verify-command': 'echo "orders: 0 rows, expected 1000" >&2; exit 1' }),
    status: 'fail',
    check: 'verify-command',
    message:
      /^Verification of the restored system exited 1 after .*: orders: 0 rows, expected 1000\. The restore ran but what it restored is not proven good/,
  },
  {
    what: 'verify script not found',
    setup: () => ({ 'restore-command': 'true', 'verify-command': './smoke.sh' }),
    status: 'fail',
    check: 'verify-command',
    message: /^Verification of the restored system exited 127 .*smoke\.sh: No such file or directory/,
  },
  {
    what: 'verify times out',
    setup: () => ({ 'restore-command': 'true', 'verify-command': 'sleep 1000', rto: '1s', timeout: '1s' }),
    status: 'fail',
    check: 'verify-command',
    message: /^Verification of the restored system was still running after 1s \(the timeout\) and was killed/,
  },
  {
    what: 'a restore nothing verified',
    setup: () => ({ 'restore-command': 'true' }),
    status: 'warn',
    check: 'verification',
    message:
      /^The restore exited 0 after .*, but nothing checked what it restored.*`verify-command`.*`source-manifest` with `restored-path`.*`verify-sql`\.$/,
  },
  {
    what: 'verify-command given empty',
    setup: () => ({ 'restore-command': 'true', 'verify-command': '' }),
    status: 'warn',
    check: 'verification',
    message: /but nothing checked what it restored/,
  },
  {
    what: 'an rto past what a drill may take',
    setup: () => ({ 'restore-command': 'true', rto: '25d' }),
    status: 'fail',
    check: 'inputs',
    message:
      /^Could not run the gate: input `rto`: "25d" is not valid; expected a duration above zero, such as 90s, 15m or 1h30m, at most 24d\.$/,
  },
  // source-manifest + restored-path
  {
    what: 'manifest missing',
    setup: (dir) => {
      mkdirSync(path.join(dir, 'restored'))
      return { 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored' }
    },
    status: 'fail',
    check: 'source-manifest',
    message: /^The source manifest SHA256SUMS could not be used: it does not exist\. Write it with `sha256sum`/,
  },
  {
    what: 'manifest empty',
    setup: (dir) => {
      writeFileSync(path.join(dir, 'SHA256SUMS'), '')
      mkdirSync(path.join(dir, 'restored'))
      return { 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored' }
    },
    status: 'fail',
    check: 'source-manifest',
    message: /^The source manifest SHA256SUMS could not be used: the manifest is empty/,
  },
  {
    what: 'manifest unparsable',
    setup: (dir) => {
      writeFileSync(path.join(dir, 'SHA256SUMS'), 'these are not checksums\n')
      mkdirSync(path.join(dir, 'restored'))
      return { 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored' }
    },
    status: 'fail',
    check: 'source-manifest',
    message: /could not be used: line 1 .*is not a SHA-256 manifest line/,
  },
  {
    what: 'restored folder empty',
    setup: (dir) => {
      source(dir)
      mkdirSync(path.join(dir, 'restored'))
      return { 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored', rpo: '0 files' }
    },
    status: 'fail',
    check: 'source-manifest',
    message:
      /^3 files of SHA256SUMS are lost in restored, above the RPO of 0 files: "a\.csv" is missing; "b\.csv" is missing; "c\.csv" is missing\./,
  },
  {
    what: 'restored folder missing',
    setup: (dir) => {
      source(dir)
      return { 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored' }
    },
    status: 'fail',
    check: 'source-manifest',
    message: /^The restored folder restored cannot be compared with SHA256SUMS: it does not exist\./,
  },
  {
    what: 'restored path is a file',
    setup: (dir) => {
      source(dir)
      writeFileSync(path.join(dir, 'restored'), 'not a folder')
      return { 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored' }
    },
    status: 'fail',
    check: 'source-manifest',
    message: /^The restored folder restored cannot be compared with SHA256SUMS: a part of the path is not a folder\./,
  },
  {
    what: 'a restore that wrote nothing where the manifest looks',
    setup: (dir) => {
      source(dir)
      return { 'restore-command': 'mkdir -p restored', 'source-manifest': 'SHA256SUMS', 'restored-path': 'restored', rpo: '1 file' }
    },
    status: 'fail',
    check: 'source-manifest',
    message: /^3 files of SHA256SUMS are lost in restored, above the RPO of 1 file/,
  },
  // backup-path
  {
    what: 'backup folder empty',
    setup: (dir) => {
      mkdirSync(path.join(dir, 'backups', 'daily'), { recursive: true })
      return { 'backup-path': 'backups', rpo: '24h' }
    },
    status: 'fail',
    check: 'backup-path',
    message: /^backups holds no backup file, so nothing could be restored/,
  },
  {
    what: 'backup folder missing',
    setup: () => ({ 'backup-path': 'backups', rpo: '24h' }),
    status: 'fail',
    check: 'backup-path',
    message: /^The backup folder backups could not be read: it does not exist\./,
  },
  {
    what: 'newest backup empty (a backup run that failed)',
    setup: (dir) => {
      mkdirSync(path.join(dir, 'backups'))
      const old = path.join(dir, 'backups', 'monday.dump')
      writeFileSync(old, 'a real backup')
      const t = new Date(NOW.getTime() - 2 * 86_400_000)
      utimesSync(old, t, t)
      const fresh = path.join(dir, 'backups', 'today.dump')
      writeFileSync(fresh, '')
      const u = new Date(NOW.getTime() - 60_000)
      utimesSync(fresh, u, u)
      return { 'backup-path': 'backups', rpo: '24h' }
    },
    status: 'fail',
    check: 'backup-path',
    message: /^The newest backup backups\/today\.dump is empty \(0 bytes, written .*\), so nothing could be restored from it/,
  },
  {
    what: 'backup dated in the future (its age cannot be established)',
    setup: (dir) => {
      mkdirSync(path.join(dir, 'backups'))
      const f = path.join(dir, 'backups', 'tomorrow.dump')
      writeFileSync(f, 'x')
      const t = new Date(NOW.getTime() + 86_400_000)
      utimesSync(f, t, t)
      return { 'backup-path': 'backups', rpo: '24h' }
    },
    status: 'warn',
    check: 'backup-path',
    message: /^The newest backup backups\/tomorrow\.dump is dated 1d in the future .*so its age cannot be trusted/,
  },
  // PostgreSQL without a server to reach
  {
    what: 'unreachable PostgreSQL (WAL)',
    pg: true,
    setup: async () => ({ 'postgres-url': `postgresql://postgres:s3cretPw@127.0.0.1:${await closedPort()}/postgres` }),
    status: 'fail',
    check: 'wal-archive',
    message:
      /^The WAL archiver of PostgreSQL at 127\.0\.0\.1:\d+\/postgres could not be read: psql exited 2 after .*Connection refused.*Check `postgres-url`, the network path and the credentials\./s,
  },
  {
    what: 'unreachable PostgreSQL (dump drill)',
    pg: true,
    setup: async (dir) => {
      writeFileSync(path.join(dir, 'shop.dump'), 'PGDMP')
      return { 'postgres-url': `postgresql://postgres:s3cretPw@127.0.0.1:${await closedPort()}/postgres`, 'postgres-dump': 'shop.dump' }
    },
    status: 'fail',
    check: 'postgres-dump',
    message:
      /^The scratch database cutover_drill_[0-9a-f]{12} could not be created on PostgreSQL at 127\.0\.0\.1:\d+\/postgres: psql exited 2/,
  },
  {
    what: 'psql not on PATH',
    setup: () => ({ 'postgres-url': 'postgresql://postgres:s3cretPw@127.0.0.1:5432/postgres' }),
    ctx: () => ({ env: { PATH: '/nonexistent' } }),
    status: 'fail',
    check: 'wal-archive',
    message: /could not be read: psql could not start: `.*psql` is not on PATH\./,
  },
  {
    what: 'postgres-url malformed',
    setup: () => ({ 'postgres-url': 'postgresql://postgres:s3cret/Pw@db/x' }),
    status: 'fail',
    check: 'inputs',
    message: /^Could not run the gate: input `postgres-url`: \(value hidden\) is not valid; expected a postgresql:\/\/ URL/,
  },
]

/** Needs the real server: filled in by beforeAll. */
const pgCases = (pg: () => Pg): Case[] => [
  {
    what: 'wrong password (WAL)',
    setup: () => ({ 'postgres-url': pg().url.replace(encodeURIComponent(pg().password), 'wrong-Pa55word') }),
    status: 'fail',
    check: 'wal-archive',
    message: /could not be read: psql exited 2 after .*password authentication failed for user "postgres".*Check `postgres-url`/s,
  },
  {
    what: 'wrong password (dump drill)',
    setup: (dir) => {
      execFileSync('cp', [path.join(pgDir, 'shop.dump'), dir])
      return { 'postgres-url': pg().url.replace(encodeURIComponent(pg().password), 'wrong-Pa55word'), 'postgres-dump': 'shop.dump' }
    },
    status: 'fail',
    check: 'postgres-dump',
    message: /could not be created on PostgreSQL at 127\.0\.0\.1:\d+\/postgres: psql exited 2 .*password authentication failed/s,
  },
  {
    what: 'a database that does not exist',
    setup: () => ({ 'postgres-url': pg().url.replace(/\/postgres$/, '/no_such_db') }),
    status: 'fail',
    check: 'wal-archive',
    message: /could not be read: psql exited 2 .*database "no_such_db" does not exist/s,
  },
  {
    what: 'dump missing',
    setup: () => ({ 'postgres-url': pg().url, 'postgres-dump': 'missing.dump' }),
    status: 'fail',
    check: 'postgres-dump',
    message: /^The dump missing\.dump cannot be restored: it does not exist\./,
  },
  {
    what: 'dump that is not a dump',
    setup: (dir) => {
      writeFileSync(path.join(dir, 'junk.dump'), 'hello, I am not a pg_dump archive\n')
      return { 'postgres-url': pg().url, 'postgres-dump': 'junk.dump' }
    },
    status: 'fail',
    check: 'postgres-dump',
    message: /failed: pg_restore exited 1 after .*pg_restore: error.*The dump may be corrupt/s,
  },
  {
    what: 'an empty dump file',
    setup: (dir) => {
      writeFileSync(path.join(dir, 'empty.dump'), '')
      return { 'postgres-url': pg().url, 'postgres-dump': 'empty.dump' }
    },
    status: 'fail',
    check: 'postgres-dump',
    message: /failed: pg_restore exited 1/,
  },
  {
    what: 'verify-sql false',
    setup: (dir) => {
      execFileSync('cp', [path.join(pgDir, 'shop.dump'), dir])
      return { 'postgres-url': pg().url, 'postgres-dump': 'shop.dump', 'verify-sql': 'SELECT count(*) = 5000 FROM orders' }
    },
    status: 'fail',
    check: 'verify-sql',
    message: /^`verify-sql` failed in the restored database: its first value is false\./,
  },
  {
    what: 'verify-sql returning no rows',
    setup: (dir) => {
      execFileSync('cp', [path.join(pgDir, 'shop.dump'), dir])
      return { 'postgres-url': pg().url, 'postgres-dump': 'shop.dump', 'verify-sql': 'SELECT id FROM orders WHERE id < 0' }
    },
    status: 'fail',
    check: 'verify-sql',
    message: /failed in the restored database: it returned no rows/,
  },
  {
    what: 'verify-sql that errors',
    setup: (dir) => {
      execFileSync('cp', [path.join(pgDir, 'shop.dump'), dir])
      return { 'postgres-url': pg().url, 'postgres-dump': 'shop.dump', 'verify-sql': 'SELECT count(*) FROM no_such_table' }
    },
    status: 'fail',
    check: 'verify-sql',
    message: /could not run in the restored database: psql exited 1 .*relation "no_such_table" does not exist/s,
  },
  {
    what: 'a dump of an empty database, with no verify-sql',
    setup: (dir) => {
      execFileSync('cp', [path.join(pgDir, 'empty.dump'), dir])
      return { 'postgres-url': pg().url, 'postgres-dump': 'empty.dump' }
    },
    status: 'fail',
    check: 'verify-sql',
    message:
      /^The default check \(at least one table restored; give `verify-sql` to check the data\) failed in the restored database: its first value is false\./,
  },
]
let pgDir = ''

async function run(c: Case): Promise<{ r: GateResult; log: string[]; inputs: Record<string, string> }> {
  const dir = fresh()
  const inputs = await c.setup(dir)
  const log: string[] = []
  const ctx = defaultContext({ log: (l) => log.push(l), now: () => NOW, cwd: dir, workspace: dir, ...c.ctx?.(dir) })
  const r = await runGate(drDrill, inputs, ctx, { id: 'dr-drill' })
  return { r, log, inputs }
}

function expectFailClosed(c: Case, r: GateResult, log: string[], secrets: string[]): void {
  expect(r.status, r.summary).toBe(c.status)
  const found = r.checks.filter((x) => x.name === c.check && x.status === c.status)
  expect(found, JSON.stringify(r.checks, null, 1)).toHaveLength(1)
  expect(found[0].message).toMatch(c.message)
  // A sentence: capital (or a quoted input, or a path) first, full stop last.
  expect(found[0].message).toMatch(/^[A-Za-z0-9`].*[.)?]$/s)
  const everything = JSON.stringify(r) + log.join('\n')
  expect(everything).not.toMatch(/\n\s+at |TypeError|RangeError|could not measure/)
  for (const s of secrets) expect(everything).not.toContain(s)
}

describe('dr-drill fails closed', () => {
  it.each(cases.filter((c) => !c.pg))('$what → $status', async (c) => {
    const { r, log } = await run(c)
    expectFailClosed(c, r, log, ['s3cretPw', 's3cret/Pw'])
  })

  describe.skipIf(skipPg)(`with psql${skipPg ? ` (skipped: ${pgMissing})` : ''}`, () => {
    it.each(cases.filter((c) => c.pg))('$what → $status', async (c) => {
      const { r, log } = await run(c)
      expectFailClosed(c, r, log, ['s3cretPw'])
    })
  })
})

describe.skipIf(skipPg)(`dr-drill fails closed against a real PostgreSQL${skipPg ? ` (skipped: ${pgMissing})` : ''}`, () => {
  let pg: Pg
  beforeAll(async () => {
    pg = await startPostgres()
    pgDir = fresh()
    await pg.sql('CREATE DATABASE shop')
    await pg.sql(
      ['CREATE TABLE orders (id int PRIMARY KEY, total numeric)', 'INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g'],
      'shop',
    )
    await pg.sql('CREATE DATABASE empty')
    await pg.dump('shop', path.join(pgDir, 'shop.dump'))
    await pg.dump('empty', path.join(pgDir, 'empty.dump'))
  }, 120_000)
  afterAll(async () => {
    // No scratch database outlives a failed drill.
    if (pg) expect(await pg.sql("SELECT count(*) FROM pg_database WHERE datname LIKE 'cutover_drill_%'")).toBe('0')
    await pg?.stop()
  })

  it.each(pgCases(() => pg))('$what → $status', async (c) => {
    const { r, log } = await run(c)
    expectFailClosed(c, r, log, [pg.password, encodeURIComponent(pg.password), pg.url, 'wrong-Pa55word'])
  })
})
