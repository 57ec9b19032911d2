// cutover.schema.json (committed, generated from the specs) marks what each gate kind requires and
// the rules that span two inputs, so an editor flags them before a run does. Each rule is proven
// both ways: the schema refuses a config that breaks it, and so does the gate when it runs (the
// gate's own check, in its own sentence); the same config mended is accepted by the schema.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { gates } from '../../src/gates/index.js'

const root = path.resolve(import.meta.dirname, '../..')
const schema = JSON.parse(readFileSync(path.join(root, 'cutover.schema.json'), 'utf8')) as object
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema)
const config = (uses: string, w?: Record<string, unknown> | null) => ({
  version: 1,
  gates: [{ id: 'g', uses, ...(w === undefined ? {} : { with: w }) }],
})
const valid = (uses: string, w?: Record<string, unknown> | null) => validate(config(uses, w))

const PG = 'postgresql://ro_user:planted-pw@127.0.0.1:1/app'
const HOOK = 'https://hooks.slack.com/services/T0000/B0000/plantedwebhooksecret'

describe('cutover.schema.json', () => {
  const files = [
    ...readdirSync(path.join(root, 'examples/runbooks'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `examples/runbooks/${d.name}/cutover.yml`),
    'examples/demo/cutover.yml',
  ]
  it.each(files)('accepts %s', (file) => {
    const ok = validate(parse(readFileSync(path.join(root, file), 'utf8')))
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([])
    expect(ok).toBe(true)
  })

  it('names every gate kind, each with its own `uses`', () => {
    const kinds = (schema as { properties: { gates: { items: { anyOf: { properties: { uses: { const: string } } }[] } } } }).properties
      .gates.items.anyOf
    expect(kinds.map((k) => k.properties.uses.const)).toEqual(Object.keys(gates).sort())
  })

  it.each<[string, Record<string, unknown> | null | undefined, string]>([
    ['readyz', undefined, 'no `with:` at all'],
    ['readyz', null, 'an empty `with:`'],
    ['readyz', { wait: '2m' }, 'no `url`'],
    ['readyz', { url: null }, '`url:` left empty'],
    ['readyz', { url: '' }, '`url` an empty string'],
    ['readyz', { url: ' \n ' }, '`url` only blanks'],
    ['readyz', { url: [] }, '`url` an empty list'],
    ['sql', { 'postgres-url': PG, expect: 'status=PASS' }, 'no `query`'],
    ['approval-guard', {}, 'no `environment`'],
    ['evidence', { manifest: 'SHA256SUMS' }, 'no `path`'],
    ['notify', { event: 'start' }, 'no `webhook-url`'],
  ])('refuses %s with %j (%s)', (uses, w) => {
    expect(valid(uses, w)).toBe(false)
  })

  it('refuses an input the gate does not take, a value outside a oneOf, and an unknown gate', () => {
    expect(valid('readyz', { url: 'https://a.example', colour: 'red' })).toBe(false)
    expect(valid('notify', { 'webhook-url': HOOK, event: 'started', message: 'x' })).toBe(false)
    expect(valid('no-such-gate', {})).toBe(false)
    expect(valid('readyz', { url: 'https://a.example' })).toBe(true)
  })
})

/** [gate, what breaks the rule, the same mended, the input the gate's refusal names]. */
const RULES: [string, Record<string, unknown>, Record<string, unknown>, RegExp][] = [
  ['sql', { 'postgres-url': PG, query: 'SELECT 1' }, { 'postgres-url': PG, query: 'SELECT 1', 'expect-rows': '1' }, /expect-rows/],
  ['canary', {}, { source: 'evidence.json' }, /prometheus-url/],
  ['canary', { source: 'evidence.json', 'prometheus-url': 'https://prom.example.com' }, { source: 'evidence.json' }, /not both/],
  [
    'canary',
    { source: 'evidence.json', queries: 'requests: sum(rate(http_requests_total{$selector}[$window]))' },
    { source: 'evidence.json' },
    /`queries` applies to Prometheus/,
  ],
  [
    'canary',
    { source: 'evidence.json', 'record-baseline': 'baseline.json', 'baseline-file': 'baseline.json' },
    { source: 'evidence.json', 'record-baseline': 'baseline.json' },
    /record-baseline.*baseline-file/,
  ],
  ['key-rotation', {}, { certificates: 'certs/*.pem' }, /nothing to check/],
  ['key-rotation', { 'github-secrets': 'none', 'warn-within': '30d' }, { 'github-secrets': 'repository' }, /nothing to check/],
  ['key-rotation', { certificates: 'certs/*.pem', 'trusted-ca': 'ca.pem' }, { certificates: 'certs/*.pem' }, /`trusted-ca`/],
  ['notify', { 'webhook-url': HOOK }, { 'webhook-url': HOOK, message: 'hello' }, /`event: checkpoint` needs/],
  ['notify', { 'webhook-url': HOOK, event: 'checkpoint' }, { 'webhook-url': HOOK, reports: 'r' }, /`event: checkpoint` needs/],
  [
    'notify',
    { 'webhook-url': HOOK, event: 'phase', message: 'Pre-flight' },
    { 'webhook-url': HOOK, event: 'phase', message: 'P', reports: 'r' },
    /`reports` was not given/,
  ],
  [
    'notify',
    { 'webhook-url': HOOK, event: 'phase', reports: 'r' },
    { 'webhook-url': HOOK, event: 'phase', message: 'P', reports: 'r' },
    /`message` was not given/,
  ],
  ['policy-signatures', { files: 'policies/*.json' }, { files: 'policies/*.json', 'allowed-signers': 'allowed_signers' }, /public-keys/],
  ['dr-drill', { rto: '15m' }, { 'restore-command': 'true' }, /nothing to drill/],
  ['dr-drill', { 'postgres-url': PG, 'verify-command': 'true' }, { 'postgres-url': PG }, /`verify-command` runs after/],
  ['dr-drill', { 'restore-command': 'true', 'source-manifest': 'SHA256SUMS' }, { 'restore-command': 'true' }, /go together/],
  ['dr-drill', { 'restore-command': 'true', 'restored-path': 'out' }, { 'restore-command': 'true' }, /go together/],
  [
    'dr-drill',
    { 'restore-command': 'true', 'postgres-dump': 'db.dump' },
    { 'restore-command': 'true' },
    /`postgres-dump` needs `postgres-url`/,
  ],
  ['dr-drill', { 'postgres-url': PG, 'verify-sql': 'SELECT true' }, { 'postgres-url': PG }, /`verify-sql` checks/],
  [
    'evidence',
    { path: 'e', 'public-key': 'k.pub', 'hmac-key': 'planted-hmac-key-0123456789' },
    { path: 'e', 'public-key': 'k.pub' },
    /not both/,
  ],
]

describe('rules over several inputs: the schema and the gate agree', () => {
  it('every gate rule has a case here', () => {
    const counted = Object.fromEntries(Object.keys(gates).map((n) => [n, RULES.filter(([g]) => g === n).length]))
    for (const [name, g] of Object.entries(gates)) expect(counted[name], name).toBeGreaterThanOrEqual(g.rules?.length ?? 0)
  })

  it.each(RULES)('%s: %j breaks a rule, and mended it holds', async (uses, broken, mended, named) => {
    expect(valid(uses, broken), 'the schema accepts what breaks the rule').toBe(false)
    expect(valid(uses, mended), JSON.stringify(validate.errors)).toBe(true)
    const r = await runGate(gates[uses], broken, defaultContext({ log: () => {} }), { id: 'g' })
    expect(r.inputError, r.summary).toBe(true)
    expect(r.summary).toMatch(named)
  })

  it('writing an input as its default is not giving it (github-secrets: none), nor is leaving it empty', () => {
    expect(valid('key-rotation', { 'github-secrets': 'none' })).toBe(false)
    expect(valid('key-rotation', { certificates: null })).toBe(false)
    expect(valid('key-rotation', { certificates: '' })).toBe(false)
    expect(valid('key-rotation', { certificates: [] })).toBe(false)
    expect(valid('key-rotation', { certificates: ['a.pem'] })).toBe(true)
  })
})
