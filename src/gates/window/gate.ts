/**
 * window: the cutover runs only inside its maintenance window (the Wien runbook's "Sunday
 * 02:00-06:00 CET (4h)", Summit's "Go-Live Window Defined"), never on a frozen day, and only
 * when enough of the window remains for what the cutover needs. A fail says when the next
 * window long enough opens, in local time and in UTC.
 */
import { defineGate } from '../../core/gate.js'
import { check, type Check } from '../../core/result.js'
import { formatDuration } from '../../core/units.js'
import { schedule, type Interval } from './schedule.js'
import { windowInputs, type WeeklyWindow, windowAction } from './spec.js'
import { localText, offsetAt, utcText } from './zoned.js'

const DAY = 86_400_000
/** Far enough for a year-end freeze and then some; beyond it the deny list is the problem. */
const HORIZON = 730 * DAY

const names = (ws: WeeklyWindow[]) => ws.map((w) => w.text).join(', ')

/** `Sun 2026-03-29 03:00 Europe/Vienna (UTC+2) = 2026-03-29 01:00 UTC`. */
const both = (w: WeeklyWindow, ms: number) => `${localText(w.zone, ms, w.zoneName)} = ${utcText(ms)}`

/** Why an opening is longer or shorter than its window says: the clocks change that night. */
function clockChange(i: Interval): string {
  const w = i.windows[0]
  const nominal = (w.end - w.start) * 60_000
  const changed = offsetAt(w.zone, i.from - 1) !== offsetAt(w.zone, i.to - 1)
  return i.windows.length === 1 && i.to - i.from !== nominal && changed
    ? ` (not ${formatDuration(nominal)}: the clocks of ${w.zoneName} change that night)`
    : ''
}

function describeOpening(i: Interval): string {
  const w = i.windows[0]
  return `The next allowed window (${names(i.windows)}) opens ${both(w, i.from)} and lasts ${formatDuration(i.to - i.from)}${clockChange(i)}.`
}

/** Windows that join up without a break close beyond anything worth saying. */
const OPEN_ENDED = 30 * DAY

export const windowGate = defineGate({
  name: 'window',
  category: 'Ops',
  criteria: { en: 'Maintenance window active', tr: 'Bakım penceresi aktif' },
  ...windowAction,
  inputs: windowInputs,
  outputs: {
    'next-open': 'When the next allowed window long enough for `needs` opens (ISO 8601, UTC); empty when none opens within two years.',
    'window-closes': 'When the window in force closes (ISO 8601, UTC); empty outside a window.',
  },
  async run(s, ctx) {
    const now = ctx.now()
    const at = s['as-of'] ?? now
    const t = at.getTime()
    const needs = s.needs
    const deny = s.deny ?? []
    const checks: Check[] = []
    if (!Number.isFinite(t)) {
      const c = check(
        'fail',
        'window',
        'no valid time',
        'the current time',
        'The clock gave no valid time, so whether the window is open cannot be told. Run the gate again.',
      )
      return { checks: [c] }
    }

    // A short look first; the long one only when freezes push the next window far out.
    let plan = schedule(s.allow, deny, t, t + 35 * DAY)
    const long = (i: Interval) => i.to - i.from >= Math.max(needs, 1)
    const find = () => ({
      current: plan.intervals.find((i) => i.from <= t && t < i.to),
      next: plan.intervals.find((i) => i.from > t && long(i)),
    })
    let { current, next } = find()
    if (!next) {
      plan = schedule(s.allow, deny, t, t + HORIZON)
      ;({ current, next } = find())
    }

    const shownIn = current?.windows[0] ?? next?.windows[0] ?? s.allow[0]
    const itIs = `it is ${both(shownIn, t)}`
    const nextText = next
      ? describeOpening(next)
      : `No allowed window${needs ? ` of at least ${formatDuration(needs)}` : ''} opens within two years of ${utcText(t)}: check \`allow\` and \`deny\`.`
    const outputs: Record<string, string> = { 'next-open': next ? new Date(next.from).toISOString() : '', 'window-closes': '' }
    const expected = `inside ${names(s.allow)}`
    const metrics: Record<string, number> = {}
    if (next) metrics.next_open_in_ms = next.from - t

    if (current) {
      const w = current.windows[0]
      const left = current.to - t
      const openEnded = left > OPEN_ENDED
      if (!openEnded) outputs['window-closes'] = new Date(current.to).toISOString()
      metrics.remaining_ms = Math.min(left, OPEN_ENDED)
      checks.push(
        check(
          'pass',
          'window',
          `inside ${names(current.windows)}, ${openEnded ? 'more than 30d' : formatDuration(left)} left`,
          expected,
          openEnded
            ? `Inside the maintenance window (${names(current.windows)}): ${itIs}; the windows join up without a break for more than 30 days.`
            : `Inside the maintenance window (${names(current.windows)}): ${itIs}; it closes ${both(w, current.to)}, in ${formatDuration(left)}${clockChange(current)}.`,
        ),
      )
      if (needs > 0) {
        const enough = left >= needs
        checks.push(
          check(
            enough ? 'pass' : 'fail',
            'needs',
            `${formatDuration(left)} left`,
            `at least ${formatDuration(needs)} left`,
            enough
              ? `${formatDuration(left)} of the window remain, at least the ${formatDuration(needs)} the cutover needs.`
              : `Only ${formatDuration(left)} of the window remain (it closes ${both(w, current.to)}), less than the ${formatDuration(needs)} the cutover needs (\`needs\`): do not start now. ${nextText}`,
          ),
        )
      }
    } else {
      const frozen = plan.frozenBy(t)
      const why = frozen ? ` and ${frozen.from === frozen.to ? frozen.from : frozen.text} is frozen (\`deny\`)` : ''
      checks.push(
        check(
          'fail',
          'window',
          frozen ? `frozen by ${frozen.text}` : 'outside every window',
          expected,
          `Outside the maintenance window (${names(s.allow)}): ${itIs}${why}. ${nextText}`,
        ),
      )
    }

    if (s['as-of']) {
      checks.push(
        check(
          'warn',
          'as-of',
          `evaluated at ${at.toISOString()}`,
          'evaluated now',
          `Evaluated at \`as-of\` ${utcText(t)}, not now (${utcText(now.getTime())}): this says whether the cutover may run then, not whether it may run now. Remove \`as-of\` for the cutover itself.`,
        ),
      )
    }

    const upcoming = plan.intervals.filter((i) => i.to > t).slice(0, 5)
    const details = [
      `**Maintenance windows** at ${utcText(t)}${s['as-of'] ? ' (`as-of`)' : ''}`,
      '',
      '| Window | Opens (local) | Opens (UTC) | Closes (local) | Length |',
      '|---|---|---|---|---|',
      ...upcoming.map((i) => {
        const w = i.windows[0]
        return `| ${names(i.windows)} | ${localText(w.zone, i.from, w.zoneName)} | ${utcText(i.from)} | ${localText(w.zone, i.to, w.zoneName)} | ${formatDuration(i.to - i.from)} |`
      }),
      ...(deny.length ? ['', `Frozen: ${deny.map((d) => d.text).join(', ')}.`] : []),
    ]
    return { checks, metrics, outputs, details: details.join('\n') }
  },
})
