/**
 * The inputs of `window`: weekly windows in named time zones, days that are frozen, how long the
 * cutover needs, and an instant to evaluate at. Each parser names the line it refused and why.
 */
import type { ActionMeta } from '../../core/gate.js'
import { input } from '../../core/inputs.js'
import { INSTANT_FORM, InputFormError, boundedDuration, isCalendarDate, parseInstant, parseList } from '../../core/units.js'
import { WEEKDAYS, resolveZone } from './zoned.js'

export interface WeeklyWindow {
  /** The line as written, for messages. */
  text: string
  /** Weekdays the window opens on, 0 = Sunday. */
  days: number[]
  /** Opening time, minutes after local midnight. */
  start: number
  /** Closing time, minutes after the local midnight of the opening day (above 1440 past midnight). */
  end: number
  /** The zone as `Intl` resolves it, for computing. */
  zone: string
  /** The zone as written (case aside), for messages: `CET` stays `CET`. */
  zoneName: string
}

export interface DenyRange {
  text: string
  /** Inclusive calendar dates, `YYYY-MM-DD`: compared as text, they sort as dates. */
  from: string
  to: string
}

export const ALLOW_FORM =
  'weekly windows, one per line: days, a local time range and a named IANA time zone, such as `Sun 02:00-06:00 Europe/Vienna`, `Sat,Sun 22:00-02:00 Europe/Vienna` or `Mon-Fri 09:00-17:00 America/New_York`'
export const DENY_FORM = 'dates or inclusive date ranges, one per line, such as `2026-12-24` or `2026-12-20..2027-01-04`'
export const AS_OF_FORM = INSTANT_FORM
export const NEEDS_FORM = 'a duration from 0s to 7d, such as 2h or 3h30m'

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']

function dayIndex(word: string): number | undefined {
  const w = word.toLowerCase()
  const i = DAY_NAMES.findIndex((d) => d === w || d.slice(0, 3) === w)
  return i < 0 ? undefined : i
}

function parseDays(text: string): number[] | undefined {
  const days = new Set<number>()
  for (const part of text.split(',')) {
    const range = part.split('-')
    if (range.length > 2) return undefined
    const from = dayIndex(range[0])
    const to = range.length === 2 ? dayIndex(range[1]) : from
    if (from === undefined || to === undefined) return undefined
    // `Fri-Mon` wraps over the weekend.
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d)
      if (d === to) break
    }
  }
  return [...days].sort((a, b) => a - b)
}

function clock(text: string, allow24: boolean): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text)
  if (!m) return undefined
  const h = Number(m[1])
  const min = Number(m[2])
  if (min > 59) return undefined
  if (h === 24 && min === 0 && allow24) return 1440
  if (h > 23) return undefined
  return h * 60 + min
}

function refuse(line: string, why: string): never {
  throw new InputFormError(line, `${ALLOW_FORM}; ${why}`)
}

export function parseWindow(line: string): WeeklyWindow {
  const words = line.trim().split(/\s+/)
  if (words.length !== 3) refuse(line, 'each line has three parts: days, `HH:MM-HH:MM` and a time zone')
  const [daysText, range, zoneText] = words
  const days = parseDays(daysText)
  if (!days) refuse(line, `\`${daysText}\` is not a list of weekdays (${WEEKDAYS.join(', ')}, ranges such as Mon-Fri)`)
  const times = range.split('-')
  const start = times.length === 2 ? clock(times[0], false) : undefined
  const endClock = times.length === 2 ? clock(times[1], true) : undefined
  if (start === undefined || endClock === undefined)
    refuse(line, `\`${range}\` is not a local time range such as 02:00-06:00 (24-hour clock; 24:00 ends at midnight)`)
  if (start === endClock) refuse(line, `\`${range}\` opens and closes at the same time; write 00:00-24:00 for a whole day`)
  if (/^[+-]|^(utc|gmt)[+-]/i.test(zoneText))
    refuse(line, `\`${zoneText}\` is a fixed offset, which does not follow daylight-saving time: name the zone, such as Europe/Vienna`)
  const zone = resolveZone(zoneText)
  if (!zone) refuse(line, `\`${zoneText}\` is not a time zone this runtime knows (IANA names such as Europe/Vienna or America/New_York)`)
  // A range that ends at or before it starts closes after the next local midnight.
  const end = endClock > start ? endClock : endClock + 1440
  const zoneName = zone.toLowerCase() === zoneText.toLowerCase() ? zone : zoneText
  return { text: line.trim(), days, start, end, zone, zoneName }
}

export function parseDeny(line: string): DenyRange {
  const text = line.trim()
  const [from, to = from, ...rest] = text.split('..').map((s) => s.trim())
  if (rest.length || !isCalendarDate(from) || !isCalendarDate(to))
    throw new InputFormError(line, `${DENY_FORM}; \`${text}\` is not a real date or range`)
  if (to < from) throw new InputFormError(line, `${DENY_FORM}; \`${text}\` ends before it starts`)
  return { text, from, to }
}

export const parseAsOf = (raw: string): Date => parseInstant(raw, AS_OF_FORM)

const lines =
  <T>(parse: (line: string) => T, form: string) =>
  (raw: string) => {
    const items = parseList(raw)
    if (items.length === 0) throw new InputFormError(raw, form)
    return items.map(parse)
  }

export const windowInputs = {
  allow: input.custom(
    'list',
    ALLOW_FORM,
    lines(parseWindow, ALLOW_FORM),
  )(
    'Weekly maintenance windows, one per line: days, a local time range and a named IANA time zone, such as `Sun 02:00-06:00 Europe/Vienna` (a range ending at or before its start closes the next day). Evaluated in local time with the daylight-saving changes of the zone.',
    { required: true },
  ),
  deny: input.custom(
    'list',
    DENY_FORM,
    lines(parseDeny, DENY_FORM),
  )(
    'Frozen dates or inclusive date ranges, one per line, such as `2026-12-20..2027-01-04`: whole days in the time zone of each window, on which no window opens.',
  ),
  needs: input.custom(
    'string',
    NEEDS_FORM,
    boundedDuration(0, 7 * 86_400_000, NEEDS_FORM),
  )('How long the cutover needs, such as `2h`: fail when less than that remains of the window (and name the next window long enough).', {
    default: '0s',
  }),
  'as-of': input.custom(
    'string',
    AS_OF_FORM,
    parseAsOf,
  )(
    'Evaluate at this instant instead of now, such as `2026-03-29T01:30:00Z`, for a D-1 check of the planned start. The result then warns that it is not about now.',
  ),
}

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const windowAction = {
  title: 'Maintenance window',
  description:
    'Allow the cutover only inside its weekly maintenance windows (named IANA time zones, daylight-saving changes included), never on a frozen day, and only with enough of the window left; say when the next window opens.',
  branding: { icon: 'clock', color: 'green' },
  example: {
    allow: 'Sun 02:00-06:00 Europe/Vienna',
    deny: '2026-12-20..2027-01-04',
    needs: '4h',
  },
} satisfies ActionMeta
