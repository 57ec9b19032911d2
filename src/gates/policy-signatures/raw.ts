/**
 * Detached signatures made with a PEM key, binary or base64 (what `openssl dgst -sha256|-sha384|-sha512
 * -sign`, `openssl pkeyutl -sign -rawin` and `cosign sign-blob --key` write):
 *
 * - ECDSA: a DER `SEQUENCE { INTEGER r, INTEGER s }` over SHA-256, SHA-384 or SHA-512. Base64 of
 *   this with a P-256 key over SHA-256 is exactly a cosign key-based blob signature, and is labelled so.
 * - Ed25519: 64 bytes, pure EdDSA over the file.
 * - RSA: modulus-sized, PKCS#1 v1.5 or PSS (any salt length) over SHA-256, SHA-384 or SHA-512.
 *
 * Such a signature does not name its key, so every configured key of a fitting kind is tried; the
 * hash is found as src/lib/signing/detached.ts explains, and a refused hash is `unsupported`, never
 * a change after signing.
 */
import { SignatureFormatError, decodeBase64, type Verdict } from '../../lib/signing/common.js'
import { SUPPORTED_HASHES_TEXT, checkDetached } from '../../lib/signing/detached.js'
import type { PemKey } from './keys.js'

/** True when `b` is exactly a DER SEQUENCE of two positive INTEGERs (an ECDSA signature). */
export function isDerEcdsa(b: Buffer): boolean {
  let p = 0
  const len = (): number => {
    if (p >= b.length) return -1
    const first = b[p++]
    if (first < 0x80) return first
    if (first !== 0x81) return -1 // ECDSA signatures are at most ~139 bytes: one length byte at most
    if (p >= b.length) return -1
    const v = b[p++]
    return v < 0x80 ? -1 : v
  }
  if (b[p++] !== 0x30) return false
  const seq = len()
  if (seq < 0 || p + seq !== b.length) return false
  for (let i = 0; i < 2; i++) {
    if (b[p++] !== 0x02) return false
    const n = len()
    if (n <= 0 || p + n > b.length) return false
    if (b[p] & 0x80) return false // negative
    if (n > 1 && b[p] === 0 && !(b[p + 1] & 0x80)) return false // non-minimal
    p += n
  }
  return p === b.length
}

export interface RawSignature {
  encoding: 'binary' | 'base64'
  bytes: Buffer
  /** The shape it has, which decides the keys it can belong to. */
  shape: 'ecdsa-der' | 'ed25519' | 'rsa'
}

/**
 * Recognises a raw signature by its shape given the configured keys (an RSA signature is only
 * recognisable by having some configured key's modulus size). Throws `unknown-format` otherwise.
 */
export function parseRawSignature(file: Buffer, keys: readonly PemKey[]): RawSignature {
  const text = file.toString('latin1')
  // Text that is all base64 is base64; 64+ random bytes essentially never are.
  const decoded = /^[A-Za-z0-9+/=\s]+$/.test(text) ? decodeBase64(text) : undefined
  const candidates: RawSignature[] = []
  for (const [encoding, bytes] of [
    ['base64', decoded],
    ['binary', file],
  ] as const) {
    if (!bytes) continue
    if (isDerEcdsa(bytes)) candidates.push({ encoding, bytes, shape: 'ecdsa-der' })
    else if (bytes.length === 64) candidates.push({ encoding, bytes, shape: 'ed25519' })
    else if (keys.some((k) => k.kind === 'rsa' && k.modulusBytes === bytes.length)) candidates.push({ encoding, bytes, shape: 'rsa' })
  }
  if (candidates.length === 0) {
    throw new SignatureFormatError(
      `its ${file.length} bytes are neither an SSH SIGNATURE armor, a minisign signature, a Sigstore bundle, a DER ECDSA signature, a 64-byte Ed25519 signature, nor an RSA signature the size of a configured RSA key (binary or base64)`,
      'unknown-format',
    )
  }
  return candidates[0]
}

const KIND = { 'ecdsa-der': 'ec', ed25519: 'ed25519', rsa: 'rsa' } as const
const SHAPE_LABEL = { 'ecdsa-der': 'ECDSA', ed25519: 'Ed25519', rsa: 'RSA' } as const

export function verifyRaw(sig: RawSignature, message: Buffer, keys: readonly PemKey[]): Verdict {
  const kind = KIND[sig.shape]
  const fitting = keys.filter((k) => k.kind === kind && (sig.shape !== 'rsa' || k.modulusBytes === sig.bytes.length))
  const generic = `raw ${SHAPE_LABEL[sig.shape]} signature (${sig.encoding})`
  if (fitting.length === 0) {
    return {
      ok: false,
      format: generic,
      reason: 'untrusted',
      text: `The file carries a ${generic}, but \`public-keys\` holds no ${SHAPE_LABEL[sig.shape]} key${sig.shape === 'rsa' ? ` of ${sig.bytes.length * 8} bits` : ''} to verify it with.`,
    }
  }
  let mismatch: { key: PemKey; scheme: string } | undefined
  let refused: { key: PemKey; scheme: string } | undefined
  for (const key of fitting) {
    const r = checkDetached(key.key, message, sig.bytes)
    if (r.ok) {
      const cosign = sig.shape === 'ecdsa-der' && sig.encoding === 'base64' && key.curve === 'P-256' && r.scheme === 'ECDSA SHA-256'
      const format = cosign ? 'cosign blob signature (ECDSA P-256, SHA-256)' : `raw ${key.label} signature, ${r.scheme} (${sig.encoding})`
      return { ok: true, format, key: key.fingerprint, text: `Signed by ${key.label} key ${key.fingerprint} (${key.source}).` }
    }
    if (r.why === 'mismatch') mismatch ??= { key, scheme: r.scheme }
    if (r.why === 'unsupported') refused ??= { key, scheme: r.scheme }
  }
  if (refused) {
    const { key, scheme } = refused
    return {
      ok: false,
      format: `raw ${key.label} signature, ${scheme} (${sig.encoding})`,
      reason: 'unsupported',
      key: key.fingerprint,
      text: `The ${generic} was made by ${key.label} key ${key.fingerprint} with ${scheme}, which this gate does not accept.`,
    }
  }
  if (mismatch) {
    const { key, scheme } = mismatch
    return {
      ok: false,
      format: `raw ${key.label} signature, ${scheme} (${sig.encoding})`,
      reason: 'invalid',
      key: key.fingerprint,
      text: `The ${generic} is a ${scheme} signature by ${key.label} key ${key.fingerprint}, but over other content: the file changed after signing (or the signature belongs to another file).`,
    }
  }
  return {
    ok: false,
    format: generic,
    reason: 'invalid',
    text: `The ${generic} verifies with none of the ${fitting.length} configured ${SHAPE_LABEL[sig.shape]} key${fitting.length === 1 ? '' : 's'}${sig.shape === 'ed25519' ? '' : ` (over ${SUPPORTED_HASHES_TEXT})`}: the file or the signature changed after signing, or it was signed by a key not in \`public-keys\`.`,
  }
}
