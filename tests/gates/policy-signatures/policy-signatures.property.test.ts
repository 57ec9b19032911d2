/**
 * Property tests for policy-signatures: flipped bytes in files and in signatures, and arbitrary
 * bytes given as signatures or to the parsers, never pass and never crash. The genuine signatures
 * they start from are made by ssh-keygen, minisign and openssl.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { InputFormError } from '../../../src/core/units.js'
import { policySignatures } from '../../../src/gates/policy-signatures/gate.js'
import { parseGlobs, parsePublicKeysInput } from '../../../src/gates/policy-signatures/spec.js'
import { matchPatternList, parseAllowedSigners, parseSshTime } from '../../../src/gates/policy-signatures/allowed-signers.js'
import { SignatureFormatError, decodeBase64 } from '../../../src/lib/signing/common.js'
import { scanKeys } from '../../../src/gates/policy-signatures/keys.js'
import { minisignKeyId, parseMinisignPublicKey, parseMinisignSig } from '../../../src/gates/policy-signatures/minisign.js'
import { parseRawSignature } from '../../../src/gates/policy-signatures/raw.js'
import { parseBundle } from '../../../src/gates/policy-signatures/sigstore-bundle.js'
import { parseSshSig } from '../../../src/gates/policy-signatures/sshsig.js'
import { parseSshPublicKey } from '../../../src/gates/policy-signatures/ssh-wire.js'
import { recognise, verifySignature, type Trust } from '../../../src/gates/policy-signatures/verify.js'

const CI = process.env.CI === 'true'
const has = (cmd: string, args: string[]) => !spawnSync(cmd, args, { stdio: 'ignore' }).error
const TOOLS = has('openssl', ['version']) && has('ssh-keygen', ['-?']) && has('minisign', ['-v'])
const NOW = new Date('2026-03-01T12:00:00Z')
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })

/** A genuine signature over `message`, with the name it is stored under. */
interface Fixture {
  name: string
  message: Buffer
  sig: Buffer
  sigName: string
}

let root = ''
let trust: Trust
const fixtures: Fixture[] = []

beforeAll(() => {
  if (!TOOLS && !CI) return
  root = mkdtempSync(path.join(tmpdir(), 'policy-signatures-prop-'))
  const p = (n: string) => path.join(root, n)
  const message = (n: number) => Buffer.from(JSON.stringify({ policy: n, rules: ['a', 'b'], note: 'x'.repeat(n * 7) }) + '\n')
  const keep = (name: string, file: string, sigFile: string) =>
    fixtures.push({
      name,
      message: readFileSync(file),
      sig: readFileSync(sigFile),
      sigName: path.basename(sigFile).slice(path.basename(file).length),
    })

  for (const [name, args] of [
    ['ed25519', ['-t', 'ed25519']],
    ['ecdsa', ['-t', 'ecdsa', '-b', '256']],
    ['rsa', ['-t', 'rsa', '-b', '2048']],
  ] as const) {
    run('ssh-keygen', ['-q', ...args, '-N', '', '-C', `${name}@example.com`, '-f', p(`ssh-${name}`)])
    writeFileSync(p(`ssh-${name}.json`), message(fixtures.length))
    run('ssh-keygen', ['-Y', 'sign', '-n', 'file', '-f', p(`ssh-${name}`), p(`ssh-${name}.json`)])
    keep(`SSHSIG ${name}`, p(`ssh-${name}.json`), p(`ssh-${name}.json.sig`))
  }
  const signers = ['ed25519', 'ecdsa', 'rsa'].map((n) => `${n}@example.com ${readFileSync(p(`ssh-${n}.pub`), 'utf8').trim()}`).join('\n')

  run('minisign', ['-G', '-W', '-p', p('mini.pub'), '-s', p('mini.key')])
  for (const [name, extra] of [
    ['prehashed', []],
    ['legacy', ['-l']],
  ] as const) {
    writeFileSync(p(`mini-${name}.json`), message(fixtures.length))
    run('minisign', ['-S', '-s', p('mini.key'), '-m', p(`mini-${name}.json`), '-t', 'trusted note', ...extra])
    keep(`minisign ${name}`, p(`mini-${name}.json`), p(`mini-${name}.json.minisig`))
  }

  const pem = (name: string, args: string[]) => {
    run('openssl', ['genpkey', ...args, '-out', p(`${name}.key`)])
    run('openssl', ['pkey', '-in', p(`${name}.key`), '-pubout', '-out', p(`${name}.pub`)])
  }
  pem('ed', ['-algorithm', 'ed25519'])
  pem('p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])
  pem('rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'])
  writeFileSync(p('raw-ed.json'), message(fixtures.length))
  run('openssl', ['pkeyutl', '-sign', '-inkey', p('ed.key'), '-rawin', '-in', p('raw-ed.json'), '-out', p('raw-ed.json.sig')])
  keep('raw Ed25519', p('raw-ed.json'), p('raw-ed.json.sig'))
  writeFileSync(p('cosign.json'), message(fixtures.length))
  run('openssl', ['dgst', '-sha256', '-sign', p('p256.key'), '-out', p('cosign.der'), p('cosign.json')])
  writeFileSync(p('cosign.json.sig'), readFileSync(p('cosign.der')).toString('base64'))
  keep('cosign', p('cosign.json'), p('cosign.json.sig'))
  writeFileSync(p('pss.json'), message(fixtures.length))
  run('openssl', ['dgst', '-sha256', '-sign', p('rsa.key'), '-sigopt', 'rsa_padding_mode:pss', '-out', p('pss.json.sig'), p('pss.json')])
  keep('raw RSA-PSS', p('pss.json'), p('pss.json.sig'))
  writeFileSync(p('bundle.json'), message(fixtures.length))
  const msg = readFileSync(p('bundle.json'))
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: 'p256' }, tlogEntries: [] },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(msg).digest('base64') },
      signature: run('openssl', ['dgst', '-sha256', '-sign', p('p256.key'), p('bundle.json')]).toString('base64'),
    },
  }
  writeFileSync(p('bundle.json.sigstore.json'), JSON.stringify(bundle))
  keep('Sigstore bundle', p('bundle.json'), p('bundle.json.sigstore.json'))

  const keys = scanKeys([p('ed.pub'), p('p256.pub'), p('rsa.pub'), p('mini.pub')].map((f) => readFileSync(f, 'utf8')).join('\n'), 'keys', {
    paths: false,
  }).keys
  trust = { keys, signers: parseAllowedSigners(signers, 'allowed_signers'), namespace: 'file', now: NOW }
}, 120_000)

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

