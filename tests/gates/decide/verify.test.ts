// Tampering after the decision: a report edited, removed, or the bundle itself changed by one byte.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Bundle } from '../../../src/gates/decide/bundle.js'
import { publicKeyFrom } from '../../../src/gates/decide/sign.js'
import { verifyBundle } from '../../../src/gates/decide/verify.js'
import { opensslKey, readJson, runDecide, tempDir, writeReports } from './support.js'

let ws: string
let cleanup: () => void
let key: { priv: string; pub: string }
let otherEd: { priv: string; pub: string }
let ec: { priv: string; pub: string }
const pub = (file: string) => ({ publicKey: publicKeyFrom(readFileSync(file, 'utf8'), file), publicKeyLabel: path.basename(file) })

beforeAll(() => {
  ;({ dir: ws, cleanup } = tempDir())
  key = opensslKey(ws, 'ed25519', 'signer')
  otherEd = opensslKey(ws, 'ed25519', 'other')
  ec = opensslKey(ws, 'ec-p256', 'ec')
})
afterAll(() => cleanup())

const reports = () => path.join(ws, 'cutover-reports')
const bundleFile = () => path.join(reports(), 'cutover-summary.json')

beforeEach(async () => {
  rmSync(reports(), { recursive: true, force: true })
  await writeReports(reports(), [{ id: 'api' }, { id: 'rc-proof', gate: 'evidence' }, { id: 'canary', gate: 'canary' }])
  const r = await runDecide(ws, { required: 'api,rc-proof,canary', 'signing-key': key.priv })
  expect(r.outputs.decision).toBe('GO')
})

