/**
 * One request of a flow: sent through `ctx.fetch`, bounded by a time limit (connect, headers and
 * body), the answer capped at 1 MiB. Redirects are followed here, not by fetch, and only when
 * asked: fetch would carry the step's headers (every one a secret) to whatever host a Location
 * names. Across origins they are dropped; a 303 (and a 301/302 after POST) becomes a GET without
 * its body, as browsers and fetch do.
 */
import type { GateContext } from '../../core/gate.js'
import { networkCause } from '../../lib/errno.js'
import { MAX_BODY_BYTES, MAX_REDIRECTS, REDIRECTS, USER_AGENT, declaredLength, exchange as bounded, readBody } from '../../lib/http.js'
import { displayUrl, hasUserinfo, hideCredentials } from '../../lib/url.js'
import { snippet } from '../../lib/health-body.js'

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

export async function exchange(ctx: GateContext, req: Request, o: { timeoutMs: number; follow: boolean }): Promise<Exchange> {
  // A timer bounds real network I/O (a fake test clock must not fire it); ctx.timers lets a test fire it.
  const x = bounded(o.timeoutMs, { signal: ctx.signal, timers: ctx.timers })
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
      res = await x.within(
        Promise.resolve().then(() =>
          ctx.fetch(target, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal: x.signal }),
        ),
      )
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
    const declared = declaredLength(res.headers)
    if (declared !== undefined && declared > MAX_BODY_BYTES) {
      void res.body?.cancel().catch(() => {})
      return {
        ok: false,
        status,
        short: 'answer too large',
        text: `answered HTTP ${status} with a body over 1 MiB (Content-Length ${declared}); it was not read`,
        hops,
      }
    }
    const read = await readBody(res.body, MAX_BODY_BYTES, { within: x.within })
    if (read.over)
      return {
        ok: false,
        status,
        short: 'answer too large',
        text: `answered HTTP ${status} with a body over 1 MiB; the rest was not read`,
        hops,
      }
    return {
      ok: true,
      status: res.status,
      contentType: res.headers.get('content-type'),
      text: new TextDecoder().decode(read.bytes),
      hops,
      finalUrl: target,
    }
  } catch (err) {
    if (x.ended === 'cancelled') return { ok: false, short: 'cancelled', text: 'was not finished: the run was cancelled', hops }
    if (x.ended === 'timeout') {
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
  } finally {
    x.close()
  }
}

/** `connection refused (ECONNREFUSED)`, never a stack; a header value in the error is never quoted. */
function cause(err: unknown): { short: string; text: string } {
  const e = err as { message?: unknown; name?: unknown }
  const { code, words, message: raw } = networkCause(err)
  if (code && words) return { short: words, text: `${words} (${code})` }
  // A header fetch refuses (a captured value with a character a header cannot carry) names the value: say only that.
  if (e?.name === 'TypeError' && /header/i.test(String(e.message)))
    return { short: 'headers refused', text: 'the request headers could not be built from the step and its captured values' }
  const message = snippet(hideCredentials(raw), 160) || 'unknown error'
  return { short: snippet(message, 60), text: code ? `${message} (${code})` : message }
}
