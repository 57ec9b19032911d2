// The bundled CLI, as a user runs it.
import { spawn } from 'node:child_process'
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { json, serve, type TestServer } from '../support/http.js'

const CLI = path.resolve(import.meta.dirname, '../../dist/cli/index.js')
let svc: TestServer
let dir: string

beforeAll(async () => {
  svc = await serve((req, res) => {
    const route = new URL(req.url ?? '/', 'http://x').pathname
    if (route === '/ok') return json(200, { status: 'pass' })(req, res)
    if (route === '/warn') return json(200, { status: 'warn' })(req, res)
    return json(503, { status: 'DOWN', components: { db: { status: 'DOWN' } } })(req, res)
  })
  dir = await mkdtemp(path.join(tmpdir(), 'cli-'))
})
afterAll(() => svc.close())

// Asynchronous, so the test servers in this process keep answering while the CLI runs. A CLI
// that outlives the kill timer is killed: `timedOut` then says it hung.
function cutover(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ...env } })
  let stdout = ''
  let stderr = ''
  let timedOut = false
  const timer = setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), 20_000)
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, timedOut })
    }),
  )
}

async function config(name: string, routes: string[]) {
  const gates = routes.map((r, i) => `  - id: g${i}\n    uses: readyz\n    with:\n      url: \${BASE}/${r}`).join('\n')
  await writeFile(path.join(dir, name), `version: 1\ngates:\n${gates}\n`)
}

