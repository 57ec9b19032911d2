/**
 * Every source (certificate files, live endpoints, inventories, GitHub secrets) reduces to the same
 * thing: something with a subject that stops being acceptable at an instant. One judgement and one
 * table serve them all, so a certificate and a secret read the same in the report.
 */
import { check, type Check, type Location, type Status } from '../../core/result.js'
import { formatDuration } from '../../core/units.js'
import { DAY_MS, formatDays, formatInstant, isInstant } from './dates.js'
import { cell as mdCell, table } from '../../lib/markdown.js'

export interface KeyItem {
  /** Where it was found, for the table and the check name: `certs/api.pem (2 of 3)`, `api.test:443 (leaf)`. */
  source: string
  /** What it is: `CN=api.test; SANs api.test, www.api.test`, a key name, a secret name. */
  subject: string
  /** The head of the sentence: `Certificate 2 of 3 in certs/api.pem (CN=...; issued by CN=...)`. */
  describe: string
  /** A shorter head for sentences that give the dates themselves (defaults to describe). */
  short?: string
  /** When it stops being acceptable: notAfter, `created` + `max-age`, `updated_at` + `max-secret-age`. */
  expires: Date
  /** Before this it is not in force (certificate notBefore, key creation, secret update). */
  validFrom?: Date
  /** How validFrom is named in sentences: `is not valid before`, `was created`. */
  validFromWords?: string
  owner?: string
  /** What to do when it is close: one or two sentences. */
  action: string
  location?: Location
}

export interface Limits {
  asOf: Date
  warnWithin: number
  failWithin: number
}

export interface Judged {
  item: KeyItem
  check: Check
  /** expires - asOf, negative once expired. */
  leftMs: number
}

export function judge(item: KeyItem, limits: Limits): Judged {
  const { asOf, warnWithin, failWithin } = limits
  const leftMs = item.expires.getTime() - asOf.getTime()
  const asOfText = formatInstant(asOf)
  const expiresText = formatInstant(item.expires)
  const name = `${item.source}: ${item.subject}`
  const expected = `at least ${formatDuration(warnWithin)} left (fail under ${formatDuration(failWithin)})`
  const owner = item.owner ? ` Owner: ${item.owner}.` : ''
  const callOwner = item.owner ? ` Call its owner: ${item.owner}.` : ''

  // NaN compares false with every threshold: without this it would fall through to a pass.
  if (!isInstant(item.expires) || !Number.isFinite(leftMs)) {
    const message = `${item.short ?? item.describe} has no expiry a clock can hold, so whether it is still valid cannot be told. ${item.action}${callOwner}`
    return { item, leftMs: NaN, check: check('fail', name, 'no valid expiry', expected, message, item.location) }
  }

  if (item.validFrom && item.validFrom.getTime() > asOf.getTime()) {
    const early = item.validFrom.getTime() - asOf.getTime()
    const observed = `not valid before ${formatInstant(item.validFrom)} (${formatDays(early)} days after as-of)`
    const message =
      `${item.short ?? item.describe} ${item.validFromWords ?? 'is not valid before'} ${formatInstant(item.validFrom)}, ` +
      `${formatDays(early)} days after as-of ${asOfText}, so it is not in force then. ` +
      `Check its dates (and the clock of whoever issued it), or move \`as-of\`.${callOwner}`
    return { item, leftMs, check: check('fail', name, observed, expected, message, item.location) }
  }

  const observed =
    leftMs > 0 ? `expires ${expiresText} (${formatDays(leftMs)} days left)` : `expired ${expiresText} (${formatDays(-leftMs)} days ago)`
  let status: Status
  let verdict: string
  if (leftMs <= 0) {
    status = 'fail'
    verdict = `${item.describe} expired ${expiresText}, ${formatDays(-leftMs)} days before as-of ${asOfText}.`
  } else if (leftMs < failWithin) {
    status = 'fail'
    verdict = `${item.describe} expires ${expiresText}: ${formatDays(leftMs)} days left as of ${asOfText}, under fail-within ${formatDuration(failWithin)}.`
  } else if (leftMs < warnWithin) {
    status = 'warn'
    verdict = `${item.describe} expires ${expiresText}: ${formatDays(leftMs)} days left as of ${asOfText}, under warn-within ${formatDuration(warnWithin)}.`
  } else {
    status = 'pass'
    verdict = `${item.describe} expires ${expiresText}: ${formatDays(leftMs)} days left, at least ${formatDuration(warnWithin)} as required.`
  }
  const message = status === 'pass' ? `${verdict}${owner}` : `${verdict} ${item.action}${callOwner}`
  return { item, leftMs, check: check(status, name, observed, expected, message, item.location) }
}

/** Soonest first: what needs attention first is read first (an item without a valid expiry before all). */
export function byTimeLeft(a: Judged, b: Judged): number {
  const [x, y] = [a.leftMs, b.leftMs].map((ms) => (Number.isNaN(ms) ? -Infinity : ms))
  if (x !== y) return x < y ? -1 : 1
  return a.item.source.localeCompare(b.item.source) || a.item.subject.localeCompare(b.item.subject)
}

const cell = (s: string) => mdCell(s, Infinity, { backslashes: true, empty: '-' })

/** One markdown table of every item, soonest first. */
export function itemsTable(judged: Judged[], limits: Limits): string {
  const head =
    `As of ${formatInstant(limits.asOf)}: fail under ${formatDuration(limits.failWithin)} left, ` +
    `warn under ${formatDuration(limits.warnWithin)} left.`
  if (judged.length === 0) return `${head}\n\nNo certificate, key or secret was read.`
  const rows = [...judged].sort(byTimeLeft).map((j) => {
    const days = Number.isFinite(j.leftMs) ? formatDays(j.leftMs) : '-'
    return `| ${cell(j.item.source)} | ${cell(j.item.subject)} | ${formatInstant(j.item.expires)} | ${days} | ${cell(j.item.owner ?? '')} | ${j.check.status} |`
  })
  return [head, '', table(['source', 'subject', 'expires', 'days left', 'owner', 'status'], rows, [3])].join('\n')
}

export function daysLeft(ms: number): number {
  return Math.round((ms / DAY_MS) * 10) / 10
}
