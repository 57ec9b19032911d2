// Speed and size of the bundles, as ratios against references measured in the same run:
//  1. dist/ in all (aim: at most 3 MB).
//  2. Cold start of dist/readyz/index.js against one local endpoint vs bare `node -e 0` (aim: at most
//     2x), and its peak memory (aim: at most 60 MB). The action is started the way the runner starts
//     it (its action.yml defaults as INPUT_*, the file commands), with nothing else around it:
//     a) nothing published (`check-run: false`), so no GitHub client is loaded: the target;
//     b) a check run published to a local fake GitHub, for comparison.
//  3. The checklist (`cutover check`) probing 200 endpoints that each answer after 100 ms (aim: at most 250 ms wall).
//  4. GitHub API requests per gate (aim: 1 for a completed check run).
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startFakeGitHub } from '../tests/harness/fake-github.js'
import {
  DEFAULT_SHA,
  DEFAULT_TOKEN,
  REPO_ROOT,
  findActionYml,
  inputDefaults,
  inputEnvName,
  runAction,
} from '../tests/harness/run-action.js'
import { json, serve, type TestServer } from '../tests/support/http.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15)
const DIST = path.join(REPO_ROOT, 'dist')
let svc: TestServer
let work: string

beforeAll(async () => {
  svc = await serve((req, res) => {
    if (req.url === '/slow') return void setTimeout(() => json(200, { status: 'pass' })(req, res), 100)
    json(200, { status: 'pass' }, 'application/health+json')(req, res)
  })
  work = await mkdtemp(path.join(tmpdir(), 'cutover-bench-'))
})
afterAll(async () => {
  await svc.close()
  await rm(work, { recursive: true, force: true })
})

