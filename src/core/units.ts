/**
 * Parsers for the value forms of the contract: durations (`30s`), percentages (`10%`),
 * ratios (`1.5x`), status-code ranges (`200-299`) and newline-separated lists.
 * Each returns a value or throws an InputFormError whose message names the accepted form.
 */

import { InputFormError, parseList } from '../lib/forms.js'

export { InputFormError, parseList }

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
export const DURATION_FORM = 'a duration such as 500ms, 30s, 5m, 2h or 7d (several parts allowed: 1h30m)'

/** Parses `30s`, `5m`, `1h30m`, `7d` to milliseconds. A bare `0` is zero. */
export function parseDuration(text: string): number {
  const s = text.trim()
  if (s === '0') return 0
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy
  let total = 0
  let matched = 0
  let m: RegExpExecArray | null
  while ((m = part.exec(s))) {
    total += Number(m[1]) * DURATION_UNITS[m[2]]
    matched = part.lastIndex
  }
  if (s.length === 0 || matched !== s.length || !Number.isFinite(total)) throw new InputFormError(text, DURATION_FORM)
  return Math.round(total)
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms)
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${+(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`
  const parts: string[] = []
  let rest = Math.round(ms / 1000)
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size)
    if (n > 0) parts.push(`${n}${unit}`)
    rest -= n * size
  }
  return parts.slice(0, 2).join('')
}

/** `1536` → `1.50 KiB`: sizes in sentences. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`
}

export const PERCENT_FORM = 'a percentage such as 10% or 0.1%'

/** Parses `10%` to 0.1. */
export function parsePercent(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text)
  if (!m) throw new InputFormError(text, PERCENT_FORM)
  return Number(m[1]) / 100
}

export const RATIO_FORM = 'a ratio such as 1.5x'

/** Parses `1.5x` to 1.5. */
export function parseRatio(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*x\s*$/i.exec(text)
  if (!m) throw new InputFormError(text, RATIO_FORM)
  return Number(m[1])
}

export interface StatusRange {
  from: number
  to: number
}

export const STATUS_FORM = 'HTTP status codes or ranges between 100 and 599, such as 200, 204 or 200-299 (comma or newline separated)'

/** Parses `200`, `200-299`, `200,204` into ranges. */
export function parseStatusRanges(text: string): StatusRange[] {
  const items = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (items.length === 0) throw new InputFormError(text, STATUS_FORM)
  return items.map((item) => {
    const m = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(item)
    if (!m) throw new InputFormError(item, STATUS_FORM)
    const from = Number(m[1])
    const to = m[2] ? Number(m[2]) : from
    if (from < 100 || to > 599 || from > to) throw new InputFormError(item, STATUS_FORM)
    return { from, to }
  })
}

export function statusInRanges(code: number, ranges: StatusRange[]): boolean {
  return ranges.some((r) => code >= r.from && code <= r.to)
}

export function formatStatusRanges(ranges: StatusRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(', ')
}

/** A duration parser bounded to [min, max] ms; `form` is the sentence quoted when refused. */
export function boundedDuration(min: number, max: number, form: string): (raw: string) => number {
  return (raw) => {
    let ms: number
    try {
      ms = parseDuration(raw)
    } catch {
      throw new InputFormError(raw, form)
    }
    if (ms < min || ms > max) throw new InputFormError(raw, form)
    return ms
  }
}

export const INSTANT_FORM = 'an instant with its offset, such as `2026-03-29T01:30:00Z` or `2026-03-29T03:30:00+02:00`'

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()

/** `YYYY-MM-DD` naming a day the calendar has (Date.parse would take 2026-02-30 as March 2nd). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)
}

/** An ISO 8601 instant that says its offset (`Z` or `±hh:mm`): a local time alone names no instant. */
export function parseInstant(text: string, form = INSTANT_FORM): Date {
  const t = text.trim()
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/i.exec(t)
  const ms = Date.parse(t)
  const valid =
    m &&
    isCalendarDate(m[1]) &&
    Number(m[2]) <= 23 &&
    Number(m[3]) <= 59 &&
    Number(m[4] ?? 0) <= 59 &&
    Number(m[6] ?? 0) <= 14 &&
    Number(m[7] ?? 0) <= 59 &&
    Number.isFinite(ms)
  if (!valid) throw new InputFormError(text, form)
  return new Date(ms)
}
