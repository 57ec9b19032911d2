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
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { defineGate, type GateContext } from '../../core/gate.js'
import { InputError, input, type Settings } from '../../core/inputs.js'
import { check, type Check, type Location } from '../../core/result.js'
import { formatBytes, formatDuration } from '../../core/units.js'
import { POSITIVE_DURATION_FORM, RPO_FORM, formatFiles, formatRpo, parsePositiveDuration, parseRpo } from './budget.js'
import { compareToManifest, fileFacts, newestFile, type FileFacts, type Loss } from './files.js'
import { MAX_MANIFEST_BYTES, ManifestError, parseManifest, showPath, type ManifestProblem } from '../../lib/manifest/manifest.js'
import {
  PG_URL_FORM,
  archiverStatus,
  createScratch,
  dropScratch,
  judgeVerifyOutput,
  parsePostgresUrl,
  pgRestore,
  postgresSecrets,
  psql,
  scratchName,
  type PgRun,
  type PgTarget,
} from './postgres.js'
import { DEFAULT_GRACE_MS, describeEnd, runProcess, type RunOutcome } from '../../lib/process.js'
import { lastLines } from '../../lib/tail.js'
import { WalError, walLag } from './wal.js'

export const drDrillInputs = {
  'restore-command': input.string(
    'A bash script that restores from the backup (run with `bash -eo pipefail`); its duration is the measured RTO.',
  ),
  'verify-command': input.string('A bash script run after `restore-command` succeeds; it must exit 0 for the restore to count.'),
  rto: input.custom(
    'string',
    POSITIVE_DURATION_FORM,
    parsePositiveDuration,
  )('Recovery time objective: the longest the restore may take.', {
    default: '15m',
  }),
  rpo: input.custom(
    'string',
    RPO_FORM,
    parseRpo,
  )(
    'Recovery point objective: `N files` (files lost from `source-manifest`, or WAL segments not yet archived), a duration (age of the newest backup in `backup-path`, or of the last archived WAL segment when WAL is waiting), or one of each, such as `1 file, 24h`.',
    { default: '1 file' },
  ),
  timeout: input.custom(
    'string',
    POSITIVE_DURATION_FORM,
    parsePositiveDuration,
  )(
    'Each step (restore, verify, pg_restore, verify-sql) is killed with its whole process group when it runs this long; twice `rto` when not set.',
  ),
  'source-manifest': input.string(
    'A SHA256SUMS file (written by `sha256sum`) of the data as it was; files missing or different under `restored-path` are the files lost.',
  ),
  'restored-path': input.string('The folder the restore wrote, compared against `source-manifest`.'),
  'backup-path': input.string('A backup folder (or file): the age of its newest file is compared against `rpo` as a duration.'),
  'postgres-url': input.custom(
    'string',
    PG_URL_FORM,
    parsePostgresUrl,
  )(
    'A postgresql:// URL. Alone: the primary, whose WAL segments not yet archived give the RPO. With `postgres-dump`: the server the dump is restored into (not the primary: measure its WAL in a separate drill). Treated as a secret.',
    { secret: postgresSecrets },
  ),
  'postgres-dump': input.string(
    'A `pg_dump -Fc` (or `-Ft`) file, restored with `pg_restore` into a scratch database that is always dropped; the restore time is the RTO.',
  ),
  'verify-sql': input.string(
    'SQL run in the restored scratch database; its last statement must return a row whose first value is true (or not false/NULL), such as `SELECT count(*) = 1000 FROM orders`.',
  ),
}

type DrSettings = Settings<typeof drDrillInputs>

/** A step of the drill, for the report's table. */
interface Step {
  name: string
  ms: number
  result: string
}

interface Snapshot {
  what: string
  path: string
  size: number
  sha256: string
  timestamp: string
}

interface OutputTail {
  step: string
  text: string
  cut: boolean
}

