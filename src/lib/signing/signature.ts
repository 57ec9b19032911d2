/**
 * Detached signatures of a manifest, made and checked with node:crypto (OpenSSL):
 *
 * - ECDSA (P-256 as cosign uses): SHA-256 (or SHA-384, SHA-512) over the manifest bytes, DER
 *   signature. `cosign sign-blob --key` writes it base64-encoded; `openssl dgst -sha256 -sign`
 *   writes the DER bytes.
 * - Ed25519 / Ed448: PureEdDSA over the manifest bytes (`openssl pkeyutl -sign -rawin`).
 * - RSA: SHA-256 (or SHA-384, SHA-512), PKCS#1 v1.5 (`openssl dgst -sha256 -sign`) or PSS.
 *
 * We sign with SHA-256; any of the three verifies (checkManifestSignature); other hashes are refused
 * by name rather than reported as a changed manifest.
 * - HMAC-SHA256: 64 lowercase hex digits (`openssl dgst -sha256 -hmac <key> -r`, first field).
 *
 * A signature file may end with one newline and nothing else: every other change to it, even
 * an upper-cased hex digit, is a different signature and fails.
 */
import { createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, constants, type KeyObject } from 'node:crypto'
import { checkDetached, type DetachedCheck, type SupportedHash } from './detached.js'

/** Signature files larger than this are refused (an RSA-16384 signature is 2 KiB). */
export const MAX_SIGNATURE_BYTES = 64 * 1024

export class KeyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KeyError'
  }
}

/** `ECDSA P-256`, `Ed25519`, `RSA 3072-bit`: what the report says was checked. */
export function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {}
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve =
        d.namedCurve === 'prime256v1'
          ? 'P-256'
          : d.namedCurve === 'secp384r1'
            ? 'P-384'
            : d.namedCurve === 'secp521r1'
              ? 'P-521'
              : d.namedCurve
      return `ECDSA ${curve ?? ''}`.trim()
    }
    case 'ed25519':
      return 'Ed25519'
    case 'ed448':
      return 'Ed448'
    case 'rsa':
    case 'rsa-pss':
      return `RSA${key.asymmetricKeyType === 'rsa-pss' ? '-PSS' : ''} ${d.modulusLength ?? '?'}-bit`
    default:
      return String(key.asymmetricKeyType)
  }
}

const SUPPORTED = new Set(['ec', 'ed25519', 'ed448', 'rsa', 'rsa-pss'])

/** A public key from PEM text (a PUBLIC KEY block or a certificate). Never quotes the text. */
export function parsePublicKey(pem: string): KeyObject {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new KeyError(
      '`public-key` holds a PRIVATE key; give the public key (`openssl pkey -in key.pem -pubout`) and keep the private key secret',
    )
  }
  let key: KeyObject
  try {
    key = createPublicKey({ key: pem, format: 'pem' })
  } catch {
    throw new KeyError(
      '`public-key` is not a PEM public key or certificate OpenSSL can read (expected a `-----BEGIN PUBLIC KEY-----` block)',
    )
  }
  if (!SUPPORTED.has(key.asymmetricKeyType ?? '')) {
    throw new KeyError(`\`public-key\` is a ${describeKey(key)} key; accepted are ECDSA (P-256), Ed25519, Ed448 and RSA`)
  }
  return key
}

/** A private key from PEM text, for `seal`. Encrypted keys and cosign's own key format are refused with a sentence. */
export function parsePrivateKey(pem: string): KeyObject {
  if (/-----BEGIN ENCRYPTED (SIGSTORE|COSIGN) PRIVATE KEY-----/.test(pem)) {
    throw new KeyError(
      "the key is in cosign's encrypted format; export a PEM key (`openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt`) and import it into cosign with `cosign import-key-pair`",
    )
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem) || /Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new KeyError(
      'the private key is encrypted; decrypt it for signing (`openssl pkey -in key.pem -out plain.pem`) in a protected place',
    )
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    throw new KeyError('the key file is not a PEM private key OpenSSL can read (expected a `-----BEGIN PRIVATE KEY-----` block)')
  }
  if (!SUPPORTED.has(key.asymmetricKeyType ?? ''))
    throw new KeyError(`the key is ${describeKey(key)}; accepted are ECDSA (P-256), Ed25519, Ed448 and RSA`)
  return key
}

