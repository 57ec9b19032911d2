/**
 * Instants as the key-rotation gate reads and writes them: ISO 8601 only, with a time zone when a
 * time is given (a bare local time would mean different instants on different runners).
 */

export const DAY_MS = 86_400_000

/** The last instant a Date holds (+275760-09-13): beyond it `new Date` is invalid and toISOString throws. */
export const MAX_DATE_MS = 8.64e15

/** The longest lifetime or period a key is given: 100 years is past any rotation policy, and well inside a Date. */
export const MAX_SPAN_MS = 36_500 * DAY_MS
export const MAX_SPAN_TEXT = '36500d (100 years)'

/** `at` plus `ms`, or undefined when the sum is not an instant a Date can hold. */
export function addSpan(at: Date, ms: number): Date | undefined {
  const t = at.getTime() + ms
  return Number.isFinite(t) && Math.abs(t) <= MAX_DATE_MS ? new Date(t) : undefined
}

export const isInstant = (d: Date | undefined): d is Date => d !== undefined && Number.isFinite(d.getTime())

export const INSTANT_FORM = 'an ISO 8601 date or instant with a time zone, such as 2026-12-01 (midnight UTC) or 2026-12-01T18:00:00Z'

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?))?$/

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * Parses `2026-12-01` (00:00 UTC) or `2026-12-01T18:00[:00[.000]](Z|+02:00)`; undefined when the text is
 * not such a date or names a day that does not exist (2026-02-30). Date.parse is not used: it accepts
 * far more than ISO 8601 and reads zone-less times in the runner's zone.
 */
export function parseInstant(text: string): Date | undefined {
  const m = ISO.exec(text.trim())
  if (!m) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  const hour = Number(m[4] ?? 0)
  const minute = Number(m[5] ?? 0)
  const second = Number(m[6] ?? 0)
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const ms = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000)
  let offset = 0
  const zone = m[8]
  if (zone && zone !== 'Z' && zone !== 'z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)
    if (!z) return undefined
    const [oh, om] = [Number(z[2]), Number(z[3] ?? 0)]
    if (oh > 23 || om > 59) return undefined
    offset = (z[1] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000
  }
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute, second, ms)
  const t = d.getTime() - offset
  return Number.isFinite(t) ? new Date(t) : undefined
}

/** `2026-12-01T00:00:00Z`: second precision is enough for expiry dates and reads better. Never throws. */
export function formatInstant(d: Date): string {
  return isInstant(d) ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'no valid date'
}

/** Days with one decimal: `8.0`, `-3.2`. */
export function formatDays(ms: number): string {
  const days = ms / DAY_MS
  const text = days.toFixed(1)
  return text === '-0.0' ? '0.0' : text
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
