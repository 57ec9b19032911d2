/**
 * Signing and verifying the bundle's canonical bytes: a PEM key (Ed25519, ECDSA P-256 with
 * SHA-256, RSA PKCS#1 v1.5 with SHA-256: what `openssl pkeyutl`/`openssl dgst -sha256 -sign`
 * produce and check) or an HMAC-SHA256 shared secret. The signing and checking themselves are
 * the evidence gate's (`src/lib/signing/signature.ts`), so there is one implementation of each; this
 * module adds what a bundle needs on top: which keys we accept, the algorithm name and key id
 * written into the bundle, and a check that the key given matches both.
 *
 * Every error here is a sentence that never quotes key material: an inline key is called
 * "the inline `<input>`", a key file is named by its path.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { NotRegularFileError, TooLargeError, readRegularFile } from '../../core/files.js'
import path from 'node:path'
import { fsProblem } from '../../lib/errno.js'
import { hmacHex, signManifest, verifyHmac, verifyManifestSignature } from '../../lib/signing/signature.js'
import { keyInputSecrets, keyTextWithoutBegin, shapeOf, shownKeyValue } from '../../lib/signing/key-input.js'

export type AsymmetricAlg = 'ed25519' | 'ecdsa-p256-sha256' | 'rsa-sha256'
export type SignatureAlg = AsymmetricAlg | 'hmac-sha256'

export interface Signature {
  alg: SignatureAlg
  /** `sha256:<hex>` of the public key's DER SubjectPublicKeyInfo; absent for HMAC (nothing public to name). */
  keyId?: string
  /** base64 for public-key signatures (DER for ECDSA), lowercase hex for HMAC. */
  value: string
}

export class KeyError extends Error {}

/** Fewer bytes than this make an HMAC key guessable; RFC 2104 recommends at least the hash length (32). */
export const MIN_HMAC_KEY_BYTES = 16
const MIN_RSA_BITS = 2048

export const ALG_NAMES: Record<SignatureAlg, string> = {
  ed25519: 'Ed25519',
  'ecdsa-p256-sha256': 'ECDSA P-256 with SHA-256',
  'rsa-sha256': 'RSA with SHA-256',
  'hmac-sha256': 'HMAC-SHA256',
}

export function isInlinePem(value: string): boolean {
  return value.includes('-----BEGIN ')
}

/** The strings to mask for a key input: inline key text whole and line by line (with or without its BEGIN line); a path is not secret. */
export const pemSecrets = keyInputSecrets

const MAX_PEM_BYTES = 1024 * 1024

/** A PEM given inline or as a path (relative to `cwd`), with a label for messages. */
export async function readPem(value: string, cwd: string, input: string): Promise<{ pem: string; label: string }> {
  if (isInlinePem(value)) return { pem: value, label: `the inline \`${input}\`` }
  // Key text without its BEGIN line is not a path: saying "<key body> does not exist" would print it.
  if (shapeOf(value) === 'key-text') throw new KeyError(keyTextWithoutBegin(input))
  const file = path.resolve(cwd, value)
  const shown = shownKeyValue(value, `the file named by \`${input}\``)
  try {
    // A key file is a few KiB: a FIFO or a device named here is refused, never waited on.
    return { pem: (await readRegularFile(file, MAX_PEM_BYTES)).toString('utf8'), label: `\`${input}\` file ${value}` }
  } catch (err) {
    const why =
      err instanceof NotRegularFileError ? `is ${err.kind}` : err instanceof TooLargeError ? 'is far larger than a key' : fsProblem(err)
    throw new KeyError(`\`${input}\` is neither an inline PEM key nor a readable file: ${shown} ${why}`)
  }
}

/** Which signature algorithm a key makes, or a sentence saying why we refuse it. */
export function algOf(key: KeyObject, label: string): AsymmetricAlg {
  const d = key.asymmetricKeyDetails ?? {}
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'ed25519'
    case 'ec':
      if (d.namedCurve === 'prime256v1') return 'ecdsa-p256-sha256'
      throw new KeyError(`${label} is an EC key on curve ${d.namedCurve ?? 'unknown'}; use Ed25519, EC P-256 (prime256v1) or RSA`)
    case 'rsa':
      if ((d.modulusLength ?? 0) < MIN_RSA_BITS)
        throw new KeyError(`${label} is a ${d.modulusLength}-bit RSA key; use at least ${MIN_RSA_BITS} bits (or Ed25519, or EC P-256)`)
      return 'rsa-sha256'
    default:
      throw new KeyError(`${label} is a ${key.asymmetricKeyType ?? 'unknown'} key; use Ed25519, EC P-256 (prime256v1) or RSA`)
  }
}