/** The signature bytes over `data`: DER for ECDSA, raw for EdDSA, PKCS#1 v1.5 for RSA, PSS for RSA-PSS keys. */
export function signManifest(data: Uint8Array, key: KeyObject): Buffer {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
    case 'ed448':
      return sign(null, data, key)
    case 'ec':
      return sign('sha256', data, { key, dsaEncoding: 'der' })
    case 'rsa-pss':
      return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
    default:
      return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING })
  }
}

const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}\n?$/

/** The ways a signature file may hold the signature: canonical base64 text (cosign), or the raw bytes. */
export function signatureCandidates(file: Buffer): Buffer[] {
  const text = file.toString('latin1')
  if (BASE64_TEXT.test(text)) {
    const body = text.endsWith('\n') ? text.slice(0, -1) : text
    const decoded = Buffer.from(body, 'base64')
    // Only the canonical encoding counts, so a changed padding bit is a changed signature.
    if (body.length % 4 === 0 && decoded.toString('base64') === body) return [decoded, file]
  }
  return [file]
}

/**
 * Checks the signature file over `data` with `key`, as base64 text (cosign) or raw bytes (openssl),
 * through the one detached-signature check (src/lib/signing/detached.ts). Of several readings that
 * fail, the most telling is returned: a refused hash, then a certain mismatch, then "no match".
 */
export function checkManifestSignature(
  data: Uint8Array,
  signatureFile: Buffer,
  key: KeyObject,
  opts: { hashes?: readonly SupportedHash[] } = {},
): DetachedCheck {
  if (signatureFile.length === 0 || signatureFile.length > MAX_SIGNATURE_BYTES) return { ok: false, why: 'no-match' }
  const rank = { unsupported: 2, mismatch: 1, 'no-match': 0 } as const
  let best: DetachedCheck = { ok: false, why: 'no-match' }
  for (const sig of signatureCandidates(signatureFile)) {
    const r = checkDetached(key, data, sig, opts)
    if (r.ok) return r
    if (!best.ok && rank[r.why] > rank[best.why]) best = r
  }
  return best
}

/**
 * True when the signature file holds a valid signature of `data` by `key` over SHA-256: what
 * signManifest makes and a decision bundle records (its algorithm names SHA-256).
 */
export function verifyManifestSignature(data: Uint8Array, signatureFile: Buffer, key: KeyObject): boolean {
  return checkManifestSignature(data, signatureFile, key, { hashes: ['sha256'] }).ok
}

/** Lowercase hex HMAC-SHA256 of `data`, keyed with the UTF-8 bytes of `key` (as `openssl dgst -hmac` does). */
export function hmacHex(data: Uint8Array, key: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(data).digest('hex')
}

const HMAC_TEXT = /^[0-9a-f]{64}\n?$/

export type HmacVerdict = { ok: true } | { ok: false; malformed: boolean }

/** Checks a hex HMAC signature file in constant time (the comparison, not the format check, touches the key). */
export function verifyHmac(data: Uint8Array, signatureFile: Buffer, key: string): HmacVerdict {
  const text = signatureFile.toString('latin1')
  if (signatureFile.length > 65 || !HMAC_TEXT.test(text)) return { ok: false, malformed: true }
  const given = Buffer.from(text.slice(0, 64), 'hex')
  const expected = createHmac('sha256', Buffer.from(key, 'utf8')).update(data).digest()
  return timingSafeEqual(given, expected) ? { ok: true } : { ok: false, malformed: false }
}
