/**
 * `cutover rehearse`: the reusable workflow's phases, run locally from a cutover.yml, so a team
 * can prove the rollback path on a laptop (seed: `cutover_rehearsal.sh --steps 25,50 --abort-drill yes`).
 *
 *   pre-flight gates → decide (the same gate, the same rule, the same ledger checks as CI)
 *   → for each step: promote, then the canary gate (judged only on windows after the promotion)
 *   → verification; any failure (or the injected abort drill) → rollback command
 *
 * A plan that cannot be rehearsed (an abort drill at a weight that is not a step, steps with
 * nothing to judge them, a drill with no rollback to prove) is refused before anything runs.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { checklistInputs, runChecklist, type Registry } from '../core/checklist.js'
import { loadConfig, rolloutSchema, type Config } from '../core/config.js'
import { commonInputs } from '../core/inputs.js'
import { LANGUAGES } from '../core/i18n.js'
import { UsageError, defaultOf, parseFlags } from './command.js'
import { runGate, defaultContext, type GateContext } from '../core/gate.js'
import { isLanguage, type Language } from '../core/i18n.js'
import { makeRedactor } from '../core/redact.js'
import { recordRun, type RecordRow } from '../core/record.js'
import type { Redact } from '../core/redact.js'
import { subjectFromEnv } from '../core/report.js'
import { STATUS_RANK, worst, type Status } from '../core/result.js'
import { renderTable } from '../core/summary.js'
import { formatDuration, parseDuration } from '../core/units.js'
import { verdict } from '../core/verdict.js'
import { decide } from '../gates/decide/index.js'
import { gitHead } from './local.js'

export type FailOn = 'fail' | 'warn' | 'never'

export interface TimelineEntry {
  phase: string
  status: Status | 'skipped'
  startedAt: Date
  finishedAt: Date
  note: string
}

export interface RehearsalPlan {
  steps: number[]
  abortDrill?: number
  canary?: string
  verify: string[]
  promote?: string
  rollback?: string
  dryRun: boolean
  /** Minimum hold per weight (ms), as the workflow's per-step hold. */
  holds?: Record<number, number>
  /** The lowest status that fails a promotion step or the verification (the workflow's default: warn). */
  stepsFailOn?: FailOn
  verifyFailOn?: FailOn
}

export interface RehearsalResult {
  timeline: TimelineEntry[]
  decision: 'GO' | 'NO-GO'
  /** True only when the rollback command ran and succeeded. */
  rolledBack: boolean
  /** 0 as planned, 1 as planned with accepted warnings, 2 otherwise. */
  exitCode: number
  verdict: string
}

interface Io {
  out: (line: string) => void
  err: (line: string) => void
  env: Record<string, string | undefined>
}

export class PlanError extends Error {}

/** Why the plan cannot be rehearsed, one sentence each; empty when it can. */
export function planProblems(config: Config, plan: RehearsalPlan): string[] {
  const problems: string[] = []
  if (plan.steps.length && !config.rollout)
    problems.push(
      `${config.file} has no \`rollout:\` block, so nothing says how to promote or roll back: add one (steps, canary, promote, rollback), or run \`cutover check\` for the pre-flight alone`,
    )
  if (plan.steps.length && !plan.canary)
    problems.push(
      `no canary gate judges the promotion steps ${plan.steps.join(', ')}: name one in \`rollout.canary\` (a gate of ${config.file}), or add a gate with \`uses: canary\``,
    )
  if (plan.abortDrill !== undefined && !plan.steps.includes(plan.abortDrill))
    problems.push(`--abort-drill ${plan.abortDrill} is not one of the steps ${plan.steps.join(', ') || '(none)'}: drill at one of them`)
  if (plan.abortDrill !== undefined && !plan.rollback)
    problems.push('an abort drill proves the rollback, but `rollout.rollback` names no rollback command')
  return problems
}

