/**
 * The instants a cutover may run: every opening of every weekly window, turned into UTC
 * intervals in its own zone, minus the frozen days (whole days in that zone), merged where they
 * touch. Whether an instant is inside, how long remains, and when the next window opens are then
 * questions about a sorted list of intervals.
 */
import type { DenyRange, WeeklyWindow } from './spec.js'
import { addDays, dateText, instantOf, wallTimeAt, weekdayOf, type WallTime } from './zoned.js'

export interface Interval {
  from: number
  to: number
  /** The windows this interval came from (several when two touch or overlap). */
  windows: WeeklyWindow[]
}

/** One opening of one window, before frozen days are taken out. */
interface Opening {
  from: number
  to: number
  window: WeeklyWindow
  /** Local calendar date the window opened on. */
  date: string
}

const DAY = 86_400_000

/** The openings of `w` whose opening day lies between the local dates of `fromMs - 2 days` and `toMs`. */
function openings(w: WeeklyWindow, fromMs: number, toMs: number): Opening[] {
  const out: Opening[] = []
  const first = addDays(wallTimeAt(w.zone, fromMs), -2, 0)
  const days = Math.ceil((toMs - fromMs) / DAY) + 4
  for (let i = 0; i <= days; i++) {
    const date = addDays(first, i, 0)
    if (!w.days.includes(weekdayOf(date))) continue
    const open = instantOf(w.zone, { ...date, minute: w.start })
    const closeDate = addDays(date, Math.floor(w.end / 1440), w.end % 1440)
    const close = instantOf(w.zone, closeDate)
    if (close > open) out.push({ from: open, to: close, window: w, date: dateText(date) })
  }
  return out
}

/** The frozen span of `range` in the zone of `w`: local midnight of its first day to the one after its last. */
function frozen(w: WeeklyWindow, range: DenyRange): [number, number] {
  const wall = (text: string, plus: number): WallTime => {
    const [y, m, d] = text.split('-').map(Number)
    return addDays({ year: y, month: m, day: d, minute: 0 }, plus, 0)
  }
  return [instantOf(w.zone, wall(range.from, 0)), instantOf(w.zone, wall(range.to, 1))]
}

/** `[from, to)` minus every span of `cuts`. */
function subtract(from: number, to: number, cuts: [number, number][]): [number, number][] {
  let pieces: [number, number][] = [[from, to]]
  for (const [a, b] of cuts) {
    pieces = pieces.flatMap(([x, y]): [number, number][] => {
      if (b <= x || a >= y) return [[x, y]]
      return [
        [x, Math.min(a, y)],
        [Math.max(b, x), y],
      ].filter(([p, q]) => q > p) as [number, number][]
    })
  }
  return pieces
}

export interface Schedule {
  intervals: Interval[]
  /** Which deny entry froze an instant, if any did (in the zone of any window). */
  frozenBy(ms: number): DenyRange | undefined
}

/** The allowed intervals overlapping `[fromMs, toMs]`, sorted and merged. */
export function schedule(windows: WeeklyWindow[], deny: DenyRange[], fromMs: number, toMs: number): Schedule {
  const spans: { from: number; to: number; window: WeeklyWindow }[] = []
  const cutsOf = new Map(windows.map((w) => [w, deny.map((d) => frozen(w, d))]))
  for (const w of windows) {
    for (const o of openings(w, fromMs, toMs)) {
      for (const [a, b] of subtract(o.from, o.to, cutsOf.get(w)!)) spans.push({ from: a, to: b, window: w })
    }
  }
  spans.sort((a, b) => a.from - b.from || a.to - b.to)
  const intervals: Interval[] = []
  for (const s of spans) {
    const last = intervals.at(-1)
    if (last && s.from <= last.to) {
      last.to = Math.max(last.to, s.to)
      if (!last.windows.includes(s.window)) last.windows.push(s.window)
    } else intervals.push({ from: s.from, to: s.to, windows: [s.window] })
  }
  return {
    intervals: intervals.filter((i) => i.to > fromMs - DAY && i.from <= toMs),
    frozenBy(ms) {
      for (const w of windows) {
        const hit = deny.find((d, i) => {
          const [a, b] = cutsOf.get(w)![i]
          return ms >= a && ms < b
        })
        if (hit) return hit
      }
      return undefined
    },
  }
}