/** Peak RSS of the process, written at exit by a preload given to both sides alike. */
const PEAK = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();try{process.getBuiltinModule('node:fs').writeFileSync(process.env.BENCH_PEAK_FILE,JSON.stringify([u.maxRSS,(u.userCPUTime+u.systemCPUTime)/1000]))}catch{}})`

interface Spawned {
  ms: number
  code: number | null
}
function timed(args: string[], env: Record<string, string>, cwd?: string): Promise<Spawned> {
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { stdio: 'ignore', env, cwd })
  return new Promise((resolve) => child.on('close', (code) => resolve({ ms: performance.now() - t0, code })))
}
/**
 * Peak RSS (MB) and CPU time (ms) of one run. CPU time is the steadier measure on a shared machine:
 * other work delays a process's wall clock, much less the CPU it uses.
 */
async function usage(args: string[], env: Record<string, string>, cwd?: string): Promise<{ mb: number; cpuMs: number }> {
  const file = path.join(work, 'peak')
  await timed(['--import', PEAK, ...args], { ...env, BENCH_PEAK_FILE: file }, cwd)
  const { readFile } = await import('node:fs/promises')
  const [rss, cpuMs] = JSON.parse(await readFile(file, 'utf8')) as [number, number]
  return { mb: rss / 1024, cpuMs }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function sizeOf(dir: string): Promise<number> {
  let total = 0
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size
  return total
}

/** The environment the runner gives a node24 action, its action.yml defaults as INPUT_*. */
async function runnerEnv(
  name: string,
  inputs: Record<string, string>,
  apiUrl: string,
): Promise<{ env: Record<string, string>; cwd: string }> {
  const dir = await mkdtemp(path.join(work, `${name}-`))
  const files = Object.fromEntries(
    await Promise.all(
      ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH'].map(async (k) => {
        const f = path.join(dir, k.toLowerCase())
        await writeFile(f, '')
        return [k, f]
      }),
    ),
  )
  const event = path.join(dir, 'event.json')
  await writeFile(event, JSON.stringify({ repository: { full_name: 'acme/shop' } }))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: DEFAULT_SHA,
    GITHUB_RUN_ID: '1',
    GITHUB_WORKSPACE: dir,
    GITHUB_API_URL: apiUrl,
    ...files,
  }
  const yml = findActionYml(path.join(DIST, name, 'index.js'))
  for (const [k, v] of Object.entries({ ...(yml ? inputDefaults(yml, DEFAULT_TOKEN) : {}), ...inputs })) env[inputEnvName(k)] = v
  return { env, cwd: dir }
}

it('dist/ in all', async () => {
  const bytes = await sizeOf(DIST)
  const entries = (await readdir(DIST, { withFileTypes: true })).filter((e) => e.isDirectory()).length
  console.log(`dist/: ${(bytes / 1e6).toFixed(2)} MB in all (${entries} folders) (aim ≤ 3 MB)`)
})

it('cold start and peak memory of the readyz action vs bare node', async () => {
  const api = await startFakeGitHub()
  const script = path.join(DIST, 'readyz', 'index.js')
  const quiet = await runnerEnv('readyz', { url: `${svc.url}/`, 'check-run': 'false' }, api.url)
  const published = await runnerEnv('readyz', { url: `${svc.url}/` }, api.url)
  const bareEnv = { PATH: process.env.PATH ?? '' }
  // The floor: node doing nothing but one fetch of the same endpoint (Node's own HTTP client).
  const floorArgs = ['--input-type=module', '-e', `await (await fetch(${JSON.stringify(`${svc.url}/`)})).text()`]
  const bare: number[] = []
  const floor: number[] = []
  const a: number[] = []
  const b: number[] = []
  // Interleaved, so that other work on the machine slows every side alike.
  for (let i = 0; i < ROUNDS; i++) {
    bare.push((await timed(['-e', '0'], bareEnv)).ms)
    floor.push((await timed(floorArgs, bareEnv)).ms)
    const qa = await timed([script], quiet.env, quiet.cwd)
    expect(qa.code).toBe(0)
    a.push(qa.ms)
    const qb = await timed([script], published.env, published.cwd)
    expect(qb.code).toBe(0)
    b.push(qb.ms)
  }
  const before = api.requests.length
  const uBare: { mb: number; cpuMs: number }[] = []
  const uFloor: typeof uBare = []
  const uA: typeof uBare = []
  const uB: typeof uBare = []
  for (let i = 0; i < 5; i++) {
    uBare.push(await usage(['-e', '0'], bareEnv))
    uFloor.push(await usage(floorArgs, bareEnv))
    uA.push(await usage([script], quiet.env, quiet.cwd))
    uB.push(await usage([script], published.env, published.cwd))
  }
  const memBare = Math.max(...uBare.map((u) => u.mb))
  const memA = Math.max(...uA.map((u) => u.mb))
  const memB = Math.max(...uB.map((u) => u.mb))
  const cpu = (us: typeof uBare) => median(us.map((u) => u.cpuMs))
  const rc = (us: typeof uBare) => (cpu(us) / cpu(uBare)).toFixed(2)
  expect(api.requests.length).toBe(before + 5)
  await api.close()
  const r = (xs: number[]) => (median(xs) / median(bare)).toFixed(2)
  console.log(
    [
      `readyz cold start, median of ${ROUNDS}; node -e 0: ${median(bare).toFixed(0)} ms, CPU ${cpu(uBare).toFixed(0)} ms, ${memBare.toFixed(1)} MB peak RSS`,
      `  node fetching the endpoint once (the floor): ${median(floor).toFixed(0)} ms → ${r(floor)}x, CPU ${rc(uFloor)}x, ${Math.max(...uFloor.map((u) => u.mb)).toFixed(1)} MB peak`,
      `  nothing published (check-run: false): ${median(a).toFixed(0)} ms → ${r(a)}x (aim ≤ 2x), CPU ${rc(uA)}x, ${memA.toFixed(1)} MB peak (aim ≤ 60 MB)`,
      `  check run published (local fake API): ${median(b).toFixed(0)} ms → ${r(b)}x, CPU ${rc(uB)}x, ${memB.toFixed(1)} MB peak`,
    ].join('\n'),
  )
})

it('checklist: 200 endpoints answering after 100 ms', async () => {
  const dir = await mkdtemp(path.join(work, 'checklist-'))
  const gates = Array.from({ length: 200 }, (_, i) => `  - {id: g${i}, uses: readyz, with: {url: "${svc.url}/slow"}}`).join('\n')
  await writeFile(path.join(dir, 'cutover.yml'), `version: 1\ngates:\n${gates}\n`)
  const cli = path.join(DIST, 'cli', 'index.js')
  const env = { PATH: process.env.PATH ?? '' }
  const walls: number[] = []
  const bare: number[] = []
  for (let i = 0; i < 5; i++) {
    bare.push((await timed(['-e', '0'], env)).ms)
    const r = await timed([cli, 'check', '--config', path.join(dir, 'cutover.yml'), '--report-dir', path.join(dir, `r${i}`)], env, dir)
    expect(r.code).toBe(0)
    walls.push(r.ms)
  }
  console.log(
    `checklist, 200 x 100 ms endpoints: ${median(walls).toFixed(0)} ms wall, median of 5 (aim ≤ 250 ms); a sequential loop would take 20000 ms; node start-up alone ${median(bare).toFixed(0)} ms`,
  )
})

it('GitHub API requests per gate', async () => {
  const api = await startFakeGitHub()
  await runAction('readyz', { inputs: { url: `${svc.url}/` }, apiUrl: api.url })
  console.log(`API requests for one passing readyz gate: ${api.requests.length} (aim: 1)`)
  await api.close()
})
