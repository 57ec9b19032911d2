// window: the maintenance window in local time, across the daylight-saving changes of the zone,
// with frozen days, the time the cutover needs, and an instant to evaluate at. Every clock here is
// the gate context's: no test depends on when it runs.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { InputFormError } from '../../../src/core/units.js'
import { windowGate } from '../../../src/gates/window/gate.js'
import { parseAsOf, parseDeny, parseWindow } from '../../../src/gates/window/spec.js'
import { instantOf, wallTimeAt } from '../../../src/gates/window/zoned.js'

const WIEN = 'Sun 02:00-06:00 Europe/Vienna'

async function at(now: string, inputs: Record<string, string>) {
  const ctx = defaultContext({ now: () => new Date(now), log: () => {}, env: {} })
  return runGate(windowGate, inputs, ctx, { id: 'window' })
}
const named = (r: Awaited<ReturnType<typeof at>>, name: string) => r.checks.find((c) => c.name === name)

describe('window: inside and outside', () => {
  it('passes inside the Wien window, saying when it closes in local time and UTC', async () => {
    // 2026-06-07 is a Sunday; Vienna is on summer time (UTC+2).
    const r = await at('2026-06-07T01:00:00Z', { allow: WIEN })
    expect(r.status, r.summary).toBe('pass')
    expect(named(r, 'window')!.message).toBe(
      'Inside the maintenance window (Sun 02:00-06:00 Europe/Vienna): it is Sun 2026-06-07 03:00 Europe/Vienna (UTC+2) = 2026-06-07 01:00 UTC; it closes Sun 2026-06-07 06:00 Europe/Vienna (UTC+2) = 2026-06-07 04:00 UTC, in 3h.',
    )
    expect(r.outputs['window-closes']).toBe('2026-06-07T04:00:00.000Z')
    expect(r.outputs['next-open']).toBe('2026-06-14T00:00:00.000Z')
  })

  it('fails outside it, naming the next opening in local time and UTC', async () => {
    const r = await at('2026-06-06T10:00:00Z', { allow: WIEN })
    expect(r.status).toBe('fail')
    expect(named(r, 'window')).toMatchObject({ observed: 'outside every window', expected: 'inside Sun 02:00-06:00 Europe/Vienna' })
    expect(named(r, 'window')!.message).toBe(
      'Outside the maintenance window (Sun 02:00-06:00 Europe/Vienna): it is Sat 2026-06-06 12:00 Europe/Vienna (UTC+2) = 2026-06-06 10:00 UTC. ' +
        'The next allowed window (Sun 02:00-06:00 Europe/Vienna) opens Sun 2026-06-07 02:00 Europe/Vienna (UTC+2) = 2026-06-07 00:00 UTC and lasts 4h.',
    )
    expect(r.outputs).toMatchObject({ 'next-open': '2026-06-07T00:00:00.000Z', 'window-closes': '' })
    expect(r.summary).toMatch(/^window: FAIL: Outside the maintenance window/)
  })

  it('opens at the start and closes at the end (the closing instant is outside)', async () => {
    expect((await at('2026-06-07T00:00:00Z', { allow: WIEN })).status).toBe('pass')
    expect((await at('2026-06-06T23:59:59Z', { allow: WIEN })).status).toBe('fail')
    expect((await at('2026-06-07T03:59:59Z', { allow: WIEN })).status).toBe('pass')
    expect((await at('2026-06-07T04:00:00Z', { allow: WIEN })).status).toBe('fail')
  })

  it('in winter the same local window is an hour later in UTC', async () => {
    const r = await at('2026-01-11T01:30:00Z', { allow: WIEN })
    expect(r.status).toBe('pass')
    expect(r.outputs['window-closes']).toBe('2026-01-11T05:00:00.000Z')
  })

  it('a window past midnight belongs to the day it opens; several windows and zones make one schedule', async () => {
    const allow = 'Sat 22:00-02:00 Europe/Vienna\nMon-Fri 09:00-17:00 America/New_York'
    // Sunday 01:30 in Vienna: inside the window opened on Saturday.
    let r = await at('2026-06-06T23:30:00Z', { allow })
    expect(r.status, r.summary).toBe('pass')
    expect(named(r, 'window')!.message).toContain('Inside the maintenance window (Sat 22:00-02:00 Europe/Vienna)')
    expect(r.outputs['window-closes']).toBe('2026-06-07T00:00:00.000Z')
    // Monday 09:00 in New York is 13:00 UTC.
    r = await at('2026-06-08T12:00:00Z', { allow })
    expect(r.status).toBe('fail')
    expect(r.outputs['next-open']).toBe('2026-06-08T13:00:00.000Z')
    expect(named(r, 'window')!.message).toContain(
      'opens Mon 2026-06-08 09:00 America/New_York (UTC-4) = 2026-06-08 13:00 UTC and lasts 8h.',
    )
  })

  it('windows that touch join into one: the remaining time runs to the end of the last', async () => {
    const r = await at('2026-06-06T21:00:00Z', { allow: 'Sat 22:00-24:00 Europe/Vienna\nSun 00:00-06:00 Europe/Vienna', needs: '5h' })
    expect(r.status, r.summary).toBe('pass')
    expect(r.outputs['window-closes']).toBe('2026-06-07T04:00:00.000Z')
    expect(named(r, 'needs')!.message).toBe('7h of the window remain, at least the 5h the cutover needs.')
  })

  it('a window open every hour of every day never says it closes in a month', async () => {
    const r = await at('2026-06-06T21:00:00Z', { allow: 'Mon-Sun 00:00-24:00 UTC', needs: '6h' })
    expect(r.status, r.summary).toBe('pass')
    expect(named(r, 'window')!.message).toContain('the windows join up without a break for more than 30 days')
    expect(r.outputs['window-closes']).toBe('')
  })
})

