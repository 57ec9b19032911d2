/**
 * `cutover rehearse`: the reusable workflow's phases, run locally from a cutover.yml, so a team
 * can prove the rollback path on a laptop (seed: `cutover_rehearsal.sh --steps 25,50 --abort-drill yes`).
 *
 *   pre-flight gates → decide → for each step: promote, then the canary gate → verification
 *   any failure (or the injected abort drill) → rollback command
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { runChecklist, type Registry } from '../core/checklist.js'
import { loadConfig, type Config } from '../core/config.js'
import { defaultContext, type GateContext } from '../core/gate.js'
import type { Language } from '../core/i18n.js'
import { makeRedactor } from '../core/redact.js'
import { subjectFromEnv, writeReport } from '../core/report.js'
import { worst, type GateResult, type Status } from '../core/result.js'
import { renderTable } from '../core/summary.js'
import { formatDuration } from '../core/units.js'

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
}

export interface RehearsalResult {
  timeline: TimelineEntry[]
  decision: 'GO' | 'NO-GO'
  rolledBack: boolean
  /** 0 when every phase behaved as planned (an abort drill passes when its rollback succeeded). */
  exitCode: number
  verdict: string
}

interface Io {
  out: (line: string) => void
  err: (line: string) => void
  env: Record<string, string | undefined>
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

export async function rehearse(
  config: Config,
  plan: RehearsalPlan,
  registry: Registry,
  ctx: GateContext,
  opts: { language: Language; reportDir: string },
  io: Io,
): Promise<RehearsalResult> {
  const timeline: TimelineEntry[] = []
  const subject = subjectFromEnv(io.env)
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
  const runGates = async (ids: string[], suffix = '') => {
    const run = await runChecklist(config, registry, ctx, { only: ids, language: opts.language, idSuffix: suffix })
    const redact = makeRedactor(run.secrets)
    const rows = run.rows.map((r) => ({ ...r, result: redact(r.result) }))
    await Promise.all(rows.map((r) => writeReport(opts.reportDir, strip(r.result), subject)))
    io.out(renderTable(rows, opts.language))
    return rows
  }
  const rollback = async (reason: string) =>
    phase('rollback', async () => {
      if (!plan.rollback) return { status: 'fail', note: `no rollback command is configured (rollout.rollback); reason was: ${reason}` }
      const code = await runCommand(plan.rollback, { REASON: reason }, io, plan.dryRun)
      return code === 0
        ? { status: 'pass', note: `rollback command succeeded (reason: ${reason})` }
        : { status: 'fail', note: `rollback command exited ${code} (reason: ${reason})` }
    })

  const stepIds = new Set([plan.canary, ...plan.verify].filter((x): x is string => !!x))
  const preflightIds = config.gates.map((g) => g.id).filter((id) => !stepIds.has(id))
  let decision = 'GO' as 'GO' | 'NO-GO'

  const pre = await phase('T-60 pre-flight', async () => {
    if (preflightIds.length === 0)
      return { status: 'fail', note: 'nothing measured: cutover.yml has no pre-flight gates besides the canary and verification ones' }
    const rows = await runGates(preflightIds)
    const s = worst(rows.map((r) => r.result.status))
    return { status: s, note: `${rows.filter((r) => r.result.status === 'pass').length} of ${rows.length} gates passed` }
  })
  await phase('T+15 GO/NO-GO decision', async () => {
    decision = pre === 'fail' ? 'NO-GO' : 'GO'
    return decision === 'GO'
      ? { status: pre, note: pre === 'warn' ? 'GO with warnings' : 'GO: every pre-flight gate passed' }
      : { status: 'fail', note: 'NO-GO: a pre-flight gate failed; nobody is asked to approve a failing release' }
  })
  if (decision === 'NO-GO') return finish(timeline, decision, false, 2, 'NO-GO: rehearsal stopped before promotion', io)

  let failure: string | undefined
  for (const weight of plan.steps) {
    const s = await phase(`promote ${weight}%`, async () => {
      if (plan.promote) {
        const code = await runCommand(plan.promote, { WEIGHT: String(weight) }, io, plan.dryRun)
        if (code !== 0) return { status: 'fail', note: `promote command exited ${code} at ${weight}%` }
      }
      if (plan.abortDrill === weight) return { status: 'fail', note: `abort drill: failure injected at ${weight}%` }
      if (!plan.canary)
        return { status: 'fail', note: `promoted to ${weight}% but nothing judged it: name the canary gate in rollout.canary` }
      const rows = await runGates([plan.canary], `-${weight}`)
      const st = rows[0]?.result.status ?? 'fail'
      return {
        status: st,
        note: st === 'fail' ? `canary FAIL at ${weight}%: ${rows[0]?.result.summary}` : `canary ${st.toUpperCase()} at ${weight}%`,
      }
    })
    if (s === 'fail') {
      failure = plan.abortDrill === weight ? `abort-drill at ${weight}%` : `canary or promotion failed at ${weight}%`
      break
    }
  }
  if (!failure && plan.verify.length) {
    const v = await phase('T+60 post-cutover verification', async () => {
      const rows = await runGates(plan.verify, '-verify')
      const st = worst(rows.map((r) => r.result.status))
      return { status: st, note: `${rows.filter((r) => r.result.status === 'pass').length} of ${rows.length} verification gates passed` }
    })
    if (v === 'fail') failure = 'post-cutover verification failed'
  }
  if (failure) {
    const rb = await rollback(failure)
    const drill = plan.abortDrill !== undefined && failure.startsWith('abort-drill')
    if (drill && rb === 'pass')
      return finish(timeline, decision, true, 0, `ALL REHEARSALS PASSED: abort drill at ${plan.abortDrill}% rolled back cleanly`, io)
    return finish(
      timeline,
      decision,
      true,
      2,
      drill ? 'abort drill FAILED: the rollback did not succeed' : `rehearsal FAILED: ${failure}; rolled back`,
      io,
    )
  }
  if (plan.abortDrill !== undefined) {
    return finish(
      timeline,
      decision,
      false,
      2,
      `abort drill at ${plan.abortDrill}% never ran: it is not one of the steps ${plan.steps.join(', ')}`,
      io,
    )
  }
  const overall = worst(timeline.map((t) => (t.status === 'skipped' ? 'pass' : t.status)))
  return finish(
    timeline,
    decision,
    false,
    overall === 'warn' ? 1 : 0,
    overall === 'warn' ? 'ALL STEPS PASSED with warnings' : 'ALL REHEARSALS PASSED',
    io,
  )
}

function finish(
  timeline: TimelineEntry[],
  decision: 'GO' | 'NO-GO',
  rolledBack: boolean,
  exitCode: number,
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
  io.out(`\n${exitCode === 0 ? '✓✓✓' : '✗✗✗'} ${verdict}`)
  return { timeline, decision, rolledBack, exitCode, verdict }
}

function strip(r: GateResult & { outputs?: unknown; inputError?: unknown }): GateResult {
  const { outputs: _o, inputError: _i, ...rest } = r
  return rest
}

function parseSteps(text: string, flag: string): number[] {
  const steps = text.split(',').map((s) => s.trim().replace(/%$/, ''))
  if (!steps.every((s) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 100))
    throw new Error(`${flag} takes percentages from 1 to 100 separated by commas, such as 25,50; got "${text}"`)
  return steps.map(Number)
}

export async function rehearseCommand(args: string[], registry: Registry): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', default: 'cutover.yml' },
      steps: { type: 'string' },
      'abort-drill': { type: 'string' },
      'report-dir': { type: 'string', default: 'cutover-reports/rehearsal' },
      language: { type: 'string', default: 'en' },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  })
  const config = await loadConfig(path.resolve(values.config), process.env)
  const rollout = config.rollout
  const canary = rollout?.canary ?? config.gates.find((g) => g.uses === 'canary')?.id
  const drill = values['abort-drill']
  const plan: RehearsalPlan = {
    steps: values.steps ? parseSteps(values.steps, '--steps') : (rollout?.steps ?? [10, 25, 50, 100]),
    ...(drill !== undefined ? { abortDrill: drill === 'yes' ? undefined : parseSteps(drill, '--abort-drill')[0] } : {}),
    canary,
    verify: rollout?.verify ?? [],
    promote: rollout?.promote,
    rollback: rollout?.rollback,
    dryRun: values['dry-run'],
  }
  // `--abort-drill yes` (the seed's form) injects the failure at the last step.
  if (drill === 'yes') plan.abortDrill = plan.steps.at(-1)
  const language = values.language === 'tr' ? 'tr' : 'en'
  const ctx = defaultContext({ log: (line) => process.stderr.write(`  ${line}\n`) })
  const io: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n'), env: process.env }
  const result = await rehearse(config, plan, registry, ctx, { language, reportDir: values['report-dir'] }, io)
  return result.exitCode
}
