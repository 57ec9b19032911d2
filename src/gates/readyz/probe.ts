/**
 * One probe: a bounded exchange (connect, headers and body within `timeout`, body capped at
 * 1 MiB), redirects followed by hand so custom headers never reach another origin, and the
 * answer judged on its status code, its body and the `expect` assertions.
 */
import type { GateContext } from '../../core/gate.js'
import { worst, type Status } from '../../core/result.js'
import { formatDuration, formatStatusRanges, statusInRanges, type StatusRange } from '../../core/units.js'
import { networkCause } from '../../lib/errno.js'
import {
  MAX_BODY_BYTES,
  MAX_REDIRECTS,
  REDIRECTS,
  USER_AGENT,
  declaredLength,
  exchange,
  readBody,
  request,
  requestHeaders,
  type Answer,
} from '../../lib/http.js'
import { displayUrl, hasUserinfo, hideCredentials } from '../../lib/url.js'
import { checkAssertion, classifyBody, snippet, type Assertion, type BodyReading } from '../../lib/health-body.js'
import type { HeaderPair } from '../../lib/headers.js'

export const DEFAULT_ACCEPT = 'application/health+json, application/json;q=0.9, text/plain;q=0.8, */*;q=0.5'

export interface Plan {
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

/** A probe never throws: anything unexpected is a `fail` that says so. */
export async function probeSafely(url: string, shown: string, plan: Plan, ctx: GateContext): Promise<Probe> {
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
    let own: Record<string, string>
    let bare: Record<string, string>
    try {
      own = requestHeaders(plan.headers, DEFAULTS)
      bare = requestHeaders([], DEFAULTS)
    } catch {
      // Never quote the error: it would carry the header value.
      return failure(shown, elapsed(), 'the request headers could not be built', 'headers rejected', 'Check the `headers` input.')
    }
    // Redirects are followed here, never by the client: custom headers (X-Api-Key) stay on their origin.
    let target = url
    let res: Answer
    for (;;) {
      const headers = new URL(target).origin === origin ? own : bare
      res = await x.within(request(target, { method: 'GET', headers, signal: x.signal }))
      http = res.status
      const location = res.headers.get('location')
      if (!plan.follow || !REDIRECTS.has(res.status) || location === null) break
      res.cancel()
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
      res.cancel()
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
      res.cancel()
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
    const cause = describeError(err)
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

const DEFAULTS = { accept: DEFAULT_ACCEPT, 'user-agent': USER_AGENT }

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
function describeError(err: unknown): { text: string; short: string; next: string } {
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
