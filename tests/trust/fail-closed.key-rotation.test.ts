import { execFileSync } from 'node:child_process'
// Fail-closed table for key-rotation: every way it can fail to read an expiry, with real
// components: certificates made by openssl at test time, TLS servers and raw sockets on loopback,
// inventories as files. Each case is a `fail` (or a `warn` where the contract allows it) with a
// sentence naming what was expected and what was seen, never a pass and never a stack trace.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createNetServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import type { GateResult } from '../../src/core/result.js'
import { keyRotation } from '../../src/gates/key-rotation/gate.js'
import { DAY, Pki, nowToSecond, type Cert } from '../gates/key-rotation/pki.js'

const NOW = nowToSecond()
const at = (days: number) => new Date(NOW.getTime() + days * DAY)

let pki: Pki
let ws: string
let root: Cert
let leaf: Cert
let selfSigned: Cert
const ports: Record<string, number> = {}
const closers: (() => Promise<void>)[] = []

function listen(server: Server, sockets?: Set<Socket>): Promise<number> {
  server.on('connection', (s: Socket) => sockets?.add(s))
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets ?? []) s.destroy()
        ;(server as Server & { closeAllConnections?: () => void }).closeAllConnections?.()
        server.close(() => resolve())
      }),
  )
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))
}

function write(rel: string, content: string | Uint8Array): string {
  const abs = path.join(ws, rel)
  mkdirSync(path.dirname(abs), { recursive: true })
  writeFileSync(abs, content)
  return rel
}

beforeAll(async () => {
  pki = Pki.create()
  ws = mkdtempSync(path.join(tmpdir(), 'kr-fail-closed-'))
  root = pki.issue({ name: 'root', cn: 'Fail Closed Root', notBefore: at(-100), notAfter: at(3000) })
  leaf = pki.issue({
    name: 'leaf',
    cn: 'good.test',
    sans: ['DNS:good.test', 'IP:127.0.0.1'],
    issuer: root,
    notBefore: at(-1),
    notAfter: at(200),
  })
  selfSigned = pki.issue({ name: 'self', cn: 'self.test', ca: false, notBefore: at(-1), notAfter: at(200) })
  write('root.pem', root.pem)
  write('good.pem', leaf.pem)

  const selfServer = tls.createServer({ key: selfSigned.key, cert: selfSigned.pem }, (s) => s.end())
  selfServer.on('tlsClientError', () => {})
  ports.self = await listen(selfServer)

  // Accepts the connection and never says a word: the handshake can only time out.
  ports.silent = await listen(
    createNetServer((s) => s.resume()),
    new Set(),
  )
  // Accepts and hangs up at once, before any TLS.
  ports.slam = await listen(createNetServer((s) => s.destroy()))
  ports.http = await listen(createHttpServer((_q, res) => res.end('plain http')))
  const probe = createNetServer()
  ports.closed = await listen(probe)
  await new Promise<void>((r) => probe.close(() => r()))
}, 60_000)

afterAll(async () => {
  await Promise.all(closers.map((c) => c()))
  pki?.remove()
  if (ws) rmSync(ws, { recursive: true, force: true })
})

interface Case {
  what: string
  /** Inputs; a function when it needs files or ports made in beforeAll. */
  inputs: () => Record<string, string>
  status: 'fail' | 'warn'
  /** The check that says it: its name starts with this. */
  check: string
  message: RegExp
}

const inventory =
  (text: string, ext = 'yaml') =>
  () => ({ inventory: write(`inv/${Math.random().toString(36).slice(2)}.${ext}`, text) })

