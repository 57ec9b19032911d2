/**
 * readyz: probes HTTP readiness/health endpoints and gates on the answer.
 *
 * Each round probes every URL that still needs passes, concurrently. A probe is one bounded
 * exchange (connect, headers and body within `timeout`, body capped at 1 MiB) judged on its
 * status code, its body (IETF health+json, Spring Boot Actuator, Kubernetes verbose text) and
 * the `expect` assertions. With `wait` or `consecutive`, rounds repeat every `interval` until
 * each URL has `consecutive` passes in a row or the time is up.
 */
import { defineGate, type GateContext } from '../../core/gate.js'
import { InputError, input } from '../../core/inputs.js'
import { displayUrl, hasUserinfo, hideCredentials, urlSecrets } from '../../lib/url.js'
import { check, worst, type Check, type Status } from '../../core/result.js'
import {
  boundedDuration,
  formatDuration,
  formatStatusRanges,
  InputFormError,
  parseList,
  statusInRanges,
  type StatusRange,
} from '../../core/units.js'
import { EXPECT_FORM, checkAssertion, classifyBody, parseAssertions, snippet, type Assertion, type BodyReading } from './body.js'
import { networkCause } from '../../lib/errno.js'
import { declaredLength, exchange, readBody } from '../../lib/http.js'
import { cell, table } from '../../lib/markdown.js'

/** The most body a probe reads; more is a `fail`, and the rest is never downloaded. */
export const MAX_BODY_BYTES = 1024 * 1024

export const DEFAULT_ACCEPT = 'application/health+json, application/json;q=0.9, text/plain;q=0.8, */*;q=0.5'
export const USER_AGENT = 'cutover-gates'

// ---------------------------------------------------------------------------------------------
// Input parsers

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

// ---------------------------------------------------------------------------------------------
// The gate

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

interface Plan {
  ranges: StatusRange[]
  assertions: Assertion[]
  /** An assertion on `status` (or a field under it) replaces the body's own top-level verdict. */
  statusAsserted: boolean
  headers: HeaderPair[]
  timeout: number
  follow: boolean
}

/** What one probe found. */
export interface Probe {
  status: Status
  http?: number
  /** Body format label for tables: `health+json`, `spring`, `k8s`, `json`, `text/html`, ... */
  format: string
  latencyMs: number
  /** `HTTP 200, health+json pass, 12ms`. */
  observed: string
  /** Short form for progress lines: `HTTP 503`, `connection refused`. */
  short: string
  /** One or more sentences: what was seen, naming the URL. */
  text: string
  /** What to do next (warn/fail). */
  next: string
}

interface UrlState {
  url: string
  /** The URL as it may be shown: user-info, query values and fragment masked. */
  shown: string
  passStreak: number
  /** Probes in a row that were pass or warn: a degraded but answering service. */
  okStreak: number
  best: number
  probes: number
  done: boolean
  last?: Probe
}

