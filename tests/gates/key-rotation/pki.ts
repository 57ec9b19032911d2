// A throwaway PKI made by the real `openssl` at test time: a root, intermediates and leaves with
// explicit start and end dates (`openssl ca -startdate/-enddate`, which OpenSSL 3.0 has; the
// `x509 -not_before/-not_after` options only arrived in 3.4).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const DAY = 86_400_000

export interface Cert {
  name: string
  /** PEM of the certificate alone. */
  pem: string
  /** PEM of its private key (for TLS servers). */
  key: string
  certPath: string
  keyPath: string
  notBefore: Date
  notAfter: Date
}

const CONFIG = `
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
commonName = supplied
organizationName = optional
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = \${ENV::SAN}
`

/** `20261201000000Z`: the GeneralizedTime form `openssl ca -startdate/-enddate` takes. */
function asn1Time(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')
}

export class Pki {
  private constructor(readonly dir: string) {}

  static create(): Pki {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-pki-'))
    mkdirSync(path.join(dir, 'newcerts'))
    writeFileSync(path.join(dir, 'index.txt'), '')
    writeFileSync(path.join(dir, 'serial'), '1000\n')
    writeFileSync(path.join(dir, 'ca.cnf'), CONFIG)
    return new Pki(dir)
  }

  private openssl(args: string[], san = 'DNS:unused.invalid'): void {
    execFileSync('openssl', args, { cwd: this.dir, env: { ...process.env, SAN: san }, stdio: ['ignore', 'pipe', 'pipe'] })
  }

  /** Issues a certificate; without `issuer` it is a self-signed root. */
  issue(opts: {
    name: string
    cn: string
    notBefore: Date
    notAfter: Date
    issuer?: Cert
    ca?: boolean
    sans?: string[]
    text?: boolean
  }): Cert {
    const keyPath = path.join(this.dir, `${opts.name}.key`)
    const csrPath = path.join(this.dir, `${opts.name}.csr`)
    const certPath = path.join(this.dir, `${opts.name}.pem`)
    this.openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyPath,
      '-subj',
      `/CN=${opts.cn}`,
      '-out',
      csrPath,
    ])
    const ca = opts.ca ?? !opts.issuer
    const signer = opts.issuer ? ['-cert', opts.issuer.certPath, '-keyfile', opts.issuer.keyPath] : ['-selfsign', '-keyfile', keyPath]
    this.openssl(
      [
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        ...signer,
        '-in',
        csrPath,
        '-out',
        certPath,
        '-extensions',
        ca ? 'v3_ca' : 'v3_leaf',
        '-startdate',
        asn1Time(opts.notBefore),
        '-enddate',
        asn1Time(opts.notAfter),
        ...(opts.text ? [] : ['-notext']),
      ],
      (opts.sans ?? [`DNS:${opts.cn}`]).join(','),
    )
    return {
      name: opts.name,
      pem: readFileSync(certPath, 'utf8'),
      key: readFileSync(keyPath, 'utf8'),
      certPath,
      keyPath,
      notBefore: opts.notBefore,
      notAfter: opts.notAfter,
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** Now, to the second: certificates carry whole seconds. */
export function nowToSecond(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000)
}

export const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')
