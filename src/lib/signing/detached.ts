/**
 * The one check of a detached signature made with a PEM key over a file's bytes, shared by the
 * policy-signatures gate (raw `.sig` files) and the evidence gate (the manifest's signature):
 *
 * - EdDSA (Ed25519, Ed448): over the bytes themselves.
 * - ECDSA (DER): over SHA-256, SHA-384 or SHA-512, whichever verifies. The hash is not recorded
 *   in an ECDSA signature, so each supported one is tried; when none verifies, the hashes we refuse
 *   are tried too, only to say "made with SHA-1, which is refused" rather than "the file changed".
 * - RSA: the signature is opened with the public key (one modular exponentiation), which shows
 *   what the signer wrote: a PKCS#1 v1.5 DigestInfo names its hash outright; a PSS encoding
 *   reveals the hash that unmasks it. The named hash then decides: a supported one is verified
 *   (a mismatch is then certainly a change after signing, since the key holder made the encoding),
 *   another one is refused as unsupported.
 *
 * node:crypto (OpenSSL) makes every accept decision; our own parsing only classifies failures.
 */
import { constants, createHash, publicDecrypt, verify, type KeyObject } from 'node:crypto'
import { tryVerify } from './common.js'

export const SUPPORTED_HASHES = ['sha256', 'sha384', 'sha512'] as const
export type SupportedHash = (typeof SUPPORTED_HASHES)[number]
export const SUPPORTED_HASHES_TEXT = 'SHA-256, SHA-384 or SHA-512'

/** Hashes still seen in the wild that we refuse; tried only to explain a refusal. */
const REFUSED_HASHES = ['sha1', 'sha224', 'sha512-224', 'sha512-256', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'md5'] as const

/** `SHA-256`, `SHA3-256`, `SHA-512/256`, `SHA-1`, `MD5`. */
export function hashLabel(hash: string): string {
  if (hash === 'unknown') return 'an unknown hash'
  if (hash.startsWith('sha3-')) return `SHA3-${hash.slice(5)}`
  const m = /^sha(\d+)(?:-(\d+))?$/.exec(hash)
  if (!m) return hash.toUpperCase()
  return `SHA-${m[1]}${m[2] ? `/${m[2]}` : ''}`
}

export type DetachedCheck =
  /** Verified: `EdDSA`, `ECDSA SHA-384`, `PKCS#1 v1.5 SHA-512`, `PSS SHA-256`. */
  | { ok: true; scheme: string }
  /** Not a signature this key made (another key, damaged bytes), or a change we cannot tell apart from that. */
  | { ok: false; why: 'no-match' }
  /** A well-formed signature by this key over other bytes: the signed content changed after signing. */
  | { ok: false; why: 'mismatch'; scheme: string }
  /** Made with a hash or scheme we refuse; `scheme` names it. */
  | { ok: false; why: 'unsupported'; scheme: string }

export interface DetachedOptions {
  /** The hashes accepted (default all of SUPPORTED_HASHES); a narrower list is for formats that fix the hash. */
  hashes?: readonly SupportedHash[]
}

export function checkDetached(key: KeyObject, message: Uint8Array, signature: Buffer, opts: DetachedOptions = {}): DetachedCheck {
  const hashes = opts.hashes ?? SUPPORTED_HASHES
  switch (key.asymmetricKeyType) {
    case 'ed25519':
    case 'ed448':
      return tryVerify(() => verify(null, message, key, signature)) ? { ok: true, scheme: 'EdDSA' } : { ok: false, why: 'no-match' }
    case 'ec':
      return checkEcdsa(key, message, signature, hashes)
    case 'rsa':
    case 'rsa-pss':
      return checkRsa(key, message, signature, hashes)
    default:
      return { ok: false, why: 'unsupported', scheme: `a ${key.asymmetricKeyType ?? 'unknown'} key` }
  }
}

function checkEcdsa(key: KeyObject, message: Uint8Array, signature: Buffer, hashes: readonly string[]): DetachedCheck {
  const ecdsa = (hash: string) => tryVerify(() => verify(hash, message, { key, dsaEncoding: 'der' }, signature))
  for (const hash of hashes) if (ecdsa(hash)) return { ok: true, scheme: `ECDSA ${hashLabel(hash)}` }
  const refused = [...SUPPORTED_HASHES.filter((h) => !hashes.includes(h)), ...REFUSED_HASHES].find(ecdsa)
  return refused ? { ok: false, why: 'unsupported', scheme: `ECDSA ${hashLabel(refused)}` } : { ok: false, why: 'no-match' }
}

// ---------------------------------------------------------------------------------------------
// RSA

/** DER of the DigestInfo AlgorithmIdentifier OIDs (RFC 8017 §9.2 note 1, NIST hash OIDs). */
const DIGEST_OIDS: Record<string, string> = {
  '2a864886f70d0202': 'md2',
  '2a864886f70d0205': 'md5',
  '2b0e03021a': 'sha1',
  '608648016503040204': 'sha224',
  '608648016503040201': 'sha256',
  '608648016503040202': 'sha384',
  '608648016503040203': 'sha512',
  '608648016503040205': 'sha512-224',
  '608648016503040206': 'sha512-256',
  '608648016503040207': 'sha3-224',
  '608648016503040208': 'sha3-256',
  '608648016503040209': 'sha3-384',
  '60864801650304020a': 'sha3-512',
}

/** The hashes whose PSS mask we try to unmask, in the order a tie is least likely to matter. */
const PSS_HASHES = ['sha256', 'sha384', 'sha512', 'sha1', 'sha224'] as const

