/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme): object keys sorted by UTF-16 code
 * units, no whitespace, strings and numbers exactly as ECMAScript's JSON.stringify writes them.
 * The bundle's signature is over these bytes, so a signer and a verifier that re-serialise the
 * same parsed JSON always agree, however the file itself was indented.
 */

export class CanonicalJsonError extends Error {}

export function canonicalJson(value: unknown): string {
  return write(value, '$')
}

/** The bytes a signature covers. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8')
}

function write(v: unknown, at: string): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false'
    case 'string':
      return JSON.stringify(v)
    case 'number':
      // JSON has no NaN or Infinity: refusing them keeps "parse, then canonicalise" stable.
      if (!Number.isFinite(v)) throw new CanonicalJsonError(`${at} is ${v}, which JSON cannot hold`)
      return JSON.stringify(v)
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x, i) => (x === undefined ? 'null' : write(x, `${at}[${i}]`))).join(',')}]`
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        // Plain comparison of JS strings is UTF-16 code-unit order, which RFC 8785 §3.2.3 asks for.
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${write(x, `${at}.${k}`)}`).join(',')}}`
    }
    default:
      throw new CanonicalJsonError(`${at} is a ${typeof v}, which JSON cannot hold`)
  }
}
