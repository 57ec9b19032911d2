// The Mann-Whitney judge against values computed by scipy 1.17
// (scipy.stats.mannwhitneyu(x, y, method='asymptotic', use_continuity=True), scipy.stats.norm.sf).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { erfc, groupSamples, JudgeError, mannWhitney, upperTail } from '../../../src/gates/canary/mann-whitney.js'

const close = (got: number, want: number, rel = 1e-12) => expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * rel + 1e-300)

describe('normal tail and erfc', () => {
  it.each([
    [0, 0.5],
    [0.5, 0.3085375387259869],
    [1, 0.15865525393145707],
    [2, 0.022750131948179195],
    [2.4999, 0.006211418374944587],
    [2.5, 0.006209665325776132],
    [3, 0.0013498980316300933],
    [5, 2.866515718791933e-7],
    [8, 6.22096057427174e-16],
    [10, 7.61985302416047e-24],
    [20, 2.7536241186061556e-89],
    [27, 7.389481006884598e-161],
  ])('P(Z > %d) matches scipy', (z, p) => close(upperTail(z), p, 1e-12))

  it.each([
    [0.1, 0.8875370839817152],
    [1, 0.15729920705028516],
    [2.4, 0.0006885138966450789],
    [2.6, 0.000236034416529349],
    [5, 1.5374597944280347e-12],
  ])('erfc(%d) matches scipy', (x, v) => close(erfc(x), v, 1e-13))

  it('is symmetric and monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (z) => {
        close(upperTail(z) + upperTail(-z), 1, 1e-14)
        expect(upperTail(z + 0.01)).toBeLessThanOrEqual(upperTail(z))
      }),
    )
  })
})

describe('Mann-Whitney U', () => {
  it('matches scipy on a small sample without ties', () => {
    const mw = mannWhitney(groupSamples([19, 22, 16, 29, 24], [20, 11, 17, 12]))
    expect(mw.u1).toBe(17)
    expect(mw.u2).toBe(3)
    close(mw.pGreater, 0.055673443266570206)
    close(mw.pTwoSided, 0.11134688653314041)
    close(mw.delta, (17 - 3) / 20)
    expect(mw.magnitude).toBe('large')
  })

  it('applies the tie correction as scipy does', () => {
    const mw = mannWhitney(groupSamples([1, 2, 2, 3, 3, 3, 4], [2, 3, 4, 4, 5, 5]))
    expect(mw.u1).toBe(8.5)
    close(mw.pGreater, 0.9717782889227976)
    close(mw.pTwoSided, 0.07826242947714618)
    expect(mw.delta).toBeLessThan(0)
  })

  it('judges histogram buckets as tie groups (Prometheus), equal to the expanded samples', () => {
    const les = [0.1, 0.2, 0.3, 0.5, 1.0]
    const a = [50, 300, 120, 25, 5]
    const b = [80, 420, 90, 9, 1]
    const grouped = mannWhitney(les.map((value, k) => ({ value, a: a[k], b: b[k] })))
    expect(grouped.u1).toBe(172260)
    close(grouped.pGreater, 2.427535818063098e-7, 1e-10)
    close(grouped.pTwoSided, 4.855071636126196e-7, 1e-10)
    const expand = (counts: number[]) => les.flatMap((v, k) => Array<number>(counts[k]).fill(v))
    const raw = mannWhitney(groupSamples(expand(a), expand(b)))
    expect(raw.u1).toBe(grouped.u1)
    close(raw.pGreater, grouped.pGreater, 1e-12)
  })

  it('U1 + U2 = n1·n2 and δ, P(higher) agree, for any samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 }),
        (x, y) => {
          const mw = mannWhitney(groupSamples(x, y))
          close(mw.u1 + mw.u2, x.length * y.length, 1e-12)
          // U1 counts the pairs where x is higher, ties a half: the definition, by brute force.
          let u = 0
          for (const xi of x) for (const yj of y) u += xi > yj ? 1 : xi === yj ? 0.5 : 0
          expect(mw.u1).toBe(u)
          close(mw.delta, 2 * mw.probabilityHigher - 1, 1e-12)
          expect(mw.pGreater).toBeGreaterThanOrEqual(0)
          expect(mw.pTwoSided).toBeLessThanOrEqual(1)
        },
      ),
    )
  })

  it('refuses empty sides and non-finite samples with a typed error', () => {
    expect(() => mannWhitney(groupSamples([], [1, 2]))).toThrow(JudgeError)
    expect(() => groupSamples([1, NaN], [1])).toThrow(JudgeError)
    expect(() => groupSamples([1], [Infinity])).toThrow(/baseline/)
  })

  it('all values tied: no evidence of a difference', () => {
    const mw = mannWhitney(groupSamples([5, 5, 5], [5, 5]))
    expect(mw.pTwoSided).toBe(1)
    expect(mw.pGreater).toBe(1)
    expect(mw.delta).toBe(0)
  })
})