/** Everything one drill accumulates. */
interface Drill {
  s: DrSettings
  ctx: GateContext
  limit: number
  checks: Check[]
  metrics: Record<string, number>
  steps: Step[]
  snapshots: Snapshot[]
  tails: OutputTail[]
  rtoLines: string[]
  rpoLines: string[]
}

const TAIL_LINES = 40
const TAIL_CHARS = 6000
/** The default verification of a restored dump without `verify-sql`: it restored at least one table. */
const DEFAULT_VERIFY_SQL = `SELECT count(*) > 0 AS restored_tables FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`

export const drDrill = defineGate({
  name: 'dr-drill',
  category: 'Infrastructure',
  criteria: { en: 'DR recovery validated', tr: 'DR kurtarma doğrulandı' },
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

    if (s['restore-command']) await commandDrill(d)
    if (s['source-manifest']) await fileRpo(d)
    if (s['backup-path']) await backupAge(d)
    // With a dump, postgres-url is the server restored into: the runbook keeps restore drills off
    // the production primary, so that server's WAL says nothing about the primary's RPO.
    if (s['postgres-url'] && s['postgres-dump']) await dumpDrill(d, s['postgres-url'], s['postgres-dump'])
    else if (s['postgres-url']) await walRpo(d, s['postgres-url'])

    for (const step of d.steps) d.metrics[`step_ms:${step.name}`] = Math.round(step.ms)
    // runGate masks what the input specs register as secret (the postgres-url password), here and in the log.
    return { checks: d.checks, metrics: d.metrics, details: details(d) }
  },
})

/** Inputs that are each valid but do not make a drill together, one sentence each. */
function inputProblems(s: DrSettings): string[] {
  const out: string[] = []
  const given = (k: keyof DrSettings) => s[k] !== undefined
  if (!['restore-command', 'postgres-dump', 'source-manifest', 'backup-path', 'postgres-url'].some((k) => given(k as keyof DrSettings))) {
    out.push(
      'nothing to drill: give at least one of `restore-command`, `postgres-dump` (with `postgres-url`), `source-manifest` (with `restored-path`), `backup-path` or `postgres-url`',
    )
    return out
  }
  if (given('verify-command') && !given('restore-command'))
    out.push('`verify-command` runs after `restore-command`; give `restore-command` too')
  if (given('source-manifest') !== given('restored-path'))
    out.push('`source-manifest` and `restored-path` go together: the manifest says what the restored folder must hold')
  if (given('postgres-dump') && !given('postgres-url'))
    out.push('`postgres-dump` needs `postgres-url`: the server the dump is restored into')
  if (given('verify-sql') && !given('postgres-dump')) out.push('`verify-sql` checks a restored `postgres-dump`; give `postgres-dump` too')
  if (given('source-manifest') && s.rpo.files === undefined)
    out.push(
      `\`source-manifest\` measures the RPO in files lost, but \`rpo\` is ${formatRpo(s.rpo)}; write it as files, such as \`rpo: 1 file\` (or \`1 file, ${formatRpo(s.rpo)}\`)`,
    )
  if (given('backup-path') && s.rpo.ms === undefined)
    out.push(
      `\`backup-path\` measures the RPO as the age of the newest backup, but \`rpo\` is ${formatRpo(s.rpo)}; add a duration, such as \`rpo: ${formatRpo(s.rpo)}, 24h\``,
    )
  if (s.timeout !== undefined && s.timeout < s.rto)
    out.push(
      `\`timeout\` (${formatDuration(s.timeout)}) is shorter than \`rto\` (${formatDuration(s.rto)}): a restore would be killed before it could miss the RTO; raise \`timeout\``,
    )
  return out
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

const abs = (d: Drill, p: string) => path.resolve(d.ctx.cwd, p)

/** The path relative to the workspace, or undefined when it lies outside. */
function inWorkspace(d: Drill, p: string): string | undefined {
  const rel = path.relative(d.ctx.workspace, abs(d, p))
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined
}

/** A path as the report shows it: relative to the workspace when inside it. */
const shown = (d: Drill, p: string) => inWorkspace(d, p) ?? abs(d, p)

/** An annotation target: only files inside the workspace can be annotated. */
function location(d: Drill, p: string, line?: number): Location | undefined {
  const rel = inWorkspace(d, p)
  if (rel === undefined) return undefined
  return line !== undefined ? { path: rel, line } : { path: rel }
}

const size = (bytes: number | bigint) => formatBytes(Number(bytes))

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e?.code === 'ENOENT') return 'it does not exist'
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied'
  if (e?.code === 'ENOTDIR') return 'a part of the path is not a folder'
  if (e?.code === 'ENOTFILE') return 'it is not a regular file'
  return e?.message ?? String(err)
}

