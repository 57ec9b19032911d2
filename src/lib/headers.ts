/**
 * Request headers given as an input (`Name: value`, one per line): parsed so that no value is
 * ever quoted, and every form a value may be echoed in registered as a secret.
 */
import { InputFormError, parseList } from './forms.js'

export const HEADERS_FORM = 'HTTP headers written `Name: value`, one per line, such as Authorization: Bearer <token>'
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// Header values may hold visible ASCII, tabs, spaces and Latin-1 (what fetch sends as bytes).
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/

export type HeaderPair = [name: string, value: string]

/** An Authorization value that is only one of these words lost its credential on the way. */
const AUTH_SCHEMES = /^(basic|bearer|digest|token|apikey|api-key|bot)$/i

export function parseHeaders(raw: string): HeaderPair[] {
  const lines = parseList(raw)
  if (lines.length === 0) throw new InputFormError('(hidden)', HEADERS_FORM)
  // Never quote a line, not even its name part: a value pasted without its name is all secret.
  return lines.map((line, i) => {
    const colon = line.indexOf(':')
    if (colon < 0) throw new InputFormError('(hidden)', `${HEADERS_FORM} (line ${i + 1} has no colon, so it has no \`Name: value\` form)`)
    const name = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    if (!TOKEN.test(name)) {
      throw new InputFormError(
        '(hidden)',
        `${HEADERS_FORM} (on line ${i + 1}, the text before the first colon is not a header name; write \`Name: value\`)`,
      )
    }
    if (!HEADER_VALUE.test(value))
      throw new InputFormError('(hidden)', `${HEADERS_FORM} (the value on line ${i + 1} holds characters a header cannot carry)`)
    // `X-Api-Key: ${{ secrets.UNSET }}` arrives empty: probing without it would measure the wrong thing.
    if (value === '')
      throw new InputFormError('(hidden)', `${HEADERS_FORM} (the value on line ${i + 1} is empty; is the secret it comes from set?)`)
    if (/^(proxy-)?authorization$/i.test(name) && AUTH_SCHEMES.test(value)) {
      throw new InputFormError(
        '(hidden)',
        `${HEADERS_FORM} (the value on line ${i + 1} is the scheme ${value} without a credential; is the secret it comes from set?)`,
      )
    }
    return [name, value]
  })
}

/**
 * The strings to mask for a `headers` input: every value, the line itself (so that a value too
 * short to mask alone is masked where `Name: value` is echoed), the credential part of values
 * written `Scheme credential`, and what a Basic credential decodes to (`user:password`, the
 * password), which a server may quote back. Lenient: a malformed line is masked whole.
 */
export function headerSecrets(raw: string): string[] {
  const out: string[] = []
  for (const line of parseList(raw)) {
    const colon = line.indexOf(':')
    if (colon < 0) {
      out.push(line)
      continue
    }
    const value = line.slice(colon + 1).trim()
    // A bare scheme word is refused by parseHeaders, and masking it would only garble the sentence saying so.
    if (AUTH_SCHEMES.test(value)) continue
    out.push(value, line)
    const parts = value.split(/\s+/)
    if (parts.length > 1) out.push(parts.slice(1).join(' '), parts[parts.length - 1])
    if (/^basic$/i.test(parts[0]) && parts.length === 2) {
      const decoded = Buffer.from(parts[1], 'base64').toString('utf8')
      const sep = decoded.indexOf(':')
      if (sep >= 0) out.push(decoded, decoded.slice(sep + 1))
    }
  }
  return out.filter((v) => v.length > 0)
}
