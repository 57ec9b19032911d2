// The canary gate cannot be fooled by how the windows are laid out: a window repeated or
// overlapping its neighbours, a hole in the row, evidence measured days ago, or runbook
// evidence whose age nobody can tell. Real files in a temp folder and a real HTTP server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { defaultContext, runGate, type GateContext } from '../../../src/core/gate.js'
import { canary } from '../../../src/gates/canary/gate.js'
import { fileWriter } from '../../support/files.js'
import { serve, type TestServer } from '../../support/http.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const NOW = Date.parse('2026-03-02T12:00:00Z')

const dir = mkdtempSync(path.join(tmpdir(), 'cutover-canary-windows-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const file = fileWriter(dir)

const iso = (t: number) => new Date(t).toISOString()
const healthy = () => ({
  canary: { requests: 3_000, errors: 1, p99: 235 },
  baseline: { requests: 27_000, errors: 5, p99: 230 },
})
/** A raw window from `start` to `end` (epoch ms) with healthy numbers. */
const win = (start: number, end: number) => ({ start: iso(start), end: iso(end), ...healthy() })
/** `n` contiguous 5-minute windows, the newest ending at `end`. */
const row = (n: number, end = NOW) => Array.from({ length: n }, (_, i) => win(end - (n - i) * 5 * MIN, end - (n - 1 - i) * 5 * MIN))

async function gate(inputs: Record<string, string>, ctx: Partial<GateContext> = {}) {
  return runGate(canary, inputs, defaultContext({ log: () => {}, cwd: dir, workspace: dir, now: () => new Date(NOW), ...ctx }), {
    id: 'canary',
  })
}
const byName = (r: Awaited<ReturnType<typeof gate>>, name: string) => {
  const c = r.checks.find((x) => x.name === name)
  expect(c, `no check named ${name}: ${JSON.stringify(r.checks, null, 1)}`).toBeDefined()
  return c!
}

describe('canary: windows that repeat, overlap or leave a hole', () => {
  it('one fresh window repeated three times is not "3 green windows in a row": a fail naming the copies', async () => {
    const one = win(NOW - 5 * MIN, NOW)
    const r = await gate({ source: file({ windows: [one, one, one] }) })
    expect(r.status).toBe('fail')
    const distinct = byName(r, 'distinct windows')
    expect(distinct.status).toBe('fail')
    expect(distinct.message).toMatch(
      /^3 of the 3 windows in evidence-\d+\.json repeat or overlap, so they cannot count as separate windows: #2 11:55–12:00 repeats #1 11:55–12:00 \(same start and end\); #3 11:55–12:00 repeats #1 11:55–12:00 \(same start and end\)\./,
    )
    expect(byName(r, 'green windows').status).toBe('fail')
    expect(r.outputs['green-windows']).toBe('0')
    expect(r.details).toMatch(/\| #2 11:55–12:00 \|.*not green: repeats #1 11:55–12:00 \(same start and end\)/)
  })

  it('three windows overlapping within one minute are a fail naming each overlap', async () => {
    const w = [0, 20_000, 40_000].map((d) => win(NOW - 5 * MIN - 40_000 + d, NOW - 40_000 + d))
    const r = await gate({ source: file({ windows: w }) })
    expect(r.status).toBe('fail')
    const distinct = byName(r, 'distinct windows')
    expect(distinct.message).toContain('#2 11:54:40–11:59:40 overlaps #1 11:54:20–11:59:20 by 4m40s')
    expect(distinct.message).toContain('#3 11:55–12:00 overlaps #2 11:54:40–11:59:40 by 4m40s')
  })

  it('a copy hidden among six good windows still fails, though the last three are distinct', async () => {
    const w = row(6)
    w.splice(1, 0, { ...w[1] })
    const r = await gate({ source: file({ windows: w }) })
    expect(r.status).toBe('fail')
    expect(byName(r, 'distinct windows').message).toMatch(/#3 11:35–11:40 repeats #2 11:35–11:40 \(same start and end\)/)
    // The deciding windows themselves are green.
    expect(byName(r, 'green windows').status).toBe('pass')
  })

  it('the same window written with a different time zone is still the same window', async () => {
    const a = win(NOW - 5 * MIN, NOW)
    const b = { ...a, start: '2026-03-02T12:55:00+01:00', end: '2026-03-02T13:00:00+01:00' }
    const r = await gate({ source: file({ windows: [...row(3, NOW - 5 * MIN), a, b] }) })
    expect(byName(r, 'distinct windows').message).toMatch(/#5 11:55–12:00 repeats #4 11:55–12:00/)
  })

  it('a window without times placed among the copies does not keep them apart', async () => {
    const one = win(NOW - 5 * MIN, NOW)
    const r = await gate({ source: file({ windows: [{ ...healthy(), start: one.start }, one, one, one] }) })
    expect(r.status).toBe('fail')
    expect(byName(r, 'distinct windows').message).toContain('#3 11:55–12:00 repeats #2 11:55–12:00 (same start and end)')
  })

  it('windows that only touch are distinct, and a sub-second rounding overlap is tolerated', async () => {
    const w = row(3)
    w[1].start = iso(Date.parse(w[1].start) - 400)
    const r = await gate({ source: file({ windows: w }) })
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
    expect(byName(r, 'distinct windows')).toMatchObject({ status: 'pass', observed: '3 distinct windows, none overlapping' })
  })

  it('a hole in the row restarts it: a removed window cannot be skipped over', async () => {
    // 11:45–11:50 is missing: whatever it showed, the windows around it are not in a row.
    const w = [...row(2, NOW - 15 * MIN), ...row(2, NOW)]
    const r = await gate({ source: file({ windows: w }) })
    expect(r.status).toBe('fail')
    const green = byName(r, 'green windows')
    expect(green.observed).toBe('2 of 3 green windows in a row (4 windows read)')
    expect(green.message).toContain(
      'window #3 11:50–11:55 starts 5m after #2 11:40–11:45 ended: that time was not measured, so the row restarts at #3',
    )
  })

  it('runbook windows with the same end time are copies too', async () => {
    const w = { pass: true, burst: 0.2, end: iso(NOW) }
    const r = await gate({ source: file({ generated_at: iso(NOW), canary: { windows: [w, w, w] } }) })
    expect(r.status).toBe('fail')
    expect(byName(r, 'distinct windows').message).toMatch(/#2 until 12:00 repeats #1 until 12:00 \(same end\)/)
  })
})

describe('canary: freshness is measured against the `window` input', () => {
  it('three-day windows that ended three days ago are stale, whatever their own length', async () => {
    const w = [3, 2, 1].map((k) => win(NOW - (3 + 3 * k) * DAY, NOW - (3 + 3 * (k - 1)) * DAY))
    const r = await gate({ source: file({ windows: w }) })
    expect(r.status).toBe('fail')
    expect(byName(r, 'green windows').message).toMatch(
      /windows #3 .*, #2 .*, #1 .* are not green: stale: the newest window \(#3\) ended 3d ago, more than one window \(5m\) before now/,
    )
  })

  it('with `window: 1h`, windows that ended 50 minutes ago are fresh, and 70 minutes ago stale', async () => {
    const hourly = (end: number) => [2, 1, 0].map((k) => win(end - (k + 1) * HOUR, end - k * HOUR))
    const fresh = await gate({ source: file({ windows: hourly(NOW - 50 * MIN) }), window: '1h' })
    expect(fresh.status, JSON.stringify(fresh.checks, null, 1)).toBe('pass')
    const stale = await gate({ source: file({ windows: hourly(NOW - 70 * MIN) }), window: '1h' })
    expect(stale.status).toBe('fail')
    expect(byName(stale, 'green windows').message).toContain('ended 1h10m ago, more than one window (1h) before now')
  })
})

describe('canary: the age of runbook evidence, whose windows carry no times', () => {
  const runbook = (extra: Record<string, unknown> = {}) => ({
    ...extra,
    canary: {
      windows: [
        { pass: true, burst: 0.4 },
        { pass: true, burst: 0.6 },
        { pass: true, burst: 0.2 },
      ],
    },
  })

  it('a `generated_at` three days old is a fail over max-age, though the file was just written', async () => {
    const r = await gate({ source: file(runbook({ generated_at: iso(NOW - 3 * DAY) }), NOW) })
    expect(r.status).toBe('fail')
    const age = byName(r, 'evidence age')
    expect(age).toMatchObject({ status: 'fail', observed: '3d old (`generated_at`)', expected: 'at most max-age 1d old' })
    expect(age.message).toMatch(
      /^The evidence from evidence-\d+\.json is 3d old \(`generated_at` 2026-02-27T12:00:00Z\), older than max-age 1d: its windows are not the canary of now\./,
    )
    expect(byName(r, 'green windows').status).toBe('fail')
  })

  it('a fresh `generated_at` passes and says how old the evidence is', async () => {
    const r = await gate({ source: file(runbook({ generated_at: iso(NOW - 2 * MIN) }), NOW - 5 * DAY) })
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
    expect(byName(r, 'evidence age')).toMatchObject({ status: 'pass', observed: '2m old (`generated_at`)' })
  })

  it('a timestamp under `canary` counts too, and of two the older decides', async () => {
    const both = await gate({
      source: file({ updated_at: iso(NOW - MIN), canary: { ...runbook().canary, generated_at: iso(NOW - 30 * HOUR) } }, NOW),
    })
    expect(byName(both, 'evidence age')).toMatchObject({ status: 'fail', observed: '1d6h old (`canary.generated_at`)' })
  })

  it('without a timestamp, the file modification time gives the age, and says how weak that is', async () => {
    const fresh = await gate({ source: file(runbook(), NOW - 2 * HOUR) })
    expect(fresh.status).toBe('pass')
    const age = byName(fresh, 'evidence age')
    expect(age.observed).toBe('2h old (file modification time)')
    expect(age.message).toContain('a checkout or a copy resets it')
    const old = await gate({ source: file(runbook(), NOW - 3 * DAY) })
    expect(old.status).toBe('fail')
    expect(byName(old, 'evidence age').observed).toBe('3d old (file modification time)')
  })

  it('`max-age` bounds the age', async () => {
    const r = await gate({ source: file(runbook(), NOW - 2 * HOUR), 'max-age': '1h' })
    expect(r.status).toBe('fail')
    expect(byName(r, 'evidence age').message).toContain('older than max-age 1h')
  })

  it('an unreadable or future timestamp is a fail naming it, never a fallback to the file time', async () => {
    const bad = await gate({ source: file(runbook({ generated_at: 'yesterday' }), NOW) })
    expect(bad.status).toBe('fail')
    expect(byName(bad, 'evidence age').message).toContain('`generated_at` is "yesterday", not an ISO 8601 time or Unix seconds')
    const future = await gate({ source: file(runbook({ generated_at: iso(NOW + 2 * HOUR) }), NOW) })
    expect(future.status).toBe('fail')
    expect(byName(future, 'evidence age').message).toContain('2h in the future')
  })

  it('over HTTP, Last-Modified gives the age; without it the age is unknown and the gate warns, never passes', async () => {
    const body = JSON.stringify(runbook())
    const withHeader = (lastModified?: string) =>
      serve((_q, res) =>
        res.writeHead(200, { 'content-type': 'application/json', ...(lastModified ? { 'last-modified': lastModified } : {}) }).end(body),
      )
    const recent = await withHeader(new Date(NOW - 10 * MIN).toUTCString())
    const none = await withHeader()
    const old = await withHeader(new Date(NOW - 3 * DAY).toUTCString())
    const garbage = await withHeader('last tuesday')
    servers.push(recent, none, old, garbage)

    const a = await gate({ source: `${recent.url}/latest.json` })
    expect(a.status).toBe('pass')
    expect(byName(a, 'evidence age').observed).toBe('10m old (Last-Modified header)')

    const b = await gate({ source: `${none.url}/latest.json` })
    expect(b.status).toBe('warn')
    const unknown = byName(b, 'evidence age')
    expect(unknown).toMatchObject({ status: 'warn', observed: 'unknown' })
    expect(unknown.message).toBe(
      `The age of the evidence from ${none.url}/latest.json cannot be established: it holds no timestamp (\`generated_at\`, \`timestamp\`, …), the server sent no Last-Modified header, and its windows carry no start or end times, so they may be from any day. Write \`generated_at\` (ISO 8601) into the evidence or serve it with Last-Modified.`,
    )
    expect(b.summary).toMatch(/^canary: WARN: The age of the evidence/)

    const c = await gate({ source: `${old.url}/latest.json` })
    expect(c.status).toBe('fail')
    expect(byName(c, 'evidence age').observed).toBe('3d old (Last-Modified header)')

    const d = await gate({ source: `${garbage.url}/latest.json` })
    expect(d.status).toBe('warn')
    expect(byName(d, 'evidence age').message).toContain('the Last-Modified header "last tuesday" is not an HTTP date')
  })
})

describe('canary: evidence windows anchored to the promotion', () => {
  const P = NOW - 15 * MIN
  const slow = (w: ReturnType<typeof win>, by: number) => ({ ...w, canary: { ...w.canary, p99: 230 * by } })

  it('windows that start before not-before are left out and listed; bad ones there do not abort the step', async () => {
    const w = row(6).map((x, i) => (i < 3 ? slow(x, 1.3) : x))
    const r = await gate({ source: file({ windows: w }), 'not-before': iso(P) })
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
    expect(byName(r, 'green windows').observed).toBe('3 of 3 green windows in a row (3 windows read)')
    expect(byName(r, 'hold').message).toBe(
      'Judged only the 3 windows that start at or after not-before 2026-03-02T11:45:00Z (the promotion). 3 earlier windows were not judged.',
    )
    expect(r.details).toContain(
      '3 windows starting before not-before 2026-03-02T11:45:00Z (the promotion) were not judged: #1 11:30–11:35, #2 11:35–11:40, #3 11:40–11:45.',
    )
  })

  it('the reverse: green windows before not-before do not carry windows after it that regressed', async () => {
    const w = row(6).map((x, i) => (i >= 3 ? slow(x, 1.15) : x))
    // Judged when the promotion happened, the step before was healthy.
    const unanchored = await gate({ source: file({ windows: w.slice(0, 3) }) }, { now: () => new Date(P) })
    expect(unanchored.status).toBe('pass')
    const r = await gate({ source: file({ windows: w }), 'not-before': iso(P) })
    expect(r.status).toBe('fail')
    expect(byName(r, 'green windows').message).toContain('beyond max-p99-regression 10%')
  })

  it('a window that straddles not-before is measured partly before the promotion: left out', async () => {
    const r = await gate({ source: file({ windows: row(3) }), 'not-before': iso(P + MIN) })
    expect(r.status).toBe('fail')
    expect(byName(r, 'green windows').message).toContain(
      'only 2 windows of 5m since not-before 2026-03-02T11:46:00Z (the promotion), fewer than min-green-windows 3.',
    )
  })

  it('runbook windows carry no times: with not-before they cannot be placed after the promotion, a fail', async () => {
    const body = { generated_at: iso(NOW), canary: { windows: [1, 2, 3].map(() => ({ pass: true, burst: 0.1 })) } }
    const r = await gate({ source: file(body), 'not-before': iso(P) })
    expect(r.status).toBe('fail')
    expect(byName(r, 'green windows').message).toContain(
      'carries no start time, so the gate cannot tell whether it was measured after the promotion (`not-before`)',
    )
  })

  it('watch mode over HTTP holds until the hold is over, on the gate clock', async () => {
    let clock = NOW
    const lines: string[] = []
    const server = await serve((_q, res) => res.writeHead(200).end(JSON.stringify({ windows: row(6, clock) })))
    servers.push(server)
    const r = await gate(
      { source: `${server.url}/e.json`, 'not-before': iso(P), hold: '20m', wait: '20m', interval: '2m' },
      { now: () => new Date(clock), sleep: async (ms) => void (clock += ms), log: (l) => lines.push(l) },
    )
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
    // Enough green windows from the first evaluation on, but the hold ends at P + 20m = 12:05.
    expect(clock).toBe(NOW + 5 * MIN)
    expect(lines.map((l) => l.replace(/^evaluation \d+ at ([\d:]+)Z.*?; (enough.*)$/, '$1 $2'))).toEqual([
      '12:00:00 enough green windows, holding: 5m of the 20m hold left; 20m left',
      '12:02:00 enough green windows, holding: 3m of the 20m hold left; 18m left',
      '12:04:00 enough green windows, holding: 1m of the 20m hold left; 16m left',
      '12:05:00 enough: pass',
    ])
    expect(byName(r, 'hold').message).toBe(
      'Held 20m since the promotion (`not-before`) at 2026-03-02T11:45:00Z, until 2026-03-02T12:05:00Z; the green windows that decide lie inside the hold. 2 earlier windows were not judged.',
    )
  })
})

describe('canary: a recorded baseline from evidence, and what it must not paper over', () => {
  const noBaseline = (w: ReturnType<typeof win>) => ({ start: w.start, end: w.end, canary: w.canary })

  it('records from the raw shape, then judges windows without a baseline against it, saying so', async () => {
    const rec = await gate(
      { source: file({ windows: row(6, NOW - 60 * MIN) }), 'record-baseline': 'recorded/raw.json' },
      {
        now: () => new Date(NOW - 60 * MIN),
      },
    )
    expect(rec.status, JSON.stringify(rec.checks, null, 1)).toBe('pass')
    expect(byName(rec, 'baseline recorded').observed).toBe('p99 230ms, p50 not measured, error rate 0.019%, 90 requests/s')
    const r = await gate({ source: file({ windows: row(3).map(noBaseline) }), 'baseline-file': 'recorded/raw.json' })
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
    expect(byName(r, 'green windows').message).toContain(
      'These windows were judged against the baseline recorded at 2026-03-02T11:00:00Z, live baseline has no traffic (no baseline data in this window).',
    )
  })

  it('only quiet windows use it: one with a live baseline is judged against that one', async () => {
    const w = row(3).map((x, i) => (i === 1 ? noBaseline(x) : { ...x, baseline: { ...x.baseline, p99: 180 } }))
    await gate(
      { source: file({ windows: row(6, NOW - 30 * MIN) }), 'record-baseline': 'recorded/mixed.json' },
      {
        now: () => new Date(NOW - 30 * MIN),
      },
    )
    const r = await gate({ source: file({ windows: w }), 'baseline-file': 'recorded/mixed.json' })
    expect(r.status).toBe('fail')
    const used = byName(r, 'recorded baseline')
    expect(used.observed).toBe('used in 1 of 3 windows')
    expect(byName(r, 'green windows').message).toContain('canary p99 235ms is 30.6% above baseline p99 180ms')
  })

  it('a live baseline that is broken, not quiet, is never replaced', async () => {
    await gate(
      { source: file({ windows: row(6, NOW - 30 * MIN) }), 'record-baseline': 'recorded/broken.json' },
      {
        now: () => new Date(NOW - 30 * MIN),
      },
    )
    const w = row(3).map((x) => ({ ...x, baseline: { ...x.baseline, p99: 'NaN' } }))
    const r = await gate({ source: file({ windows: w }), 'baseline-file': 'recorded/broken.json' })
    expect(r.status).toBe('fail')
    expect(byName(r, 'green windows').message).toContain('missing baseline: baseline p99: not a number: "NaN"')
    expect(byName(r, 'recorded baseline').observed).toMatch(/not needed$/)
  })

  it('runbook evidence compares nothing with a baseline: a recorded one is loaded, checked and said to be unused', async () => {
    await gate(
      { source: file({ windows: row(6, NOW - 30 * MIN) }), 'record-baseline': 'recorded/runbook.json' },
      {
        now: () => new Date(NOW - 30 * MIN),
      },
    )
    const body = { generated_at: iso(NOW), canary: { windows: [1, 2, 3].map(() => ({ pass: true, burst: 0.1 })) } }
    const r = await gate({ source: file(body), 'baseline-file': 'recorded/runbook.json' })
    expect(r.status).toBe('pass')
    expect(byName(r, 'recorded baseline').message).toContain('was not used: the runbook shape compares no latency with a baseline')
  })

  it('a baseline that cannot be measured writes nothing and overwrites nothing', async () => {
    const target = path.join(dir, 'recorded', 'kept.json')
    writeFileSync(target, 'the earlier recording\n')
    const w = row(6).map((x, i) => (i === 4 ? noBaseline(x) : x))
    const r = await gate({ source: file({ windows: w }), 'record-baseline': 'recorded/kept.json' })
    expect(r.status).toBe('fail')
    expect(byName(r, 'baseline recorded').message).toMatch(
      /^The baseline was not recorded, and nothing was written: 1 of the 6 windows from evidence-\d+\.json do not carry a full baseline: window #5 11:50–11:55: no baseline data in this window\./,
    )
    expect(readFileSync(target, 'utf8')).toBe('the earlier recording\n')
    const runbook = await gate({
      source: file({ generated_at: iso(NOW), canary: { windows: [{ pass: true, burst: 0.1 }] } }),
      'record-baseline': 'recorded/kept.json',
    })
    expect(byName(runbook, 'baseline recorded').message).toContain('the runbook shape, which carries no baseline numbers per window')
    expect(readFileSync(target, 'utf8')).toBe('the earlier recording\n')
  })
})

describe('canary: anchoring inputs', () => {
  it.each([
    [{ source: 'a.json', hold: '30m', wait: '15m' }, '`wait` 15m is shorter than `hold` 30m: the gate would stop before the hold is over'],
    [{ source: 'a.json', hold: '30m' }, '`wait` 0s is shorter than `hold` 30m'],
    [{ source: 'a.json', hold: '2d', wait: '2d' }, 'input `hold`: "2d" is not valid; expected a duration from 0s to 1d'],
    [{ source: 'a.json', 'not-before': '2026-02-30T12:00:00Z' }, 'input `not-before`: "2026-02-30T12:00:00Z" is not valid'],
    [{ source: 'a.json', 'not-before': '2026-03-02T12:00:00' }, 'expected an ISO 8601 instant with a time zone'],
    [{ source: 'a.json', 'not-before': 'yesterday' }, 'input `not-before`: "yesterday" is not valid'],
    [{ source: 'a.json', 'record-baseline': 'b.json', 'baseline-file': 'b.json' }, 'give either `record-baseline`'],
    [{ source: 'a.json', 'record-baseline': 'b.json', wait: '5m' }, '`record-baseline` measures the baseline once: drop `wait` and `hold`'],
    [{ source: 'a.json', timeout: '10ms' }, 'input `timeout`: "10ms" is not valid'],
  ])('%j is refused: %s', async (inputs, text) => {
    const r = await gate(inputs as Record<string, string>)
    expect(r.inputError).toBe(true)
    expect(r.checks.map((c) => c.message).join(' ')).toContain(text)
  })

  it('not-before accepts an offset and fractions of a second', async () => {
    const r = await gate({ source: file({ windows: row(4) }), 'not-before': '2026-03-02T12:40:00.000+01:00' })
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
    expect(byName(r, 'hold').message).toContain('not-before 2026-03-02T11:40:00Z')
  })
})

describe('canary: evidence behind a redirect', () => {
  it('names where the evidence really came from, and the credentials of the source URL stay with its origin', async () => {
    let seen: string | undefined = 'not asked'
    const target = await serve((req, res) => {
      seen = req.headers.authorization
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ windows: row(3) }))
    })
    const front = await serve((_q, res) =>
      res.writeHead(302, { location: `${target.url.replace('127.0.0.1', 'localhost')}/latest.json` }).end(),
    )
    servers.push(target, front)
    const source = front.url.replace('http://', 'http://release:s3cret-pw@') + '/e.json'
    const r = await gate({ source })
    expect(seen).toBeUndefined()
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('pass')
    const port = new URL(target.url).port
    expect(byName(r, 'green windows').message).toContain(
      `from ${front.url}/e.json, redirected to http://localhost:${port}/latest.json are green`,
    )
    expect(JSON.stringify(r)).not.toContain('s3cret-pw')
  })
})
