/**
 * Sigstore bundles (`<file>.sigstore.json`, protobuf-specs Bundle, media type
 * `application/vnd.dev.sigstore.bundle.v0.3+json`; the older `...bundle+json;version=0.1|0.2`
 * spellings are read the same way) carrying a `messageSignature` and a `publicKey` hint, as
 * `cosign sign-blob --key --bundle` writes them. Verified offline against the configured PEM keys:
 * no Rekor, no Fulcio, no TUF. The digest in the bundle must be the file's digest, and the signature
 * must verify over the file with one of the keys.
 */
import { createHash } from 'node:crypto'
import { SignatureFormatError, decodeBase64, printable, type Verdict } from '../../lib/signing/common.js'
import { checkDetached, type SupportedHash } from '../../lib/signing/detached.js'
import { CURVE_HASH, type PemKey } from './keys.js'

const MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.bundle(?:\.v0\.([123])\+json|\+json;\s*version=0\.([123]))$/
const DIGESTS: Record<string, { hash: SupportedHash; size: number; label: string }> = {
  SHA2_256: { hash: 'sha256', size: 32, label: 'SHA-256' },
  SHA2_384: { hash: 'sha384', size: 48, label: 'SHA-384' },
  SHA2_512: { hash: 'sha512', size: 64, label: 'SHA-512' },
}

