// key-rotation over files: PEM certificates made by openssl at test time, and key inventories.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { keyRotation } from '../../../src/gates/key-rotation/gate.js'
import { DAY, Pki, iso, nowToSecond, type Cert } from './pki.js'

const NOW = nowToSecond()
const at = (days: number) => new Date(NOW.getTime() + days * DAY)

let pki: Pki
let ws: string
let root: Cert
let ok90: Cert
let warn20: Cert
let fail3: Cert
let expired: Cert
let future: Cert

function write(rel: string, content: string | Uint8Array): string {
  const abs = path.join(ws, rel)
  mkdirSync(path.dirname(abs), { recursive: true })
  writeFileSync(abs, content)
  return rel
}

async function gate(inputs: Record<string, string>, now = NOW) {
  const lines: string[] = []
  const ctx = defaultContext({ log: (l) => lines.push(l), now: () => now, cwd: ws, workspace: ws })
  const result = await runGate(keyRotation, inputs, ctx, { id: 'keys' })
  return { result, lines }
}

const byName = (checks: { name: string }[], part: string) => {
  const found = checks.filter((c) => c.name.includes(part))
  expect(found, `one check named like ${part} in ${checks.map((c) => c.name).join(' / ')}`).toHaveLength(1)
  return found[0] as (typeof checks)[number] & {
    status: string
    observed: string
    expected: string
    message: string
    location?: { path?: string; line?: number }
  }
}

beforeAll(() => {
  pki = Pki.create()
  ws = mkdtempSync(path.join(tmpdir(), 'kr-ws-'))
  root = pki.issue({ name: 'root', cn: 'Test Root CA', notBefore: at(-400), notAfter: at(3000) })
  ok90 = pki.issue({
    name: 'ok90',
    cn: 'api.test',
    sans: ['DNS:api.test', 'DNS:www.api.test', 'IP:127.0.0.1'],
    issuer: root,
    notBefore: at(-10),
    notAfter: at(90),
  })
  warn20 = pki.issue({ name: 'warn20', cn: 'warn.test', issuer: root, notBefore: at(-70), notAfter: at(20) })
  fail3 = pki.issue({ name: 'fail3', cn: 'soon.test', issuer: root, notBefore: at(-87), notAfter: at(3) })
  expired = pki.issue({ name: 'expired', cn: 'old.test', issuer: root, notBefore: at(-100), notAfter: at(-2) })
  future = pki.issue({ name: 'future', cn: 'later.test', issuer: root, notBefore: at(5), notAfter: at(300) })
  write('certs/ok90.pem', ok90.pem)
  write('certs/warn20.pem', warn20.pem)
  write('certs/fail3.pem', fail3.pem)
  write('certs/expired.pem', expired.pem)
}, 60_000)

afterAll(() => {
  pki?.remove()
  if (ws) rmSync(ws, { recursive: true, force: true })
})

