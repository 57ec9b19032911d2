// key-rotation: an inventory entry says one thing about each field, in the spelling the gate reads,
// and no duration or date pushes an expiry past what a clock can hold.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { defaultContext, runGate, type GitHubPort } from '../../../src/core/gate.js'
import { keyRotation } from '../../../src/gates/key-rotation/gate.js'
import { createClient } from '../../../src/github/client.js'
import { judge } from '../../../src/gates/key-rotation/judge.js'
import { InventoryError, parseInventory } from '../../../src/gates/key-rotation/inventory.js'
import { startFakeGitHub, type FakeGitHub } from '../../harness/fake-github.js'

const NOW = new Date('2026-06-01T00:00:00Z')
let ws: string
beforeAll(() => {
  ws = mkdtempSync(path.join(tmpdir(), 'kr-fields-'))
})
afterAll(() => rmSync(ws, { recursive: true, force: true }))

let n = 0
function write(text: string, ext = 'yaml'): string {
  const rel = `inv/${++n}.${ext}`
  mkdirSync(path.join(ws, 'inv'), { recursive: true })
  writeFileSync(path.join(ws, rel), text)
  return rel
}

async function gate(inputs: Record<string, string>, github?: GitHubPort) {
  const ctx = defaultContext({ log: () => {}, now: () => NOW, cwd: ws, workspace: ws, ...(github ? { github } : {}) })
  return runGate(keyRotation, inputs, ctx, { id: 'keys' })
}

/** The one check of an inventory that could not be read, with the file and line it names. */
async function refused(text: string, ext = 'yaml') {
  const rel = write(text, ext)
  const r = await gate({ inventory: rel })
  expect(r.status, r.summary).toBe('fail')
  expect(r.checks, JSON.stringify(r.checks)).toHaveLength(1)
  expect(r.checks[0].name).toBe(`inventory: ${rel}`)
  return { rel, check: r.checks[0] }
}

describe('key-rotation inventory: unknown and conflicting fields fail, naming them and the entry', () => {
  it('`expires: 2099-01-01` beside `Expires: 2020-01-01` fails (today: a pass on the 2099 date)', async () => {
    const { rel, check } = await refused('- name: psp-key\n  expires: 2099-01-01\n  Expires: 2020-01-01\n')
    expect(check.message).toBe(
      `${rel} line 3: key "psp-key" (item 1) gives \`expires\` twice: as \`expires\` (line 2) and as \`Expires\` (line 3). ` +
        'Keep one, spelled `expires`. Each key takes only `name`, `expires`, `created`, `max-age`, `rotated`, `rotate-every` and `owner`; ' +
        'keep notes in YAML comments (# ...). Fix the inventory and run the gate again.',
    )
    expect(check.location).toEqual({ path: rel, line: 3 })
  })

  it('the same conflict in JSON, and in the other order', async () => {
    const { check } = await refused(JSON.stringify([{ name: 'k', Expires: '2020-01-01', expires: '2099-01-01' }]), 'json')
    expect(check.message).toContain('key "k" (item 1) gives `expires` twice: as `Expires` (line 1) and as `expires` (line 1)')
  })

  it('two spellings of one field: rotate_every and rotate-every, maxAge and max-age', async () => {
    let { check } = await refused('- name: a\n  rotated: 2026-05-01\n  rotate-every: 3650d\n  rotate_every: 1d\n')
    expect(check.message).toContain(
      'key "a" (item 1) gives `rotate-every` twice: as `rotate-every` (line 3) and as `rotate_every` (line 4)',
    )
    ;({ check } = await refused('- name: b\n  created: 2026-05-01\n  maxAge: 1d\n  max-age: 3650d\n'))
    expect(check.message).toContain('gives `max-age` twice: as `maxAge` (line 3) and as `max-age` (line 4)')
  })

  it('a case variant or another spelling alone is refused too, with the spelling the gate reads', async () => {
    let { check } = await refused('- name: a\n  EXPIRES: 2020-01-01\n')
    expect(check.message).toContain('key "a" (item 1) has a field the inventory does not know: `EXPIRES` (line 2; write it `expires`)')
    ;({ check } = await refused('- Name: a\n  expires: 2030-01-01\n'))
    expect(check.message).toContain('item 1 has a field the inventory does not know: `Name` (line 1; write it `name`)')
    ;({ check } = await refused('- name: a\n  rotated: 2026-05-01\n  Rotate Every: 90d\n'))
    expect(check.message).toContain('`Rotate Every` (line 3; write it `rotate-every`)')
  })

  it('unknown fields are refused, with a likely meaning where there is one', async () => {
    const { rel, check } = await refused(
      '- name: ok\n  expires: 2030-01-01\n- name: psp\n  expires: 2099-01-01\n  expiry: 2020-01-01\n  notes: rotate by hand\n  7: x\n',
    )
    expect(check.message).toBe(
      `${rel} line 5: key "psp" (item 2) has fields the inventory does not know: \`expiry\` (line 5; did you mean \`expires\`?), \`notes\` (line 6), \`7\` (line 7). ` +
        'Each key takes only `name`, `expires`, `created`, `max-age`, `rotated`, `rotate-every` and `owner`; keep notes in YAML comments (# ...). ' +
        'Fix the inventory and run the gate again.',
    )
    expect(check.location).toEqual({ path: rel, line: 5 })
  })

  it('a field whose key is not text (null, a list, a mapping) is refused', async () => {
    for (const text of ['- name: a\n  expires: 2030-01-01\n  ~: x\n', '- name: a\n  expires: 2030-01-01\n  ? [x]\n  : y\n']) {
      const { check } = await refused(text)
      expect(check.message).toMatch(/key "a" \(item 1\) has a field the inventory does not know/)
    }
  })

  it('beside `keys:` at the top, another key (or `Keys:`) is refused: it could hold keys nobody checks', async () => {
    let { check } = await refused('keys:\n  - name: a\n    expires: 2030-01-01\nKeys:\n  - name: b\n    expires: 2020-01-01\n')
    expect(check.message).toContain(
      'line 4: the top-level mapping gives `keys` twice: as `keys` (line 1) and as `Keys` (line 4). Keep one, spelled `keys`. It holds only `keys:`',
    )
    ;({ check } = await refused(JSON.stringify({ keys: [{ name: 'a', expires: '2030-01-01' }], extra: [] }), 'json'))
    expect(check.message).toContain('`extra` (line 1)')
    ;({ check } = await refused('Keys:\n  - name: a\n    expires: 2030-01-01\n'))
    expect(check.message).toContain('`Keys` (line 1; write it `keys`)')
  })

  it('the fields it knows, each once, still pass', async () => {
    const rel = write(
      '- name: a\n  expires: 2030-01-01\n  owner: ops\n- name: b\n  created: 2026-05-01\n  max-age: 365d\n- name: c\n  rotated: 2026-05-01\n  rotate-every: 90d\n',
    )
    const r = await gate({ inventory: rel })
    expect(r.status, r.summary).toBe('pass')
    expect(r.checks).toHaveLength(3)
  })

  it('parseInventory throws only InventoryError for these', () => {
    expect(() => parseInventory('- name: a\n  expires: 2030-01-01\n  Expires: 2020-01-01\n', 'k.yaml')).toThrow(InventoryError)
  })
})