/** Runs `command` under bash with extra environment; the exit code, or the dry-run echo. */
function runCommand(command: string, env: Record<string, string>, io: Io, dryRun: boolean): Promise<number> {
  if (dryRun) {
    io.err(
      `  (dry run) would run: ${command}   [${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}]`,
    )
    return Promise.resolve(0)
  }
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { env: { ...io.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    const relay = (chunk: Buffer) =>
      String(chunk)
        .split('\n')
        .filter(Boolean)
        .forEach((l) => io.err(`  │ ${l}`))
    child.stdout.on('data', relay)
    child.stderr.on('data', relay)
    child.on('error', () => resolve(127))
    child.on('close', (code) => resolve(code ?? 1))
  })
}

const fails = (status: Status, failOn: FailOn) => failOn !== 'never' && STATUS_RANK[status] >= STATUS_RANK[failOn]

export async function rehearse(
  config: Config,
  plan: RehearsalPlan,
  registry: Registry,
  ctx: GateContext,
  opts: { language: Language; reportDir: string },
  io: Io,
): Promise<RehearsalResult> {
  const problems = planProblems(config, plan)
  if (problems.length) throw new PlanError(problems.join('; '))
  const stepsFailOn = plan.stepsFailOn ?? 'warn'
  const verifyFailOn = plan.verifyFailOn ?? 'warn'
  const timeline: TimelineEntry[] = []
  // A rehearsal is a run of its own: its reports name it, and its decide expects it, so nothing
  // from another rehearsal (or from CI) can count towards this one's GO.
  const env = { ...io.env, GITHUB_RUN_ID: io.env.GITHUB_RUN_ID ?? `rehearsal-${ctx.now().toISOString().replace(/[:.]/g, '-')}` }
  const subject = subjectFromEnv(env)
  // The same pipeline as the actions'; a folder that refuses the reports fails the phase.
  const record = async <R extends RecordRow>(rows: R[], redact: Redact) => {
    const recorded = await recordRun(rows, { redact, reportDir: opts.reportDir, subject, language: opts.language, rule: config.decide })
    if (recorded.error !== undefined) throw recorded.error
    return recorded
  }
  const phase = async (name: string, body: () => Promise<{ status: Status; note: string }>) => {
    const startedAt = ctx.now()
    io.err(`▶ ${name}`)
    // A phase that throws is a failed phase: the rollback path must still run after it.
    const { status, note } = await body().catch((err: unknown) => ({
      status: 'fail' as const,
      note: `${name} could not complete: ${err instanceof Error ? err.message : String(err)}`,
    }))
    timeline.push({ phase: name, status, startedAt, finishedAt: ctx.now(), note })
    io.err(`  ${status.toUpperCase()}: ${note}`)
    return status
  }
  const runGates = async (run: Config, ids: string[], suffix = '') => {
    const r = await runChecklist(run, registry, ctx, { only: ids, language: opts.language, idSuffix: suffix })
    const recorded = await record(r.rows, makeRedactor(r.secrets))
    io.out(renderTable(recorded.rows, opts.language, config.decide))
    return recorded.rows
  }
  const rollback = async (reason: string) =>
    phase('rollback', async () => {
      if (!plan.rollback) return { status: 'fail', note: `no rollback command is configured (rollout.rollback); reason was: ${reason}` }
      const code = await runCommand(plan.rollback, { REASON: reason }, io, plan.dryRun)
      if (code !== 0) return { status: 'fail', note: `rollback command exited ${code} (reason: ${reason})` }
      return { status: 'pass', note: `rollback command succeeded${plan.dryRun ? ' (dry run: echoed)' : ''} (reason: ${reason})` }
    })

  const stepIds = new Set([plan.canary, ...plan.verify].filter((x): x is string => !!x))
  const preflightIds = config.gates.map((g) => g.id).filter((id) => !stepIds.has(id))
  let decision = 'GO' as 'GO' | 'NO-GO'
  let decisionLabel = 'GO'

  await phase('T-60 pre-flight', async () => {
    if (preflightIds.length === 0)
      return { status: 'fail', note: 'nothing measured: cutover.yml has no pre-flight gates besides the canary and verification ones' }
    const rows = await runGates(config, preflightIds)
    const s = worst(rows.map((r) => r.result.status))
    return { status: s, note: `${rows.filter((r) => r.result.status === 'pass').length} of ${rows.length} gates passed` }
  })
  await phase('T+15 GO/NO-GO decision', async () => {
    // The decide gate itself, on the reports just written: its ledger checks, its required list, the config's rule.
    const required = config.decide.required ?? preflightIds
    const raw = {
      reports: opts.reportDir,
      required: required.join('\n'),
      'allow-warn': String(config.decide.allowWarn),
      'max-report-age': `${config.decide.maxReportAgeMs}ms`,
    }
    const result = await runGate(decide, raw, { ...ctx, env, catalog: ctx.catalog ?? registry }, { id: 'decide' })
    await record([{ result, category: decide.category, criteria: decide.criteria[opts.language], outputs: result.outputs }], (x) => x)
    const v = verdict(
      result.checks.map((c) => c.status),
      config.decide,
    )
    decision = v.decision
    decisionLabel = v.label
    const reasons = result.checks.filter((c) => c.status !== 'pass').map((c) => c.message)
    return decision === 'GO'
      ? {
          status: v.status,
          note: v.label === 'GO' ? 'GO: every required gate passed' : `GO with warnings (allow-warn): ${reasons.join(' ')}`,
        }
      : { status: 'fail', note: `NO-GO: ${reasons.join(' ')} Nobody is asked to approve a release that is not GO.` }
  })
  if (decision === 'NO-GO')
    return finish(
      timeline,
      decision,
      false,
      2,
      '✗✗✗',
      'NO-GO: the rehearsal stopped before any promotion; nothing was promoted or rolled back',
      io,
    )

  let failure: string | undefined
  let warned = false
  for (const weight of plan.steps) {
    const s = await phase(`promote ${weight}%`, async () => {
      if (plan.promote) {
        const code = await runCommand(plan.promote, { WEIGHT: String(weight) }, io, plan.dryRun)
        if (code !== 0) return { status: 'fail', note: `promote command exited ${code} at ${weight}%` }
      }
      const promotedAt = ctx.now()
      if (plan.abortDrill === weight) return { status: 'fail', note: `abort drill: failure injected at ${weight}%` }
      const rows = await runGates(anchored(config, plan, weight, promotedAt), [plan.canary!], `-${weight}`)
      const st = rows[0]?.result.status ?? 'fail'
      if (fails(st, stepsFailOn))
        return {
          status: 'fail',
          note: `canary ${st.toUpperCase()} at ${weight}% (steps fail on ${stepsFailOn}): ${rows[0]?.result.summary}`,
        }
      if (st === 'warn') warned = true
      return { status: st, note: `canary ${st.toUpperCase()} at ${weight}%` }
    })
    if (s === 'fail') {
      failure = plan.abortDrill === weight ? `abort-drill at ${weight}%` : `canary or promotion failed at ${weight}%`
      break
    }
  }
  if (!failure && plan.verify.length) {
    const v = await phase('T+60 post-cutover verification', async () => {
      const rows = await runGates(config, plan.verify, '-verify')
      const st = worst(rows.map((r) => r.result.status))
      const note = `${rows.filter((r) => r.result.status === 'pass').length} of ${rows.length} verification gates passed`
      if (fails(st, verifyFailOn)) return { status: 'fail', note: `${note} (verification fails on ${verifyFailOn})` }
      if (st === 'warn') warned = true
      return { status: st, note }
    })
    if (v === 'fail') failure = 'post-cutover verification failed'
  }
  if (failure) {
    const rb = await rollback(failure)
    const drill = plan.abortDrill !== undefined && failure.startsWith('abort-drill')
    const rbNote = timeline.at(-1)!.note
    if (rb !== 'pass') return finish(timeline, decision, false, 2, '✗✗✗', `ROLLBACK FAILED: ${rbNote}; the release was NOT rolled back`, io)
    if (drill)
      return finish(
        timeline,
        decision,
        true,
        0,
        '✓✓✓',
        `ABORT DRILL PASSED: failure injected at ${plan.abortDrill}%, rolled back cleanly`,
        io,
      )
    return finish(timeline, decision, true, 2, '✗✗✗', `REHEARSAL FAILED: ${failure}; rolled back`, io)
  }
  if (warned || decisionLabel === 'GO with warnings')
    return finish(
      timeline,
      decision,
      false,
      1,
      '⚠⚠⚠',
      'REHEARSAL PASSED with warnings accepted (allow-warn / fail-on); nothing was rolled back',
      io,
    )
  return finish(
    timeline,
    decision,
    false,
    0,
    '✓✓✓',
    'REHEARSAL PASSED: GO, every step and the verification passed; nothing was rolled back',
    io,
  )
}

