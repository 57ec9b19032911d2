// key-rotation against live TLS servers on 127.0.0.1, presenting openssl-made chains, read with SNI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { keyRotation } from '../../../src/gates/key-rotation/gate.js'
import { parseEndpoint } from '../../../src/gates/key-rotation/tls.js'
import { DAY, Pki, iso, nowToSecond, type Cert } from './pki.js'

const NOW = nowToSecond()
const at = (days: number) => new Date(NOW.getTime() + days * DAY)

let pki: Pki
let ws: string
let root: Cert
let intermediate: Cert
let shortLeaf: Cert
let defaultLeaf: Cert
let expiredLeaf: Cert
let port: number
let expiredPort: number
const seenServernames: (string | false)[] = []
const closers: (() => Promise<void>)[] = []

function listen(server: NetServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))
}

function track(server: NetServer & { closeAllConnections?: () => void }, sockets?: Set<Socket>) {
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets ?? []) s.destroy()
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  )
}

async function gate(inputs: Record<string, string>) {
  const lines: string[] = []
  const ctx = defaultContext({ log: (l) => lines.push(l), now: () => NOW, cwd: ws, workspace: ws })
  const result = await runGate(keyRotation, inputs, ctx, { id: 'tls' })
  return { result, lines }
}

beforeAll(async () => {
  pki = Pki.create()
  ws = mkdtempSync(path.join(tmpdir(), 'kr-tls-'))
  root = pki.issue({ name: 'root', cn: 'TLS Test Root', notBefore: at(-400), notAfter: at(3000) })
  intermediate = pki.issue({ name: 'int', cn: 'TLS Test Intermediate', issuer: root, ca: true, notBefore: at(-200), notAfter: at(400) })
  shortLeaf = pki.issue({ name: 'short', cn: 'api.test', sans: ['DNS:api.test'], issuer: intermediate, notBefore: at(-1), notAfter: at(3) })
  defaultLeaf = pki.issue({
    name: 'default',
    cn: 'default.test',
    sans: ['DNS:default.test', 'IP:127.0.0.1'],
    issuer: intermediate,
    notBefore: at(-1),
    notAfter: at(120),
  })
  expiredLeaf = pki.issue({
    name: 'old',
    cn: 'old.test',
    sans: ['DNS:old.test'],
    issuer: intermediate,
    notBefore: at(-60),
    notAfter: at(-1),
  })
  writeFileSync(path.join(ws, 'root.pem'), root.pem)

  // The default certificate for clients without (or with another) SNI; the short-lived one for api.test.
  const apiContext = tls.createSecureContext({ key: shortLeaf.key, cert: shortLeaf.pem + intermediate.pem })
  const server = tls.createServer(
    {
      key: defaultLeaf.key,
      cert: defaultLeaf.pem + intermediate.pem,
      SNICallback: (name, cb) => {
        seenServernames.push(name)
        cb(null, name === 'api.test' ? apiContext : undefined)
      },
    },
    (socket) => socket.end(),
  )
  server.on('tlsClientError', () => {})
  port = await listen(server)
  track(server)

  const old = tls.createServer({ key: expiredLeaf.key, cert: expiredLeaf.pem + intermediate.pem }, (socket) => socket.end())
  old.on('tlsClientError', () => {})
  expiredPort = await listen(old)
  track(old)
}, 60_000)

afterAll(async () => {
  await Promise.all(closers.map((c) => c()))
  pki?.remove()
  if (ws) rmSync(ws, { recursive: true, force: true })
})

