// Check-run output within GitHub's real limit: 65,535 UTF-8 bytes per `output.summary` and
// `output.text` (GitHub answers 422 "exceeds a maximum bytesize of 65535", though its schema says
// characters: https://github.com/github/docs/issues/35252). The fake GitHub refuses more, so a
// check run that would be refused fails here; the canary report with hundreds of windows is the
// case that reaches it, its `–` and `·` three bytes each.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import type { GateResult } from '../../src/core/result.js'
import { canary } from '../../src/gates/canary/gate.js'
import { annotationsOf, checkRunText, publishCheckRun } from '../../src/github/checks.js'
import { createClient } from '../../src/github/client.js'
import { cutBytes, fitMarkdown, utf8Bytes } from '../../src/lib/fit.js'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { runAction } from '../harness/run-action.js'

const MIN = 60_000
const NOW = Date.parse('2026-03-02T12:00:00Z')
const LIMIT = 65_535
const dir = mkdtempSync(path.join(tmpdir(), 'cutover-check-bytes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let api: FakeGitHub
const saved = process.env.GITHUB_API_URL
beforeEach(async () => {
  api = await startFakeGitHub()
  process.env.GITHUB_API_URL = api.url
})
afterEach(async () => {
  process.env.GITHUB_API_URL = saved
  await api.close()
})

const run = { owner: 'acme', repo: 'shop', sha: 'a'.repeat(40) }
const row = (r: GateResult) => ({ result: r, category: 'Canary', criteria: 'Canary healthy' })
const iso = (t: number) => new Date(t).toISOString()

/** The canary gate over `n` contiguous 5-minute windows, the newest ending now; window `bad` has a p99 regression. */
async function canaryWith(n: number, bad = -1): Promise<GateResult> {
  const windows = Array.from({ length: n }, (_, i) => ({
    start: iso(NOW - (n - i) * 5 * MIN),
    end: iso(NOW - (n - 1 - i) * 5 * MIN),
    canary: { requests: 3_000 + i, errors: 1, p99: i === bad ? 400 : 235 },
    baseline: { requests: 27_000, errors: 5, p99: 230 },
  }))
  const file = path.join(dir, `evidence-${n}.json`)
  writeFileSync(file, JSON.stringify({ windows }))
  return runGate(canary, { source: file }, defaultContext({ log: () => {}, cwd: dir, workspace: dir, now: () => new Date(NOW) }), {
    id: 'canary',
  })
}

const outputOf = (i = 0) => (api.requests[i].body as { output: { text?: string; summary: string } }).output
const mermaidBlocks = (s: string) => s.match(/```mermaid\n[\s\S]*?\n```/g) ?? []

describe('check-run output by bytes', () => {
  it('the fake GitHub refuses a text over 65,535 bytes though it is under 65,535 characters, as GitHub does', async () => {
    const text = '–'.repeat(30_000) // 30,000 characters, 90,000 bytes
    const res = await fetch(`${api.url}/repos/acme/shop/check-runs`, {
      method: 'POST',
      headers: { authorization: 'token t0ken', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', head_sha: run.sha, output: { title: 't', summary: 's', text } }),
    })
    expect(res.status).toBe(422)
    expect(JSON.stringify(await res.json())).toContain('text exceeds a maximum bytesize of 65535')
  })

  it.each([
    [400, 'under 65,535 characters but over 65,535 bytes'],
    [600, 'over both'],
  ])('a canary with %i windows (%s) is published: at most 65,535 bytes, cut between rows, every chart kept', async (n) => {
    const r = await canaryWith(n, 160)
    const full = r.details!
    expect(utf8Bytes(full)).toBeGreaterThan(LIMIT)
    if (n === 400) expect(full.length).toBeLessThanOrEqual(LIMIT)
    const out = await publishCheckRun(createClient('t0ken'), run, row(r), 'en', 'reports/canary.json')
    expect(api.invalid).toEqual([])
    expect(out).toMatchObject({ published: true })
    const { text, summary } = outputOf()
    expect(utf8Bytes(text!)).toBeLessThanOrEqual(LIMIT)
    expect(utf8Bytes(summary)).toBeLessThanOrEqual(LIMIT)
    // Every chart of the full report survives, byte for byte.
    const charts = mermaidBlocks(full)
    expect(charts.length).toBe(2)
    for (const c of charts) expect(text).toContain(c)
    // Every table line is a whole row of the full report (or the one line marking the gap).
    const fullLines = new Set(full.split('\n'))
    const tableLines = text!.split('\n').filter((l) => l.startsWith('|'))
    const gap = tableLines.filter((l) => !fullLines.has(l))
    expect(gap).toEqual([expect.stringMatching(/^\| … \d+ rows left out here … \|$/)])
    expect(tableLines.every((l) => l.endsWith('|'))).toBe(true)
    // The first and the newest windows are still there; the text says it was shortened and where the rest is.
    expect(text).toContain('| #1 ')
    expect(text).toContain(`| #${n} `)
    const left = Number(/… (\d+) rows left out here/.exec(text!)![1])
    expect(tableLines.length - 3).toBe(n - left)
    expect(text).toMatch(
      new RegExp(
        `_Shortened to fit GitHub's check-run limit of 65,535 bytes \\(${left} table rows left out\\)\\. The full report is in the job summary of this run and in its report \`reports/canary\\.json\`\\._$`,
      ),
    )
  })

  it('the bundled canary action publishes a 400-window check run within the limit, naming its report', async () => {
    const n = 400
    // The bundled action reads the real clock: the windows end now, so they are fresh (nothing here is timed).
    const end = Math.floor(Date.now() / 1000) * 1000
    const windows = Array.from({ length: n }, (_, i) => ({
      start: iso(end - (n - i) * 5 * MIN),
      end: iso(end - (n - 1 - i) * 5 * MIN),
      canary: { requests: 3_000 + i, errors: 1, p99: 235 },
      baseline: { requests: 27_000, errors: 5, p99: 230 },
    }))
    const work = mkdtempSync(path.join(dir, 'action-'))
    writeFileSync(path.join(work, 'evidence.json'), JSON.stringify({ windows }))
    const r = await runAction('canary', {
      inputs: { source: 'evidence.json', 'fail-on': 'never' },
      apiUrl: api.url,
      cwd: work,
    })
    expect(api.invalid).toEqual([])
    const created = api.requests.find((q) => q.operationId === 'checks/create')
    expect(created, r.stderr).toBeDefined()
    const { text, summary } = (created!.body as { output: { text: string; summary: string } }).output
    expect(text, `${r.stdout}\n${r.stderr}`).toBeDefined()
    expect(utf8Bytes(text)).toBeLessThanOrEqual(LIMIT)
    expect(utf8Bytes(summary)).toBeLessThanOrEqual(LIMIT)
    expect(text).toMatch(/The full report is in the job summary of this run and in its report `[^`]*canary\.json`\._$/)
    expect(mermaidBlocks(text).length).toBe(2)
  })

  it('a canary whose text fits is sent as it is, with no note', async () => {
    const r = await canaryWith(12)
    await publishCheckRun(createClient('t0ken'), run, row(r), 'en')
    expect(outputOf().text).toBe(r.details)
    expect(api.invalid).toEqual([])
  })

  it('the summary table is cut by bytes too, on a row boundary', async () => {
    const r: GateResult = {
      id: 'evidence',
      gate: 'evidence',
      status: 'fail',
      summary: 'evidence: FAIL: files changed',
      checks: Array.from({ length: 400 }, (_, i) => ({
        name: `file ${i} ·`,
        status: 'fail' as const,
        observed: '–'.repeat(60),
        expected: '·'.repeat(60),
        message: `artifacts/f${i}.bin changed – ${'·'.repeat(200)}`,
      })),
      metrics: {},
      startedAt: '2026-11-23T10:00:00.000Z',
      finishedAt: '2026-11-23T10:00:02.000Z',
      durationMs: 2000,
    }
    const out = await publishCheckRun(createClient('t0ken'), run, row(r), 'en')
    expect(api.invalid).toEqual([])
    expect(out).toMatchObject({ published: true })
    const { summary } = outputOf()
    expect(utf8Bytes(summary)).toBeLessThanOrEqual(LIMIT)
    for (const l of summary.split('\n').filter((x) => x.startsWith('|'))) expect(l).toMatch(/\|$/)
    // The check run's own note, not the job summary's (whose limit is 1 MiB).
    expect(summary).not.toContain('1 MiB')
    expect(summary).toMatch(
      /_Shortened to fit GitHub's check-run limit of 65,535 bytes \(\d+ table rows left out\)\. The full report is in the job summary of this run\._$/,
    )
    expect(summary).toContain('| file 0 ·')
    expect(summary).toContain('| file 399 ·')
  })
})

describe('annotations by bytes', () => {
  it('a message of 3-byte characters is cut under 64 KB on a character boundary, the title to 255 characters', () => {
    const [a] = annotationsOf([
      {
        name: 'n'.repeat(300),
        status: 'fail',
        observed: '-',
        expected: '-',
        message: '–'.repeat(30_000),
        location: { path: 'a.json', line: 2 },
      },
    ])
    expect(utf8Bytes(a.message)).toBeLessThanOrEqual(64 * 1024 - 1)
    expect(a.message).toMatch(/^–+…$/)
    expect(a.title.length).toBeLessThanOrEqual(255)
  })
})

describe('fitMarkdown', () => {
  const note = () => '_shortened_'
  it('never splits a 3- or 4-byte character', () => {
    expect(cutBytes('a–b', 2)).toBe('a')
    expect(cutBytes('a–b', 4)).toBe('a–')
    expect(cutBytes('😀😀', 5)).toBe('😀')
    expect(cutBytes('😀😀', 3)).toBe('')
  })

  it('a Mermaid block after a long table stays whole; the table gives up rows from its middle', () => {
    const chart = '```mermaid\npie title x\n  "a" : 1\n  "b" : 2\n```'
    const rows = Array.from({ length: 100 }, (_, i) => `| ${i} | ${'–'.repeat(30)} |`)
    const text = ['| n | v |', '|---|---|', ...rows, '', chart].join('\n')
    const f = fitMarkdown(text, 2_000, note)
    expect(utf8Bytes(f.text)).toBeLessThanOrEqual(2_000)
    expect(f.text).toContain(chart)
    expect(f.text).toContain('| 0 |')
    expect(f.text).toContain('| 99 |')
    expect(f.rowsLeftOut).toBeGreaterThan(0)
    expect(f.endCut).toBe(false)
    expect(f.text.endsWith('_shortened_')).toBe(true)
  })

  it('text with no table is cut at a line outside any fence, never leaving a fence open', () => {
    const fence = '```\n' + Array.from({ length: 50 }, () => '·'.repeat(20)).join('\n') + '\n```'
    const text = ['intro', fence, 'after'].join('\n')
    const f = fitMarkdown(text, 1_000, note)
    expect(utf8Bytes(f.text)).toBeLessThanOrEqual(1_000)
    expect(f.endCut).toBe(true)
    expect((f.text.match(/```/g) ?? []).length % 2).toBe(0)
    expect(f.text).toBe('intro\n\n_shortened_')
  })

  it('one long line with no break is cut on a character boundary', () => {
    const f = fitMarkdown('–'.repeat(1_000), 100, note)
    expect(utf8Bytes(f.text)).toBeLessThanOrEqual(100)
    expect(f.text).not.toContain('\uFFFD')
    expect(f.text).toMatch(/^–+\n\n_shortened_$/)
  })

  it('the note is in the language of the report, and names the report when there is one', () => {
    const text = ['| n | v |', '|---|---|', ...Array.from({ length: 50 }, (_, i) => `| ${i} | ${'–'.repeat(10)} |`)].join('\n')
    expect(checkRunText(text, 'tr', 'raporlar/canary.json', 1_000)).toMatch(
      /_GitHub'ın 65\.535|_GitHub'ın 1\.000 baytlık check-run sınırı için kısaltıldı \(\d+ tablo satırı çıkarıldı\)\. Raporun tamamı bu çalıştırmanın iş özetinde ve `raporlar\/canary\.json` raporunda\._$/,
    )
    expect(checkRunText(text, 'en', undefined, 1_000)).toMatch(/The full report is in the job summary of this run\._$/)
  })

  it('the limit is held at every size around it (no off-by-one in the note or the gap line)', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `| ${i} | ${'·'.repeat(i % 7)} |`)
    const text = ['| n | v |', '|---|---|', ...rows].join('\n')
    for (let limit = 200; limit < utf8Bytes(text) + 5; limit += 7) {
      const out = checkRunText(text, limit % 2 ? 'en' : 'tr', 'reports/x.json', limit)
      expect(utf8Bytes(out), `limit ${limit}`).toBeLessThanOrEqual(limit)
    }
  })
})
