/**
 * dr-drill against a real PostgreSQL started by the test (tests/support/postgres.ts): the WAL
 * archiver, healthy and broken, and timed pg_restore drills into scratch databases.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, symlinkSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { parseLsn, walName } from '../../../src/gates/dr-drill/wal.js'
import { drDrill } from '../../../src/gates/dr-drill/gate.js'
import { pgMissing, skipPg, startPostgres, type Pg } from '../../support/postgres.js'

const work = mkdtempSync(path.join(tmpdir(), 'cutover-dr-pg-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

async function drill(inputs: Record<string, string>, log: string[] = [], now?: () => Date) {
  const ctx = defaultContext({ log: (l) => log.push(l), cwd: work, workspace: work, ...(now ? { now } : {}) })
  return runGate(drDrill, inputs, ctx, { id: 'dr-drill' })
}

/** Nothing the gate wrote (checks, details, metrics, log) may hold the password, raw or encoded. */
function expectNoSecret(pg: Pg, result: unknown, log: string[]) {
  const text = JSON.stringify(result) + log.join('\n')
  expect(text).not.toContain(pg.password)
  expect(text).not.toContain(encodeURIComponent(pg.password))
  expect(text).not.toContain(pg.url)
}

async function scratchLeft(pg: Pg): Promise<string> {
  return pg.sql("SELECT string_agg(datname, ',') FROM pg_database WHERE datname LIKE 'cutover_drill_%'")
}

/** Writes some WAL and switches to a new segment; returns the segment that was finished. */
async function writeAndSwitch(pg: Pg, rows = 2000): Promise<string> {
  await pg.sql(`INSERT INTO churn SELECT g, md5(g::text) FROM generate_series(1, ${rows}) g`)
  return pg.sql('SELECT pg_walfile_name(pg_switch_wal())')
}

