/**
 * One bounded HTTP exchange, as every gate that speaks HTTP needs it: the request, its headers
 * and its body within one time limit, given up at once when the run is cancelled, and a body
 * read only up to a cap (the rest is never downloaded).
 */

import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http'
import type { Readable } from 'node:stream'
import { realTimers, type Timers } from './timers.js'

/** The most of an answer a probe reads; more is a `fail`, and the rest is never downloaded. */
export const MAX_BODY_BYTES = 1024 * 1024
export const USER_AGENT = 'cutover-gates'
/** The codes fetch itself follows; any other 3xx is an answer. */
export const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** As many redirects as fetch follows before it gives up. */
export const MAX_REDIRECTS = 20

export interface Exchange {
  /** Give this to fetch: it aborts at the deadline or when the run is cancelled. */
  readonly signal: AbortSignal
  /** Races one step (the fetch, a read) against the end: a step that ignores the signal cannot outlive it. */
  within<T>(step: Promise<T>): Promise<T>
  /** Why the exchange ended early: `timeout`, `cancelled`, or undefined while it runs. */
  readonly ended: 'timeout' | 'cancelled' | undefined
  /** Disarms the deadline and lets go of the run's signal. */
  close(): void
}

class Deadline extends Error {}
class Cancelled extends Error {}

/**
 * Starts an exchange that ends after `timeoutMs` or when `signal` (the run's) aborts. The
 * deadline is a timer, not the gate's clock: it bounds real I/O, so an instant test clock must
 * not fire it; a test that wants it to fire passes `timers`.
 */
export function exchange(timeoutMs: number, opts: { signal?: AbortSignal; timers?: Timers } = {}): Exchange {
  const timers = opts.timers ?? realTimers
  const controller = new AbortController()
  const timer = timers.setTimeout(() => controller.abort(new Deadline()), timeoutMs)
  const cancel = () => controller.abort(new Cancelled())
  if (opts.signal?.aborted) cancel()
  else opts.signal?.addEventListener('abort', cancel, { once: true })
  const expired = new Promise<never>((_, reject) => {
    const fire = () => reject(controller.signal.reason)
    if (controller.signal.aborted) fire()
    else controller.signal.addEventListener('abort', fire, { once: true })
  })
  expired.catch(() => {})
  return {
    signal: controller.signal,
    within: <T>(step: Promise<T>) => Promise.race([step, expired]),
    get ended() {
      const why = controller.signal.reason
      return why instanceof Cancelled ? 'cancelled' : why instanceof Deadline ? 'timeout' : undefined
    },
    close() {
      timers.clearTimeout(timer)
      opts.signal?.removeEventListener('abort', cancel)
    },
  }
}

/** What `request` answers: the parts of a fetch Response the probes read. */
export interface Answer {
  status: number
  headers: AnswerHeaders
  /** The body as it arrives (decoded when the server compressed it); read it with `readBody`. */
  body: Readable
  /** Stops the download: the rest of the body is never read. */
  cancel(): void
}

export interface AnswerHeaders {
  get(name: string): string | null
  has(name: string): boolean
}

/**
 * One request through node:http or node:https, never following a redirect. Not fetch: fetch
 * loads undici (about 13 MB and 40 ms at start-up, and several times node:http's CPU per request),
 * which a probe of 200 endpoints or a cold-started action pays for nothing. The modules are taken
 * with getBuiltinModule, not imported: an ES import of node:http builds its namespace, whose
 * WebSocket getters load undici all the same. `headers` must already be valid (see `requestHeaders`).
 */
export function request(url: string, opts: { method?: string; headers: Record<string, string>; signal: AbortSignal }): Promise<Answer> {
  const target = new URL(url)
  const mod =
    target.protocol === 'https:'
      ? (process.getBuiltinModule('node:https') as typeof import('node:https'))
      : target.protocol === 'http:'
        ? (process.getBuiltinModule('node:http') as typeof import('node:http'))
        : undefined
  if (!mod) return Promise.reject(new Error(`${target.protocol} is not http or https`))
  return new Promise((resolve, reject) => {
    let req: ClientRequest
    const options: RequestOptions = { method: opts.method ?? 'GET', headers: opts.headers, signal: opts.signal }
    try {
      req = mod.request(target, options, (res) => resolve(answer(res)))
    } catch (err) {
      return reject(err)
    }
    req.on('error', (err) => reject(tlsCode(err)))
    req.end()
  })
}

/**
 * node:https reports an OpenSSL failure as a bare EPROTO; name it by OpenSSL's reason, as undici
 * does (`ERR_SSL_WRONG_VERSION_NUMBER`), so that it reads as the TLS failure it is.
 */
function tlsCode(err: Error & { code?: unknown }): Error {
  const reason = err.code === 'EPROTO' ? /SSL routines:[^:]*:([^:]+):/.exec(err.message)?.[1] : undefined
  if (reason)
    err.code = `ERR_SSL_${reason
      .trim()
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')}`
  return err
}