describe('key-rotation: certificate files', () => {
  it('judges every file of a glob: 90 days pass, 20 warn, 3 fail, expired fail', async () => {
    const { result, lines } = await gate({ certificates: 'certs/*.pem' })
    expect(result.status).toBe('fail')
    expect(result.checks).toHaveLength(4)
    const c90 = byName(result.checks, 'certs/ok90.pem')
    expect(c90.status).toBe('pass')
    expect(c90.observed).toBe(`expires ${iso(at(90))} (90.0 days left)`)
    expect(c90.expected).toBe('at least 30d left (fail under 7d)')
    expect(c90.name).toBe('certs/ok90.pem: CN=api.test; SANs api.test, www.api.test, IP 127.0.0.1')
    expect(c90.location).toEqual({ path: 'certs/ok90.pem', line: 1 })

    const c20 = byName(result.checks, 'certs/warn20.pem')
    expect(c20.status).toBe('warn')
    expect(c20.observed).toBe(`expires ${iso(at(20))} (20.0 days left)`)
    expect(c20.message).toContain('CN=warn.test')
    expect(c20.message).toContain('20.0 days left')
    expect(c20.message).toContain('under warn-within 30d')
    expect(c20.message).toContain('issued by CN=Test Root CA')
    expect(c20.message).toMatch(/Renew it and replace it in certs\/warn20\.pem/)

    const c3 = byName(result.checks, 'certs/fail3.pem')
    expect(c3.status).toBe('fail')
    expect(c3.observed).toBe(`expires ${iso(at(3))} (3.0 days left)`)
    expect(c3.message).toContain('under fail-within 7d')

    const cx = byName(result.checks, 'certs/expired.pem')
    expect(cx.status).toBe('fail')
    expect(cx.observed).toBe(`expired ${iso(at(-2))} (2.0 days ago)`)
    expect(cx.message).toContain(`expired ${iso(at(-2))}, 2.0 days before as-of ${iso(NOW)}`)

    // Sorted by time left, in the checks and in the table.
    expect(result.checks.map((c) => c.status)).toEqual(['fail', 'fail', 'warn', 'pass'])
    const table = result.details ?? ''
    expect(table).toContain('| source | subject | expires | days left | owner | status |')
    const order = ['old.test', 'soon.test', 'warn.test', 'api.test'].map((cn) => table.indexOf(`CN=${cn}`))
    expect(order.every((p) => p > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(table).toContain(`| certs/expired.pem | CN=old.test; SANs old.test | ${iso(at(-2))} | -2.0 | - | fail |`)

    expect(result.metrics).toMatchObject({ items: 4, expired: 1, failing: 2, warning: 1, min_days_left: -2 })
    expect(result.outputs).toEqual({ 'next-expiry': iso(at(-2)), 'min-days-left': '-2' })
    expect(result.summary).toMatch(/^keys: FAIL: Certificate in certs\/expired\.pem .* expired/)
    expect(lines.join('\n')).toContain('certificates: 4 files, 4 certificates')
  })

  it('checks every certificate of a bundle: the second one is the one expiring', async () => {
    // openssl ca without -notext writes the text dump before the PEM: text outside blocks is allowed.
    const withText = pki.issue({ name: 'bundle-leaf', cn: 'bundle.test', issuer: root, notBefore: at(-1), notAfter: at(200), text: true })
    const rel = write('bundle/chain.pem', `${withText.pem}${fail3.pem}${root.pem}`)
    const { result } = await gate({ certificates: rel })
    expect(result.checks).toHaveLength(3)
    expect(result.status).toBe('fail')
    const second = byName(result.checks, '(2 of 3)')
    expect(second.status).toBe('fail')
    expect(second.message).toMatch(/^Certificate 2 of 3 in bundle\/chain\.pem \(CN=soon\.test/)
    const secondBegin = `${withText.pem}`.split('\n').length
    expect(second.location).toEqual({ path: 'bundle/chain.pem', line: secondBegin })
    expect(byName(result.checks, '(1 of 3)').status).toBe('pass')
    const third = byName(result.checks, '(3 of 3)')
    expect(third.status).toBe('pass')
    expect(third.message).toContain('self-signed')
  })

  it('a certificate not yet valid at as-of fails', async () => {
    const rel = write('future/later.pem', future.pem)
    const { result } = await gate({ certificates: rel })
    expect(result.status).toBe('fail')
    expect(result.checks[0].observed).toBe(`not valid before ${iso(at(5))} (5.0 days after as-of)`)
    expect(result.checks[0].message).toContain('is not valid before')
  })

  it('as-of moves a pass to a warn and to a fail', async () => {
    const now = await gate({ certificates: 'certs/ok90.pem' })
    expect(now.result.status).toBe('pass')
    const d70 = await gate({ certificates: 'certs/ok90.pem', 'as-of': iso(at(70)) })
    expect(d70.result.status).toBe('warn')
    expect(d70.result.checks[0].observed).toBe(`expires ${iso(at(90))} (20.0 days left)`)
    const d85 = await gate({ certificates: 'certs/ok90.pem', 'as-of': iso(at(85)) })
    expect(d85.result.status).toBe('fail')
    expect(d85.result.checks[0].message).toContain(`5.0 days left as of ${iso(at(85))}, under fail-within 7d`)
    expect(d85.lines[0]).toBe(`judging as of ${iso(at(85))}`)
    // A date alone means midnight UTC; an offset is honoured.
    const day = new Date(at(95).toISOString().slice(0, 10) + 'T00:00:00Z')
    const dateOnly = await gate({ certificates: 'certs/ok90.pem', 'as-of': day.toISOString().slice(0, 10) })
    expect(dateOnly.result.status).toBe('fail')
    expect(dateOnly.result.checks[0].observed).toMatch(/^expired /)
  })

  it('warn-within and fail-within move the thresholds', async () => {
    const { result } = await gate({ certificates: 'certs/warn20.pem', 'warn-within': '10d', 'fail-within': '2d' })
    expect(result.status).toBe('pass')
    const tight = await gate({ certificates: 'certs/warn20.pem', 'warn-within': '60d', 'fail-within': '21d' })
    expect(tight.result.status).toBe('fail')
    expect(tight.result.checks[0].expected).toBe('at least 60d left (fail under 21d)')
  })

  it('a malformed block names the file and the line of the block', async () => {
    const good = ok90.pem
    const bad = '-----BEGIN CERTIFICATE-----\nMIIBsjCCAVmgAwIBAgIBAjAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlUZXN0IFJv\n-----END CERTIFICATE-----\n'
    const rel = write('bad/broken.pem', `${good}# a comment\n${bad}`)
    const { result } = await gate({ certificates: rel })
    expect(result.status).toBe('fail')
    expect(result.checks).toHaveLength(1)
    const line = good.split('\n').length + 1
    expect(result.checks[0].location).toEqual({ path: 'bad/broken.pem', line })
    expect(result.checks[0].message).toContain(`bad/broken.pem line ${line}: the CERTIFICATE block is not a valid X.509 certificate`)
    expect(result.checks[0].observed).toBe(`malformed PEM at line ${line}`)
  })

  it('a truncated bundle names the BEGIN line with no END', async () => {
    const cut = ok90.pem.split('\n').slice(0, 5).join('\n')
    const rel = write('bad/cut.pem', `${fail3.pem}${cut}`)
    const { result } = await gate({ certificates: rel })
    expect(result.status).toBe('fail')
    const line = fail3.pem.split('\n').length
    expect(result.checks[0].message).toContain(`bad/cut.pem line ${line}: the CERTIFICATE block has no -----END CERTIFICATE----- line`)
  })

  it('skips a private key beside the certificate and never quotes it', async () => {
    const rel = write('combo/haproxy.pem', `${ok90.key}${ok90.pem}`)
    const { result } = await gate({ certificates: rel })
    expect(result.status).toBe('pass')
    expect(result.checks).toHaveLength(1)
    const keyOnly = write('combo/key-only.pem', ok90.key)
    const r2 = await gate({ certificates: keyOnly })
    expect(r2.result.status).toBe('fail')
    expect(r2.result.checks[0].message).toContain('no CERTIFICATE block, only PRIVATE KEY')
    const keyBody = ok90.key.split('\n')[1]
    expect(JSON.stringify(r2.result)).not.toContain(keyBody)
  })

  it('a DER or binary file is a fail that says it is not PEM', async () => {
    const rel = write('bin/cert.der', new Uint8Array([0x30, 0x82, 0x01, 0xb2, 0, 1, 2, 3, 255]))
    const { result } = await gate({ certificates: rel })
    expect(result.status).toBe('fail')
    expect(result.checks[0].message).toContain('bin/cert.der line 1: no -----BEGIN CERTIFICATE----- line')
  })

  it('a pattern matching nothing fails and names the pattern', async () => {
    const { result } = await gate({ certificates: 'certs/*.pem\nmissing/*.crt' })
    expect(result.status).toBe('fail')
    const miss = byName(result.checks, 'missing/*.crt')
    expect(miss.status).toBe('fail')
    expect(miss.observed).toBe('matched no file')
    expect(miss.message).toContain('The `certificates` pattern missing/*.crt matched no file')
    const folder = await gate({ certificates: 'certs' })
    expect(folder.result.checks[0].observed).toBe('matched only a folder')
  })

  it('accepts absolute paths', async () => {
    const { result } = await gate({ certificates: ok90.certPath })
    expect(result.status).toBe('pass')
    // Outside the workspace: no annotation path.
    expect(result.checks[0].location).toBeUndefined()
  })
})

describe('key-rotation: inputs', () => {
  it('nothing to check is a fail', async () => {
    const { result } = await gate({})
    expect(result.status).toBe('fail')
    expect(result.inputError).toBe(true)
    expect(result.checks[0].message).toContain('nothing to check')
    const none = await gate({ 'github-secrets': 'none' })
    expect(none.result.checks[0].message).toContain('nothing to check')
  })

  it('refuses a warn-within shorter than fail-within, a bad as-of, a bad endpoint', async () => {
    const a = await gate({ certificates: 'certs/ok90.pem', 'warn-within': '3d', 'fail-within': '7d' })
    expect(a.result.checks[0].message).toContain('`warn-within` (3d) is shorter than `fail-within` (7d)')
    const b = await gate({ certificates: 'certs/ok90.pem', 'as-of': '2026-12-01T10:00' })
    expect(b.result.status).toBe('fail')
    expect(b.result.checks[0].message).toContain(
      'input `as-of`: "2026-12-01T10:00" is not valid; expected an ISO 8601 date or instant with a time zone',
    )
    const c = await gate({ certificates: 'certs/ok90.pem', 'as-of': '2026-02-30' })
    expect(c.result.inputError).toBe(true)
    const d = await gate({ endpoints: 'https://api.example.com' })
    expect(d.result.checks[0].message).toContain('input `endpoints`')
    const e = await gate({ 'github-secrets': 'org' })
    expect(e.result.checks[0].message).toContain('input `github-secrets`: "org" is not valid')
    const f = await gate({ certificates: 'certs/ok90.pem', 'trusted-ca': 'certs/ok90.pem' })
    expect(f.result.checks[0].message).toContain('`trusted-ca` is only used to check `endpoints`')
  })
})

describe('key-rotation: inventory', () => {
  const yaml = () => `# keys nobody else can tell us about
- name: stripe-live-key
  expires: ${iso(at(120))}
  owner: payments on-call
- name: webhook-hmac
  created: ${iso(at(-70)).slice(0, 10)}
  max-age: 90d
  owner: platform team
- name: jwt-signing
  rotated: ${iso(at(-28))}
  rotate-every: 30d
- name: adyen-api-key
  expires: ${iso(at(-1))}
  owner: '@alice'
`

  it('judges expires, created + max-age and rotated + rotate-every, with owners', async () => {
    const rel = write('inv/keys.yaml', yaml())
    const { result, lines } = await gate({ inventory: rel })
    expect(result.status).toBe('fail')
    expect(result.checks).toHaveLength(4)
    const stripe = byName(result.checks, 'stripe-live-key')
    expect(stripe.status).toBe('pass')
    expect(stripe.name).toBe('inv/keys.yaml: stripe-live-key')
    expect(stripe.message).toContain('Owner: payments on-call.')
    expect(stripe.location).toEqual({ path: 'inv/keys.yaml', line: 2 })
    const hmac = byName(result.checks, 'webhook-hmac')
    expect(hmac.status).toBe('warn')
    expect(hmac.message).toContain('max-age 90d')
    expect(hmac.message).toContain('Call its owner: platform team.')
    const jwt = byName(result.checks, 'jwt-signing')
    expect(jwt.status).toBe('fail')
    expect(jwt.observed).toBe(`expires ${iso(at(2))} (2.0 days left)`)
    expect(jwt.message).toContain('The inventory names no owner for it')
    expect(jwt.location).toEqual({ path: 'inv/keys.yaml', line: 9 })
    const adyen = byName(result.checks, 'adyen-api-key')
    expect(adyen.status).toBe('fail')
    expect(adyen.message).toContain('Call its owner: @alice.')
    expect(result.details).toContain(`| inv/keys.yaml | adyen-api-key | ${iso(at(-1))} | -1.0 | @alice | fail |`)
    expect(lines).toContain('inventory inv/keys.yaml: 4 keys')
  })

  it('reads JSON, and a list under `keys:`', async () => {
    const json = write('inv/keys.json', JSON.stringify({ keys: [{ name: 'k1', expires: iso(at(60)), owner: 'ops' }] }, null, 2))
    const { result } = await gate({ inventory: json })
    expect(result.status).toBe('pass')
    expect(result.checks[0].location).toEqual({ path: 'inv/keys.json', line: 3 })
  })

  it('as-of moves an inventory pass to a fail', async () => {
    const rel = write('inv/one.yaml', `- name: k\n  expires: ${iso(at(40))}\n`)
    expect((await gate({ inventory: rel })).result.status).toBe('pass')
    expect((await gate({ inventory: rel, 'as-of': iso(at(35)) })).result.status).toBe('fail')
  })

  const broken: [string, string, number, string][] = [
    [
      'bad date',
      `- name: a\n  expires: ${iso(at(40))}\n- name: b\n  expires: next tuesday\n`,
      4,
      'key "b": `expires` is "next tuesday"; expected an ISO 8601',
    ],
    ['no expiry', '- name: a\n  owner: x\n', 1, 'key "a" has no expiry'],
    ['two forms', '- name: a\n  expires: 2030-01-01\n  created: 2029-01-01\n  max-age: 90d\n', 1, 'gives `expires` and `created`'],
    ['created without max-age', '\n\n- name: a\n  created: 2029-01-01\n', 3, '`created` needs `max-age`'],
    ['bad duration', '- name: a\n  rotated: 2029-01-01\n  rotate-every: 3 months\n', 3, '`rotate-every` is "3 months"'],
    ['stray field', '- name: a\n  expires: 2030-01-01\n  max-age: 30d\n', 3, '`max-age` only goes with `created`'],
    ['no name', '- expires: 2030-01-01\n', 1, 'item 1 has no `name`'],
    [
      'duplicate field',
      '- name: a\n  expires: 2030-01-01\n  expires: 2031-01-01\n',
      3,
      'is not valid YAML or JSON: Map keys must be unique',
    ],
    ['not a list', 'name: a\nexpires: 2030-01-01\n', 1, 'holds a mapping without `keys:`'],
    ['empty', '# nothing\n', 1, 'is empty'],
    ['empty list', '[]\n', 1, 'holds an empty list'],
    ['bad yaml', '- name: a\n  expires: [2030\n', 2, 'is not valid YAML or JSON'],
    ['numeric date', '- name: a\n  expires: 20300101\n', 2, '`expires` must be text, not a number'],
  ]
  it.each(broken)('a malformed inventory (%s) names the file and line', async (label, text, line, reason) => {
    const rel = write(`inv/bad-${label.replace(/\s+/g, '-')}.yaml`, text)
    const { result } = await gate({ inventory: rel })
    expect(result.status).toBe('fail')
    expect(result.checks).toHaveLength(1)
    expect(result.checks[0].message).toContain(`${rel} line ${line}: `)
    expect(result.checks[0].message).toContain(reason)
    expect(result.checks[0].location).toEqual({ path: rel, line })
  })
})