export const readyz = defineGate({
  name: 'readyz',
  category: 'Infrastructure',
  criteria: { en: 'Readyz healthy', tr: 'Readyz sağlıklı' },
  inputs: readyzInputs,
  async run(s, ctx) {
    const plan: Plan = {
      ranges: s['expect-status'],
      assertions: s.expect ?? [],
      statusAsserted: (s.expect ?? []).some((a) => a.segments[0] === 'status'),
      headers: s.headers ?? [],
      timeout: s.timeout,
      follow: s['follow-redirects'],
    }
    const { consecutive, interval, wait } = s
    const needed = (consecutive - 1) * interval
    if (wait > 0 && needed > wait) {
      throw new InputError([
        `\`consecutive: ${consecutive}\` at \`interval: ${formatDuration(interval)}\` needs at least ${formatDuration(needed)}, but \`wait\` is ${formatDuration(wait)}; raise \`wait\` or lower \`consecutive\``,
      ])
    }
    // With wait 0 and several passes needed, allow just the probes those passes take.
    const polling = wait > 0 || consecutive > 1
    // runGate masks what the input specs register as secret, in these lines and in the result.
    const log = (line: string) => ctx.log(line)

    const states: UrlState[] = distinctNames(s.url.map(displayUrl)).map((shown, i) => ({
      url: s.url[i],
      shown,
      passStreak: 0,
      okStreak: 0,
      best: 0,
      probes: 0,
      done: false,
    }))
    const start = ctx.now().getTime()
    const end = start + wait
    const cancelled = () => ctx.signal?.aborted === true
    let round = 0
    let probes = 0
    for (;;) {
      round++
      const pending = states.filter((u) => !u.done)
      const results = await Promise.all(pending.map((u) => probeSafely(u.url, u.shown, plan, ctx)))
      pending.forEach((u, i) => {
        const p = results[i]
        u.last = p
        u.probes++
        probes++
        u.passStreak = p.status === 'pass' ? u.passStreak + 1 : 0
        u.okStreak = p.status === 'fail' ? 0 : u.okStreak + 1
        u.best = Math.max(u.best, u.passStreak)
        if (u.passStreak >= consecutive) u.done = true
      })
      const now = ctx.now().getTime()
      const nextAt = Math.max(start + round * interval, now)
      const roundsLeft = wait === 0 ? consecutive - round : nextAt <= end ? Math.floor((end - nextAt) / interval) + 1 : 0
      const remaining = states.filter((u) => !u.done)
      // Stop when every URL is ready, the time is up, or no URL can still reach its quota.
      const reachable = remaining.some(
        (u) => consecutive - u.passStreak <= roundsLeft || (u.okStreak < consecutive && consecutive - u.okStreak <= roundsLeft),
      )
      const stop = remaining.length === 0 || roundsLeft === 0 || !reachable || cancelled()
      const left = cancelled()
        ? 'cancelled'
        : wait === 0
          ? `${roundsLeft} probe${roundsLeft === 1 ? '' : 's'} left`
          : `${formatDuration(Math.max(0, end - now))} left`
      log(progressLine(round, states, consecutive, stop, roundsLeft, left))
      if (stop) break
      await sleepUnlessCancelled(ctx, Math.max(0, nextAt - ctx.now().getTime()))
      if (cancelled()) {
        log(`round ${round}: cancelled while waiting for the next round`)
        break
      }
    }

    const checks = states.map((u) => finalCheck(u, plan, consecutive, wait, polling, cancelled()))
    const metrics: Record<string, number> = { probes }
    for (const u of states) if (u.last) metrics[`latency_ms:${u.shown}`] = u.last.latencyMs
    return { checks, metrics, details: detailsTable(states, checks) }
  },
})

// ---------------------------------------------------------------------------------------------
// Rounds and verdicts

/** Two URLs that differ only in masked parts would share a check name and a metric: number them. */
function distinctNames(names: string[]): string[] {
  const seen = new Map<string, number>()
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1
    seen.set(n, k)
    return k === 1 ? n : `${n} (#${k})`
  })
}

function progressLine(round: number, states: UrlState[], consecutive: number, stop: boolean, roundsLeft: number, left: string): string {
  const ready = states.filter((u) => u.done).length
  const parts = [`round ${round}: ${ready} of ${states.length} URL${states.length === 1 ? '' : 's'} ready`]
  for (const u of states) {
    if (u.done) continue
    parts.push(`${u.shown} ${u.passStreak}/${consecutive} in a row (${u.last?.short ?? 'not probed'})`)
  }
  if (ready === states.length) parts.push('done')
  else if (!stop || left === 'cancelled') parts.push(left)
  else if (roundsLeft > 0) parts.push(`stopping: ${consecutive} passes in a row can no longer be reached in the ${left}`)
  else parts.push(left.replace(/^\S+/, 'no'))
  return parts.join('; ')
}