describe.skipIf(skipPg)(`dr-drill with a real PostgreSQL${skipPg ? ` (skipped: ${pgMissing})` : ''}`, () => {
  let pg: Pg
  let dump: string
  beforeAll(async () => {
    pg = await startPostgres()
    await pg.sql('CREATE TABLE churn (id int, v text)')
    await pg.sql('CREATE DATABASE shop')
    await pg.sql(
      [
        'CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, total numeric(10,2))',
        "INSERT INTO orders SELECT g, 'customer ' || g, g * 1.5 FROM generate_series(1, 1000) g",
        'CREATE INDEX orders_customer ON orders (customer)',
        'CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 1000',
      ],
      'shop',
    )
    dump = path.join(work, 'shop.dump')
    await pg.dump('shop', dump)
  }, 120_000)
  afterAll(async () => {
    await pg?.stop()
  })

  describe('WAL archiver', () => {
    it('passes a healthy archiver, measuring the unarchived segments and naming the server without credentials', async () => {
      const finished = await writeAndSwitch(pg)
      await pg.waitArchived(finished)
      const log: string[] = []
      const r = await drill({ 'postgres-url': pg.url }, log)
      expect(r.status, r.summary).toBe('pass')
      expect(r.checks).toHaveLength(1)
      const c = r.checks[0]
      expect(c.name).toBe('wal-archive')
      expect(r.metrics.wal_unarchived_segments).toBeLessThanOrEqual(1)
      expect(r.metrics.archiver_archived_count).toBeGreaterThan(0)
      expect(c.message).toContain(`PostgreSQL at 127.0.0.1:${pg.port}/postgres archives its WAL`)
      expect(c.message).toContain(`last archived ${finished}`)
      expect(c.expected).toBe('at most 1 file unarchived')
      expectNoSecret(pg, r, log)
    })

    it('counts segments exactly as the server names them (1 MiB segments)', async () => {
      // Our segment arithmetic against the server's own pg_walfile_name for a spread of positions.
      for (const lsn of ['0/1', '0/FFFFF', '0/100000', '0/1000001', '1/0', '1/1', 'A/12345678', 'FF/FFFFFFFF']) {
        const server = await pg.sql(`SELECT pg_walfile_name('${lsn}'::pg_lsn)`)
        const segno = (parseLsn(lsn) - 1n) / BigInt(1 << 20) // pg_walfile_name names the segment holding the byte before
        const tli = parseInt(server.slice(0, 8), 16)
        expect(walName(tli, segno < 0n ? 0n : segno, 1 << 20), lsn).toBe(server)
      }
    })

    it('fails when the archiver is broken and unarchived WAL grows past the RPO', async () => {
      const broken = await startPostgres()
      try {
        await broken.sql('CREATE TABLE churn (id int, v text)')
        const first = await writeAndSwitch(broken)
        await broken.waitArchived(first)
        const before = await drill({ 'postgres-url': broken.url })
        expect(before.status, before.summary).toBe('pass')

        await broken.setArchiveCommand('false')
        const seen: number[] = []
        let result = before
        for (let i = 0; i < 6 && result.status !== 'fail'; i++) {
          await writeAndSwitch(broken)
          await broken.sql('INSERT INTO churn VALUES (0, $$pending$$)')
          result = await drill({ 'postgres-url': broken.url, rpo: '1 file' })
          seen.push(result.metrics.wal_unarchived_segments)
        }
        expect(result.status, `unarchived segments seen: ${seen.join(', ')}`).toBe('fail')
        expect(seen.length).toBeGreaterThanOrEqual(1)
        for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1])
        const c = result.checks[0]
        expect(c.name).toBe('wal-archive')
        expect(c.message).toMatch(new RegExp(`has ${seen.at(-1)} WAL segments not yet archived, above the RPO of 1 file`))
        expect(c.message).toContain(`last archived ${first}`)

        // The archiver's own failures are reported once it has tried and failed.
        for (let i = 0; i < 100 && Number(await broken.sql('SELECT failed_count FROM pg_stat_archiver')) === 0; i++)
          await new Promise((r) => setTimeout(r, 100))
        const log: string[] = []
        // The age is taken on the server's clock: wait until the last archive is unambiguously older than the 1s RPO.
        const age = async () =>
          Number(await broken.sql('SELECT extract(epoch FROM clock_timestamp() - last_archived_time) FROM pg_stat_archiver'))
        for (let i = 0; i < 100 && (await age()) < 2; i++) await new Promise((r) => setTimeout(r, 100))
        expect(await age()).toBeGreaterThanOrEqual(2)
        const failing = await drill({ 'postgres-url': broken.url, rpo: '1 file, 1s' }, log)
        expect(failing.status).toBe('fail')
        expect(failing.metrics.archiver_failed_count).toBeGreaterThan(0)
        expect(failing.checks[0].message).toMatch(/The archiver is failing: \d+ failures? since its statistics were reset/)
        expect(failing.checks[0].message).toMatch(/WAL has waited on .* since the last segment was archived .* ago, above the RPO of 1s/)
        expectNoSecret(broken, failing, log)

        // One segment pending with a failing archiver is within `1 file` of RPO, but a warning.
        const within = await drill({ 'postgres-url': broken.url, rpo: '100 files' })
        expect(within.status).toBe('warn')
        expect(within.checks[0].message).toMatch(/within the RPO .* but the latest archive attempt failed/)
      } finally {
        await broken.stop()
      }
    }, 120_000)

    it('fails closed when the server cannot be reached or the password is wrong, without quoting it', async () => {
      const log: string[] = []
      const wrong = pg.url.replace(encodeURIComponent(pg.password), 'not-the-password-123')
      let r = await drill({ 'postgres-url': wrong }, log)
      expect(r.status).toBe('fail')
      expect(r.checks[0].message).toMatch(/could not be read: psql exited 2 .*password authentication failed/)
      expect(JSON.stringify(r)).not.toContain('not-the-password-123')

      const closed = `postgresql://postgres:${encodeURIComponent(pg.password)}@127.0.0.1:1/postgres`
      r = await drill({ 'postgres-url': closed }, log)
      expect(r.status).toBe('fail')
      expect(r.checks[0].message).toMatch(/PostgreSQL at 127\.0\.0\.1:1\/postgres could not be read/)
      expectNoSecret(pg, r, log)
    })
  })

  describe('postgres-dump restore drill', () => {
    it('restores the dump into a scratch database, checks the row count, records the dump and drops the database', async () => {
      const log: string[] = []
      const r = await drill(
        { 'postgres-url': pg.url, 'postgres-dump': 'shop.dump', 'verify-sql': 'SELECT count(*) = 1000 FROM orders', rto: '5m' },
        log,
      )
      expect(r.status, r.summary).toBe('pass')
      const dumpCheck = r.checks.find((c) => c.name === 'postgres-dump')!
      expect(dumpCheck.status).toBe('pass')
      expect(dumpCheck.message).toMatch(
        new RegExp(
          `shop\\.dump restored into a scratch database on PostgreSQL at 127\\.0\\.0\\.1:${pg.port}/postgres in .*, within the RTO of 5m`,
        ),
      )
      const verify = r.checks.find((c) => c.name === 'verify-sql')!
      expect(verify).toMatchObject({ status: 'pass', observed: 't' })
      expect(r.metrics.dump_rto_ms).toBeGreaterThan(0)
      expect(r.metrics['step_ms:pg_restore']).toBeGreaterThan(0)
      const sha = execFileSync('sha256sum', [dump], { encoding: 'utf8' }).split(' ')[0]
      const size = readFileSync(dump).length
      expect(r.details).toContain(`| postgres-dump | shop.dump |`)
      expect(r.details).toContain(`\`${sha}\``)
      expect(r.details).toMatch(new RegExp(`\\| (${size} B|[\\d.]+ KiB) \\|`))
      for (const step of ['create scratch database', 'pg_restore', 'verify-sql', 'drop scratch database', 'hash dump'])
        expect(r.details).toContain(`| ${step} |`)
      expect(await scratchLeft(pg)).toBe('')
      expect(log.some((l) => /postgres-dump: scratch database cutover_drill_[0-9a-f]{12} dropped/.test(l))).toBe(true)
      expectNoSecret(pg, r, log)
    })

    it('fails when verify-sql says the data is wrong (and still drops the database)', async () => {
      const r = await drill({ 'postgres-url': pg.url, 'postgres-dump': 'shop.dump', 'verify-sql': 'SELECT count(*) = 1001 FROM orders' })
      expect(r.status).toBe('fail')
      const v = r.checks.find((c) => c.name === 'verify-sql')!
      expect(v).toMatchObject({ status: 'fail', observed: 'false' })
      expect(v.message).toMatch(/`verify-sql` failed in the restored database: its first value is false/)
      expect(await scratchLeft(pg)).toBe('')
    })

    it('fails when verify-sql errors, quoting the server', async () => {
      const r = await drill({ 'postgres-url': pg.url, 'postgres-dump': 'shop.dump', 'verify-sql': 'SELECT count(*) FROM invoices' })
      expect(r.status).toBe('fail')
      expect(r.checks.find((c) => c.name === 'verify-sql')!.message).toMatch(
        /could not run in the restored database: psql exited 1 .*relation "invoices" does not exist/,
      )
      expect(await scratchLeft(pg)).toBe('')
    })

    it('without verify-sql, checks that at least one table was restored', async () => {
      const r = await drill({ 'postgres-url': pg.url, 'postgres-dump': 'shop.dump' })
      expect(r.status, r.summary).toBe('pass')
      expect(r.checks.find((c) => c.name === 'verify-sql')!.message).toMatch(/The default check \(at least one table restored/)
    })

    it('fails on a corrupt or truncated dump, and the scratch database is gone afterwards', async () => {
      const bytes = readFileSync(dump)
      writeFileSync(path.join(work, 'truncated.dump'), bytes.subarray(0, Math.floor(bytes.length * 0.6)))
      const garbled = Buffer.from(bytes)
      for (let i = Math.floor(bytes.length * 0.3); i < Math.floor(bytes.length * 0.7); i++) garbled[i] = (garbled[i] * 31 + 7) & 0xff
      writeFileSync(path.join(work, 'garbled.dump'), garbled)
      writeFileSync(path.join(work, 'not-a-dump.dump'), 'this is not a dump\n')
      for (const file of ['truncated.dump', 'garbled.dump', 'not-a-dump.dump']) {
        const log: string[] = []
        const r = await drill({ 'postgres-url': pg.url, 'postgres-dump': file, 'verify-sql': 'SELECT count(*) = 1000 FROM orders' }, log)
        expect(r.status, file).toBe('fail')
        const c = r.checks.find((x) => x.name === 'postgres-dump')!
        expect(c.status, file).toBe('fail')
        expect(c.message, file).toMatch(/failed: pg_restore exited 1 after .*pg_restore: error/)
        expect(r.details, file).toContain('pg_restore output')
        expect(await scratchLeft(pg), file).toBe('')
        expect(
          log.some((l) => /dropped after the failed restore/.test(l)),
          file,
        ).toBe(true)
        expectNoSecret(pg, r, log)
      }
    })

    it('kills a verify-sql that outlives the timeout, fails, and still drops the scratch database', async () => {
      const log: string[] = []
      const r = await drill(
        { 'postgres-url': pg.url, 'postgres-dump': 'shop.dump', 'verify-sql': 'SELECT pg_sleep(60)', rto: '1s', timeout: '3s' },
        log,
      )
      expect(r.status).toBe('fail')
      const v = r.checks.find((c) => c.name === 'verify-sql')!
      expect(v.message).toMatch(/still running after 3s \(the timeout\) and was killed/)
      expect(await scratchLeft(pg)).toBe('')
      // Nothing of the killed check is left running on the server.
      expect(await pg.sql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")).toBe('0')
    })

    it('fails on a dump path that does not exist, without creating a database', async () => {
      const r = await drill({ 'postgres-url': pg.url, 'postgres-dump': 'missing.dump' })
      expect(r.status).toBe('fail')
      expect(r.checks[0].message).toMatch(/The dump missing\.dump cannot be restored: it does not exist/)
      expect(await scratchLeft(pg)).toBe('')
    })

    it('fails the RTO when the restore takes longer than the budget', async () => {
      // The gate's clock moves 1s at every reading: create + pg_restore take at least 2s on it.
      let t = Date.parse('2026-06-01T02:00:00Z')
      const now = () => new Date((t += 1000))
      const r = await drill({ 'postgres-url': pg.url, 'postgres-dump': 'shop.dump', rto: '1s', timeout: '1m' }, [], now)
      expect(r.status).toBe('fail')
      expect(r.checks.find((c) => c.name === 'postgres-dump')!.message).toMatch(/took \S+, \S+ over the RTO of 1s/)
      expect(r.metrics.dump_rto_ms).toBeGreaterThanOrEqual(2000)
      expect(await scratchLeft(pg)).toBe('')
    })

    it("runs a command drill and the dump drill together; the restore server's WAL is not measured", async () => {
      // A symbolic link, as backup folders keep `latest.dump`: followed for the hash and the restore.
      symlinkSync(dump, path.join(work, 'copy.dump'))
      const r = await drill({
        'restore-command': 'cmp shop.dump copy.dump',
        'verify-command': 'test -s copy.dump',
        'postgres-url': pg.url,
        'postgres-dump': 'copy.dump',
        'verify-sql': "SELECT count(*) FROM big_orders WHERE customer LIKE 'customer %'",
        rpo: '100 files',
      })
      expect(r.status, r.summary).toBe('pass')
      expect(r.checks.map((c) => c.name)).toEqual(['restore-command', 'verify-command', 'postgres-dump', 'verify-sql'])
      expect(r.checks.find((c) => c.name === 'verify-sql')!.observed).toBe('334')
      expect(r.details).toContain(`| postgres-dump | copy.dump |`)
      expect(r.details).toContain(execFileSync('sha256sum', [dump], { encoding: 'utf8' }).split(' ')[0])
    })
  })
})
