// The package as a user gets it: `npm pack`, installed from the tarball into an empty folder
// outside the repository, offline (it has no dependencies to fetch: dist/ bundles them), and run
// from there through the `cutover` bin npm linked.
import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, serve, type TestServer } from '../support/http.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const PKG = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  version: string
  dependencies?: Record<string, string>
  bin: Record<string, string>
}
// The Node the tests run on (24) first, so npm and the bin's `#!/usr/bin/env node` use it.
const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`
const npmEnv = { PATH, HOME: process.env.HOME ?? tmpdir(), npm_config_update_notifier: 'false' }

let work: string
let app: string
let cache: string
let tarball: { filename: string; files: { path: string }[] }
let svc: TestServer

async function npm(args: string[], cwd: string) {
  const r = await promisify(execFile)('npm', [...args, '--cache', cache], { cwd, env: npmEnv, maxBuffer: 16 * 1024 * 1024 })
  return r
}

function cutover(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(path.join(app, 'node_modules', '.bin', 'cutover'), args, { cwd: app, env: { PATH, HOME: app } })
  let stdout = ''
  let stderr = ''
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    }),
  )
}

beforeAll(async () => {
  svc = await serve(json(200, { status: 'ok' }))
  work = await realpath(await mkdtemp(path.join(tmpdir(), 'cutover-pack-')))
  cache = path.join(work, 'npm-cache')
  const packed = await npm(['pack', '--json', '--pack-destination', work], ROOT)
  tarball = (JSON.parse(packed.stdout) as (typeof tarball)[])[0]
  app = path.join(work, 'app')
  await mkdir(app)
  await npm(['install', '--offline', '--no-audit', '--no-fund', path.join(work, tarball.filename)], app)
}, 180_000)

afterAll(async () => {
  await svc?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

describe('the packed package, installed from its tarball', () => {
  it('is installed outside the repository, with no dependency of its own', async () => {
    expect(path.relative(ROOT, app).startsWith('..')).toBe(true)
    expect(PKG.dependencies ?? {}).toEqual({})
    const [scope, name] = PKG.name.split('/')
    expect((await readdir(path.join(app, 'node_modules'))).filter((e) => !e.startsWith('.'))).toEqual([scope])
    expect(await readdir(path.join(app, 'node_modules', scope))).toEqual([name])
    // The tarball holds the bundled CLI, not the sources or the tests.
    const files = tarball.files.map((f) => f.path)
    expect(files).toContain(PKG.bin.cutover)
    expect(files.filter((f) => /^(src|tests|node_modules)\//.test(f))).toEqual([])
  })

  it('`cutover --version` prints the package version', async () => {
    const r = await cutover(['--version'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe(`${PKG.version}\n`)
  })

  it('`cutover check` runs a readyz gate against a loopback server and saves its report', async () => {
    await writeFile(
      path.join(app, 'cutover.yml'),
      `version: 1\ngates:\n  - id: api\n    uses: readyz\n    with:\n      url: ${svc.url}/readyz\n      expect: status=ok\n`,
    )
    const before = svc.requests.length
    const r = await cutover(['check'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Go/No-Go decision: GO')
    expect(r.stderr).toContain('readyz api: round 1: 1 of 1 URL ready; done')
    expect(svc.requests.length).toBe(before + 1)
    const report = JSON.parse(await readFile(path.join(app, 'cutover-reports', 'api.json'), 'utf8')) as { status: string }
    expect(report.status).toBe('pass')
  })

  it('answers `--help` there too', async () => {
    const r = await cutover(['check', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: cutover check/)
  })
})