function finalCheck(u: UrlState, plan: Plan, consecutive: number, wait: number, polling: boolean, cancelled: boolean): Check {
  const p = u.last as Probe
  const within = wait > 0 ? ` within ${formatDuration(wait)}` : ''
  const expected = [
    `HTTP ${formatStatusRanges(plan.ranges)}`,
    ...plan.assertions.map((a) => a.text),
    ...(consecutive > 1 ? [`${consecutive} passes in a row${within}`] : []),
  ].join('; ')
  const observed = consecutive > 1 ? `${p.observed}; ${u.done ? consecutive : u.best}/${consecutive} in a row` : p.observed
  if (u.done) {
    const inARow = consecutive > 1 ? ` It passed ${consecutive} times in a row.` : ''
    return check('pass', u.shown, observed, expected, `${p.text}${inARow}`, { url: u.shown })
  }
  const probes = wait > 0 ? `${u.probes} probe${u.probes === 1 ? '' : 's'}` : `${u.probes} of at most ${consecutive} probes, as wait is 0s`
  const quota = cancelled
    ? `The run was cancelled after ${u.probes} probe${u.probes === 1 ? '' : 's'}, before ${consecutive === 1 ? 'a pass' : `${consecutive} passes in a row`}.`
    : !polling
      ? ''
      : consecutive > 1
        ? `Needed ${consecutive} passes in a row, saw ${u.best}${within} (${probes}).`
        : `Saw no pass${within} (${probes}).`
  const status: Status = u.okStreak >= consecutive ? 'warn' : 'fail'
  const settle = polling ? 'Raise `wait` if the service needs longer to settle, or find why it is not ready.' : ''
  const message = [p.text, quota, p.status === 'pass' ? settle : p.next || settle].filter(Boolean).join(' ')
  return check(status, u.shown, observed, expected, message, { url: u.shown })
}

function detailsTable(states: UrlState[], checks: Check[]): string {
  const rows = states.map((u, i) => {
    const p = u.last as Probe
    return `| ${cell(u.shown)} | ${p.http ?? '-'} | ${cell(p.format)} | ${Math.round(p.latencyMs)}ms | ${checks[i].status} |`
  })
  return table(['URL', 'HTTP', 'body format', 'latency', 'verdict'], rows)
}

// ---------------------------------------------------------------------------------------------
// One probe

