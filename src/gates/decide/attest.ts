/**
 * The decision as an in-toto Statement v1 in a DSSE envelope, so a third party checks it with
 * the public key and standard tools, not only with `cutover bundle verify`.
 *
 * DSSE (github.com/secure-systems-lab/dsse, protocol.md) signs PAE(payloadType, payload):
 *   "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * where LEN is the byte length in ASCII decimal. The envelope is
 * `{payloadType, payload: base64(body), signatures: [{keyid, sig: base64(signature)}]}`. The
 * `keyid` is a hint only (the spec forbids basing a security decision on it): verification
 * tries the key it is given.
 *
 * The statement's subject is the release commit (`digest.gitCommit`) plus any artifacts given;
 * its predicate holds the decision, every report's SHA-256, the run's single ledger head, the
 * approvals with what they approved, the timeline, the `cutover.yml` digest and the bundle's own
 * digest, so envelope and bundle pin each other's content.
 */
import { createHash, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { writeFileAtomic } from '../../core/files.js'
import type { Bundle } from './bundle.js'
import { ALG_NAMES, algOf, fingerprint, type AsymmetricAlg } from './sign.js'
import { PAYLOAD_TYPE, pae } from './dsse.js'

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
export const PREDICATE_TYPE = 'https://cutover-gates.dev/decision/v1'
export { PAYLOAD_TYPE, pae } from './dsse.js'

export interface ResourceDescriptor {
  name: string
  digest: Record<string, string>
}

export interface Statement {
  _type: typeof STATEMENT_TYPE
  subject: ResourceDescriptor[]
  predicateType: typeof PREDICATE_TYPE
  predicate: DecisionPredicate
}

/** One approval as the predicate records it: who, with what words, where, and what they saw. */
export interface AttestedApproval {
  identity: string
  comment: string
  environment: string
  /** The pre-flight decision digest the reviewer approved (`sha256:<hex>`), when it is known. */
  approvedDigest?: string
}

export interface DecisionPredicate {
  decision: Bundle['decision']
  status: Bundle['status']
  decidedAt: string
  run: Omit<Bundle['subject'], 'sha'>
  rule: Bundle['rule']
  reasons: string[]
  reports: { id: string; file: string; sha256: string; status: string }[]
  /** The run's one chain: its final head and each job's ledger in chain order. */
  ledger: { head?: string; ledgers: Bundle['ledgers'] }
  approvals: AttestedApproval[]
  /** What was approved against what was promoted, when decide was given both. */
  approval?: Bundle['approval']
  timeline: Bundle['timeline']
  config?: { file: string; sha256: string }
  bundle: { file: string; sha256: string }
}

export interface Envelope {
  payloadType: string
  payload: string
  signatures: { keyid: string; sig: string }[]
}

/** The attested form of an approval record (approval-guard's `{user, comment, environments}`, or already this form). */
export function attestedApproval(record: unknown, approvedDigest: string | undefined): AttestedApproval {
  const r = (record ?? {}) as Record<string, unknown>
  const text = (v: unknown) => (typeof v === 'string' ? v : '')
  const envs = Array.isArray(r.environments) ? r.environments.filter((e): e is string => typeof e === 'string') : []
  const own = text(r.approvedDigest)
  const digest = own || approvedDigest
  return {
    identity: text(r.identity) || text(r.user) || text(r.login),
    comment: text(r.comment),
    environment: text(r.environment) || envs.join(', '),
    ...(digest ? { approvedDigest: digest } : {}),
  }
}

export function buildStatement(
  bundle: Bundle,
  o: { bundleFile: string; bundleSha256: string; config?: { file: string; sha256: string }; artifacts: ResourceDescriptor[] },
): Statement {
  const { sha, ...run } = bundle.subject
  const subject: ResourceDescriptor[] = [
    ...(sha ? [{ name: bundle.subject.repository ? `git+${bundle.subject.repository}` : 'release', digest: { gitCommit: sha } }] : []),
    ...o.artifacts,
  ]
  const approved = bundle.approval?.approvedDigest
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: PREDICATE_TYPE,
    predicate: {
      decision: bundle.decision,
      status: bundle.status,
      decidedAt: bundle.decidedAt,
      run,
      rule: bundle.rule,
      reasons: bundle.reasons,
      reports: bundle.reports.map((r) => ({ id: r.id, file: r.file, sha256: r.sha256, status: r.status })),
      ledger: { ...(bundle.chainHead ? { head: bundle.chainHead } : {}), ledgers: bundle.ledgers },
      approvals: bundle.approvals.map((a) => attestedApproval(a, approved)),
      ...(bundle.approval ? { approval: bundle.approval } : {}),
      timeline: bundle.timeline,
      ...(o.config ? { config: o.config } : {}),
      bundle: { file: o.bundleFile, sha256: o.bundleSha256 },
    },
  }
}

