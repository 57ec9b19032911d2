/**
 * policy-signatures against the signatures people really make: `openssl dgst` with every common
 * hash over RSA, P-256 and P-384 keys, `ssh-keygen -Y sign` with every key type the installed
 * OpenSSH can generate, minisign; and the forms the gate must refuse as unsupported (SHA-1, DSA,
 * security keys, keyless Sigstore bundles) without ever calling them tampered.
 *
 * Under CI=true nothing here skips: .ci/run installs openssl, openssh-client and minisign.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { policySignatures } from '../../../src/gates/policy-signatures/gate.js'
import {
  CI,
  SSH_KEY_TYPES,
  TOOLS,
  dgstSign,
  dgstVerifies,
  futureKeyBlob,
  minisignKey,
  minisignSign,
  opensslKey,
  rawinSign,
  securityKeySshSig,
  sshKey,
  sshPub,
  sshSign,
  sshVerifies,
  tempRoot,
} from '../../support/signature-tools.js'

const NOW = new Date('2026-03-01T12:00:00Z')
const suite = describe.skipIf(!TOOLS && !CI)

let root = ''
let cleanup = () => {}
const keys = (name: string) => path.join(root, 'keys', name)
let wsCount = 0

beforeAll(() => {
  if (!TOOLS && !CI) return
  ;({ root, cleanup } = tempRoot('policy-signatures-rw-'))
  for (const kind of ['ed25519', 'p256', 'p384', 'rsa'] as const) opensslKey(keys(''), kind)
  opensslKey(keys(''), 'rsa', 'rsa-other')
}, 120_000)
afterAll(() => cleanup())

function workspace(files: Record<string, string | Buffer>): string {
  const ws = path.join(root, `ws${++wsCount}`)
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, name)), { recursive: true })
    writeFileSync(path.join(ws, name), body)
  }
  return ws
}

const policy = (n: number) => JSON.stringify({ policy: `p${n}`, allow: ['deploy'], version: n }, null, 2) + '\n'

async function gate(ws: string, inputs: Record<string, string>) {
  const lines: string[] = []
  const r = await runGate(policySignatures, inputs, defaultContext({ log: (l) => lines.push(l), cwd: ws, workspace: ws, now: () => NOW }), {
    id: 'policy-signatures',
  })
  return Object.assign(r, { lines })
}

const HASH_LABEL: Record<string, string> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' }

// ---------------------------------------------------------------------------------------------

suite('policy-signatures: openssl dgst with SHA-256, SHA-384 and SHA-512', () => {
  const cases = (['rsa', 'p256', 'p384'] as const).flatMap((key) =>
    (['sha256', 'sha384', 'sha512'] as const).flatMap((hash) => (['binary', 'base64'] as const).map((enc) => ({ key, hash, enc }))),
  )

  it.each(cases)('$key -$hash ($enc) passes and the report names $hash', async ({ key, hash, enc }) => {
    const ws = workspace({ 'p.json': policy(1) })
    const file = path.join(ws, 'p.json')
    const sig = dgstSign(keys(`${key}.key`), file, hash)
    writeFileSync(`${file}.sig`, enc === 'base64' ? sig.toString('base64') + '\n' : sig)
    if (enc === 'binary') expect(dgstVerifies(keys(`${key}.pub`), file, `${file}.sig`, hash)).toBe(true)
    const r = await gate(ws, { files: 'p.json', 'public-keys': keys(`${key}.pub`) })
    expect(r.status, r.checks.map((c) => c.message).join('\n')).toBe('pass')
    // cosign writes exactly base64 DER ECDSA P-256 over SHA-256, and the report says so.
    const cosign = key === 'p256' && hash === 'sha256' && enc === 'base64'
    expect(r.checks[0].observed).toContain(cosign ? 'cosign blob signature (ECDSA P-256, SHA-256)' : `${HASH_LABEL[hash]} (${enc})`)
  })

  it.each(['sha256', 'sha384', 'sha512'])('RSA-PSS over %s passes and names the hash', async (hash) => {
    const ws = workspace({ 'p.json': policy(2) })
    const file = path.join(ws, 'p.json')
    writeFileSync(`${file}.sig`, dgstSign(keys('rsa.key'), file, hash, ['-sigopt', 'rsa_padding_mode:pss']))
    const r = await gate(ws, { files: 'p.json', 'public-keys': keys('rsa.pub') })
    expect(r.status, r.checks[0].message).toBe('pass')
    expect(r.checks[0].observed).toContain(`PSS ${HASH_LABEL[hash]}`)
  })

  it('the issue as reported: a genuine RSA PKCS#1 v1.5 SHA-512 signature is not "changed after signing"', async () => {
    const ws = workspace({ 'policy.rego': 'package cutover\nallow { true }\n' })
    const file = path.join(ws, 'policy.rego')
    writeFileSync(`${file}.sig`, dgstSign(keys('rsa.key'), file, 'sha512'))
    const r = await gate(ws, { files: '*.rego', 'public-keys': keys('rsa.pub') })
    expect(r.status).toBe('pass')
    expect(r.checks[0].observed).toContain('PKCS#1 v1.5 SHA-512')
    expect(JSON.stringify(r)).not.toContain('changed after signing')
  })

  it('a file changed after a SHA-384/SHA-512 signature is still tampered, naming the hash the signature records', async () => {
    const ws = workspace({ 'a.json': policy(3), 'b.json': policy(4), 'c.json': policy(5) })
    for (const [f, key, hash] of [
      ['a.json', 'rsa', 'sha512'],
      ['b.json', 'p384', 'sha384'],
      ['c.json', 'rsa', 'sha384'],
    ] as const) {
      const file = path.join(ws, f)
      // A digest-length salt leaves no doubt which hash unmasks the PSS block (a full-block salt may, 1 in ~128).
      const pss = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest']
      writeFileSync(`${file}.sig`, dgstSign(keys(`${key}.key`), file, hash, f === 'c.json' ? pss : []))
      writeFileSync(file, policy(9))
    }
    const r = await gate(ws, { files: '*.json', 'public-keys': [keys('rsa.pub'), keys('p384.pub')].join('\n') })
    expect(r.checks.map((c) => c.status)).toEqual(['fail', 'fail', 'fail'])
    for (const c of r.checks) {
      expect(c.observed).toMatch(/^invalid/)
      expect(c.message).toContain('changed after signing')
    }
    // RSA records its hash (PKCS#1 v1.5 DigestInfo, PSS mask): the report says which.
    expect(r.checks[0].message).toContain('SHA-512')
    expect(r.checks[2].message).toContain('SHA-384')
  })

  it.each([
    ['rsa', 'sha1', 'SHA-1'],
    ['rsa', 'sha224', 'SHA-224'],
    ['rsa', 'md5', 'MD5'],
    ['rsa', 'sha3-256', 'SHA3-256'],
    ['p256', 'sha1', 'SHA-1'],
    ['p384', 'sha224', 'SHA-224'],
  ] as const)('%s over %s is refused as unsupported, never as tampered', async (key, hash, label) => {
    const ws = workspace({ 'p.json': policy(6) })
    const file = path.join(ws, 'p.json')
    writeFileSync(`${file}.sig`, dgstSign(keys(`${key}.key`), file, hash))
    expect(dgstVerifies(keys(`${key}.pub`), file, `${file}.sig`, hash)).toBe(true)
    const r = await gate(ws, { files: 'p.json', 'public-keys': keys(`${key}.pub`) })
    expect(r.status).toBe('fail')
    expect(r.checks[0].observed).toMatch(/^unsupported/)
    expect(r.checks[0].message).toContain(label)
    expect(r.checks[0].message).toContain('SHA-256, SHA-384 or SHA-512')
    expect(r.checks[0].message).not.toContain('changed after signing')
    expect(r.metrics).toMatchObject({ unsupported: 1 })
  })

  it('RSA-PSS with a full-block salt over a changed file never passes, under any hash', async () => {
    const files = Object.fromEntries(['sha256', 'sha384', 'sha512', 'sha1'].map((h) => [`${h}.json`, policy(h.length)]))
    const ws = workspace(files)
    for (const f of Object.keys(files)) {
      const file = path.join(ws, f)
      const pss = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:max']
      writeFileSync(`${file}.sig`, dgstSign(keys('rsa.key'), file, f.replace('.json', ''), pss))
      writeFileSync(file, policy(99))
    }
    const r = await gate(ws, { files: '*.json', 'public-keys': keys('rsa.pub') })
    for (const c of r.checks) {
      expect(c.status).toBe('fail')
      expect(c.observed).toMatch(/^(invalid|unsupported)/)
    }
  })

  it('RSA-PSS over SHA-1 is refused as unsupported', async () => {
    const ws = workspace({ 'p.json': policy(7) })
    const file = path.join(ws, 'p.json')
    const pss = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest']
    writeFileSync(`${file}.sig`, dgstSign(keys('rsa.key'), file, 'sha1', pss))
    const r = await gate(ws, { files: 'p.json', 'public-keys': keys('rsa.pub') })
    expect(r.checks[0].observed).toMatch(/^unsupported/)
    expect(r.checks[0].message).toContain('SHA-1')
  })

  it('an RSA signature by another key of the same size is not called tampered with certainty', async () => {
    const ws = workspace({ 'p.json': policy(8) })
    const file = path.join(ws, 'p.json')
    writeFileSync(`${file}.sig`, dgstSign(keys('rsa-other.key'), file, 'sha512'))
    const r = await gate(ws, { files: 'p.json', 'public-keys': keys('rsa.pub') })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toContain('signed by a key not in `public-keys`')
  })

  it('Ed25519 (openssl pkeyutl -rawin) passes', async () => {
    const ws = workspace({ 'p.json': policy(9) })
    const file = path.join(ws, 'p.json')
    writeFileSync(`${file}.sig`, rawinSign(keys('ed25519.key'), file))
    const r = await gate(ws, { files: 'p.json', 'public-keys': keys('ed25519.pub') })
    expect(r.status, r.checks[0].message).toBe('pass')
    expect(r.checks[0].observed).toContain('EdDSA')
  })
})

// ---------------------------------------------------------------------------------------------

suite('policy-signatures: ssh-keygen -Y sign with every key type this OpenSSH makes', () => {
  it('each generable type is verified (or, for DSA, refused as unsupported), agreeing with ssh-keygen -Y verify', async () => {
    const files: Record<string, string> = {}
    for (const t of SSH_KEY_TYPES) files[`p/${t.name}.json`] = policy(t.name.length)
    const ws = workspace(files)
    const made: (typeof SSH_KEY_TYPES)[number][] = []
    for (const t of SSH_KEY_TYPES) if (sshKey(keys(`ssh-${t.name}`), t.args, `${t.name}@example.com`)) made.push(t)
    // Every OpenSSH still in support makes these; DSA is gone since 9.8.
    expect(made.map((t) => t.name)).toEqual(expect.arrayContaining(['ed25519', 'ecdsa256', 'ecdsa384', 'ecdsa521', 'rsa']))
    const signers = path.join(ws, 'allowed_signers')
    writeFileSync(signers, made.map((t) => `${t.name}@example.com ${sshPub(keys(`ssh-${t.name}`))}`).join('\n') + '\n')
    for (const t of made) sshSign(keys(`ssh-${t.name}`), path.join(ws, `p/${t.name}.json`))
    const r = await gate(ws, { files: made.map((t) => `p/${t.name}.json`).join('\n'), 'allowed-signers': 'allowed_signers' })
    for (const t of made) {
      const file = path.join(ws, `p/${t.name}.json`)
      const c = r.checks.find((x) => x.name === `p/${t.name}.json`)!
      const agrees = sshVerifies(signers, file, `${t.name}@example.com`)
      if (t.name === 'dsa') {
        expect(c.status).toBe('fail')
        expect(c.observed).toMatch(/^unsupported/)
        expect(c.message).not.toContain('changed after signing')
      } else {
        expect(c.status, c.message).toBe('pass')
        expect(c.observed).toContain(t.type === 'ssh-rsa' ? 'rsa-sha2-512' : t.type)
        expect(agrees).toBe(true)
      }
    }
  })

  it('an allowed_signers line with a key type we do not know spoils only its own line', async () => {
    const ws = workspace({ 'a.json': policy(1), 'b.json': policy(2) })
    expect(sshKey(keys('alice'), ['-t', 'ed25519'])).toBe(true)
    expect(sshKey(keys('bob'), ['-t', 'ecdsa', '-b', '384'])).toBe(true)
    const future = ['ssh-mldsa65@openssh.com', 'ssh-mldsa65-ed25519@openssh.com', 'x-experimental-key']
    writeFileSync(
      path.join(ws, 'allowed_signers'),
      [
        `alice@example.com ${sshPub(keys('alice'))}`,
        ...future.map((t, i) => `pq${i}@example.com ${t} ${futureKeyBlob(t).toString('base64')} future key`),
        `pq-opts@example.com namespaces="file" ${future[0]} ${futureKeyBlob(future[0]).toString('base64')}`,
        `bob@example.com ${sshPub(keys('bob'))}`,
        '',
      ].join('\n'),
    )
    sshSign(keys('alice'), path.join(ws, 'a.json'))
    sshSign(keys('bob'), path.join(ws, 'b.json'))
    const r = await gate(ws, { files: '*.json', 'allowed-signers': 'allowed_signers' })
    expect(r.checks.find((c) => c.name === 'allowed-signers')).toBeUndefined()
    expect(r.status, r.checks.map((c) => c.message).join('\n')).toBe('pass')
    // ssh-keygen agrees: it skips the lines it cannot read.
    expect(sshVerifies(path.join(ws, 'allowed_signers'), path.join(ws, 'b.json'), 'bob@example.com')).toBe(true)
  })

  it('a line whose key type word disagrees with its key still makes the file unusable', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    expect(sshKey(keys('carol'), ['-t', 'ed25519'])).toBe(true)
    const blob = sshPub(keys('carol')).split(' ')[1]
    writeFileSync(path.join(ws, 'allowed_signers'), `carol@example.com ecdsa-sha2-nistp256 ${blob}\n`)
    sshSign(keys('carol'), path.join(ws, 'a.json'))
    const r = await gate(ws, { files: 'a.json', 'allowed-signers': 'allowed_signers' })
    const c = r.checks.find((x) => x.name === 'allowed-signers')!
    expect(c.status).toBe('fail')
    expect(c.message).toContain('line 1')
  })

  it.each(['ed25519', 'ecdsa'] as const)(
    'a security-key (sk-%s) SSHSIG is refused with the security-key sentence, not as trailing bytes',
    async (kind) => {
      const ws = workspace({ 'a.json': policy(1) })
      const { armor, publicKey } = securityKeySshSig(kind, readFileSync(path.join(ws, 'a.json')))
      writeFileSync(path.join(ws, 'a.json.sig'), armor)
      writeFileSync(path.join(ws, 'allowed_signers'), `yubi@example.com ${publicKey}\n`)
      const r = await gate(ws, { files: 'a.json', 'allowed-signers': 'allowed_signers' })
      const c = r.checks.find((x) => x.name === 'a.json')!
      expect(c.status).toBe('fail')
      expect(c.observed).toMatch(/^unsupported/)
      expect(c.message).toContain('is a security-key type (sk-')
      expect(c.message).toContain('which this gate does not verify')
      expect(c.message).not.toContain('trailing bytes')
      expect(c.message).not.toContain('changed after signing')
    },
  )
})

// ---------------------------------------------------------------------------------------------

suite('policy-signatures: minisign and Sigstore', () => {
  it('a minisign signature made now passes', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    const { priv, pub } = minisignKey(ws, 'mini')
    minisignSign(priv, path.join(ws, 'a.json'))
    const r = await gate(ws, { files: 'a.json', 'public-keys': pub })
    expect(r.status, r.checks[0]?.message).toBe('pass')
  })

  it('a keyless Sigstore bundle gets advice that fits keyless signing', async () => {
    const ws = workspace({ 'a.json': policy(1) })
    const file = path.join(ws, 'a.json')
    const sig = dgstSign(keys('p256.key'), file, 'sha256')
    const { createHash } = await import('node:crypto')
    writeFileSync(
      `${file}.sigstore.json`,
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: { certificate: { rawBytes: 'MIIBkzCCATmgAwIBAgIU' }, tlogEntries: [] },
        messageSignature: {
          messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(readFileSync(file)).digest('base64') },
          signature: sig.toString('base64'),
        },
      }),
    )
    const r = await gate(ws, { files: 'a.json', 'public-keys': keys('p256.pub') })
    const c = r.checks[0]
    expect(c.observed).toMatch(/^unsupported/)
    expect(c.message).toContain('keyless')
    expect(c.message).toContain('key-based')
    expect(c.message).toContain('cosign sign-blob --key')
    // The generic "re-sign with a supported algorithm" advice does not fit: no key was involved.
    expect(c.message).not.toContain('supported algorithm')
  })
})
