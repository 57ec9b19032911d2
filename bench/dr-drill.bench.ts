/**
 * dr-drill's overhead over a bare restore of the same dump, as a ratio measured in one run.
 *
 * Reference: what an operator types for a bare drill, with the same client binaries: create a
 * database, `pg_restore` into it, drop it. The gate does that plus verify-sql, the SHA-256 of
 * the dump, progress and the report. Aim: under 1.1x. Also printed: the ratio over pg_restore
 * alone. BENCH_SCALE multiplies the table size (default 200k rows, a 9 MiB dump); BENCH_ROUNDS
 * sets the rounds (default 3; medians are printed, the runner is usually shared and noisy).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { defaultContext, realPorts, runGate } from '../src/core/gate.js'
import { formatDuration } from '../src/core/units.js'
import { pgTool } from '../src/gates/dr-drill/postgres.js'
import { drDrill } from '../src/gates/dr-drill/gate.js'
import { pgMissing, skipPg, startPostgres, type Pg } from '../tests/support/postgres.js'

const exec = promisify(execFile)
const scale = Number(process.env.BENCH_SCALE ?? '1') || 1
const rows = Math.round(200_000 * scale)
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? '3') || 3)

let pg: Pg
let dir: string
let dump: string

beforeAll(async () => {
  if (skipPg) return
  pg = await startPostgres()
  dir = mkdtempSync(path.join(tmpdir(), 'cutover-dr-bench-'))
  dump = path.join(dir, 'bench.dump')
  await pg.sql('CREATE DATABASE bench')
  await pg.sql(
    [
      'CREATE TABLE events (id bigint PRIMARY KEY, account int NOT NULL, kind text NOT NULL, amount numeric(12,2), payload text)',
      `INSERT INTO events SELECT g, g % 5000, (ARRAY['debit','credit','refund'])[1 + g % 3], (g % 100000) / 100.0, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, ${rows}) g`,
      'CREATE INDEX events_account ON events (account)',
    ],
    'bench',
  )
  await pg.dump('bench', dump)
}, 30 * 60_000)

afterAll(async () => {
  await pg?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

it.skipIf(skipPg)(`dr-drill vs bare pg_restore${skipPg ? ` (skipped: ${pgMissing})` : ''}`, async () => {
  const env = { ...process.env, PGPASSWORD: pg.password }
  const psql = pgTool('psql', process.env, realPorts().fs)
  const restore = pgTool('pg_restore', process.env, realPorts().fs)
  const conn = (db: string) => `postgresql://postgres@127.0.0.1:${pg.port}/${db}`
  const bare: number[] = []
  const restoreOnly: number[] = []
  const gate: number[] = []
  let steps = ''
  const outside: number[] = []
  for (let i = 0; i < rounds; i++) {
    const name = `bare_${i}`
    const t0 = performance.now()
    await exec(psql, ['-X', '-q', '-d', conn('postgres'), '-c', `CREATE DATABASE ${name} TEMPLATE template0`], { env })
    const t1 = performance.now()
    await exec(restore, ['--no-owner', '--no-acl', '--exit-on-error', '-d', conn(name), dump], { env })
    const t2 = performance.now()
    await exec(psql, ['-X', '-q', '-d', conn('postgres'), '-c', `DROP DATABASE ${name}`], { env })
    const t3 = performance.now()
    bare.push(t3 - t0)
    restoreOnly.push(t2 - t1)

    const g0 = performance.now()
    const r = await runGate(
      drDrill,
      { 'postgres-url': pg.url, 'postgres-dump': dump, 'verify-sql': `SELECT count(*) = ${rows} FROM events`, rto: '1h' },
      defaultContext({ log: () => {} }),
      { id: 'bench' },
    )
    const total = performance.now() - g0
    gate.push(total)
    // Time not spent in the steps (hashing, psql, pg_restore): the gate's own machinery.
    outside.push(total - Object.entries(r.metrics).reduce((sum, [k, v]) => (k.startsWith('step_ms:') ? sum + v : sum), 0))
    expect(r.status, r.summary).toBe('pass')
    steps = Object.entries(r.metrics)
      .filter(([k]) => k.startsWith('step_ms:'))
      .map(([k, v]) => `${k.slice(8)} ${formatDuration(v)}`)
      .join(', ')
  }
  const b = median(bare)
  const ro = median(restoreOnly)
  const g = median(gate)
  const lines = [
    `dr-drill bench: dump ${(statSync(dump).size / 1048576).toFixed(1)} MiB (${rows} rows), median of ${rounds} rounds`,
    `  bare pg_restore alone                       ${formatDuration(ro)}`,
    `  bare create + pg_restore + drop (reference) ${formatDuration(b)}`,
    `  dr-drill gate (+ verify-sql, SHA-256, report) ${formatDuration(g)}`,
    `  ratio gate / reference:        ${(g / b).toFixed(3)}x (aim < 1.1x)`,
    `  ratio gate / pg_restore alone: ${(g / ro).toFixed(3)}x`,
    `  gate steps (last round): ${steps}`,
    `  gate time outside its steps: ${formatDuration(median(outside))}`,
  ]
  console.log(lines.join('\n'))
})