function checkRsa(key: KeyObject, message: Uint8Array, signature: Buffer, hashes: readonly SupportedHash[]): DetachedCheck {
  const pssOnly = key.asymmetricKeyType === 'rsa-pss'
  const pkcs1 = (hash: string) =>
    !pssOnly && tryVerify(() => verify(hash, message, { key, padding: constants.RSA_PKCS1_PADDING }, signature))
  const pss = (hash: string) =>
    tryVerify(() =>
      verify(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature),
    )
  const em = openRsa(key, signature)
  if (!em) {
    // The key cannot open signatures (some RSA-PSS keys): try every accepted hash instead.
    for (const hash of hashes) {
      if (pkcs1(hash)) return { ok: true, scheme: `PKCS#1 v1.5 ${hashLabel(hash)}` }
      if (pss(hash)) return { ok: true, scheme: `PSS ${hashLabel(hash)}` }
    }
    return { ok: false, why: 'no-match' }
  }
  const digestHash = pkcs1DigestHash(em)
  if (digestHash !== undefined) {
    const scheme = `PKCS#1 v1.5 ${hashLabel(digestHash)}`
    if (pssOnly) return { ok: false, why: 'unsupported', scheme: `${scheme} from an RSA-PSS key` }
    if (!(hashes as readonly string[]).includes(digestHash)) return { ok: false, why: 'unsupported', scheme }
    return pkcs1(digestHash) ? { ok: true, scheme } : { ok: false, why: 'mismatch', scheme }
  }
  const modulusBits = key.asymmetricKeyDetails?.modulusLength ?? em.length * 8
  const runs = PSS_HASHES.map((h) => [h, pssZeroRun(em, modulusBits, h)] as const).filter(([, run]) => run >= 0)
  // A wrong hash unmasks random bytes: a leading 01 by chance (1 in 128), a run of 8 zero bytes
  // before it practically never. The usual salt (the digest's length) leaves a long run: trust it.
  const long = runs.filter(([, run]) => run >= 8)
  const unmasked = (long.length ? long : runs).map(([h]) => h)
  for (const hash of unmasked)
    if ((hashes as readonly string[]).includes(hash) && pss(hash)) return { ok: true, scheme: `PSS ${hashLabel(hash)}` }
  // One hash unmasks the encoding: the signer used it. Several (a chance of about 1 in 128 each when
  // the salt fills the block): we cannot tell which, so we claim nothing.
  if (unmasked.length !== 1) return { ok: false, why: 'no-match' }
  const scheme = `PSS ${hashLabel(unmasked[0])}`
  return (hashes as readonly string[]).includes(unmasked[0])
    ? { ok: false, why: 'mismatch', scheme }
    : { ok: false, why: 'unsupported', scheme }
}

/** s^e mod n: the encoded message the signer padded, or undefined when the bytes are no RSA signature for this key. */
function openRsa(key: KeyObject, signature: Buffer): Buffer | undefined {
  const bytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8)
  if (bytes === 0 || signature.length !== bytes) return undefined
  try {
    return publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature)
  } catch {
    return undefined
  }
}

/** The hash a PKCS#1 v1.5 encoding `00 01 FF…FF 00 DigestInfo` names (`unknown` for an OID we do not know), or undefined when it is not one. */
function pkcs1DigestHash(em: Buffer): string | undefined {
  if (em[0] !== 0 || em[1] !== 1) return undefined
  let i = 2
  while (i < em.length && em[i] === 0xff) i++
  if (i - 2 < 8 || em[i] !== 0) return undefined
  const t = em.subarray(i + 1)
  // SEQUENCE { SEQUENCE { OID, [NULL] }, OCTET STRING }: every length short-form for digests up to 512 bits.
  if (t[0] !== 0x30 || t[1] !== t.length - 2 || t[2] !== 0x30 || t[4] !== 0x06) return undefined
  const oid = t.subarray(6, 6 + t[5]).toString('hex')
  return DIGEST_OIDS[oid] ?? 'unknown'
}

function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const blocks: Buffer[] = []
  let have = 0
  for (let counter = 0; have < length; counter++) {
    const c = Buffer.alloc(4)
    c.writeUInt32BE(counter)
    const block = createHash(hash).update(seed).update(c).digest()
    blocks.push(block)
    have += block.length
  }
  return Buffer.concat(blocks).subarray(0, length)
}

/**
 * When `hash` unmasks `em` into an EMSA-PSS data block `00…00 01 salt` ending in 0xbc (RFC 8017
 * §9.1.2): the number of zero bytes before the 01; -1 when it does not.
 */
function pssZeroRun(em: Buffer, modulusBits: number, hash: string): number {
  const hLen = createHash(hash).digest().length
  const emBits = modulusBits - 1
  const emLen = Math.ceil(emBits / 8)
  if (em.length - emLen > 0 && em.subarray(0, em.length - emLen).some((b) => b !== 0)) return -1
  const e = em.subarray(em.length - emLen)
  if (emLen < hLen + 2 || e[emLen - 1] !== 0xbc) return -1
  const topMask = 0xff >> (8 * emLen - emBits)
  if ((e[0] & ~topMask) !== 0) return -1
  const dbLen = emLen - hLen - 1
  const h = e.subarray(dbLen, dbLen + hLen)
  const db = Buffer.from(e.subarray(0, dbLen))
  const mask = mgf1(h, dbLen, hash)
  for (let i = 0; i < dbLen; i++) db[i] ^= mask[i]
  db[0] &= topMask
  let i = 0
  while (i < dbLen && db[i] === 0) i++
  return i < dbLen && db[i] === 0x01 ? i : -1
}
