/**
 * OpenSSH signatures (`ssh-keygen -Y sign`), PROTOCOL.sshsig:
 *
 *     -----BEGIN SSH SIGNATURE-----  base64 of:
 *     "SSHSIG" uint32 version=1, string publickey, string namespace, string reserved,
 *     string hash_algorithm ("sha256"|"sha512"), string signature
 *
 * The signature covers "SSHSIG" || string namespace || string reserved || string hash_algorithm ||
 * string H(message). We verify it as `ssh-keygen -Y verify` does against an allowed_signers file:
 * the cryptography, the signature's namespace, a line holding the signing key, and that line's
 * `namespaces=`, `valid-after` and `valid-before` (at ctx.now()).
 */
import { createHash, verify as cryptoVerify, constants } from 'node:crypto'
import { signerRefusal, type AllowedSigner } from './allowed-signers.js'
import { SignatureFormatError, decodeBase64, fingerprint, printable, tryVerify, type Verdict } from '../../lib/signing/common.js'
import { SSH_CURVES, SshReader, parseSshPublicKey, sshString, type SshPublicKey } from './ssh-wire.js'

export const SSHSIG_BEGIN = '-----BEGIN SSH SIGNATURE-----'
export const SSHSIG_END = '-----END SSH SIGNATURE-----'
const MAGIC = Buffer.from('SSHSIG')

export interface SshSig {
  /** The signer's public key blob as embedded in the signature. */
  publicKey: Buffer
  namespace: string
  reserved: Buffer
  hashAlgorithm: 'sha256' | 'sha512'
  /** `ssh-ed25519`, `rsa-sha2-512`, `ecdsa-sha2-nistp256`, ... */
  signatureType: string
  /** The signature proper, inside its algorithm-specific wrapping. */
  signature: Buffer
}

/** Parses an armored SSHSIG; throws SignatureFormatError for anything else. */
export function parseSshSig(text: string): SshSig {
  const t = text.trim()
  if (!t.startsWith(SSHSIG_BEGIN)) throw new SignatureFormatError('it does not start with the SSH SIGNATURE armor', 'unknown-format')
  const end = t.indexOf(SSHSIG_END)
  if (end < 0) throw new SignatureFormatError('the SSH SIGNATURE armor has no END line')
  if (t.slice(end + SSHSIG_END.length).trim() !== '') throw new SignatureFormatError('there is text after the SSH SIGNATURE armor')
  const blob = decodeBase64(t.slice(SSHSIG_BEGIN.length, end))
  if (!blob) throw new SignatureFormatError('the SSH SIGNATURE armor does not hold valid base64')
  const r = new SshReader(blob, 'SSHSIG blob')
  if (!r.raw(MAGIC.length).equals(MAGIC)) throw new SignatureFormatError('the SSHSIG blob lacks the SSHSIG magic')
  const version = r.u32()
  if (version !== 1) throw new SignatureFormatError(`the SSHSIG blob has version ${version}; only version 1 exists`, 'unsupported')
  const publicKey = r.bytes()
  const namespace = r.text()
  const reserved = r.bytes()
  const hashAlgorithm = r.text()
  const sig = r.bytes()
  r.end()
  if (hashAlgorithm !== 'sha256' && hashAlgorithm !== 'sha512') {
    throw new SignatureFormatError(
      `the SSHSIG hash algorithm ${JSON.stringify(printable(hashAlgorithm, 20))} is not sha256 or sha512`,
      'unsupported',
    )
  }
  const s = new SshReader(sig, 'SSHSIG signature')
  const signatureType = s.text()
  const signature = s.bytes()
  if (/^(?:webauthn-)?sk-/.test(signatureType)) {
    // PROTOCOL.u2f: a security key's signature carries its flags and counter (and, for webauthn,
    // origin, clientData and extensions) after the signature proper. Read past them, so the
    // signature is refused for its key type, not for its shape.
    s.raw(1)
    s.u32()
    if (signatureType.startsWith('webauthn-')) for (let i = 0; i < 3; i++) s.bytes()
  }
  s.end()
  return { publicKey, namespace, reserved, hashAlgorithm, signatureType, signature }
}

/** The bytes the signer signed. */
function signedData(sig: SshSig, message: Buffer): Buffer {
  const digest = createHash(sig.hashAlgorithm).update(message).digest()
  return Buffer.concat([MAGIC, sshString(sig.namespace), sshString(sig.reserved), sshString(sig.hashAlgorithm), sshString(digest)])
}

/** An SSH ECDSA signature (mpint r, mpint s) as fixed-width r||s for node:crypto's ieee-p1363 encoding. */
function ecdsaP1363(wrapped: Buffer, size: number): Buffer {
  const r = new SshReader(wrapped, 'ECDSA signature')
  const parts = [r.mpint(), r.mpint()]
  r.end()
  return Buffer.concat(
    parts.map((p) => {
      if (p.length > size) throw new SignatureFormatError('the ECDSA signature has an integer too large for its curve')
      return Buffer.concat([Buffer.alloc(size - p.length), p])
    }),
  )
}

