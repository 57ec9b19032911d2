/**
 * Wall-clock time in a named IANA time zone, computed with `Intl` alone: the zone database the
 * runtime ships knows every daylight-saving change, so no offset is ever written by hand here.
 *
 * A wall time that does not exist (the hour skipped when clocks go forward) is moved forward by
 * the length of the gap, and one that exists twice (the hour repeated when clocks go back) is
 * the earlier of the two: the `compatible` disambiguation of Temporal and of RFC 5545 calendars.
 */

/** A calendar date and a time of day, as a clock on the wall shows it. */
export interface WallTime {
  year: number
  month: number
  day: number
  /** Minutes since local midnight, 0 to 1439. */
  minute: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(zone, f)
  }
  return f
}

/** The canonical name of a time zone `Intl` knows, or undefined. Fixed offsets are no zone here. */
export function resolveZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return undefined
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

interface Fields extends WallTime {
  second: number
}

function fieldsAt(zone: string, ms: number): Fields {
  const parts: Record<string, number> = {}
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return { year: parts.year, month: parts.month, day: parts.day, minute: parts.hour * 60 + parts.minute, second: parts.second }
}

/** The wall time in `zone` at the instant `ms` (seconds dropped). */
export function wallTimeAt(zone: string, ms: number): WallTime {
  const { year, month, day, minute } = fieldsAt(zone, ms)
  return { year, month, day, minute }
}

/** How far the zone's clocks are ahead of UTC at the instant `ms`, in milliseconds. */
export function offsetAt(zone: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000
  const f = fieldsAt(zone, whole)
  return Date.UTC(f.year, f.month - 1, f.day, 0, f.minute, f.second) - whole
}

/** The wall time read as if it were UTC: a number to compare and step wall times by. */
const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, 0, w.minute)

const DAY = 86_400_000

/** The instant the clocks of `zone` show `wall` (see the module comment for gaps and repeats). */
export function instantOf(zone: string, wall: WallTime): number {
  const local = asUtc(wall)
  // The offsets in force a day either side bracket any single change of the clocks.
  const before = offsetAt(zone, local - DAY)
  const after = offsetAt(zone, local + DAY)
  const candidates = [local - before, local - after].filter((t) => offsetAt(zone, t) === local - t)
  if (candidates.length) return Math.min(...candidates)
  // In the gap: the offset from before the change carries the wall time forward past it.
  return local - before
}

/** The calendar date `days` after the date of `wall`, at `minute`. */
export function addDays(wall: WallTime, days: number, minute = wall.minute): WallTime {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), minute }
}

/** 0 = Sunday … 6 = Saturday, of the calendar date (the zone plays no part in it). */
export const weekdayOf = (wall: WallTime) => new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const

const pad = (n: number) => String(n).padStart(2, '0')
export const dateText = (w: Pick<WallTime, 'year' | 'month' | 'day'>) => `${w.year}-${pad(w.month)}-${pad(w.day)}`
export const clockText = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`

/** `Sun 2026-03-29 03:00 Europe/Vienna (UTC+2)`. */
export function localText(zone: string, ms: number, shownZone = zone): string {
  const w = wallTimeAt(zone, ms)
  const off = offsetAt(zone, ms) / 60_000
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  const offText = abs === 0 ? 'UTC' : `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ''}`
  return `${WEEKDAYS[weekdayOf(w)]} ${dateText(w)} ${clockText(w.minute)} ${shownZone} (${offText})`
}

/** `2026-03-29 01:00 UTC`. */
export function utcText(ms: number): string {
  const d = new Date(ms)
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`
}
