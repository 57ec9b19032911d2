/**
 * The certificate chain a live TLS service presents. We connect with SNI, finish the handshake
 * without rejecting (an expired or untrusted chain must still be read to be reported), walk
 * every certificate of `getPeerCertificate(true)`, and keep the verdict OpenSSL and Node reached
 * on trust and host name, so the report can say it.
 */
import { X509Certificate } from 'node:crypto'
import { isIP, isIPv6 } from 'node:net'
import type * as tls from 'node:tls'
import type { DetailedPeerCertificate } from 'node:tls'
import type { TlsPort } from '../../core/gate.js'
import { InputFormError, formatDuration, parseList } from '../../core/units.js'
import { networkCause } from '../../lib/errno.js'
import { realTimers, type Timers } from '../../lib/timers.js'

export interface Endpoint {
  /** As written in the input: names checks. */
  text: string
  /** The name the certificate must cover and SNI carries (unless it is an IP address). */
  host: string
  port: number
  /** Where to connect: `host`, or the address after `via`. */
  connect: string
  servername?: string
}

export const ENDPOINT_FORM =
  '`host:port` of TLS services, one per line, such as api.example.com:443 or [2001:db8::1]:443; add `via <address>` to connect to another address while sending SNI for host (api.example.com:443 via 203.0.113.10)'

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/

function validHost(h: string): boolean {
  return isIP(h) !== 0 || HOSTNAME.test(h)
}

export function parseEndpoint(item: string): Endpoint {
  const m = /^(\[[^\]]+\]|[^\s:[\]]+):(\d{1,5})(?:\s+via\s+(\S+))?$/.exec(item.trim())
  if (!m) throw new InputFormError(item, ENDPOINT_FORM)
  let host = m[1]
  if (host.startsWith('[')) {
    host = host.slice(1, -1)
    if (!isIPv6(host)) throw new InputFormError(item, ENDPOINT_FORM)
  } else if (!validHost(host) || isIPv6(host)) throw new InputFormError(item, ENDPOINT_FORM)
  const port = Number(m[2])
  if (port < 1 || port > 65535) throw new InputFormError(item, ENDPOINT_FORM)
  let connect = host
  if (m[3]) {
    connect = m[3].replace(/^\[(.*)\]$/, '$1')
    if (!validHost(connect)) throw new InputFormError(item, ENDPOINT_FORM)
  }
  // RFC 6066: SNI carries host names only.
  const servername = isIP(host) === 0 ? host.replace(/\.$/, '') : undefined
  return { text: item.trim().replace(/\s+/g, ' '), host, port, connect, ...(servername ? { servername } : {}) }
}

export function parseEndpoints(raw: string): Endpoint[] {
  const items = parseList(raw)
  if (items.length === 0) throw new InputFormError(raw, ENDPOINT_FORM)
  const seen = new Set<string>()
  return items.map(parseEndpoint).filter((e) => !seen.has(e.text) && seen.add(e.text))
}

export interface TlsReading {
  /** Leaf first, then each issuer Node reports (the presented chain, completed with a trusted root when found). */
  chain: X509Certificate[]
  authorized: boolean
  /** OpenSSL's or Node's code when not authorized: SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID, ... */
  authorizationError?: string
  /** For a host name mismatch: Node's sentence naming the names the certificate covers. */
  identityProblem?: string
  protocol: string | null
  /** The address actually connected to. */
  remoteAddress?: string
}

/** A connection or handshake that did not complete: `text` is one clause, `next` what to do. */
export class TlsFailure extends Error {
  constructor(
    readonly text: string,
    readonly short: string,
    readonly next: string,
    readonly code?: string,
  ) {
    super(text)
  }
}

export interface FetchOptions {
  timeoutMs: number
  /**
   * Trust for the handshake when the default roots are not enough (built once with trustContext:
   * a `ca` option per connection would parse every root again, ~70 ms a handshake).
   */
  secureContext?: tls.SecureContext
  signal?: AbortSignal
  /** The gate's TLS port (ctx.tls) and timers (ctx.timers). */
  tls: TlsPort
  timers?: Timers
}

/** What to do next about a connection that failed, by its code; during a handshake two codes say more. */
const NEXT: Record<string, string> = {
  ECONNREFUSED: 'Check that the service is running and listening on this port.',
  ENOTFOUND: 'Check the host name and its DNS records.',
  EAI_AGAIN: 'Check the resolver and the host name, then run the gate again.',
  ECONNRESET: 'Check that the port speaks TLS, and any proxy or load balancer in front of it.',
  ETIMEDOUT: 'Check that the address is reachable from the runner (firewall, security group).',
  EHOSTUNREACH: 'Check the network path from the runner to the host.',
  ENETUNREACH: 'Check the network path from the runner to the host.',
  EPIPE: 'Check that the port speaks TLS.',
}
const HANDSHAKE_WORDS: Record<string, string> = {
  ECONNRESET: 'the connection was reset during the handshake',
  EPIPE: 'the connection closed during the handshake',
}

