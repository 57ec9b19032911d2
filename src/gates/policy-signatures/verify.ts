/**
 * One entry point for every format: recognise a signature file from its content (never from its
 * name: a `.sig` may hold an SSHSIG armor, base64 DER ECDSA or raw bytes) and verify it against
 * the trust configured for the gate. Every failure the bytes can cause is a Verdict with a reason;
 * only a bug throws.
 */
import { SignatureFormatError, type Verdict } from '../../lib/signing/common.js'
import type { AllowedSigner } from './allowed-signers.js'
import type { TrustedKeys } from './keys.js'
import { parseMinisignSig, verifyMinisign } from './minisign.js'
import { parseRawSignature, verifyRaw } from './raw.js'
import { looksLikeBundle, parseBundle, verifyBundle } from './sigstore-bundle.js'
import { SSHSIG_BEGIN, parseSshSig, verifySshSig } from './sshsig.js'

export interface Trust {
  keys: TrustedKeys
  /** Parsed allowed_signers; undefined when no file was given. */
  signers?: readonly AllowedSigner[]
  namespace: string
  now: Date
}

export type SignatureKind = 'sshsig' | 'minisign' | 'sigstore-bundle' | 'raw'

/** The format a signature file's content announces (raw is the fallback: shape decides later). */
export function recognise(sig: Buffer): { kind: SignatureKind; json?: unknown } {
  // Skip a UTF-8 byte-order mark and leading whitespace an editor may have added.
  let start = sig.length >= 3 && sig[0] === 0xef && sig[1] === 0xbb && sig[2] === 0xbf ? 3 : 0
  while (start < sig.length && (sig[start] === 0x20 || sig[start] === 0x0a || sig[start] === 0x0d || sig[start] === 0x09)) start++
  const head = sig.subarray(start, start + 64).toString('latin1')
  if (head.startsWith(SSHSIG_BEGIN)) return { kind: 'sshsig' }
  if (head.startsWith('untrusted comment:')) return { kind: 'minisign' }
  if (head.startsWith('{')) {
    try {
      const json: unknown = JSON.parse(sig.subarray(start).toString('utf8'))
      if (looksLikeBundle(json)) return { kind: 'sigstore-bundle', json }
    } catch {
      // Not JSON after all: a raw binary signature may begin with "{".
    }
  }
  return { kind: 'raw' }
}

const FORMAT_NAMES: Record<SignatureKind, string> = {
  sshsig: 'SSHSIG',
  minisign: 'minisign',
  'sigstore-bundle': 'Sigstore bundle',
  raw: 'unknown',
}

/** Verifies one signature file's bytes over `message`. */
export function verifySignature(sig: Buffer, message: Buffer, trust: Trust): Verdict {
  const { kind, json } = recognise(sig)
  try {
    switch (kind) {
      case 'sshsig':
        return verifySshSig(parseSshSig(sig.toString('latin1')), message, trust.signers, trust.namespace, trust.now)
      case 'minisign':
        return verifyMinisign(parseMinisignSig(sig.toString('utf8')), message, trust.keys.minisign)
      case 'sigstore-bundle':
        return verifyBundle(parseBundle(json), message, trust.keys.pem)
      case 'raw':
        return verifyRaw(parseRawSignature(sig, trust.keys.pem), message, trust.keys.pem)
    }
  } catch (err) {
    if (!(err instanceof SignatureFormatError)) throw err
    const reason = err.reason
    const what = kind === 'raw' ? 'The signature is in no format this gate knows' : `The ${FORMAT_NAMES[kind]} signature cannot be read`
    return {
      ok: false,
      format: FORMAT_NAMES[kind],
      reason,
      text: `${what}: ${err.message}.`,
      ...(err.advice ? { advice: err.advice } : {}),
    }
  }
}
