// Fixtures for the evidence tests: temporary workspaces, and manifests, keys and signatures
// made by tools that are not ours (sha256sum, shasum, openssl).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'
import { defaultContext, runGate, type GateContext } from '../../../src/core/gate.js'
import { evidence } from '../../../src/gates/evidence/gate.js'

const made: string[] = []
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A fresh workspace folder, removed after the test file. */
export function workspace(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'cutover-evidence-'))
  made.push(d)
  return d
}

/** Runs a real tool; returns stdout. */
export function sh(
  cmd: string,
  args: string[],
  opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {},
): Buffer {
  return execFileSync(cmd, args, {
    cwd: opts.cwd,
    input: opts.input,
    env: { ...process.env, LC_ALL: 'C', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

export type Tree = Record<string, string | Buffer>

/** Writes files (paths with `/` make folders) below `dir`. */
export function writeTree(dir: string, tree: Tree): void {
  for (const [rel, content] of Object.entries(tree)) {
    const file = path.join(dir, ...rel.split('/'))
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
}

export const SAMPLE: Tree = {
  'release/app.tar.gz': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff)),
  'release/notes.md': '# RC 1.4.2\n\nAll green.\n',
  'db/migrations.sql': 'ALTER TABLE payouts ADD COLUMN settled_at timestamptz;\n',
  'sbom.json': '{"bomFormat":"CycloneDX","components":[]}\n',
  'empty.txt': '',
}

/**
 * A workspace with an evidence folder `evidence/` holding `tree`, sealed with GNU `sha256sum`
 * (or `sha256sum --tag` for `bsd`, `shasum -a 256 --tag` for `shasum`) run inside the folder.
 */
export function sealedWorkspace(tree: Tree = SAMPLE, format: 'gnu' | 'bsd' | 'shasum' | 'openssl' = 'gnu') {
  const ws = workspace()
  const dir = path.join(ws, 'evidence')
  mkdirSync(dir)
  writeTree(dir, tree)
  const files = Object.keys(tree).sort()
  const out =
    format === 'gnu'
      ? sh('sha256sum', ['--', ...files], { cwd: dir })
      : format === 'bsd'
        ? sh('sha256sum', ['--tag', '--', ...files], { cwd: dir })
        : format === 'shasum'
          ? sh('shasum', ['-a', '256', '--tag', ...files], { cwd: dir })
          : sh('openssl', ['dgst', '-sha256', '-r', ...files], { cwd: dir })
  writeFileSync(path.join(dir, 'SHA256SUMS'), out)
  return { ws, dir, manifest: path.join(dir, 'SHA256SUMS') }
}

export function context(ws: string, overrides: Partial<GateContext> = {}): GateContext {
  return defaultContext({ log: () => {}, cwd: ws, workspace: ws, ...overrides })
}

/** Runs the gate exactly as an action would: string inputs. */
export function verify(ws: string, inputs: Record<string, string>, overrides: Partial<GateContext> = {}) {
  return runGate(evidence, { path: 'evidence', ...inputs }, context(ws, overrides), { id: 'evidence' })
}

export type Result = Awaited<ReturnType<typeof verify>>

export function failing(r: Result) {
  return r.checks.filter((c) => c.status === 'fail')
}

/** An openssl key pair of the given kind in `dir`: returns the PEM file paths. */
export function keyPair(dir: string, kind: 'p256' | 'ed25519' | 'rsa' | 'rsa-pss' | 'p384', name: string = kind) {
  const priv = path.join(dir, `${name}.key`)
  const pub = path.join(dir, `${name}.pub`)
  const args: Record<typeof kind, string[]> = {
    p256: ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', priv],
    p384: ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', priv],
    ed25519: ['genpkey', '-algorithm', 'ED25519', '-out', priv],
    rsa: ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', priv],
    'rsa-pss': ['genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', priv],
  }
  sh('openssl', args[kind])
  sh('openssl', ['pkey', '-in', priv, '-pubout', '-out', pub])
  return { priv, pub }
}

/** Signs `file` with openssl the way each tool's users do; writes raw bytes to `out`. */
export function opensslSign(kind: 'p256' | 'ed25519' | 'rsa' | 'rsa-pss' | 'p384', priv: string, file: string, out: string): void {
  if (kind === 'ed25519') sh('openssl', ['pkeyutl', '-sign', '-rawin', '-inkey', priv, '-in', file, '-out', out])
  else if (kind === 'rsa-pss') sh('openssl', ['dgst', '-sha256', '-sign', priv, '-sigopt', 'rsa_padding_mode:pss', '-out', out, file])
  else sh('openssl', ['dgst', '-sha256', '-sign', priv, '-out', out, file])
}
