// The bundled sql action (dist/sql/index.js, with node-postgres bundled in), run as the GitHub
// runner runs it, against a real PostgreSQL and the fake GitHub API.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { runAction } from '../harness/run-action.js'
import { skipPg, startPostgres, type Pg } from '../support/postgres.js'
import { ACL_SCAN, FIXTURE } from '../gates/sql/fixture.js'
import { channels, report } from './channels.js'

let pg: Pg
let api: FakeGitHub | undefined
beforeAll(async () => {
  if (skipPg) return
  pg = await startPostgres()
  await pg.sql(FIXTURE)
})
afterAll(async () => pg?.stop())
afterEach(async () => {
  expect(api?.invalid ?? [], 'requests GitHub would reject').toEqual([])
  await api?.close()
})

async function run(inputs: Record<string, string>, cwd: string) {
  api = await startFakeGitHub()
  return runAction('sql', { inputs, apiUrl: api.url, cwd })
}
const checkRuns = () => api!.requests.filter((r) => r.operationId === 'checks/create')

describe.skipIf(skipPg)('sql action', () => {
  it('verify_final_hardening() all PASS: a green step, outputs, report and check run', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run(
      { 'postgres-url': pg.url, query: 'SELECT * FROM verify_final_hardening()', expect: 'status=PASS', id: 'hardening' },
      cwd,
    )
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.outputs).toMatchObject({ status: 'pass', rows: '5', report: 'cutover-reports/hardening.json' })
    expect(await report(cwd, 'hardening')).toMatchObject({ gate: 'sql', status: 'pass', metrics: { rows: 5, failing_rows: 0 } })
    expect(checkRuns()[0].body).toMatchObject({ name: 'cutover / hardening', conclusion: 'success' })
    expect(r.summary).toContain('Database checks PASS')
  })

  it('the ACL scan finding a PUBLIC grant fails the step, naming the table', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run({ 'postgres-url': pg.url, query: ACL_SCAN, 'expect-rows': 'none', id: 'acl-scan' }, cwd)
    expect(r.code).toBe(1)
    expect(r.outputs.summary).toMatch(
      /^acl-scan: FAIL: The query on 127\.0\.0\.1:\d+\/postgres returned 1 row, expected no rows: row 1 \(schema=app, table=accounts, public_grants=\{SELECT\}\)\.$/,
    )
    expect(checkRuns()[0].body).toMatchObject({ conclusion: 'failure' })
  })

  it('the password is in no channel: a good URL, a wrong password, a server error quoting it', async () => {
    const wrong = pg.url.replace(encodeURIComponent(pg.password), encodeURIComponent('Wr0ng#Pl@nted/Zx'))
    const quoting = `SELECT '${pg.password.replace(/'/g, "''")}'::int AS x`
    for (const [url, query] of [
      [pg.url, 'SELECT * FROM verify_final_hardening()'],
      [wrong, 'SELECT 1 AS x'],
      [pg.url, quoting],
    ]) {
      const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
      const r = await run({ 'postgres-url': url, query, expect: 'status=PASS' }, cwd)
      expect(r.stdout).toContain('::add-mask::')
      const c = await channels(r, api!, cwd)
      for (const [name, text] of Object.entries(c))
        for (const secret of [pg.password, encodeURIComponent(pg.password), 'Wr0ng#Pl@nted/Zx', encodeURIComponent('Wr0ng#Pl@nted/Zx')])
          expect(text, `${name} for ${query}`).not.toContain(secret)
      await api!.close()
      api = undefined
    }
  })
})
