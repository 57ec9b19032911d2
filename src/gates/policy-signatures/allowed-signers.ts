/**
 * OpenSSH `allowed_signers` files (ssh-keygen(1), "ALLOWED SIGNERS"): one signer per line,
 *
 *     principals [options] keytype base64-key [comment]
 *
 * with the options `cert-authority`, `namespaces="pattern,..."`, `valid-after="time"` and
 * `valid-before="time"` (times `YYYYMMDD[HHMM[SS]]`, UTC with a trailing `Z`, local time otherwise).
 * We parse exactly what ssh-keygen accepts, so a file that works here works with `ssh-keygen -Y verify`;
 * a line ssh-keygen would reject is refused with its line number rather than skipped.
 */
import { SignatureFormatError, decodeBase64, printable } from '../../lib/signing/common.js'
import { parseSshPublicKey, type SshPublicKey } from './ssh-wire.js'

export interface AllowedSigner {
  /** 1-based line in the file, for messages. */
  line: number
  /** The principals field as written (comma-separated patterns). */
  principals: string
  certAuthority: boolean
  /** The key's wire blob: signatures are matched to lines by it. */
  blob: Buffer
  /** The parsed key; absent when its type or size is one we refuse (then `refused` says why). */
  key?: SshPublicKey
  refused?: string
  /** Namespace patterns from `namespaces=`; undefined means any namespace. */
  namespaces?: string
  validAfter?: Date
  validBefore?: Date
}

const KEY_TYPE = /^(?:ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-[a-z0-9@.-]+|ssh-dss|[a-z0-9-]+-cert-v01@openssh\.com)$/
/** How an SSH algorithm name may be spelled (RFC 4251 §6): printable, no spaces or commas. */
const TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9@._+-]{0,63}$/

/** The type string a public key blob starts with, or undefined when it has none. */
function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined
  const n = blob.readUInt32BE(0)
  return n > 0 && n <= 64 && 4 + n <= blob.length ? blob.subarray(4, 4 + n).toString('latin1') : undefined
}

/**
 * True when `word` is the key type of the key `next` holds: a type we know by name, or any
 * well-formed name the base64 key after it repeats (OpenSSH keeps adding types, post-quantum ones
 * among them, and a type we do not know must spoil only its own line, as ssh-keygen skips it).
 */
function isKeyType(word: string, next: string): boolean {
  if (KEY_TYPE.test(word)) return true
  if (!TYPE_NAME.test(word)) return false
  const blob = decodeBase64(next.split(/[ \t]/)[0] ?? '')
  return blob !== undefined && blobType(blob) === word
}

/** Splits off the first whitespace-delimited token, honouring double quotes (which may hold spaces). */
function token(text: string): [string, string] {
  let i = 0
  let quoted = false
  while (i < text.length) {
    const c = text[i]
    if (c === '"') quoted = !quoted
    else if (!quoted && (c === ' ' || c === '\t')) break
    i++
  }
  if (quoted) throw new Error('an unterminated quote')
  return [text.slice(0, i), text.slice(i).replace(/^[ \t]+/, '')]
}

/** Splits an options field on commas outside quotes. */
function splitOptions(text: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (const c of text) {
    if (c === '"') quoted = !quoted
    if (c === ',' && !quoted) {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}

function dequote(name: string, value: string): string {
  const m = /^"([^"]*)"$/.exec(value)
  if (!m) throw new Error(`option ${name} needs a quoted value, such as ${name}="..."`)
  return m[1]
}

/** `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, then `Z` for UTC; local time otherwise (as ssh-keygen). */
export function parseSshTime(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z?)$/i.exec(text)
  if (!m) throw new Error(`${JSON.stringify(printable(text, 40))} is not a time written YYYYMMDD[HHMM[SS]][Z]`)
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[]
  const utc = m[7] !== ''
  const date = utc ? new Date(Date.UTC(y, mo - 1, d, h, mi, s)) : new Date(y, mo - 1, d, h, mi, s)
  const parts = utc
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()]
  // A date that rolled over (20240231) was not a real date.
  if (parts.join() !== [y, mo, d, h, mi, s].join()) throw new Error(`${text} is not a real date and time`)
  return date
}

