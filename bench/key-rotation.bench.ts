// Speed of key-rotation, as ratios against references measured in the same run.
//  1. Reading every certificate of a large PEM bundle (the system CA bundle, repeated BENCH_SCALE
//     times) vs `openssl storeutl -noout -certs` reading the same file (aim: no slower than openssl).
//  2. Endpoints are checked concurrently, sharing one trust context: 20 endpoints (with
//     `trusted-ca`) on one local TLS server vs one endpoint (aim: well under 20x).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { afterAll, beforeAll, it } from 'vitest'
import { defaultContext, runGate } from '../src/core/gate.js'
import { keyRotation } from '../src/gates/key-rotation/gate.js'
import { readPemCertificates } from '../src/gates/key-rotation/pem.js'
import { DAY, Pki, nowToSecond } from '../tests/gates/key-rotation/pki.js'

const SCALE = Number(process.env.BENCH_SCALE ?? 1)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'

let dir: string
let pki: Pki
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kr-bench-'))
  pki = Pki.create()
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  pki.remove()
})

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function time(fn: () => void): number {
  const t0 = performance.now()
  fn()
  return performance.now() - t0
}

it('PEM bundle: readPemCertificates vs openssl storeutl', () => {
  const bundle = readFileSync(SYSTEM_BUNDLE, 'utf8').repeat(SCALE)
  const file = path.join(dir, 'bundle.pem')
  writeFileSync(file, bundle)
  const data = readFileSync(file)
  let count = 0
  const ours = median(Array.from({ length: ROUNDS }, () => time(() => (count = readPemCertificates(data, 'bundle.pem').length))))
  const theirs = median(
    Array.from({ length: ROUNDS }, () => time(() => execFileSync('openssl', ['storeutl', '-noout', '-certs', file], { stdio: 'ignore' }))),
  )
  console.log(
    `PEM bundle of ${count} certificates (${(bundle.length / 1024).toFixed(0)} KiB): ${ours.toFixed(1)} ms vs openssl storeutl ${theirs.toFixed(1)} ms (includes process start) → ${(ours / theirs).toFixed(2)}x`,
  )
})

it('endpoints: 20 concurrent handshakes vs 1', async () => {
  const now = nowToSecond()
  const root = pki.issue({
    name: 'root',
    cn: 'Bench Root',
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 400 * DAY),
  })
  const leaf = pki.issue({
    name: 'leaf',
    cn: 'bench.test',
    sans: ['IP:127.0.0.1'],
    issuer: root,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 90 * DAY),
  })
  const server = tls.createServer({ key: leaf.key, cert: leaf.pem }, (s) => s.end())
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  writeFileSync(path.join(dir, 'root.pem'), root.pem)
  const ctx = defaultContext({ log: () => {}, cwd: dir, workspace: dir })
  const run = async (n: number) => {
    // Distinct SNI names defeat dedupe; `via` keeps them on the one local server.
    const endpoints = Array.from({ length: n }, (_, i) => `h${i}.bench.test:${port} via 127.0.0.1`).join('\n')
    const t0 = performance.now()
    const r = await runGate(keyRotation, { endpoints, 'trusted-ca': 'root.pem' }, ctx, { id: 'bench' })
    if (r.checks.filter((c) => c.name.endsWith('TLS handshake')).length !== n) throw new Error(`expected ${n} handshakes: ${r.summary}`)
    return performance.now() - t0
  }
  const one: number[] = []
  const twenty: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    one.push(await run(1))
    twenty.push(await run(20))
  }
  server.close()
  console.log(
    `endpoints: 20 in ${median(twenty).toFixed(1)} ms vs 1 in ${median(one).toFixed(1)} ms → ${(median(twenty) / median(one)).toFixed(2)}x (20x would be sequential)`,
  )
})