/** The last Sunday of a month, by the calendar alone. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0))
  return last.getUTCDate() - last.getUTCDay()
}

describe('window: the daylight-saving Sundays of Europe/Vienna', () => {
  it('on the last Sunday of March 02:00 does not exist: the window opens at 03:00 summer time and lasts 3h', async () => {
    let r = await at('2026-03-29T00:30:00Z', { allow: WIEN })
    expect(r.status).toBe('fail')
    expect(named(r, 'window')!.message).toBe(
      'Outside the maintenance window (Sun 02:00-06:00 Europe/Vienna): it is Sun 2026-03-29 01:30 Europe/Vienna (UTC+1) = 2026-03-29 00:30 UTC. ' +
        'The next allowed window (Sun 02:00-06:00 Europe/Vienna) opens Sun 2026-03-29 03:00 Europe/Vienna (UTC+2) = 2026-03-29 01:00 UTC and lasts 3h (not 4h: the clocks of Europe/Vienna change that night).',
    )
    r = await at('2026-03-29T01:00:00Z', { allow: WIEN })
    expect(r.status).toBe('pass')
    expect(r.outputs['window-closes']).toBe('2026-03-29T04:00:00.000Z')
    expect(r.metrics.remaining_ms).toBe(3 * 3_600_000)
  })

  it('that Sunday a 4h cutover does not fit even at the opening; the next Sunday is named instead', async () => {
    const r = await at('2026-03-29T01:00:00Z', { allow: WIEN, needs: '4h' })
    expect(r.status).toBe('fail')
    expect(named(r, 'window')!.status).toBe('pass')
    expect(named(r, 'needs')!.message).toBe(
      'Only 3h of the window remain (it closes Sun 2026-03-29 06:00 Europe/Vienna (UTC+2) = 2026-03-29 04:00 UTC), less than the 4h the cutover needs (`needs`): do not start now. ' +
        'The next allowed window (Sun 02:00-06:00 Europe/Vienna) opens Sun 2026-04-05 02:00 Europe/Vienna (UTC+2) = 2026-04-05 00:00 UTC and lasts 4h.',
    )
    expect(r.outputs['next-open']).toBe('2026-04-05T00:00:00.000Z')
    // From the Saturday before, the next window long enough is also the one after.
    const before = await at('2026-03-28T12:00:00Z', { allow: WIEN, needs: '4h' })
    expect(before.outputs['next-open']).toBe('2026-04-05T00:00:00.000Z')
    const shorter = await at('2026-03-28T12:00:00Z', { allow: WIEN, needs: '3h' })
    expect(shorter.outputs['next-open']).toBe('2026-03-29T01:00:00.000Z')
  })

  it('on the last Sunday of October 02:00-03:00 happens twice: the window opens at the first and lasts 5h', async () => {
    const first = await at('2026-10-25T00:30:00Z', { allow: WIEN, needs: '4h' })
    expect(first.status, first.summary).toBe('pass')
    expect(named(first, 'window')!.message).toContain('it is Sun 2026-10-25 02:30 Europe/Vienna (UTC+2) = 2026-10-25 00:30 UTC')
    expect(named(first, 'window')!.message).toContain(
      'it closes Sun 2026-10-25 06:00 Europe/Vienna (UTC+1) = 2026-10-25 05:00 UTC, in 4h30m (not 4h: the clocks of Europe/Vienna change that night).',
    )
    // The second 02:30, an hour later in UTC, is inside too.
    const second = await at('2026-10-25T01:30:00Z', { allow: WIEN })
    expect(named(second, 'window')!.message).toContain('it is Sun 2026-10-25 02:30 Europe/Vienna (UTC+1) = 2026-10-25 01:30 UTC')
    expect(second.outputs['window-closes']).toBe('2026-10-25T05:00:00.000Z')
    expect((await at('2026-10-24T23:59:00Z', { allow: WIEN })).status).toBe('fail')
  })

  it('every year the last Sundays of March and October are 3h and 5h, every other Sunday 4h', async () => {
    for (let year = 2025; year <= 2032; year++) {
      for (const [month, hours] of [
        [3, 3],
        [10, 5],
      ] as const) {
        const day = lastSunday(year, month)
        const week = (d: number) => instantOf('Europe/Vienna', { year, month, day: d, minute: 6 * 60 })
        const opening = async (d: number) => {
          // Ask on the Saturday before, at noon local: the next opening is that Sunday's.
          const sat = instantOf('Europe/Vienna', { year, month, day: d - 1, minute: 12 * 60 })
          const r = await at(new Date(sat).toISOString(), { allow: WIEN })
          return (week(d) - Date.parse(r.outputs['next-open'])) / 3_600_000
        }
        expect(await opening(day), `${year}-${month}-${day}`).toBe(hours)
        expect(await opening(day - 7), `${year}-${month}-${day - 7}`).toBe(4)
      }
    }
  })

  it('local time is read with Intl: a skipped wall time moves forward, a repeated one is the earlier', () => {
    expect(new Date(instantOf('Europe/Vienna', { year: 2026, month: 3, day: 29, minute: 150 })).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    )
    expect(new Date(instantOf('Europe/Vienna', { year: 2026, month: 10, day: 25, minute: 150 })).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    )
    expect(wallTimeAt('Europe/Vienna', Date.parse('2026-10-25T01:30:00Z'))).toEqual({ year: 2026, month: 10, day: 25, minute: 150 })
    // A zone with a half-hour offset and one south of the equator.
    expect(new Date(instantOf('Asia/Kolkata', { year: 2026, month: 6, day: 7, minute: 0 })).toISOString()).toBe('2026-06-06T18:30:00.000Z')
    expect(new Date(instantOf('Australia/Sydney', { year: 2026, month: 1, day: 4, minute: 0 })).toISOString()).toBe(
      '2026-01-03T13:00:00.000Z',
    )
  })
})

describe('window: frozen days', () => {
  const deny = '2026-12-20..2027-01-04'

  it('a Sunday inside a deny range fails, naming the range, and the next opening after it', async () => {
    const r = await at('2026-12-27T01:30:00Z', { allow: WIEN, deny })
    expect(r.status).toBe('fail')
    expect(named(r, 'window')).toMatchObject({ observed: 'frozen by 2026-12-20..2027-01-04' })
    expect(named(r, 'window')!.message).toBe(
      'Outside the maintenance window (Sun 02:00-06:00 Europe/Vienna): it is Sun 2026-12-27 02:30 Europe/Vienna (UTC+1) = 2026-12-27 01:30 UTC and 2026-12-20..2027-01-04 is frozen (`deny`). ' +
        'The next allowed window (Sun 02:00-06:00 Europe/Vienna) opens Sun 2027-01-10 02:00 Europe/Vienna (UTC+1) = 2027-01-10 01:00 UTC and lasts 4h.',
    )
    expect(r.details).toContain('Frozen: 2026-12-20..2027-01-04.')
  })

  it('the range is inclusive: its first and last day are frozen, the days around it are not', async () => {
    // 2026-12-20 and 2027-01-03 are Sundays inside it; 2026-12-13 and 2027-01-10 are not.
    const sunday = (date: string) => `${date}T01:30:00Z`
    expect((await at(sunday('2026-12-13'), { allow: WIEN, deny })).status).toBe('pass')
    expect((await at(sunday('2026-12-20'), { allow: WIEN, deny })).status).toBe('fail')
    expect((await at(sunday('2027-01-03'), { allow: WIEN, deny })).status).toBe('fail')
    expect((await at(sunday('2027-01-10'), { allow: WIEN, deny })).status).toBe('pass')
    const single = await at(sunday('2026-12-13'), { allow: WIEN, deny: '2026-12-13' })
    expect(named(single, 'window')!.message).toContain('and 2026-12-13 is frozen (`deny`)')
  })

  it('frozen days are whole days in the window’s zone: a window past midnight stops at the frozen day', async () => {
    // Saturday 2026-06-06 22:00 Vienna; Sunday 2026-06-07 frozen: the window ends at local midnight.
    const r = await at('2026-06-06T21:30:00Z', { allow: 'Sat 22:00-02:00 Europe/Vienna', deny: '2026-06-07', needs: '1h' })
    expect(r.outputs['window-closes']).toBe('2026-06-06T22:00:00.000Z')
    expect(named(r, 'needs')!.message).toMatch(/^Only 30m of the window remain/)
    // In New York the 4th of July starts four hours after midnight UTC.
    const ny = { allow: 'Sat 18:00-23:00 America/New_York', deny: '2026-07-04' }
    expect((await at('2026-07-04T03:00:00Z', { ...ny, allow: 'Fri 18:00-24:00 America/New_York' })).status).toBe('pass')
    expect((await at('2026-07-04T23:00:00Z', ny)).status).toBe('fail')
  })

  it('a freeze that leaves no window for two years says so', async () => {
    const r = await at('2026-06-06T10:00:00Z', { allow: WIEN, deny: '2026-01-01..2029-12-31' })
    expect(named(r, 'window')!.message).toContain(
      'No allowed window opens within two years of 2026-06-06 10:00 UTC: check `allow` and `deny`.',
    )
    expect(r.outputs['next-open']).toBe('')
  })
})

describe('window: needs and as-of', () => {
  it('fails inside the window when less remains than the cutover needs', async () => {
    const r = await at('2026-06-07T02:30:00Z', { allow: WIEN, needs: '2h' })
    expect(r.status).toBe('fail')
    expect(named(r, 'needs')).toMatchObject({ status: 'fail', observed: '1h30m left', expected: 'at least 2h left' })
    expect(named(r, 'needs')!.message).toContain('The next allowed window (Sun 02:00-06:00 Europe/Vienna) opens Sun 2026-06-14 02:00')
    const enough = await at('2026-06-07T02:00:00Z', { allow: WIEN, needs: '2h' })
    expect(enough.status, enough.summary).toBe('pass')
  })

  it('a 5h cutover fits a 4h window only the night the clocks go back; a 6h one never', async () => {
    const five = await at('2026-06-07T00:00:00Z', { allow: WIEN, needs: '5h' })
    expect(named(five, 'needs')!.message).toContain(
      'The next allowed window (Sun 02:00-06:00 Europe/Vienna) opens Sun 2026-10-25 02:00 Europe/Vienna (UTC+2) = 2026-10-25 00:00 UTC and lasts 5h (not 4h: the clocks of Europe/Vienna change that night).',
    )
    const six = await at('2026-06-07T00:00:00Z', { allow: WIEN, needs: '6h' })
    expect(named(six, 'needs')!.message).toContain('No allowed window of at least 6h opens within two years')
  })

  it('as-of evaluates the planned instant (a D-1 check) and warns that it is not now', async () => {
    const r = await at('2026-06-06T10:00:00Z', { allow: WIEN, 'as-of': '2026-06-07T02:30:00+02:00', needs: '3h' })
    expect(r.status, r.summary).toBe('warn')
    expect(named(r, 'window')!.status).toBe('pass')
    expect(named(r, 'needs')!.status).toBe('pass')
    expect(named(r, 'as-of')!.message).toBe(
      'Evaluated at `as-of` 2026-06-07 00:30 UTC, not now (2026-06-06 10:00 UTC): this says whether the cutover may run then, not whether it may run now. Remove `as-of` for the cutover itself.',
    )
    // An as-of inside the window never hides that the planned instant is outside.
    const outside = await at('2026-06-07T01:00:00Z', { allow: WIEN, 'as-of': '2026-06-08T01:00:00Z' })
    expect(outside.status).toBe('fail')
  })
})

describe('window: inputs that are not windows fail with the line named', () => {
  const garbage: [string, RegExp][] = [
    ['Sunday 2-6 Vienna', /"Sunday 2-6 Vienna" is not valid.*`2-6` is not a local time range/],
    ['Sun 02:00-06:00', /each line has three parts/],
    ['Sun 02:00-06:00 Europe/Wien', /`Europe\/Wien` is not a time zone this runtime knows/],
    ['Sun 02:00-06:00 +01:00', /`\+01:00` is a fixed offset, which does not follow daylight-saving time/],
    ['Sun 02:00-06:00 UTC+1', /`UTC\+1` is a fixed offset/],
    ['Sun 25:00-06:00 Europe/Vienna', /`25:00-06:00` is not a local time range/],
    ['Sun 02:60-06:00 Europe/Vienna', /is not a local time range/],
    ['Sun 02:00-02:00 Europe/Vienna', /opens and closes at the same time/],
    ['Sonntag 02:00-06:00 Europe/Vienna', /`Sonntag` is not a list of weekdays/],
    ['Sun-Mon-Tue 02:00-06:00 Europe/Vienna', /is not a list of weekdays/],
    ['Sun 02:00-06:00 Europe/Vienna extra', /three parts/],
  ]
  it.each(garbage)('%s', async (line, message) => {
    const r = await at('2026-06-07T01:00:00Z', { allow: `Sat 22:00-24:00 Europe/Vienna\n${line}` })
    expect(r.status).toBe('fail')
    expect(r.checks).toHaveLength(1)
    expect(r.checks[0].name).toBe('inputs')
    expect(r.checks[0].message).toMatch(/^Could not run the gate: input `allow`: /)
    expect(r.checks[0].message).toMatch(message)
  })

  it('refuses an empty allow, bad deny dates and an as-of without an offset', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ allow: '' }, /input `allow` is required/],
      [{ allow: '   \n ' }, /input `allow` is required/],
      [{ allow: WIEN, deny: '2026-02-30' }, /input `deny`: "2026-02-30" is not valid.*is not a real date/],
      [{ allow: WIEN, deny: '2027-01-04..2026-12-20' }, /ends before it starts/],
      [{ allow: WIEN, deny: '24.12.2026' }, /input `deny`/],
      [{ allow: WIEN, 'as-of': '2026-06-07T02:30' }, /input `as-of`: "2026-06-07T02:30" is not valid; expected an instant with its offset/],
      [{ allow: WIEN, 'as-of': '2026-02-30T02:30:00Z' }, /input `as-of`/],
      [{ allow: WIEN, 'as-of': 'tomorrow' }, /input `as-of`/],
      [{ allow: WIEN, needs: '8d' }, /input `needs`: "8d" is not valid; expected a duration from 0s to 7d/],
      [{ allow: WIEN, needs: 'long' }, /input `needs`/],
    ]
    for (const [inputs, message] of cases) {
      const r = await at('2026-06-07T01:00:00Z', inputs)
      expect(r.status, JSON.stringify(inputs)).toBe('fail')
      expect(r.checks[0].message, JSON.stringify(inputs)).toMatch(message)
    }
  })

  it('any text is a window or an InputFormError, never a crash', () => {
    const word = fc.constantFrom('Sun', 'Mon-Fri', 'Sat,Sun', 'x', '', '02:00-06:00', '24:00-01:00', 'Europe/Vienna', 'UTC', '+01:00', '-')
    const line = fc.oneof(
      fc.string(),
      fc.array(word, { maxLength: 4 }).map((ws) => ws.join(' ')),
    )
    fc.assert(
      fc.property(line, (text) => {
        try {
          const w = parseWindow(text)
          expect(w.end).toBeGreaterThan(w.start)
          expect(w.days.length).toBeGreaterThan(0)
        } catch (err) {
          expect(err).toBeInstanceOf(InputFormError)
        }
      }),
    )
    fc.assert(
      fc.property(fc.string(), (text) => {
        for (const parse of [parseDeny, parseAsOf]) {
          try {
            parse(text)
          } catch (err) {
            expect(err).toBeInstanceOf(InputFormError)
          }
        }
      }),
    )
  })
})