describe('bundle verify', () => {
  it('holds for the bundle as decide wrote it', async () => {
    const v = await verifyBundle(bundleFile(), pub(key.pub))
    expect(v.problems).toEqual([])
    expect(v.passed).toEqual([
      '3 of 3 listed reports match the SHA-256 the bundle lists',
      expect.stringMatching(/^the ledger ledger.jsonl is intact and still holds the 3 records pinned/),
      expect.stringMatching(/^the Ed25519 signature is valid \(key sha256:[0-9a-f]{64}\)$/),
      expect.stringMatching(
        /^the in-toto attestation cutover-summary\.intoto\.json is signed over its DSSE PAE \(key sha256:[0-9a-f]{64}\) and attests this bundle, commit 6dcb09b5b578$/,
      ),
    ])
  })

  it('names the report edited after the decision (one byte changed), with both hashes', async () => {
    const file = path.join(reports(), 'rc-proof.json')
    const bytes = readFileSync(file)
    bytes[bytes.indexOf('"pass"') + 1] = 'f'.charCodeAt(0) // "pass" -> "fass"
    writeFileSync(file, bytes)
    const v = await verifyBundle(bundleFile(), pub(key.pub))
    expect(v.problems).toHaveLength(1)
    expect(v.problems[0]).toMatch(
      /^report `rc-proof` \(rc-proof\.json\) changed after the decision: its SHA-256 is now [0-9a-f]{64}, the bundle lists [0-9a-f]{64}$/,
    )
    // Two of three matching is not a pass: no tick may carry it.
    expect(v.passed.filter((p) => /listed reports? match/.test(p))).toEqual([])
  })

  it('names a listed report that was removed', async () => {
    rmSync(path.join(reports(), 'canary.json'))
    const v = await verifyBundle(bundleFile(), pub(key.pub))
    expect(v.problems).toEqual([
      expect.stringMatching(/^report `canary` \(canary\.json\) is missing: the bundle lists it with SHA-256 [0-9a-f]{64}$/),
    ])
  })

  it('fails the signature when one byte of the bundle content changes', async () => {
    const text = readFileSync(bundleFile(), 'utf8')
    // 2026-03-14T10:00:00 -> 2026-03-14T11:00:00: still valid JSON, still a bundle, a different claim.
    writeFileSync(bundleFile(), text.replace('"decidedAt": "2026-03-14T10:', '"decidedAt": "2026-03-14T11:'))
    const v = await verifyBundle(bundleFile(), pub(key.pub))
    expect(v.problems).toEqual([
      'the Ed25519 signature does not match: the bundle was changed after it was signed',
      expect.stringMatching(
        /^the attestation cutover-summary\.intoto\.json is signed but is not of this bundle: it attests a bundle with SHA-256 [0-9a-f]{64}, not this one/,
      ),
    ])
  })

  it('catches a byte changed in the layout only (the signature covers content, the file check covers bytes)', async () => {
    const text = readFileSync(bundleFile(), 'utf8')
    writeFileSync(bundleFile(), text.replace('\n  "decision"', '\n\t"decision"'))
    const v = await verifyBundle(bundleFile(), pub(key.pub))
    expect(v.problems).toEqual([
      expect.stringContaining('is not byte for byte as decide writes it: it was re-formatted or edited'),
      expect.stringMatching(
        /^the attestation cutover-summary\.intoto\.json is signed but is not of this bundle: it attests a bundle with SHA-256 [0-9a-f]{64}, not this one/,
      ),
    ])
  })

  it.each(['"subject"', '"reports"'])('a bundle whose %s key an edit renamed is a problem, never a TypeError', async (name) => {
    const text = readFileSync(bundleFile(), 'utf8')
    expect(text).toContain(name)
    writeFileSync(bundleFile(), text.replace(name, name.replace(/.$/, 'x"')))
    const v = await verifyBundle(bundleFile(), pub(key.pub))
    expect(v.problems.length).toBeGreaterThan(0)
  })

  it('any single byte changed anywhere in the bundle is a problem', async () => {
    const original = readFileSync(bundleFile())
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
        const bytes = Buffer.from(original)
        bytes[at] ^= flip
        writeFileSync(bundleFile(), bytes)
        const v = await verifyBundle(bundleFile(), pub(key.pub))
        expect(v.problems.length).toBeGreaterThan(0)
      }),
      { numRuns: 150 },
    )
  })

  it('refuses to call a bundle valid without the key to check it, or with the wrong key', async () => {
    expect((await verifyBundle(bundleFile(), {})).problems).toEqual([
      expect.stringMatching(/^the bundle is signed with Ed25519 \(key sha256:[0-9a-f]{64}\), but no public key was given to check it$/),
      'the attestation cutover-summary.intoto.json: the envelope is signed, but no public key was given to check it (`--public-key`)',
    ])
    expect((await verifyBundle(bundleFile(), pub(otherEd.pub))).problems).toEqual([
      expect.stringMatching(/^the bundle was signed by key sha256:[0-9a-f]{64}, but other\.pub\.pem is key sha256:[0-9a-f]{64}$/),
      expect.stringMatching(
        /^the attestation cutover-summary\.intoto\.json: no signature of the envelope verifies with other\.pub\.pem \(Ed25519, key sha256:[0-9a-f]{64}\) over its PAE/,
      ),
    ])
    expect((await verifyBundle(bundleFile(), pub(ec.pub))).problems).toEqual([
      'the bundle is signed with Ed25519, but ec.pub.pem is a key for ECDSA P-256 with SHA-256',
      expect.stringMatching(
        /^the attestation cutover-summary\.intoto\.json: no signature of the envelope verifies with ec\.pub\.pem \(ECDSA P-256/,
      ),
    ])
    expect((await verifyBundle(bundleFile(), { hmacKey: 'x'.repeat(32) })).problems).toHaveLength(2)
  })

  it('does not accept a signature moved under another key id (a forged keyId still fails the math)', async () => {
    const b = readJson<Bundle>(bundleFile())
    const other = readJson<Bundle>(bundleFile())
    other.signature!.keyId = 'sha256:' + '0'.repeat(64)
    writeFileSync(bundleFile(), JSON.stringify(other, null, 2) + '\n')
    expect((await verifyBundle(bundleFile(), pub(key.pub))).problems[0]).toContain('the bundle was signed by key sha256:0000')
    expect(b.signature?.keyId).not.toBe(other.signature?.keyId)
  })

  it('an unsigned bundle is not valid, and neither is a file that is not a bundle', async () => {
    await runDecide(ws, { required: 'api,rc-proof,canary', bundle: 'unsigned.json' })
    expect((await verifyBundle(path.join(ws, 'unsigned.json'), {})).problems).toEqual([
      'the bundle carries no signature, so an edit to it cannot be detected; decide signs it when given `signing-key` or `hmac-key`',
    ])
    const report = path.join(reports(), 'api.json')
    expect((await verifyBundle(report, {})).problems[0]).toMatch(/^.*api\.json is not a cutover bundle: `decision`: /)
    expect((await verifyBundle(path.join(ws, 'nope.json'), {})).problems[0]).toMatch(/nope\.json does not exist$/)
  })
})
