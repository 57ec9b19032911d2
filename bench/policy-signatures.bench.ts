// Speed of policy-signatures, as ratios against references measured in the same run: one gate run
// over N signed policies vs invoking the tools once per file, as a shell loop would:
//   half signed by `ssh-keygen -Y sign` (Ed25519), checked by `ssh-keygen -Y verify`;
//   half signed by `openssl dgst -sha256 -sign` (ECDSA P-256), checked by `openssl dgst -verify`.
// Aim: the gate at least 10x faster. N = 200 by default, 1,000 with BENCH_SCALE=full (or a number).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { defaultContext, runGate } from '../src/core/gate.js'
import { policySignatures } from '../src/gates/policy-signatures/gate.js'

const SCALE = process.env.BENCH_SCALE
const N = SCALE === 'full' ? 1000 : SCALE && Number(SCALE) > 1 ? Math.round(Number(SCALE)) : 200
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const HALF = Math.floor(N / 2)

let dir = ''
const p = (...parts: string[]) => path.join(dir, ...parts)
const name = (i: number) => `policy-${String(i).padStart(4, '0')}.json`
const body = (i: number) =>
  JSON.stringify({ id: i, allow: ['deploy', 'read'], deny: ['delete'], owners: ['team-a'], note: 'x'.repeat(200 + (i % 50)) }, null, 2)

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'policy-signatures-bench-'))
  mkdirSync(p('ssh'))
  mkdirSync(p('ossl'))
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'signer@example.com', '-f', p('id_ed25519')])
  writeFileSync(p('allowed_signers'), `signer@example.com ${readFileSync(p('id_ed25519.pub'), 'utf8')}`)
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', p('p256.key')])
  execFileSync('openssl', ['pkey', '-in', p('p256.key'), '-pubout', '-out', p('p256.pub')])
  const sshFiles: string[] = []
  for (let i = 0; i < HALF; i++) {
    writeFileSync(p('ssh', name(i)), body(i))
    sshFiles.push(p('ssh', name(i)))
  }
  // ssh-keygen signs many files in one invocation; 200 at a time keeps the argument list short.
  for (let i = 0; i < sshFiles.length; i += 200) {
    execFileSync('ssh-keygen', ['-Y', 'sign', '-n', 'file', '-f', p('id_ed25519'), ...sshFiles.slice(i, i + 200)], { stdio: 'ignore' })
  }
  for (let i = HALF; i < N; i++) {
    writeFileSync(p('ossl', name(i)), body(i))
    execFileSync('openssl', ['dgst', '-sha256', '-sign', p('p256.key'), '-out', p('ossl', `${name(i)}.sig`), p('ossl', name(i))])
  }
}, 30 * 60_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * CPU time of reaped child processes (Linux /proc/self/stat cutime + cstime, 100 ticks a second),
 * so the comparison also holds on a busy machine where wall time mostly measures waiting.
 */
function childCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return undefined
  }
}
const ownCpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since)
  return (c.user + c.system) / 1000
}

interface Timing {
  wall: number
  cpu: number
}

async function gateRun(files: string): Promise<Timing> {
  const ctx = defaultContext({ log: () => {}, cwd: dir, workspace: dir })
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const inputs = { files, 'allowed-signers': 'allowed_signers', 'public-keys': 'p256.pub' }
  const r = await runGate(policySignatures, inputs, ctx, { id: 'bench' })
  const timing = { wall: performance.now() - t0, cpu: ownCpuMs(c0) }
  expect(r.status, r.summary).toBe('pass')
  return timing
}

/** Wall and child CPU time of a loop that runs one tool per file. */
function toolLoop(loop: () => void): Timing {
  const c0 = childCpuMs()
  const t0 = performance.now()
  loop()
  const c1 = childCpuMs()
  return { wall: performance.now() - t0, cpu: c0 === undefined || c1 === undefined ? NaN : c1 - c0 }
}

function sshKeygenLoop(): void {
  for (let i = 0; i < HALF; i++) {
    const f = p('ssh', name(i))
    const r = spawnSync(
      'ssh-keygen',
      ['-Y', 'verify', '-f', p('allowed_signers'), '-I', 'signer@example.com', '-n', 'file', '-s', `${f}.sig`],
      {
        input: readFileSync(f),
        stdio: ['pipe', 'ignore', 'ignore'],
      },
    )
    if (r.status !== 0) throw new Error(`ssh-keygen -Y verify refused ${f}`)
  }
}

function opensslLoop(): void {
  for (let i = HALF; i < N; i++) {
    const f = p('ossl', name(i))
    const r = spawnSync('openssl', ['dgst', '-sha256', '-verify', p('p256.pub'), '-signature', `${f}.sig`, f], { stdio: 'ignore' })
    if (r.status !== 0) throw new Error(`openssl dgst -verify refused ${f}`)
  }
}

it(`${N} signed policies: one gate run vs ssh-keygen -Y verify and openssl dgst -verify per file`, async () => {
  const cold = await gateRun('ssh/*.json\nossl/*.json')
  const all: Timing[] = []
  const ssh: Timing[] = []
  const ossl: Timing[] = []
  for (let i = 0; i < ROUNDS; i++) {
    all.push(await gateRun('ssh/*.json\nossl/*.json'))
    ssh.push(await gateRun('ssh/*.json'))
    ossl.push(await gateRun('ossl/*.json'))
  }
  const sshTool = toolLoop(sshKeygenLoop)
  const osslTool = toolLoop(opensslLoop)
  const tools = { wall: sshTool.wall + osslTool.wall, cpu: sshTool.cpu + osslTool.cpu }
  const med = (ts: Timing[]) => ({ wall: median(ts.map((t) => t.wall)), cpu: median(ts.map((t) => t.cpu)) })
  const g = med(all)
  const per = (ms: number, n: number) => `${((ms / n) * 1000).toFixed(0)} µs/file`
  const ratio = (tool: Timing, gate: Timing) => `${(tool.wall / gate.wall).toFixed(1)}x wall, ${(tool.cpu / gate.cpu).toFixed(1)}x CPU`
  console.log(
    [
      `policy-signatures, ${N} policies (${HALF} SSHSIG Ed25519 + ${N - HALF} openssl ECDSA P-256), gate median of ${ROUNDS} runs:`,
      `  gate, all ${N}:       ${g.wall.toFixed(0)} ms wall, ${g.cpu.toFixed(0)} ms CPU (${per(g.wall, N)}; first run ${cold.wall.toFixed(0)} ms wall, ${cold.cpu.toFixed(0)} ms CPU)`,
      `  tools once per file: ${tools.wall.toFixed(0)} ms wall, ${tools.cpu.toFixed(0)} ms CPU (${per(tools.wall, N)})`,
      `  → the gate is ${ratio(tools, g)} faster; first run ${ratio(tools, cold)} (aim ≥ 10x)`,
      `  SSHSIG only:  gate ${med(ssh).wall.toFixed(0)} ms vs ssh-keygen -Y verify ${sshTool.wall.toFixed(0)} ms → ${ratio(sshTool, med(ssh))}`,
      `  openssl only: gate ${med(ossl).wall.toFixed(0)} ms vs openssl dgst -verify ${osslTool.wall.toFixed(0)} ms → ${ratio(osslTool, med(ossl))}`,
    ].join('\n'),
  )
})