/**
 * The line of output a message quotes (the full tail goes into the details): the last error
 * line of a PostgreSQL tool (its last line is often a `^` pointer or a context line), else the
 * last non-empty line.
 */
function lastLine(text: string, preferErrors = false): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
  const errors = preferErrors ? lines.filter((l) => /\b(ERROR|FATAL|PANIC|error):/.test(l)) : []
  const line = errors.pop() ?? lines.pop() ?? ''
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

function keepTail(d: Drill, step: string, o: RunOutcome): void {
  if (!o.tail.trim()) return
  const t = lastLines(o.tail, TAIL_LINES, TAIL_CHARS)
  d.tails.push({ step, text: t.text, cut: t.cut || o.dropped > 0 })
}

function tickMs(rto: number): number {
  return Math.min(5000, Math.max(1000, Math.round(rto / 10)))
}

/** A progress line while a timed step runs: elapsed, budget left, when it will be killed. */
function progress(d: Drill, step: string, budget: number | undefined, sinceMs = 0) {
  return (elapsedMs: number) => {
    const el = sinceMs + elapsedMs
    const parts = [`${step}: ${formatDuration(el)} elapsed`]
    if (budget !== undefined) {
      parts.push(
        el <= budget
          ? `${formatDuration(budget - el)} of the ${formatDuration(budget)} RTO left`
          : `the ${formatDuration(budget)} RTO is exceeded by ${formatDuration(el - budget)}`,
      )
    }
    parts.push(`killed in ${formatDuration(Math.max(0, d.limit - elapsedMs))} if still running`)
    d.ctx.log(parts.join('; '))
  }
}

function pgRun(d: Drill, limitMs = d.limit, extra: Partial<PgRun> = {}): PgRun {
  return {
    cwd: d.ctx.cwd,
    env: d.ctx.env,
    now: () => d.ctx.now().getTime(),
    limitMs,
    ...(d.ctx.signal ? { signal: d.ctx.signal } : {}),
    ...extra,
  }
}

/** Why a child process did not succeed, as a clause: `exited 1`, `was killed after 30m (timeout)`. */
function howItEnded(d: Drill, o: RunOutcome, program: string): string {
  if (o.spawnError?.code === 'ENOENT') return `could not start: \`${program}\` is not on PATH`
  if (o.spawnError?.code === 'ENOCWD') return `could not start: its working folder ${d.ctx.cwd} does not exist`
  if (o.spawnError) return `could not start (${o.spawnError.code})`
  if (o.timedOut) return `was still running after ${formatDuration(d.limit)} (the timeout) and was killed with its process group`
  if (o.cancelled) return 'was cancelled, and killed with its process group'
  const last = lastLine(o.tail, program !== 'bash')
  return `${describeEnd(o).replace(/^exit/, 'exited')} after ${formatDuration(o.durationMs)}${last ? `: ${last}` : ''}`
}

// ---------------------------------------------------------------------------------------------
// restore-command / verify-command