describe('cutover check', () => {
  it.each([
    [['ok', 'ok'], 0, 'GO (PASS'],
    [['ok', 'warn'], 1, 'NO-GO (WARN, 2 gates, 2 checks; a gate warned and `allow-warn` is not set)'],
    [['ok', 'warn', 'down'], 2, 'NO-GO (FAIL'],
  ])('gates %j exit %d', async (routes, code, verdict) => {
    await config('c.yml', routes)
    const r = await cutover(['check', '--config', 'c.yml'], { BASE: svc.url })
    expect(r.code, r.stderr).toBe(code)
    expect(r.stdout).toContain(`Go/No-Go decision: ${verdict}`)
    if (code === 2) expect(r.stdout).toMatch(/component db is DOWN/)
  })

  it('the decide block of cutover.yml sets the rule of the table and the JSON (allow-warn)', async () => {
    await config('c.yml', ['ok', 'warn'])
    await writeFile(
      path.join(dir, 'c.yml'),
      (await readFile(path.join(dir, 'c.yml'), 'utf8')).replace('version: 1\n', 'version: 1\ndecide:\n  allow-warn: true\n'),
    )
    const table = await cutover(['check', '--config', 'c.yml'], { BASE: svc.url })
    expect(table.code).toBe(1)
    expect(table.stdout).toContain('Go/No-Go decision: GO with warnings (WARN, 2 gates, 2 checks)')
    const json = await cutover(['check', '--config', 'c.yml', '--json'], { BASE: svc.url })
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'warn', decision: 'GO' })
  })

  it('prints JSON with --json, writes reports, and runs only --only gates', async () => {
    await config('c.yml', ['ok', 'down'])
    const r = await cutover(['check', '--config', 'c.yml', '--json', '--only', 'g0', '--report-dir', 'out'], { BASE: svc.url })
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.status).toBe('pass')
    expect(out.gates.map((g: { id: string }) => g.id)).toEqual(['g0'])
    expect(JSON.parse(await readFile(path.join(dir, 'out/g0.json'), 'utf8')).status).toBe('pass')
  })

  it('on a pull_request event the reports name the head commit (what decide and the check runs judge), not the merge commit', async () => {
    await config('c.yml', ['ok'])
    const head = 'b'.repeat(40)
    const event = path.join(dir, 'event.json')
    await writeFile(event, JSON.stringify({ pull_request: { number: 7, head: { sha: head } } }))
    const r = await cutover(['check', '--config', 'c.yml', '--report-dir', 'pr'], {
      BASE: svc.url,
      GITHUB_SHA: 'c'.repeat(40),
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
    })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(await readFile(path.join(dir, 'pr/g0.json'), 'utf8')).subject.sha).toBe(head)
  })

  it('speaks Turkish', async () => {
    await config('c.yml', ['down'])
    expect((await cutover(['check', '--config', 'c.yml', '--language', 'tr'], { BASE: svc.url })).stdout).toContain(
      'GO/NO-GO Kararı: NO-GO',
    )
  })

  it.each([
    [['check', '--config', 'missing.yml'], /config file .*missing.yml not found/],
    [['check', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['check', '--config', 'c.yml', '--only', 'nope'], /--only names "nope", not in/],
  ])('%j exits 2 with a sentence and no stack trace', async (args, message) => {
    await config('c.yml', ['ok'])
    const r = await cutover(args, { BASE: svc.url })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  // Where the reports cannot go: a file, a folder that cannot be written, and /proc/x, where
  // Node's mkdir -p spins for ever (the CLI must answer instead).
  it.each([
    ['a file', async () => (await writeFile(path.join(dir, 'blocker'), 'not a folder'), 'blocker')],
    [
      'a folder that cannot be written',
      async () => {
        if (process.getuid?.() === 0) return '/sys/kernel' // refuses even root
        const locked = await mkdtemp(path.join(dir, 'locked-'))
        await chmod(locked, 0o555)
        return locked
      },
    ],
    ['/proc/x', async () => '/proc/x'],
  ])('--report-dir %s: the table and the JSON are still printed, the error names --report-dir, exit 2', async (_, target) => {
    await config('c.yml', ['ok', 'warn'])
    const reportDir = await target()
    for (const json of [false, true]) {
      const r = await cutover(['check', '--config', 'c.yml', '--report-dir', reportDir, ...(json ? ['--json'] : [])], { BASE: svc.url })
      expect(r.code, r.stderr).toBe(2)
      expect(r.timedOut).toBe(false)
      if (json) expect(JSON.parse(r.stdout)).toMatchObject({ status: 'warn', decision: 'NO-GO', gates: [{ id: 'g0' }, { id: 'g1' }] })
      else {
        expect(r.stdout).toMatch(/^Gate\s+Criteria\s+Status\s+Notes\n/)
        expect(r.stdout).toContain('Go/No-Go decision: NO-GO (WARN')
        expect(r.stdout).not.toContain('Reports:')
      }
      expect(r.stderr).toContain(`cutover: the reports were not saved: --report-dir ${reportDir} `)
      expect(r.stderr).toContain('Give --report-dir a folder you can write to.')
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('--report-dir "" is refused before anything runs: no report or ledger lands in the current folder', async () => {
    await config('c.yml', ['ok'])
    const probes = svc.requests.length
    const r = await cutover(['check', '--config', 'c.yml', '--report-dir', ''], { BASE: svc.url })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^cutover check: --report-dir names no folder/)
    expect(svc.requests.length).toBe(probes)
    await expect(readFile(path.join(dir, 'ledger.jsonl'))).rejects.toThrow(/ENOENT/)
    await expect(readFile(path.join(dir, 'g0.json'))).rejects.toThrow(/ENOENT/)
  })

  it('an unset ${VAR} in the config is named', async () => {
    await config('c.yml', ['ok'])
    const r = await cutover(['check', '--config', 'c.yml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/uses \$\{BASE\}, but the environment variable BASE is not set/)
  })
})

describe('cutover schema', () => {
  it('prints a JSON Schema that accepts the demo config and refuses a stray key', async () => {
    const r = await cutover(['schema'])
    expect(r.code).toBe(0)
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(r.stdout))
    const demo = parse(await readFile(path.resolve(import.meta.dirname, '../../examples/demo/cutover.yml'), 'utf8'))
    expect(validate(demo), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ version: 1, gates: [{ id: 'a', uses: 'readyz', with: { url: 'http://x', colour: 'red' } }] })).toBe(false)
    expect(validate({ version: 1, gates: [{ id: 'a', uses: 'telepathy' }] })).toBe(false)
  })
})
