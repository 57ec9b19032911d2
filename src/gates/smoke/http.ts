/**
 * One request of a flow: sent through `ctx.fetch`, bounded by a time limit (connect, headers and
 * body), the answer capped at 1 MiB. Redirects are followed here, not by fetch, and only when
 * asked: fetch would carry the step's headers (every one a secret) to whatever host a Location
 * names. Across origins they are dropped; a 303 (and a 301/302 after POST) becomes a GET without
 * its body, as browsers and fetch do.
 */
import type { GateContext } from '../../core/gate.js'
import { displayUrl, hasUserinfo, hideCredentials } from '../../core/url.js'
import { snippet } from '../health-body.js'
import { MAX_BODY_BYTES, MAX_REDIRECTS, USER_AGENT } from '../readyz.js'

export interface Request {
  method: string
  url: string
  /** The step's headers, every one a secret. */
  headers: [string, string][]
  /** JSON text. */
  body?: string
}

export interface Hop {
  status: number
  to: string
}

export type Exchange =
  | { ok: true; status: number; contentType: string | null; text: string; hops: Hop[]; finalUrl: string }
  | { ok: false; status?: number; short: string; text: string; hops: Hop[] }

const REDIRECTS = new Set([301, 302, 303, 307, 308])

export async function exchange(ctx: GateContext, req: Request, o: { timeoutMs: number; follow: boolean }): Promise<Exchange> {
  // AbortSignal.timeout bounds real network I/O (a fake test clock must not fire it) and holds nothing open.
  const limit = AbortSignal.timeout(o.timeoutMs)
  const signal = ctx.signal ? AbortSignal.any([limit, ctx.signal]) : limit
  const hops: Hop[] = []
  let status: number | undefined
  let phase: 'connect' | 'body' = 'connect'
  const origin = new URL(req.url).origin
  let method = req.method
  let body = req.body
  let target = req.url
  try {
    let res: Response
    for (;;) {
      const headers = new Headers(new URL(target).origin === origin ? req.headers : [])
      if (!headers.has('accept')) headers.set('accept', 'application/json, */*;q=0.5')
      if (!headers.has('user-agent')) headers.set('user-agent', USER_AGENT)
      if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json')
      res = await ctx.fetch(target, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal })
      status = res.status
      const location = res.headers.get('location')
      if (!o.follow || !REDIRECTS.has(res.status) || location === null) break
      void res.body?.cancel().catch(() => {})
      let next: URL
      try {
        next = new URL(location, target)
      } catch {
        return { ok: false, status, short: 'bad redirect', text: `was redirected (${status}) to a Location that is not a URL`, hops }
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:')
        return {
          ok: false,
          status,
          short: 'bad redirect',
          text: `was redirected (${status}) to ${displayUrl(next.href)}, which is not http or https; it was not followed`,
          hops,
        }
      if (hasUserinfo(location))
        return {
          ok: false,
          status,
          short: 'bad redirect',
          text: `was redirected (${status}) to a URL carrying user-info; it was not followed`,
          hops,
        }
      if (hops.length === MAX_REDIRECTS)
        return {
          ok: false,
          status,
          short: 'redirect loop',
          text: `led through more than ${MAX_REDIRECTS} redirects, so it was given up`,
          hops,
        }
      hops.push({ status, to: next.href })
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET'
        body = undefined
      }
      target = next.href
    }
    phase = 'body'
    const declared = Number(res.headers.get('content-length'))
    if (!res.headers.has('content-encoding') && Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      void res.body?.cancel().catch(() => {})
      return {
        ok: false,
        status,
        short: 'answer too large',
        text: `answered HTTP ${status} with a body over 1 MiB (Content-Length ${declared}); it was not read`,
        hops,
      }
    }
    const read = await readCapped(res.body)
    if (read === undefined)
      return {
        ok: false,
        status,
        short: 'answer too large',
        text: `answered HTTP ${status} with a body over 1 MiB; the rest was not read`,
        hops,
      }
    return { ok: true, status: res.status, contentType: res.headers.get('content-type'), text: read, hops, finalUrl: target }
  } catch (err) {
    if (ctx.signal?.aborted) return { ok: false, short: 'cancelled', text: 'was not finished: the run was cancelled', hops }
    if (limit.aborted) {
      const seconds = `${o.timeoutMs < 1000 ? `${o.timeoutMs}ms` : `${+(o.timeoutMs / 1000).toFixed(1)}s`}`
      return {
        ok: false,
        ...(status !== undefined ? { status } : {}),
        short: 'timeout',
        text:
          phase === 'body' ? `answered HTTP ${status} but the body did not finish within ${seconds}` : `gave no answer within ${seconds}`,
        hops,
      }
    }
    const why = cause(err)
    return {
      ok: false,
      ...(status !== undefined ? { status } : {}),
      short: why.short,
      text: phase === 'body' ? `answered HTTP ${status} but the body could not be read: ${why.text}` : `could not be reached: ${why.text}`,
      hops,
    }
  }
}

async function readCapped(body: ReadableStream<Uint8Array> | null): Promise<string | undefined> {
  if (!body) return ''
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let done = false
  try {
    for (;;) {
      const r = await reader.read()
      if (r.done) {
        done = true
        break
      }
      size += r.value.byteLength
      if (size > MAX_BODY_BYTES) return undefined
      chunks.push(r.value)
    }
  } finally {
    if (!done) void reader.cancel().catch(() => {})
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}

const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no DNS record for the host',
  EAI_AGAIN: 'the DNS lookup failed for now',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection closed before a complete answer',
}

/** `connection refused (ECONNREFUSED)`, never a stack; a header value in the error is never quoted. */
function cause(err: unknown): { short: string; text: string } {
  const e = err as { message?: unknown; code?: unknown; cause?: unknown; name?: unknown }
  let c = (e?.cause ?? err) as { message?: unknown; code?: unknown; errors?: unknown }
  if (c && !c.code && Array.isArray(c.errors) && c.errors.length > 0) c = c.errors[0] as typeof c
  const code = typeof c?.code === 'string' ? c.code : typeof e?.code === 'string' ? e.code : undefined
  if (code && CAUSES[code]) return { short: CAUSES[code], text: `${CAUSES[code]} (${code})` }
  // A header fetch refuses (a captured value with a character a header cannot carry) names the value: say only that.
  if (e?.name === 'TypeError' && /header/i.test(String(e.message)))
    return { short: 'headers refused', text: 'the request headers could not be built from the step and its captured values' }
  const message = snippet(hideCredentials(String(c?.message ?? e?.message ?? err)), 160) || 'unknown error'
  return { short: snippet(message, 60), text: code ? `${message} (${code})` : message }
}
