/**
 * `postgres-dump`: a timed `pg_restore` into a scratch database on `postgres-url`, checked by
 * `verify-sql`, and always dropped. With a dump, postgres-url is the server restored into: the
 * runbook keeps restore drills off the production primary.
 */
import { check } from '../../../core/result.js'
import { formatDuration } from '../../../core/units.js'
import { describeEnd } from '../../../lib/process.js'
import {
  abs,
  errorText,
  howItEnded,
  keepTail,
  location,
  pgRun,
  progress,
  shown,
  size,
  snapshot,
  tickMs,
  type Drill,
  type DrillProvider,
} from '../drill.js'
import { fileFacts, type FileFacts } from '../files.js'
import { createScratch, dropScratch, judgeVerifyOutput, pgRestore, psql, scratchName, type PgTarget } from '../postgres.js'

/** The default verification of a restored dump without `verify-sql`: it restored at least one table. */
const DEFAULT_VERIFY_SQL = `SELECT count(*) > 0 AS restored_tables FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`
async function dumpDrill(d: Drill, target: PgTarget, dumpIn: string): Promise<void> {
  const { rto } = d.s
  const dump = abs(d, dumpIn)
  const where = `PostgreSQL at ${target.display}`
  const expected = `pg_restore succeeds within ${formatDuration(rto)}`
  // Hash first, not alongside the restore: on a busy runner the two compete for the cores
  // (measured: the restore slowed by more than the hash costs). A dump that cannot be read
  // fails here, before a database is created; and the read warms the cache for pg_restore.
  const hashStarted = d.ctx.now().getTime()
  let facts: FileFacts
  try {
    facts = await fileFacts(dump, d.ctx.fs)
  } catch (err) {
    d.steps.push({ name: 'hash dump', ms: d.ctx.now().getTime() - hashStarted, result: `failed (${errorText(err)})` })
    d.checks.push(
      check(
        'fail',
        'postgres-dump',
        `dump unusable (${errorText(err)})`,
        expected,
        `The dump ${shown(d, dumpIn)} cannot be restored: ${errorText(err)}. Point \`postgres-dump\` at a \`pg_dump -Fc\` file.`,
        location(d, dumpIn),
      ),
    )
    return
  }
  d.steps.push({
    name: 'hash dump',
    ms: d.ctx.now().getTime() - hashStarted,
    result: `${size(facts.size)}, SHA-256 ${facts.sha256.slice(0, 12)}…`,
  })
  d.snapshots.push(snapshot('postgres-dump', shown(d, dumpIn), facts))

  const name = scratchName()
  let rtoMs = 0
  let restored = false
  d.ctx.log(
    `postgres-dump: restoring ${shown(d, dumpIn)} into scratch database ${name} on ${target.display} (RTO ${formatDuration(rto)}, killed at ${formatDuration(d.limit)})`,
  )
  try {
    const c = await createScratch(target, name, pgRun(d))
    d.steps.push({ name: 'create scratch database', ms: c.durationMs, result: c.code === 0 ? name : describeEnd(c) })
    rtoMs += c.durationMs
    if (c.code !== 0 || c.timedOut || c.cancelled) {
      keepTail(d, 'create scratch database', c)
      d.checks.push(
        check(
          'fail',
          'postgres-dump',
          'scratch database not created',
          expected,
          `The scratch database ${name} could not be created on ${where}: psql ${howItEnded(d, c, 'psql')}. The role in \`postgres-url\` needs CREATEDB (or point it at a drill server where it has it).`,
        ),
      )
      return
    }
    const createMs = c.durationMs
    const r = await pgRestore(
      target,
      name,
      dump,
      pgRun(d, d.limit, { onTick: progress(d, 'pg_restore', rto, createMs), tickMs: tickMs(rto) }),
    )
    d.steps.push({ name: 'pg_restore', ms: r.durationMs, result: describeEnd(r) + (r.timedOut ? ' (timeout)' : '') })
    rtoMs += r.durationMs
    keepTail(d, 'pg_restore', r)
    d.ctx.log(`pg_restore: ${describeEnd(r)} after ${formatDuration(r.durationMs)}`)
    if (r.code !== 0 || r.timedOut || r.cancelled) {
      d.rtoLines.push(`postgres-dump: not restored (${describeEnd(r)} after ${formatDuration(rtoMs)}), budget ${formatDuration(rto)}`)
      const missed = r.timedOut ? ` The RTO of ${formatDuration(rto)} was missed.` : ''
      d.checks.push(
        check(
          'fail',
          'postgres-dump',
          `${describeEnd(r)} after ${formatDuration(rtoMs)}`,
          expected,
          `Restoring ${shown(d, dumpIn)} into a scratch database on ${where} failed: pg_restore ${howItEnded(d, r, 'pg_restore')}.${missed} The dump may be corrupt, truncated, or from a newer pg_dump; see the pg_restore output in the report.`,
          location(d, dumpIn),
        ),
      )
      return
    }
    restored = true
    d.metrics.dump_rto_ms = Math.round(rtoMs)
    d.rtoLines.push(
      `postgres-dump: **${formatDuration(rtoMs)}** of ${formatDuration(rto)} (create ${formatDuration(createMs)} + pg_restore ${formatDuration(r.durationMs)})`,
    )
    d.checks.push(
      rtoMs > rto
        ? check(
            'fail',
            'postgres-dump',
            `restored in ${formatDuration(rtoMs)}`,
            expected,
            `Restoring ${shown(d, dumpIn)} took ${formatDuration(rtoMs)}, ${formatDuration(rtoMs - rto)} over the RTO of ${formatDuration(rto)}. Restore in parallel (pg_dump -Fd and pg_restore -j), restore to faster storage, or agree a longer RTO.`,
            location(d, dumpIn),
          )
        : check(
            'pass',
            'postgres-dump',
            `restored in ${formatDuration(rtoMs)}`,
            expected,
            `${shown(d, dumpIn)} restored into a scratch database on ${where} in ${formatDuration(rtoMs)}, within the RTO of ${formatDuration(rto)} (${formatDuration(rto - rtoMs)} to spare).`,
          ),
    )

    const sql = d.s['verify-sql'] ?? DEFAULT_VERIFY_SQL
    const v = await psql(target, [sql], pgRun(d), { database: name, csv: true })
    d.steps.push({ name: 'verify-sql', ms: v.durationMs, result: describeEnd(v) + (v.timedOut ? ' (timeout)' : '') })
    const verdict = v.code === 0 && !v.timedOut && !v.cancelled && !v.stdoutOverflow ? judgeVerifyOutput(v.stdout) : undefined
    const what = d.s['verify-sql'] ? '`verify-sql`' : 'The default check (at least one table restored; give `verify-sql` to check the data)'
    if (!verdict) {
      keepTail(d, 'verify-sql', v)
      d.checks.push(
        check(
          'fail',
          'verify-sql',
          v.stdoutOverflow ? 'more than 1 MiB of output' : describeEnd(v),
          'a true or non-empty result',
          v.stdoutOverflow
            ? `${what} printed more than 1 MiB in the restored database; return one row, such as SELECT count(*) = 1000 FROM orders.`
            : `${what} could not run in the restored database: psql ${howItEnded(d, v, 'psql')}.`,
        ),
      )
    } else {
      d.checks.push(
        check(
          verdict.ok ? 'pass' : 'fail',
          'verify-sql',
          verdict.observed,
          'a true or non-empty result',
          verdict.ok
            ? `${what} returned ${verdict.observed} in the restored database (${formatDuration(v.durationMs)}).`
            : `${what} failed in the restored database: ${verdict.why}. The dump restored, but not the data the check expects: is the backup older than expected, or from the wrong database?`,
        ),
      )
    }
  } finally {
    // Always, even after a failure, a timeout or a cancellation: no signal, a limit of its own.
    const drop = await dropScratch(target, name, {
      exec: d.ctx.exec,
      fs: d.ctx.fs,
      cwd: d.ctx.cwd,
      env: d.ctx.env,
      now: () => d.ctx.now().getTime(),
      limitMs: Math.max(d.limit, 60_000),
    })
    d.steps.push({ name: 'drop scratch database', ms: drop.durationMs, result: drop.code === 0 ? 'dropped' : describeEnd(drop) })
    if (drop.code !== 0) {
      keepTail(d, 'drop scratch database', drop)
      d.checks.push(
        check(
          'fail',
          'scratch-database',
          'not dropped',
          'dropped',
          `The scratch database ${name} on ${where} could not be dropped: psql ${howItEnded(d, drop, 'psql')}. Drop it by hand: DROP DATABASE "${name}".`,
        ),
      )
    } else d.ctx.log(`postgres-dump: scratch database ${name} dropped${restored ? '' : ' after the failed restore'}`)
  }
}

export const pgDump: DrillProvider = {
  name: 'pg-dump',
  applies: (s) => s['postgres-url'] !== undefined && s['postgres-dump'] !== undefined,
  run: (d) => dumpDrill(d, d.s['postgres-url']!, d.s['postgres-dump']!),
}