describe('key-rotation: live TLS endpoints', () => {
  it('reads the whole chain a server presents for the SNI name, and fails its short-lived leaf', async () => {
    seenServernames.length = 0
    const ep = `api.test:${port} via 127.0.0.1`
    const { result, lines } = await gate({ endpoints: ep, 'trusted-ca': 'root.pem' })
    expect(seenServernames).toEqual(['api.test'])
    expect(result.status).toBe('fail')
    const names = result.checks.map((c) => c.name)
    expect(names).toEqual([
      `${ep}: TLS handshake`,
      `${ep} (leaf): CN=api.test; SANs api.test`,
      `${ep} (intermediate): CN=TLS Test Intermediate`,
      `${ep} (root): CN=TLS Test Root`,
    ])
    const [handshake, leaf, inter, top] = result.checks
    expect(handshake.status).toBe('pass')
    expect(handshake.observed).toMatch(/^TLSv1\.[23], chain of 3, trusted$/)
    expect(handshake.message).toContain(`${ep} (SNI api.test) completed a TLSv1.`)
    expect(leaf.status).toBe('fail')
    expect(leaf.observed).toBe(`expires ${iso(at(3))} (3.0 days left)`)
    expect(leaf.message).toContain(
      `The leaf certificate presented by ${ep} (SNI api.test) (CN=api.test; SANs api.test; issued by CN=TLS Test Intermediate)`,
    )
    expect(leaf.message).toContain('Renew it and deploy it, with its intermediates')
    expect(inter.status).toBe('pass')
    expect(inter.observed).toBe(`expires ${iso(at(400))} (400.0 days left)`)
    expect(top.status).toBe('pass')
    expect(lines.join('\n')).toMatch(/endpoint api\.test:\d+ via 127\.0\.0\.1: TLSv1\.[23], chain of 3, trusted/)
    expect(result.details).toContain(`| ${ep} (leaf) | CN=api.test; SANs api.test | ${iso(at(3))} | 3.0 | - | fail |`)
  })

  it('another SNI name gets the default certificate: a host name mismatch fails the handshake check', async () => {
    seenServernames.length = 0
    const ep = `other.test:${port} via 127.0.0.1`
    const { result } = await gate({ endpoints: ep, 'trusted-ca': 'root.pem' })
    expect(seenServernames).toEqual(['other.test'])
    const handshake = result.checks[0]
    expect(handshake.status).toBe('fail')
    expect(handshake.observed).toMatch(/not trusted \(ERR_TLS_CERT_ALTNAME_INVALID\)$/)
    expect(handshake.message).toContain('the certificate does not cover the host name')
    expect(handshake.message).toContain("Host: other.test. is not in the cert's altnames: DNS:default.test")
    expect(result.checks[1].name).toBe(`${ep} (leaf): CN=default.test; SANs default.test, IP 127.0.0.1`)
    expect(result.checks[1].status).toBe('pass')
  })

  it('an IP endpoint sends no SNI and is checked against the IP SANs', async () => {
    seenServernames.length = 0
    const { result } = await gate({ endpoints: `127.0.0.1:${port}`, 'trusted-ca': 'root.pem' })
    expect(seenServernames).toEqual([])
    expect(result.status).toBe('pass')
    expect(result.checks[0].observed).toMatch(/, trusted$/)
    expect(result.checks).toHaveLength(4)
  })

  it('an untrusted chain is still read, and the handshake check warns with the reason', async () => {
    const { result } = await gate({ endpoints: `127.0.0.1:${port}` })
    const handshake = result.checks[0]
    expect(handshake.status).toBe('warn')
    expect(handshake.observed).toMatch(
      /not trusted \((UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)$/,
    )
    expect(handshake.message).toContain('give its root in `trusted-ca`')
    // Without the root in the store, the chain is what the server presented: leaf and intermediate.
    expect(result.checks.map((c) => c.name.replace(/^[^ ]+ /, ''))).toEqual([
      'TLS handshake',
      '(leaf): CN=default.test; SANs default.test, IP 127.0.0.1',
      '(intermediate): CN=TLS Test Intermediate',
    ])
    expect(result.status).toBe('warn')
  })

  it('an expired leaf fails both by as-of and by the handshake verdict', async () => {
    const ep = `old.test:${expiredPort} via 127.0.0.1`
    const { result } = await gate({ endpoints: ep, 'trusted-ca': 'root.pem' })
    expect(result.status).toBe('fail')
    expect(result.checks[0].observed).toMatch(/not trusted \(CERT_HAS_EXPIRED\)$/)
    expect(result.checks[1].observed).toBe(`expired ${iso(at(-1))} (1.0 days ago)`)
    expect(result.checks[1].status).toBe('fail')
  })

  it('as-of moves a live pass to a fail', async () => {
    const ep = `127.0.0.1:${port}`
    expect((await gate({ endpoints: ep, 'trusted-ca': 'root.pem' })).result.status).toBe('pass')
    const later = await gate({ endpoints: ep, 'trusted-ca': 'root.pem', 'as-of': iso(at(115)) })
    expect(later.result.status).toBe('fail')
    expect(later.result.checks[1].observed).toBe(`expires ${iso(at(120))} (5.0 days left)`)
  })

  it('an IPv6 endpoint written [::1]:port is reached and checked against its IP SAN', async () => {
    const v6Leaf = pki.issue({ name: 'v6', cn: 'v6.test', sans: ['IP:::1'], issuer: intermediate, notBefore: at(-1), notAfter: at(60) })
    const v6 = tls.createServer({ key: v6Leaf.key, cert: v6Leaf.pem + intermediate.pem }, (socket) => socket.end())
    v6.on('tlsClientError', () => {})
    const v6Port = await new Promise<number>((resolve) => v6.listen(0, '::1', () => resolve((v6.address() as { port: number }).port)))
    track(v6)
    const { result } = await gate({ endpoints: `[::1]:${v6Port}`, 'trusted-ca': 'root.pem' })
    expect(result.checks[0]).toMatchObject({ name: `[::1]:${v6Port}: TLS handshake`, status: 'pass' })
    expect(result.checks[1].name).toBe(`[::1]:${v6Port} (leaf): CN=v6.test; SANs IP 0:0:0:0:0:0:0:1`)
    expect(result.status).toBe('pass')
  })

  it('a closed port fails with the cause', async () => {
    const probe = createNetServer()
    const closed = await listen(probe)
    await new Promise<void>((r) => probe.close(() => r()))
    const { result } = await gate({ endpoints: `127.0.0.1:${closed}` })
    expect(result.status).toBe('fail')
    expect(result.checks).toHaveLength(1)
    expect(result.checks[0].observed).toBe('connection refused')
    expect(result.checks[0].message).toBe(
      `127.0.0.1:${closed} could not be checked: connection refused (ECONNREFUSED). Check that the service is running and listening on this port.`,
    )
  })

  it('a server that never answers the handshake times out', async () => {
    const sockets = new Set<Socket>()
    const hungUp: Promise<void>[] = []
    const silent = createNetServer((s) => {
      sockets.add(s)
      hungUp.push(new Promise((resolve) => s.once('end', () => resolve())))
      s.resume() // read what the client sends (its ClientHello), so its hang-up is seen
    })
    const silentPort = await listen(silent)
    track(silent, sockets)
    const { result } = await gate({ endpoints: `127.0.0.1:${silentPort}`, timeout: '300ms' })
    expect(result.status).toBe('fail')
    expect(result.checks[0].observed).toBe('timeout')
    expect(result.checks[0].message).toContain('no TLS handshake within 300ms')
    // One connection, which the gate itself closed when it gave up: the server never closes it.
    expect(hungUp).toHaveLength(1)
    await hungUp[0]
  })

  it('a plain HTTP port fails the handshake with the cause', async () => {
    const http = createHttpServer((_req, res) => res.end('hi'))
    const httpPort = await listen(http)
    track(http)
    const { result } = await gate({ endpoints: `localhost:${httpPort} via 127.0.0.1` })
    expect(result.status).toBe('fail')
    expect(result.checks[0].observed).toBe('handshake failed')
    expect(result.checks[0].message).toMatch(/the TLS handshake failed: .*\(ERR_SSL_[A-Z_]+\)\. Check that this port serves TLS/)
  })

  it('checks several endpoints concurrently, each with its own verdict', async () => {
    const probe = createNetServer()
    const closed = await listen(probe)
    await new Promise<void>((r) => probe.close(() => r()))
    const { result } = await gate({ endpoints: `127.0.0.1:${port}\n127.0.0.1:${closed}`, 'trusted-ca': 'root.pem' })
    expect(result.status).toBe('fail')
    expect(result.checks.filter((c) => c.name.endsWith('TLS handshake')).map((c) => c.status)).toEqual(['pass', 'fail'])
    expect(result.metrics.items).toBe(3)
  })
})

describe('key-rotation: endpoint syntax', () => {
  it.each([
    ['api.example.com:443', { host: 'api.example.com', port: 443, connect: 'api.example.com', servername: 'api.example.com' }],
    ['[::1]:8443', { host: '::1', port: 8443, connect: '::1' }],
    ['10.0.0.5:443', { host: '10.0.0.5', port: 443, connect: '10.0.0.5' }],
    [
      'api.example.com:443 via 203.0.113.10',
      { host: 'api.example.com', port: 443, connect: '203.0.113.10', servername: 'api.example.com' },
    ],
    [
      'api.example.com:443 via [2001:db8::1]',
      { host: 'api.example.com', port: 443, connect: '2001:db8::1', servername: 'api.example.com' },
    ],
  ])('%s', (text, expected) => {
    expect(parseEndpoint(text)).toMatchObject(expected)
  })

  it.each([
    'api.example.com',
    'https://api.example.com',
    'api.example.com:0',
    'api.example.com:70000',
    '::1:443',
    '[api]:443',
    'a b:443',
    'x:443 via',
    'x:443 through y',
  ])('refuses %s', (text) => {
    expect(() => parseEndpoint(text)).toThrow(/host:port/)
  })
})
