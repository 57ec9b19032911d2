// The sql gate through the real gate, against a real PostgreSQL started for these tests: the
// seeds' verify_final_hardening() and ACL scan, count comparisons, write attempts that must leave
// the data as it was, a statement past its timeout, unreachable servers, and the password nowhere.
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { parseColumnAssertions, parsePgUrl, parseRowCount, rowCountHolds } from '../../../src/gates/sql/spec.js'
import { sql } from '../../../src/gates/sql/gate.js'
import { skipPg, startPostgres, type Pg } from '../../support/postgres.js'
import { ACL_SCAN, FIXTURE } from './fixture.js'

let pg: Pg
beforeAll(async () => {
  if (skipPg) return
  pg = await startPostgres()
  await pg.sql(FIXTURE)
})
afterAll(async () => pg?.stop())

async function gate(inputs: Record<string, unknown>, over: { lines?: string[]; signal?: AbortSignal } = {}) {
  const ctx = defaultContext({ log: (l) => over.lines?.push(l), ...(over.signal ? { signal: over.signal } : {}) })
  return runGate(sql, { 'postgres-url': pg.url, ...inputs }, ctx, { id: 'sql' })
}

/** Everything the gate wrote, in one string. */
const everything = (r: unknown, lines: string[] = []) => JSON.stringify(r) + lines.join('\n')

async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
  const { port } = srv.address() as { port: number }
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

describe.skipIf(skipPg)('sql: the seeds', () => {
  it('verify_final_hardening(): every row status=PASS passes', async () => {
    const lines: string[] = []
    const r = await gate({ query: 'SELECT * FROM verify_final_hardening();', expect: "status='PASS'" }, { lines })
    expect(r.status, JSON.stringify(r.checks)).toBe('pass')
    expect(r.checks).toEqual([
      expect.objectContaining({
        name: 'expect',
        status: 'pass',
        message: `All 5 rows from 127.0.0.1:${pg.port}/postgres satisfy \`status=PASS\`.`,
      }),
    ])
    expect(r.metrics).toMatchObject({ rows: 5, failing_rows: 0 })
    expect(r.outputs.rows).toBe('5')
    expect(lines[0]).toBe(`sql: querying 127.0.0.1:${pg.port}/postgres in a read-only transaction (timeout 30s)`)
  })

  it('one FAIL row fails the gate and is named, with what it holds', async () => {
    await pg.sql("UPDATE app.hardening SET status = 'FAIL', details = 'tenants has no RLS' WHERE check_name = 'rls_on_tenants'")
    try {
      const r = await gate({ query: 'SELECT * FROM verify_final_hardening()', expect: 'status=PASS' })
      expect(r.status).toBe('fail')
      expect(r.checks[0].observed).toBe('1 of 5 rows fail')
      expect(r.checks[0].message).toBe(
        `1 of 5 rows from 127.0.0.1:${pg.port}/postgres do not satisfy \`status=PASS\`: row 4 (check_name=rls_on_tenants, status=FAIL, details=tenants has no RLS): status is "FAIL", expected "PASS".`,
      )
      expect(r.details).toMatch(
        /\| row \| check_name \| status \| details \|\n\|---\|---\|---\|---\|\n\| 4 \| rls_on_tenants \| FAIL \| tenants has no RLS \|/,
      )
    } finally {
      await pg.sql("UPDATE app.hardening SET status = 'PASS' WHERE check_name = 'rls_on_tenants'")
    }
  })

  it('the ACL scan finds the PUBLIC grant and names the table; after REVOKE it is empty and passes', async () => {
    const before = await gate({ query: ACL_SCAN, 'expect-rows': 'none' })
    expect(before.status).toBe('fail')
    expect(before.checks[0]).toMatchObject({ name: 'rows', observed: '1 row', expected: 'no rows' })
    expect(before.checks[0].message).toBe(
      `The query on 127.0.0.1:${pg.port}/postgres returned 1 row, expected no rows: row 1 (schema=app, table=accounts, public_grants={SELECT}).`,
    )
    await pg.sql('REVOKE SELECT ON app.accounts FROM PUBLIC')
    try {
      const after = await gate({ query: ACL_SCAN, 'expect-rows': 'none' })
      expect(after.status).toBe('pass')
      expect(after.checks[0].message).toBe(`The query on 127.0.0.1:${pg.port}/postgres returned no rows, as expected (no rows).`)
    } finally {
      await pg.sql('GRANT SELECT ON app.accounts TO PUBLIC')
    }
  })

  it.each([
    ['>= 3', 'pass'],
    ['> 3', 'fail'],
    ['= 3', 'pass'],
    ['3', 'pass'],
    ['== 4', 'fail'],
    ['!= 0', 'pass'],
    ['< 3', 'fail'],
    ['<= 3', 'pass'],
    ['some', 'pass'],
    ['none', 'fail'],
  ])('security events in the last hour, expect-rows %s → %s', async (rows, status) => {
    const r = await gate({
      query: "SELECT event_type, severity FROM core.security_events WHERE created_at > now() - interval '1 hour'",
      'expect-rows': rows,
    })
    expect(r.status).toBe(status)
    expect(r.checks[0].observed).toBe('3 rows')
  })

  it('a count column and an assertion on it: no S0 event in the last hour', async () => {
    const q = "SELECT count(*) AS s0 FROM core.security_events WHERE severity = 'S0' AND created_at > now() - interval '1 hour'"
    expect((await gate({ query: q, expect: 's0=0', 'expect-rows': '= 1' })).status).toBe('pass')
    const day = await gate({ query: q.replace('1 hour', '1 day'), expect: 's0=0' })
    expect(day.checks[0].message).toMatch(/row 1 \(s0=1\): s0 is "1", expected "0"/)
  })
})

