/**
 * What a gate is, and the one function that runs any gate: parse its inputs, measure, time it,
 * and turn every way of not measuring (bad input, a thrown error) into a `fail` with a sentence.
 */
import { InputError, parseInputs, secretValues, type InputRule, type InputSpecs, type Settings } from './inputs.js'
import type { Branding } from './branding.js'
import { makeRedactor, type Redact } from './redact.js'
import { check, statusOf, type Check, type GateResult } from './result.js'
import * as nodeFsSync from 'node:fs'
import * as nodeFs from 'node:fs/promises'
import type tls from 'node:tls'
import { runProcess, type RunOutcome, type RunSpec } from '../lib/process.js'
import { realTimers, type Timers } from '../lib/timers.js'
import type { Language } from './i18n.js'

export type { RunOutcome, RunSpec, Timers }

/**
 * The file system as gates reach it: node's own functions (the promise ones, and the few
 * synchronous ones a tight loop over many small files uses), so a test can hand in others.
 */
export type FilePort = Pick<
  typeof nodeFs,
  'readFile' | 'writeFile' | 'stat' | 'lstat' | 'readdir' | 'realpath' | 'open' | 'opendir' | 'glob' | 'rename' | 'rm' | 'mkdir'
> &
  Pick<typeof nodeFsSync, 'existsSync' | 'readdirSync' | 'realpathSync' | 'openSync' | 'fstatSync' | 'readSync' | 'closeSync'>

const realFs: FilePort = {
  readFile: nodeFs.readFile,
  writeFile: nodeFs.writeFile,
  stat: nodeFs.stat,
  lstat: nodeFs.lstat,
  readdir: nodeFs.readdir,
  realpath: nodeFs.realpath,
  open: nodeFs.open,
  opendir: nodeFs.opendir,
  glob: nodeFs.glob,
  rename: nodeFs.rename,
  rm: nodeFs.rm,
  mkdir: nodeFs.mkdir,
  existsSync: nodeFsSync.existsSync,
  readdirSync: nodeFsSync.readdirSync,
  realpathSync: nodeFsSync.realpathSync,
  openSync: nodeFsSync.openSync,
  fstatSync: nodeFsSync.fstatSync,
  readSync: nodeFsSync.readSync,
  closeSync: nodeFsSync.closeSync,
}

/** Child processes: one command in its own process group, bounded in time, the tail of its output kept (src/lib/process.ts). */
export type ProcessPort = (spec: RunSpec) => Promise<RunOutcome>

/**
 * node:tls, loaded at first use: an ES import of it costs every action about 7 MB and several ms at
 * start-up, and only key-rotation reads certificates.
 */
const nodeTls = () => process.getBuiltinModule('node:tls') as typeof tls
const lazyTls: TlsPort = {
  connect: ((...args: Parameters<typeof tls.connect>) => nodeTls().connect(...args)) as typeof tls.connect,
  createSecureContext: (options) => nodeTls().createSecureContext(options),
  checkServerIdentity: (hostname, cert) => nodeTls().checkServerIdentity(hostname, cert),
  get rootCertificates() {
    return nodeTls().rootCertificates
  },
  getCACertificates: ((...args: Parameters<typeof tls.getCACertificates>) =>
    nodeTls().getCACertificates(...args)) as typeof tls.getCACertificates,
}

/** TLS client connections, for gates that read a server's certificate chain (node:tls's own functions). */
export type TlsPort = Pick<typeof tls, 'connect' | 'createSecureContext' | 'checkServerIdentity' | 'rootCertificates' | 'getCACertificates'>

/** One answer of the GitHub REST API, as much of it as gates read. */
export interface GitHubResponse {
  status: number
  data: unknown
  headers: Record<string, string | number | undefined>
}

/**
 * The part of a GitHub client gates use, by route (`GET /repos/{owner}/{repo}/environments/{environment_name}`).
 * Declared here by shape, so core needs no GitHub types: an Octokit (src/github/client.ts) is one.
 * A refused request throws an error whose `status` is the HTTP status.
 */
export interface GitHubApi {
  request(route: string, params?: Record<string, unknown>): Promise<GitHubResponse>
  // No `paginate`: Octokit's ends quietly on a 409 and follows a looping Link forever. Lists are
  // read with src/github/pages.ts, which fails on both.
}