function describe(err: unknown): TlsFailure {
  if (err instanceof TlsFailure) return err
  const { code, words: known, message: raw } = networkCause(err)
  const message = raw.slice(0, 160)
  const words = code ? (HANDSHAKE_WORDS[code] ?? known) : undefined
  if (code && words && NEXT[code]) return new TlsFailure(`${words} (${code})`, words, NEXT[code], code)
  if (code && /SSL|TLS|ALERT/i.test(code)) {
    return new TlsFailure(
      `the TLS handshake failed: ${message} (${code})`,
      'handshake failed',
      'Check that this port serves TLS (not plain HTTP) and shares a protocol version and cipher with a current client.',
      code,
    )
  }
  return new TlsFailure(
    code ? `${message} (${code})` : message,
    'connection failed',
    'Check the endpoint and that it is reachable from the runner.',
    code,
  )
}

/** Leaf first; stops at a self-issued certificate or a repeat (Node links a root to itself). */
export function walkChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = []
  const seen = new Set<string>()
  let cur: DetailedPeerCertificate | undefined = peer
  while (cur && cur.raw && cur.raw.length > 0 && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256)
    chain.push(new X509Certificate(cur.raw))
    cur = cur.issuerCertificate === cur ? undefined : cur.issuerCertificate
  }
  return chain
}

/** Connects, completes the handshake, reads the chain and closes. Rejects with TlsFailure only. */
export function fetchChain(ep: Endpoint, opts: FetchOptions): Promise<TlsReading> {
  const timers = opts.timers ?? realTimers
  return new Promise<TlsReading>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new TlsFailure('the run was cancelled before the handshake', 'cancelled', 'Run the gate again.'))
      return
    }
    let settled = false
    let socket: tls.TLSSocket | undefined
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      timers.clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      socket?.destroy()
      fn()
    }
    const timer = timers.setTimeout(
      () =>
        finish(() =>
          reject(
            new TlsFailure(
              `no TLS handshake within ${formatDuration(opts.timeoutMs)}`,
              'timeout',
              'Check that the service is up and reachable from the runner (a firewall that drops packets looks like this), or raise `timeout`.',
              'ETIMEDOUT',
            ),
          ),
        ),
      opts.timeoutMs,
    )
    const onAbort = () =>
      finish(() => reject(new TlsFailure('the run was cancelled during the handshake', 'cancelled', 'Run the gate again.')))
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      socket = opts.tls.connect({
        host: ep.connect,
        port: ep.port,
        ...(ep.servername ? { servername: ep.servername } : {}),
        rejectUnauthorized: false,
        ...(opts.secureContext ? { secureContext: opts.secureContext } : {}),
      })
    } catch (err) {
      finish(() => reject(describe(err)))
      return
    }
    const s = socket
    s.once('error', (err) => finish(() => reject(describe(err))))
    s.once('secureConnect', () => {
      let reading: TlsReading
      try {
        const peer = s.getPeerCertificate(true)
        const chain = walkChain(peer)
        if (chain.length === 0) {
          finish(() =>
            reject(new TlsFailure('the server presented no certificate', 'no certificate', 'Configure a certificate on the service.')),
          )
          return
        }
        const authError = s.authorizationError as unknown
        const code = authError ? String((authError as { code?: unknown }).code ?? authError) : undefined
        let identityProblem: string | undefined
        if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
          identityProblem = opts.tls
            .checkServerIdentity(ep.servername ?? ep.host, peer)
            ?.message?.replace(/\s+/g, ' ')
            .slice(0, 300)
        }
        reading = {
          chain,
          authorized: s.authorized,
          ...(code ? { authorizationError: code } : {}),
          ...(identityProblem ? { identityProblem } : {}),
          protocol: s.getProtocol(),
          ...(s.remoteAddress ? { remoteAddress: s.remoteAddress } : {}),
        }
      } catch (err) {
        finish(() => reject(describe(err)))
        return
      }
      finish(() => resolve(reading))
    })
  })
}

/** What an authorization error means, whether it fails the endpoint, and what to do. */
export function trustVerdict(code: string): { fail: boolean; text: string; next: string } {
  switch (code) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return {
        fail: true,
        text: 'the certificate does not cover the host name',
        next: 'Issue a certificate whose SANs include the host name, or check the endpoint.',
      }
    case 'CERT_HAS_EXPIRED':
      return {
        fail: true,
        text: 'a certificate of the chain has expired (by this runner\u2019s clock)',
        next: 'Renew it and deploy the new chain.',
      }
    case 'CERT_NOT_YET_VALID':
      return {
        fail: true,
        text: 'a certificate of the chain is not valid yet (by this runner\u2019s clock)',
        next: 'Check the certificate dates and the clocks.',
      }
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return {
        fail: false,
        text: 'the chain does not lead to a trusted root',
        next: 'If the endpoint uses a private CA, give its root in `trusted-ca`; otherwise serve the full chain (leaf and intermediates) from a public CA.',
      }
    default:
      return { fail: true, text: 'the chain failed verification', next: 'Check the certificate chain the endpoint serves.' }
  }
}

/**
 * One context trusting Node's default roots (bundled, plus system or NODE_EXTRA_CA_CERTS when the
 * process enables them) and the extra CA certificates, shared by every endpoint.
 */
export function trustContext(extraPems: string[], tls: TlsPort): tls.SecureContext {
  const roots = typeof tls.getCACertificates === 'function' ? tls.getCACertificates('default') : [...tls.rootCertificates]
  return tls.createSecureContext({ ca: [...roots, ...extraPems] })
}
