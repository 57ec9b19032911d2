/**
 * HTTP for the canary sources (an evidence URL, the Prometheus API): one bounded GET through
 * ctx.fetch. URLs may carry `user:password@`, which fetch refuses, so the credentials move to
 * a Basic Authorization header, and every way they could leak into a message is masked.
 */
import type { GateContext } from '../../core/gate.js'
import { InputFormError } from '../../core/units.js'
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
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs)
  const cancel = () => controller.abort()
  ctx.signal?.addEventListener('abort', cancel, { once: true })
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', 'user-agent': 'cutover-gates' }
  if (endpoint.authorization) headers.authorization = endpoint.authorization
  try {
    const res = await ctx.fetch(url, { headers, signal: controller.signal, redirect: 'follow' })
    const declared = Number(res.headers.get('content-length'))
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      void res.body?.cancel().catch(() => {})
      throw new FetchProblem(`answered with ${declared} bytes, more than the ${opts.maxBytes} allowed`)
    }
    const chunks: Uint8Array[] = []
    let size = 0
    if (res.body) {
      const reader = res.body.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        size += value.byteLength
        if (size > opts.maxBytes) {
          void reader.cancel().catch(() => {})
          throw new FetchProblem(`answered with more than the ${opts.maxBytes} bytes allowed`)
        }
        chunks.push(value)
      }
    }
    const lastModified = res.headers.get('last-modified') ?? undefined
    return {
      status: res.status,
      text: Buffer.concat(chunks).toString('utf8'),
      ...(lastModified !== undefined ? { lastModified } : {}),
      ...(res.url && res.url !== url ? { finalUrl: res.url } : {}),
    }
  } catch (err) {
    if (err instanceof FetchProblem) throw err
    if (controller.signal.aborted) {
      throw new FetchProblem(
        ctx.signal?.aborted ? 'was not asked: the run was cancelled' : `gave no complete answer within ${opts.timeoutMs / 1000}s`,
      )
    }
    throw new FetchProblem(`could not be reached: ${cause(err)}`)
  } finally {
    clearTimeout(timer)
    ctx.signal?.removeEventListener('abort', cancel)
  }
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

/** One line, never a stack: `connection refused (ECONNREFUSED)`. */
function cause(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; cause?: unknown } | undefined
  let c = (e?.cause ?? err) as { message?: unknown; code?: unknown; errors?: unknown } | undefined
  if (c && !c.code && Array.isArray(c.errors) && c.errors.length > 0) c = c.errors[0] as typeof c
  const code = typeof c?.code === 'string' ? c.code : typeof e?.code === 'string' ? e.code : undefined
  if (code && CAUSES[code]) return `${CAUSES[code]} (${code})`
  const message = hideCredentials(String(c?.message ?? e?.message ?? err))
    .replace(/\s+/g, ' ')
    .slice(0, 160)
  return code ? `${message} (${code})` : message
}