/** The config with the canary gate anchored to this step: judged only after `promotedAt`, held as long as the step holds. */
function anchored(config: Config, plan: RehearsalPlan, weight: number, promotedAt: Date): Config {
  const hold = plan.holds?.[weight]
  return {
    ...config,
    gates: config.gates.map((g) => {
      if (g.id !== plan.canary || g.uses !== 'canary') return g
      const extra: Record<string, unknown> = { 'not-before': promotedAt.toISOString() }
      if (hold) {
        extra.hold = `${hold}ms`
        const wait = typeof g.with.wait === 'string' ? safeDuration(g.with.wait) : undefined
        if (wait === undefined || wait < hold) extra.wait = `${hold}ms`
      }
      return { ...g, with: { ...g.with, ...extra } }
    }),
  }
}

function safeDuration(s: string): number | undefined {
  try {
    return parseDuration(s)
  } catch {
    return undefined
  }
}

function finish(
  timeline: TimelineEntry[],
  decision: 'GO' | 'NO-GO',
  rolledBack: boolean,
  exitCode: number,
  mark: string,
  verdict: string,
  io: Io,
): RehearsalResult {
  const t0 = timeline[0]?.startedAt.getTime() ?? 0
  io.out('\nTimeline')
  for (const t of timeline) {
    io.out(
      `  +${formatDuration(t.startedAt.getTime() - t0).padEnd(7)} ${t.phase.padEnd(32)} ${t.status.toUpperCase().padEnd(5)} ${formatDuration(t.finishedAt.getTime() - t.startedAt.getTime()).padEnd(7)} ${t.note}`,
    )
  }
  io.out(`\n${mark} ${verdict}`)
  return { timeline, decision, rolledBack, exitCode, verdict }
}

