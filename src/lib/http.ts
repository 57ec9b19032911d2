/**
 * One bounded HTTP exchange, as every gate that speaks HTTP needs it: the request, its headers
 * and its body within one time limit, given up at once when the run is cancelled, and a body
 * read only up to a cap (the rest is never downloaded).
 */

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
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  opts: { within?: <T>(step: Promise<T>) => Promise<T>; head?: boolean } = {},
): Promise<Body> {
  if (!body) return { bytes: new Uint8Array(0), over: false }
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
export function declaredLength(headers: Headers): number | undefined {
  if (headers.has('content-encoding')) return undefined
  const n = Number(headers.get('content-length'))
  return headers.has('content-length') && Number.isFinite(n) ? n : undefined
}
