/**
 * The webhook: its URL is a credential (whoever holds a Slack or Teams webhook URL can post to
 * the channel), so it is parsed here, named only by its host in every sentence, and its
 * secret-looking parts are handed to the redactor. One POST, bounded by a timeout; the answer is
 * described, never thrown.
 */
import type { GateContext } from '../../core/gate.js'
import { InputFormError, formatDuration } from '../../core/units.js'
import { describeNetworkError } from '../../lib/errno.js'
import { exchange, readBody } from '../../lib/http.js'
import { safeDecode } from '../../lib/url.js'

export const WEBHOOK_FORM =
  'an https:// webhook URL (http:// only for localhost), without user:password@, such as https://hooks.slack.com/services/…'

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Never quotes the value: the error shows `(value hidden)` because the input is secret. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new InputFormError('(hidden)', WEBHOOK_FORM)
  }
  const local = LOOPBACK.has(url.hostname) || url.hostname.endsWith('.localhost')
  // Over plain http the URL (the credential) and the payload would cross the network in clear.
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && local)) || url.hostname === '')
    throw new InputFormError('(hidden)', WEBHOOK_FORM)
  if (url.username || url.password) throw new InputFormError('(hidden)', WEBHOOK_FORM)
  return url
}

/** Below this length a path segment or query value is a word (`services`, `1.0`), not a token. */
const TOKEN_MIN = 16

/**
 * What to mask for a webhook URL: the URL as given and as normalised, its path and query, and each
 * long path segment or query value (Slack's token, a Teams workflow id and `sig`), so that a
 * fragment quoted by some error message is masked too. The host is not a secret and stays readable.
 */
export function webhookSecrets(raw: string): string[] {
  const out = [raw.trim()]
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return out
  }
  out.push(url.href, url.pathname + url.search, url.search.slice(1))
  for (const seg of url.pathname.split('/')) if (seg.length >= TOKEN_MIN) out.push(seg, safeDecode(seg))
  for (const [, v] of url.searchParams) if (v.length >= TOKEN_MIN) out.push(v)
  if (url.username) out.push(url.username)
  if (url.password) out.push(url.password, safeDecode(url.password))
  return [...new Set(out)].filter((s) => s.length >= 3 && s !== '/')
}

/** How every sentence names the webhook: its format and host, never its path or query. */
export function describeWebhook(format: string, url: URL): string {
  return `the ${format} webhook (host ${url.host})`
}

export type Delivery =
  | { outcome: 'delivered'; status: number; ms: number; body: string }
  | { outcome: 'refused'; status: number; ms: number; body: string }
  | { outcome: 'timeout'; ms: number }
  | { outcome: 'cancelled'; ms: number }
  | { outcome: 'error'; ms: number; cause: string }

/** The most of an answer we read: enough for Slack's `invalid_payload` or a JSON error. */
export const MAX_ANSWER_BYTES = 4096

export async function postJson(ctx: GateContext, url: URL, payload: unknown, timeoutMs: number): Promise<Delivery> {
  const t0 = ctx.now().getTime()
  const ms = () => Math.max(0, ctx.now().getTime() - t0)
  // A fetch that ignores its signal still cannot hold the gate past the deadline.
  const x = exchange(timeoutMs, { signal: ctx.signal, timers: ctx.timers })
  try {
    const res = await x.within(
      Promise.resolve().then(() =>
        ctx.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'cutover-gates' },
          body: JSON.stringify(payload),
          // A webhook does not redirect; following one would send the payload somewhere else.
          redirect: 'manual',
          signal: x.signal,
        }),
      ),
    )
    const answer = await readBody(res.body, MAX_ANSWER_BYTES, { within: x.within, head: true })
    const body = new TextDecoder().decode(answer.bytes).replace(/\s+/g, ' ').trim()
    return { outcome: res.status >= 200 && res.status < 300 ? 'delivered' : 'refused', status: res.status, ms: ms(), body }
  } catch (err) {
    if (x.ended === 'cancelled') return { outcome: 'cancelled', ms: ms() }
    if (x.ended === 'timeout') return { outcome: 'timeout', ms: ms() }
    // undici's messages hold no URL, and the redactor masks the webhook's parts in any case.
    return { outcome: 'error', ms: ms(), cause: describeNetworkError(err, (m) => m.slice(0, 200)) }
  } finally {
    x.close()
  }
}

export function describeDelivery(d: Delivery, timeoutMs: number): string {
  switch (d.outcome) {
    case 'delivered':
    case 'refused':
      return `HTTP ${d.status} in ${formatDuration(d.ms)}`
    case 'timeout':
      return `no answer within ${formatDuration(timeoutMs)}`
    case 'cancelled':
      return 'cancelled'
    case 'error':
      return d.cause
  }
}