function parseLine(line: string, n: number): AllowedSigner {
  const [quotedPrincipals, rest] = token(line)
  const principals = quotedPrincipals.startsWith('"') ? quotedPrincipals.slice(1, -1) : quotedPrincipals
  if (principals === '' || rest === '') throw new Error('expected principals, optional options, then a key')
  let options: string | undefined
  let [first, after] = token(rest)
  if (!isKeyType(first, after)) {
    options = first
    ;[first, after] = token(after)
  }
  const [b64, comment] = token(after)
  void comment
  if (!isKeyType(first, after)) throw new Error(`${JSON.stringify(printable(first, 40))} is not an OpenSSH key type`)
  const blob = decodeBase64(b64)
  if (!blob) throw new Error('the key is not valid base64')
  const held = blobType(blob)
  if (held !== first) throw new Error(`the key says ${first} but holds ${held ? `a ${printable(held, 40)} key` : 'no key type'}`)
  const signer: AllowedSigner = { line: n, principals, certAuthority: false, blob }
  try {
    signer.key = parseSshPublicKey(blob, 'key')
  } catch (err) {
    // A key type or size we refuse spoils only its own line: signatures by it get the reason.
    if (!(err instanceof SignatureFormatError && err.reason === 'unsupported')) throw err
    signer.refused = err.message
  }
  for (const opt of options === undefined ? [] : splitOptions(options)) {
    const eq = opt.indexOf('=')
    const name = (eq < 0 ? opt : opt.slice(0, eq)).toLowerCase()
    const value = eq < 0 ? undefined : opt.slice(eq + 1)
    if (name === 'cert-authority' && value === undefined) signer.certAuthority = true
    else if (name === 'namespaces' && value !== undefined) signer.namespaces = dequote(name, value)
    else if (name === 'valid-after' && value !== undefined) signer.validAfter = parseSshTime(dequote(name, value))
    else if (name === 'valid-before' && value !== undefined) signer.validBefore = parseSshTime(dequote(name, value))
    else
      throw new Error(
        `${JSON.stringify(printable(opt, 40))} is not an option ssh-keygen accepts (cert-authority, namespaces=, valid-after=, valid-before=)`,
      )
  }
  return signer
}

/** Parses a whole allowed_signers file; `source` names it in errors. */
export function parseAllowedSigners(text: string, source: string): AllowedSigner[] {
  const out: AllowedSigner[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim()
    if (line === '' || line.startsWith('#')) continue
    try {
      out.push(parseLine(line, i + 1))
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      throw new SignatureFormatError(`${source} line ${i + 1}: ${why}`)
    }
  }
  if (out.length === 0) throw new SignatureFormatError(`${source} lists no signers`)
  return out
}

/**
 * OpenSSH's match_pattern_list: comma-separated `*`/`?` patterns, `!pattern` denies. True when some
 * positive pattern matches and no negated one does.
 */
export function matchPatternList(value: string, list: string): boolean {
  let matched = false
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!')
    const pattern = negated ? raw.slice(1) : raw
    const re = new RegExp(
      '^' +
        pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.') +
        '$',
      's',
    )
    if (re.test(value)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

/** Why a signer line does not permit a signature in `namespace` at `now`, or undefined when it does. */
export function signerRefusal(
  s: AllowedSigner,
  namespace: string,
  now: Date,
): { reason: 'namespace' | 'validity' | 'unsupported'; text: string } | undefined {
  const where = `allowed_signers line ${s.line} (${printable(s.principals, 60)})`
  if (s.refused) return { reason: 'unsupported', text: `${where}: ${s.refused}` }
  if (s.certAuthority) {
    return {
      reason: 'unsupported',
      text: `${where} marks this key cert-authority, which only vouches for certificates, not for plain signatures`,
    }
  }
  if (s.namespaces !== undefined && !matchPatternList(namespace, s.namespaces)) {
    return {
      reason: 'namespace',
      text: `${where} allows the namespaces "${printable(s.namespaces)}", which do not include "${printable(namespace)}"`,
    }
  }
  if (s.validAfter && now.getTime() < s.validAfter.getTime()) {
    return { reason: 'validity', text: `${where} is valid only after ${s.validAfter.toISOString()}, and it is ${now.toISOString()}` }
  }
  if (s.validBefore && now.getTime() > s.validBefore.getTime()) {
    return { reason: 'validity', text: `${where} expired at ${s.validBefore.toISOString()} (valid-before), and it is ${now.toISOString()}` }
  }
  return undefined
}
