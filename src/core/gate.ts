/**
 * What a gate is, and the one function that runs any gate: parse its inputs, measure, time it,
 * and turn every way of not measuring (bad input, a thrown error) into a `fail` with a sentence.
 */
import { InputError, parseInputs, secretValues, type InputSpecs, type Settings } from './inputs.js'
import { makeRedactor, type Redact } from './redact.js'
import { check, statusOf, type Check, type GateResult } from './result.js'
import type { Octokit } from '../github/client.js'
import type { Language } from './i18n.js'

/** The GitHub API for gates that read it (secrets' ages, environments, approvals). */
export interface GitHubPort {
  octokit: Octokit
  owner: string
  repo: string
  /** The commit being cut over (PR head on pull_request events). */
  sha?: string
  /** The run that is executing, for approvals and deployments. */
  runId?: number
  actor?: string
}

/** Everything a gate may touch of the outside world: passed in so tests can replace it. */
export interface GateContext {
  now(): Date
  /** Waits `ms`; returns early when `signal` aborts, so a wait that is no longer needed holds nothing open. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  fetch: typeof fetch
  /** A progress line (what was measured, what is still needed, how long is left). */
  log(line: string): void
  env: Record<string, string | undefined>
  /** Folder relative paths in inputs are resolved against (the workspace, or cutover.yml's folder). */
  cwd: string
  /** The repository root: file locations in checks are written relative to it, for annotations. */
  workspace: string
  /** Present when a token and repository are known; gates that need it fail with a sentence otherwise. */
  github?: GitHubPort
  /** Language of the summary and check-run text (`en` or `tr`), for gates that write prose. */
  language?: Language
  /** Cancelled when the run must stop (e.g. Ctrl-C): long waits should give up promptly. */
  signal?: AbortSignal
  /**
   * The redactor of the secrets the gate's spec registers (set by runGate, which also applies it to
   * the log and the result): for what a gate writes or sends itself, such as a bundle or a payload.
   */
  redact?: Redact
}

export interface GateOutcome {
  checks: Check[]
  metrics?: Record<string, number>
  details?: string
  /** Gate-specific action outputs (e.g. evidence's `tampered`). */
  outputs?: Record<string, string>
}

export interface Gate<S extends InputSpecs = InputSpecs> {
  name: string
  /** The row label in the Go/No-Go table, after the runbook's decision template. */
  category: string
  criteria: { en: string; tr: string }
  inputs: S
  /** Descriptions of gate-specific outputs, beyond status/report/summary. */
  outputs?: Record<string, string>
  run(settings: Settings<S>, ctx: GateContext): Promise<GateOutcome>
}

export function defineGate<S extends InputSpecs>(gate: Gate<S>): Gate<S> {
  return gate
}

export function defaultContext(overrides: Partial<GateContext> = {}): GateContext {
  return {
    now: () => new Date(),
    sleep: (ms, signal) =>
      new Promise((r) => {
        if (signal?.aborted) return r()
        const t = setTimeout(done, ms)
        function done() {
          clearTimeout(t)
          signal?.removeEventListener('abort', done)
          r()
        }
        signal?.addEventListener('abort', done, { once: true })
      }),
    fetch: globalThis.fetch,
    log: (line) => process.stdout.write(line + '\n'),
    env: process.env,
    cwd: process.cwd(),
    workspace: process.cwd(),
    ...overrides,
  }
}

export interface RunGateOptions {
  id: string
  /** Where the inputs came from, for error sentences (`input`, `cutover.yml gate "api"`). */
  where?: string
}

/** The checks that say why the inputs were refused. */
export function inputChecks(problems: string[]): Check[] {
  return problems.map((p) => check('fail', 'inputs', 'invalid input', 'valid inputs', `Could not run the gate: ${p}.`))
}

/**
 * Runs `gate` on raw inputs; never throws: a fault is a `fail` result. Whoever runs a gate (an
 * action, the checklist, the CLI, a test), its progress lines and its result pass through the
 * redactor of the secrets its spec registers, so no gate has to remember to mask.
 */
export async function runGate(
  gate: Gate,
  raw: Record<string, unknown>,
  ctx: GateContext,
  opts: RunGateOptions,
): Promise<GateResult & { outputs: Record<string, string>; inputError: boolean }> {
  const redact = makeRedactor(secretValues(gate.inputs, raw))
  const started = ctx.now()
  let outcome: GateOutcome
  let inputError = false
  try {
    const settings = parseInputs(gate.inputs, raw, opts.where)
    outcome = await gate.run(settings, { ...ctx, log: (line) => ctx.log(redact(line)), redact })
  } catch (err) {
    if (err instanceof InputError) {
      inputError = true
      outcome = { checks: inputChecks(err.problems) }
    } else {
      const why = err instanceof Error ? err.message : String(err)
      outcome = { checks: [check('fail', 'gate', 'an error', 'a measurement', `The gate could not measure: ${why}`)] }
    }
  }
  const finished = ctx.now()
  const status = statusOf(outcome.checks)
  return redact({
    id: opts.id,
    gate: gate.name,
    status,
    summary: summarize(opts.id, status, outcome.checks),
    checks: outcome.checks,
    metrics: outcome.metrics ?? {},
    ...(outcome.details ? { details: outcome.details } : {}),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    outputs: outcome.outputs ?? {},
    inputError,
  })
}

/** One line: the verdict and, when not a pass, the first sentence that explains it. */
export function summarize(id: string, status: GateResult['status'], checks: Check[]): string {
  const passed = checks.filter((c) => c.status === 'pass').length
  if (status === 'pass') return `${id}: PASS (${passed} of ${checks.length} checks passed)`
  const first = checks.find((c) => c.status === status) ?? checks[0]
  const more = checks.filter((c) => c.status !== 'pass').length - 1
  return `${id}: ${status.toUpperCase()}: ${first ? first.message : 'nothing was measured'}${more > 0 ? ` (+${more} more)` : ''}`
}
