// `cutover check --summary FILE`: the job summary GitHub would show, written on a laptop. The
// bundled CLI and the bundled checklist action run on one config; their Markdown must agree.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SHA, runAction } from '../harness/run-action.js'
import { json, serve, type TestServer } from '../support/http.js'

const CLI = path.resolve(import.meta.dirname, '../../dist/cli/index.js')
let svc: TestServer

beforeAll(async () => {
  svc = await serve((req, res) => {
    const route = new URL(req.url ?? '/', 'http://x').pathname
    if (route === '/ok') return json(200, { status: 'UP' })(req, res)
    return json(200, { status: 'warn' }, 'application/health+json')(req, res)
  })
})
afterAll(() => svc.close())

async function workspace(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cli-summary-'))
  await writeFile(
    path.join(dir, 'cutover.yml'),
    `version: 1\ngates:\n  - id: api\n    uses: readyz\n    with:\n      url: ${svc.url}/ok\n  - id: search\n    uses: readyz\n    with:\n      url: ${svc.url}/degraded\n`,
  )
  return dir
}

function cutover(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, GITHUB_SHA: DEFAULT_SHA } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

/** Latencies differ from run to run; the port is the same server's. */
const steady = (md: string) => md.replace(/\d+ms/g, 'Nms')

describe('cutover check --summary', () => {
  it.each(['en', 'tr'] as const)('writes the Markdown the checklist action writes to the job summary (%s)', async (language) => {
    const cwd = await workspace()
    const local = await cutover(cwd, ['check', '--summary', 'preview.md', '--language', language])
    expect(local.code, local.stderr).toBe(1)
    const md = await readFile(path.join(cwd, 'preview.md'), 'utf8')
    const action = await runAction('checklist', { cwd, inputs: { language, 'check-run': 'false' } })
    expect(steady(md)).toBe(steady(action.summary))
    // What a captain sees first: the decision, then one row per gate, before anything folded.
    expect(md.startsWith(language === 'en' ? '## Cutover gates: ❌ NO-GO' : '## Cutover kontrolleri: ❌ NO-GO')).toBe(true)
    const firstFold = md.indexOf('<details>')
    expect(md.indexOf('| `api` |')).toBeLessThan(firstFold)
    expect(md.indexOf('| `search` |')).toBeLessThan(firstFold)
  })

  it('an empty --summary is refused before any gate runs', async () => {
    const cwd = await workspace()
    const r = await cutover(cwd, ['check', '--summary', ''])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cutover check: --summary names no file; give the file the job-summary Markdown goes to')
    expect(existsSync(path.join(cwd, 'cutover-reports'))).toBe(false)
  })

  it('a --summary that cannot be written is exit 2 with a sentence, and the table still prints', async () => {
    const cwd = await workspace()
    await mkdir(path.join(cwd, 'taken'))
    const r = await cutover(cwd, ['check', '--summary', 'taken'])
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/^api\s+Readyz healthy\s+✅ PASS/m)
    expect(r.stderr).toMatch(/^cutover check: --summary taken .*\(EISDIR\); the results above stand\.$/m)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})
