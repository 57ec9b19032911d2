/**
 * Secrets never reach a log line, a report, a summary, an output or a check run: everything we
 * write passes through one redactor, built from the values the input specs register as secret
 * (`InputSpec.secret`, gathered by `secretValues`) and the GitHub token.
 *
 * A secret is looked for in the forms it travels in, not only as written, because what we print
 * is often what a server echoed back: in any letter case (a proxy that upper-cases a header),
 * percent-encoded wholly or in part, once or twice (`%23`, `%2523`), JSON-, Markdown- or
 * HTML-escaped (`\/`, `\|`, `&amp;`), with line breaks or spaces inside (a body wrapped, or
 * collapsed onto one line by a snippet), base64-encoded (Basic credentials), and cut short by an
 * ellipsis (a snippet that ends inside it).
 *
 * Secrets shorter than MIN_SECRET_LENGTH are not masked as substrings: `X-Debug: 1` would turn
 * every `1` in a report into `***`. They are protected by never being quoted (a secret input's
 * error says `(value hidden)`, URLs are shown with their user-info and query values masked), and
 * the derivations register them in context as well (`k=ab` for a query value, `Name: ab` for a
 * header), which is long enough to mask.
 */
import { Buffer } from 'node:buffer'
import { MASK } from '../lib/mask.js'

export type Redact = <T>(value: T) => T

export { MASK }
export const MIN_SECRET_LENGTH = 3

/** A cut secret shorter than this is not worth masking (and a shorter piece matches ordinary words). */
const MIN_CUT = 6

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')

const HTML: Record<string, string[]> = {
  '&': ['&amp;', '&#38;'],
  '<': ['&lt;', '&#60;'],
  '>': ['&gt;', '&#62;'],
  '"': ['&quot;', '&#34;'],
  "'": ['&#39;', '&#x27;', '&apos;'],
}

/** One character of a secret as it may be written: itself, backslash-escaped, %-encoded (even twice), or an HTML entity. */
function charPattern(c: string): string {
  if (/^[A-Za-z0-9]$/.test(c)) return c
  const alts = [escapeRe(c), `\\\\${escapeRe(c)}`, ...(HTML[c] ?? []).map(escapeRe)]
  let bytes: string[]
  try {
    bytes = [...Buffer.from(c, 'utf8')].map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
  } catch {
    bytes = []
  }
  if (bytes.length) alts.push(bytes.map((h) => `%(?:25)?${h}`).join(''))
  return `(?:${alts.join('|')})`
}

/** Between two characters of a secret: line breaks and spaces, real or JSON-escaped. */
const GAP = '(?:\\s|\\\\[nrt])*'
/** Where the secret itself has whitespace: also `+` and `%20`, as form encoding writes a space. */
const SPACE = '(?:\\s|\\\\[nrt]|\\+|%(?:25)?20)*'

function secretPattern(secret: string): string {
  const parts: string[] = []
  let space = false
  for (const c of secret.trim()) {
    if (/\s/.test(c)) {
      space = true
      continue
    }
    if (parts.length) parts.push(space ? SPACE : GAP)
    parts.push(charPattern(c))
    space = false
  }
  return parts.join('')
}

/** A secret as it is base64-encoded on its own (Basic credentials, a token in a JSON Web Token), standard and URL-safe. */
function base64Forms(secret: string): string[] {
  const b64 = Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, '')
  return [b64, b64.replace(/\+/g, '-').replace(/\//g, '_')]
}

export function makeRedactor(secrets: Iterable<string>): Redact {
  const list = [...new Set([...secrets].map((s) => s.trim()).filter((s) => s.length >= MIN_SECRET_LENGTH))]
  if (list.length === 0) return (<T>(value: T): T => value) as Redact
  const forms = new Map<string, string>()
  for (const s of list) for (const f of [s, ...base64Forms(s)]) if (f.length >= MIN_SECRET_LENGTH) forms.set(f.toLowerCase(), f)
  // Longest first: at one position the alternation takes the first that matches, so a secret that contains another is masked whole.
  const ordered = [...forms.values()].sort((a, b) => b.length - a.length)
  const whole = new RegExp(ordered.map(secretPattern).join('|'), 'gi')
  const lower = [...forms.keys()]

  const text = (s: string) => uncut(s.replace(whole, MASK), lower)
  const deep = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v)
    if (Array.isArray(v)) return v.map(deep)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), deep(x)]))
    return v
  }
  return (<T>(value: T): T => deep(value) as T) as Redact
}

const ELLIPSIS = /…|\.\.\./g

/** PEM armor and punctuation are in every form sentence (`-----BEGIN ...-----`): a cut piece must hold letters or digits. */
const meaningful = (piece: string, least: number) => (piece.match(/[a-z0-9]/gi)?.length ?? 0) >= least

/**
 * A snippet that ends inside a secret (`invalid token sk_live_51Hx…`) leaves a prefix no
 * substring search finds; one that starts after an ellipsis may begin inside one. Mask the piece
 * of a secret that touches an ellipsis.
 */
function uncut(s: string, secrets: string[]): string {
  if (!s.includes('…') && !s.includes('...')) return s
  const low = s.toLowerCase()
  const spans: [number, number][] = []
  for (const m of s.matchAll(ELLIPSIS)) {
    const at = m.index
    const end = at + m[0].length
    for (const secret of secrets) {
      const least = Math.max(MIN_SECRET_LENGTH, Math.min(MIN_CUT, Math.ceil(secret.length / 2)))
      for (let k = Math.min(secret.length - 1, at); k >= least; k--) {
        if (low.startsWith(secret.slice(0, k), at - k) && meaningful(secret.slice(0, k), least)) {
          spans.push([at - k, at])
          break
        }
      }
      for (let k = Math.min(secret.length - 1, s.length - end); k >= least; k--) {
        if (low.startsWith(secret.slice(secret.length - k), end) && meaningful(secret.slice(secret.length - k), least)) {
          spans.push([end, end + k])
          break
        }
      }
    }
  }
  if (spans.length === 0) return s
  spans.sort((a, b) => a[0] - b[0])
  let out = ''
  let pos = 0
  for (const [a, b] of spans) {
    if (b <= pos) continue
    out += s.slice(pos, Math.max(a, pos)) + MASK
    pos = b
  }
  return out + s.slice(pos)
}
