// key-rotation's advice for a certificate that is its own issuer: `openssl req -x509` marks it
// CA:TRUE, but there is no issuer to ask for "its current one". Certificates made by openssl here.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { keyRotation } from '../../../src/gates/key-rotation/gate.js'

const ws = mkdtempSync(path.join(tmpdir(), 'kr-self-'))
afterAll(() => rmSync(ws, { recursive: true, force: true }))
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: ws, stdio: ['ignore', 'pipe', 'pipe'] })

async function keys(file: string) {
  return runGate(
    keyRotation,
    { certificates: file, 'warn-within': '30d', 'fail-within': '7d' },
    defaultContext({ log: () => {}, cwd: ws, workspace: ws }),
    {
      id: 'keys',
    },
  )
}

describe('key-rotation: self-signed certificates', () => {
  it('a self-signed leaf made by openssl req -x509 is called a self-signed certificate, not a CA certificate', async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'api.key',
      '-out',
      'api.pem',
      '-subj',
      '/CN=api.internal',
      '-days',
      '10',
    )
    // The premise: openssl's default extensions make it CA:TRUE, its issuer its own subject.
    expect(openssl('x509', '-in', 'api.pem', '-noout', '-text').toString()).toMatch(/CA:TRUE/)
    const r = await keys('api.pem')
    expect(r.status).toBe('warn')
    const c = r.checks[0]
    expect(c.message).toContain('self-signed certificate')
    expect(c.message).not.toMatch(/CA certificate|the issuer's current one/)
    expect(c.message).toContain('api.pem')
  })

  it("a CA certificate issued by another CA still asks for the issuer's current one", async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'root.key',
      '-out',
      'root.pem',
      '-subj',
      '/CN=Root CA',
      '-days',
      '400',
    )
    writeFileSync(path.join(ws, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n')
    openssl(
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'int.key',
      '-out',
      'int.csr',
      '-subj',
      '/CN=Issuing CA',
    )
    openssl(
      'x509',
      '-req',
      '-in',
      'int.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-out',
      'int.pem',
      '-days',
      '5',
      '-extfile',
      'ca.ext',
    )
    const r = await keys('int.pem')
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toContain("Replace this CA certificate in int.pem with the issuer's current one.")
  })

  it('a certificate that only names itself as issuer, signed by another key, is not self-signed', async () => {
    // Same name as the root, but the root's key signed it: the subject = issuer test alone would be fooled.
    openssl(
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'twin.key',
      '-out',
      'twin.csr',
      '-subj',
      '/CN=Root CA',
    )
    openssl('x509', '-req', '-in', 'twin.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'twin.pem', '-days', '5')
    const r = await keys('twin.pem')
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).not.toContain('self-signed')
    expect(readFileSync(path.join(ws, 'twin.pem'), 'utf8')).toContain('BEGIN CERTIFICATE')
  })
})