function answer(res: IncomingMessage): Answer {
  const headers: AnswerHeaders = {
    get(name) {
      const v = res.headers[name.toLowerCase()]
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v
    },
    has: (name) => res.headers[name.toLowerCase()] !== undefined,
  }
  // Decoded as fetch does, so the body judged is the one the service meant.
  const coding = (headers.get('content-encoding') ?? '').trim().toLowerCase()
  let body: Readable = res
  if (coding === 'gzip' || coding === 'x-gzip' || coding === 'deflate' || coding === 'br') {
    const zlib = process.getBuiltinModule('node:zlib') as typeof import('node:zlib')
    const decoder =
      coding === 'br'
        ? zlib.createBrotliDecompress()
        : coding === 'deflate'
          ? zlib.createInflate()
          : zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
    res.on('error', (err) => decoder.destroy(err))
    body = res.pipe(decoder)
  }
  return {
    status: res.statusCode ?? 0,
    headers,
    body,
    cancel() {
      res.destroy()
      if (body !== res) body.destroy()
    },
  }
}

/**
 * Request headers as fetch's Headers would send them: names folded to lower case, a repeated name
 * joined with `, `. Throws (a TypeError naming no value) on a name or value a header cannot carry.
 */
export function requestHeaders(pairs: Iterable<readonly [string, string]>, defaults: Record<string, string> = {}): Record<string, string> {
  const http = process.getBuiltinModule('node:http') as typeof import('node:http')
  const out: Record<string, string> = {}
  for (const [rawName, rawValue] of pairs) {
    const name = rawName.toLowerCase()
    // fetch strips leading and trailing whitespace from a value.
    const value = rawValue.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')
    try {
      http.validateHeaderName(name)
      http.validateHeaderValue(name, value)
    } catch {
      throw new TypeError('a request header has a name or value a header cannot carry')
    }
    out[name] = name in out ? `${out[name]}, ${value}` : value
  }
  for (const [name, value] of Object.entries(defaults)) if (!(name in out)) out[name] = value
  return out
}

export interface Body {
  bytes: Uint8Array
  /** The body was longer than the cap: the rest was not read, and the stream was cancelled. */
  over: boolean
}

/**
 * Reads a body up to `maxBytes`. Past the cap it stops and cancels the stream; `head` keeps the
 * first `maxBytes` (enough of an error answer to quote), otherwise nothing of an oversized body
 * is returned.
 */
export async function readBody(
  body: ReadableStream<Uint8Array> | Readable | null,
  maxBytes: number,
  opts: { within?: <T>(step: Promise<T>) => Promise<T>; head?: boolean } = {},
): Promise<Body> {
  if (!body) return { bytes: new Uint8Array(0), over: false }
  if (!('getReader' in body)) return readNodeBody(body, maxBytes, opts)
  const within = opts.within ?? (<T>(step: Promise<T>) => step)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let finished = false
  try {
    for (;;) {
      const { done, value } = await within(reader.read())
      if (done) {
        finished = true
        break
      }
      size += value.byteLength
      if (size > maxBytes) {
        if (!opts.head) return { bytes: new Uint8Array(0), over: true }
        chunks.push(value)
        return { bytes: concat(chunks).subarray(0, maxBytes), over: true }
      }
      chunks.push(value)
    }
  } finally {
    if (!finished) void reader.cancel().catch(() => {})
  }
  return { bytes: concat(chunks), over: false }
}

async function readNodeBody(
  body: Readable,
  maxBytes: number,
  opts: { within?: <T>(step: Promise<T>) => Promise<T>; head?: boolean },
): Promise<Body> {
  const within = opts.within ?? (<T>(step: Promise<T>) => step)
  const chunks: Uint8Array[] = []
  let size = 0
  const read = new Promise<Body>((resolve, reject) => {
    const stop = (b: Body) => {
      body.off('data', onData)
      body.destroy()
      resolve(b)
    }
    const onData = (value: Uint8Array) => {
      size += value.byteLength
      chunks.push(value)
      if (size > maxBytes)
        stop(opts.head ? { bytes: concat(chunks).subarray(0, maxBytes), over: true } : { bytes: new Uint8Array(0), over: true })
    }
    body.on('data', onData)
    body.once('end', () => resolve({ bytes: concat(chunks), over: false }))
    body.once('error', reject)
    // A server that closes mid-body without an error still did not send the whole answer.
    body.once('close', () => {
      if (!body.readableEnded) reject(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' }))
    })
  })
  try {
    return await within(read)
  } finally {
    if (!body.readableEnded) body.destroy()
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

/** The Content-Length an answer declares, when it is a number (a compressed body's says nothing of what we read). */
export function declaredLength(headers: AnswerHeaders): number | undefined {
  if (headers.has('content-encoding')) return undefined
  const n = Number(headers.get('content-length'))
  return headers.has('content-length') && Number.isFinite(n) ? n : undefined
}
