// The bundled CLI as a newcomer meets it: help for every command, one-line usage errors,
// `validate` and `init`, and progress and verdict lines that say what they mean.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { checklistInputs } from '../../src/core/checklist.js'
import { commonInputs } from '../../src/core/inputs.js'
import { parseGithubWorkflow } from '../lint/github-workflow.js'
import { json, serve, type TestServer } from '../support/http.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const CLI = path.join(ROOT, 'dist/cli/index.js')
let svc: TestServer
let dir: string

beforeAll(async () => {
  svc = await serve((req, res) => {
    if (req.url === '/ok') return json(200, { status: 'ok' })(req, res)
    return json(503, { status: 'DOWN' })(req, res)
  })
  dir = await mkdtemp(path.join(tmpdir(), 'cli-usage-'))
})
afterAll(() => svc.close())

function cutover(args: string[], cwd = dir, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, ...env } })
  let stdout = ''
  let stderr = ''
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    }),
  )
}

async function folder(name: string): Promise<string> {
  const d = path.join(dir, name)
  await mkdir(d, { recursive: true })
  return d
}

describe('help and version', () => {
  it('every command `cutover --help` lists answers --help and -h with exit 0 and its own usage', async () => {
    const top = await cutover(['--help'])
    expect(top.code).toBe(0)
    const names = [...top.stdout.matchAll(/^ {2}([a-z]+(?: [a-z]+)?) {2,}\S/gm)].map((m) => m[1])
    expect(names).toEqual(
      expect.arrayContaining([
        'check',
        'validate',
        'init',
        'evidence seal',
        'evidence verify',
        'decide',
        'bundle verify',
        'rehearse',
        'schema',
      ]),
    )
    for (const name of names)
      for (const flag of ['--help', '-h']) {
        const r = await cutover([...name.split(' '), flag])
        expect(r.code, `${name} ${flag}: ${r.stderr}`).toBe(0)
        expect(r.stdout, `${name} ${flag}`).toMatch(new RegExp(`^Usage: cutover ${name}\\b`))
        expect(r.stderr).toBe('')
      }
    const viaHelp = await cutover(['help', 'evidence', 'seal'])
    expect(viaHelp.code).toBe(0)
    expect(viaHelp.stdout).toMatch(/^Usage: cutover evidence seal /)
    // A group answers with its subcommands.
    const group = await cutover(['evidence', '--help'])
    expect(group.code).toBe(0)
    expect(group.stdout).toContain('Usage: cutover evidence seal')
    expect(group.stdout).toContain('Usage: cutover evidence verify')
  })

  it('`cutover --version` prints the version of package.json', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
    const r = await cutover(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${version}\n`)
  })

  it("the flags' defaults shown are the checklist action's input defaults", async () => {
    const r = await cutover(['check', '--help'])
    expect(r.stdout).toContain(`--config <file>      the checklist (default: ${checklistInputs.config.default})`)
    expect(r.stdout).toContain(`(default: ${commonInputs['report-dir'].default})`)
    expect((await cutover(['rehearse', '--help'])).stdout).toContain(`(default: ${commonInputs['report-dir'].default}/rehearsal)`)
  })
})

describe('usage errors: one line naming the help to read, exit 2', () => {
  it.each([
    [['check', '--bogus'], /^cutover check: Unknown option '--bogus'; see `cutover check --help`\n$/],
    [
      ['check', '--confg', 'x.yml'],
      /^cutover check: Unknown option '--confg' \(did you mean `--config`\?\); see `cutover check --help`\n$/,
    ],
    [['check', '--config'], /^cutover check: Option '--config <value>' argument missing; see `cutover check --help`\n$/],
    [['check', '--language', 'fr'], /^cutover check: --language takes en or tr, not "fr"; see `cutover check --help`\n$/],
    [
      ['rehearse', '--stepz', '25'],
      /^cutover rehearse: Unknown option '--stepz' \(did you mean `--steps`\?\); see `cutover rehearse --help`\n$/,
    ],
    [['decide', '--nope'], /^cutover decide: Unknown option '--nope'; see `cutover decide --help`\n$/],
    [['bundle', 'verify'], /^cutover bundle verify: name the bundle to verify: .*; see `cutover bundle verify --help`\n$/],
    [['evidence'], /^cutover evidence: say which: cutover evidence seal or verify; see `cutover evidence --help`\n$/],
    [['evidence', 'seel', 'x'], /^cutover evidence: there is no "seel" \(did you mean `seal`\?\): .*; see `cutover evidence --help`\n$/],
    [['validate', 'extra'], /^cutover validate: Unexpected argument 'extra'; see `cutover validate --help`\n$/],
    [['chekc'], /^cutover: unknown command "chekc" \(did you mean `check`\?\); see `cutover --help`\n$/],
    [[], /^cutover: say which command to run; see `cutover --help`\n$/],
  ])('%j', async (args, message) => {
    const r = await cutover(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })

  it('--only "" is refused, and nothing is probed', async () => {
    await writeFile(path.join(dir, 'only.yml'), `version: 1\ngates:\n  - id: api\n    uses: readyz\n    with:\n      url: ${svc.url}/ok\n`)
    const before = svc.requests.length
    for (const only of ['', ' ', ',']) {
      const r = await cutover(['check', '--config', 'only.yml', '--only', only])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/^cutover check: --only names no gate; .*see `cutover check --help`\n$/)
    }
    expect(svc.requests.length).toBe(before)
  })
})

describe('config errors', () => {
  it('a YAML error gives file:line:column', async () => {
    await writeFile(
      path.join(dir, 'bad.yml'),
      'version: 1\ngates:\n  - id: a\n    uses: readyz\n    with:\n      url: http://x\n     expect: a\n',
    )
    const r = await cutover(['check', '--config', 'bad.yml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/bad\.yml:7:1 is not valid YAML: All mapping items must start at the same column\n$/)
  })

  it('an unknown input or gate gets the nearest name', async () => {
    await writeFile(
      path.join(dir, 'typo.yml'),
      `version: 1\ngates:\n  - id: a\n    uses: readyz\n    with:\n      url: ${svc.url}/ok\n      expected: status=ok\n  - id: b\n    uses: redyz\n`,
    )
    const r = await cutover(['check', '--config', 'typo.yml'])
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('has no `expected` (did you mean `expect`?)')
    expect(r.stdout).toContain('uses `redyz`, which is not a gate (did you mean `readyz`?)')
  })
})

describe('cutover validate', () => {
  it('passes a config whose inputs, files and keys are all there, and probes nothing', async () => {
    const d = await folder('valid')
    await mkdir(path.join(d, 'proof'))
    await writeFile(path.join(d, 'proof/SHA256SUMS'), '')
    await mkdir(path.join(d, 'certs'))
    await writeFile(path.join(d, 'certs/a.pem'), 'not checked here: key-rotation reads it')
    await writeFile(
      path.join(d, 'cutover.yml'),
      [
        'version: 1',
        'gates:',
        '  - id: api',
        '    uses: readyz',
        '    with:',
        `      url: ${svc.url}/ok`,
        '  - id: proof',
        '    uses: evidence',
        '    with:',
        '      path: proof',
        '  - id: keys',
        '    uses: key-rotation',
        '    with:',
        '      certificates: certs/*.pem',
        '  - id: script',
        '    uses: command',
        '    with:',
        '      run: touch probed',
        '',
      ].join('\n'),
    )
    const before = svc.requests.length
    const r = await cutover(['validate'], d)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^✓ api \(readyz, line 3\): inputs valid\n/)
    expect(r.stdout).toContain('cutover.yml is valid: 4 gates checked; nothing was probed.')
    expect(svc.requests.length).toBe(before)
    expect(existsSync(path.join(d, 'probed'))).toBe(false)
  })

  it('names every missing file, empty glob, unreadable key and bad input, each with its gate', async () => {
    const d = await folder('invalid')
    await writeFile(path.join(d, 'not-a-key.pem'), 'hello')
    await writeFile(
      path.join(d, 'c.yml'),
      [
        'version: 1',
        'gates:',
        '  - id: proof',
        '    uses: evidence',
        '    with:',
        '      path: missing-folder',
        '      public-key: not-a-key.pem',
        '  - id: keys',
        '    uses: key-rotation',
        '    with:',
        '      certificates: certs/*.pem',
        '  - id: api',
        '    uses: readyz',
        '    with:',
        `      url: ${svc.url}/ok`,
        '      consecutive: many',
        '  - id: sarif',
        '    uses: security-alerts',
        '    with:',
        '      sarif: scan.sarif',
        '',
      ].join('\n'),
    )
    const r = await cutover(['validate', '--config', 'c.yml'], d)
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('✗ proof (evidence, line 3): `path` names missing-folder, which does not exist')
    expect(r.stdout).toContain('✗ proof (evidence, line 3): `public-key`: `public-key` is not a PEM public key')
    expect(r.stdout).toContain('✗ keys (key-rotation, line 8): `certificates` pattern certs/*.pem matches nothing')
    expect(r.stdout).toContain('✗ api (readyz, line 12): input `consecutive`: "many" is not valid')
    expect(r.stdout).toContain('✗ sarif (security-alerts, line 17): `sarif` names scan.sarif, which does not exist')
    expect(r.stdout).toContain('c.yml is not valid: 4 of 4 gates have problems; nothing was probed.')
  })

  it('never quotes a key or a secret header back', async () => {
    const d = await folder('secret')
    const key = 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE'
    const token = 'Bearer s3cr3t-t0ken-never-printed'
    await mkdir(path.join(d, 'proof'))
    await writeFile(
      path.join(d, 'cutover.yml'),
      `version: 1\ngates:\n  - id: proof\n    uses: evidence\n    with:\n      path: proof\n      public-key: ${key}\n  - id: api\n    uses: readyz\n    with:\n      url: ${svc.url}/ok\n      headers: "Authorization: ${token}"\n      consecutive: many\n`,
    )
    const r = await cutover(['validate'], d)
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('`public-key` holds key text (not shown)')
    expect(r.stdout).toContain('✗ api (readyz, line 8): input `consecutive`')
    for (const secret of [key, token, 's3cr3t-t0ken-never-printed']) expect(r.stdout + r.stderr).not.toContain(secret)
  })

  it('an unreadable config is a problem, not a pass', async () => {
    const d = await folder('none')
    const r = await cutover(['validate'], d)
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/^✗ config file .*cutover\.yml not found/)
    const blank = await cutover(['validate', '--config', ''], d)
    expect(blank.code).toBe(2)
    expect(blank.stderr).toMatch(/^cutover validate: --config names no file/)
  })
})

describe('cutover init', () => {
  it('writes a cutover.yml that validates and a workflow that calls the reusable workflow at a pinned commit', async () => {
    const d = await folder('init')
    const sha = 'a'.repeat(40)
    const r = await cutover(['init', '--gates-repository', 'acme/cutover-gates', '--gates-ref', sha], d)
    expect(r.code, r.stderr).toBe(0)
    expect((await cutover(['validate'], d)).code).toBe(0)
    const text = await readFile(path.join(d, '.github/workflows/cutover.yml'), 'utf8')
    expect(text).toMatch(/^# /)
    expect((await parseGithubWorkflow(text)).errors).toEqual([])
    const wf = parse(text) as { jobs: { cutover: { uses: string; with: Record<string, unknown> } } }
    expect(wf.jobs.cutover.uses).toBe(`acme/cutover-gates/.github/workflows/cutover.yml@${sha}`)
    // Every input it passes is one the reusable workflow takes, and every required one is passed.
    const reusable = parse(await readFile(path.join(ROOT, '.github/workflows/cutover.yml'), 'utf8')) as {
      on: { workflow_call: { inputs: Record<string, { required?: boolean }> } }
    }
    const inputs = reusable.on.workflow_call.inputs
    for (const k of Object.keys(wf.jobs.cutover.with)) expect(inputs, k).toHaveProperty(k)
    for (const [k, v] of Object.entries(inputs)) if (v.required) expect(wf.jobs.cutover.with, k).toHaveProperty(k)
  })

  it('overwrites nothing: with either file there, neither is written', async () => {
    const d = await folder('init-exists')
    await writeFile(path.join(d, 'cutover.yml'), 'mine\n')
    const r = await cutover(['init'], d)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^cutover init: cutover\.yml already exists in .*, and init overwrites nothing, so nothing was written\./)
    expect(await readFile(path.join(d, 'cutover.yml'), 'utf8')).toBe('mine\n')
    expect(existsSync(path.join(d, '.github'))).toBe(false)
    const bad = await cutover(['init', '--gates-ref', 'v1'], d)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--gates-ref takes a full 40-character commit SHA/)
  })
})

describe('what the terminal says', () => {
  it('progress lines name their gate, and the last round of a wait says no rounds are left', async () => {
    await writeFile(
      path.join(dir, 'progress.yml'),
      `version: 1\ngates:\n  - id: api\n    uses: readyz\n    with:\n      url: ${svc.url}/ok\n  - id: db\n    uses: readyz\n    with:\n      url: ${svc.url}/down\n      wait: 0s\n`,
    )
    const r = await cutover(['check', '--config', 'progress.yml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('readyz api: round 1: 1 of 1 URL ready; done\n')
    expect(r.stderr).toMatch(/^readyz db: round 1: 0 of 1 URL ready; .*; no rounds left$/m)
    expect(r.stderr).not.toMatch(/^round /m)
    expect(r.stderr).not.toMatch(/\bno left\b/)
  })

  it('evidence verify: no tick on a partial match, and no `tampered=` on the terminal', async () => {
    const d = await folder('evidence')
    await mkdir(path.join(d, 'proof'))
    for (const f of ['a', 'b', 'c']) await writeFile(path.join(d, 'proof', f), f)
    expect((await cutover(['evidence', 'seal', 'proof'], d)).code).toBe(0)
    const good = await cutover(['evidence', 'verify', 'proof'], d)
    expect(good.stdout).toContain('✓ files: 3 files')
    expect(good.stdout).toContain('Tampered: no')
    await writeFile(path.join(d, 'proof', 'b'), 'changed')
    const r = await cutover(['evidence', 'verify', 'proof'], d)
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/^✗ b: b does not match the manifest/m)
    expect(r.stdout).not.toMatch(/^✓ files:/m)
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('✓'))) expect(line).not.toMatch(/do(es)? not|of \d+/)
    expect(r.stdout).toContain('Tampered: yes')
    expect(r.stdout + r.stderr).not.toContain('tampered=')
  })
})
