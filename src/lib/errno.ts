/**
 * Error codes as words: a file-system error as the end of a sentence about a path ("… does not
 * exist"), and a network error as a cause ("connection refused (ECONNREFUSED)"), never a stack.
 */

const PHRASES: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a folder',
  ENOTDIR: 'has a file where a folder of its path should be',
  EEXIST: 'has a file where a folder of its path should be',
  EACCES: 'cannot be opened: permission denied',
  EPERM: 'cannot be opened: permission denied',
  EROFS: 'cannot be written: the file system is read-only',
  ENOSPC: 'cannot be written: the disk is full',
}

export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : 'error'
}

/** `does not exist`, `is a folder`, … or `cannot be read (EIO)` for the rest. */
export function fsProblem(err: unknown, verb = 'read'): string {
  const code = errorCode(err)
  return PHRASES[code] ?? `cannot be ${verb} (${code})`
}

/** What a network error code means, in the words every sentence about a connection uses. */
export const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no DNS record for the host',
  EAI_AGAIN: 'the DNS lookup failed for now',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending the request',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection closed before a complete answer',
  UND_ERR_HEADERS_OVERFLOW: 'the response headers are too large',
  CERT_HAS_EXPIRED: 'the TLS certificate has expired',
}

export interface NetworkCause {
  /** The innermost error code (`ECONNREFUSED`), when there is one. */
  code?: string
  /** NETWORK_WORDS of the code, when it is a known one. */
  words?: string
  /** The innermost message on one line (fetch's own `fetch failed` says nothing and is skipped). */
  message: string
}

/**
 * The cause of a network error: fetch wraps it in `cause`, a connection tried on several
 * addresses (autoSelectFamily) in an AggregateError's `errors`. The innermost code and message win.
 */
export function networkCause(err: unknown): NetworkCause {
  let code: string | undefined
  let message: string | undefined
  let e: unknown = err
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    let x = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown }
    if (typeof x.code !== 'string' && Array.isArray(x.errors) && x.errors.length > 0) x = x.errors[0] as typeof x
    if (typeof x.code === 'string') code = x.code
    if (typeof x.message === 'string' && x.message.trim() && x.message !== 'fetch failed') message = x.message
    e = x.cause
  }
  const text = (message ?? (err instanceof Error ? err.message : String(err))).replace(/\s+/g, ' ').trim()
  const words = code ? NETWORK_WORDS[code] : undefined
  return { ...(code ? { code } : {}), ...(words ? { words } : {}), message: text }
}

/** `connection refused (ECONNREFUSED)`, or the message and its code; `clean` shortens or masks the message. */
export function describeNetworkError(err: unknown, clean: (message: string) => string = (m) => m.slice(0, 160)): string {
  const c = networkCause(err)
  if (c.words) return `${c.words} (${c.code})`
  const message = clean(c.message) || 'unknown error'
  return c.code ? `${message} (${c.code})` : message
}