describe.skipIf(skipPg)('sql: read-only', () => {
  const balances = () => pg.sql(`SELECT string_agg(id || ':' || available || ':' || held, ',' ORDER BY id) FROM app.accounts`)
  it.each([
    ['INSERT', "INSERT INTO app.accounts VALUES (3, 'mallory', 1000000, 0)", /cannot execute INSERT in a read-only transaction/],
    ['UPDATE', 'UPDATE app.accounts SET available = 0', /cannot execute UPDATE in a read-only transaction/],
    [
      'DELETE returning rows',
      'WITH d AS (DELETE FROM app.accounts RETURNING *) SELECT count(*) FROM d',
      /cannot execute (SELECT|DELETE) in a read-only transaction/,
    ],
    ['DDL', 'DROP TABLE app.accounts', /cannot execute DROP TABLE in a read-only transaction/],
    ['a function that writes', 'SELECT app.drain()', /cannot execute UPDATE in a read-only transaction/],
    ['nextval', "SELECT nextval('app.tx_seq')", /cannot execute nextval\(\) in a read-only transaction/],
  ])('%s fails as a write attempt, and the data is untouched', async (_what, query, server) => {
    const before = await balances()
    const r = await gate({ query, 'expect-rows': 'some' })
    expect(r.status).toBe('fail')
    expect(r.checks[0]).toMatchObject({ name: 'query', observed: 'query failed (25006)' })
    expect(r.checks[0].message).toMatch(/^The query tried to write: /)
    expect(r.checks[0].message).toMatch(server)
    expect(r.checks[0].message).toMatch(
      /\(SQLSTATE 25006\)\. The statement ran in a READ ONLY transaction that was rolled back, so nothing was changed/,
    )
    expect(await balances()).toBe(before)
    expect(await pg.sql("SELECT last_value || ':' || is_called FROM app.tx_seq")).toBe('1:false')
  })

  it('a second statement cannot step out of the transaction: COMMIT; DELETE is refused whole', async () => {
    const before = await balances()
    for (const query of [
      'COMMIT; DELETE FROM app.accounts',
      'SELECT 1; DELETE FROM app.accounts',
      'ROLLBACK; SET default_transaction_read_only = off; DELETE FROM app.accounts',
    ]) {
      const r = await gate({ query, 'expect-rows': 'none' })
      expect(r.status, query).toBe('fail')
      expect(r.checks[0].message).toMatch(/^The query holds more than one statement \(SQLSTATE 42601\); the sql gate runs exactly one/)
    }
    expect(await balances()).toBe(before)
  })

  it('a lone COMMIT or SET is no query: it returns no result set and fails, never "no rows, as expected"', async () => {
    for (const [query, tag] of [
      ['COMMIT', 'COMMIT'],
      ['SET TRANSACTION READ WRITE', 'SET'],
    ]) {
      const r = await gate({ query, 'expect-rows': 'none' })
      expect(r.status, query).toBe('fail')
      expect(r.checks[0].message).toMatch(new RegExp(`^The statement is a ${tag} command, not a query: it returned no result set`))
    }
  })

  it('a statement past the timeout is cancelled by the server, and leaves no session behind', async () => {
    const r = await gate({ query: 'SELECT pg_sleep(30)', 'expect-rows': 'some', timeout: '1s' })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toBe(
      'The query ran longer than 1s (the `timeout`) and the server cancelled it (SQLSTATE 57014). Make the query cheaper, or raise `timeout` if it is slow by design.',
    )
    const left = await pg.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cutover-gates sql'")
    expect(left).toBe('0')
  })

  it('URL parameters cannot lift the statement timeout', async () => {
    const url = `${pg.url}?statement_timeout=0&options=-c%20statement_timeout%3D0`
    const r = await runGate(
      sql,
      { 'postgres-url': url, query: 'SELECT pg_sleep(30)', 'expect-rows': 'some', timeout: '1s' },
      defaultContext({ log: () => {} }),
      {
        id: 'sql',
      },
    )
    expect(r.checks[0].message).toMatch(/ran longer than 1s .* cancelled it \(SQLSTATE 57014\)/)
  })
})