export function fingerprint(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`
}

/** Why node could not read a PEM, in words that quote nothing of it. */
function pemProblem(pem: string, label: string, err: unknown, want: 'private' | 'public'): KeyError {
  const code = (err as { code?: string }).code ?? ''
  if (/OPENSSH PRIVATE KEY/.test(pem))
    return new KeyError(`${label} is in OpenSSH format; convert it to PKCS#8 PEM with \`ssh-keygen -p -m PKCS8 -f <file>\``)
  if (code === 'ERR_MISSING_PASSPHRASE' || /ENCRYPTED/.test(pem))
    return new KeyError(`${label} is encrypted with a passphrase; give an unencrypted PEM key (kept in a secret)`)
  if (want === 'private' && /-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(pem))
    return new KeyError(`${label} holds a public key or certificate; signing needs the private key`)
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(pem)) return new KeyError(`${label} is not a PEM key (no -----BEGIN ...----- line)`)
  return new KeyError(`${label} is not a ${want} key node:crypto can read${code ? ` (${code})` : ''}`)
}

export interface Signer {
  alg: SignatureAlg
  keyId?: string
  sign(data: Buffer): Signature
  /** The private key, for the DSSE envelope (absent for HMAC: nothing a third party could check). */
  key?: KeyObject
}

export function privateKeySigner(pem: string, label: string): Signer {
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch (err) {
    throw pemProblem(pem, label, err, 'private')
  }
  const alg = algOf(key, label)
  const keyId = fingerprint(createPublicKey(key))
  return { alg, keyId, key, sign: (data) => ({ alg, keyId, value: signManifest(data, key).toString('base64') }) }
}

export function hmacSigner(secret: string): Signer {
  if (Buffer.byteLength(secret, 'utf8') < MIN_HMAC_KEY_BYTES)
    throw new KeyError(
      `the HMAC key is ${Buffer.byteLength(secret, 'utf8')} bytes; use at least ${MIN_HMAC_KEY_BYTES} (32 random bytes, e.g. \`openssl rand -hex 32\`)`,
    )
  return { alg: 'hmac-sha256', sign: (data) => ({ alg: 'hmac-sha256', value: hmacHex(data, secret) }) }
}

/** A public key for verification: a public PEM, a certificate, or a private PEM (its public half). */
export function publicKeyFrom(pem: string, label: string): KeyObject {
  try {
    return createPublicKey({ key: pem, format: 'pem' })
  } catch (err) {
    throw pemProblem(pem, label, err, 'public')
  }
}

export interface VerifyMaterial {
  publicKey?: KeyObject
  publicKeyLabel?: string
  hmacKey?: string
}

/** Checks `sig` over `data`; returns the problem in a sentence, or undefined when it is valid. */
export function verifySignature(sig: Signature, data: Buffer, m: VerifyMaterial): string | undefined {
  if (sig.alg === 'hmac-sha256') {
    if (m.hmacKey === undefined) return 'the bundle is signed with HMAC-SHA256, but no HMAC key was given to check it'
    if (!/^[0-9a-f]{64}$/.test(sig.value)) return 'the HMAC-SHA256 signature is not 64 lowercase hex digits'
    // Compared in constant time, so response timing tells an attacker nothing about a forgery.
    return verifyHmac(data, Buffer.from(sig.value, 'latin1'), m.hmacKey).ok
      ? undefined
      : 'the HMAC-SHA256 signature does not match: the bundle was changed after it was signed, or the key differs'
  }
  if (!(sig.alg in ALG_NAMES)) return `the signature algorithm ${JSON.stringify(sig.alg)} is not one we know`
  if (!m.publicKey)
    return `the bundle is signed with ${ALG_NAMES[sig.alg]} (key ${sig.keyId ?? 'unnamed'}), but no public key was given to check it`
  const label = m.publicKeyLabel ?? 'the public key'
  let alg: AsymmetricAlg
  try {
    alg = algOf(m.publicKey, label)
  } catch (err) {
    return (err as Error).message
  }
  if (alg !== sig.alg) return `the bundle is signed with ${ALG_NAMES[sig.alg]}, but ${label} is a key for ${ALG_NAMES[alg]}`
  const given = fingerprint(m.publicKey)
  if (sig.keyId !== undefined && sig.keyId !== given) return `the bundle was signed by key ${sig.keyId}, but ${label} is key ${given}`
  // Canonical base64 only: otherwise the unused low bits of the last character could change unnoticed.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sig.value) || Buffer.from(sig.value, 'base64').toString('base64') !== sig.value)
    return 'the signature is not canonical base64: it was damaged or edited'
  return verifyManifestSignature(data, Buffer.from(sig.value, 'base64'), m.publicKey)
    ? undefined
    : `the ${ALG_NAMES[alg]} signature does not match: the bundle was changed after it was signed`
}
