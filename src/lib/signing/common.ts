/**
 * What every signature format module shares: the verdict a verification returns, the typed error a
 * parser throws for bytes it cannot read, strict base64 and the `SHA256:` fingerprints we print.
 */
import { createHash } from 'node:crypto'

/** Why a file did not verify; `pass` verdicts have none. */
export type FailReason = 'unsigned' | 'invalid' | 'untrusted' | 'namespace' | 'validity' | 'unknown-format' | 'unsupported' | 'unreadable'

/** The outcome of checking one signature against one file. */
export interface Verdict {
  ok: boolean
  /** Format label for the report: `SSHSIG ssh-ed25519`, `minisign (prehashed)`, `cosign (ECDSA P-256)`, ... */
  format: string
  reason?: FailReason
  /** Fingerprint of the key that verified the file or, when untrusted, of the key that signed it. */
  key?: string
  /** Who signed: allowed_signers principals, a minisign key id, a bundle's key hint. */
  signer?: string
  /** One or more sentences saying what was seen (never key material beyond fingerprints). */
  text: string
  /** A refusal whose next step differs from its reason's usual one. */
  advice?: Advice
}

/** Next steps that a reason alone does not decide: no key was involved, or a key we cannot check. */
export type Advice = 'keyless-bundle' | 'security-key'

/**
 * Bytes a format parser cannot read. `reason` says whether the bytes are damaged (`invalid`), a form
 * we deliberately refuse (`unsupported`), or not a signature we know at all (`unknown-format`).
 */
export class SignatureFormatError extends Error {
  constructor(
    message: string,
    readonly reason: 'invalid' | 'unsupported' | 'unknown-format' = 'invalid',
    readonly advice?: Advice,
  ) {
    super(message)
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * Canonical standard base64 with correct padding, whitespace (line wrapping) ignored; undefined otherwise.
 * Buffer.from(text, 'base64') silently skips junk, which would let damaged input through.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\t\n\r ]+/g, '')
  if (compact.length === 0 || !BASE64.test(compact)) return undefined
  const bytes = Buffer.from(compact, 'base64')
  // Non-zero padding bits would let two texts decode to the same signature: refuse them.
  return bytes.toString('base64') === compact ? bytes : undefined
}

/** `SHA256:<base64 without padding>` of a public key's DER (SPKI) or SSH wire blob, as ssh-keygen -l prints. */
export function fingerprint(blob: Uint8Array): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')
}

/** A short, printable rendering of untrusted text (comments, namespaces) for messages. */
export function printable(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  return clean.length > max ? clean.slice(0, max - 1) + '…' : clean
}

/** Runs a verification primitive; a malformed key or signature that node:crypto rejects is just "no". */
export function tryVerify(fn: () => boolean): boolean {
  try {
    return fn()
  } catch {
    return false
  }
}
