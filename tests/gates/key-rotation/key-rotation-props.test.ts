// Property tests of key-rotation's parsers: arbitrary bytes give a typed error, never a crash, never a pass.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { InputFormError } from '../../../src/core/units.js'
import { keyRotation } from '../../../src/gates/key-rotation/gate.js'
import { formatInstant, parseInstant } from '../../../src/gates/key-rotation/dates.js'
import { parseSecretScopes } from '../../../src/gates/key-rotation/github-secrets.js'
import { InventoryError, parseInventory } from '../../../src/gates/key-rotation/inventory.js'
import { PemError, readPemCertificates } from '../../../src/gates/key-rotation/pem.js'
import { parseEndpoints } from '../../../src/gates/key-rotation/tls.js'

let ws: string
beforeAll(() => {
  ws = mkdtempSync(path.join(tmpdir(), 'kr-props-'))
})
afterAll(() => {
  if (ws) rmSync(ws, { recursive: true, force: true })
})

const lineCount = (bytes: Uint8Array) =>
  Buffer.from(bytes)
    .toString('latin1')
    .split(/\r\n|\n|\r/).length

/** PEM-looking text: markers, base64 runs, headers and noise in any order. */
const pemish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '-----BEGIN CERTIFICATE-----',
        '-----END CERTIFICATE-----',
        '-----BEGIN PRIVATE KEY-----',
        '-----END PRIVATE KEY-----',
        '-----BEGIN TRUSTED CERTIFICATE-----',
        '-----BEGIN CERTIFICATE',
        'MIIBsjCCAVmgAwIBAgIBAjAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlUZXN0IFJv',
        '',
      ),
      fc.base64String({ maxLength: 96 }),
      fc.string({ maxLength: 40 }),
    ),
    { maxLength: 30 },
  )
  .map((lines) => lines.join('\n'))

describe('PEM parser', () => {
  it('arbitrary bytes: a PemError with a line inside the file, never a certificate', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        let err: unknown
        try {
          readPemCertificates(bytes, 'x.pem')
        } catch (e) {
          err = e
        }
        expect(err).toBeInstanceOf(PemError)
        const e = err as PemError
        expect(e.line).toBeGreaterThanOrEqual(1)
        expect(e.line).toBeLessThanOrEqual(lineCount(bytes))
        expect(e.message.startsWith(`x.pem line ${e.line}: `)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('PEM-looking text: a PemError, never a certificate, never another error', () => {
    fc.assert(
      fc.property(pemish, (text) => {
        expect(() => readPemCertificates(Buffer.from(text, 'latin1'), 'y.pem')).toThrow(PemError)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('inventory parser', () => {
  it('arbitrary text: an InventoryError naming a line, or well-formed keys; nothing else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.uint8Array({ maxLength: 400 }).map((b) => new TextDecoder().decode(b)),
        ),
        (text) => {
          try {
            const keys = parseInventory(text, 'k.yaml')
            for (const k of keys) {
              expect(typeof k.name).toBe('string')
              expect(Number.isFinite(k.expires.getTime())).toBe(true)
            }
          } catch (e) {
            expect(e).toBeInstanceOf(InventoryError)
            expect((e as InventoryError).line).toBeGreaterThanOrEqual(1)
          }
        },
      ),
      { numRuns: 1000 },
    )
  })

  const scalar = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.constantFrom('2030-01-01', '90d', 'x', '', '2026-02-30', '1h', null),
  )
  const item = fc.dictionary(fc.constantFrom('name', 'expires', 'created', 'max-age', 'rotated', 'rotate-every', 'owner', 'other'), scalar)
  it('structured noise: every accepted key has a name and a finite expiry; every refusal is an InventoryError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(item, { maxLength: 5 }), item, scalar), fc.boolean(), (doc, asJson) => {
        const text = asJson ? JSON.stringify(doc) : `${JSON.stringify(doc, null, 2)}\n`
        try {
          for (const k of parseInventory(text, 'k.json')) {
            expect(k.name.length).toBeGreaterThan(0)
            expect(Number.isFinite(k.expires.getTime())).toBe(true)
          }
        } catch (e) {
          expect(e).toBeInstanceOf(InventoryError)
        }
      }),
      { numRuns: 1000 },
    )
  })
})

describe('the gate over arbitrary files', () => {
  let n = 0
  it('arbitrary bytes as certificates or inventory: a fail with a file and line, never a pass, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom('certificates', 'inventory'), async (bytes, input) => {
        const rel = `f${n++}.bin`
        writeFileSync(path.join(ws, rel), bytes)
        const ctx = defaultContext({ log: () => {}, cwd: ws, workspace: ws })
        const result = await runGate(keyRotation, { [input]: rel }, ctx, { id: 'p' })
        expect(result.status).toBe('fail')
        expect(result.inputError).toBe(false)
        expect(result.checks).toHaveLength(1)
        expect(result.checks[0].name).toBe(`${input}: ${rel}`)
        expect(result.checks[0].location?.path).toBe(rel)
        expect(result.checks[0].message).toMatch(new RegExp(`^${rel.replace('.', '\\.')} line \\d+: `))
      }),
      { numRuns: 150 },
    )
  })
})

describe('input parsers', () => {
  it('parseInstant never throws; what it accepts round-trips', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const d = parseInstant(s)
        if (d) expect(Number.isFinite(d.getTime())).toBe(true)
      }),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const s = new Date(Math.floor(d.getTime() / 1000) * 1000)
        expect(parseInstant(formatInstant(s))?.getTime()).toBe(s.getTime())
      }),
    )
  })

  it('parseInstant honours offsets and refuses impossible dates and zone-less times', () => {
    expect(parseInstant('2026-12-01T02:00:00+02:00')?.toISOString()).toBe('2026-12-01T00:00:00.000Z')
    expect(parseInstant('2026-12-01')?.toISOString()).toBe('2026-12-01T00:00:00.000Z')
    expect(parseInstant('2024-02-29')).toBeDefined()
    for (const bad of [
      '2026-02-29',
      '2026-13-01',
      '2026-12-01T10:00',
      '2026-12-01T24:00Z',
      '01/12/2026',
      'tomorrow',
      '2026-12-01T10:00:00+25:00',
    ])
      expect(parseInstant(bad), bad).toBeUndefined()
  })

  it('endpoints and github-secrets: InputFormError or a value, nothing else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        for (const parse of [parseEndpoints, parseSecretScopes]) {
          try {
            parse(s)
          } catch (e) {
            expect(e).toBeInstanceOf(InputFormError)
          }
        }
      }),
      { numRuns: 1000 },
    )
  })
})