function signPae(data: Buffer, key: KeyObject, alg: AsymmetricAlg): Buffer {
  // The encodings `openssl pkeyutl -verify` checks: raw Ed25519, DER ECDSA, PKCS#1 v1.5 RSA.
  return alg === 'ed25519' ? cryptoSign(null, data, key) : cryptoSign('sha256', data, { key, dsaEncoding: 'der' })
}

export function signEnvelope(statement: Statement, key: KeyObject): Envelope {
  const body = Buffer.from(JSON.stringify(statement), 'utf8')
  const alg = algOf(key, 'the signing key')
  const keyid = fingerprint(createPublicKey(key))
  return {
    payloadType: PAYLOAD_TYPE,
    payload: body.toString('base64'),
    signatures: [{ keyid, sig: signPae(pae(PAYLOAD_TYPE, body), key, alg).toString('base64') }],
  }
}

export function serializeEnvelope(e: Envelope): Buffer {
  return Buffer.from(JSON.stringify(e, null, 2) + '\n', 'utf8')
}

export async function writeEnvelope(file: string, e: Envelope): Promise<string> {
  const bytes = serializeEnvelope(e)
  await writeFileAtomic(file, bytes)
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** Where the envelope of a bundle lives: beside it, `<name>.intoto.json`. */
export function envelopePathFor(bundleFile: string): string {
  return bundleFile.replace(/\.json$/i, '') + '.intoto.json'
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/
const B64URL = /^[A-Za-z0-9_-]*={0,2}$/

/** Standard or URL-safe base64, as DSSE allows, refused unless it round-trips (no ignored bits or characters). */
function base64Strict(s: string): Buffer | undefined {
  const std = B64.test(s) ? s : B64URL.test(s) ? s.replace(/-/g, '+').replace(/_/g, '/') : undefined
  if (std === undefined) return undefined
  const buf = Buffer.from(std, 'base64')
  const again = buf.toString('base64')
  return again === std || again.replace(/=+$/, '') === std.replace(/=+$/, '') ? buf : undefined
}

export interface EnvelopeVerdict {
  problems: string[]
  statement?: Statement
  keyid?: string
}

/** The envelope's shape, its payload type, and a signature by `key` over PAE: every failure a sentence. */
export function verifyEnvelope(value: unknown, key: KeyObject | undefined, label = 'the public key'): EnvelopeVerdict {
  const e = value as Partial<Envelope> | null
  if (!e || typeof e !== 'object' || Array.isArray(e)) return { problems: ['the envelope is not a JSON object'] }
  if (typeof e.payloadType !== 'string' || typeof e.payload !== 'string' || !Array.isArray(e.signatures))
    return { problems: ['the envelope lacks `payloadType`, `payload` or `signatures`: it is not a DSSE envelope'] }
  if (e.payloadType !== PAYLOAD_TYPE)
    return { problems: [`the envelope's payloadType is ${JSON.stringify(e.payloadType.slice(0, 80))}, not ${PAYLOAD_TYPE}`] }
  const body = base64Strict(e.payload)
  if (!body) return { problems: ["the envelope's payload is not canonical base64: it was damaged or edited"] }
  if (e.signatures.length === 0) return { problems: ['the envelope carries no signature'] }
  if (!key) return { problems: ['the envelope is signed, but no public key was given to check it (`--public-key`)'] }
  let alg: AsymmetricAlg
  try {
    alg = algOf(key, label)
  } catch (err) {
    return { problems: [(err as Error).message] }
  }
  const data = pae(e.payloadType, body)
  const good = e.signatures.find((s) => {
    const sig = typeof s?.sig === 'string' ? base64Strict(s.sig) : undefined
    if (!sig) return false
    try {
      return alg === 'ed25519' ? cryptoVerify(null, data, key, sig) : cryptoVerify('sha256', data, { key, dsaEncoding: 'der' }, sig)
    } catch {
      return false
    }
  })
  if (!good)
    return {
      problems: [
        `no signature of the envelope verifies with ${label} (${ALG_NAMES[alg]}, key ${fingerprint(key)}) over its PAE: the payload, its type or the signature changed, or another key signed it`,
      ],
    }
  let statement: unknown
  try {
    statement = JSON.parse(body.toString('utf8'))
  } catch {
    return { problems: ["the envelope's payload is signed but is not JSON"] }
  }
  const st = statement as Partial<Statement>
  if (st?._type !== STATEMENT_TYPE || st.predicateType !== PREDICATE_TYPE || !Array.isArray(st.subject) || !st.predicate)
    return { problems: [`the envelope's payload is not an in-toto Statement v1 of ${PREDICATE_TYPE}`] }
  return { problems: [], statement: st as Statement, keyid: good.keyid }
}
