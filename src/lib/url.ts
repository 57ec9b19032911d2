/**
 * What of a URL may be shown and what must be masked. User-info and query values are secret
 * (PRODUCT.md §6), and so is a fragment's value. The WHATWG parser decides the structure, except
 * for user-info: a password written with a raw `#`, `/`, `?` or `@` makes the parser end the
 * authority early (`https://admin:Hunter2#Secret@db` parses as host `admin`), so whatever the
 * parser says, everything between `://` and the last `@` counts as user-info. An `@` that really
 * belongs to a path or query makes us mask too much, never too little.
 */
import { Buffer } from 'node:buffer'
import { MASK } from './mask.js'

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*:)?\/\//

interface RawParts {
  /** `https://`, as written. */
  prefix: string
  /** Everything between `://` and the last `@`, as written; absent without an `@`. */
  userinfo?: string
  /** The rest: host, port, path, query, fragment. */
  rest: string
}

function rawParts(text: string): RawParts | undefined {
  const m = SCHEME.exec(text)
  if (!m) return undefined
  const after = text.slice(m[0].length)
  const at = after.lastIndexOf('@')
  return at < 0 ? { prefix: m[0], rest: after } : { prefix: m[0], userinfo: after.slice(0, at), rest: after.slice(at + 1) }
}

/** A malformed %-escape in a credential must not crash masking: keep it as written. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** True when the text holds user-info (`user:password@` or a token `@`) by the rule above. */
export function hasUserinfo(raw: string): boolean {
  return rawParts(raw.trim())?.userinfo !== undefined
}

/** `?a=1&verbose&b=` → `?a=***&verbose&b=`: keys stay readable, every value is masked. */
function maskQuery(search: string): string {
  if (search === '' || search === '?') return search
  const items = search
    .slice(1)
    .split('&')
    .map((item) => {
      const eq = item.indexOf('=')
      return eq < 0 || eq === item.length - 1 ? item : `${item.slice(0, eq)}=${MASK}`
    })
  return `?${items.join('&')}`
}

/** Host, path, query and fragment written out, with query values and the fragment masked. */
function maskRest(rest: string): string {
  const hash = rest.indexOf('#')
  const beforeHash = hash < 0 ? rest : rest.slice(0, hash)
  const q = beforeHash.indexOf('?')
  const shown = q < 0 ? beforeHash : beforeHash.slice(0, q) + maskQuery(beforeHash.slice(q))
  return shown + (hash < 0 ? '' : `#${MASK}`)
}

/**
 * A URL as it may be shown anywhere: `https://***@host/path?access_token=***#***`. Not a URL
 * (no `scheme://`): nothing of it is shown, since it may be a secret pasted in the wrong place.
 */
export function displayUrl(raw: string): string {
  const text = raw.trim()
  const parts = rawParts(text)
  if (!parts) return '(not a URL)'
  const auth = parts.userinfo !== undefined ? `${MASK}@` : ''
  let u: URL | undefined
  try {
    u = new URL(parts.prefix + parts.rest)
  } catch {
    u = undefined
  }
  if (!u || u.host === '') return parts.prefix + auth + maskRest(parts.rest)
  return `${u.protocol}//${auth}${u.host}${u.pathname}${maskQuery(u.search)}${u.hash ? `#${MASK}` : ''}`
}

