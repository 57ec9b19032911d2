/**
 * A key input given in a form we cannot use is never quoted back. Every key input (policy-signatures
 * `public-keys` and `allowed-signers`, evidence `public-key` and the CLI's `--public-key`/`--key`,
 * decide `signing-key`, `cutover bundle verify --public-key`) receives every planted form: a PEM
 * pasted without its BEGIN line, the body alone, the body on one line, one body line, and an opaque
 * token. Each must fail (or exit 2) with a sentence naming the input, and no planted material may
 * appear in any check, summary, detail, output, log line, bundle, stdout or stderr.
 *
 * The cases are generated: TARGETS × plantedForms(); the count is asserted at the end.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bundleCommand } from '../../src/cli/bundle.js'
import { evidenceCommand } from '../../src/cli/evidence.js'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { evidence } from '../../src/gates/evidence/gate.js'
import { policySignatures } from '../../src/gates/policy-signatures/gate.js'
import { runDecide, writeReports } from '../gates/decide/support.js'
import { CI, TOOLS, opensslKey, tempRoot } from '../support/signature-tools.js'

const OPAQUE = 'PLANTED-SECRET-c0ffee-7f3a9c51'
const suite = describe.skipIf(!TOOLS && !CI)

let root = ''
let cleanup = () => {}
let privatePem = ''

beforeAll(() => {
  if (!TOOLS && !CI) return
  ;({ root, cleanup } = tempRoot('key-inputs-'))
  privatePem = readFileSync(opensslKey(path.join(root, 'keys'), 'rsa').priv, 'utf8')
})
afterAll(() => cleanup())

/** The forms a key reaches an input in when someone pastes it carelessly; each with the strings that must not leak. */
function plantedForms(): { form: string; value: string; secrets: string[] }[] {
  const lines = privatePem.trim().split('\n')
  const body = lines.slice(1, -1)
  const bodySecrets = [...body.filter((l) => l.length >= 12), body.join('')]
  return [
    { form: 'a PEM without its BEGIN line', value: lines.slice(1).join('\n') + '\n', secrets: bodySecrets },
    { form: 'the PEM body alone', value: body.join('\n'), secrets: bodySecrets },
    { form: 'the PEM body on one line', value: body.join(''), secrets: bodySecrets },
    { form: 'one line of the PEM body', value: body[3], secrets: [body[3]] },
    { form: 'an opaque token', value: OPAQUE, secrets: [OPAQUE] },
  ]
}

interface Outcome {
  /** Everything the run made visible: the result object, log lines, files written, stdout, stderr. */
  channels: Record<string, string>
  failed: boolean
  /** The sentences that must name the input. */
  message: string
}

let wsCount = 0
function workspace(): string {
  const ws = path.join(root, `ws${++wsCount}`)
  mkdirSync(ws, { recursive: true })
  return ws
}

/** A sealed evidence folder with a signature beside its manifest, so the key is read. */
function evidenceFolder(ws: string): void {
  mkdirSync(path.join(ws, 'evidence'))
  writeFileSync(path.join(ws, 'evidence', 'a.txt'), 'a\n')
  writeFileSync(path.join(ws, 'evidence', 'SHA256SUMS'), 'a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478  a.txt\n')
  writeFileSync(path.join(ws, 'evidence', 'SHA256SUMS.sig'), 'c2lnbmF0dXJl\n')
}

async function gateRun(gate: typeof policySignatures | typeof evidence, ws: string, inputs: Record<string, string>): Promise<Outcome> {
  const log: string[] = []
  const r = await runGate(gate, inputs, defaultContext({ log: (l) => log.push(l), cwd: ws, workspace: ws, env: {} }), { id: gate.name })
  return {
    channels: { result: JSON.stringify(r), log: log.join('\n') },
    failed: r.status === 'fail',
    message: r.checks
      .filter((c) => c.status === 'fail')
      .map((c) => c.message)
      .join('\n'),
  }
}

async function evidenceCli(args: string[], ws: string): Promise<Outcome> {
  let stdout = ''
  let stderr = ''
  const code = await evidenceCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: ws, env: {} })
  const channels: Record<string, string> = { stdout, stderr }
  if (args[0] === 'seal') channels.manifest = readFileSync(path.join(ws, 'evidence', 'SHA256SUMS'), 'utf8')
  return { channels, failed: code === 2, message: stdout + stderr }
}

