/**
 * HTTP for the canary sources (an evidence URL, the Prometheus API): one bounded GET through
 * ctx.fetch. URLs may carry `user:password@`, which fetch refuses, so the credentials move to
 * a Basic Authorization header, and every way they could leak into a message is masked.
 */
import type { GateContext } from '../../core/gate.js'
import { InputFormError } from '../../core/units.js'
import { describeNetworkError } from '../../lib/errno.js'
import { declaredLength, exchange, readBody } from '../../lib/http.js'
import { hideCredentials, safeDecode } from '../../lib/url.js'

// The URL secret logic is shared with readyz; canary's callers keep importing it from here.
export { hideCredentials, urlSecrets } from '../../lib/url.js'

export const HTTP_URL_FORM = 'an absolute http:// or https:// URL, such as http://prometheus:9090'

/** A URL split into what is safe to show and what must only travel in a header. */
export interface Endpoint {
  /** The URL without user:password, as sent. */
  url: string
  /** Shown in messages: no credentials, no query string (it may hold tokens). */
  shown: string
  authorization?: string
}

export function parseEndpoint(raw: string, form = HTTP_URL_FORM): Endpoint {
  const text = raw.trim()
  let u: URL
  try {
    u = new URL(text)
  } catch {
    throw new InputFormError(hideCredentials(text), form)
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') throw new InputFormError(hideCredentials(text), form)
  let authorization: string | undefined
  if (u.username || u.password) {
    const pair = `${safeDecode(u.username)}:${safeDecode(u.password)}`
    authorization = `Basic ${Buffer.from(pair).toString('base64')}`
    u.username = ''
    u.password = ''
  }
  u.hash = ''
  const shown = `${u.origin}${u.pathname === '/' ? '' : u.pathname}`
  return { url: u.href, shown, ...(authorization ? { authorization } : {}) }
}

/** Why a request produced no usable answer, in words a person can act on. */
export class FetchProblem extends Error {}

export interface FetchOptions {
  timeoutMs: number
  maxBytes: number
  accept?: string
}

export interface FetchAnswer {
  status: number
  text: string
  /** The Last-Modified header, as sent. */
  lastModified?: string
  /** Where the answer came from after redirects (fetch drops Authorization when they cross origins). */
  finalUrl?: string
}

/** One GET; never throws anything but FetchProblem (or an abort of the whole run). */
export async function getText(ctx: GateContext, endpoint: Endpoint, url: string, opts: FetchOptions): Promise<FetchAnswer> {
  const x = exchange(opts.timeoutMs, { signal: ctx.signal, timers: ctx.timers })
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', 'user-agent': 'cutover-gates' }
  if (endpoint.authorization) headers.authorization = endpoint.authorization
  try {
    const res = await x.within(Promise.resolve().then(() => ctx.fetch(url, { headers, signal: x.signal, redirect: 'follow' })))
    const declared = declaredLength(res.headers)
    if (declared !== undefined && declared > opts.maxBytes) {
      void res.body?.cancel().catch(() => {})
      throw new FetchProblem(`answered with ${declared} bytes, more than the ${opts.maxBytes} allowed`)
    }
    const body = await readBody(res.body, opts.maxBytes, { within: x.within })
    if (body.over) throw new FetchProblem(`answered with more than the ${opts.maxBytes} bytes allowed`)
    const lastModified = res.headers.get('last-modified') ?? undefined
    return {
      status: res.status,
      text: Buffer.from(body.bytes).toString('utf8'),
      ...(lastModified !== undefined ? { lastModified } : {}),
      ...(res.url && res.url !== url ? { finalUrl: res.url } : {}),
    }
  } catch (err) {
    if (err instanceof FetchProblem) throw err
    if (x.ended === 'cancelled') throw new FetchProblem('was not asked: the run was cancelled')
    if (x.ended === 'timeout') throw new FetchProblem(`gave no complete answer within ${opts.timeoutMs / 1000}s`)
    throw new FetchProblem(`could not be reached: ${describeNetworkError(err, (m) => hideCredentials(m).slice(0, 160))}`)
  } finally {
    x.close()
  }
}
