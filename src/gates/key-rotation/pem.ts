/**
 * Certificates out of PEM files and bundles. Every CERTIFICATE block counts (a bundle's second
 * certificate expires as surely as its first); other blocks (a private key kept beside the
 * certificate, as HAProxy wants it) are skipped and never looked into, so nothing of a key can
 * reach an error message. Text outside blocks (openssl's `subject=` lines, `Bag Attributes`) is
 * allowed, as RFC 7468 says. A malformed block names the file and the line it starts on.
 */
import { X509Certificate } from 'node:crypto'

export class PemError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file} line ${line}: ${reason}`)
  }
}

export interface PemCertificate {
  cert: X509Certificate
  /** 1-based line of the BEGIN marker. */
  line: number
}

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'])
const BEGIN = /^-----BEGIN ([A-Z0-9][A-Z0-9 ]*)-----$/
const END = /^-----END ([A-Z0-9][A-Z0-9 ]*)-----$/
const BASE64_LINE = /^[A-Za-z0-9+/=]*$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

interface Block {
  label: string
  line: number
  body: string[]
}

/** Parses every certificate of a PEM file; throws PemError (never anything else) when it cannot. */
export function readPemCertificates(data: Uint8Array, file: string): PemCertificate[] {
  // latin1 maps every byte to one character: arbitrary bytes decode, and PEM itself is ASCII.
  let text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1')
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3)
  const lines = text.split(/\r\n|\n|\r/)
  const blocks: Block[] = []
  let open: Block | undefined
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1
    const line = lines[i].trim()
    const begin = BEGIN.exec(line)
    const end = END.exec(line)
    if (!open) {
      if (begin) open = { label: begin[1], line: n, body: [] }
      else if (end) throw new PemError(file, n, `-----END ${end[1]}----- has no BEGIN line before it`)
      else if (line.includes('-----BEGIN') || line.includes('-----END')) throw new PemError(file, n, 'a malformed PEM BEGIN/END line')
      continue
    }
    if (begin) throw new PemError(file, open.line, `the ${open.label} block has no END line before the next BEGIN on line ${n}`)
    if (end) {
      if (end[1] !== open.label)
        throw new PemError(file, n, `-----END ${end[1]}----- closes the ${open.label} block begun on line ${open.line}`)
      blocks.push(open)
      open = undefined
      continue
    }
    if (line.includes('-----'))
      throw new PemError(file, n, `a malformed PEM line inside the ${open.label} block begun on line ${open.line}`)
    if (CERT_LABELS.has(open.label)) {
      if (!BASE64_LINE.test(line))
        throw new PemError(file, n, `the ${open.label} block begun on line ${open.line} holds a line that is not base64`)
      open.body.push(line)
    }
  }
  if (open) throw new PemError(file, open.line, `the ${open.label} block has no -----END ${open.label}----- line`)

  const certs = blocks.filter((b) => CERT_LABELS.has(b.label))
  if (certs.length === 0) {
    const others = [...new Set(blocks.map((b) => b.label))]
    throw new PemError(
      file,
      1,
      others.length > 0
        ? `no CERTIFICATE block, only ${others.join(', ')}`
        : 'no -----BEGIN CERTIFICATE----- line: not a PEM file (a DER certificate converts with `openssl x509 -inform der -in <file> -out <file>.pem`)',
    )
  }
  return certs.map((b) => ({ cert: decode(b, file), line: b.line }))
}

function decode(block: Block, file: string): X509Certificate {
  const b64 = block.body.join('')
  if (b64.length === 0) throw new PemError(file, block.line, `the ${block.label} block is empty`)
  if (b64.length % 4 !== 0 || !BASE64.test(b64))
    throw new PemError(file, block.line, `the ${block.label} block is not valid base64 (truncated or damaged)`)
  const der = Buffer.from(b64, 'base64')
  let cert: X509Certificate
  try {
    cert = new X509Certificate(der)
  } catch (err) {
    const code = (err as { code?: unknown }).code
    throw new PemError(
      file,
      block.line,
      `the ${block.label} block is not a valid X.509 certificate${typeof code === 'string' ? ` (${code})` : ''}`,
    )
  }
  // A TRUSTED CERTIFICATE carries OpenSSL trust settings after the certificate; anything else must end with it.
  if (block.label !== 'TRUSTED CERTIFICATE' && cert.raw.length !== der.length) {
    throw new PemError(file, block.line, `the ${block.label} block has ${der.length - cert.raw.length} bytes after the certificate`)
  }
  return cert
}
