/**
 * minisign (https://jedisct1.github.io/minisign/): Ed25519 over the file (`Ed`, legacy) or over its
 * BLAKE2b-512 hash (`ED`, prehashed: the default since minisign 0.10). A `.minisig` file is
 *
 *     untrusted comment: <text>
 *     base64( "Ed"|"ED" || key id (8 bytes) || signature (64 bytes) )
 *     trusted comment: <text>
 *     base64( global signature (64 bytes) = Ed25519(signature || trusted comment) )
 *
 * and a public key `untrusted comment: ...` then base64( "Ed" || key id || Ed25519 key (32 bytes) ).
 * Both signatures must verify, with a trusted key of the same key id.
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { SignatureFormatError, decodeBase64, fingerprint, printable, tryVerify, type Verdict } from '../../lib/signing/common.js'

export interface MinisignKey {
  /** Key id as minisign prints it (`%PRIX64` of the little-endian id: up to 16 hex digits). */
  keyId: string
  /** The raw 8 id bytes, compared against signatures. */
  idBytes: Buffer
  key: KeyObject
  /** `SHA256:` of the Ed25519 key's SPKI DER, like every PEM key in the report. */
  fingerprint: string
}

export interface MinisignSig {
  prehashed: boolean
  idBytes: Buffer
  signature: Buffer
  trustedComment: Buffer
  globalSignature: Buffer
}

/** The id as minisign prints it: the 8 bytes read as a little-endian 64-bit number, in hex without leading zeros. */
export function minisignKeyId(idBytes: Buffer): string {
  return idBytes.readBigUInt64LE(0).toString(16).toUpperCase()
}

/** The base64 line of a minisign public key (`RW...`, 56 characters). */
export function parseMinisignPublicKey(b64: string): MinisignKey {
  const raw = decodeBase64(b64)
  if (!raw || raw.length !== 42) throw new SignatureFormatError('a minisign public key is 42 bytes of base64 (56 characters starting RW)')
  if (raw.subarray(0, 2).toString('latin1') !== 'Ed')
    throw new SignatureFormatError('the minisign public key is not an Ed25519 key ("Ed")', 'unsupported')
  const idBytes = Buffer.from(raw.subarray(2, 10))
  let key: KeyObject
  try {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(10).toString('base64url') }, format: 'jwk' })
  } catch {
    throw new SignatureFormatError('the minisign public key is not a valid Ed25519 key')
  }
  return { keyId: minisignKeyId(idBytes), idBytes, key, fingerprint: fingerprint(key.export({ type: 'spki', format: 'der' })) }
}

/** Strict reading of a `.minisig`: four lines in order (CRLF tolerated, nothing else). */
export function parseMinisignSig(text: string): MinisignSig {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n')
  if (!lines[0]?.startsWith('untrusted comment:'))
    throw new SignatureFormatError('it does not start with "untrusted comment:"', 'unknown-format')
  if (lines.length !== 4) throw new SignatureFormatError(`a minisign signature has 4 lines, this one has ${lines.length}`)
  const sig = decodeBase64(lines[1])
  if (!sig || sig.length !== 74) throw new SignatureFormatError('the minisign signature line is not 74 bytes of base64')
  const alg = sig.subarray(0, 2).toString('latin1')
  if (alg !== 'Ed' && alg !== 'ED')
    throw new SignatureFormatError(`the minisign signature algorithm ${JSON.stringify(printable(alg))} is neither Ed nor ED`, 'unsupported')
  const TRUSTED = 'trusted comment: '
  if (!lines[2].startsWith(TRUSTED)) throw new SignatureFormatError('the third line does not start with "trusted comment: "')
  const global = decodeBase64(lines[3])
  if (!global || global.length !== 64) throw new SignatureFormatError('the trusted-comment signature is not 64 bytes of base64')
  return {
    prehashed: alg === 'ED',
    idBytes: Buffer.from(sig.subarray(2, 10)),
    signature: Buffer.from(sig.subarray(10)),
    trustedComment: Buffer.from(lines[2].slice(TRUSTED.length), 'utf8'),
    globalSignature: global,
  }
}

export function verifyMinisign(sig: MinisignSig, message: Buffer, keys: readonly MinisignKey[]): Verdict {
  const format = sig.prehashed ? 'minisign (prehashed, BLAKE2b-512)' : 'minisign (legacy, not prehashed)'
  const id = minisignKeyId(sig.idBytes)
  const key = keys.find((k) => k.idBytes.equals(sig.idBytes))
  if (!key) {
    const have =
      keys.length === 0
        ? 'no minisign key is configured in `public-keys`'
        : `the configured minisign keys are ${keys.map((k) => k.keyId).join(', ')}`
    return {
      ok: false,
      format,
      reason: 'untrusted',
      signer: `minisign key ${id}`,
      text: `The minisign signature was made by key id ${id}, but ${have}.`,
    }
  }
  const signed = sig.prehashed ? createHash('blake2b512').update(message).digest() : message
  if (!tryVerify(() => cryptoVerify(null, signed, key.key, sig.signature))) {
    return {
      ok: false,
      format,
      reason: 'invalid',
      key: key.fingerprint,
      signer: `minisign key ${id}`,
      text: `The minisign signature by key ${id} does not match the file's contents: the file or the signature changed after signing.`,
    }
  }
  const comment = Buffer.concat([sig.signature, sig.trustedComment])
  if (!tryVerify(() => cryptoVerify(null, comment, key.key, sig.globalSignature))) {
    return {
      ok: false,
      format,
      reason: 'invalid',
      key: key.fingerprint,
      signer: `minisign key ${id}`,
      text: `The file's minisign signature by key ${id} is valid, but the trusted comment's signature is not: the trusted comment was altered.`,
    }
  }
  const tc = printable(sig.trustedComment.toString('utf8'))
  return {
    ok: true,
    format,
    key: key.fingerprint,
    signer: `minisign key ${id}`,
    text: `Signed by minisign key ${id} (${key.fingerprint}); trusted comment "${tc}".`,
  }
}
