/** The inputs of readyz: the URLs (their secrets), the headers (theirs), the expectations and the timing. */
import type { ActionMeta } from '../../core/gate.js'
import { input } from '../../core/inputs.js'
import { boundedDuration, InputFormError, parseList } from '../../core/units.js'
import { HEADERS_FORM, headerSecrets, parseHeaders } from '../../lib/headers.js'
import { displayUrl, hasUserinfo, urlSecrets } from '../../lib/url.js'

export { headerSecrets, type HeaderPair } from '../../lib/headers.js'
import { EXPECT_FORM, parseAssertions } from '../../lib/health-body.js'

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

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const readyzAction = {
  title: 'HTTP readiness',
  description:
    'Probe HTTP readiness and health endpoints (IETF health+json, Spring Boot Actuator, Kubernetes /readyz?verbose, status codes) and gate on the answer.',
  branding: { icon: 'activity', color: 'green' },
  example: {
    url: 'https://api.example.com/readyz\nhttps://payments.example.com/actuator/health',
    expect: 'status=ok',
    headers: 'Authorization: Bearer ${{ secrets.READYZ_TOKEN }}',
    wait: '2m',
    consecutive: '3',
  },
} satisfies ActionMeta
