/**
 * RPO from the WAL archiver of `postgres-url` (the primary): segments written but not archived,
 * the age of the last archived one, and the archiver's failures.
 */
import { check } from '../../../core/result.js'
import { formatDuration } from '../../../core/units.js'
import { describeEnd } from '../../../lib/process.js'
import { formatFiles, formatRpo } from '../budget.js'
import { howItEnded, pgRun, size, type Drill, type DrillProvider } from '../drill.js'
import { archiverStatus, type PgTarget } from '../postgres.js'
import { WalError, walLag } from '../wal.js'

const iso = (epochSeconds: number) => new Date(Math.round(epochSeconds * 1000)).toISOString()

async function walRpo(d: Drill, target: PgTarget): Promise<void> {
  const where = `PostgreSQL at ${target.display}`
  const { rpo } = d.s
  const expected = [
    rpo.files !== undefined ? `at most ${formatFiles(rpo.files)} unarchived` : '',
    rpo.ms !== undefined ? `last archived at most ${formatDuration(rpo.ms)} before unarchived WAL` : '',
  ]
    .filter(Boolean)
    .join('; ')
  const r = await archiverStatus(target, pgRun(d, Math.min(d.limit, 120_000)))
  d.steps.push({ name: 'wal-archiver', ms: r.run.durationMs, result: r.status ? 'read' : describeEnd(r.run) })
  const fail = (observed: string, message: string): void => {
    d.checks.push(check('fail', 'wal-archive', observed, expected, message))
  }
  if (!r.status) {
    if (r.error) return fail('unexpected answer', `${where} gave an unexpected answer to the archiver query: ${r.error}.`)
    return fail(
      'not measured',
      `The WAL archiver of ${where} could not be read: psql ${howItEnded(d, r.run, 'psql')}. Check \`postgres-url\`, the network path and the credentials.`,
    )
  }
  const a = r.status
  d.metrics.archiver_archived_count = a.archivedCount
  d.metrics.archiver_failed_count = a.failedCount
  if (a.inRecovery) {
    return fail(
      'server is a standby',
      `${where} is a standby in recovery; WAL archiving is measured on the primary. Point \`postgres-url\` at the primary.`,
    )
  }
  if (a.archiveMode === 'off') {
    return fail(
      'archive_mode off',
      `${where} has archive_mode off: no WAL is archived, so everything since the last base backup would be lost. Set archive_mode = on and an archive_command (or archive_library).`,
    )
  }
  if (!a.lastArchivedWal || a.lastArchivedTime === undefined) {
    const failing =
      a.failedCount > 0
        ? ` The archiver has failed ${a.failedCount} time${a.failedCount === 1 ? '' : 's'}${a.lastFailedWal ? `, last on ${a.lastFailedWal}` : ''}.`
        : ''
    return fail(
      'nothing archived',
      `${where} has archived no WAL segment (archived_count ${a.archivedCount}), so the RPO cannot be measured and may be unbounded.${failing} Check archive_command and the archive destination; SELECT pg_switch_wal() forces a segment out.`,
    )
  }
  let lag
  try {
    lag = walLag(a.lastArchivedWal, a.wal ?? '', a.lsn ?? '', a.segmentSize)
  } catch (err) {
    const why = err instanceof WalError ? err.message : String(err)
    return fail(
      'not measured',
      `The unarchived WAL of ${where} could not be counted: ${why} (last archived ${a.lastArchivedWal}, current ${a.wal}). Force a segment switch with SELECT pg_switch_wal() and run the drill again.`,
    )
  }
  const age = Math.max(0, a.now - a.lastArchivedTime) * 1000
  d.metrics.wal_unarchived_segments = lag.segments
  d.metrics.wal_unarchived_bytes = Number(lag.bytes)
  d.metrics.wal_last_archived_age_ms = Math.round(age)
  const failing = a.failedCount > 0 && a.lastFailedTime !== undefined && a.lastFailedTime >= a.lastArchivedTime
  const failure = failing
    ? ` The archiver is failing: ${a.failedCount} failure${a.failedCount === 1 ? '' : 's'} since its statistics were reset, the last on ${a.lastFailedWal ?? '?'} at ${iso(a.lastFailedTime!)}; check archive_command and the archive destination (the server log names the error).`
    : ''
  const position = `last archived ${a.lastArchivedWal} at ${iso(a.lastArchivedTime)} (${formatDuration(age)} ago), current ${a.wal} at ${a.lsn}, ${size(lag.bytes)} of WAL since`
  const observed = `${lag.segments} segment${lag.segments === 1 ? '' : 's'} unarchived, last archived ${formatDuration(age)} ago${failing ? `, archiver failing (${a.failedCount} failures)` : ''}`
  d.rpoLines.push(
    `WAL: **${formatFiles(lag.segments)}** (segments) not archived on ${target.display}, ${size(lag.bytes)}; last archived ${formatDuration(age)} ago`,
  )
  d.ctx.log(`wal-archive: ${observed}`)

  const verdicts: string[] = []
  if (rpo.files !== undefined && lag.segments > rpo.files) {
    verdicts.push(
      `${where} has ${lag.segments} WAL segment${lag.segments === 1 ? '' : 's'} not yet archived, above the RPO of ${formatFiles(rpo.files)}: losing the primary now would lose them.`,
    )
  }
  // Age only matters when WAL is waiting: an idle server's last archive may be old with nothing at risk.
  if (rpo.ms !== undefined && lag.bytes > 0n && age > rpo.ms) {
    verdicts.push(
      `WAL has waited on ${where} since the last segment was archived ${formatDuration(age)} ago, above the RPO of ${formatDuration(rpo.ms)}; set archive_timeout below the RPO so segments leave in time.`,
    )
  }
  if (verdicts.length) return fail(observed, `${verdicts.join(' ')} Position: ${position}.${failure}`)
  if (failing) {
    d.checks.push(
      check(
        'warn',
        'wal-archive',
        observed,
        expected,
        `${where} is within the RPO (${lag.segments} segment${lag.segments === 1 ? '' : 's'} unarchived), but the latest archive attempt failed: the next segment switch will add to the loss.${failure}`,
      ),
    )
    return
  }
  d.checks.push(
    check(
      'pass',
      'wal-archive',
      observed,
      expected,
      `${where} archives its WAL: ${lag.segments} segment${lag.segments === 1 ? '' : 's'} unarchived (${position}), within the RPO of ${formatRpo(rpo)}.`,
    ),
  )
}

export const walArchiver: DrillProvider = {
  name: 'wal-archiver',
  applies: (s) => s['postgres-url'] !== undefined && s['postgres-dump'] === undefined,
  run: (d) => walRpo(d, d.s['postgres-url']!),
}