/** Every URL in free text (an error message) shown as displayUrl shows it. */
export function hideCredentials(text: string): string {
  return text.replace(/(?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/\S+/g, (url) => displayUrl(url))
}

/**
 * `a=1&b=xyz` → the values, as written and decoded, and each `name=value` pair: a value too short
 * to mask on its own (`k=ab`) is still masked where it sits in a query a server echoes back.
 */
function queryValues(query: string): string[] {
  const out: string[] = []
  for (const item of query.split('&')) {
    const eq = item.indexOf('=')
    if (eq < 0 || eq === item.length - 1) continue
    const value = item.slice(eq + 1)
    out.push(item, value, safeDecode(value.replace(/\+/g, ' ')), safeDecode(value))
  }
  return out
}

/**
 * A line that is not a URL, nor shaped like a path (no folder, no extension), and long enough to
 * be a credential: a token pasted where a URL belongs. It is masked whole.
 */
const PASTED_TOKEN = /^[^\s/\\]{16,}$/
const FILE_NAME = /\.[A-Za-z0-9]{1,12}$/

/** The strings to mask for one URL (see urlSecrets). */
function secretsOfOne(text: string): string[] {
  const out: string[] = []
  const parts = rawParts(text)
  if (!parts && PASTED_TOKEN.test(text) && !FILE_NAME.test(text)) return [text]
  const pair = (user: string, password: string) => {
    out.push(password, `${user}:${password}`, Buffer.from(`${user}:${password}`).toString('base64'))
    // Pieces too: a parser that cut the password at `#`, `/`, `?` or `@` may show any of them.
    out.push(...password.split(/[#/?@:]/))
  }
  if (parts?.userinfo !== undefined) {
    const info = parts.userinfo
    out.push(info, safeDecode(info))
    const colon = info.indexOf(':')
    if (colon >= 0) {
      const user = info.slice(0, colon)
      const password = info.slice(colon + 1)
      pair(user, password)
      pair(safeDecode(user), safeDecode(password))
    } else {
      // A lone user-info is usually a token.
      out.push(...info.split(/[#/?@]/))
    }
  }
  // The parser's reading too: what fetch would send, and what its errors would quote.
  try {
    const u = new URL(text)
    if (u.password) {
      out.push(u.password, `${u.username}:${u.password}`)
      pair(safeDecode(u.username), safeDecode(u.password))
    } else if (u.username) {
      out.push(u.username, safeDecode(u.username))
    }
    for (const [name, value] of u.searchParams) if (value) out.push(value, `${name}=${value}`)
    if (u.hash) out.push(...queryValues(u.hash.slice(1)))
  } catch {
    // Not parsable: the textual reading below covers it.
  }
  const rest = parts?.rest ?? text
  const hash = rest.indexOf('#')
  const beforeHash = hash < 0 ? rest : rest.slice(0, hash)
  const q = beforeHash.indexOf('?')
  if (q >= 0) out.push(...queryValues(beforeHash.slice(q + 1)))
  if (hash >= 0) out.push(...queryValues(rest.slice(hash + 1)))
  return out
}

/**
 * The substrings of a URL input (one URL per line) to mask wherever anything is written: the
 * user-info as written and decoded, the password and its Basic form, every query value (and its
 * `name=value` pair), and a line that is a token rather than a URL or a path.
 * Shorter than 3 characters is not masked (the redactor would mangle ordinary text).
 */
export function urlSecrets(raw: string): string[] {
  const out = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .flatMap(secretsOfOne)
  return [...new Set(out.filter((s) => s.length >= 3))]
}

/**
 * `scheme://user:password@host` inside free text (a command, a message). The password runs to the
 * last `@` before the path; a `/` ends it, so `host:443/@scope/pkg` is not taken for user-info.
 */
const EMBEDDED_USERINFO = /[A-Za-z][A-Za-z0-9+.-]*:\/\/([^\s:/?#@]*):([^\s/]+)@[^\s@/]/g

/**
 * The passwords of every URL written anywhere in a text, for inputs that are not secret as a
 * whole (a restore command, a message): user-info is secret whichever input holds it.
 */
export function embeddedUserinfoSecrets(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(EMBEDDED_USERINFO)) {
    const [user, password] = [m[1], m[2]]
    out.push(password, safeDecode(password), `${user}:${password}`, `${safeDecode(user)}:${safeDecode(password)}`)
  }
  return [...new Set(out.filter((s) => s.length >= 3))]
}
