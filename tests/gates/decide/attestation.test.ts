// The decision as an in-toto Statement v1 in a DSSE envelope. The envelope is checked here the
// way a third party would: the PAE is built by the test itself from the DSSE spec
// (protocol.md: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in ASCII decimal), and
// the signature over it is verified by `openssl pkeyutl`, with keys openssl made for the test.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Bundle } from '../../../src/gates/decide/bundle.js'
import { publicKeyFrom } from '../../../src/gates/decide/sign.js'
import { verifyBundle } from '../../../src/gates/decide/verify.js'
import { SHA, opensslKey, readJson, runDecide, sh, sha256sum, tempDir, writeReports, type KeyKind } from './support.js'

interface Envelope {
  payloadType: string
  payload: string
  signatures: { keyid: string; sig: string }[]
}

/** PAE written from the spec, independently of src/gates/decide/attest.ts. */
function specPae(type: string, body: Buffer): Buffer {
  const t = Buffer.from(type, 'utf8')
  return Buffer.concat([
    Buffer.from('DSSEv1 ' + String(t.length) + ' ', 'ascii'),
    t,
    Buffer.from(' ' + String(body.length) + ' ', 'ascii'),
    body,
  ])
}

let ws: string
let cleanup: () => void
const keys = {} as Record<KeyKind, { priv: string; pub: string }>
let stranger: { priv: string; pub: string }

beforeAll(() => {
  ;({ dir: ws, cleanup } = tempDir())
  for (const k of ['ed25519', 'ec-p256', 'rsa'] as const) keys[k] = opensslKey(ws, k)
  stranger = opensslKey(ws, 'ed25519', 'stranger')
})
afterAll(() => cleanup())

const reports = () => path.join(ws, 'cutover-reports')
const bundleFile = () => path.join(reports(), 'cutover-summary.json')
const envelopeFile = () => path.join(reports(), 'cutover-summary.intoto.json')
const pub = (file: string) => ({ publicKey: publicKeyFrom(readFileSync(file, 'utf8'), file), publicKeyLabel: path.basename(file) })
const REQUIRED = 'api,rc-proof,canary'