describe.skipIf(skipPg)('sql: answers that cannot pass', () => {
  it('zero rows with expect is never a pass', async () => {
    const r = await gate({ query: "SELECT * FROM verify_final_hardening() WHERE check_name = 'nothing'", expect: 'status=PASS' })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(
      /returned no rows, so `status=PASS` was checked on nothing: zero rows with `expect` is never a pass/,
    )
  })

  it('refuses expect with expect-rows that only an empty answer satisfies, or no expectation at all', async () => {
    for (const rows of ['none', '= 0', '<= 0', '< 1']) {
      const r = await gate({ query: 'SELECT 1 AS x', 'expect-rows': rows, expect: 'x=1' })
      expect(r.inputError, rows).toBe(true)
      expect(r.checks[0].message).toMatch(/zero rows with `expect` is never a pass, so this can never pass/)
    }
    const none = await gate({ query: 'SELECT 1' })
    expect(none.checks[0].message).toMatch(/give `expect-rows`, `expect` or both/)
  })

  it('a missing or doubled column is named', async () => {
    const missing = await gate({ query: 'SELECT check_name, details FROM verify_final_hardening()', expect: 'status=PASS' })
    expect(missing.checks[0].message).toMatch(
      /`status=PASS` cannot be checked .*: the answer has no column `status` \(its columns are `check_name`, `details`\)/,
    )
    const doubled = await gate({ query: "SELECT 'PASS' AS status, 'FAIL' AS status", expect: 'status=PASS' })
    expect(doubled.checks[0].message).toMatch(/the answer has 2 columns named `status`/)
  })

  it('NULL never satisfies an assertion; booleans read as true/false or t/f', async () => {
    const nul = await gate({ query: 'SELECT NULL::text AS status', expect: 'status=NULL' })
    expect(nul.checks[0].message).toMatch(/row 1 \(status=NULL\): status is NULL, expected "NULL"/)
    expect((await gate({ query: 'SELECT true AS ok', expect: 'ok=true' })).status).toBe('pass')
    expect((await gate({ query: 'SELECT true AS ok', expect: 'ok=t' })).status).toBe('pass')
    expect((await gate({ query: 'SELECT false AS ok', expect: 'ok=true' })).status).toBe('fail')
  })

  it('names at most 50 failing rows, then "and N more"', async () => {
    const r = await gate({ query: "SELECT g AS id, 'FAIL' AS status FROM generate_series(1, 80) g", expect: 'status=PASS' })
    expect(r.checks[0].observed).toBe('80 of 80 rows fail')
    const named = r.checks[0].message.match(/row \d+ \(/g)!
    expect(named).toHaveLength(50)
    expect(r.checks[0].message).toMatch(/row 50 \(id=50, status=FAIL\): status is "FAIL", expected "PASS"; and 30 more\.$/)
    expect(r.details).toMatch(/and 30 more \(the first 50 are shown\)/)
  })

  it('a large answer is judged row by row', async () => {
    const r = await gate({
      query: "SELECT g AS id, CASE WHEN g = 199999 THEN 'FAIL' ELSE 'PASS' END AS status FROM generate_series(1, 200000) g",
      expect: 'status=PASS',
    })
    expect(r.checks[0].observed).toBe('1 of 200000 rows fail')
    expect(r.checks[0].message).toMatch(/row 199999 \(id=199999, status=FAIL\)/)
  })

  it('a syntax error says where', async () => {
    const r = await gate({ query: 'SELEC * FROM app.accounts', 'expect-rows': 'some' })
    expect(r.checks[0].message).toBe(
      `The query failed on 127.0.0.1:${pg.port}/postgres: syntax error at or near "SELEC" at character 1 (SQLSTATE 42601).`,
    )
  })
})

describe.skipIf(skipPg)('sql: servers that do not answer, and the password', () => {
  it('an unreachable server (nothing listens) fails with the cause', async () => {
    const port = await closedPort()
    const r = await gate({
      'postgres-url': `postgresql://postgres:${encodeURIComponent(pg.password)}@127.0.0.1:${port}/postgres`,
      query: 'SELECT 1 AS x',
      expect: 'x=1',
    })
    expect(r.status).toBe('fail')
    expect(r.checks[0]).toMatchObject({ name: 'query', observed: 'connect failed (ECONNREFUSED)' })
    expect(r.checks[0].message).toMatch(
      new RegExp(`^Could not connect to 127\\.0\\.0\\.1:${port}/postgres: connection refused \\(ECONNREFUSED`),
    )
    expect(everything(r)).not.toContain(pg.password)
  })

  it('a server that accepts but never answers fails at the timeout', async () => {
    const sockets: Socket[] = []
    const silent: Server = createServer((s) => void sockets.push(s))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
    const { port } = silent.address() as { port: number }
    try {
      const r = await gate({
        'postgres-url': `postgresql://postgres:x-secret-pw@127.0.0.1:${port}/app`,
        query: 'SELECT 1 AS x',
        expect: 'x=1',
        timeout: '500ms',
      })
      expect(r.checks[0].message).toBe(
        `Could not connect to 127.0.0.1:${port}/app: no answer within 500ms (the \`timeout\`). Check that the server is reachable from the runner (firewall, security group).`,
      )
    } finally {
      for (const s of sockets) s.destroy()
      silent.close()
    }
  })

  it('the password is in no channel: wrong password, a server error quoting it, a logged URL', async () => {
    const lines: string[] = []
    const wrong = `postgresql://postgres:${encodeURIComponent('Wr0ng-p@ss/Zq9x')}@127.0.0.1:${pg.port}/postgres`
    const r1 = await gate({ 'postgres-url': wrong, query: 'SELECT 1 AS x', expect: 'x=1' }, { lines })
    expect(r1.checks[0].message).toMatch(
      /^Could not connect to .*: the server refused the credentials \(28P01: password authentication failed for user "postgres"\)/,
    )
    // The server's own error quotes the value it could not read: here, the password itself.
    const r2 = await gate({ query: `SELECT '${pg.password.replace(/'/g, "''")}'::int AS x`, expect: 'x=1' }, { lines })
    expect(r2.checks[0].message).toMatch(/invalid input syntax for type integer: "\*\*\*"/)
    const r3 = await gate({ query: `SELECT '${pg.password.replace(/'/g, "''")}' AS leaked`, 'expect-rows': 'none' }, { lines })
    expect(r3.checks[0].message).toMatch(/row 1 \(leaked=\*\*\*\)/)
    for (const r of [r1, r2, r3]) {
      const all = everything(r, lines)
      for (const form of [pg.password, encodeURIComponent(pg.password), 'Wr0ng-p@ss/Zq9x', encodeURIComponent('Wr0ng-p@ss/Zq9x')])
        expect(all).not.toContain(form)
    }
  })

  it('the password given as a parameter is masked too', async () => {
    const url = `postgresql://postgres@127.0.0.1:${pg.port}/postgres?password=${encodeURIComponent(pg.password)}`
    const r = await gate({ 'postgres-url': url, query: `SELECT '${pg.password.replace(/'/g, "''")}' AS p`, 'expect-rows': 'none' })
    expect(r.checks[0].message).toMatch(/row 1 \(p=\*\*\*\)/)
    expect(everything(r)).not.toContain(pg.password)
  })

  it('a cancelled run stops the query', async () => {
    const controller = new AbortController()
    const lines: string[] = []
    const run = gate({ query: 'SELECT pg_sleep(30)', 'expect-rows': 'some' }, { lines, signal: controller.signal })
    // Cancel once the server runs the statement.
    const active = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cutover-gates sql' AND query LIKE '%pg_sleep%'"
    for (let i = 0; i < 500 && (await pg.sql(active)) === '0'; i++) await new Promise((r) => setTimeout(r, 10))
    controller.abort()
    const r = await run
    expect(r.checks[0].message).toMatch(/^The run was cancelled before 127\.0\.0\.1:\d+\/postgres answered\./)
  })
})

describe('sql: inputs', () => {
  it('parses URLs into what may be shown, and refuses ones that would misread the password', () => {
    expect(parsePgUrl('postgresql://u:p%2Fw@db.example.com:6543/app?sslmode=require').display).toBe('db.example.com:6543/app')
    expect(parsePgUrl('postgres://u:pw@db/app').display).toBe('db:5432/app')
    expect(parsePgUrl('postgres://u:pw@db/app?statement_timeout=0').connectionString).toBe('postgres://u:pw@db/app')
    for (const bad of [
      'mysql://u:p@db/app',
      'postgresql://u:p/w@db/app',
      'postgresql://u:p#w@db/app',
      'postgresql:///app',
      'db.example.com:5432',
    ]) {
      expect(() => parsePgUrl(bad), bad).toThrow()
      try {
        parsePgUrl(bad)
      } catch (err) {
        expect(String((err as Error).message)).not.toContain('p/w')
      }
    }
  })

  it('parses row counts and assertions', () => {
    expect(parseRowCount('>= 3')).toMatchObject({ kind: 'compare', op: '>=', n: 3 })
    expect(parseRowCount('NONE')).toEqual({ kind: 'none' })
    expect(rowCountHolds(parseRowCount('!= 2'), 3)).toBe(true)
    expect(() => parseRowCount('>= 0')).toThrow(/holds for any answer/)
    expect(() => parseRowCount('< 0')).toThrow(/fewer than 0/)
    expect(() => parseRowCount('at least 3')).toThrow(/`none`, `some`, or a count comparison/)
    expect(parseColumnAssertions('status=\'PASS\'\nok = "t"')).toEqual([
      { text: 'status=PASS', column: 'status', value: 'PASS' },
      { text: 'ok=t', column: 'ok', value: 't' },
    ])
    expect(() => parseColumnAssertions('status')).toThrow()
    expect(() => parseColumnAssertions('status=PASS\nstatus=WARN')).toThrow(/given twice/)
  })

  it('never quotes a refused postgres-url', async () => {
    const r = await runGate(
      sql,
      { 'postgres-url': 'postgresql://admin:Hunter2/Secret@db/app', query: 'SELECT 1', 'expect-rows': 'some' },
      defaultContext({ log: () => {} }),
      {
        id: 'sql',
      },
    )
    expect(r.inputError).toBe(true)
    expect(r.checks[0].message).toMatch(
      /input `postgres-url`: \(value hidden\) is not valid; expected a postgresql:\/\/ URL .*percent-encode/,
    )
    expect(JSON.stringify(r)).not.toMatch(/Hunter2|Secret/)
  })
})
