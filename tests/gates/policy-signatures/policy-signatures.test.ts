/**
 * policy-signatures against signatures made by tools that are not ours: openssl (genpkey, pkey,
 * dgst -sign, pkeyutl -sign -rawin), ssh-keygen -Y sign (Ed25519, ECDSA, RSA) and minisign. The one
 * Sigstore bundle is assembled in its documented JSON shape around an openssl signature. Where
 * ssh-keygen can judge the same case (`-Y verify`), the test asks it too and expects agreement.
 *
 * Under CI=true nothing here skips: .ci/run installs openssl, openssh-client and minisign.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash, createPublicKey } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runChecklist } from '../../../src/core/checklist.js'
import { loadConfig } from '../../../src/core/config.js'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { policySignatures } from '../../../src/gates/policy-signatures/gate.js'

const CI = process.env.CI === 'true'
const has = (cmd: string, args: string[]) => !spawnSync(cmd, args, { stdio: 'ignore' }).error
const TOOLS = has('openssl', ['version']) && has('ssh-keygen', ['-?']) && has('minisign', ['-v'])
/** A fixed "now" inside every validity window the tests write, except the ones meant to miss it. */
const NOW = new Date('2026-03-01T12:00:00Z')

function run(cmd: string, args: string[], opts: { cwd?: string; input?: Buffer } = {}): Buffer {
  try {
    return execFileSync(cmd, args, { cwd: opts.cwd, input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] })
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string }
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.toString() || e.message}`)
  }
}

let root = ''
const K: Record<string, string> = {}
const k = (name: string) => path.join(root, 'keys', name)

function opensslKey(name: string, args: string[]) {
  run('openssl', ['genpkey', ...args, '-out', k(`${name}.key`)])
  run('openssl', ['pkey', '-in', k(`${name}.key`), '-pubout', '-out', k(`${name}.pub`)])
}

function sshKey(name: string, args: string[], comment: string) {
  run('ssh-keygen', ['-q', ...args, '-N', '', '-C', comment, '-f', k(name)])
}

/** ssh-keygen's own fingerprint of a public key file: `SHA256:...`. */
function sshFingerprint(pubFile: string): string {
  return run('ssh-keygen', ['-l', '-f', pubFile]).toString().split(' ')[1]
}

/** SHA256 of the SPKI DER, the fingerprint we print for PEM keys, computed by openssl. */
function pemFingerprint(pubFile: string): string {
  const der = run('openssl', ['pkey', '-pubin', '-in', pubFile, '-outform', 'DER'])
  const digest = run('openssl', ['dgst', '-sha256', '-binary'], { input: der })
  return 'SHA256:' + digest.toString('base64').replace(/=+$/, '')
}

function sshPub(name: string): string {
  return readFileSync(k(`${name}.pub`), 'utf8')
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .join(' ')
}

beforeAll(() => {
  if (!TOOLS && !CI) return
  root = mkdtempSync(path.join(tmpdir(), 'policy-signatures-'))
  mkdirSync(path.join(root, 'keys'))
  opensslKey('ed', ['-algorithm', 'ed25519'])
  opensslKey('p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])
  opensslKey('p384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'])
  opensslKey('rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'])
  opensslKey('other-ed', ['-algorithm', 'ed25519'])
  opensslKey('other-p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])
  sshKey('alice', ['-t', 'ed25519'], 'alice@example.com')
  sshKey('bob', ['-t', 'ecdsa', '-b', '256'], 'bob@example.com')
  sshKey('carol', ['-t', 'ecdsa', '-b', '384'], 'carol@example.com')
  sshKey('dave', ['-t', 'ecdsa', '-b', '521'], 'dave@example.com')
  // -m PEM: the same private key is then usable by openssl, to build an rsa-sha2-256 SSHSIG.
  sshKey('erin', ['-t', 'rsa', '-b', '3072', '-m', 'PEM'], 'erin@example.com')
  sshKey('mallory', ['-t', 'ed25519'], 'mallory@example.com')
  run('minisign', ['-G', '-W', '-p', k('mini.pub'), '-s', k('mini.key')])
  run('minisign', ['-G', '-W', '-p', k('other-mini.pub'), '-s', k('other-mini.key')])
  K.signers = path.join(root, 'keys', 'allowed_signers')
  writeFileSync(
    K.signers,
    [
      '# principals [options] key',
      `alice@example.com namespaces="file" ${sshPub('alice')}`,
      `bob@example.com,ops@example.com ${sshPub('bob')}`,
      `carol@example.com valid-after="20250101",valid-before="20270101Z" ${sshPub('carol')}`,
      `dave@example.com ${sshPub('dave')}`,
      `erin@example.com ${sshPub('erin')}`,
      '',
    ].join('\n'),
  )
}, 120_000)

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

let wsCount = 0
/** A fresh workspace with `files` written under it. */
function workspace(files: Record<string, string | Buffer> = {}): string {
  const ws = path.join(root, `ws${++wsCount}`)
  mkdirSync(ws, { recursive: true })
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, name)), { recursive: true })
    writeFileSync(path.join(ws, name), body)
  }
  return ws
}

const policy = (n: number) => JSON.stringify({ policy: `p${n}`, allow: ['deploy'], version: n }, null, 2) + '\n'

async function gate(ws: string, inputs: Record<string, string>, opts: { cwd?: string; now?: Date; log?: (l: string) => void } = {}) {
  return runGate(
    policySignatures,
    inputs,
    defaultContext({ log: opts.log ?? (() => {}), cwd: opts.cwd ?? ws, workspace: ws, now: () => opts.now ?? NOW }),
    { id: 'policy-signatures' },
  )
}

const sshSign = (key: string, file: string, ns = 'file', extra: string[] = []) =>
  run('ssh-keygen', ['-Y', 'sign', '-n', ns, '-f', k(key), ...extra, file])
/** `ssh-keygen -Y verify`: true when it accepts the signature for the principal. */
function sshVerifies(file: string, principal: string, ns = 'file', sig = `${file}.sig`, extra: string[] = []): boolean {
  const r = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', K.signers, '-I', principal, '-n', ns, '-s', sig, ...extra], {
    input: readFileSync(file),
  })
  return r.status === 0
}
const dgstSign = (key: string, file: string, out: string, extra: string[] = []) =>
  run('openssl', ['dgst', '-sha256', '-sign', k(`${key}.key`), ...extra, '-out', out, file])
const toBase64File = (file: string) => writeFileSync(file, readFileSync(file).toString('base64') + '\n')
const minisignSign = (key: string, file: string, extra: string[] = []) =>
  run('minisign', ['-S', '-s', k(`${key}.key`), '-m', file, ...extra])

const suite = describe.skipIf(!TOOLS && !CI)

// ---------------------------------------------------------------------------------------------

suite('policy-signatures: OpenSSH signatures (ssh-keygen -Y sign)', () => {
  it('passes files signed with Ed25519, ECDSA P-256/384/521 and RSA keys, naming principal and ssh-keygen fingerprint', async () => {
    const ws = workspace({
      'policies/a.json': policy(1),
      'policies/b.json': policy(2),
      'policies/c.json': policy(3),
      'policies/d.json': policy(4),
      'policies/e.json': policy(5),
    })
    const signer: Record<string, string> = { a: 'alice', b: 'bob', c: 'carol', d: 'dave', e: 'erin' }
    for (const [f, key] of Object.entries(signer)) sshSign(key, path.join(ws, `policies/${f}.json`))
    const r = await gate(ws, { files: 'policies/*.json', 'allowed-signers': K.signers })
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks.map((c) => c.name)).toEqual([
      'policies/a.json',
      'policies/b.json',
      'policies/c.json',
      'policies/d.json',
      'policies/e.json',
    ])
    for (const [f, key] of Object.entries(signer)) {
      const c = r.checks.find((x) => x.name === `policies/${f}.json`)!
      expect(c.observed).toContain(sshFingerprint(k(`${key}.pub`)))
      expect(r.details).toContain(sshFingerprint(k(`${key}.pub`)))
      expect(c.location).toEqual({ path: `policies/${f}.json` })
      expect(sshVerifies(path.join(ws, `policies/${f}.json`), `${key}@example.com`)).toBe(true)
    }
    expect(r.checks[0].observed).toContain('SSHSIG ssh-ed25519 (ED25519, sha512)')
    expect(r.checks[1].observed).toContain('ecdsa-sha2-nistp256')
    expect(r.checks[1].observed).toContain('bob@example.com,ops@example.com')
    expect(r.checks[2].observed).toContain('ECDSA P-384')
    expect(r.checks[3].observed).toContain('ECDSA P-521')
    expect(r.checks[4].observed).toContain('rsa-sha2-512 (RSA 3072')
    expect(r.metrics).toMatchObject({ files: 5, verified: 5, failed: 0 })
  })

  it('accepts the sha256 message hash (-O hashalg=sha256)', async () => {
    const ws = workspace({ 'p.yaml': 'a: 1\n' })
    sshSign('alice', path.join(ws, 'p.yaml'), 'file', ['-O', 'hashalg=sha256'])
    const r = await gate(ws, { files: '*.yaml', 'allowed-signers': K.signers })
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks[0].observed).toContain('sha256')
  })

  it('accepts rsa-sha2-256 and refuses ssh-rsa (SHA-1), as ssh-keygen does', async () => {
    // ssh-keygen always signs RSA with rsa-sha2-512; build the same SSHSIG around an openssl RSA signature.
    const ws = workspace({ 'p256.json': policy(1), 'sha1.json': policy(2) })
    const pubBlob = Buffer.from(sshPub('erin').split(' ')[1], 'base64')
    const str = (b: Buffer | string) => {
      const body = typeof b === 'string' ? Buffer.from(b) : b
      const len = Buffer.alloc(4)
      len.writeUInt32BE(body.length)
      return Buffer.concat([len, body])
    }
    const make = (file: string, sigAlg: string, dgst: string) => {
      const msg = readFileSync(path.join(ws, file))
      const data = Buffer.concat([
        Buffer.from('SSHSIG'),
        str('file'),
        str(''),
        str('sha512'),
        str(createHash('sha512').update(msg).digest()),
      ])
      writeFileSync(path.join(ws, 'data.bin'), data)
      const sig = run('openssl', ['dgst', `-${dgst}`, '-sign', k('erin'), path.join(ws, 'data.bin')])
      const blob = Buffer.concat([
        Buffer.from('SSHSIG'),
        Buffer.from([0, 0, 0, 1]),
        str(pubBlob),
        str('file'),
        str(''),
        str('sha512'),
        str(Buffer.concat([str(sigAlg), str(sig)])),
      ])
      const b64 = blob
        .toString('base64')
        .match(/.{1,70}/g)!
        .join('\n')
      writeFileSync(path.join(ws, `${file}.sig`), `-----BEGIN SSH SIGNATURE-----\n${b64}\n-----END SSH SIGNATURE-----\n`)
      rmSync(path.join(ws, 'data.bin'))
    }
    make('p256.json', 'rsa-sha2-256', 'sha256')
    make('sha1.json', 'ssh-rsa', 'sha1')
    expect(sshVerifies(path.join(ws, 'p256.json'), 'erin@example.com')).toBe(true)
    const r = await gate(ws, { files: '*.json', 'allowed-signers': K.signers })
    const [good, sha1] = r.checks
    expect(good.status, good.message).toBe('pass')
    expect(good.observed).toContain('rsa-sha2-256')
    expect(sha1.status).toBe('fail')
    expect(sha1.observed).toMatch(/^unsupported/)
    expect(sha1.message).toContain('only rsa-sha2-256 and rsa-sha2-512 are accepted')
  })

  it('fails a file changed after signing (invalid), and ssh-keygen agrees', async () => {
    const ws = workspace({ 'policies/a.json': policy(1) })
    const file = path.join(ws, 'policies/a.json')
    sshSign('alice', file)
    writeFileSync(file, policy(1).replace('deploy', 'deploy", "admin'))
    const r = await gate(ws, { files: 'policies/**/*.json', 'allowed-signers': K.signers })
    expect(r.status).toBe('fail')
    const c = r.checks[0]
    expect(c.observed).toMatch(/^invalid: SSHSIG/)
    expect(c.message).toContain('policies/a.json is not validly signed')
    expect(c.message).toContain('changed after signing')
    expect(c.location).toEqual({ path: 'policies/a.json' })
    expect(sshVerifies(file, 'alice@example.com')).toBe(false)
  })

  it('fails a signature by a key no allowed_signers line lists (untrusted), naming its fingerprint', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    sshSign('mallory', path.join(ws, 'a.json'))
    const r = await gate(ws, { files: 'a.json', 'allowed-signers': K.signers })
    expect(r.status).toBe('fail')
    expect(r.checks[0].observed).toMatch(/^untrusted/)
    expect(r.checks[0].message).toContain(sshFingerprint(k('mallory.pub')))
    expect(r.checks[0].message).toContain('which no line of allowed_signers lists')
    expect(sshVerifies(path.join(ws, 'a.json'), 'mallory@example.com')).toBe(false)
  })

  it('fails a signature made for another namespace, and ssh-keygen agrees', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    sshSign('bob', path.join(ws, 'a.json'), 'git')
    const r = await gate(ws, { files: 'a.json', 'allowed-signers': K.signers })
    expect(r.checks[0].status).toBe('fail')
    expect(r.checks[0].observed).toMatch(/^namespace/)
    expect(r.checks[0].message).toContain('namespace "git", but `namespace` is "file"')
    expect(sshVerifies(path.join(ws, 'a.json'), 'bob@example.com')).toBe(false)
    // The same signature passes when the gate is told the namespace.
    expect((await gate(ws, { files: 'a.json', 'allowed-signers': K.signers, namespace: 'git' })).status).toBe('pass')
  })

  it("fails when the signer's namespaces= option does not permit the namespace", async () => {
    const ws = workspace({ 'a.json': policy(1) })
    sshSign('alice', path.join(ws, 'a.json'), 'git') // alice is namespaces="file"
    const r = await gate(ws, { files: 'a.json', 'allowed-signers': K.signers, namespace: 'git' })
    expect(r.checks[0].observed).toMatch(/^namespace/)
    expect(r.checks[0].message).toContain('allows the namespaces "file", which do not include "git"')
    expect(sshVerifies(path.join(ws, 'a.json'), 'alice@example.com', 'git')).toBe(false)
  })

  it('fails a signer outside its validity window: valid-before in the past, valid-after in the future (ctx.now)', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    sshSign('carol', path.join(ws, 'a.json')) // carol: valid-after 2025-01-01 (local), valid-before 2027-01-01Z
    expect((await gate(ws, { files: 'a.json', 'allowed-signers': K.signers })).status).toBe('pass')
    const late = await gate(ws, { files: 'a.json', 'allowed-signers': K.signers }, { now: new Date('2027-06-01T00:00:00Z') })
    expect(late.checks[0].observed).toMatch(/^validity/)
    expect(late.checks[0].message).toContain('expired at 2027-01-01T00:00:00.000Z (valid-before)')
    const early = await gate(ws, { files: 'a.json', 'allowed-signers': K.signers }, { now: new Date('2024-06-01T00:00:00Z') })
    expect(early.checks[0].observed).toMatch(/^validity/)
    expect(early.checks[0].message).toContain('is valid only after')
    // ssh-keygen judges the same window when told the time.
    const f = path.join(ws, 'a.json')
    expect(sshVerifies(f, 'carol@example.com', 'file', `${f}.sig`, ['-Overify-time=20260301'])).toBe(true)
    expect(sshVerifies(f, 'carol@example.com', 'file', `${f}.sig`, ['-Overify-time=20270601'])).toBe(false)
    expect(sshVerifies(f, 'carol@example.com', 'file', `${f}.sig`, ['-Overify-time=20240601'])).toBe(false)
  })

  it('refuses a cert-authority line for a plain key signature with a clear message', async () => {
    const ws = workspace({ 'a.json': policy(1), allowed: `*@example.com cert-authority ${sshPub('mallory')}\n` })
    sshSign('mallory', path.join(ws, 'a.json'))
    const r = await gate(ws, { files: 'a.json', 'allowed-signers': 'allowed' })
    expect(r.checks[0].status).toBe('fail')
    expect(r.checks[0].message).toContain('cert-authority, which only vouches for certificates')
  })

  it('fails an SSH signature when no allowed-signers is given', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    sshSign('alice', path.join(ws, 'a.json'))
    const r = await gate(ws, { files: 'a.json', 'public-keys': k('ed.pub') })
    expect(r.checks[0].observed).toMatch(/^untrusted/)
    expect(r.checks[0].message).toContain('no `allowed-signers` file is loaded')
  })

  it('fails with the line number when allowed_signers is malformed, and when it is missing', async () => {
    const ws = workspace({
      'a.json': policy(1),
      bad: `alice@example.com ${sshPub('alice')}\nbob@example.com frobnicate ${sshPub('bob')}\n`,
    })
    sshSign('alice', path.join(ws, 'a.json'))
    const bad = await gate(ws, { files: 'a.json', 'allowed-signers': 'bad' })
    const c = bad.checks.find((x) => x.name === 'allowed-signers')!
    expect(c.status).toBe('fail')
    expect(c.message).toContain('bad line 2')
    expect(c.location).toEqual({ path: 'bad' })
    const missing = await gate(ws, { files: 'a.json', 'allowed-signers': 'nope/allowed_signers' })
    expect(missing.checks.find((x) => x.name === 'allowed-signers')!.message).toContain('nope/allowed_signers does not exist')
    expect(missing.status).toBe('fail')
  })
})

// ---------------------------------------------------------------------------------------------

suite('policy-signatures: minisign', () => {
  it('passes the prehashed (default) and legacy (-l) forms, checking the trusted comment', async () => {
    const ws = workspace({ 'hashed.json': policy(1), 'legacy.json': policy(2) })
    minisignSign('mini', path.join(ws, 'hashed.json'), ['-t', 'reviewed by ops'])
    minisignSign('mini', path.join(ws, 'legacy.json'), ['-l'])
    const r = await gate(ws, { files: '*.json', 'public-keys': k('mini.pub') })
    expect(r.status, r.summary).toBe('pass')
    const id = readFileSync(k('mini.pub'), 'utf8').match(/minisign public key ([0-9A-F]+)/)![1]
    expect(r.checks[0].observed).toContain('minisign (prehashed, BLAKE2b-512)')
    expect(r.checks[0].observed).toContain(`minisign key ${id}`)
    expect(r.checks[0].message).toContain('trusted comment "reviewed by ops"')
    expect(r.checks[1].observed).toContain('minisign (legacy, not prehashed)')
    expect(r.details).toContain(id)
    // minisign itself agrees on both.
    for (const f of ['hashed.json', 'legacy.json']) run('minisign', ['-V', '-p', k('mini.pub'), '-m', path.join(ws, f)])
  })

  it('accepts the public key inline, as the two lines of the .pub file or as the bare RW... line', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    minisignSign('mini', path.join(ws, 'a.json'))
    const pub = readFileSync(k('mini.pub'), 'utf8')
    expect((await gate(ws, { files: 'a.json', 'public-keys': pub })).status).toBe('pass')
    expect((await gate(ws, { files: 'a.json', 'public-keys': pub.trim().split('\n')[1] })).status).toBe('pass')
  })

  it('fails a changed file, an altered trusted comment, and an untrusted key id', async () => {
    const ws = workspace({ 'changed.json': policy(1), 'comment.json': policy(2), 'other.json': policy(3) })
    for (const f of ['changed.json', 'comment.json']) minisignSign('mini', path.join(ws, f), ['-t', 'approved'])
    minisignSign('other-mini', path.join(ws, 'other.json'))
    writeFileSync(path.join(ws, 'changed.json'), policy(9))
    const sigPath = path.join(ws, 'comment.json.minisig')
    writeFileSync(sigPath, readFileSync(sigPath, 'utf8').replace('trusted comment: approved', 'trusted comment: approved by the CISO'))
    const r = await gate(ws, { files: '*.json', 'public-keys': k('mini.pub') })
    const by = Object.fromEntries(r.checks.map((c) => [c.name, c]))
    expect(by['changed.json'].observed).toMatch(/^invalid: minisign/)
    expect(by['comment.json'].observed).toMatch(/^invalid: minisign/)
    expect(by['comment.json'].message).toContain('the trusted comment was altered')
    expect(by['other.json'].observed).toMatch(/^untrusted: minisign/)
    const otherId = readFileSync(k('other-mini.pub'), 'utf8').match(/minisign public key ([0-9A-F]+)/)![1]
    expect(by['other.json'].message).toContain(`key id ${otherId}`)
    expect(spawnSync('minisign', ['-V', '-p', k('mini.pub'), '-m', path.join(ws, 'comment.json')]).status).not.toBe(0)
  })
})

// ---------------------------------------------------------------------------------------------

suite('policy-signatures: raw PEM-key signatures and cosign', () => {
  it('passes Ed25519 (pkeyutl -rawin), ECDSA P-256/P-384 and RSA PKCS#1 v1.5 / PSS, binary and base64', async () => {
    const files = ['ed.bin', 'ed.b64', 'p256.bin', 'cosign', 'p384.bin', 'rsa.bin', 'rsa.b64', 'pss.bin', 'pss-max.bin']
    const ws = workspace(Object.fromEntries(files.map((f, i) => [`p/${f}.json`, policy(i)])))
    const f = (name: string) => path.join(ws, `p/${name}.json`)
    const sig = (name: string) => `${f(name)}.sig`
    run('openssl', ['pkeyutl', '-sign', '-inkey', k('ed.key'), '-rawin', '-in', f('ed.bin'), '-out', sig('ed.bin')])
    run('openssl', ['pkeyutl', '-sign', '-inkey', k('ed.key'), '-rawin', '-in', f('ed.b64'), '-out', sig('ed.b64')])
    toBase64File(sig('ed.b64'))
    dgstSign('p256', f('p256.bin'), sig('p256.bin'))
    dgstSign('p256', f('cosign'), sig('cosign'))
    writeFileSync(sig('cosign'), readFileSync(sig('cosign')).toString('base64')) // cosign writes base64 without a newline
    dgstSign('p384', f('p384.bin'), sig('p384.bin'))
    dgstSign('rsa', f('rsa.bin'), sig('rsa.bin'))
    dgstSign('rsa', f('rsa.b64'), sig('rsa.b64'))
    toBase64File(sig('rsa.b64'))
    dgstSign('rsa', f('pss.bin'), sig('pss.bin'), ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'])
    dgstSign('rsa', f('pss-max.bin'), sig('pss-max.bin'), ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:max'])
    const keys = ['ed', 'p256', 'p384', 'rsa'].map((n) => k(`${n}.pub`)).join('\n')
    const r = await gate(ws, { files: 'p/*.json', 'public-keys': keys })
    expect(r.status, r.summary + '\n' + r.checks.map((c) => c.message).join('\n')).toBe('pass')
    const by = Object.fromEntries(r.checks.map((c) => [c.name.replace(/^p\/|\.json$/g, ''), c.observed]))
    expect(by['ed.bin']).toContain('raw Ed25519 signature, EdDSA (binary)')
    expect(by['ed.b64']).toContain('(base64)')
    expect(by['p256.bin']).toContain('raw ECDSA P-256 signature, ECDSA SHA-256 (binary)')
    expect(by.cosign).toContain('cosign blob signature (ECDSA P-256, SHA-256)')
    expect(by['p384.bin']).toContain('ECDSA P-384')
    expect(by['rsa.bin']).toContain('PKCS#1 v1.5 SHA-256 (binary)')
    expect(by['rsa.b64']).toContain('PKCS#1 v1.5 SHA-256 (base64)')
    expect(by['pss.bin']).toContain('PSS SHA-256')
    expect(by['pss-max.bin']).toContain('PSS SHA-256')
    expect(by['ed.bin']).toContain(pemFingerprint(k('ed.pub')))
    expect(by.cosign).toContain(pemFingerprint(k('p256.pub')))
    expect(by['rsa.bin']).toContain(pemFingerprint(k('rsa.pub')))
  })

  it('takes PEM keys inline in the input, beside paths', async () => {
    const ws = workspace({ 'a.json': policy(1), 'b.json': policy(2) })
    dgstSign('p256', path.join(ws, 'a.json'), path.join(ws, 'a.json.sig'))
    run('openssl', [
      'pkeyutl',
      '-sign',
      '-inkey',
      k('ed.key'),
      '-rawin',
      '-in',
      path.join(ws, 'b.json'),
      '-out',
      path.join(ws, 'b.json.sig'),
    ])
    const inline = readFileSync(k('p256.pub'), 'utf8')
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')
    const r = await gate(ws, { files: '*.json', 'public-keys': `${inline}\n${k('ed.pub')}\n` })
    expect(r.status, r.summary).toBe('pass')
  })

  it('fails an openssl signature by a key not in public-keys, and one over a changed file', async () => {
    const ws = workspace({ 'a.json': policy(1), 'b.json': policy(2), 'c.json': policy(3) })
    dgstSign('other-p256', path.join(ws, 'a.json'), path.join(ws, 'a.json.sig'))
    run('openssl', [
      'pkeyutl',
      '-sign',
      '-inkey',
      k('other-ed.key'),
      '-rawin',
      '-in',
      path.join(ws, 'b.json'),
      '-out',
      path.join(ws, 'b.json.sig'),
    ])
    dgstSign('rsa', path.join(ws, 'c.json'), path.join(ws, 'c.json.sig'))
    writeFileSync(path.join(ws, 'c.json'), policy(4))
    const r = await gate(ws, { files: '*.json', 'public-keys': [k('p256.pub'), k('ed.pub'), k('rsa.pub')].join('\n') })
    expect(r.checks.map((c) => c.status)).toEqual(['fail', 'fail', 'fail'])
    expect(r.checks[0].message).toContain('verifies with none of the 1 configured ECDSA key')
    expect(r.checks[1].message).toContain('verifies with none of the 1 configured Ed25519 key')
    expect(r.checks[2].observed).toMatch(/^invalid: raw RSA/)
    // A raw signature for which no key of its kind is configured is untrusted.
    const noEd = await gate(ws, { files: 'b.json', 'public-keys': k('p256.pub') })
    expect(noEd.checks[0].observed).toMatch(/^untrusted/)
    expect(noEd.checks[0].message).toContain('holds no Ed25519 key')
  })

  it('fails a signature file in no known format', async () => {
    const ws = workspace({
      'a.json': policy(1),
      'a.json.sig': 'this is not a signature\n',
      'b.json': policy(2),
      'b.json.sig': Buffer.alloc(17, 7),
    })
    const r = await gate(ws, { files: '*.json', 'public-keys': k('ed.pub') })
    for (const c of r.checks) {
      expect(c.status).toBe('fail')
      expect(c.observed).toMatch(/^unknown-format/)
      expect(c.message).toContain('The signature is in no format this gate knows')
    }
  })
})

// ---------------------------------------------------------------------------------------------

/** A Sigstore bundle v0.3 around an openssl ECDSA P-256 signature, as cosign sign-blob --key --bundle writes it. */
function bundle(file: string, key = 'p256', opts: { digestOf?: Buffer } = {}): string {
  const sig = run('openssl', ['dgst', '-sha256', '-sign', k(`${key}.key`), file])
  const digest = run('openssl', ['dgst', '-sha256', '-binary'], { input: opts.digestOf ?? readFileSync(file) })
  const der = createPublicKey(readFileSync(k(`${key}.pub`))).export({ type: 'spki', format: 'der' })
  return JSON.stringify(
    {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: createHash('sha256').update(der).digest('base64') }, tlogEntries: [] },
      messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: digest.toString('base64') }, signature: sig.toString('base64') },
    },
    null,
    2,
  )
}

suite('policy-signatures: Sigstore bundles (offline)', () => {
  it('passes a v0.3 messageSignature bundle verified against the configured key', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    writeFileSync(path.join(ws, 'a.json.sigstore.json'), bundle(path.join(ws, 'a.json')))
    const r = await gate(ws, { files: '*.json', 'public-keys': [k('ed.pub'), k('p256.pub')].join('\n') })
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks[0].observed).toContain('Sigstore bundle v0.3 (messageSignature, SHA-256)')
    expect(r.checks[0].observed).toContain(pemFingerprint(k('p256.pub')))
  })

  it('fails when the digest in the bundle is not the file digest, even if the signature is over the file', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    writeFileSync(
      path.join(ws, 'a.json.sigstore.json'),
      bundle(path.join(ws, 'a.json'), 'p256', { digestOf: Buffer.from('something else') }),
    )
    const r = await gate(ws, { files: '*.json', 'public-keys': k('p256.pub') })
    expect(r.checks[0].observed).toMatch(/^invalid: Sigstore/)
    expect(r.checks[0].message).toContain('the file changed after signing')
  })

  it('fails a bundle over a changed file, a bundle by an untrusted key, and a keyless bundle', async () => {
    const ws = workspace({ 'a.json': policy(1), 'b.json': policy(2), 'c.json': policy(3) })
    writeFileSync(path.join(ws, 'a.json.sigstore.json'), bundle(path.join(ws, 'a.json')))
    writeFileSync(path.join(ws, 'a.json'), policy(7))
    writeFileSync(path.join(ws, 'b.json.sigstore.json'), bundle(path.join(ws, 'b.json'), 'other-p256'))
    const keyless = JSON.parse(bundle(path.join(ws, 'c.json')))
    keyless.verificationMaterial = { certificate: { rawBytes: 'MIIB' } }
    writeFileSync(path.join(ws, 'c.json.sigstore.json'), JSON.stringify(keyless))
    const r = await gate(ws, { files: '*.json', 'public-keys': k('p256.pub') })
    expect(r.checks[0].observed).toMatch(/^invalid/)
    expect(r.checks[1].observed).toMatch(/^untrusted/)
    expect(r.checks[1].message).toContain('names none of them')
    expect(r.checks[2].observed).toMatch(/^unsupported/)
    expect(r.checks[2].message).toContain('keyless')
  })
})

// ---------------------------------------------------------------------------------------------

suite('policy-signatures: files, globs and trust inputs', () => {
  it('fails an unsigned file, naming the signature files it looked for', async () => {
    const ws = workspace({ 'policies/a.json': policy(1), 'policies/b.json': policy(2) })
    sshSign('alice', path.join(ws, 'policies/a.json'))
    const r = await gate(ws, { files: 'policies/*.json', 'allowed-signers': K.signers })
    expect(r.status).toBe('fail')
    const c = r.checks[1]
    expect(c.name).toBe('policies/b.json')
    expect(c.observed).toBe('unsigned: none')
    expect(c.message).toContain('policies/b.json is not signed')
    expect(c.message).toContain('b.json.sig, b.json.sigstore.json, b.json.minisig')
    expect(c.location).toEqual({ path: 'policies/b.json' })
    expect(r.metrics).toMatchObject({ files: 2, verified: 1, failed: 1, unsigned: 1 })
    expect(r.details).toMatch(/\| policies\/b\.json \| none \| - \| - \| fail \(unsigned\) \|/)
  })

  it('fails a glob that matches nothing, and one that matches only signature files', async () => {
    const ws = workspace({ 'policies/a.json': policy(1) })
    sshSign('alice', path.join(ws, 'policies/a.json'))
    const r = await gate(ws, { files: 'policies/*.json\nmissing/**/*.rego\npolicies/*.sig', 'allowed-signers': K.signers })
    expect(r.status).toBe('fail')
    const names = r.checks.map((c) => `${c.status} ${c.name}`)
    expect(names).toEqual(['fail files: missing/**/*.rego', 'fail files: policies/*.sig', 'pass policies/a.json'])
    expect(r.checks[0].message).toContain('The glob `missing/**/*.rego` matched no policy files')
    expect(r.checks[1].message).toContain('it matched 1 signature or key file')
  })

  it('never treats signature files or the trust files as policies, and honours ! exclusions', async () => {
    const ws = workspace({ 'p/a.json': policy(1), 'p/draft/x.json': policy(2), 'p/keys.pub': readFileSync(k('mini.pub')) })
    minisignSign('mini', path.join(ws, 'p/a.json'))
    const r = await gate(ws, { files: 'p/**\n!p/draft/**', 'public-keys': 'p/keys.pub' })
    expect(r.checks.map((c) => c.name)).toEqual(['p/a.json'])
    expect(r.status).toBe('pass')
  })

  it('resolves globs and paths against ctx.cwd and writes locations relative to the workspace', async () => {
    const ws = workspace({ 'svc/policies/a.json': policy(1) })
    sshSign('alice', path.join(ws, 'svc/policies/a.json'))
    writeFileSync(path.join(ws, 'svc/allowed_signers'), readFileSync(K.signers))
    const r = await gate(ws, { files: 'policies/*.json', 'allowed-signers': 'allowed_signers' }, { cwd: path.join(ws, 'svc') })
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks[0].name).toBe('svc/policies/a.json')
    expect(r.checks[0].location).toEqual({ path: 'svc/policies/a.json' })
  })

  it('warns when a verified file also carries a signature that does not verify', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    minisignSign('other-mini', path.join(ws, 'a.json'))
    sshSign('alice', path.join(ws, 'a.json'))
    const r = await gate(ws, { files: 'a.json', 'allowed-signers': K.signers, 'public-keys': k('mini.pub') })
    expect(r.status).toBe('warn')
    expect(r.checks[0].message).toContain('a.json.minisig does not verify (untrusted)')
  })

  it('refuses to run without any trust source, a private key given as public key, and a missing key file', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    const none = await gate(ws, { files: 'a.json' })
    expect(none.status).toBe('fail')
    expect(none.inputError).toBe(true)
    expect(none.checks[0].message).toContain('give `public-keys`')
    const priv = readFileSync(k('ed.key'), 'utf8')
    const leaked = await gate(ws, { files: 'a.json', 'public-keys': priv })
    expect(leaked.inputError).toBe(true)
    expect(leaked.checks[0].message).toContain('is a private key')
    const body = priv.split('\n')[1]
    expect(JSON.stringify(leaked)).not.toContain(body)
    const missing = await gate(ws, { files: 'a.json', 'public-keys': 'keys/none.pub' })
    expect(missing.status).toBe('fail')
    const c = missing.checks.find((x) => x.name === 'public-keys')!
    expect(c.message).toContain('keys/none.pub does not exist')
  })

  it('logs what it trusted and how many files it verified', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    sshSign('alice', path.join(ws, 'a.json'))
    const lines: string[] = []
    await gate(ws, { files: 'a.json', 'allowed-signers': K.signers, 'public-keys': k('ed.pub') }, { log: (l) => lines.push(l) })
    expect(lines[0]).toBe('trust: 1 PEM key, 0 minisign keys, 5 allowed signers; SSH namespace "file"')
    expect(lines[1]).toBe('files: 1 policy file from 1 glob')
    expect(lines[2]).toMatch(/^verified 1 of 1 policy file in /)
  })
})

suite('policy-signatures: from cutover.yml', () => {
  it('takes YAML lists, an inline PEM block among paths, and resolves paths against the config folder', async () => {
    const ws = workspace({ 'ops/policies/a.json': policy(1), 'ops/policies/b.json': policy(2) })
    sshSign('alice', path.join(ws, 'ops/policies/a.json'))
    dgstSign('p256', path.join(ws, 'ops/policies/b.json'), path.join(ws, 'ops/policies/b.json.sig'))
    writeFileSync(path.join(ws, 'ops/allowed_signers'), readFileSync(K.signers))
    const pem = readFileSync(k('p256.pub'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => `          ${l}`)
      .join('\n')
    writeFileSync(
      path.join(ws, 'ops/cutover.yml'),
      [
        'version: 1',
        'gates:',
        '  - id: policies',
        '    uses: policy-signatures',
        '    with:',
        '      files: [policies/*.json]',
        '      allowed-signers: allowed_signers',
        '      public-keys:',
        '        - |',
        pem,
        `        - ${k('ed.pub')}`,
        '',
      ].join('\n'),
    )
    const config = await loadConfig(path.join(ws, 'ops/cutover.yml'), {})
    const ctx = defaultContext({ log: () => {}, cwd: ws, workspace: ws, now: () => NOW })
    const run = await runChecklist(config, { 'policy-signatures': policySignatures }, ctx, { language: 'en' })
    const result = run.rows[0].result
    expect(result.status, result.summary).toBe('pass')
    expect(result.checks.map((c) => c.name)).toEqual(['ops/policies/a.json', 'ops/policies/b.json'])
  })
})