function parseSteps(text: string, flag: string): number[] {
  const steps = text.split(',').map((s) => s.trim().replace(/%$/, ''))
  if (!steps.every((s) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 100))
    throw new PlanError(`${flag} takes percentages from 1 to 100 separated by commas, such as 25,50; got "${text}"`)
  return steps.map(Number)
}

function parseFailOn(text: string | undefined, flag: string): FailOn | undefined {
  if (text === undefined) return undefined
  if (text === 'fail' || text === 'warn' || text === 'never') return text
  throw new PlanError(`${flag} takes fail, warn or never; got "${text}"`)
}

/** A fresh folder per rehearsal: an earlier rehearsal's reports and ledger are never judged again, nor overwritten. */
function rehearsalFolder(base: string, now: Date): string {
  return path.join(base, now.toISOString().replace(/[:.]/g, '-'))
}

/** The flags' defaults are those of the checklist action and of `rollout:`, so a rehearsal plans what CI would. */
const DEFAULTS = {
  config: defaultOf(checklistInputs.config),
  'report-dir': `${defaultOf(commonInputs['report-dir'])}/rehearsal`,
  language: defaultOf(commonInputs.language),
  steps: rolloutSchema.shape.steps.parse(undefined),
}

export const REHEARSE_USAGE = `Usage: cutover rehearse [options]

Runs the cutover's phases locally: pre-flight gates, the GO/NO-GO decision, each promotion step
with its canary gate, the verification, and the rollback command on a failure.

  --config <file>           the checklist with its rollout: block (default: ${DEFAULTS.config})
  --steps <25,50>           promotion steps in percent (default: rollout.steps, else ${DEFAULTS.steps.join(',')})
  --abort-drill <50|yes>    inject a failure at this step (yes: the last) to prove the rollback path
  --dry-run                 echo the promote and rollback commands instead of running them
  --steps-fail-on <fail|warn|never>   the lowest canary status that fails a step (default: warn)
  --verify-fail-on <fail|warn|never>  the lowest status that fails the verification (default: warn)
  --report-dir <dir>        where each rehearsal's reports go, one folder per run (default: ${DEFAULTS['report-dir']})
  --language <${LANGUAGES.join('|')}>       language of the tables (default: ${DEFAULTS.language})

Exit codes: 0 as planned (an abort drill that rolled back cleanly included), 1 with accepted warnings, 2 otherwise.`

