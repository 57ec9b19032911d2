import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { failing, keyPair, opensslSign, sealedWorkspace, sh, verify, workspace } from './support.js'

const KINDS = ['p256', 'ed25519', 'rsa', 'rsa-pss', 'p384'] as const
const NAMES = { p256: 'ECDSA P-256', ed25519: 'Ed25519', rsa: 'RSA 2048-bit', 'rsa-pss': 'RSA-PSS 2048-bit', p384: 'ECDSA P-384' }

describe('evidence: signatures made by openssl', () => {
  it.each(KINDS)('%s: a raw signature verifies; a base64 one (as cosign writes) too', async (kind) => {
    const { ws, manifest } = sealedWorkspace()
    const { priv, pub } = keyPair(ws, kind)
    opensslSign(kind, priv, manifest, `${manifest}.sig`)
    // openssl itself accepts the signature we are about to accept.
    if (kind !== 'ed25519' && kind !== 'rsa-pss')
      sh('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', `${manifest}.sig`, manifest])

    const r = await verify(ws, { 'public-key': pub })
    expect(r.status, JSON.stringify(r.checks)).toBe('pass')
    const sig = r.checks.find((c) => c.name === 'signature')!
    expect(sig).toMatchObject({ status: 'pass', observed: `${NAMES[kind]} verified`, location: { path: 'evidence/SHA256SUMS.sig' } })

    writeFileSync(`${manifest}.sig`, readFileSync(`${manifest}.sig`).toString('base64') + '\n')
    expect((await verify(ws, { 'public-key': pub })).status).toBe('pass')
  })

  it.each([
    ['rsa', 'sha384'],
    ['rsa', 'sha512'],
    ['p256', 'sha512'],
    ['p384', 'sha384'],
    ['p384', 'sha512'],
  ] as const)('%s with openssl dgst -%s verifies too, and the report names the hash', async (kind, hash) => {
    const { ws, manifest } = sealedWorkspace()
    const { priv, pub } = keyPair(ws, kind)
    sh('openssl', ['dgst', `-${hash}`, '-sign', priv, '-out', `${manifest}.sig`, manifest])
    sh('openssl', ['dgst', `-${hash}`, '-verify', pub, '-signature', `${manifest}.sig`, manifest])
    const r = await verify(ws, { 'public-key': pub })
    expect(r.status, JSON.stringify(r.checks)).toBe('pass')
    expect(r.checks.find((c) => c.name === 'signature')!.message).toContain(hash.replace('sha', 'SHA-'))
  })

  it('the public key may be given inline as PEM', async () => {
    const { ws, manifest } = sealedWorkspace()
    const { priv, pub } = keyPair(ws, 'p256')
    opensslSign('p256', priv, manifest, `${manifest}.sig`)
    expect((await verify(ws, { 'public-key': readFileSync(pub, 'utf8') })).status).toBe('pass')
  })

  it('a certificate works as the public key', async () => {
    const { ws, manifest } = sealedWorkspace()
    const { priv } = keyPair(ws, 'p256')
    const cert = path.join(ws, 'cert.pem')
    sh('openssl', ['req', '-new', '-x509', '-key', priv, '-subj', '/CN=release', '-days', '2', '-out', cert])
    opensslSign('p256', priv, manifest, `${manifest}.sig`)
    expect((await verify(ws, { 'public-key': cert })).status).toBe('pass')
  })

  it('a signature at the path given by `signature`', async () => {
    const { ws, manifest } = sealedWorkspace()
    const { priv, pub } = keyPair(ws, 'ed25519')
    opensslSign('ed25519', priv, manifest, path.join(ws, 'detached.sig'))
    expect((await verify(ws, { 'public-key': pub, signature: 'detached.sig' })).status).toBe('pass')
  })

  it("another key's signature fails and sets tampered", async () => {
    const { ws, manifest } = sealedWorkspace()
    const a = keyPair(ws, 'p256', 'a')
    const b = keyPair(ws, 'p256', 'b')
    opensslSign('p256', a.priv, manifest, `${manifest}.sig`)
    const r = await verify(ws, { 'public-key': b.pub })
    expect(r.status).toBe('fail')
    expect(r.outputs.tampered).toBe('true')
    expect(failing(r)[0]).toMatchObject({
      name: 'signature',
      observed: 'ECDSA P-256 signature invalid',
      location: { path: 'evidence/SHA256SUMS.sig' },
    })
    expect(failing(r)[0].message).toContain('does not verify with the ECDSA P-256 public key')
  })

  it('a manifest edited after signing fails the signature even when the files match the edited manifest', async () => {
    const { ws, dir, manifest } = sealedWorkspace()
    const { priv, pub } = keyPair(ws, 'rsa')
    opensslSign('rsa', priv, manifest, `${manifest}.sig`)
    // An attacker changes a file and updates its line in the manifest.
    writeFileSync(path.join(dir, 'sbom.json'), '{"forged":true}\n')
    writeFileSync(
      manifest,
      sh('sha256sum', ['--', 'db/migrations.sql', 'empty.txt', 'release/app.tar.gz', 'release/notes.md', 'sbom.json'], { cwd: dir }),
    )
    const r = await verify(ws, { 'public-key': pub })
    expect(failing(r).map((c) => c.name)).toEqual(['signature'])
    expect(r.outputs.tampered).toBe('true')
  })

  it('a missing signature fails, naming the default <manifest>.sig', async () => {
    const { ws } = sealedWorkspace()
    const { pub } = keyPair(ws, 'p256')
    const r = await verify(ws, { 'public-key': pub })
    expect(failing(r)[0]).toMatchObject({ name: 'signature', observed: 'missing' })
    expect(failing(r)[0].message).toContain('evidence/SHA256SUMS.sig does not exist')
  })

  it('a signature without a key fails: it cannot be checked', async () => {
    const { ws, manifest } = sealedWorkspace()
    writeFileSync(`${manifest}.sig`, 'sig')
    const r = await verify(ws, { signature: 'evidence/SHA256SUMS.sig' })
    expect(failing(r)[0]).toMatchObject({ name: 'signature', observed: 'no key' })
  })

  it('a private key given as `public-key` is refused without quoting it', async () => {
    const { ws, manifest } = sealedWorkspace()
    const { priv } = keyPair(ws, 'p256')
    opensslSign('p256', priv, manifest, `${manifest}.sig`)
    const pem = readFileSync(priv, 'utf8')
    const r = await verify(ws, { 'public-key': pem })
    expect(failing(r)[0].message).toContain('holds a PRIVATE key')
    const body = pem.split('\n')[1]
    expect(JSON.stringify(r)).not.toContain(body)
  })

  it('a public-key that is neither PEM nor a file fails with a sentence', async () => {
    const { ws, manifest } = sealedWorkspace()
    writeFileSync(`${manifest}.sig`, 'x')
    const r = await verify(ws, { 'public-key': 'keys/missing.pub' })
    expect(failing(r)[0].message).toContain('`public-key` is neither a PEM block nor a readable file (keys/missing.pub does not exist)')
  })

  it('public-key and hmac-key together are an input error', async () => {
    const { ws } = sealedWorkspace()
    const r = await verify(ws, { 'public-key': 'x.pub', 'hmac-key': 'secret-key' })
    expect(r.inputError).toBe(true)
  })
})

