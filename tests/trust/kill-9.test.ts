// After `kill -9` in the middle of writing a report or holding the ledger lock, what the dead
// writer left must neither trip a later run nor pile up run after run. Real processes, really
// killed with SIGKILL at a known point (each says "ready" when it is there), then the real
// bundled CLI runs a checklist into the same folder.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { LEDGER_FILE, verifyLedger } from '../../src/core/ledger.js'
import { sweepTemps, tempPath } from '../../src/core/files.js'
import type { Check } from '../../src/core/result.js'
import { decide } from '../../src/gates/decide/gate.js'
import { json, serve, type TestServer } from '../support/http.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const CLI = path.join(ROOT, 'dist/cli/index.js')
const TS_RESOLVE = path.join(ROOT, 'tests/support/ts-resolve.mjs')
const FILES_TS = path.join(ROOT, 'src/core/files.ts')
const LEDGER_TS = path.join(ROOT, 'src/core/ledger.ts')
const RUN = { GITHUB_SHA: 'a'.repeat(40), GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'acme/shop' }

let svc: TestServer
let ws: string
beforeAll(async () => {
  svc = await serve(json(200, { status: 'pass' }, 'application/health+json'))
  ws = mkdtempSync(path.join(tmpdir(), 'kill9-'))
  writeFileSync(
    path.join(ws, 'cutover.yml'),
    `version: 1\ngates:\n${['api', 'web', 'search'].map((id) => `  - id: ${id}\n    uses: readyz\n    with:\n      url: ${svc.url}/${id}\n`).join('')}`,
  )
})
afterAll(async () => {
  await svc.close()
  rmSync(ws, { recursive: true, force: true })
})

/**
 * A writer that stops where `kill -9` would find it: with a report's temp file written but not
 * yet renamed into place, or holding the ledger lock. Resolves once it was SIGKILLed there.
 */
async function killedWhile(what: 'writing a report' | 'holding the ledger lock', dir: string): Promise<number> {
  const script = `
    const [dir, what] = process.argv.slice(1)
    const { writeTemp } = await import(${JSON.stringify(FILES_TS)})
    const { withLock } = await import(${JSON.stringify(LEDGER_TS)})
    const ready = () => process.stdout.write('ready\\n')
    if (what === 'writing a report') { await writeTemp(dir + '/api.json', '{"schemaVersion": 1, "id": "api", "sta'); ready() }
    else await withLock(dir + '/${LEDGER_FILE}.lock', {}, () => new Promise(() => ready()))
    setInterval(() => {}, 1000)`
  const child = spawn(process.execPath, ['--import', TS_RESOLVE, '--input-type=module', '-e', script, dir, what], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve())
    child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before it was killed: ${err}`)))
  })
  const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  child.kill('SIGKILL')
  expect(await exited).toBe('SIGKILL')
  return child.pid!
}

function check(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'check', '--config', 'cutover.yml', '--report-dir', dir], {
    cwd: ws,
    env: { PATH: process.env.PATH, HOME: ws, ...RUN },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))

describe('after kill -9', () => {
  it('temp files and a lock left by killed writers neither trip the next checklist nor pile up', async () => {
    const dir = path.join(ws, 'reports')
    for (let round = 1; round <= 3; round++) {
      // Three writers killed mid-report, one killed holding the lock: all of them dead.
      for (let i = 0; i < 3; i++) await killedWhile('writing a report', dir)
      await killedWhile('holding the ledger lock', dir)
      // Each writer swept the temp files of those killed before it: only the last one's is left.
      expect(leftovers(dir).sort()).toEqual([expect.stringMatching(/^\.api\.json\.\d+-[0-9a-f]{8}\.1\.tmp$/), `${LEDGER_FILE}.lock`])

      const r = await check('reports')
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain('Go/No-Go decision: GO')
      // The dead writers' files are gone, none of the checklist's own were left, and nothing grew.
      expect(leftovers(dir)).toEqual([])
      expect(readdirSync(dir).sort()).toEqual(['api.json', LEDGER_FILE, 'search.json', 'web.json'])
      expect(await verifyLedger(path.join(dir, LEDGER_FILE))).toMatchObject({ ok: true, records: 3 * round })
    }
    // The folder is one decide accepts: every report is the file its gate recorded.
    const ctx = defaultContext({ log: () => {}, cwd: ws, workspace: ws, env: RUN })
    const d = await runGate(decide, { reports: 'reports', required: 'api,web,search', bundle: 'bundle.json' }, ctx, { id: 'decide' })
    expect(d.checks.filter((c: Check) => c.status !== 'pass').map((c: Check) => c.message)).toEqual([])
    expect(d.outputs.decision).toBe('GO')
  })

  it('a temp file of an earlier process that had this very pid (containers reuse pids) is swept too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kill9-pid-'))
    try {
      const mine = tempPath(path.join(dir, 'api.json'))
      writeFileSync(mine, 'in flight')
      // Same pid, another incarnation (and the name before incarnations were added).
      const earlier = path.join(dir, `.api.json.${process.pid}-0badf00d.1.tmp`)
      const older = path.join(dir, `.api.json.${process.pid}.1.tmp`)
      writeFileSync(earlier, 'left by a killed writer')
      writeFileSync(older, 'left by a killed writer')
      await sweepTemps(dir)
      expect(existsSync(earlier)).toBe(false)
      expect(existsSync(older)).toBe(false)
      expect(existsSync(mine)).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