/** The GitHub API for gates that read it (secrets' ages, environments, approvals). */
export interface GitHubPort {
  octokit: GitHubApi
  owner: string
  repo: string
  /** The commit being cut over (PR head on pull_request events). */
  sha?: string
  /** The run that is executing, for approvals and deployments. */
  runId?: number
  actor?: string
}

/** What is said of a gate in tables about its reports: its row label and criteria. */
export interface GateInfo {
  name: string
  category: string
  criteria: { en: string; tr: string }
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
  /**
   * The gates this run knows (the registry), by the name `uses:` gives them: for a gate that writes
   * about other gates' reports (decide). Passed in, so no gate imports the registry that holds it.
   */
  catalog?: Record<string, GateInfo>
  /** Files: what a gate reads (and the few files it writes), through node:fs/promises' functions. */
  fs?: FilePort
  /** Child processes (restore commands, pg_dump): started, limited and killed as a process group. */
  exec?: ProcessPort
  /** TLS connections (handshakes to read certificates). */
  tls?: TlsPort
  /** Timers for deadlines of real I/O; the clock (`now`, `sleep`) stays the measure of waits. */
  timers?: Timers
}

/** The ports a gate's run always has: runGate fills in the real ones a caller left out. */
export type Ports = Required<Pick<GateContext, 'fs' | 'exec' | 'tls' | 'timers'>>

/** The context a gate's `run` receives. */
export type GateRunContext = GateContext & Ports

/** The real file system, processes, TLS and timers. */
export function realPorts(): Ports {
  return { fs: realFs, exec: runProcess, tls: lazyTls, timers: realTimers }
}

export interface GateOutcome {
  checks: Check[]
  metrics?: Record<string, number>
  details?: string
  /** Markdown shown first and unfolded in the job summary (see GateResult.headline). */
  headline?: string
  /** Gate-specific action outputs (e.g. evidence's `tampered`). */
  outputs?: Record<string, string>
}

/**
 * What is said of an action besides its inputs: with them, the one source of its action.yml, its
 * docs page, its part of cutover.schema.json and its README row (`npm run generate` writes them).
 */
export interface ActionMeta {
  /** A few words for headings and the action's `name`: "HTTP readiness". */
  title: string
  /** action.yml's `description`: what the action proves, in a sentence or two. */
  description: string
  /** The Marketplace badge: an icon and a colour GitHub accepts (src/core/branding.ts). */
  branding: Branding
  /** Rules over several inputs, for the schema and the docs (the gate checks them when it runs). */
  rules?: readonly InputRule[]
  /** The docs' usage example: a short `with:`, each value as written in a workflow. */
  example?: Record<string, string>
}

export interface Gate<S extends InputSpecs = InputSpecs> extends Partial<ActionMeta> {
  name: string
  /** The row label in the Go/No-Go table, after the runbook's decision template. */
  category: string
  criteria: { en: string; tr: string }
  /**
   * The criterion with the thresholds these settings configure, for gates whose `criteria` names a
   * default (`3+ green windows`): a sign-off table must state what was actually required.
   */
  criteriaFor?(settings: Settings<S>): { en: string; tr: string }
  inputs: S
  /** Descriptions of gate-specific outputs, beyond status/report/summary. */
  outputs?: Record<string, string>
  run(settings: Settings<S>, ctx: GateRunContext): Promise<GateOutcome>
}

/** The outputs every gate action sets (src/actions/runner.ts), before the gate's own `outputs`. */
export const commonOutputs: Record<string, string> = {
  status: '`pass`, `warn` or `fail`.',
  report: 'Path of the JSON report.',
  summary: 'One line with the verdict and, when not a pass, why.',
  'ledger-head':
    "The hash of the last record of the report folder's ledger once this step wrote its reports (empty when none was saved or the ledger is not intact): hand it to the next job as `CUTOVER_LEDGER_PREV`, so the run's ledgers are one chain.",
}

export function defineGate<S extends InputSpecs>(gate: Gate<S>): Gate<S> {
  return gate
}

export function defaultContext(overrides: Partial<GateContext> = {}): GateRunContext {
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
    ...realPorts(),
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
  let criteria: { en: string; tr: string } | undefined
  try {
    const settings = parseInputs(gate.inputs, raw, opts.where)
    criteria = gate.criteriaFor?.(settings)
    outcome = await gate.run(settings, { ...realPorts(), ...ctx, log: (line) => ctx.log(redact(line)), redact })
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
    ...(outcome.headline ? { headline: outcome.headline } : {}),
    ...(criteria ? { criteria } : {}),
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
