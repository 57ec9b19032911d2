/** How a certificate is named in checks and tables: its CN, its SANs, its issuer, its place in a chain. */
import type { X509Certificate } from 'node:crypto'

const MAX_SANS = 5

/** The value of one attribute of a distinguished name as Node prints it (`CN=x\nO=y`). */
function attribute(dn: string, key: string): string | undefined {
  for (const line of dn.split('\n')) if (line.startsWith(`${key}=`)) return line.slice(key.length + 1)
  return undefined
}

/** `CN=api.test`, or the whole name on one line when it has no CN. */
export function shortName(dn: string): string {
  const cn = attribute(dn, 'CN')
  if (cn !== undefined) return `CN=${cn}`
  const flat = dn.split('\n').filter(Boolean).join(', ')
  return flat || '(empty name)'
}

/** `api.test`, `IP 127.0.0.1`: the SANs as people write them. */
export function subjectAltNames(cert: X509Certificate): string[] {
  const raw = cert.subjectAltName
  if (!raw) return []
  return raw
    .split(/,\s*(?=[A-Za-z][A-Za-z ]*:)/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.replace(/^DNS:/, '').replace(/^IP Address:/, 'IP '))
}

/** `CN=api.test; SANs api.test, www.api.test`. */
export function certificateSubject(cert: X509Certificate): string {
  const sans = subjectAltNames(cert)
  const shown = sans.slice(0, MAX_SANS).join(', ') + (sans.length > MAX_SANS ? ` (+${sans.length - MAX_SANS} more)` : '')
  return sans.length ? `${shortName(cert.subject)}; SANs ${shown}` : shortName(cert.subject)
}

export function isSelfIssued(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer
}

/**
 * Its own issuer: named so, and signed by its own key. `openssl req -x509` makes these, marked
 * CA:TRUE; the name alone is not enough, as another key can sign a certificate with its own name.
 */
export function isSelfSigned(cert: X509Certificate): boolean {
  if (!isSelfIssued(cert)) return false
  try {
    return cert.verify(cert.publicKey)
  } catch {
    return false
  }
}

/** `leaf`, `intermediate`, `root`: a certificate's place in a presented chain. */
export function chainRole(cert: X509Certificate, index: number): string {
  if (index === 0) return isSelfSigned(cert) ? 'self-signed leaf' : 'leaf'
  return isSelfSigned(cert) ? 'root' : 'intermediate'
}

/** Whom to ask for a new one, as the sentence's tail. */
export function issuedBy(cert: X509Certificate): string {
  return isSelfSigned(cert) ? 'self-signed' : `issued by ${shortName(cert.issuer)}`
}
