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

  it('gives a gate shorter than a second a one-second bar, and keeps names free of : ; #', () => {
    const g = renderGantt([task('fast', -60.2, -60.16), task('x', -30, -10, 'fail', 'Ops: weird; #section')], zero, 'NO-GO')
    expect(g).toContain('  fast T-1m00s to T-1m00s :done, g1, 2026-03-14 09:58:59, 2026-03-14 09:59:00')
    expect(g).toContain('  section Ops weird section\n')
    expect(g).toContain('  x T-30s to T-10s :crit, g2, 2026-03-14 09:59:30, 2026-03-14 09:59:50')
  })

  it('shows every gate that did not pass when there are too many to draw, and says so', () => {
    const many = Array.from({ length: 300 }, (_, i) => task(`g${i}`, -3000 + i, -2990 + i, i % 100 === 7 ? 'fail' : 'pass'))
    const g = renderGantt(many, zero, 'NO-GO', 50)
    expect(g.match(/ :(done|crit|active), /g)).toHaveLength(50)
    for (const id of ['g7', 'g107', 'g207']) expect(g).toMatch(new RegExp(`  ${id} T-\\S+ to T-\\S+ :crit, `))
    expect(g).toContain("The chart shows 50 of 300 gates (every one that did not pass); the bundle's `timeline` lists them all.")
  })
})