const TARGETS: { input: string; named: RegExp; run: (value: string) => Promise<Outcome> }[] = [
  {
    input: 'policy-signatures public-keys',
    named: /`public-keys`/,
    run: async (value) => {
      const ws = workspace()
      writeFileSync(path.join(ws, 'a.json'), '{}\n')
      writeFileSync(path.join(ws, 'a.json.sig'), Buffer.alloc(256, 1))
      return gateRun(policySignatures, ws, { files: 'a.json', 'public-keys': value })
    },
  },
  {
    input: 'policy-signatures allowed-signers',
    named: /`allowed-signers`/,
    run: async (value) => {
      const ws = workspace()
      writeFileSync(path.join(ws, 'a.json'), '{}\n')
      return gateRun(policySignatures, ws, { files: 'a.json', 'allowed-signers': value })
    },
  },
  {
    input: 'evidence public-key',
    named: /`public-key`/,
    run: async (value) => {
      const ws = workspace()
      evidenceFolder(ws)
      return gateRun(evidence, ws, { path: 'evidence', 'public-key': value })
    },
  },
  {
    input: 'cutover evidence verify --public-key',
    named: /public-key/,
    run: async (value) => {
      const ws = workspace()
      evidenceFolder(ws)
      return evidenceCli(['verify', 'evidence', '--public-key', value], ws)
    },
  },
  {
    input: 'cutover evidence seal --key',
    named: /--key/,
    run: async (value) => {
      const ws = workspace()
      evidenceFolder(ws)
      return evidenceCli(['seal', 'evidence', '--key', value], ws)
    },
  },
  {
    input: 'decide signing-key',
    named: /`signing-key`/,
    run: async (value) => {
      const ws = workspace()
      await writeReports(path.join(ws, 'cutover-reports'), [{ id: 'api' }])
      const log: string[] = []
      const r = await runDecide(ws, { required: 'api', 'signing-key': value }, { log: (l) => log.push(l) })
      const bundle = readFileSync(path.join(ws, 'cutover-reports', 'cutover-summary.json'), 'utf8')
      const c = r.checks.find((x) => x.name === 'bundle signature')
      return {
        channels: { result: JSON.stringify(r), log: log.join('\n'), bundle },
        failed: c?.status === 'fail',
        message: c?.message ?? '',
      }
    },
  },
  {
    input: 'cutover bundle verify --public-key',
    named: /`public-key`/,
    run: async (value) => {
      const ws = workspace()
      let stdout = ''
      let stderr = ''
      const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
      const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
      let code: number
      try {
        code = await bundleCommand(['verify', path.join(ws, 'cutover-summary.json'), '--public-key', value])
      } finally {
        out.mockRestore()
        err.mockRestore()
      }
      return { channels: { stdout, stderr }, failed: code === 2, message: stderr }
    },
  },
]

suite('key inputs are never quoted back', () => {
  let cases = 0
  for (const target of TARGETS) {
    it(`${target.input}: every planted form fails with a sentence naming the input, and quotes none of it`, async () => {
      for (const { form, value, secrets } of plantedForms()) {
        const o = await target.run(value)
        expect(o.failed, `${target.input} given ${form}`).toBe(true)
        expect(o.message, `${target.input} given ${form}`).toMatch(target.named)
        for (const [channel, text] of Object.entries(o.channels)) {
          for (const secret of secrets) expect(text, `${target.input} given ${form}: ${channel} quotes it`).not.toContain(secret)
        }
        cases++
      }
    })
  }

  it('covered every target with every form', () => {
    expect(cases).toBe(TARGETS.length * plantedForms().length)
  })
})

// A path is still named when it is one: the person needs to know which file is missing.
suite('a key input that is a path is still named', () => {
  it('policy-signatures, evidence and decide name a missing key file by its path', async () => {
    const ws = workspace()
    writeFileSync(path.join(ws, 'a.json'), '{}\n')
    const ps = await gateRun(policySignatures, ws, { files: 'a.json', 'public-keys': 'keys/release.pub' })
    expect(ps.message).toContain('keys/release.pub does not exist')
    evidenceFolder(ws)
    const ev = await gateRun(evidence, ws, { path: 'evidence', 'public-key': 'keys/cosign.pub' })
    expect(ev.message).toContain('keys/cosign.pub')
    await writeReports(path.join(ws, 'cutover-reports'), [{ id: 'api' }])
    const d = await runDecide(ws, { required: 'api', 'signing-key': 'secrets/signing.pem' })
    expect(d.checks.find((c) => c.name === 'bundle signature')?.message).toContain('secrets/signing.pem does not exist')
    rmSync(path.join(ws, 'cutover-reports'), { recursive: true })
  })
})
