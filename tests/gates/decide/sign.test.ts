// Signatures with keys openssl made, checked by our verifier and independently by openssl over the
// canonical bytes, so the bundle's signature is one any auditor's tool can check.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedBytes, type Bundle } from '../../../src/gates/decide/bundle.js'
import { KeyError, fingerprint, hmacSigner, privateKeySigner, publicKeyFrom, verifySignature } from '../../../src/gates/decide/sign.js'
import { verifyBundle } from '../../../src/gates/decide/verify.js'
import { opensslKey, readJson, runDecide, sh, tempDir, writeReports, type KeyKind } from './support.js'

let ws: string
let cleanup: () => void
const keys = {} as Record<KeyKind, { priv: string; pub: string }>

beforeAll(() => {
  ;({ dir: ws, cleanup } = tempDir())
  for (const kind of ['ed25519', 'ec-p256', 'rsa'] as const) keys[kind] = opensslKey(ws, kind)
})
afterAll(() => cleanup())

const ALG: Record<KeyKind, string> = { ed25519: 'ed25519', 'ec-p256': 'ecdsa-p256-sha256', rsa: 'rsa-sha256' }

/** Runs decide over one passing report, signing with `inputs`; returns the bundle and its path. */
async function decided(inputs: Record<string, string>, name: string) {
  await writeReports(path.join(ws, 'cutover-reports'), [{ id: 'api' }])
  const r = await runDecide(ws, { required: 'api', bundle: `${name}.json`, ...inputs })
  const file = path.join(ws, `${name}.json`)
  return { r, file, bundle: readJson<Bundle>(file) }
}

/** Writes the canonical bytes and the raw signature where openssl can read them. */
function forOpenssl(bundle: Bundle, name: string) {
  const data = path.join(ws, `${name}.canonical`)
  const sig = path.join(ws, `${name}.sig`)
  writeFileSync(data, signedBytes(bundle))
  writeFileSync(sig, Buffer.from(bundle.signature!.value, 'base64'))
  return { data, sig }
}

describe.each(['ed25519', 'ec-p256', 'rsa'] as const)('decide signs with an openssl %s key', (kind) => {
  it('writes a signature our verifier accepts, named by the key openssl fingerprints', async () => {
    const { r, file, bundle } = await decided({ 'signing-key': path.relative(ws, keys[kind].priv) }, `signed-${kind}`)
    expect(r.outputs.decision).toBe('GO')
    expect(bundle.signature?.alg).toBe(ALG[kind])
    // keyId is the SHA-256 of the DER public key, exactly as `openssl pkey -outform DER | sha256sum` computes it.
    const der = path.join(ws, `${kind}.pub.der`)
    sh('openssl', ['pkey', '-pubin', '-in', keys[kind].pub, '-outform', 'DER', '-out', der])
    expect(bundle.signature?.keyId).toBe(`sha256:${sh('sha256sum', [der]).split(' ')[0]}`)
    const v = await verifyBundle(file, { publicKey: publicKeyFrom(readFileSync(keys[kind].pub, 'utf8'), 'pub') })
    expect(v.problems).toEqual([])
    expect(r.checks.find((c) => c.name === 'bundle signature')?.status).toBe('pass')
  })

  it('is verified independently by openssl over the canonical bytes, and openssl rejects a changed byte', async () => {
    const { bundle } = await decided({ 'signing-key': readFileSync(keys[kind].priv, 'utf8') }, `openssl-${kind}`)
    const { data, sig } = forOpenssl(bundle, kind)
    const verifyArgs =
      kind === 'ed25519'
        ? ['pkeyutl', '-verify', '-pubin', '-inkey', keys[kind].pub, '-rawin', '-in', data, '-sigfile', sig]
        : ['dgst', '-sha256', '-verify', keys[kind].pub, '-signature', sig, data]
    expect(sh('openssl', verifyArgs)).toMatch(/Signature Verified Successfully|Verified OK/)
    // One byte of the signed content changed: openssl says no too.
    const bytes = readFileSync(data)
    bytes[bytes.indexOf('"decision":"GO"') + 13] ^= 0x01
    writeFileSync(data, bytes)
    expect(() => sh('openssl', verifyArgs)).toThrow()
  })

  it('accepts a signature openssl made over the canonical bytes (the other direction)', async () => {
    const { file, bundle } = await decided({ 'signing-key': keys[kind].priv }, `by-openssl-${kind}`)
    const { data, sig } = forOpenssl(bundle, `by-openssl-${kind}`)
    const signArgs =
      kind === 'ed25519'
        ? ['pkeyutl', '-sign', '-inkey', keys[kind].priv, '-rawin', '-in', data, '-out', sig]
        : ['dgst', '-sha256', '-sign', keys[kind].priv, '-out', sig, data]
    sh('openssl', signArgs)
    const resigned = { ...bundle, signature: { ...bundle.signature!, value: readFileSync(sig).toString('base64') } }
    const problem = verifySignature(resigned.signature, signedBytes(resigned), {
      publicKey: publicKeyFrom(readFileSync(keys[kind].pub, 'utf8'), 'pub'),
    })
    expect(problem).toBeUndefined()
    expect(file).toBeTruthy()
  })
})

