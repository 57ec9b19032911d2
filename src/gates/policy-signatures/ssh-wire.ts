/**
 * The SSH wire encoding (RFC 4251 §5: uint32, string, mpint) that SSHSIG blobs and OpenSSH public
 * keys are written in, and the conversion of OpenSSH public keys to node:crypto KeyObjects (via JWK,
 * which takes the raw coordinates and integers the wire format carries).
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import { SignatureFormatError, fingerprint } from '../../lib/signing/common.js'

/** Reads SSH wire fields from a buffer; every overrun is a SignatureFormatError naming `what`. */
export class SshReader {
  private pos = 0

  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
  ) {}

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new SignatureFormatError(`the ${this.what} is truncated`)
  }

  raw(n: number): Buffer {
    this.need(n)
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  u32(): number {
    this.need(4)
    const v = this.buf.readUInt32BE(this.pos)
    this.pos += 4
    return v
  }

  /** A length-prefixed byte string. */
  bytes(): Buffer {
    return this.raw(this.u32())
  }

  /** A length-prefixed string of printable ASCII (algorithm names, namespaces). */
  text(): string {
    const b = this.bytes()
    if (/[^\x20-\x7e]/.test(b.toString('latin1')))
      throw new SignatureFormatError(`the ${this.what} holds a name that is not printable ASCII`)
    return b.toString('latin1')
  }

  /** A non-negative mpint, returned as its magnitude without leading zero bytes. */
  mpint(): Buffer {
    const b = this.bytes()
    if (b.length > 0 && b[0] & 0x80) throw new SignatureFormatError(`the ${this.what} holds a negative integer`)
    let i = 0
    while (i < b.length && b[i] === 0) i++
    return b.subarray(i)
  }

  get done(): boolean {
    return this.pos === this.buf.length
  }

  /** Trailing bytes mean the blob is not what it claims to be. */
  end(): void {
    if (!this.done) throw new SignatureFormatError(`the ${this.what} has ${this.buf.length - this.pos} unexpected trailing bytes`)
  }
}

/** A length-prefixed SSH string. */
export function sshString(value: Buffer | string): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value, 'latin1') : value
  const len = Buffer.alloc(4)
  len.writeUInt32BE(body.length)
  return Buffer.concat([len, body])
}

const b64url = (b: Buffer) => b.toString('base64url')

/** The curves OpenSSH signs with: name in the key type, JWK curve, coordinate size, and hash. */
export const SSH_CURVES = {
  nistp256: { crv: 'P-256', size: 32, hash: 'sha256', label: 'ECDSA P-256' },
  nistp384: { crv: 'P-384', size: 48, hash: 'sha384', label: 'ECDSA P-384' },
  nistp521: { crv: 'P-521', size: 66, hash: 'sha512', label: 'ECDSA P-521' },
} as const
export type SshCurve = keyof typeof SSH_CURVES

/** RSA keys below this size are refused everywhere in this gate. */
export const MIN_RSA_BITS = 2048

export interface SshPublicKey {
  /** `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ... */
  type: string
  /** The wire blob, as in authorized_keys/allowed_signers after base64 decoding. */
  blob: Buffer
  key: KeyObject
  /** `SHA256:...` exactly as `ssh-keygen -l` prints it. */
  fingerprint: string
  /** `ED25519`, `ECDSA P-256`, `RSA 3072`. */
  label: string
  curve?: SshCurve
  /** RSA modulus length in bytes. */
  modulusBytes?: number
}

function importJwk(jwk: Record<string, string>, what: string): KeyObject {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' })
  } catch {
    throw new SignatureFormatError(`the ${what} is not a valid public key`)
  }
}

/** Parses an OpenSSH public key blob; certificates and security-key types are refused by name. */
export function parseSshPublicKey(blob: Buffer, what = 'SSH public key'): SshPublicKey {
  const r = new SshReader(blob, what)
  const type = r.text()
  const base = { type, blob, fingerprint: fingerprint(blob) }
  if (type.endsWith('-cert-v01@openssh.com')) {
    throw new SignatureFormatError(
      `the ${what} is an OpenSSH certificate (${type}); certificate (cert-authority) trust is not supported, list the signer's own key in allowed_signers`,
      'unsupported',
    )
  }
  if (type === 'ssh-ed25519') {
    const pk = r.bytes()
    r.end()
    if (pk.length !== 32) throw new SignatureFormatError(`the ${what} has an Ed25519 key of ${pk.length} bytes, not 32`)
    return { ...base, key: importJwk({ kty: 'OKP', crv: 'Ed25519', x: b64url(pk) }, what), label: 'ED25519' }
  }
  if (type.startsWith('ecdsa-sha2-')) {
    const curve = type.slice('ecdsa-sha2-'.length)
    if (!(curve in SSH_CURVES)) throw new SignatureFormatError(`the ${what} uses the unsupported curve ${curve}`, 'unsupported')
    const c = SSH_CURVES[curve as SshCurve]
    if (r.text() !== curve) throw new SignatureFormatError(`the ${what} names two different curves`)
    const q = r.bytes()
    r.end()
    if (q.length !== 1 + 2 * c.size || q[0] !== 4) throw new SignatureFormatError(`the ${what} holds a malformed ${c.label} point`)
    const jwk = { kty: 'EC', crv: c.crv, x: b64url(q.subarray(1, 1 + c.size)), y: b64url(q.subarray(1 + c.size)) }
    return { ...base, key: importJwk(jwk, what), label: c.label, curve: curve as SshCurve }
  }
  if (type === 'ssh-rsa') {
    const e = r.mpint()
    const n = r.mpint()
    r.end()
    if (e.length === 0 || n.length === 0) throw new SignatureFormatError(`the ${what} holds an empty RSA integer`)
    const bits = n.length * 8 - Math.clz32(n[0]) + 24
    if (bits < MIN_RSA_BITS)
      throw new SignatureFormatError(`the ${what} is a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`, 'unsupported')
    return { ...base, key: importJwk({ kty: 'RSA', n: b64url(n), e: b64url(e) }, what), label: `RSA ${bits}`, modulusBytes: n.length }
  }
  if (type.startsWith('sk-')) {
    throw new SignatureFormatError(
      `the ${what} is a security-key type (${type}), which this gate does not verify`,
      'unsupported',
      'security-key',
    )
  }
  throw new SignatureFormatError(`the ${what} has the unsupported type ${JSON.stringify(type.slice(0, 40))}`, 'unsupported')
}
