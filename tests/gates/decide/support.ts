// Fixtures for decide and bundle tests: gate reports written by the real report writer, keys
// made by openssl, and a context that looks like one workflow run.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { defaultContext, runGate, type GateContext } from '../../../src/core/gate.js'
import { writeReport, type Subject } from '../../../src/core/report.js'
import { check, type GateResult, type Status } from '../../../src/core/result.js'
import { decide } from '../../../src/gates/decide/gate.js'
import { gates } from '../../../src/gates/index.js'

export const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
export const OTHER_SHA = '1111111111111111111111111111111111111111'
export const RUN_ID = '9001'
export const REPO = 'acme/shop'
export const DECIDED_AT = new Date('2026-03-14T10:00:00.000Z')

export const RUN_ENV = {
  GITHUB_SHA: SHA,
  GITHUB_RUN_ID: RUN_ID,
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_REPOSITORY: REPO,
  GITHUB_REF: 'refs/heads/release/1.2',
  GITHUB_ACTOR: 'release-captain',
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'decide-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export interface ReportSpec {
  id: string
  gate?: string
  status?: Status
  /** Minutes before DECIDED_AT the gate started, and how long it ran (seconds). */
  startMin?: number
  durationS?: number
  subject?: Subject
}

/** A gate result whose status its checks really add up to. */
export function result(spec: ReportSpec): GateResult {
  const status = spec.status ?? 'pass'
  const start = new Date(DECIDED_AT.getTime() - (spec.startMin ?? 30) * 60_000)
  const finish = new Date(start.getTime() + (spec.durationS ?? 20) * 1000)
  const c = check(
    status,
    'probe',
    status === 'pass' ? 'HTTP 200' : 'HTTP 503',
    'HTTP 200',
    status === 'pass' ? 'answered 200' : `answered 503, the ${status} reason`,
  )
  return {
    id: spec.id,
    gate: spec.gate ?? 'readyz',
    status,
    summary: status === 'pass' ? `${spec.id}: PASS (1 of 1 checks passed)` : `${spec.id}: ${status.toUpperCase()}: ${c.message}`,
    checks: [c],
    metrics: { probes: 1 },
    startedAt: start.toISOString(),
    finishedAt: finish.toISOString(),
    durationMs: finish.getTime() - start.getTime(),
  }
}

export const SUBJECT: Subject = {
  repository: REPO,
  sha: SHA,
  ref: 'refs/heads/release/1.2',
  runId: RUN_ID,
  runAttempt: '1',
  actor: 'release-captain',
}

export async function writeReports(dir: string, specs: ReportSpec[]): Promise<string[]> {
  // One after another, as gates finish: writeReport appends each to the ledger in this order.
  const files: string[] = []
  for (const s of specs) files.push(await writeReport(dir, result(s), s.subject ?? SUBJECT))
  return files
}

export function context(cwd: string, overrides: Partial<GateContext> = {}): GateContext {
  return defaultContext({ log: () => {}, env: { ...RUN_ENV }, cwd, workspace: cwd, now: () => DECIDED_AT, catalog: gates, ...overrides })
}

export async function runDecide(cwd: string, inputs: Record<string, string> = {}, overrides: Partial<GateContext> = {}) {
  return runGate(decide, inputs, context(cwd, overrides), { id: 'decide' })
}

export function sh(cmd: string, args: string[], opts: { input?: string | Buffer; cwd?: string } = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts })
}

export function sha256sum(file: string): string {
  return sh('sha256sum', [file]).split(' ')[0]
}

export type KeyKind = 'ed25519' | 'ec-p256' | 'rsa'

/** A private key made by openssl, and its public half. */
export function opensslKey(dir: string, kind: KeyKind | 'ec-p384' | 'rsa-1024', name: string = kind): { priv: string; pub: string } {
  const priv = path.join(dir, `${name}.pem`)
  const pub = path.join(dir, `${name}.pub.pem`)
  const args: Record<string, string[]> = {
    ed25519: ['-algorithm', 'ed25519'],
    'ec-p256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    'ec-p384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    'rsa-1024': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  }
  sh('openssl', ['genpkey', ...args[kind], '-out', priv])
  sh('openssl', ['pkey', '-in', priv, '-pubout', '-out', pub])
  return { priv, pub }
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T
}