export interface SigstoreBundle {
  version: string
  hint?: string
  digestAlgorithm: string
  digest: Buffer
  signature: Buffer
  /** Transparency-log entries are present but, offline, not checked. */
  tlogEntries: number
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** True when the JSON value says it is a Sigstore bundle (whatever it carries). */
export function looksLikeBundle(json: unknown): boolean {
  return isObject(json) && typeof json.mediaType === 'string' && json.mediaType.startsWith('application/vnd.dev.sigstore.bundle')
}

/** Reads a parsed bundle; throws SignatureFormatError naming the missing or refused part. */
export function parseBundle(json: unknown): SigstoreBundle {
  if (!isObject(json) || typeof json.mediaType !== 'string')
    throw new SignatureFormatError('it is not a Sigstore bundle (no mediaType)', 'unknown-format')
  const m = MEDIA_TYPE.exec(json.mediaType)
  if (!m)
    throw new SignatureFormatError(
      `the bundle media type ${JSON.stringify(printable(json.mediaType))} is not a known Sigstore bundle version`,
      'unsupported',
    )
  const version = `v0.${m[1] ?? m[2]}`
  const vm = json.verificationMaterial
  if (!isObject(vm)) throw new SignatureFormatError('the bundle has no verificationMaterial')
  if (vm.certificate !== undefined || vm.x509CertificateChain !== undefined) {
    throw new SignatureFormatError(
      'it is a keyless bundle (a Fulcio certificate, no key of yours signed it), and this gate verifies key-based Sigstore bundles only, offline against `public-keys`',
      'unsupported',
      'keyless-bundle',
    )
  }
  if (!isObject(vm.publicKey)) throw new SignatureFormatError('the bundle has no verificationMaterial.publicKey')
  const hint = vm.publicKey.hint
  if (hint !== undefined && typeof hint !== 'string') throw new SignatureFormatError('the bundle public-key hint is not a string')
  if (json.dsseEnvelope !== undefined) {
    throw new SignatureFormatError('the bundle holds a DSSE envelope (an attestation), not a messageSignature over the file', 'unsupported')
  }
  const ms = json.messageSignature
  if (!isObject(ms)) throw new SignatureFormatError('the bundle has no messageSignature')
  const md = ms.messageDigest
  if (!isObject(md) || typeof md.algorithm !== 'string' || typeof md.digest !== 'string') {
    throw new SignatureFormatError('the bundle messageSignature has no messageDigest {algorithm, digest}')
  }
  const alg = DIGESTS[md.algorithm]
  if (!alg)
    throw new SignatureFormatError(
      `the bundle digest algorithm ${JSON.stringify(printable(md.algorithm, 30))} is not SHA2_256, SHA2_384 or SHA2_512`,
      'unsupported',
    )
  const digest = decodeBase64(md.digest)
  if (!digest || digest.length !== alg.size) throw new SignatureFormatError(`the bundle digest is not ${alg.size} bytes of base64`)
  const signature = typeof ms.signature === 'string' ? decodeBase64(ms.signature) : undefined
  if (!signature) throw new SignatureFormatError('the bundle messageSignature.signature is not base64')
  const tlog = vm.tlogEntries
  return {
    version,
    ...(hint ? { hint } : {}),
    digestAlgorithm: md.algorithm,
    digest,
    signature,
    tlogEntries: Array.isArray(tlog) ? tlog.length : 0,
  }
}

/** A hint names a key when it is its fingerprint in any of the usual spellings (base64, hex, `SHA256:`). */
function hintMatches(hint: string, key: PemKey): boolean {
  const b64 = key.fingerprint.slice('SHA256:'.length)
  const raw = Buffer.from(b64, 'base64')
  const h = hint.trim().replace(/^sha256:/i, '')
  return h.replace(/=+$/, '') === b64 || h.toLowerCase() === raw.toString('hex') || h.replace(/=+$/, '') === raw.toString('base64url')
}

export function verifyBundle(bundle: SigstoreBundle, message: Buffer, keys: readonly PemKey[]): Verdict {
  const alg = DIGESTS[bundle.digestAlgorithm]
  const format = `Sigstore bundle ${bundle.version} (messageSignature, ${alg.label})`
  const actual = createHash(alg.hash).update(message).digest()
  if (!actual.equals(bundle.digest)) {
    return {
      ok: false,
      format,
      reason: 'invalid',
      text: `The bundle signs ${alg.label} ${bundle.digest.toString('hex').slice(0, 16)}…, but the file's ${alg.label} is ${actual.toString('hex').slice(0, 16)}…: the file changed after signing.`,
    }
  }
  const hinted = bundle.hint ? keys.filter((k) => hintMatches(bundle.hint as string, k)) : []
  const order = [...hinted, ...keys.filter((k) => !hinted.includes(k))]
  for (const key of order) {
    // An EC key signs with its curve's hash; the digest algorithm says which for RSA and the rest.
    const hash = key.kind === 'ec' && key.curve ? CURVE_HASH[key.curve] : alg.hash
    const verdict = checkDetached(key.key, message, bundle.signature, { hashes: [...new Set([hash, alg.hash])] })
    if (verdict.ok) {
      const scheme = verdict.scheme
      const tlog =
        bundle.tlogEntries > 0
          ? ` (its ${bundle.tlogEntries} transparency-log entr${bundle.tlogEntries === 1 ? 'y was' : 'ies were'} not checked: offline verification)`
          : ''
      return {
        ok: true,
        format,
        key: key.fingerprint,
        ...(bundle.hint ? { signer: `hint ${printable(bundle.hint, 60)}` } : {}),
        text: `Signed by ${key.label} key ${key.fingerprint} (${scheme})${tlog}.`,
      }
    }
  }
  const hint = bundle.hint ? ` Its key hint is ${printable(bundle.hint, 60)}.` : ''
  if (keys.length === 0) {
    return {
      ok: false,
      format,
      reason: 'untrusted',
      text: `The file carries a Sigstore bundle, but \`public-keys\` holds no PEM key to verify it with.${hint}`,
    }
  }
  if (bundle.hint && hinted.length === 0) {
    return {
      ok: false,
      format,
      reason: 'untrusted',
      signer: `hint ${printable(bundle.hint, 60)}`,
      text: `The bundle's digest matches the file, but its signature verifies with none of the ${keys.length} configured PEM key${keys.length === 1 ? '' : 's'}, and its key hint ${printable(bundle.hint, 60)} names none of them: it was signed by an untrusted key.`,
    }
  }
  return {
    ok: false,
    format,
    reason: 'invalid',
    text: `The bundle's digest matches the file, but its signature verifies with none of the ${keys.length} configured PEM key${keys.length === 1 ? '' : 's'}: the signature was altered or made by a key not in \`public-keys\`.${hint}`,
  }
}