describe('HMAC-SHA256', () => {
  const KEY = 'a-shared-secret-of-32-bytes-long'

  it('is the hex HMAC that `openssl dgst -sha256 -hmac` computes over the canonical bytes', async () => {
    const { bundle } = await decided({ 'hmac-key': KEY }, 'hmac')
    expect(bundle.signature).toEqual({ alg: 'hmac-sha256', value: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(bundle.signature).not.toHaveProperty('keyId')
    const data = path.join(ws, 'hmac.canonical')
    writeFileSync(data, signedBytes(bundle))
    const out = sh('openssl', ['dgst', '-sha256', '-hmac', KEY, '-r', data])
    expect(out.split(' ')[0]).toBe(bundle.signature?.value)
    expect(verifySignature(bundle.signature!, signedBytes(bundle), { hmacKey: KEY })).toBeUndefined()
    expect(verifySignature(bundle.signature!, signedBytes(bundle), { hmacKey: KEY + 'x' })).toContain('does not match')
  })

  it('never writes the key into the result, the outputs, the details or the bundle', async () => {
    const secret = 'Zq9-very-secret-hmac-key-7f3a1c'
    const { r, file } = await decided({ 'hmac-key': secret }, 'hmac-leak')
    expect(JSON.stringify(r)).not.toContain(secret)
    expect(readFileSync(file, 'utf8')).not.toContain(secret)
  })

  it('refuses a key too short to be secret', () => {
    expect(() => hmacSigner('short')).toThrow('the HMAC key is 5 bytes; use at least 16')
  })
})

describe('keys decide refuses, each with a sentence that quotes none of the key', () => {
  it.each([
    ['ec-p384', 'is an EC key on curve secp384r1; use Ed25519, EC P-256 (prime256v1) or RSA'],
    ['rsa-1024', 'is a 1024-bit RSA key; use at least 2048 bits'],
  ] as const)('%s', async (kind, message) => {
    const k = opensslKey(ws, kind)
    const { r, bundle } = await decided({ 'signing-key': k.priv }, `refused-${kind}`)
    const c = r.checks.find((x) => x.name === 'bundle signature')
    expect(c?.status).toBe('fail')
    expect(c?.message).toContain(message)
    expect(c?.message).toContain('It was written unsigned, so it is NO-GO.')
    expect(r.outputs.decision).toBe('NO-GO')
    expect(bundle.signature).toBeUndefined()
  })

  it('an encrypted key, a public key, an OpenSSH key, a missing file, both keys at once', async () => {
    const enc = path.join(ws, 'enc.pem')
    sh('openssl', ['genpkey', '-algorithm', 'ed25519', '-aes-256-cbc', '-pass', 'pass:hunter22', '-out', enc])
    const ssh = path.join(ws, 'id_ed25519')
    sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', ssh])
    const cases: [Record<string, string>, string][] = [
      [{ 'signing-key': enc }, 'is encrypted with a passphrase'],
      [
        { 'signing-key': readFileSync(keys.ed25519.pub, 'utf8') },
        'the inline `signing-key` holds a public key or certificate; signing needs the private key',
      ],
      [{ 'signing-key': ssh }, 'is in OpenSSH format; convert it to PKCS#8 PEM'],
      [{ 'signing-key': 'keys/none.pem' }, '`signing-key` is neither an inline PEM key nor a readable file: keys/none.pem does not exist'],
      [{ 'signing-key': keys.rsa.priv, 'hmac-key': 'x'.repeat(32) }, 'Both `signing-key` and `hmac-key` were given'],
    ]
    for (const [inputs, message] of cases) {
      const { r } = await decided(inputs, 'refused')
      const c = r.checks.find((x) => x.name === 'bundle signature')
      expect(c?.status).toBe('fail')
      expect(c?.message).toContain(message)
      for (const file of [enc, ssh, keys.rsa.priv]) {
        for (const line of readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l.length > 20 && !l.startsWith('-----')))
          expect(JSON.stringify(r)).not.toContain(line)
      }
    }
  })

  it('privateKeySigner and fingerprint agree with the public key node derives', () => {
    const s = privateKeySigner(readFileSync(keys['ec-p256'].priv, 'utf8'), 'k')
    expect(s.keyId).toBe(fingerprint(publicKeyFrom(readFileSync(keys['ec-p256'].pub, 'utf8'), 'p')))
    expect(() => privateKeySigner('not a key', 'the key')).toThrow(KeyError)
    expect(() => privateKeySigner('not a key', 'the key')).toThrow('the key is not a PEM key')
  })
})
