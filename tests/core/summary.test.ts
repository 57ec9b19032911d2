import { describe, expect, it } from 'vitest'
import type { GateResult, Status } from '../../src/core/result.js'
import { STEP_SUMMARY_LIMIT, clip, renderSummary, renderTable } from '../../src/core/summary.js'

function result(id: string, statuses: Status[], details?: string): GateResult {
  return {
    id,
    gate: 'readyz',
    status: statuses.includes('fail') ? 'fail' : statuses.includes('warn') ? 'warn' : 'pass',
    summary: `${id}: summary`,
    checks: statuses.map((s, i) => ({
      name: `check ${i}`,
      status: s,
      observed: `seen|${i}`,
      expected: 'want',
      message: `message ${i}\nline two`,
    })),
    metrics: {},
    details,
    startedAt: '2026-11-23T00:00:00.000Z',
    finishedAt: '2026-11-23T00:00:01.000Z',
    durationMs: 1000,
  }
}

const row = (r: GateResult) => ({ result: r, category: 'Infrastructure', criteria: 'Readyz healthy' })

describe('job summary', () => {
  it('shows the Go/No-Go decision, a row per criterion with what was measured, and every check folded', () => {
    const md = renderSummary([row(result('api', ['pass', 'fail']))], { language: 'en', sha: 'a'.repeat(40) })
    expect(md).toContain('## Cutover gates: ❌ NO-GO')
    expect(md).toContain('| Category | Criteria | Gate | Status | Measured | Notes |')
    expect(md).toContain(
      '| Infrastructure | Readyz healthy | `api` | ❌ FAIL | check 1: seen\\|1 · check 0: seen\\|0 | message 1 line two |',
    )
    expect(md).toContain('| Gate | Check | Status | Observed | Expected | Notes |')
    expect(md).toContain('| `api` | check 1 | ❌ FAIL | seen\\|1 | want | message 1 line two |')
    expect(md).toContain('`aaaaaaaaaaaa`')
  })

  it('puts the decision table before any <details>, and closes every <details> it opens', () => {
    const md = renderSummary([row(result('api', ['pass'], 'chart')), row(result('db', ['warn']))], { language: 'en' })
    const table = md.indexOf('| Category | Criteria | Gate | Status | Measured | Notes |')
    expect(table).toBeGreaterThan(0)
    expect(table).toBeLessThan(md.indexOf('<details>'))
    expect(md.indexOf('| `api` | ✅ PASS |')).toBeLessThan(md.indexOf('<details>'))
    expect(md.indexOf('| `db` | ⚠️ WARN |')).toBeLessThan(md.indexOf('<details>'))
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length)
  })

  it('shows a gate headline (decide’s table) first and unfolded, in place of its row', () => {
    const decide = {
      ...result('decide', ['pass'], 'timeline'),
      headline: '| Category | Criteria | Status | Notes |\n|---|---|---|---|\n| **Ops** | X | ✅ GO | 3 of 3 |',
    }
    const md = renderSummary([row(decide)], { language: 'en' })
    expect(md.indexOf('| **Ops** | X | ✅ GO | 3 of 3 |')).toBeGreaterThan(0)
    expect(md.indexOf('| **Ops** | X | ✅ GO | 3 of 3 |')).toBeLessThan(md.indexOf('<details>'))
    expect(md).not.toContain('| Category | Criteria | Gate | Status | Measured | Notes |')
  })

  it('a row says its criterion as configured when the gate stated it', () => {
    const r = { ...result('keys', ['pass']), criteria: { en: 'Keys healthy (2+ days)', tr: 'Anahtarlar sağlıklı (2+ gün)' } }
    expect(renderSummary([row(r)], { language: 'en' })).toContain('| Infrastructure | Keys healthy (2+ days) | `keys` |')
    expect(renderSummary([row(r)], { language: 'tr' })).toContain('| Altyapı | Anahtarlar sağlıklı (2+ gün) | `keys` |')
  })

  it('a row of several checks under one source names the source once', () => {
    const r = result('keys', ['pass', 'pass'])
    r.checks[0].name = 'keys.json: a'
    r.checks[1].name = 'keys.json: b'
    expect(renderSummary([row(r)], { language: 'en' })).toContain('| keys.json: a: seen\\|0 · b: seen\\|1 |')
  })

  it('a warning is NO-GO by the one rule, and GO with warnings only under allow-warn', () => {
    const md = renderSummary([row(result('api', ['warn']))], { language: 'en' })
    expect(md).toContain('## Cutover gates: ❌ NO-GO')
    expect(md).toContain('a gate warned and `allow-warn` is not set')
    const allowed = renderSummary([row(result('api', ['warn']))], { language: 'en', rule: { allowWarn: true } })
    expect(allowed).toContain('## Cutover gates: ⚠️ GO with warnings')
  })

  it('speaks Turkish in the runbook’s words', () => {
    const md = renderSummary([row(result('api', ['fail']))], { language: 'tr' })
    expect(md).toContain('## Cutover kontrolleri: ❌ NO-GO')
    expect(md).toContain('**GO/NO-GO Kararı:** NO-GO')
    expect(md).toContain('| Kategori | Kriter | Kontrol noktası | Durum | Ölçülen | Notlar |')
    expect(md).toContain('| Kontrol noktası | Kontrol | Durum | Gözlenen | Beklenen | Notlar |')
    expect(md).toContain('<summary>Tüm kontroller (1)</summary>')
  })

  it('stays under the 1 MiB step-summary limit with a visible truncation note', () => {
    const many = result(
      'big',
      Array.from({ length: 20_000 }, () => 'fail' as Status),
      'x'.repeat(10_000),
    )
    const md = renderSummary([row(many)], { language: 'en', reportDir: 'cutover-reports' })
    expect(Buffer.byteLength(md)).toBeLessThan(STEP_SUMMARY_LIMIT)
    expect(md).toMatch(/Summary truncated to stay under GitHub's 1 MiB limit: \d+ more row\(s\) are in `cutover-reports\/`/)
  })

  it('includes details when they fit', () => {
    expect(renderSummary([row(result('api', ['pass'], '```mermaid\nx\n```'))], { language: 'en' })).toContain(
      '<details><summary>Details: <code>api</code>',
    )
  })
})

it('clips check-run text to 65,535 characters', () => {
  const t = clip('y'.repeat(100_000))
  expect(t.length).toBe(65_535)
  expect(t).toMatch(/truncated/)
})

it('prints a terminal table with the decision, and what each passing gate measured rather than a count', () => {
  const t = renderTable([row(result('api', ['pass'])), row(result('db', ['warn']))], 'en')
  expect(t).toMatch(/api\s+Readyz healthy\s+✅ PASS\s+seen\|0$/m)
  expect(t).not.toContain('check(s)')
  expect(t).toContain('Go/No-Go decision: NO-GO (WARN, 2 gates, 2 checks; a gate warned and `allow-warn` is not set)')
  const allowed = renderTable([row(result('api', ['pass'])), row(result('db', ['warn']))], 'en', { allowWarn: true })
  expect(allowed).toContain('Go/No-Go decision: GO with warnings (WARN, 2 gates, 2 checks)')
})
