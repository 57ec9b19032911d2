/**
 * dr-drill: runs a disaster-recovery drill and measures it, instead of trusting a flag.
 *
 * - RTO: `restore-command` (bash) is timed as a whole, then `verify-command` must succeed. Each
 *   is killed with its whole process group if it outlives `timeout` (twice `rto` by default).
 * - RPO in files: `source-manifest` (SHA256SUMS of the data as it was) against `restored-path`.
 * - RPO in time: the age of the newest file in `backup-path`.
 * - PostgreSQL (`postgres-url`): WAL segments written but not archived, the age of the last
 *   archived one and the archiver's failures; with `postgres-dump`, a timed `pg_restore` into a
 *   scratch database that `verify-sql` checks and that is always dropped.
 *
 * Every snapshot touched is recorded with its path, size, SHA-256 and timestamp, and every step
 * with its duration, for the runbook's "Snapshot ID/Path + Timestamp + Checksum".
 */
import { defineGate } from '../../core/gate.js'
import { InputError } from '../../core/inputs.js'
import type { Drill, DrillProvider } from './drill.js'
import { backupPath } from './providers/backup-path.js'
import { pgDump } from './providers/pg-dump.js'
import { restoreCommand } from './providers/restore-command.js'
import { sourceManifest } from './providers/source-manifest.js'
import { walArchiver } from './providers/wal-archiver.js'
import { details } from './report.js'
import { drDrillInputs, inputProblems, drDrillAction } from './spec.js'

export { drDrillInputs } from './spec.js'

/** In this order: the restore first, so that `source-manifest` compares what it wrote. */
const PROVIDERS: DrillProvider[] = [restoreCommand, sourceManifest, backupPath, pgDump, walArchiver]

export const drDrill = defineGate({
  name: 'dr-drill',
  category: 'Infrastructure',
  criteria: { en: 'DR recovery validated', tr: 'DR kurtarma doğrulandı' },
  ...drDrillAction,
  inputs: drDrillInputs,
  async run(s, ctx) {
    const problems = inputProblems(s)
    if (problems.length) throw new InputError(problems)
    const d: Drill = {
      s,
      ctx,
      limit: s.timeout ?? 2 * s.rto,
      checks: [],
      metrics: {},
      steps: [],
      snapshots: [],
      tails: [],
      rtoLines: [],
      rpoLines: [],
    }
    d.metrics.rto_budget_ms = s.rto
    const measuresRpo = s['source-manifest'] || s['backup-path'] || (s['postgres-url'] && !s['postgres-dump'])
    if (measuresRpo && s.rpo.files !== undefined) d.metrics.rpo_budget_files = s.rpo.files
    if (measuresRpo && s.rpo.ms !== undefined) d.metrics.rpo_budget_ms = s.rpo.ms

    // With a dump, postgres-url is the server restored into: its WAL says nothing about the primary's RPO.
    for (const provider of PROVIDERS) if (provider.applies(s)) await provider.run(d)

    for (const step of d.steps) d.metrics[`step_ms:${step.name}`] = Math.round(step.ms)
    // runGate masks what the input specs register as secret (the postgres-url password), here and in the log.
    return { checks: d.checks, metrics: d.metrics, details: details(d) }
  },
})
