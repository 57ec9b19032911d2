/** The inputs of readyz: the URLs (their secrets), the headers (theirs), the expectations and the timing. */
import { input } from '../../core/inputs.js'
import { boundedDuration, InputFormError, parseList } from '../../core/units.js'
import { displayUrl, hasUserinfo, urlSecrets } from '../../lib/url.js'
import { EXPECT_FORM, parseAssertions } from './body.js'

export const URL_FORM = 'one or more absolute http:// or https:// URLs, one per line, such as https://api.example.com/readyz'

/**
 * Parses the `url` lines. A URL may hold secrets (user-info, query values), so an error names the
 * line and shows it only as displayUrl shows it, and a line that is not a URL at all is not shown.
 */
export function parseUrls(raw: string): string[] {
  const items = parseList(raw)
  if (items.length === 0) throw new InputFormError('(hidden)', URL_FORM)
  items.forEach((item, i) => {
    const line = `line ${i + 1}`
    const where = `${line}: ${displayUrl(item)}`
    if (hasUserinfo(item)) {
      throw new InputFormError(
        '(hidden)',
        `${URL_FORM}, without user:password@ (${where} holds user-info: send credentials with \`headers\`, e.g. Authorization: Basic ..., and write an @ that belongs in the path or query as %40)`,
      )
    }
    let url: URL
    try {
      url = new URL(item)
    } catch {
      throw new InputFormError('(hidden)', `${URL_FORM} (${line} is not an absolute URL)`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new InputFormError('(hidden)', `${URL_FORM} (${where} is not http:// or https://)`)
    if (url.hostname === '') throw new InputFormError('(hidden)', `${URL_FORM} (${where} has no host)`)
  })
  return [...new Set(items)]
}

export const HEADERS_FORM = 'HTTP headers written `Name: value`, one per line, such as Authorization: Bearer <token>'
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// Header values may hold visible ASCII, tabs, spaces and Latin-1 (what fetch sends as bytes).
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/

export type HeaderPair = [name: string, value: string]

/** An Authorization value that is only one of these words lost its credential on the way. */
const AUTH_SCHEMES = /^(basic|bearer|digest|token|apikey|api-key|bot)$/i

export function parseHeaders(raw: string): HeaderPair[] {
  const lines = parseList(raw)
  if (lines.length === 0) throw new InputFormError('(hidden)', HEADERS_FORM)
  // Never quote a line, not even its name part: a value pasted without its name is all secret.
  return lines.map((line, i) => {
    const colon = line.indexOf(':')
    if (colon < 0) throw new InputFormError('(hidden)', `${HEADERS_FORM} (line ${i + 1} has no colon, so it has no \`Name: value\` form)`)
    const name = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    if (!TOKEN.test(name)) {
      throw new InputFormError(
        '(hidden)',
        `${HEADERS_FORM} (on line ${i + 1}, the text before the first colon is not a header name; write \`Name: value\`)`,
      )
    }
    if (!HEADER_VALUE.test(value))
      throw new InputFormError('(hidden)', `${HEADERS_FORM} (the value on line ${i + 1} holds characters a header cannot carry)`)
    // `X-Api-Key: ${{ secrets.UNSET }}` arrives empty: probing without it would measure the wrong thing.
    if (value === '')
      throw new InputFormError('(hidden)', `${HEADERS_FORM} (the value on line ${i + 1} is empty; is the secret it comes from set?)`)
    if (/^(proxy-)?authorization$/i.test(name) && AUTH_SCHEMES.test(value)) {
      throw new InputFormError(
        '(hidden)',
        `${HEADERS_FORM} (the value on line ${i + 1} is the scheme ${value} without a credential; is the secret it comes from set?)`,
      )
    }
    return [name, value]
  })
}

/**
 * The strings to mask for a `headers` input: every value, the line itself (so that a value too
 * short to mask alone is masked where `Name: value` is echoed), the credential part of values
 * written `Scheme credential`, and what a Basic credential decodes to (`user:password`, the
 * password), which a server may quote back. Lenient: a malformed line is masked whole.
 */
export function headerSecrets(raw: string): string[] {
  const out: string[] = []
  for (const line of parseList(raw)) {
    const colon = line.indexOf(':')
    if (colon < 0) {
      out.push(line)
      continue
    }
    const value = line.slice(colon + 1).trim()
    // A bare scheme word is refused by parseHeaders, and masking it would only garble the sentence saying so.
    if (AUTH_SCHEMES.test(value)) continue
    out.push(value, line)
    const parts = value.split(/\s+/)
    if (parts.length > 1) out.push(parts.slice(1).join(' '), parts[parts.length - 1])
    if (/^basic$/i.test(parts[0]) && parts.length === 2) {
      const decoded = Buffer.from(parts[1], 'base64').toString('utf8')
      const sep = decoded.indexOf(':')
      if (sep >= 0) out.push(decoded, decoded.slice(sep + 1))
    }
  }
  return out.filter((v) => v.length > 0)
}

const HOUR = 3_600_000
export const TIMEOUT_FORM = 'a duration above zero and at most 1h, such as 500ms, 5s or 1m'
export const INTERVAL_FORM = 'a duration above zero and at most 1h, such as 500ms, 5s or 1m'

const urlList = input.custom('list', URL_FORM, parseUrls)
const assertionList = input.custom('list', EXPECT_FORM, parseAssertions)
const headerList = input.custom('list', HEADERS_FORM, parseHeaders)
const timeoutDuration = input.custom('string', TIMEOUT_FORM, boundedDuration(1, HOUR, TIMEOUT_FORM))
const intervalDuration = input.custom('string', INTERVAL_FORM, boundedDuration(1, HOUR, INTERVAL_FORM))

export const readyzInputs = {
  url: urlList('The http(s) URLs to probe, one per line; all are probed concurrently. User-info and query values are treated as secrets.', {
    required: true,
    secret: urlSecrets,
  }),
  'expect-status': input.statusRanges('The HTTP status codes or ranges that count as ready, such as 200 or 200-299.', { default: '200' }),
  expect: assertionList('JSON assertions `path=value` the body must satisfy, one per line, such as status=ok or checks.db.0.status=pass.'),
  headers: headerList('Request headers written `Name: value`, one per line; the values are treated as secrets.', { secret: headerSecrets }),
  timeout: timeoutDuration('Time limit for each whole request (connect, headers and body), such as 5s.', { default: '5s' }),
  wait: input.duration('How long to keep probing until every URL is ready, such as 2m; 0s probes once (or `consecutive` times).', {
    default: '0s',
  }),
  interval: intervalDuration('The time between the starts of two probe rounds while waiting, such as 5s.', { default: '5s' }),
  consecutive: input.integer(1, 1000)('How many passes in a row each URL needs before it counts as ready.', { default: '1' }),
  'follow-redirects': input.boolean('Follow 3xx redirects; when false, a redirect is a fail that names its Location.', {
    default: 'false',
  }),
}
