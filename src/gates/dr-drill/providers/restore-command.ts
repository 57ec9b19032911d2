/**
 * restore-command, then verify-command: the restore timed as a whole against the RTO (killed with
 * its process group at the limit), and the restored system proven good by the verify script.
 */
import { check, type Check } from '../../../core/result.js'
import { formatDuration } from '../../../core/units.js'
import { DEFAULT_GRACE_MS, describeEnd, type RunOutcome } from '../../../lib/process.js'
import { howItEnded, keepTail, progress, tickMs, type Drill, type DrillProvider } from '../drill.js'

function bash(d: Drill, script: string, step: string, budget?: number): Promise<RunOutcome> {
  d.ctx.log(
    `${step}: started${budget !== undefined ? ` (RTO ${formatDuration(budget)}` : ' ('}${budget !== undefined ? ', ' : ''}killed at ${formatDuration(d.limit)})`,
  )
  return d.ctx.exec({
    argv: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
    cwd: d.ctx.cwd,
    env: d.ctx.env,
    limitMs: d.limit,
    graceMs: Math.min(DEFAULT_GRACE_MS, d.limit),
    now: () => d.ctx.now().getTime(),
    onTick: progress(d, step, budget),
    tickMs: tickMs(d.s.rto),
    ...(d.ctx.signal ? { signal: d.ctx.signal } : {}),
  })
}

async function commandDrill(d: Drill): Promise<void> {
  const { rto } = d.s
  const o = await bash(d, d.s['restore-command']!, 'restore-command', rto)
  d.steps.push({ name: 'restore-command', ms: o.durationMs, result: describeEnd(o) + (o.timedOut ? ' (timeout)' : '') })
  keepTail(d, 'restore-command', o)
  d.ctx.log(`restore-command: ${describeEnd(o)} after ${formatDuration(o.durationMs)}`)
  const expected = `exit 0 within ${formatDuration(rto)}`
  const ok = o.code === 0 && !o.timedOut && !o.cancelled
  if (ok) d.metrics.rto_ms = Math.round(o.durationMs)
  d.rtoLines.push(
    ok
      ? `restore-command: **${formatDuration(o.durationMs)}** of ${formatDuration(rto)}`
      : `restore-command: not restored (${describeEnd(o)} after ${formatDuration(o.durationMs)}), budget ${formatDuration(rto)}`,
  )
  if (!ok) {
    const missed = o.timedOut || o.durationMs > rto ? ` The RTO of ${formatDuration(rto)} was missed.` : ''
    d.checks.push(
      check(
        'fail',
        'restore-command',
        `${describeEnd(o)} after ${formatDuration(o.durationMs)}`,
        expected,
        `The restore ${howItEnded(d, o, 'bash')}.${missed} Read the output tail in the report, fix the restore and run the drill again.`,
      ),
    )
    if (d.s['verify-command']) d.steps.push({ name: 'verify-command', ms: 0, result: 'not run: the restore failed' })
    return
  }
  if (o.durationMs > rto) {
    d.checks.push(
      check(
        'fail',
        'restore-command',
        `${formatDuration(o.durationMs)}, exit 0`,
        expected,
        `The restore took ${formatDuration(o.durationMs)}, ${formatDuration(o.durationMs - rto)} over the RTO of ${formatDuration(rto)}. Make the restore faster (closer or incremental backups, parallel restore) or agree a longer RTO.`,
      ),
    )
  } else {
    d.checks.push(
      check(
        'pass',
        'restore-command',
        `${formatDuration(o.durationMs)}, exit 0`,
        expected,
        `The restore finished in ${formatDuration(o.durationMs)}, within the RTO of ${formatDuration(rto)} (${formatDuration(rto - o.durationMs)} to spare).`,
      ),
    )
  }
  if (!d.s['verify-command']) {
    // `source-manifest` compares what this restore wrote (it runs after it); nothing else checks it.
    if (!d.s['source-manifest']) d.checks.push(unverifiedRestore(o.durationMs))
    return
  }
  const v = await bash(d, d.s['verify-command'], 'verify-command')
  d.steps.push({ name: 'verify-command', ms: v.durationMs, result: describeEnd(v) + (v.timedOut ? ' (timeout)' : '') })
  keepTail(d, 'verify-command', v)
  d.ctx.log(`verify-command: ${describeEnd(v)} after ${formatDuration(v.durationMs)}`)
  const vok = v.code === 0 && !v.timedOut && !v.cancelled
  d.checks.push(
    check(
      vok ? 'pass' : 'fail',
      'verify-command',
      `${describeEnd(v)} after ${formatDuration(v.durationMs)}`,
      'exit 0',
      vok
        ? `The restored system passed verification in ${formatDuration(v.durationMs)}.`
        : `Verification of the restored system ${howItEnded(d, v, 'bash')}. The restore ran but what it restored is not proven good; read the output tail in the report.`,
    ),
  )
}

/** An exit code proves the script ran, not that the data came back: never a silent pass. */
function unverifiedRestore(ms: number): Check {
  return check(
    'warn',
    'verification',
    'nothing verified the restore',
    'the restored data checked by `verify-command` or `source-manifest` + `restored-path`',
    `The restore exited 0 after ${formatDuration(ms)}, but nothing checked what it restored: an exit code proves the script ran, not that the data came back. ` +
      'Give `verify-command` (a script that checks the restored system), or `source-manifest` with `restored-path` (the restored files compared with their SHA-256 sums); ' +
      'for a PostgreSQL dump, restore it with `postgres-dump` and check it with `verify-sql`.',
  )
}

export const restoreCommand: DrillProvider = {
  name: 'restore-command',
  applies: (s) => s['restore-command'] !== undefined,
  run: commandDrill,
}