/** Flips one byte: `xor` is never 0, so the bytes always differ. */
const flip = (b: Buffer, at: number, xor: number) => {
  const out = Buffer.from(b)
  out[at % out.length] ^= xor
  return out
}
const flipArb = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }))

/** The authenticated content of a signature file, or undefined when it does not parse. */
function essence(sig: Buffer): string | undefined {
  try {
    const { kind, json } = recognise(sig)
    if (kind === 'sshsig') return JSON.stringify(parseSshSig(sig.toString('latin1')))
    if (kind === 'minisign') return JSON.stringify(parseMinisignSig(sig.toString('utf8')))
    if (kind === 'sigstore-bundle') {
      // The media type and key hint are not signed: only what the signature covers counts.
      const { digestAlgorithm, digest, signature } = parseBundle(json)
      return JSON.stringify({ digestAlgorithm, digest, signature })
    }
    return parseRawSignature(sig, trust.keys.pem).bytes.toString('hex')
  } catch (err) {
    if (err instanceof SignatureFormatError) return undefined
    throw err
  }
}

const suite = describe.skipIf(!TOOLS && !CI)

suite('policy-signatures properties: genuine signatures', () => {
  it('every fixture made by the tools verifies (so the properties below start from a pass)', () => {
    expect(fixtures.length).toBe(9)
    for (const f of fixtures) expect(verifySignature(f.sig, f.message, trust), f.name).toMatchObject({ ok: true })
  })

  it('a file with any byte flipped never passes', () => {
    for (const f of fixtures) {
      fc.assert(
        fc.property(flipArb, ([at, xor]) => {
          const v = verifySignature(f.sig, flip(f.message, at, xor), trust)
          expect(v.ok, `${f.name}: ${v.text}`).toBe(false)
          expect(v.reason).toBeDefined()
        }),
        { numRuns: 150 },
      )
    }
  })

  it('a signature with any byte flipped never crashes, and passes only if its signed content is unchanged', () => {
    for (const f of fixtures) {
      const original = essence(f.sig)
      expect(original, f.name).toBeDefined()
      fc.assert(
        fc.property(flipArb, ([at, xor]) => {
          const mutated = flip(f.sig, at, xor)
          const v = verifySignature(mutated, f.message, trust)
          // Untrusted parts (minisign's untrusted comment, a bundle's key hint, whitespace) may change.
          if (v.ok) expect(essence(mutated), `${f.name} passed after a flip at ${at % f.sig.length}`).toBe(original)
        }),
        { numRuns: 300 },
      )
    }
  })

  it('a signature whose decoded signature bytes have any bit flipped never passes', () => {
    // Flip inside the cryptographic payload itself, re-encoded, so parsing succeeds and verification must refuse.
    for (const f of fixtures) {
      const { kind } = recognise(f.sig)
      fc.assert(
        fc.property(flipArb, ([at, xor]) => {
          let mutated: Buffer
          if (kind === 'sshsig') {
            const text = f.sig.toString('latin1')
            const body = text.replace(/-----[A-Z ]+-----/g, '')
            const blob = decodeBase64(body)!
            const b64 = flip(blob, at, xor)
              .toString('base64')
              .match(/.{1,70}/g)!
              .join('\n')
            mutated = Buffer.from(`-----BEGIN SSH SIGNATURE-----\n${b64}\n-----END SSH SIGNATURE-----\n`)
          } else if (kind === 'minisign') {
            const lines = f.sig.toString('utf8').split('\n')
            const which = at % 2 === 0 ? 1 : 3
            lines[which] = flip(decodeBase64(lines[which])!, Math.floor(at / 2), xor).toString('base64')
            mutated = Buffer.from(lines.join('\n'))
          } else if (kind === 'sigstore-bundle') {
            const b = JSON.parse(f.sig.toString('utf8'))
            const field = at % 2 === 0 ? 'signature' : 'digest'
            if (field === 'signature')
              b.messageSignature.signature = flip(Buffer.from(b.messageSignature.signature, 'base64'), at, xor).toString('base64')
            else
              b.messageSignature.messageDigest.digest = flip(
                Buffer.from(b.messageSignature.messageDigest.digest, 'base64'),
                at,
                xor,
              ).toString('base64')
            mutated = Buffer.from(JSON.stringify(b))
          } else {
            const raw = parseRawSignature(f.sig, trust.keys.pem)
            const bytes = flip(raw.bytes, at, xor)
            mutated = raw.encoding === 'base64' ? Buffer.from(bytes.toString('base64')) : bytes
          }
          const v = verifySignature(mutated, f.message, trust)
          expect(v.ok, `${f.name}: ${v.text}`).toBe(false)
        }),
        { numRuns: 200 },
      )
    }
  })

  it('through the gate, on disk: a flipped file or signature is never a pass', async () => {
    const ws = path.join(root, 'gate')
    mkdirSync(ws, { recursive: true })
    const keysFile = path.join(root, 'keys.pub')
    writeFileSync(keysFile, ['ed.pub', 'p256.pub', 'rsa.pub', 'mini.pub'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n'))
    const signersFile = path.join(root, 'allowed_signers')
    writeFileSync(
      signersFile,
      ['ed25519', 'ecdsa', 'rsa'].map((n) => `${n}@example.com ${readFileSync(path.join(root, `ssh-${n}.pub`), 'utf8').trim()}`).join('\n'),
    )
    const ctx = defaultContext({ log: () => {}, cwd: ws, workspace: ws, now: () => NOW })
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: fixtures.length - 1 }), fc.boolean(), flipArb, async (i, inFile, [at, xor]) => {
        const f = fixtures[i]
        rmSync(ws, { recursive: true, force: true })
        mkdirSync(ws)
        writeFileSync(path.join(ws, 'policy.json'), inFile ? flip(f.message, at, xor) : f.message)
        const sig = inFile ? f.sig : flip(f.sig, at, xor)
        writeFileSync(path.join(ws, `policy.json${f.sigName}`), sig)
        const r = await runGate(policySignatures, { files: '*.json', 'public-keys': keysFile, 'allowed-signers': signersFile }, ctx, {
          id: 'p',
        })
        expect(r.checks.length).toBeGreaterThan(0)
        if (inFile || essence(sig) !== essence(f.sig)) expect(r.status, r.summary).toBe('fail')
        for (const c of r.checks) expect(c.message).not.toMatch(/\n\s+at /) // no stack traces
      }),
      { numRuns: 40 },
    )
  })
})

