import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  InputFormError,
  formatDuration,
  parseDuration,
  parseList,
  parsePercent,
  parseRatio,
  parseStatusRanges,
  statusInRanges,
} from '../../src/core/units.js'

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['500ms', 500],
    ['1h30m', 5_400_000],
    ['0', 0],
    ['0s', 0],
    ['1.5s', 1500],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms))

  it.each(['5 parsecs', '', 'abc', '10', '-5s', '5s junk', 's', '1e3s'])('refuses %j naming the accepted form', (text) => {
    expect(() => parseDuration(text)).toThrow(InputFormError)
    expect(() => parseDuration(text)).toThrow(/a duration such as 500ms, 30s, 5m, 2h or 7d/)
  })

  it('formats durations for people', () => {
    expect(formatDuration(12)).toBe('12ms')
    expect(formatDuration(1500)).toBe('1.5s')
    expect(formatDuration(90_000)).toBe('1m30s')
    expect(formatDuration(26 * 3_600_000)).toBe('1d2h')
  })

  it('never crashes and never returns NaN on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const v = parseDuration(s)
          expect(Number.isFinite(v) && v >= 0).toBe(true)
        } catch (err) {
          expect(err).toBeInstanceOf(InputFormError)
        }
      }),
    )
  })
})

describe('percentages and ratios', () => {
  it('parses the runbook thresholds', () => {
    expect(parsePercent('10%')).toBeCloseTo(0.1)
    expect(parsePercent('0.1%')).toBeCloseTo(0.001)
    expect(parseRatio('1.5x')).toBe(1.5)
  })
  it.each(['10', '%', 'ten%', '-1%'])('percent refuses %j', (t) => expect(() => parsePercent(t)).toThrow(/percentage such as 10%/))
  it.each(['1.5', 'x', '1.5y'])('ratio refuses %j', (t) => expect(() => parseRatio(t)).toThrow(/ratio such as 1.5x/))
})

describe('status ranges', () => {
  it('parses codes and ranges', () => {
    const r = parseStatusRanges('200-299, 304\n418')
    expect(statusInRanges(250, r)).toBe(true)
    expect(statusInRanges(304, r)).toBe(true)
    expect(statusInRanges(418, r)).toBe(true)
    expect(statusInRanges(302, r)).toBe(false)
  })
  it.each(['abc', '', '99', '600', '299-200', '2xx'])('refuses %j', (t) =>
    expect(() => parseStatusRanges(t)).toThrow(/HTTP status codes or ranges/),
  )
})

it('lists drop blank lines and spaces', () => {
  expect(parseList(' a \n\n b\r\nc ')).toEqual(['a', 'b', 'c'])
})
