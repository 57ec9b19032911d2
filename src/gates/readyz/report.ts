/** What readyz says: the progress line of each round, the final check of each URL, and the table. */
import { check, type Check, type Status } from '../../core/result.js'
import { formatDuration, formatStatusRanges } from '../../core/units.js'
import { cell, table } from '../../lib/markdown.js'
import type { Plan, Probe } from './probe.js'

export interface UrlState {
  url: string
  /** The URL as it may be shown: user-info, query values and fragment masked. */
  shown: string
  passStreak: number
  /** Probes in a row that were pass or warn: a degraded but answering service. */
  okStreak: number
  best: number
  probes: number
  done: boolean
  last?: Probe
}

/** Two URLs that differ only in masked parts would share a check name and a metric: number them. */
export function distinctNames(names: string[]): string[] {
  const seen = new Map<string, number>()
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1
    seen.set(n, k)
    return k === 1 ? n : `${n} (#${k})`
  })
}

export function progressLine(
  round: number,
  states: UrlState[],
  consecutive: number,
  stop: boolean,
  roundsLeft: number,
  left: string,
): string {
  const ready = states.filter((u) => u.done).length
  const parts = [`round ${round}: ${ready} of ${states.length} URL${states.length === 1 ? '' : 's'} ready`]
  for (const u of states) {
    if (u.done) continue
    parts.push(`${u.shown} ${u.passStreak}/${consecutive} in a row (${u.last?.short ?? 'not probed'})`)
  }
  if (ready === states.length) parts.push('done')
  else if (!stop || left === 'cancelled') parts.push(left)
  else if (roundsLeft > 0) parts.push(`stopping: ${consecutive} passes in a row can no longer be reached in the ${left}`)
  // The last round: "0s left" would read as if time remained; the wait is over.
  else parts.push('no rounds left')
  return parts.join('; ')
}

export function finalCheck(u: UrlState, plan: Plan, consecutive: number, wait: number, polling: boolean, cancelled: boolean): Check {
  const p = u.last as Probe
  const within = wait > 0 ? ` within ${formatDuration(wait)}` : ''
  const expected = [
    `HTTP ${formatStatusRanges(plan.ranges)}`,
    ...plan.assertions.map((a) => a.text),
    ...(consecutive > 1 ? [`${consecutive} passes in a row${within}`] : []),
  ].join('; ')
  const observed = consecutive > 1 ? `${p.observed}; ${u.done ? consecutive : u.best}/${consecutive} in a row` : p.observed
  if (u.done) {
    const inARow = consecutive > 1 ? ` It passed ${consecutive} times in a row.` : ''
    return check('pass', u.shown, observed, expected, `${p.text}${inARow}`, { url: u.shown })
  }
  const probes = wait > 0 ? `${u.probes} probe${u.probes === 1 ? '' : 's'}` : `${u.probes} of at most ${consecutive} probes, as wait is 0s`
  const quota = cancelled
    ? `The run was cancelled after ${u.probes} probe${u.probes === 1 ? '' : 's'}, before ${consecutive === 1 ? 'a pass' : `${consecutive} passes in a row`}.`
    : !polling
      ? ''
      : consecutive > 1
        ? `Needed ${consecutive} passes in a row, saw ${u.best}${within} (${probes}).`
        : `Saw no pass${within} (${probes}).`
  const status: Status = u.okStreak >= consecutive ? 'warn' : 'fail'
  const settle = polling ? 'Raise `wait` if the service needs longer to settle, or find why it is not ready.' : ''
  const message = [p.text, quota, p.status === 'pass' ? settle : p.next || settle].filter(Boolean).join(' ')
  return check(status, u.shown, observed, expected, message, { url: u.shown })
}

export function detailsTable(states: UrlState[], checks: Check[]): string {
  const rows = states.map((u, i) => {
    const p = u.last as Probe
    return `| ${cell(u.shown)} | ${p.http ?? '-'} | ${cell(p.format)} | ${Math.round(p.latencyMs)}ms | ${checks[i].status} |`
  })
  return table(['URL', 'HTTP', 'body format', 'latency', 'verdict'], rows)
}

// ---------------------------------------------------------------------------------------------
