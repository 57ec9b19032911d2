// Property tests: any single-byte change to a listed file, to a signed manifest or to its
// signature is a `fail`; arbitrary bytes as a manifest, key or signature are a typed error.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ManifestError, parseManifest } from '../../../src/lib/manifest/manifest.js'
import { KeyError, parsePublicKey, signatureCandidates, verifyHmac } from '../../../src/lib/signing/signature.js'
import { SAMPLE, keyPair, opensslSign, sealedWorkspace, sh, verify } from './support.js'

const RUNS = 20

/** Flips one byte of `file` (XOR with a non-zero mask), runs `body`, then restores the file. */
async function withFlip(file: string, at: number, mask: number, body: () => Promise<void>) {
  const original = readFileSync(file)
  const changed = Buffer.from(original)
  changed[at % changed.length] ^= mask
  writeFileSync(file, changed)
  try {
    await body()
  } finally {
    writeFileSync(file, original)
  }
}

const flip = fc.record({ at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) })

describe('evidence: byte flips always fail', () => {
  it('flipping any byte of any listed file', async () => {
    const { ws, dir } = sealedWorkspace()
    const files = Object.keys(SAMPLE).filter((f) => SAMPLE[f].length > 0)
    expect((await verify(ws, {})).status).toBe('pass')
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), flip, async (file, { at, mask }) => {
        await withFlip(path.join(dir, file), at, mask, async () => {
          const r = await verify(ws, {})
          expect(r.status).toBe('fail')
          expect(r.outputs.tampered).toBe('true')
          expect(r.checks.filter((c) => c.status === 'fail').map((c) => c.name)).toEqual([file])
        })
      }),
      { numRuns: RUNS },
    )
  })

  it.each([
    ['an ECDSA P-256 signature (base64, as cosign writes it)', 'p256'],
    ['an Ed25519 signature (raw bytes)', 'ed25519'],
    ['an HMAC-SHA256 (hex)', 'hmac'],
  ] as const)('flipping any byte of a signed manifest or of %s', async (_name, kind) => {
    const { ws, manifest } = sealedWorkspace()
    const sig = `${manifest}.sig`
    let inputs: Record<string, string>
    if (kind === 'hmac') {
      const key = 'property-test-hmac-key'
      writeFileSync(sig, sh('openssl', ['dgst', '-sha256', '-hmac', key, '-r', manifest]).toString().slice(0, 64) + '\n')
      inputs = { 'hmac-key': key }
    } else {
      const { priv, pub } = keyPair(ws, kind)
      opensslSign(kind, priv, manifest, sig)
      if (kind === 'p256') writeFileSync(sig, readFileSync(sig).toString('base64'))
      inputs = { 'public-key': pub }
    }
    expect((await verify(ws, inputs)).status).toBe('pass')
    await fc.assert(
      fc.asyncProperty(fc.boolean(), flip, async (manifestByte, { at, mask }) => {
        await withFlip(manifestByte ? manifest : sig, at, mask, async () => {
          const r = await verify(ws, inputs)
          expect(r.status).toBe('fail')
          expect(r.outputs.tampered).toBe('true')
          // The manifest is refused or its signature fails: never a pass.
          expect(r.checks.some((c) => c.status === 'fail' && (c.name === 'signature' || c.name === 'manifest'))).toBe(true)
        })
      }),
      { numRuns: RUNS },
    )
  })

  it('an unsigned manifest: a flip fails, or leaves exactly the same entries (a text/binary marker or hex case)', async () => {
    const { ws, manifest } = sealedWorkspace()
    const before = parseManifest(readFileSync(manifest)).entries.map((e) => [e.path, e.digest])
    await fc.assert(
      fc.asyncProperty(flip, async ({ at, mask }) => {
        await withFlip(manifest, at, mask, async () => {
          const r = await verify(ws, {})
          if (r.status === 'fail') return
          const after = parseManifest(readFileSync(manifest)).entries.map((e) => [e.path, e.digest])
          expect(after).toEqual(before)
        })
      }),
      { numRuns: RUNS },
    )
  })
})

describe('evidence: arbitrary input is a typed error, never a crash', () => {
  const manifestLike = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'SHA256 (',
            ') = ',
            '  ',
            ' *',
            '\n',
            '\r\n',
            '\\',
            '/',
            '..',
            './',
            '\u0000',
            'a'.repeat(64),
            'F'.repeat(64),
            'MD5 (',
            'SHA2-256(',
            ')= ',
          ),
          fc.string({ maxLength: 12 }),
        ),
        { maxLength: 20 },
      )
      .map((parts) => Buffer.from(parts.join(''))),
  )

  it('parseManifest: arbitrary bytes parse or throw ManifestError', () => {
    fc.assert(
      fc.property(manifestLike, (bytes) => {
        try {
          const m = parseManifest(bytes)
          expect(m.entries.length + m.problems.length).toBeGreaterThan(0)
          for (const e of m.entries) expect(e.digest).toMatch(/^[0-9a-f]{64}$/)
        } catch (err) {
          expect(err).toBeInstanceOf(ManifestError)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('the gate never passes on an arbitrary manifest', async () => {
    const { ws, manifest } = sealedWorkspace()
    await fc.assert(
      fc.asyncProperty(manifestLike, async (bytes) => {
        writeFileSync(manifest, bytes)
        const r = await verify(ws, {})
        expect(r.status).not.toBe('pass')
        expect(r.checks.every((c) => !/\n\s+at /.test(c.message))).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it('parsePublicKey: arbitrary text throws KeyError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `-----BEGIN PUBLIC KEY-----\n${s}\n-----END PUBLIC KEY-----\n`),
        ),
        (text) => {
          expect(() => parsePublicKey(text)).toThrow(KeyError)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('signature decoding and HMAC checks: arbitrary bytes never throw and never verify', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(signatureCandidates(Buffer.from(bytes)).length).toBeGreaterThan(0)
        expect(verifyHmac(Buffer.from('manifest'), Buffer.from(bytes), 'k').ok).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })
})
