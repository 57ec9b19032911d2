/**
 * The trusted keys of the `public-keys` input: PEM public keys (SPKI `BEGIN PUBLIC KEY`, or PKCS#1
 * `BEGIN RSA PUBLIC KEY`) and minisign public keys, written inline or as paths of files holding them.
 * Inline PEM spans lines, so the input is scanned as text: PEM blocks and minisign keys (an
 * `untrusted comment:` line and its base64 line, or a bare `RW...` line) are keys; any other line
 * is a path.
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import { SignatureFormatError, decodeBase64, fingerprint } from '../../lib/signing/common.js'
import type { SupportedHash } from '../../lib/signing/detached.js'
import { parseMinisignPublicKey, type MinisignKey } from './minisign.js'
import { MIN_RSA_BITS } from './ssh-wire.js'

export type Curve = 'P-256' | 'P-384' | 'P-521'
const CURVES: Record<string, Curve> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }
/** The hash each curve is conventionally paired with (Sigstore, cosign). */
export const CURVE_HASH: Record<Curve, SupportedHash> = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' }

export interface PemKey {
  key: KeyObject
  kind: 'ed25519' | 'ec' | 'rsa'
  curve?: Curve
  /** RSA modulus length in bytes (a raw RSA signature is exactly this long). */
  modulusBytes?: number
  /** An `RSA-PSS` key may only make PSS signatures. */
  pssOnly?: boolean
  /** `Ed25519`, `ECDSA P-256`, `RSA 3072`. */
  label: string
  /** `SHA256:` of the SPKI DER. */
  fingerprint: string
  /** Where it came from: a path, or `inline key 2`. */
  source: string
}

export type SourcedMinisignKey = MinisignKey & { source: string }

export interface TrustedKeys {
  pem: PemKey[]
  minisign: SourcedMinisignKey[]
}

export const emptyKeys = (): TrustedKeys => ({ pem: [], minisign: [] })

/** Builds a PemKey from PEM text; refuses private keys without echoing them. */
export function parsePemKey(pem: string, source: string): PemKey {
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) {
    throw new SignatureFormatError(`${source} is a private key; give its public half (openssl pkey -in key.pem -pubout)`, 'unsupported')
  }
  let key: KeyObject
  try {
    key = createPublicKey(pem)
  } catch {
    throw new SignatureFormatError(`${source} is not a readable PEM public key`)
  }
  const fp = fingerprint(key.export({ type: 'spki', format: 'der' }))
  const type = key.asymmetricKeyType
  const details = key.asymmetricKeyDetails ?? {}
  if (type === 'ed25519') return { key, kind: 'ed25519', label: 'Ed25519', fingerprint: fp, source }
  if (type === 'ec') {
    const curve = CURVES[details.namedCurve ?? '']
    if (!curve)
      throw new SignatureFormatError(
        `${source} is an EC key on ${details.namedCurve ?? 'an unnamed curve'}; P-256, P-384 and P-521 are supported`,
        'unsupported',
      )
    return { key, kind: 'ec', curve, label: `ECDSA ${curve}`, fingerprint: fp, source }
  }
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = details.modulusLength ?? 0
    if (bits < MIN_RSA_BITS)
      throw new SignatureFormatError(`${source} is a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`, 'unsupported')
    return {
      key,
      kind: 'rsa',
      modulusBytes: Math.ceil(bits / 8),
      ...(type === 'rsa-pss' ? { pssOnly: true } : {}),
      label: `RSA${type === 'rsa-pss' ? '-PSS' : ''} ${bits}`,
      fingerprint: fp,
      source,
    }
  }
  throw new SignatureFormatError(`${source} is a ${type ?? 'unknown'} key; Ed25519, ECDSA and RSA keys are supported`, 'unsupported')
}

const MINISIGN_BARE = /^RW[A-Za-z0-9+/]{54}$/

/**
 * Scans key text. With `paths`, lines that are not keys are returned as paths (the input);
 * without, they are ignored, but an OpenSSH key is refused by name (a key file).
 */
export function scanKeys(text: string, source: string, opts: { paths: boolean }): { keys: TrustedKeys; paths: string[] } {
  const keys = emptyKeys()
  const paths: string[] = []
  const lines = text.split(/\r?\n/).map((l) => l.trim())
  let n = 0
  const name = () => (opts.paths ? `inline key ${++n}` : source)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const begin = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(line)
    if (begin) {
      const id = name()
      if (begin[1].includes('PRIVATE KEY')) {
        throw new SignatureFormatError(`${id} is a private key; give its public half (openssl pkey -in key.pem -pubout)`, 'unsupported')
      }
      const endMark = `-----END ${begin[1]}-----`
      const j = lines.indexOf(endMark, i + 1)
      if (j < 0) throw new SignatureFormatError(`${id} has "-----BEGIN ${begin[1]}-----" but no "${endMark}" line`)
      keys.pem.push(parsePemKey(lines.slice(i, j + 1).join('\n'), id))
      i = j
      continue
    }
    if (line.toLowerCase().startsWith('untrusted comment:')) {
      let j = i + 1
      while (j < lines.length && lines[j] === '') j++
      const id = name()
      if (j >= lines.length) throw new SignatureFormatError(`${id} has an "untrusted comment:" line but no key after it`)
      try {
        keys.minisign.push({ ...parseMinisignPublicKey(lines[j]), source: id })
      } catch (err) {
        throw new SignatureFormatError(`${id}: ${(err as Error).message}`, (err as SignatureFormatError).reason)
      }
      i = j
      continue
    }
    if (MINISIGN_BARE.test(line) && decodeBase64(line)?.length === 42) {
      keys.minisign.push({ ...parseMinisignPublicKey(line), source: name() })
      continue
    }
    if (opts.paths) paths.push(line)
    else if (/^(?:ssh-|ecdsa-sha2-|sk-)/.test(line)) {
      throw new SignatureFormatError(
        `${source} holds an OpenSSH public key; list OpenSSH keys in the \`allowed-signers\` file instead`,
        'unsupported',
      )
    }
  }
  return { keys, paths }
}

export function mergeKeys(into: TrustedKeys, more: TrustedKeys): TrustedKeys {
  into.pem.push(...more.pem)
  into.minisign.push(...more.minisign)
  return into
}
