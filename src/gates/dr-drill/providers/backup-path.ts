/**
 * RPO in time: the age of the newest file in `backup-path`, hashed and recorded as a snapshot.
 */
import { check } from '../../../core/result.js'
import { formatDuration } from '../../../core/units.js'
import { abs, errorText, location, shown, size, snapshot, type Drill, type DrillProvider } from '../drill.js'
import { fileFacts, newestFile, type FileFacts } from '../files.js'

async function backupAge(d: Drill): Promise<void> {
  const dir = d.s['backup-path']!
  const budget = d.s.rpo.ms!
  const expected = `newest backup at most ${formatDuration(budget)} old`
  const started = d.ctx.now().getTime()
  let facts: FileFacts
  let files: number
  try {
    const newest = await newestFile(abs(d, dir), d.ctx.fs)
    if (!newest) {
      d.steps.push({ name: 'backup-path', ms: d.ctx.now().getTime() - started, result: 'no backup found' })
      d.checks.push(
        check(
          'fail',
          'backup-path',
          'no backup file',
          expected,
          `${shown(d, dir)} holds no backup file, so nothing could be restored: take a backup there, or point \`backup-path\` at where backups are written.`,
        ),
      )
      return
    }
    files = newest.files
    facts = await fileFacts(newest.path, d.ctx.fs)
  } catch (err) {
    d.steps.push({ name: 'backup-path', ms: d.ctx.now().getTime() - started, result: 'unreadable' })
    d.checks.push(
      check(
        'fail',
        'backup-path',
        `unreadable (${errorText(err)})`,
        expected,
        `The backup folder ${shown(d, dir)} could not be read: ${errorText(err)}. Check \`backup-path\` and that the runner can read the backups.`,
      ),
    )
    return
  }
  d.steps.push({
    name: 'backup-path',
    ms: d.ctx.now().getTime() - started,
    result: `newest of ${files} file${files === 1 ? '' : 's'} hashed`,
  })
  d.snapshots.push(snapshot('newest backup', shown(d, facts.path), facts))
  const age = d.ctx.now().getTime() - facts.mtime.getTime()
  d.metrics.backup_age_ms = Math.max(0, Math.round(age))
  const name = shown(d, facts.path)
  const observed = `${name}: ${age >= 0 ? `${formatDuration(age)} old` : `dated ${formatDuration(-age)} in the future`}`
  d.rpoLines.push(`time: newest backup **${age >= 0 ? formatDuration(age) : '0s'} old**, budget ${formatDuration(budget)}`)
  const loc = location(d, facts.path)
  if (facts.size === 0) {
    // A backup job that failed often leaves its file behind, empty and fresh.
    d.checks.push(
      check(
        'fail',
        'backup-path',
        `${name}: empty (0 bytes)`,
        expected,
        `The newest backup ${name} is empty (0 bytes, written ${facts.mtime.toISOString()}), so nothing could be restored from it: the last backup run likely failed. Check the backup job's log and take a fresh backup.`,
        loc,
      ),
    )
  } else if (age < -5 * 60_000) {
    d.checks.push(
      check(
        'warn',
        'backup-path',
        observed,
        expected,
        `The newest backup ${name} is dated ${formatDuration(-age)} in the future (${facts.mtime.toISOString()}), so its age cannot be trusted: check the clocks of the backup host and the runner.`,
        loc,
      ),
    )
  } else if (age > budget) {
    d.checks.push(
      check(
        'fail',
        'backup-path',
        observed,
        expected,
        `The newest backup ${name} was written ${formatDuration(age)} ago (${facts.mtime.toISOString()}), ${formatDuration(age - budget)} over the RPO of ${formatDuration(budget)}: a restore now would lose that much data. Take a fresh backup and check the backup schedule.`,
        loc,
      ),
    )
  } else {
    d.checks.push(
      check(
        'pass',
        'backup-path',
        observed,
        expected,
        `The newest backup ${name} (${size(facts.size)}, SHA-256 ${facts.sha256.slice(0, 16)}…) is ${formatDuration(Math.max(0, age))} old, within the RPO of ${formatDuration(budget)}.`,
        loc,
      ),
    )
  }
}

export const backupPath: DrillProvider = {
  name: 'backup-path',
  applies: (s) => s['backup-path'] !== undefined,
  run: backupAge,
}