/** openssl's word on `sig` over `data` with the public key `pub`: true when it printed "Signature Verified Successfully". */
function opensslVerifies(kind: KeyKind, pubFile: string, data: Buffer, sig: Buffer): boolean {
  const pae = path.join(ws, 'pae.bin')
  const sigFile = path.join(ws, 'sig.bin')
  writeFileSync(pae, data)
  writeFileSync(sigFile, sig)
  const digest = kind === 'ed25519' ? [] : ['-digest', 'sha256']
  try {
    return /Signature Verified Successfully/.test(
      sh('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pubFile, '-rawin', ...digest, '-in', pae, '-sigfile', sigFile]),
    )
  } catch {
    return false
  }
}

function envelopeParts(e: Envelope) {
  const body = Buffer.from(e.payload, 'base64')
  return { body, pae: specPae(e.payloadType, body), sig: Buffer.from(e.signatures[0].sig, 'base64') }
}

beforeEach(async () => {
  rmSync(reports(), { recursive: true, force: true })
  writeFileSync(
    path.join(ws, 'cutover.yml'),
    'version: 1\ngates:\n  - id: api\n    uses: readyz\n    with:\n      url: http://127.0.0.1:1/readyz\ndecide:\n  allow-warn: false\n',
  )
  writeFileSync(path.join(ws, 'app.tar.gz'), 'the release artifact\n')
  await writeReports(reports(), [{ id: 'api' }, { id: 'rc-proof', gate: 'evidence' }, { id: 'canary', gate: 'canary' }])
})

describe.each(['ed25519', 'ec-p256', 'rsa'] as const)('the in-toto attestation signed with %s', (kind) => {
  it('is a DSSE envelope of a Statement v1 that openssl verifies over the PAE, and that names this decision', async () => {
    const r = await runDecide(ws, {
      required: REQUIRED,
      'signing-key': keys[kind].priv,
      config: 'cutover.yml',
      'attest-subjects': 'app.tar.gz',
    })
    expect(r.checks.filter((c) => c.status !== 'pass').map((c) => c.message)).toEqual([])
    expect(r.outputs.decision).toBe('GO')
    expect(r.outputs.attestation).toBe('cutover-reports/cutover-summary.intoto.json')
    const e = readJson<Envelope>(envelopeFile())
    expect(e.payloadType).toBe('application/vnd.in-toto+json')
    expect(e.signatures).toHaveLength(1)
    expect(e.signatures[0].keyid).toMatch(/^sha256:[0-9a-f]{64}$/)
    const { body, pae, sig } = envelopeParts(e)
    expect(opensslVerifies(kind, keys[kind].pub, pae, sig)).toBe(true)

    const st = JSON.parse(body.toString('utf8'))
    expect(st._type).toBe('https://in-toto.io/Statement/v1')
    expect(st.predicateType).toBe('https://cutover-gates.dev/decision/v1')
    expect(st.subject).toEqual([
      { name: 'git+acme/shop', digest: { gitCommit: SHA } },
      { name: 'app.tar.gz', digest: { sha256: sha256sum(path.join(ws, 'app.tar.gz')) } },
    ])
    const p = st.predicate
    expect(p.decision).toBe('GO')
    for (const id of REQUIRED.split(','))
      expect(p.reports.find((x: { id: string }) => x.id === id).sha256).toBe(sha256sum(path.join(reports(), `${id}.json`)))
    const b = readJson<Bundle>(bundleFile())
    expect(p.ledger.head).toBe(b.chainHead)
    expect(p.bundle).toEqual({ file: 'cutover-summary.json', sha256: sha256sum(bundleFile()) })
    expect(p.config).toEqual({ file: 'cutover.yml', sha256: sha256sum(path.join(ws, 'cutover.yml')) })
    expect(p.timeline.map((t: { id: string }) => t.id).sort()).toEqual(['api', 'canary', 'rc-proof'])
    expect(b.attestation).toEqual({ file: 'cutover-summary.intoto.json', predicateType: 'https://cutover-gates.dev/decision/v1' })

    const v = await verifyBundle(bundleFile(), pub(keys[kind].pub))
    expect(v.problems).toEqual([])
    expect(v.passed.at(-1)).toMatch(/^the in-toto attestation cutover-summary\.intoto\.json is signed over its DSSE PAE/)
  })
})

describe('a changed envelope is caught, by openssl and by bundle verify', () => {
  beforeEach(async () => {
    const r = await runDecide(ws, { required: REQUIRED, 'signing-key': keys['ec-p256'].priv })
    expect(r.outputs.decision).toBe('GO')
  })

  const problemsWith = async (e: Envelope, key = keys['ec-p256'].pub) => {
    writeFileSync(envelopeFile(), JSON.stringify(e, null, 2) + '\n')
    return (await verifyBundle(bundleFile(), pub(key))).problems
  }

  it('one byte of the payload', async () => {
    const e = readJson<Envelope>(envelopeFile())
    const body = Buffer.from(e.payload, 'base64')
    body[body.indexOf('"GO"') + 1] = 'X'.charCodeAt(0)
    const edited = { ...e, payload: body.toString('base64') }
    const { pae, sig } = envelopeParts(edited)
    expect(opensslVerifies('ec-p256', keys['ec-p256'].pub, pae, sig)).toBe(false)
    expect(await problemsWith(edited)).toEqual([
      expect.stringMatching(/^the attestation cutover-summary\.intoto\.json: no signature of the envelope verifies/),
    ])
  })

  it('one byte of the payload type', async () => {
    const e = readJson<Envelope>(envelopeFile())
    const edited = { ...e, payloadType: 'application/vnd.in-toto+jsoN' }
    const { pae, sig } = envelopeParts(edited)
    expect(opensslVerifies('ec-p256', keys['ec-p256'].pub, pae, sig)).toBe(false)
    expect((await problemsWith(edited))[0]).toMatch(/payloadType is "application\/vnd\.in-toto\+jsoN", not application\/vnd\.in-toto\+json/)
  })

  it('one byte of the signature', async () => {
    const e = readJson<Envelope>(envelopeFile())
    const sig = Buffer.from(e.signatures[0].sig, 'base64')
    sig[sig.length - 1] ^= 1
    const edited = { ...e, signatures: [{ ...e.signatures[0], sig: sig.toString('base64') }] }
    expect(opensslVerifies('ec-p256', keys['ec-p256'].pub, envelopeParts(edited).pae, sig)).toBe(false)
    expect((await problemsWith(edited))[0]).toMatch(/no signature of the envelope verifies/)
  })

  it('a wrong key, and a keyid that claims to be the right one (keyid is a hint, never trusted)', async () => {
    const e = readJson<Envelope>(envelopeFile())
    const { pae, sig } = envelopeParts(e)
    expect(opensslVerifies('ed25519', stranger.pub, pae, sig)).toBe(false)
    const v = await verifyBundle(bundleFile(), pub(stranger.pub))
    expect(v.problems.some((x) => /attestation .*no signature of the envelope verifies with stranger\.pub\.pem/.test(x))).toBe(true)
    // Re-signed by another key under the original keyid: still refused by the key given.
    const { createPrivateKey, sign } = await import('node:crypto')
    const forged = sign(null, pae, createPrivateKey(readFileSync(stranger.priv))).toString('base64')
    expect((await problemsWith({ ...e, signatures: [{ keyid: e.signatures[0].keyid, sig: forged }] }))[0]).toMatch(
      /no signature of the envelope verifies/,
    )
  })

  it('an envelope removed, or swapped for the envelope of another decision', async () => {
    const other = readJson<Envelope>(envelopeFile())
    rmSync(envelopeFile())
    expect((await verifyBundle(bundleFile(), pub(keys['ec-p256'].pub))).problems).toEqual([
      'the attestation cutover-summary.intoto.json the bundle names is missing: the decision cannot be checked by a third party',
    ])
    // Another decision of the same key (a later decidedAt): signed, but not of this bundle.
    await runDecide(
      ws,
      { required: REQUIRED, 'signing-key': keys['ec-p256'].priv, bundle: 'cutover-reports/other.json' },
      { now: () => new Date('2026-03-14T10:05:00.000Z') },
    )
    const swapped = readJson<Envelope>(path.join(reports(), 'other.intoto.json'))
    expect(swapped.payload).not.toBe(other.payload)
    expect((await problemsWith(swapped))[0]).toMatch(
      /^the attestation cutover-summary\.intoto\.json is signed but is not of this bundle: it attests a bundle with SHA-256 [0-9a-f]{64}, not this one/,
    )
  })
})

describe('what is attested, and what is not', () => {
  it('HMAC writes no envelope, and the summary says why', async () => {
    const r = await runDecide(ws, { required: REQUIRED, 'hmac-key': 'attest-test-hmac-key-0123456789' })
    expect(r.outputs.decision).toBe('GO')
    expect(r.outputs.attestation).toBe('')
    expect(existsSync(envelopeFile())).toBe(false)
    expect(r.checks.find((c) => c.name === 'bundle signature')?.message).toMatch(
      /only a holder of that secret can check it, so no in-toto attestation was written .* Use `signing-key`/,
    )
  })

  it('an artifact to attest that is missing is NO-GO, naming it', async () => {
    const r = await runDecide(ws, { required: REQUIRED, 'signing-key': keys.ed25519.priv, 'attest-subjects': 'dist/missing.tar.gz' })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.find((c) => c.name === 'in-toto attestation' && c.status === 'fail')?.message).toMatch(
      /^The attestation cannot name what it is about: dist\/missing\.tar\.gz does not exist/,
    )
  })

  it('without a release commit there is nothing to attest: NO-GO', async () => {
    const r = await runDecide(ws, { required: REQUIRED, 'signing-key': keys.ed25519.priv }, { env: { GITHUB_RUN_ID: '9001' } })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(r.checks.some((c) => c.name === 'in-toto attestation' && /no release commit is known/.test(c.message))).toBe(true)
  })

  it('a report folder holding an envelope still decides: the envelope is not a gate report', async () => {
    await runDecide(ws, { required: REQUIRED, 'signing-key': keys.ed25519.priv })
    const again = await runDecide(ws, { required: REQUIRED, 'signing-key': keys.ed25519.priv })
    expect(again.outputs.decision).toBe('GO')
  })

  it('never overwrites a file that is not an attestation where the envelope goes', async () => {
    writeFileSync(envelopeFile(), '{"keep": "me"}\n')
    const r = await runDecide(ws, { required: REQUIRED, 'signing-key': keys.ed25519.priv })
    expect(r.outputs.decision).toBe('NO-GO')
    expect(readFileSync(envelopeFile(), 'utf8')).toBe('{"keep": "me"}\n')
  })
})