const cases: Case[] = [
  // Certificate files
  {
    what: 'a glob matching nothing',
    inputs: () => ({ certificates: 'certs/*.pem' }),
    status: 'fail',
    check: 'certificates: certs/*.pem',
    message: /^The `certificates` pattern certs\/\*\.pem matched no file under .*Check the path/,
  },
  {
    what: 'a pattern matching only a folder',
    inputs: () => {
      mkdirSync(path.join(ws, 'folder.pem'), { recursive: true })
      return { certificates: 'folder.pem' }
    },
    status: 'fail',
    check: 'certificates: folder.pem',
    message: /pattern folder\.pem matched only a folder/,
  },
  {
    what: 'an unparsable PEM',
    inputs: () => ({ certificates: write('garbage.pem', 'this is not a certificate\n') }),
    status: 'fail',
    check: 'certificates: garbage.pem',
    message: /^garbage\.pem line 1: .*Replace the file with the PEM certificate/,
  },
  {
    what: 'an empty certificate file',
    inputs: () => ({ certificates: write('empty.pem', '') }),
    status: 'fail',
    check: 'certificates: empty.pem',
    message: /^empty\.pem line 1: /,
  },
  {
    what: 'a PEM holding only a private key',
    inputs: () => ({ certificates: write('key-only.pem', leaf.key) }),
    status: 'fail',
    check: 'certificates: key-only.pem',
    message: /^key-only\.pem line \d+: /,
  },
  {
    what: 'a certificate block cut short',
    inputs: () => ({ certificates: write('cut.pem', leaf.pem.split('\n').slice(0, 6).join('\n') + '\n-----END CERTIFICATE-----\n') }),
    status: 'fail',
    check: 'certificates: cut.pem',
    message: /^cut\.pem line \d+: the CERTIFICATE block/,
  },
  {
    what: 'a DER certificate where PEM is expected',
    inputs: () => ({ certificates: write('der.pem', Buffer.from(leaf.pem.split('\n').slice(1, -2).join(''), 'base64')) }),
    status: 'fail',
    check: 'certificates: der.pem',
    message: /^der\.pem line \d+: /,
  },
  {
    what: 'an unparsable trusted-ca',
    inputs: () => ({ endpoints: `127.0.0.1:${ports.self}`, 'trusted-ca': write('bad-ca.pem', 'not a CA\n') }),
    status: 'fail',
    check: 'trusted-ca: bad-ca.pem',
    message: /^bad-ca\.pem line 1: .*Give the CA certificate\(s\) in PEM\./,
  },
  // Live TLS endpoints
  {
    what: 'an unreachable TLS endpoint (nothing listens)',
    inputs: () => ({ endpoints: `127.0.0.1:${ports.closed}` }),
    status: 'fail',
    check: `127.0.0.1:`,
    message: /^127\.0\.0\.1:\d+ could not be checked: connection refused \(ECONNREFUSED\)\. Check that the service is running/,
  },
  {
    what: 'a TLS endpoint that never answers the handshake',
    inputs: () => ({ endpoints: `127.0.0.1:${ports.silent}`, timeout: '500ms' }),
    status: 'fail',
    check: `127.0.0.1:`,
    message: /could not be checked: no TLS handshake within 500ms\. Check that the service is up/,
  },
  {
    what: 'an endpoint that hangs up before the handshake',
    inputs: () => ({ endpoints: `127.0.0.1:${ports.slam}` }),
    status: 'fail',
    check: `127.0.0.1:`,
    message: /could not be checked: .*(reset|closed|disconnected).*\./,
  },
  {
    what: 'a plain HTTP port',
    inputs: () => ({ endpoints: `127.0.0.1:${ports.http}` }),
    status: 'fail',
    check: `127.0.0.1:`,
    message: /could not be checked: the TLS handshake failed: .*Check that this port serves TLS/,
  },
  {
    what: 'a self-signed chain nobody trusts',
    inputs: () => ({ endpoints: `self.test:${ports.self} via 127.0.0.1` }),
    status: 'warn',
    check: 'self.test:',
    message:
      /completed a TLSv1\.[23] handshake, but the chain does not lead to a trusted root: DEPTH_ZERO_SELF_SIGNED_CERT\. If the endpoint uses a private CA, give its root in `trusted-ca`/,
  },
  // Inventories
  {
    what: 'an inventory glob matching nothing',
    inputs: () => ({ inventory: 'inventories/*.yaml' }),
    status: 'fail',
    check: 'inventory: inventories/*.yaml',
    message: /^The `inventory` pattern inventories\/\*\.yaml matched no file/,
  },
  {
    what: 'an unparsable inventory',
    inputs: inventory('- name: a\n  expires: [2030\n'),
    status: 'fail',
    check: 'inventory: ',
    message: /line 2: is not valid YAML or JSON: .*Fix the inventory and run the gate again\./,
  },
  {
    what: 'an inventory of binary noise',
    inputs: inventory('\u0000\u0001\u0002\uFFFD\u0007garbage\u0000', 'json'),
    status: 'fail',
    check: 'inventory: ',
    message: / line \d+: .*Fix the inventory and run the gate again\./,
  },
  {
    what: 'an empty inventory',
    inputs: inventory(''),
    status: 'fail',
    check: 'inventory: ',
    message: / line 1: is empty; expected a YAML or JSON list of keys/,
  },
  {
    what: 'an inventory holding an empty list',
    inputs: inventory('[]\n', 'json'),
    status: 'fail',
    check: 'inventory: ',
    message: / line 1: holds an empty list: no key to check/,
  },
  {
    what: 'an inventory entry without a date',
    inputs: inventory('- name: psp-key\n  owner: payments\n'),
    status: 'fail',
    check: 'inventory: ',
    message: / line 1: key "psp-key" has no expiry: give `expires`, or `created` with `max-age`, or `rotated` with `rotate-every`/,
  },
  {
    what: 'an inventory date that does not exist',
    inputs: inventory('- name: k\n  expires: 2026-02-30\n'),
    status: 'fail',
    check: 'inventory: ',
    message: / line 2: key "k": `expires` is "2026-02-30"; expected an ISO 8601 date/,
  },
  {
    what: 'an expiry given empty',
    inputs: inventory('- name: k\n  expires: ""\n'),
    status: 'fail',
    check: 'inventory: ',
    message: / line 2: item 1: `expires` has no value/,
  },
  {
    what: 'a name given empty',
    inputs: inventory('- name: ""\n  expires: 2030-01-01\n'),
    status: 'fail',
    check: 'inventory: ',
    message: / line 1: item 1: `name` has no value/,
  },
  {
    what: 'an owner given empty',
    inputs: inventory('- name: k\n  expires: 2030-01-01\n  owner:\n'),
    status: 'fail',
    check: 'inventory: ',
    message: / line 3: item 1: `owner` has no value/,
  },
  {
    what: 'an expiry given twice in two spellings',
    inputs: inventory('- name: k\n  expires: 2099-01-01\n  Expires: 2020-01-01\n'),
    status: 'fail',
    check: 'inventory: ',
    message: / line 3: key "k" \(item 1\) gives `expires` twice/,
  },
  {
    what: 'a rotation period past the end of time',
    inputs: inventory('- name: k\n  rotated: 2026-01-01\n  rotate-every: 99999999999d\n'),
    status: 'fail',
    check: 'inventory: ',
    message: / line 3: key "k": `rotate-every` is 99999999999d, longer than 36500d \(100 years\)/,
  },
  // GitHub secrets and inputs
  {
    what: 'GitHub secrets without a token',
    inputs: () => ({ 'github-secrets': 'repository' }),
    status: 'fail',
    check: 'GitHub repository secrets',
    message: /^The repository secrets cannot be listed: no GitHub token and repository are known/,
  },
  {
    what: 'every source given empty',
    inputs: () => ({ certificates: '', endpoints: '\n \n', inventory: ' ' }),
    status: 'fail',
    check: 'inputs',
    message:
      /^Could not run the gate: nothing to check: give at least one of `certificates`, `endpoints`, `inventory` or `github-secrets`\.$/,
  },
  {
    what: 'a huge max-secret-age',
    inputs: () => ({ certificates: 'good.pem', 'max-secret-age': '99999999999d' }),
    status: 'fail',
    check: 'inputs',
    message: /^Could not run the gate: input `max-secret-age`: "99999999999d" is not valid; expected .* at most 36500d \(100 years\)\.$/,
  },
]

