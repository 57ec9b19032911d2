// Fail closed, sql: every way a database check can fail to measure is a `fail` with a sentence,
// against the real PostgreSQL helper (and real closed and silent ports); no row of it passes, and
// the URL's password appears in none of them.
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { sql } from '../../src/gates/sql/gate.js'
import { skipPg, startPostgres, type Pg } from '../support/postgres.js'
import { FIXTURE } from '../gates/sql/fixture.js'

interface Row {
  way: string
  /** Inputs; `URL` is the server's URL, `CLOSED` a port nothing listens on, `SILENT` one that never answers. */
  inputs: Record<string, string>
  check: 'query' | 'rows' | 'expect' | 'inputs'
  says: RegExp
  refused?: boolean
}

const rows: Row[] = [
  {
    way: 'nothing listens (unreachable server)',
    inputs: { 'postgres-url': 'CLOSED', query: 'SELECT 1 AS x', expect: 'x=1' },
    check: 'query',
    says: /connection refused \(ECONNREFUSED/,
  },
  {
    way: 'a server that never answers (timeout)',
    inputs: { 'postgres-url': 'SILENT', query: 'SELECT 1 AS x', expect: 'x=1', timeout: '300ms' },
    check: 'query',
    says: /no answer within 300ms/,
  },
  {
    way: 'no DNS record',
    inputs: { 'postgres-url': 'postgresql://u:pw-x9@cutover-sql.invalid/app', query: 'SELECT 1 AS x', expect: 'x=1' },
    check: 'query',
    says: /Could not connect to cutover-sql\.invalid:5432\/app: (no DNS record|the DNS lookup failed)/,
  },
  {
    way: 'a database that does not exist',
    inputs: { 'postgres-url': 'URL_NODB', query: 'SELECT 1 AS x', expect: 'x=1' },
    check: 'query',
    says: /the database does not exist \(3D000/,
  },
  {
    way: 'a statement past the timeout',
    inputs: { query: 'SELECT pg_sleep(10)', 'expect-rows': 'some', timeout: '500ms' },
    check: 'query',
    says: /ran longer than 500ms .* cancelled it \(SQLSTATE 57014\)/,
  },
  {
    way: 'a write attempt',
    inputs: { query: 'DELETE FROM app.accounts', 'expect-rows': 'none' },
    check: 'query',
    says: /tried to write: cannot execute DELETE in a read-only transaction/,
  },
  {
    way: 'two statements',
    inputs: { query: 'COMMIT; DELETE FROM app.accounts', 'expect-rows': 'none' },
    check: 'query',
    says: /holds more than one statement/,
  },
  {
    way: 'a row where none may be',
    inputs: { query: 'SHOW server_version_num', 'expect-rows': 'none' },
    check: 'rows',
    says: /returned 1 row, expected no rows/,
  },
  {
    way: 'a lone COMMIT (no result set)',
    inputs: { query: 'COMMIT', 'expect-rows': 'none' },
    check: 'query',
    says: /is a COMMIT command, not a query/,
  },
  {
    way: 'zero rows with an expect',
    inputs: { query: 'SELECT status FROM app.hardening WHERE false', expect: 'status=PASS' },
    check: 'expect',
    says: /zero rows with `expect` is never a pass/,
  },
  {
    way: 'a missing table',
    inputs: { query: 'SELECT * FROM app.nope', 'expect-rows': 'none' },
    check: 'query',
    says: /relation "app\.nope" does not exist .*\(SQLSTATE 42P01\)/,
  },
  {
    way: 'a missing column in expect',
    inputs: { query: 'SELECT check_name FROM app.hardening', expect: 'status=PASS' },
    check: 'expect',
    says: /the answer has no column `status`/,
  },
  {
    way: 'a NULL where a value is expected',
    inputs: { query: 'SELECT NULL::text AS status', expect: 'status=PASS' },
    check: 'expect',
    says: /status is NULL, expected "PASS"/,
  },
  {
    way: 'a count below the comparison',
    inputs: { query: 'SELECT * FROM app.accounts', 'expect-rows': '>= 3' },
    check: 'rows',
    says: /returned 2 rows, expected at least 3 rows/,
  },
  {
    way: 'a wrong password',
    inputs: { 'postgres-url': 'URL_WRONG', query: 'SELECT 1 AS x', expect: 'x=1' },
    check: 'query',
    says: /the server refused the credentials \(28P01/,
  },
  {
    way: 'postgres-url given as an empty string',
    inputs: { 'postgres-url': '', query: 'SELECT 1', 'expect-rows': 'some' },
    refused: true,
    check: 'inputs',
    says: /input `postgres-url` is required/,
  },
  {
    way: 'query given as an empty string',
    inputs: { query: '  ', 'expect-rows': 'some' },
    refused: true,
    check: 'inputs',
    says: /input `query` is required/,
  },
  {
    way: 'no expectation at all',
    inputs: { query: 'SELECT 1' },
    refused: true,
    check: 'inputs',
    says: /give `expect-rows`, `expect` or both/,
  },
  {
    way: 'an expectation that can never pass',
    inputs: { query: 'SELECT 1 AS x', expect: 'x=1', 'expect-rows': 'none' },
    refused: true,
    check: 'inputs',
    says: /can never pass/,
  },
  {
    way: 'an expectation that checks nothing',
    inputs: { query: 'SELECT 1', 'expect-rows': '>= 0' },
    refused: true,
    check: 'inputs',
    says: /holds for any answer, so it checks nothing/,
  },
  {
    way: 'an unparsable URL',
    inputs: { 'postgres-url': 'db.example.com:5432 password=pw-x9', query: 'SELECT 1', 'expect-rows': 'some' },
    refused: true,
    check: 'inputs',
    says: /\(value hidden\) is not valid; expected a postgresql:\/\/ URL/,
  },
  {
    way: 'a NaN timeout',
    inputs: { query: 'SELECT 1', 'expect-rows': 'some', timeout: 'NaN' },
    refused: true,
    check: 'inputs',
    says: /input `timeout`: "NaN" is not valid/,
  },
]

let pg: Pg
let silent: Server
const sockets: Socket[] = []
let closedPort = 0
beforeAll(async () => {
  silent = createServer((s) => void sockets.push(s))
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
  closedPort = (probe.address() as { port: number }).port
  await new Promise<void>((r) => probe.close(() => r()))
  if (skipPg) return
  pg = await startPostgres()
  await pg.sql(FIXTURE)
})
afterAll(async () => {
  for (const s of sockets) s.destroy()
  silent?.close()
  await pg?.stop()
})

describe.skipIf(skipPg)('sql fails closed', () => {
  it.each(rows.map((r) => [r.way, r] as const))('%s', async (_way, row) => {
    const pw = encodeURIComponent(pg.password)
    const urls: Record<string, string> = {
      URL: pg.url,
      URL_NODB: pg.url.replace(/\/postgres$/, '/no_such_db'),
      URL_WRONG: pg.url.replace(pw, 'Wr0ng-pw-x9'),
      CLOSED: `postgresql://postgres:${pw}@127.0.0.1:${closedPort}/app`,
      SILENT: `postgresql://postgres:${pw}@127.0.0.1:${(silent.address() as { port: number }).port}/app`,
    }
    const inputs = { 'postgres-url': 'URL', ...row.inputs }
    inputs['postgres-url'] = urls[inputs['postgres-url']] ?? inputs['postgres-url']
    const r = await runGate(sql, inputs, defaultContext({ log: () => {} }), { id: 'sql' })
    expect(r.status).toBe('fail')
    const c = r.checks.find((x) => x.name === row.check && x.status === 'fail')
    expect(c, JSON.stringify(r.checks, null, 1)).toBeDefined()
    expect(c!.message).toMatch(row.says)
    expect(c!.message).not.toMatch(/\n\s+at /)
    expect(c!.message).toMatch(/\.$/)
    expect(c!.expected).not.toBe('')
    expect(c!.observed).not.toBe('')
    expect(r.inputError).toBe(row.refused === true)
    for (const secret of [pg.password, pw, 'pw-x9', 'Wr0ng-pw-x9']) expect(JSON.stringify(r)).not.toContain(secret)
  })

  it('covers every way the contract names', () => {
    const ways = rows.map((r) => r.way).join('\n')
    for (const w of [
      'unreachable server',
      'timeout',
      'a statement past the timeout',
      'a write attempt',
      'zero rows with an expect',
      'given as an empty string',
    ])
      expect(ways).toContain(w)
  })
})