function bash(d: Drill, script: string, step: string, budget?: number): Promise<RunOutcome> {
  d.ctx.log(
    `${step}: started${budget !== undefined ? ` (RTO ${formatDuration(budget)}` : ' ('}${budget !== undefined ? ', ' : ''}killed at ${formatDuration(d.limit)})`,
  )
  return runProcess({
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

// ---------------------------------------------------------------------------------------------
// RPO in files: source-manifest vs restored-path

async function fileRpo(d: Drill): Promise<void> {
  const manifestIn = d.s['source-manifest']!
  const restoredIn = d.s['restored-path']!
  const budget = d.s.rpo.files!
  const expected = `at most ${formatFiles(budget)} lost`
  const started = d.ctx.now().getTime()
  const record = (result: string) => d.steps.push({ name: 'source-manifest', ms: d.ctx.now().getTime() - started, result })
  const unusable = (why: string, line?: number) => {
    record('unusable manifest')
    d.checks.push(
      check(
        'fail',
        'source-manifest',
        'no usable manifest',
        expected,
        `The source manifest ${shown(d, manifestIn)} could not be used: ${why}. Write it with \`sha256sum\` over the source data (paths relative to the folder).`,
        location(d, manifestIn, line),
      ),
    )
  }
  let entries
  try {
    const st = await stat(abs(d, manifestIn))
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' })
    if (st.size > MAX_MANIFEST_BYTES) throw new ManifestError(`it is ${st.size} bytes; at most ${MAX_MANIFEST_BYTES} bytes are read`)
    const manifest = parseManifest(await readFile(abs(d, manifestIn)))
    if (manifest.problems.length) return unusable(describeProblems(manifest.problems), manifest.problems[0].line)
    if (manifest.entries.length === 0) return unusable('it lists no files')
    entries = manifest.entries
  } catch (err) {
    if (err instanceof ManifestError) return unusable(err.message, err.line)
    return unusable(errorText(err))
  }
  try {
    const st = await stat(abs(d, restoredIn))
    if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
  } catch (err) {
    record('restored folder missing')
    d.checks.push(
      check(
        'fail',
        'source-manifest',
        `restored folder unusable (${errorText(err)})`,
        expected,
        `The restored folder ${shown(d, restoredIn)} cannot be compared with ${shown(d, manifestIn)}: ${errorText(err)}. The restore did not produce it; check \`restored-path\` and the restore's output.`,
      ),
    )
    return
  }
  d.ctx.log(`source-manifest: hashing ${entries.length} file${entries.length === 1 ? '' : 's'} under ${shown(d, restoredIn)}`)
  const cmp = await compareToManifest(entries, abs(d, restoredIn))
  const lost = cmp.lost
  d.metrics.files_checked = cmp.checked
  d.metrics.files_lost = lost.length
  record(`${cmp.checked} files, ${size(cmp.bytes)} hashed, ${lost.length} lost`)
  const counts = countReasons(lost)
  const observed = `${formatFiles(lost.length)} of ${cmp.checked} lost${counts ? ` (${counts})` : ''}`
  d.rpoLines.push(`files: **${formatFiles(lost.length)} lost** of ${cmp.checked}, budget ${formatFiles(budget)}`)
  const listed = lost
    .slice(0, 10)
    .map((l) => describeLoss(l))
    .join('; ')
  const more = lost.length > 10 ? ` and ${lost.length - 10} more` : ''
  if (lost.length > budget) {
    d.checks.push(
      check(
        'fail',
        'source-manifest',
        observed,
        expected,
        `${formatFiles(lost.length)} of ${shown(d, manifestIn)} ${lost.length === 1 ? 'is' : 'are'} lost in ${shown(d, restoredIn)}, above the RPO of ${formatFiles(budget)}: ${listed}${more}. Back up more often or closer to the cutover, then drill again.`,
        location(d, manifestIn, lost[0].entry.line),
      ),
    )
  } else {
    const note = lost.length ? ` Lost within the budget: ${listed}${more}.` : ''
    d.checks.push(
      check(
        'pass',
        'source-manifest',
        observed,
        expected,
        `${cmp.checked - lost.length} of ${cmp.checked} files of ${shown(d, manifestIn)} were restored intact in ${shown(d, restoredIn)}; ${formatFiles(lost.length)} lost is within the RPO of ${formatFiles(budget)}.${note}`,
      ),
    )
  }
}

/** Lines that cannot be checked make the whole comparison unreliable: name them. */
function describeProblems(problems: ManifestProblem[]): string {
  // The shared reader words its reasons for evidence folders; the rule is the same here.
  const listed = problems
    .slice(0, 5)
    .map((p) => `line ${p.line} (${showPath(p.written, 80)}) ${p.reason.replace(/the evidence folder/g, 'the folder')}`)
  const more = problems.length > 5 ? ` and ${problems.length - 5} more` : ''
  return `${problems.length} line${problems.length === 1 ? '' : 's'} cannot be checked: ${listed.join('; ')}${more}`
}

function countReasons(lost: Loss[]): string {
  const by = new Map<string, number>()
  for (const l of lost) by.set(l.reason, (by.get(l.reason) ?? 0) + 1)
  return [...by].map(([r, n]) => `${n} ${r}`).join(', ')
}

function describeLoss(l: Loss): string {
  const name = JSON.stringify(l.entry.path)
  if (l.reason === 'different') return `${name} differs (SHA-256 ${l.observed!.slice(0, 12)}…, expected ${l.entry.digest.slice(0, 12)}…)`
  if (l.reason === 'unreadable') return `${name} is unreadable (${l.detail})`
  return `${name} is ${l.reason}`
}

// ---------------------------------------------------------------------------------------------
// RPO in time: newest backup in backup-path

async function backupAge(d: Drill): Promise<void> {
  const dir = d.s['backup-path']!
  const budget = d.s.rpo.ms!
  const expected = `newest backup at most ${formatDuration(budget)} old`
  const started = d.ctx.now().getTime()
  let facts: FileFacts
  let files: number
  try {
    const newest = await newestFile(abs(d, dir))
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
    facts = await fileFacts(newest.path)
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

function snapshot(what: string, p: string, f: FileFacts): Snapshot {
  return { what, path: p, size: f.size, sha256: f.sha256, timestamp: f.mtime.toISOString() }
}

// ---------------------------------------------------------------------------------------------
// RPO from the WAL archiver

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

// ---------------------------------------------------------------------------------------------
// postgres-dump: timed restore into a scratch database, verify-sql, always dropped

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
    facts = await fileFacts(dump)
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

// ---------------------------------------------------------------------------------------------
// The report

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s+/g, ' ')
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const f = '`'.repeat(longest + 1)
  return `${f}text\n${text}\n${f}`
}

function details(d: Drill): string {
  const out: string[] = []
  if (d.rtoLines.length || d.rpoLines.length) {
    if (d.rtoLines.length) out.push(`**RTO** (budget ${formatDuration(d.s.rto)}): ${d.rtoLines.join('; ')}`, '')
    if (d.rpoLines.length) out.push(`**RPO** (budget ${formatRpo(d.s.rpo)}): ${d.rpoLines.join('; ')}`, '')
  }
  if (d.steps.length) {
    out.push('| step | duration | result |', '|---|---:|---|')
    for (const st of d.steps) out.push(`| ${cell(st.name)} | ${formatDuration(st.ms)} | ${cell(st.result)} |`)
    out.push('')
  }
  if (d.snapshots.length) {
    out.push('| snapshot | path | size | SHA-256 | timestamp |', '|---|---|---:|---|---|')
    for (const sn of d.snapshots)
      out.push(`| ${cell(sn.what)} | ${cell(sn.path)} | ${size(sn.size)} | \`${sn.sha256}\` | ${sn.timestamp} |`)
    out.push('')
  }
  for (const t of d.tails) {
    out.push(
      `<details><summary>${t.step} output${t.cut ? ` (last ${TAIL_LINES} lines)` : ''}</summary>`,
      '',
      fence(t.text),
      '',
      '</details>',
      '',
    )
  }
  return out.join('\n').trim()
}