async function run(inputs: Record<string, string>): Promise<GateResult> {
  const ctx = defaultContext({ log: () => {}, now: () => NOW, cwd: ws, workspace: ws, env: {} })
  return runGate(keyRotation, inputs, ctx, { id: 'key-rotation' })
}

describe('key-rotation fails closed', () => {
  it.each(cases)('$what → $status', async (c) => {
    const r = await run(c.inputs())
    expect(r.status, r.summary).toBe(c.status)
    const found = r.checks.filter((x) => x.name.startsWith(c.check) && x.status === c.status)
    expect(found.length, JSON.stringify(r.checks, null, 1)).toBeGreaterThanOrEqual(1)
    expect(found.map((x) => x.message).join('\n')).toMatch(c.message)
    for (const x of found) expect(x.message).toMatch(/^[A-Z`a-z0-9].*[.)]$/s)
    expect(JSON.stringify(r)).not.toMatch(/\n\s+at |TypeError|RangeError|Invalid time value|could not measure/)
  })

  it('a readable baseline passes, so the table is not passing on a broken setup', async () => {
    const r = await run({ certificates: 'good.pem' })
    expect(r.status, r.summary).toBe('pass')
  })

  it('an unreadable certificate file (permission denied; as root, where permissions do not bind, a named pipe)', async () => {
    const rel = write('locked.pem', leaf.pem)
    if (process.getuid?.() === 0) {
      rmSync(path.join(ws, rel))
      execFileSync('mkfifo', [path.join(ws, rel)])
    } else chmodSync(path.join(ws, rel), 0o000)
    const r = await run({ certificates: rel })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(
      /^(locked\.pem could not be read \(EACCES\)\. Check the file and its permissions\.|The `certificates` pattern locked\.pem matched only something that is not a regular file \(a pipe, socket or device\))/,
    )
  })
})
