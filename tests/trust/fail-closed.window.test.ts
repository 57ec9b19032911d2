// Fail-closed table for window: every way it can fail to tell whether the cutover may start now
// is a `fail` (or, for an evaluation at another instant, a `warn`) with a sentence naming what was
// expected and what was seen: never a pass, never a stack trace. The clock is the gate context's.
import { describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { windowGate } from '../../src/gates/window/gate.js'

// Saturday 2026-06-06 12:00 in Vienna: outside the Wien window.
const SATURDAY = '2026-06-06T10:00:00Z'
// Sunday 2026-06-07 03:00 in Vienna: inside it, 3h left.
const SUNDAY = '2026-06-07T01:00:00Z'
const WIEN = 'Sun 02:00-06:00 Europe/Vienna'

interface Case {
  what: string
  inputs: Record<string, string>
  now?: string | (() => Date)
  status: 'fail' | 'warn'
  check: string
  message: RegExp
}

const cases: Case[] = [
  {
    what: 'outside the window',
    inputs: { allow: WIEN },
    now: SATURDAY,
    status: 'fail',
    check: 'window',
    message: /^Outside the maintenance window/,
  },
  {
    what: 'inside a frozen day',
    inputs: { allow: WIEN, deny: '2026-06-07' },
    now: SUNDAY,
    status: 'fail',
    check: 'window',
    message: /2026-06-07 is frozen \(`deny`\)\. The next allowed window .* opens Sun 2026-06-14 02:00/,
  },
  {
    what: 'less of the window left than the cutover needs',
    inputs: { allow: WIEN, needs: '3h30m' },
    now: SUNDAY,
    status: 'fail',
    check: 'needs',
    message: /^Only 3h of the window remain .*less than the 3h30m the cutover needs/,
  },
  {
    what: 'a cutover longer than any window',
    inputs: { allow: WIEN, needs: '7d' },
    now: SUNDAY,
    status: 'fail',
    check: 'needs',
    message: /No allowed window of at least 7d opens within two years/,
  },
  {
    what: 'a freeze covering every window for two years',
    inputs: { allow: WIEN, deny: '2026-01-01..2030-01-01' },
    now: SATURDAY,
    status: 'fail',
    check: 'window',
    message: /No allowed window opens within two years of 2026-06-06 10:00 UTC: check `allow` and `deny`\./,
  },
  {
    what: 'as-of inside the window while now is outside: never a pass',
    inputs: { allow: WIEN, 'as-of': SUNDAY },
    now: SATURDAY,
    status: 'warn',
    check: 'as-of',
    message: /^Evaluated at `as-of` 2026-06-07 01:00 UTC, not now \(2026-06-06 10:00 UTC\)/,
  },
  {
    // runGate reads the clock before and after the gate; the gate's own reading is the broken one.
    what: 'a clock that gives the gate no valid time',
    inputs: { allow: WIEN },
    now: (() => {
      let calls = 0
      return () => new Date(++calls % 3 === 2 ? NaN : Date.parse(SUNDAY))
    })(),
    status: 'fail',
    check: 'window',
    message: /^The clock gave no valid time, so whether the window is open cannot be told\./,
  },
  { what: 'allow given empty', inputs: { allow: '' }, status: 'fail', check: 'inputs', message: /input `allow` is required/ },
  { what: 'allow not given', inputs: {}, status: 'fail', check: 'inputs', message: /input `allow` is required/ },
  {
    what: 'allow that is not a window',
    inputs: { allow: 'Sunday night' },
    status: 'fail',
    check: 'inputs',
    message: /input `allow`: "Sunday night" is not valid/,
  },
  {
    what: 'a time zone nobody knows',
    inputs: { allow: 'Sun 02:00-06:00 Europe/Wien' },
    status: 'fail',
    check: 'inputs',
    message: /`Europe\/Wien` is not a time zone this runtime knows/,
  },
  {
    what: 'a fixed offset instead of a zone (it would ignore summer time)',
    inputs: { allow: 'Sun 02:00-06:00 +01:00' },
    status: 'fail',
    check: 'inputs',
    message: /is a fixed offset, which does not follow daylight-saving time/,
  },
  {
    what: 'a deny date that does not exist',
    inputs: { allow: WIEN, deny: '2026-02-29' },
    status: 'fail',
    check: 'inputs',
    message: /input `deny`: "2026-02-29" is not valid/,
  },
  {
    what: 'a deny range backwards',
    inputs: { allow: WIEN, deny: '2027-01-04..2026-12-20' },
    status: 'fail',
    check: 'inputs',
    message: /ends before it starts/,
  },
  {
    what: 'as-of without an offset (a local time nobody can place)',
    inputs: { allow: WIEN, 'as-of': '2026-06-07 03:00' },
    status: 'fail',
    check: 'inputs',
    message: /input `as-of`: "2026-06-07 03:00" is not valid; expected an instant with its offset/,
  },
  {
    what: 'needs that is not a duration',
    inputs: { allow: WIEN, needs: 'four hours' },
    status: 'fail',
    check: 'inputs',
    message: /input `needs`: "four hours" is not valid/,
  },
  {
    what: 'an input the gate does not take',
    inputs: { allow: WIEN, timezone: 'Europe/Vienna' },
    status: 'fail',
    check: 'inputs',
    message: /has no `timezone`; accepted inputs are `allow`, `deny`, `needs`, `as-of`/,
  },
]

describe('window fails closed', () => {
  it.each(cases)('$what → $status', async (c) => {
    const given = c.now ?? SUNDAY
    const now = typeof given === 'function' ? given : () => new Date(given)
    const r = await runGate(windowGate, c.inputs, defaultContext({ now, log: () => {}, env: {} }), { id: 'window' })
    expect(r.status, r.summary).toBe(c.status)
    const found = r.checks.filter((x) => x.name === c.check && x.status === c.status)
    expect(found, JSON.stringify(r.checks, null, 1)).toHaveLength(1)
    expect(found[0].message).toMatch(c.message)
    expect(found[0].message).toMatch(/^[A-Z`].*[.)]$/s)
    expect(JSON.stringify(r)).not.toMatch(/\n\s+at |TypeError|RangeError|Invalid time value|NaN|undefined/)
  })

  it('the table is not passing on a broken setup: inside the window with time to spare passes', async () => {
    const r = await runGate(windowGate, { allow: WIEN, needs: '2h' }, defaultContext({ now: () => new Date(SUNDAY), log: () => {} }), {
      id: 'window',
    })
    expect(r.status, r.summary).toBe('pass')
  })
})
