// Speed of the readyz action and the checklist, as ratios against references measured in the same run.
//  1. Cold start of dist/readyz against one local endpoint vs bare `node -e 0` (aim: at most 2x).
//  2. The checklist probing 200 endpoints that each answer after 100 ms (aim: under 1 s in total).
//  3. GitHub API requests per gate (aim: 1 for a completed check run, +1 per extra 50 annotations).
import { spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, it } from 'vitest'
import { startFakeGitHub } from '../tests/harness/fake-github.js'
import { runAction } from '../tests/harness/run-action.js'
import { json, serve, type TestServer } from '../tests/support/http.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10)
let svc: TestServer

beforeAll(async () => {
  svc = await serve((req, res) => {
    if (req.url === '/slow') return void setTimeout(() => json(200, { status: 'pass' })(req, res), 100)
    json(200, { status: 'pass' }, 'application/health+json')(req, res)
  })
})
afterAll(() => svc.close())

function timed(args: string[], env: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { stdio: 'ignore', env: { PATH: process.env.PATH ?? '', ...env } })
  return new Promise((resolve) => child.on('close', () => resolve(performance.now() - t0)))
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

it('cold start of the readyz action vs bare node', async () => {
  const bare: number[] = []
  const action: number[] = []
  const api = await startFakeGitHub()
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await timed(['-e', '0']))
    const t0 = performance.now()
    await runAction('readyz', { inputs: { url: `${svc.url}/` }, apiUrl: api.url })
    action.push(performance.now() - t0)
  }
  await api.close()
  const ratio = median(action) / median(bare)
  console.log(
    `readyz cold start: ${median(action).toFixed(0)} ms vs node -e 0 ${median(bare).toFixed(0)} ms → ${ratio.toFixed(2)}x (aim ≤ 2x; includes the check-run request and harness setup)`,
  )
})

it('checklist: 200 endpoints answering after 100 ms', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-'))
  const gates = Array.from({ length: 200 }, (_, i) => `  - {id: g${i}, uses: readyz, with: {url: "${svc.url}/slow"}}`).join('\n')
  await writeFile(path.join(dir, 'cutover.yml'), `version: 1\ngates:\n${gates}\n`)
  const cli = path.resolve(import.meta.dirname, '../dist/cli/index.js')
  const bare = await timed(['-e', '0'])
  const wall = await timed([cli, 'check', '--config', path.join(dir, 'cutover.yml'), '--report-dir', path.join(dir, 'r')])
  console.log(
    `checklist, 200 x 100 ms endpoints: ${wall.toFixed(0)} ms wall (aim < 1000 ms); a sequential loop would take 20000 ms → ${(20_000 / wall).toFixed(1)}x faster; node start-up alone ${bare.toFixed(0)} ms`,
  )
})

it('GitHub API requests per gate', async () => {
  const api = await startFakeGitHub()
  await runAction('readyz', { inputs: { url: `${svc.url}/` }, apiUrl: api.url })
  console.log(`API requests for one passing readyz gate: ${api.requests.length} (aim: 1)`)
  await api.close()
})
