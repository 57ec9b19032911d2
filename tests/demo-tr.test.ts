// `language: tr` on the demo, as GitHub runs it: the checklist action and decide (the bundled
// actions), their job summaries and every check run they publish, then the CLI's table. Each
// English phrase below is one the demo shows in English (asserted first, so the list cannot go
// stale); none may remain in Turkish.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CREDENTIALS } from '../examples/demo/bank.mjs'
import { startFakeGitHub, type FakeGitHub } from './harness/fake-github.js'
import { REPO_ROOT, runAction } from './harness/run-action.js'

/** What our code writes in English in the demo's summaries, check runs and table. */
const ENGLISH = [
  'Cutover gates',
  'Go/No-Go decision',
  'GO with warnings',
  '| Category | Criteria |',
  'Measured',
  'Every check',
  'Details:',
  'checks passed',
  'answered in',
  'the service reports',
  'Look at the degraded components',
  'days left',
  'Rotate or renew',
  'Call its owner',
  'at least 30d left',
  'green windows in a row',
  'windows read',
  'abort triggers',
  'distinct windows',
  'files match',
  'Ed25519 verified',
  'a valid Ed25519 signature',
  'every listed file matches',
  'files of 5 lost',
  'at most 1 file lost',
  'exit 0 after',
  'raw Ed25519 signature',
  'a valid signature by a trusted key',
  'an exit code that',
  'a last line matching',
  'a JSON file written by this run',
  'captures',
  'body format',
  'latency',
  'policy file',
  'key fingerprint',
  'working directory',
  'Output:',
  'entries (gnu format)',
  'Hashed',
  'budget',
  'Canary windows',
  'per window',
  'green limit',
  'reports in',
  'accepted by allow-warn',
  'were named',
  'records, last',
  'the bundle written',
  'Final decision',
  'Decision maker',
  'Evidence bundle',
  'Cutover timeline',
  'section Decision',
  'section Infrastructure',
]
/** What only the terminal shows. */
const ENGLISH_CLI = [
  'Reports:',
  'Go/No-Go decision',
  'GO with warnings',
  'days left',
  'Look at the degraded components',
  'Gate',
  'Criteria',
]

let demo: ChildProcess
let url: string
let work: string
let api: FakeGitHub

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'demo-tr-'))
  demo = spawn(process.execPath, ['examples/demo/service.mjs', '0'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  url = await new Promise<string>((resolve) => demo.stdout!.on('data', (d: Buffer) => resolve(/http:\/\/\S+/.exec(String(d))![0])))
  api = await startFakeGitHub()
})
afterAll(async () => {
  demo.kill()
  await api.close()
  await rm(work, { recursive: true, force: true })
})

async function demoEnv(lang: string): Promise<Record<string, string>> {
  const dir = path.join(work, lang)
  await mkdir(path.join(dir, 'artifacts'), { recursive: true })
  const day = 86_400_000
  const iso = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 10)
  const keys = path.join(dir, 'keys.json')
  await writeFile(
    keys,
    JSON.stringify([
      { name: 'psp-live-key', expires: iso(200 * day), owner: 'payments on-call' },
      { name: 'evidence-signing-key', expires: iso(20 * day), owner: 'release captain' },
    ]),
  )
  return {
    DEMO_URL: url,
    DEMO_KEYS: keys,
    DEMO_RESTORE: path.join(dir, 'restore'),
    DEMO_ARTIFACTS: path.join(dir, 'artifacts'),
    DEMO_USER_TOKEN: DEMO_CREDENTIALS.userToken,
    DEMO_ADMIN_KEY: DEMO_CREDENTIALS.adminKey,
    DEMO_API_KEY: DEMO_CREDENTIALS.apiKey,
    DEMO_SESSION: DEMO_CREDENTIALS.session,
    DEMO_PSP_KEY: 'sk_live_demo_4f1c9e',
    DEMO_WEBHOOK_SECRET: 'whsec_demo_8d2b7a61c0',
  }
}

/** Everything a person reads of one demo run in `lang`: two job summaries and every check run's text. */
async function shown(lang: 'en' | 'tr'): Promise<string> {
  const env = await demoEnv(lang)
  const reports = path.join(work, lang, 'reports')
  const before = api.requests.length
  const checklist = await runAction('checklist', {
    cwd: REPO_ROOT,
    apiUrl: api.url,
    env,
    inputs: { config: 'examples/demo/cutover.yml', 'report-dir': reports, language: lang },
  })
  expect(checklist.outputs.status, checklist.stdout).toBe('warn')
  const decide = await runAction('decide', {
    cwd: path.join(work, lang),
    apiUrl: api.url,
    inputs: { reports, 'allow-warn': 'true', language: lang, 'report-dir': path.join(work, lang, 'decide') },
  })
  expect(decide.outputs.decision).toBe('GO')
  // What a captain sees before unfolding anything: the decision rows with measured values, no bookkeeping or noise.
  for (const md of [checklist.summary, decide.summary]) {
    const visible = md.slice(0, md.indexOf('<details>'))
    expect(visible).toMatch(lang === 'en' ? /`canary`\)? \| ✅ .*green windows in a row/ : /`canary`\)? \| ✅ .*yeşil pencere/)
    expect(visible).not.toMatch(/Hashed|MB\/s|check\(s\)|pass, commit/)
  }
  const runs = api.requests
    .slice(before)
    .filter((r) => r.operationId === 'checks/create' || r.operationId === 'checks/update')
    .map(
      (r) =>
        (r.body as { output?: { title?: string; summary?: string; text?: string; annotations?: { message: string; title?: string }[] } })
          .output,
    )
  expect(runs.length).toBeGreaterThanOrEqual(13)
  const checkRuns = runs.flatMap((o) => [o?.title, o?.summary, o?.text, ...(o?.annotations ?? []).flatMap((a) => [a.title, a.message])])
  return [checklist.summary, decide.summary, ...checkRuns].filter(Boolean).join('\n')
}

async function cli(lang: 'en' | 'tr'): Promise<string> {
  const env = await demoEnv(`${lang}-cli`)
  const child = spawn(
    process.execPath,
    [
      'dist/cli/index.js',
      'check',
      '--config',
      'examples/demo/cutover.yml',
      '--language',
      lang,
      '--report-dir',
      path.join(work, `${lang}-cli`, 'r'),
    ],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: work, ...env } },
  )
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  await new Promise((resolve) => child.on('close', resolve))
  return out
}

describe('language: tr covers what the demo shows', () => {
  it('the job summaries and check runs: every English phrase of the English run is gone in Turkish', async () => {
    const en = await shown('en')
    expect(
      ENGLISH.filter((phrase) => !en.includes(phrase)),
      'phrases the English run should show',
    ).toEqual([])
    const tr = await shown('tr')
    const left = ENGLISH.filter((phrase) => tr.includes(phrase))
    expect(left, 'English left in the Turkish summaries and check runs').toEqual([])
    for (const turkish of [
      'Cutover kontrolleri',
      'GO/NO-GO Kararı',
      'Anahtarlar sağlıklı (7+ gün; 30 gün altında uyarı)',
      'Nihai karar',
      'Karar Veren',
      'gün kaldı',
    ])
      expect(tr).toContain(turkish)
  }, 180_000)

  it('the terminal table', async () => {
    const en = await cli('en')
    for (const phrase of ENGLISH_CLI) expect(en).toContain(phrase)
    const tr = await cli('tr')
    expect(ENGLISH_CLI.filter((phrase) => tr.includes(phrase))).toEqual([])
    expect(tr).toContain('Raporlar: ')
  })
})