/** ctx.sleep, cut short when the run is cancelled. */
async function sleepUnlessCancelled(ctx: GateContext, ms: number): Promise<void> {
  const signal = ctx.signal
  if (!signal) return ctx.sleep(ms)
  if (signal.aborted) return
  let onAbort = () => {}
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve()
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([ctx.sleep(ms), aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** A probe never throws: anything unexpected is a `fail` that says so. */
async function probeSafely(url: string, shown: string, plan: Plan, ctx: GateContext): Promise<Probe> {
  try {
    return await probe(url, shown, plan, ctx)
  } catch (err) {
    const why = err instanceof Error ? snippet(hideCredentials(err.message), 160) : 'unknown error'
    return {
      status: 'fail',
      format: '-',
      latencyMs: 0,
      observed: 'no measurement',
      short: 'error',
      text: `${shown} could not be probed: ${why}.`,
      next: 'Check the URL and the gate inputs.',
    }
  }
}

/** The codes fetch itself follows; any other 3xx is an answer. */
const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** As many as fetch follows before it gives up. */
export const MAX_REDIRECTS = 20

interface Hop {
  code: number
  /** Where it led, as sent. */
  to: string
}

async function probe(url: string, shown: string, plan: Plan, ctx: GateContext): Promise<Probe> {
  const t0 = ctx.now().getTime()
  const elapsed = () => Math.max(0, ctx.now().getTime() - t0)
  // A timer, not ctx.sleep: it bounds real network I/O, so a test's instant clock must not fire it.
  const x = exchange(plan.timeout, { signal: ctx.signal, timers: ctx.timers })
  const origin = new URL(url).origin
  const hops: Hop[] = []
  const done = (p: Probe) => withRedirects(p, origin, hops, plan.headers)
  let phase: 'connect' | 'body' = 'connect'
  let http: number | undefined
  try {
    let own: Headers
    let bare: Headers
    try {
      own = requestHeaders(plan.headers)
      bare = requestHeaders([])
    } catch {
      // Never quote the error: it would carry the header value.
      return failure(shown, elapsed(), 'the request headers could not be built', 'headers rejected', 'Check the `headers` input.')
    }
    // Redirects are followed here, not by fetch: fetch would carry custom headers (X-Api-Key) to any host.
    let target = url
    let res: Response
    for (;;) {
      const headers = new URL(target).origin === origin ? own : bare
      res = await x.within(
        Promise.resolve().then(() => ctx.fetch(target, { method: 'GET', headers, redirect: 'manual', signal: x.signal })),
      )
      http = res.status
      const location = res.headers.get('location')
      if (!plan.follow || !REDIRECTS.has(res.status) || location === null) break
      void res.body?.cancel().catch(() => {})
      const next = resolve(location, target)
      const to = next ? displayUrl(next) : 'a Location that is not a URL'
      if (!next || !/^https?:$/.test(new URL(next).protocol)) {
        return done({
          ...failure(
            shown,
            elapsed(),
            `redirected (${http}) to ${to}, which is not http or https; it was not followed`,
            'bad redirect',
            'Point `url` at the final address.',
          ),
          http,
        })
      }
      if (hasUserinfo(location)) {
        // Credentials the service put in a Location are not ours to send, nor to show.
        return done({
          ...failure(
            shown,
            elapsed(),
            `redirected (${http}) to ${to}, which carries user-info; it was not followed`,
            'bad redirect',
            'Point `url` at the final address.',
          ),
          http,
        })
      }
      if (hops.length === MAX_REDIRECTS) {
        return done({
          ...failure(
            shown,
            elapsed(),
            `led through more than ${MAX_REDIRECTS} redirects (the last to ${to}), so the probe gave up`,
            'redirect loop',
            'Check the redirects the service and its proxies answer, or point `url` at the final address.',
          ),
          http,
        })
      }
      hops.push({ code: http, to: next })
      target = next
    }
    phase = 'body'

    if (res.status >= 300 && res.status < 400 && !plan.follow && !statusInRanges(res.status, plan.ranges)) {
      void res.body?.cancel().catch(() => {})
      const location = res.headers.get('location')
      const resolved = location ? resolve(location, url) : undefined
      const target = location
        ? snippet(resolved ? displayUrl(resolved) : 'a Location that is not a URL', 200)
        : 'an unnamed location (no Location header)'
      return {
        status: 'fail',
        http,
        format: '-',
        latencyMs: elapsed(),
        observed: `HTTP ${http} to ${target}, ${elapsed()}ms`,
        short: `HTTP ${http} redirect`,
        text: `${shown} redirected to ${target} (${http}) instead of answering.`,
        next: 'Set follow-redirects: true if that is expected, or point `url` at the final address.',
      }
    }

    const declared = declaredLength(res.headers)
    if (declared !== undefined && declared > MAX_BODY_BYTES) {
      void res.body?.cancel().catch(() => {})
      return done(tooBig(shown, http, elapsed(), `Content-Length ${declared}`))
    }
    const body = await readBody(res.body, MAX_BODY_BYTES, { within: x.within })
    if (body.over) return done(tooBig(shown, http, elapsed(), `more than ${MAX_BODY_BYTES} bytes`))
    const text = new TextDecoder().decode(body.bytes)
    const latencyMs = elapsed()
    return done(judge(shown, plan, http, res.headers.get('content-type'), text, latencyMs))
  } catch (err) {
    if (x.ended === 'cancelled') {
      return done(failure(shown, elapsed(), 'was not measured: the run was cancelled during the probe', 'cancelled', 'Run the gate again.'))
    }
    if (x.ended === 'timeout') {
      const t = formatDuration(plan.timeout)
      const where = phase === 'body' ? `: HTTP ${http} headers arrived but the body did not finish` : ''
      return done({
        status: 'fail',
        ...(http !== undefined ? { http } : {}),
        format: '-',
        latencyMs: elapsed(),
        observed: `no complete answer within ${t}`,
        short: 'timeout',
        text: `${shown} gave no complete answer within ${t}${where}.`,
        next: 'Check that the service is up and not overloaded, or raise `timeout` if it is slow by design.',
      })
    }
    const cause = describeError(err, url)
    if (phase === 'body') {
      return done({
        ...failure(shown, elapsed(), `answered HTTP ${http} but the body could not be read: ${cause.text}`, cause.short, cause.next),
        http,
      })
    }
    return done(failure(shown, elapsed(), `could not be reached: ${cause.text}`, cause.short, cause.next))
  } finally {
    x.close()
  }
}

function requestHeaders(pairs: HeaderPair[]): Headers {
  const headers = new Headers(pairs)
  if (!headers.has('accept')) headers.set('accept', DEFAULT_ACCEPT)
  if (!headers.has('user-agent')) headers.set('user-agent', USER_AGENT)
  return headers
}

/**
 * Says where the redirects led, so the report names the final URL, and which origins did not get
 * the `headers` (names only: the values are secrets).
 */
function withRedirects(p: Probe, origin: string, hops: Hop[], headers: HeaderPair[]): Probe {
  if (hops.length === 0) return p
  const final = displayUrl(hops[hops.length - 1].to)
  const codes = hops.map((h) => h.code).join(', ')
  const how = hops.length === 1 ? `(${codes})` : `${hops.length} times (${codes})`
  const others = [...new Set(hops.map((h) => new URL(h.to).origin).filter((o) => o !== origin))]
  let crossed = ''
  if (others.length > 0) {
    const names = [...new Set(headers.map(([name]) => name))]
    const them = `${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} another origin than ${origin}`
    crossed = names.length > 0 ? `; ${them}, so the \`headers\` (${names.join(', ')}) were not sent there` : `; ${them}`
  }
  return { ...p, observed: `${p.observed}; final URL ${final}`, text: `${p.text} It was redirected ${how} to ${final}${crossed}.` }
}

function failure(url: string, latencyMs: number, what: string, short: string, next: string): Probe {
  return { status: 'fail', format: '-', latencyMs, observed: short, short, text: `${url} ${what}.`, next }
}

function tooBig(url: string, http: number, latencyMs: number, size: string): Probe {
  return {
    status: 'fail',
    http,
    format: '-',
    latencyMs,
    observed: `HTTP ${http}, body exceeded 1 MiB, ${latencyMs}ms`,
    short: `HTTP ${http}, body too large`,
    text: `${url} answered HTTP ${http} but the body exceeded 1 MiB (${size}); the rest was not downloaded.`,
    next: 'Point `url` at a health endpoint, not a page or a download.',
  }
}

function resolve(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).href
  } catch {
    return undefined
  }
}

/** What to do next about a network error, by its code (the words are lib/errno's). */
const NEXT: Record<string, string> = {
  ECONNREFUSED: 'Check that the service is running and listening at this address, or raise `wait` if it is still starting.',
  ENOTFOUND: 'Check the host name in `url` and the DNS records.',
  EAI_AGAIN: 'Check the resolver and the host name, then run the gate again.',
  ECONNRESET: 'Check the service and any proxy or load balancer in front of it.',
  EPIPE: 'Check the service and any proxy or load balancer in front of it.',
  ETIMEDOUT: 'Check that the address is reachable from the runner (firewall, security group).',
  UND_ERR_CONNECT_TIMEOUT: 'Check that the address is reachable from the runner (firewall, security group).',
  EHOSTUNREACH: 'Check the network path from the runner to the host.',
  ENETUNREACH: 'Check the network path from the runner to the host.',
  UND_ERR_SOCKET: 'Check the service and any proxy or load balancer in front of it.',
  UND_ERR_HEADERS_OVERFLOW: 'Check what the endpoint returns.',
}

/** A cause in one line, never a stack: `connection refused (ECONNREFUSED)`. */
function describeError(err: unknown, url: string): { text: string; short: string; next: string } {
  const { code, words, message: raw } = networkCause(err)
  const message = snippet(hideCredentials(raw), 160) || 'unknown error'
  if (code && words && NEXT[code]) return { text: `${words} (${code})`, short: words, next: NEXT[code] }
  if (code && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_|HOSTNAME|ALTNAME/i.test(code)) {
    return {
      text: `TLS failed: ${message} (${code})`,
      short: 'TLS failed',
      next: 'Check the certificate chain, its expiry and the host name it covers.',
    }
  }
  if (message === 'bad port') {
    const port = new URL(url).port
    return {
      text: `fetch refuses port ${port} (a port the Fetch standard blocks)`,
      short: 'blocked port',
      next: 'Serve the endpoint on another port.',
    }
  }
  return {
    text: code ? `${message} (${code})` : message,
    short: snippet(message, 60),
    next: 'Check the URL and that the service is reachable from the runner.',
  }
}

/** Judges a complete answer: status code, body format and assertions. */
export function judge(
  url: string,
  plan: Pick<Plan, 'ranges' | 'assertions' | 'statusAsserted'>,
  http: number,
  contentType: string | null,
  text: string,
  latencyMs: number,
): Probe {
  let reading: BodyReading
  try {
    reading = classifyBody(contentType, text)
  } catch {
    reading = { format: 'text', mime: '', components: [], componentCount: 0 }
  }
  const statuses: Status[] = []
  const findings: string[] = []
  const next: string[] = []
  const codeOk = statusInRanges(http, plan.ranges)
  if (!codeOk) {
    statuses.push('fail')
    findings.push(`HTTP ${http}, expected ${formatStatusRanges(plan.ranges)}`)
    next.push(`Check the service's logs and dependencies, or widen \`expect-status\` if HTTP ${http} is a healthy answer.`)
  }
  // An assertion on `status` replaces the top-level word, never a failing component.
  const topDecides = reading.verdict !== undefined && !(plan.statusAsserted && reading.fromStatusField)
  const bodyVerdict = worst([
    ...(topDecides ? [reading.verdict as Status] : []),
    ...(reading.componentVerdict ? [reading.componentVerdict] : []),
  ])
  const bodyDecides = topDecides || reading.componentVerdict !== undefined
  if (bodyDecides && bodyVerdict !== 'pass') {
    statuses.push(bodyVerdict)
    if (reading.summary) findings.push(reading.summary)
    findings.push(...reading.components)
    if (reading.problem === 'unrecognised') {
      next.push(
        `Point \`url\` at a health endpoint, or assert the field you rely on with \`expect\` (e.g. ${reading.hint ?? 'status=ok'}).`,
      )
    } else if (reading.problem) {
      next.push('Check what the endpoint returns; a health endpoint answers valid JSON with a `status`.')
    } else if (bodyVerdict === 'warn') {
      next.push('Look at the degraded components before cutting over; the service still answers.')
    } else {
      next.push('Fix what the service reports as failing, then run the gate again.')
    }
  }
  const results = plan.assertions.map((a) => checkAssertion(a, reading, text))
  const failed = results.filter((r) => !r.ok)
  if (failed.length > 0) {
    statuses.push('fail')
    findings.push(...failed.map((r) => r.problem as string))
    next.push(
      reading.json
        ? 'Check the service, or correct the `expect` assertion if this answer is healthy.'
        : 'Point `url` at the JSON health endpoint, or drop `expect` to judge by the status code alone.',
    )
  }
  const status = worst(statuses)

  const label =
    reading.format === 'health+json' || reading.format === 'spring' || reading.format === 'k8s'
      ? `${reading.format === 'k8s' ? 'k8s verbose' : reading.format} ${reading.reported ?? ''}`.trim()
      : reading.format === 'text'
        ? reading.mime || 'text'
        : reading.format === 'empty'
          ? 'empty body'
          : 'json'
  const shown = results.filter((r) => !r.ok).map((r) => r.observed)
  const parts = reading.componentVerdict ? `components ${reading.componentVerdict}` : undefined
  const observed = [`HTTP ${http}`, label, ...(parts ? [parts] : []), ...shown, `${latencyMs}ms`].join(', ')
  const format = reading.format === 'text' ? reading.mime || 'text' : reading.format
  const short = [`HTTP ${http}`, ...(bodyDecides && bodyVerdict !== 'pass' ? [label] : [])].join(', ')

  let sentence: string
  if (status === 'pass') {
    const says =
      reading.format === 'k8s'
        ? ` and ${reading.summary}`
        : bodyDecides && reading.summary
          ? ` and ${reading.summary}`
          : results.length > 0
            ? ` and ${results.map((r) => r.observed).join(', ')} as expected`
            : ''
    const noted = [...reading.components, ...(reading.notes ?? [])]
    const notes = noted.length > 0 ? ` Note: ${noted.join('; ')}.` : ''
    sentence = `${url} answered HTTP ${http} in ${latencyMs}ms${says}.${notes}`
  } else {
    const notes = reading.notes?.length ? `. Note: ${reading.notes.join('; ')}` : ''
    sentence = `${url} answered in ${latencyMs}ms: ${findings.join('; ')}${notes}.`
  }
  return { status, http, format, latencyMs, observed, short, text: sentence, next: [...new Set(next)].join(' ') }
}