describe('key-rotation: durations and dates beyond what a clock holds are sentences, not "Invalid time value"', () => {
  it('a huge rotate-every or max-age in the inventory fails naming the key, the field and the range', async () => {
    let { rel, check } = await refused('- name: forever\n  rotated: 2026-05-01\n  rotate-every: 99999999999d\n')
    expect(check.message).toBe(
      `${rel} line 3: key "forever": \`rotate-every\` is 99999999999d, longer than 36500d (100 years); ` +
        'give the rotation period, such as 90d, or an `expires` date for a key that has one. Fix the inventory and run the gate again.',
    )
    expect(check.message).not.toMatch(/Invalid time value/)
    ;({ rel, check } = await refused('- name: old\n  created: 2026-05-01\n  max-age: 36501d\n'))
    expect(check.message).toContain('key "old": `max-age` is 36501d, longer than 36500d (100 years)')
    // The bound itself is accepted.
    const ok = await gate({ inventory: write('- name: edge\n  created: 9999-12-31\n  max-age: 36500d\n') })
    expect(ok.status, ok.summary).toBe('fail') // created after as-of: not in force yet
    expect(ok.checks[0].message).not.toMatch(/Invalid time value|could not measure/)
  })

  it('huge max-secret-age, warn-within or fail-within are refused naming the input and the range', async () => {
    for (const [k, v] of [
      ['max-secret-age', '99999999999d'],
      ['warn-within', '99999999999d'],
      ['fail-within', '36501d'],
    ]) {
      const r = await gate({
        inventory: write('- name: a\n  expires: 2030-01-01\n'),
        [k]: v,
        ...(k === 'fail-within' ? { 'warn-within': '36500d' } : {}),
      })
      expect(r.status).toBe('fail')
      expect(r.inputError, k).toBe(true)
      expect(r.checks[0].message).toBe(
        `Could not run the gate: input \`${k}\`: "${v}" is not valid; expected a duration such as 500ms, 30s, 5m, 2h or 7d (several parts allowed: 1h30m), at most 36500d (100 years).`,
      )
    }
  })

  it('an item whose expiry is not a date fails; it never falls through every threshold into a pass', () => {
    const j = judge(
      { source: 'x', subject: 'k', describe: 'Key "k"', expires: new Date(NaN), action: 'Fix it.' },
      { asOf: NOW, warnWithin: 30 * 86_400_000, failWithin: 7 * 86_400_000 },
    )
    expect(j.check.status).toBe('fail')
    expect(j.check.observed).toBe('no valid expiry')
    expect(j.check.message).toBe('Key "k" has no expiry a clock can hold, so whether it is still valid cannot be told. Fix it.')
  })
})

describe('key-rotation: a GitHub secret updated at the end of time', () => {
  let fake: FakeGitHub
  beforeAll(async () => {
    fake = await startFakeGitHub()
  })
  afterAll(async () => {
    await fake.close()
  })
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('fails that secret with a sentence instead of "Invalid time value"', async () => {
    fake.on('actions/list-repo-secrets', () => ({
      status: 200,
      body: {
        total_count: 2,
        secrets: [
          { name: 'LAST_DAY', created_at: '2026-01-01T00:00:00Z', updated_at: '+275760-09-13T00:00:00.000Z' },
          { name: 'FRESH', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-05-25T00:00:00Z' },
        ],
      },
    }))
    vi.stubEnv('GITHUB_API_URL', fake.url)
    const github: GitHubPort = { octokit: createClient('ghs_test', { retries: 0 }), owner: 'acme', repo: 'shop' }
    vi.unstubAllEnvs()
    const r = await gate({ 'github-secrets': 'repository' }, github)
    expect(r.status).toBe('fail')
    const last = r.checks.find((c) => c.name === 'GitHub repository: LAST_DAY')!
    expect(last.status).toBe('fail')
    expect(last.message).toMatch(/^Secret LAST_DAY of repository acme\/shop has no expiry a clock can hold/)
    expect(r.checks.find((c) => c.name === 'GitHub repository: FRESH')!.status).toBe('pass')
    expect(JSON.stringify(r)).not.toMatch(/Invalid time value/)
  })
})