suite('policy-signatures properties: arbitrary bytes', () => {
  const armored = fc
    .uint8Array({ maxLength: 400 })
    .map((b) => Buffer.from(`-----BEGIN SSH SIGNATURE-----\n${Buffer.from(b).toString('base64')}\n-----END SSH SIGNATURE-----\n`))
  const sshsigLike = fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 10 })).map(([tail, ns]) => {
    const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 255, b.length & 255]), b])
    const blob = Buffer.concat([
      Buffer.from('SSHSIG'),
      Buffer.from([0, 0, 0, 1]),
      str(Buffer.from(tail)),
      str(Buffer.from(ns)),
      Buffer.from(tail),
    ])
    return Buffer.from(`-----BEGIN SSH SIGNATURE-----\n${blob.toString('base64')}\n-----END SSH SIGNATURE-----\n`)
  })
  const minisignLike = fc
    .tuple(
      fc.uint8Array({ minLength: 74, maxLength: 74 }),
      fc.string({ maxLength: 40 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }),
      fc.boolean(),
    )
    .map(([sig, tc, global, prehashed]) => {
      const s = Buffer.from(sig)
      s.write(prehashed ? 'ED' : 'Ed', 0, 'latin1')
      return Buffer.from(
        `untrusted comment: x\n${s.toString('base64')}\ntrusted comment: ${tc}\n${Buffer.from(global).toString('base64')}\n`,
      )
    })
  const bundleLike = fc
    .record({
      mediaType: fc.constantFrom(
        'application/vnd.dev.sigstore.bundle.v0.3+json',
        'application/vnd.dev.sigstore.bundle+json;version=0.2',
        'application/vnd.dev.sigstore.bundle.v9+json',
      ),
      verificationMaterial: fc.oneof(fc.record({ publicKey: fc.record({ hint: fc.string() }) }), fc.jsonValue()),
      messageSignature: fc.oneof(
        fc.record({
          messageDigest: fc.record({
            algorithm: fc.constantFrom('SHA2_256', 'SHA2_512', 'MD5'),
            digest: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
          }),
          signature: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
        }),
        fc.jsonValue(),
      ),
    })
    .map((b) => Buffer.from(JSON.stringify(b)))
  const base64Text = fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(Buffer.from(b).toString('base64') + '\n'))
  const sizedRaw = fc
    .constantFrom(64, 70, 71, 72, 256)
    .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b)))
  const anySig = fc.oneof(
    fc.uint8Array({ maxLength: 1024 }).map((b) => Buffer.from(b)),
    armored,
    sshsigLike,
    minisignLike,
    bundleLike,
    base64Text,
    sizedRaw,
  )

  it('arbitrary bytes as a signature: never a pass, never a throw', () => {
    const message = Buffer.from('{"policy":"x"}\n')
    fc.assert(
      fc.property(anySig, (sig) => {
        const v = verifySignature(sig, message, trust)
        expect(v.ok).toBe(false)
        expect(v.reason).toBeDefined()
        expect(v.text.length).toBeGreaterThan(0)
      }),
      { numRuns: 2000 },
    )
  })

  it('the parsers throw only their typed errors', () => {
    const typed = (fn: () => unknown, ...types: (new (...a: never[]) => Error)[]) => {
      try {
        fn()
      } catch (err) {
        if (!types.some((t) => err instanceof t)) throw err
      }
    }
    const line = fc
      .array(
        fc.constantFrom(
          'alice',
          'a,b',
          '"x y"',
          'cert-authority',
          'namespaces="file"',
          'valid-after="2024"',
          'valid-before="20240101Z"',
          'ssh-ed25519',
          'ecdsa-sha2-nistp256',
          'ssh-rsa',
          'AAAAC3NzaC1lZDI1NTE5AAAAIA==',
          'AAAA',
          '#',
          '"',
        ),
        { maxLength: 6 },
      )
      .map((t) => t.join(' '))
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.array(line, { maxLength: 5 }).map((l) => l.join('\n')),
        ),
        (text) => {
          typed(() => parseAllowedSigners(text, 'allowed_signers'), SignatureFormatError)
          typed(() => parsePublicKeysInput(text), InputFormError)
          typed(() => scanKeys(text, 'f', { paths: false }), SignatureFormatError)
          typed(() => parseSshSig(text), SignatureFormatError)
          typed(() => parseMinisignSig(text), SignatureFormatError)
          typed(() => parseMinisignPublicKey(text), SignatureFormatError)
          typed(() => parseGlobs(text), InputFormError)
          typed(() => parseSshTime(text), Error)
          matchPatternList(text, text)
        },
      ),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        typed(() => parseSshPublicKey(Buffer.from(b)), SignatureFormatError)
        typed(() => parseRawSignature(Buffer.from(b), trust.keys.pem), SignatureFormatError)
      }),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(fc.jsonValue(), (j) => typed(() => parseBundle(j), SignatureFormatError)),
      { numRuns: 1000 },
    )
  })
})

describe('policy-signatures: minisign key ids', () => {
  it('prints ids as minisign does: the little-endian number in hex, without leading zeros', () => {
    expect(minisignKeyId(Buffer.from('80e5d0db6028efda', 'hex'))).toBe('DAEF2860DBD0E580')
    expect(minisignKeyId(Buffer.from('e4a4ac4a88fb5f0a', 'hex'))).toBe('A5FFB884AACA4E4')
  })
})
