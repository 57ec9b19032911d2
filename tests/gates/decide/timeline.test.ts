import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { renderGantt, tMark, type GanttTask } from '../../../src/gates/decide/timeline.js'

const zero = new Date('2026-03-14T10:00:00.000Z')
const at = (seconds: number) => new Date(zero.getTime() + seconds * 1000)

describe('T-marks', () => {
  it('read like the runbook timeline, relative to the decision', () => {
    expect(tMark(at(0), zero)).toBe('T-0s')
    expect(tMark(at(-40), zero)).toBe('T-40s')
    expect(tMark(at(-725), zero)).toBe('T-12m05s')
    expect(tMark(at(-3600), zero)).toBe('T-1h00m')
    expect(tMark(at(900), zero)).toBe('T+15m00s')
    expect(tMark(at(3725), zero)).toBe('T+1h02m')
  })

  it('never hold a character Mermaid reads as syntax', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (s) => {
        expect(tMark(at(s), zero)).toMatch(/^T[+-]\d+(s|m\d\ds|h\d\dm)$/)
      }),
    )
  })
})

describe('the gantt', () => {
  const task = (id: string, from: number, to: number, status: GanttTask['status'] = 'pass', section = 'Infrastructure'): GanttTask => ({
    id,
    section,
    start: at(from),
    finish: at(to),
    status,
  })

  it("draws each bar from its report's own start to its own finish, to the millisecond, and keeps names free of : ; #", () => {
    const g = renderGantt([task('fast', -60.2, -60.16), task('x', -30, -10, 'fail', 'Ops: weird; #section')], zero, 'NO-GO')
    expect(g).toContain('  dateFormat x\n')
    const ms = (s: number) => at(s).getTime()
    expect(g).toContain(`  fast T-1m00s, 40ms :done, g1, ${ms(-60.2)}, ${ms(-60.16)}`)
    expect(g).toContain('  section Ops weird section\n')
    expect(g).toContain(`  x T-30s, 20s :crit, g2, ${ms(-30)}, ${ms(-10)}`)
  })

  it('gates that ran together within one second get bars of their own lengths, not one shared second', () => {
    // The demo's shape: every gate starts at once, 16 s before the decision, and takes well under a second.
    const g = renderGantt([task('api', -16.4, -16.26), task('keys', -16.4, -16.39), task('canary', -16.4, -15.9)], zero, 'GO')
    const bars = [...g.matchAll(/^ {2}(\S+) (T-\S+), (\S+) :done, g\d+, (\d+), (\d+)$/gm)].map((m) => ({
      id: m[1],
      took: m[3],
      length: Number(m[5]) - Number(m[4]),
    }))
    expect(bars).toEqual([
      { id: 'api', took: '140ms', length: 140 },
      { id: 'canary', took: '500ms', length: 500 },
      { id: 'keys', took: '10ms', length: 10 },
    ])
    expect(g).not.toMatch(/T-16s to T-16s/)
  })

  it('an instant gate keeps a one-millisecond bar, and the Turkish chart speaks Turkish', () => {
    const g = renderGantt([task('now', -5, -5)], zero, 'NO-GO', 'tr')
    expect(g).toContain(`  now T-5s, 0ms :done, g1, ${at(-5).getTime()}, ${at(-5).getTime() + 1}`)
    expect(g).toContain('title Cutover zaman çizelgesi, UTC (T-0 saat 10:00:00 NO-GO Kararı)')
  })

  it('shows every gate that did not pass when there are too many to draw, and says so', () => {
    const many = Array.from({ length: 300 }, (_, i) => task(`g${i}`, -3000 + i, -2990 + i, i % 100 === 7 ? 'fail' : 'pass'))
    const g = renderGantt(many, zero, 'NO-GO', 'en', 50)
    expect(g.match(/ :(done|crit|active), /g)).toHaveLength(50)
    for (const id of ['g7', 'g107', 'g207']) expect(g).toMatch(new RegExp(`  ${id} T-\\S+, 10s :crit, `))
    expect(g).toContain("The chart shows 50 of 300 gates (every one that did not pass); the bundle's `timeline` lists them all.")
  })
})