export async function rehearseCommand(args: string[], registry: Registry): Promise<number> {
  const { values } = parseFlags(args, {
    config: { type: 'string', default: DEFAULTS.config },
    steps: { type: 'string' },
    'abort-drill': { type: 'string' },
    'report-dir': { type: 'string', default: DEFAULTS['report-dir'] },
    language: { type: 'string', default: DEFAULTS.language },
    'dry-run': { type: 'boolean', default: false },
    'steps-fail-on': { type: 'string' },
    'verify-fail-on': { type: 'string' },
  })
  if (!isLanguage(values.language)) throw new UsageError(`--language takes ${LANGUAGES.join(' or ')}, not "${values.language}"`)
  if (values['report-dir'].trim() === '') throw new UsageError('--report-dir names no folder; give the folder the reports go to')
  if (values.config.trim() === '') throw new UsageError('--config names no file; give the path of a cutover.yml')
  const config = await loadConfig(path.resolve(values.config), process.env)
  const rollout = config.rollout
  const canary = rollout?.canary ?? config.gates.find((g) => g.uses === 'canary')?.id
  const drill = values['abort-drill']
  let plan: RehearsalPlan
  try {
    const steps = values.steps !== undefined ? parseSteps(values.steps, '--steps') : (rollout?.steps ?? DEFAULTS.steps)
    plan = {
      steps,
      // `--abort-drill yes` (the seed's form) injects the failure at the last step.
      ...(drill !== undefined ? { abortDrill: drill === 'yes' ? steps.at(-1) : parseSteps(drill, '--abort-drill')[0] } : {}),
      canary,
      verify: rollout?.verify ?? [],
      promote: rollout?.promote,
      rollback: rollout?.rollback,
      dryRun: values['dry-run'],
      ...(rollout?.holds ? { holds: rollout.holds } : {}),
      stepsFailOn: parseFailOn(values['steps-fail-on'], '--steps-fail-on') ?? 'warn',
      verifyFailOn: parseFailOn(values['verify-fail-on'], '--verify-fail-on') ?? 'warn',
    }
    const problems = planProblems(config, plan)
    if (problems.length) throw new PlanError(problems.join('; '))
  } catch (err) {
    if (!(err instanceof PlanError)) throw err
    process.stderr.write(`cutover rehearse: the plan cannot be rehearsed, so nothing was run: ${err.message}.\n`)
    return 2
  }
  const language: Language = values.language
  const ctx = defaultContext({ log: (line) => process.stderr.write(`  ${line}\n`) })
  const reportDir = rehearsalFolder(values['report-dir'], ctx.now())
  process.stderr.write(`Rehearsal reports: ${reportDir}/\n`)
  const head = process.env.GITHUB_SHA ?? gitHead(path.dirname(path.resolve(values.config)))
  const env = { ...process.env, ...(head ? { GITHUB_SHA: head } : {}) }
  const io: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n'), env }
  const result = await rehearse(config, plan, registry, ctx, { language, reportDir }, io)
  return result.exitCode
}