/** Checks the signature with the embedded key; throws SignatureFormatError for a refused algorithm. */
export function verifySshSigCrypto(sig: SshSig, key: SshPublicKey, message: Buffer): boolean {
  const data = signedData(sig, message)
  if (key.type === 'ssh-ed25519') {
    if (sig.signatureType !== 'ssh-ed25519')
      throw new SignatureFormatError(`an Ed25519 key cannot make a ${printable(sig.signatureType, 40)} signature`)
    return tryVerify(() => cryptoVerify(null, data, key.key, sig.signature))
  }
  if (key.curve) {
    if (sig.signatureType !== key.type)
      throw new SignatureFormatError(`a ${key.type} key cannot make a ${printable(sig.signatureType, 40)} signature`)
    const c = SSH_CURVES[key.curve]
    const p1363 = ecdsaP1363(sig.signature, c.size)
    return tryVerify(() => cryptoVerify(c.hash, data, { key: key.key, dsaEncoding: 'ieee-p1363' }, p1363))
  }
  if (key.type === 'ssh-rsa') {
    const hash = sig.signatureType === 'rsa-sha2-256' ? 'sha256' : sig.signatureType === 'rsa-sha2-512' ? 'sha512' : undefined
    if (!hash) {
      throw new SignatureFormatError(
        `the RSA signature uses ${printable(sig.signatureType, 40)}; only rsa-sha2-256 and rsa-sha2-512 are accepted (ssh-rsa means SHA-1)`,
        'unsupported',
      )
    }
    const size = key.modulusBytes ?? 0
    if (sig.signature.length > size) return false
    // OpenSSH accepts a signature shorter than the modulus and pads it on the left; so do we.
    const padded = Buffer.concat([Buffer.alloc(size - sig.signature.length), sig.signature])
    return tryVerify(() => cryptoVerify(hash, data, { key: key.key, padding: constants.RSA_PKCS1_PADDING }, padded))
  }
  throw new SignatureFormatError(`the key type ${key.type} is not supported`, 'unsupported')
}

/** `ssh-keygen -Y verify` against allowed_signers, for any principal that holds the key. */
export function verifySshSig(
  sig: SshSig,
  message: Buffer,
  signers: readonly AllowedSigner[] | undefined,
  namespace: string,
  now: Date,
): Verdict {
  const base = `SSHSIG`
  // Lines listing this exact key; their already-parsed key saves re-importing it per file.
  const lines = signers?.filter((s) => s.blob.equals(sig.publicKey)) ?? []
  let key: SshPublicKey
  try {
    key = lines.find((l) => l.key)?.key ?? parseSshPublicKey(sig.publicKey, 'signing key in the SSHSIG')
  } catch (err) {
    const e = err as SignatureFormatError
    return {
      ok: false,
      format: base,
      reason: e.reason === 'unsupported' ? 'unsupported' : 'invalid',
      key: fingerprint(sig.publicKey),
      text: `The SSH signature cannot be used: ${e.message}.`,
      ...(e.advice ? { advice: e.advice } : {}),
    }
  }
  const format = `SSHSIG ${sig.signatureType === 'ssh-ed25519' ? 'ssh-ed25519' : sig.signatureType} (${key.label}, ${sig.hashAlgorithm})`
  const fp = key.fingerprint
  let good: boolean
  try {
    good = verifySshSigCrypto(sig, key, message)
  } catch (err) {
    const e = err as SignatureFormatError
    return {
      ok: false,
      format,
      reason: e.reason === 'unsupported' ? 'unsupported' : 'invalid',
      key: fp,
      text: `The SSH signature cannot be used: ${e.message}.`,
    }
  }
  if (!good) {
    return {
      ok: false,
      format,
      reason: 'invalid',
      key: fp,
      text: `The SSH signature by ${key.label} key ${fp} does not match the file's contents: the file or the signature changed after signing.`,
    }
  }
  if (sig.namespace !== namespace) {
    return {
      ok: false,
      format,
      reason: 'namespace',
      key: fp,
      text: `The SSH signature was made for the namespace "${printable(sig.namespace)}", but \`namespace\` is "${printable(namespace)}" (ssh-keygen -Y sign -n ${printable(namespace)}).`,
    }
  }
  if (!signers) {
    return {
      ok: false,
      format,
      reason: 'untrusted',
      key: fp,
      text: `The file carries an SSH signature by ${key.label} key ${fp}, but no \`allowed-signers\` file is loaded to trust SSH keys (give one, or fix the allowed-signers check).`,
    }
  }
  if (lines.length === 0) {
    return {
      ok: false,
      format,
      reason: 'untrusted',
      key: fp,
      text: `The SSH signature is valid but made by ${key.label} key ${fp}, which no line of allowed_signers lists.`,
    }
  }
  const refusals = []
  for (const line of lines) {
    const refusal = signerRefusal(line, namespace, now)
    if (!refusal)
      return {
        ok: true,
        format,
        key: fp,
        signer: line.principals,
        text: `Signed by ${printable(line.principals)} (${key.label} key ${fp}, allowed_signers line ${line.line}).`,
      }
    refusals.push(refusal)
  }
  const first = refusals[0]
  return {
    ok: false,
    format,
    reason: first.reason,
    key: fp,
    signer: lines[0].principals,
    text: `The SSH signature is valid, but ${refusals.map((r) => r.text).join('; ')}.`,
  }
}