describe('evidence: HMAC-SHA256', () => {
  const KEY = 'hmac-key-9f8e7d6c5b4a'

  function hmacSealed() {
    const s = sealedWorkspace()
    // openssl's -r output is `<hex> *<file>`: the first 64 characters are the MAC.
    const mac = sh('openssl', ['dgst', '-sha256', '-hmac', KEY, '-r', s.manifest]).toString().slice(0, 64)
    writeFileSync(`${s.manifest}.sig`, mac + '\n')
    return s
  }

  it('verifies an HMAC made by openssl', async () => {
    const { ws } = hmacSealed()
    const r = await verify(ws, { 'hmac-key': KEY })
    expect(r.status, JSON.stringify(r.checks)).toBe('pass')
    expect(r.checks.find((c) => c.name === 'signature')).toMatchObject({ status: 'pass', observed: 'HMAC-SHA256 verified' })
  })

  it('the openssl `-mac HMAC` form gives the same MAC', () => {
    const ws = workspace()
    const f = path.join(ws, 'm')
    writeFileSync(f, 'x')
    const a = sh('openssl', ['dgst', '-sha256', '-hmac', KEY, '-r', f]).toString().slice(0, 64)
    const b = sh('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `key:${KEY}`, '-r', f])
      .toString()
      .slice(0, 64)
    expect(a).toBe(b)
  })

  it('a wrong key fails and sets tampered', async () => {
    const { ws } = hmacSealed()
    const r = await verify(ws, { 'hmac-key': 'another-key' })
    expect(failing(r)[0]).toMatchObject({ name: 'signature', observed: 'HMAC-SHA256 mismatch' })
    expect(r.outputs.tampered).toBe('true')
  })

  it('a signature file that is not lowercase hex is malformed', async () => {
    const { ws, manifest } = hmacSealed()
    writeFileSync(`${manifest}.sig`, readFileSync(`${manifest}.sig`, 'utf8').toUpperCase())
    const r = await verify(ws, { 'hmac-key': KEY })
    expect(failing(r)[0].observed).toBe('not 64 lowercase hex digits')
  })

  it('the key appears in no check, detail, output or summary, pass or fail', async () => {
    for (const key of [KEY, 'wrong-key-0123456789']) {
      const { ws } = hmacSealed()
      const r = await verify(ws, { 'hmac-key': key })
      expect(JSON.stringify(r)).not.toContain(key)
    }
  })
})
