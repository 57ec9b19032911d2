/**
 * A simulation of one workflow run, job by job and step by step, with GitHub's own parser and
 * expression evaluator: given what each step does when it runs (its outcome and outputs), it
 * evaluates every job's and step's `if:` and says which jobs and steps run, with the `env` and
 * `with:` values they would receive. Nothing is executed; what is computed is the routing, which
 * is where a cutover workflow hides its dangerous mistakes (a rollback that cannot start, an
 * announcement sent before it is true).
 *
 * Semantics followed (GitHub's documentation of status functions and `needs`):
 * - a job's `success()` is true when every job it needs succeeded and no job before it failed or
 *   was cancelled; `failure()` when one before it failed; a job whose condition is false is
 *   skipped, and so are jobs that need it unless their condition says otherwise;
 * - a step's `success()` is true while no earlier step of its job concluded in failure
 *   (`continue-on-error` turns a failure into a success conclusion);
 * - a matrix runs its legs one at a time in order (the workflow sets `max-parallel: 1`); with
 *   `fail-fast`, the legs after a failed one are cancelled;
 * - "Re-run failed jobs" runs again the jobs that failed or were cancelled and every job after
 *   them; the others keep their result and outputs. A matrix keeps its legs that succeeded.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import type { Job, Step, WorkflowJob, WorkflowTemplate } from '@actions/workflow-parser/model/workflow-template'
import {
  asString,
  evaluate,
  interpolate,
  isMapping,
  isTruthy,
  mappingStrings,
  readGithubWorkflow,
  tokenValue,
  toJson,
  type Json,
  type StatusFunctions,
} from './github-workflow.js'
import { REPO_ROOT } from './yaml-files.js'

export type Result = 'success' | 'failure' | 'cancelled' | 'skipped'
export type Outcome = Exclude<Result, 'skipped'>

/** A step about to run, as a scenario sees it. */
export interface StepRef {
  job: string
  /** The matrix values of the leg (empty outside a matrix). */
  matrix: Record<string, Json>
  /** The step's `id:`, or GitHub's generated one. */
  id: string
  name?: string
  uses?: string
  /** The step's `with:` values, interpolated. */
  with: Record<string, string>
  /** The step's `env:` values, evaluated. */
  env: Record<string, string>
}

export interface StepBehaviour {
  outcome?: Outcome
  outputs?: Record<string, string>
}

export interface Scenario {
  inputs?: Record<string, string | boolean>
  secrets?: Record<string, string>
  /** Overrides of the `github` context (event_name, run_attempt, …). */
  github?: Record<string, Json>
  /** What a step does when it runs; undefined means it succeeds with no outputs. */
  step?: (s: StepRef) => StepBehaviour | undefined
  /** Jobs not run in this attempt (a re-run): their result, outputs and legs from the earlier one. */
  carried?: Record<string, JobRun>
  /** Legs kept from an earlier attempt, by job: they succeeded there and are not run again. */
  carriedLegs?: Record<string, LegRun[]>
  /** The run was cancelled while this job ran: it ends `cancelled`; later jobs run only if their condition holds on a cancelled run (`always()`). */
  cancelDuring?: string
}

export interface StepRun extends StepRef {
  ran: boolean
  outcome: Result
  conclusion: Result
  outputs: Record<string, string>
}

export interface LegRun {
  matrix: Record<string, Json>
  result: Result
  steps: StepRun[]
  /** The environment the leg deploys to (its required reviewers are waited for first); empty for none. */
  environment?: string
  /** Kept from an earlier attempt. */
  carried?: boolean
  /** The job's `env:` (over the workflow's) as the leg's steps receive it; absent for a leg that did not run. */
  env?: Record<string, string>
}

export interface JobRun {
  id: string
  result: Result
  outputs: Record<string, string>
  legs: LegRun[]
  carried?: boolean
}

export interface Simulation {
  jobs: Record<string, JobRun>
  order: string[]
  scenario: Scenario
}

interface YamlStep {
  id?: string
  name?: string
  uses?: string
  with?: Record<string, unknown>
  'continue-on-error'?: boolean
}

export interface LoadedWorkflow {
  template: WorkflowTemplate
  yaml: { jobs: Record<string, { steps?: YamlStep[] }> }
  errors: string[]
}

export async function loadWorkflow(rel: string): Promise<LoadedWorkflow> {
  const { template, errors } = await readGithubWorkflow(rel)
  const yaml = parse(readFileSync(join(REPO_ROOT, rel), 'utf8')) as LoadedWorkflow['yaml']
  return { template, yaml, errors }
}

const isJob = (j: WorkflowJob): j is Job => j.type === 'job'

/** The `github` context of a run; a scenario overrides parts of it. */
function githubContext(s: Scenario): Record<string, Json> {
  return {
    event_name: 'workflow_dispatch',
    repository: 'acme/shop',
    sha: '1111111111111111111111111111111111111111',
    run_id: '4242',
    run_attempt: '1',
    workspace: '/home/runner/work/shop/shop',
    token: '***',
    event: {},
    ...s.github,
  }
}

function inputsContext(template: WorkflowTemplate, s: Scenario): Record<string, Json> {
  const out: Record<string, Json> = {}
  for (const [name, def] of Object.entries(template.events.workflow_call?.inputs ?? {})) {
    const d: unknown = def.default
    out[name] =
      d === undefined
        ? def.type === 'boolean'
          ? false
          : ''
        : typeof d === 'object' && d !== null
          ? ((d as { value: Json }).value ?? '')
          : (d as Json)
  }
  return { ...out, ...s.inputs }
}

/** Runs the workflow under a scenario and returns every job's and step's fate. */
export function simulate(wf: LoadedWorkflow, scenario: Scenario = {}): Simulation {
  const { template } = wf
  const github = githubContext(scenario)
  const inputs = inputsContext(template, scenario)
  const secrets: Record<string, Json> = { GITHUB_TOKEN: '***', ...scenario.secrets }
  const byId = new Map(template.jobs.map((j) => [j.id.value, j]))
  const jobs: Record<string, JobRun> = {}
  const order: string[] = []
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const n of byId.get(id)?.needs?.map((t) => t.value) ?? []) if (!seen.has(n)) ancestors(n, seen.add(n))
    return seen
  }
  let cancelled = false

  const pending = [...byId.keys()]
  while (pending.length) {
    const i = pending.findIndex((id) => (byId.get(id)!.needs ?? []).every((n) => jobs[n.value]))
    if (i < 0) throw new Error(`the jobs ${pending.join(', ')} need each other: the graph has a cycle`)
    const id = pending.splice(i, 1)[0]
    const job = byId.get(id)!
    order.push(id)
    if (scenario.carried?.[id]) {
      jobs[id] = { ...scenario.carried[id], carried: true }
      continue
    }
    const needIds = (job.needs ?? []).map((n) => n.value)
    const needs: Record<string, Json> = Object.fromEntries(needIds.map((n) => [n, { result: jobs[n].result, outputs: jobs[n].outputs }]))
    const before = [...ancestors(id)].map((a) => jobs[a].result)
    const jobStatus: StatusFunctions = {
      always: () => true,
      cancelled: () => cancelled,
      failure: () => before.some((r) => r === 'failure'),
      success: () =>
        !cancelled && needIds.every((n) => jobs[n].result === 'success') && !before.some((r) => r === 'failure' || r === 'cancelled'),
    }
    const base = { github, inputs, needs, vars: {} }
    if (!isTruthy(evaluate(job.if.expression, base, jobStatus)) || !isJob(job)) {
      jobs[id] = { id, result: 'skipped', outputs: {}, legs: [] }
      continue
    }
    const workflowEnv = mappingStrings(template.env, { ...base, secrets }, jobStatus)
    const legs = matrixLegs(job, base, jobStatus)
    const kept = scenario.carriedLegs?.[id] ?? []
    const runs: LegRun[] = []
    let failedLeg = false
    for (const matrix of legs) {
      const earlier = kept.find((l) => JSON.stringify(l.matrix) === JSON.stringify(matrix))
      if (earlier) {
        runs.push({ ...earlier, carried: true })
        continue
      }
      if (failedLeg && failFast(job, base, jobStatus)) {
        runs.push({ matrix, result: 'cancelled', steps: [] })
        continue
      }
      const leg = runLeg(wf, job, { ...base, matrix, strategy: {} }, workflowEnv, secrets, scenario, matrix)
      const environment = environmentOf(job, { ...base, matrix, strategy: {} }, jobStatus)
      if (environment !== undefined) leg.environment = environment
      if (scenario.cancelDuring === id) leg.result = 'cancelled'
      runs.push(leg)
      if (leg.result === 'failure') failedLeg = true
    }
    if (scenario.cancelDuring === id) cancelled = true
    const result: Result = runs.some((l) => l.result === 'failure')
      ? 'failure'
      : runs.some((l) => l.result === 'cancelled')
        ? 'cancelled'
        : 'success'
    // A matrix job's outputs are those of the leg that finished last.
    const last = [...runs].reverse().find((l) => l.steps.length)
    const stepsCtx = last ? stepsContext(last.steps) : {}
    const outputs = mappingStrings(job.outputs, { ...base, matrix: last?.matrix ?? {}, steps: stepsCtx, secrets }, jobStatus)
    jobs[id] = { id, result, outputs, legs: runs }
  }
  return { jobs, order, scenario }
}

/** `environment: name` or `environment: { name, url }`, evaluated for the leg. */
function environmentOf(job: Job, ctx: Record<string, Json>, status: StatusFunctions): string | undefined {
  if (!job.environment) return undefined
  const value = toJson(tokenValue(job.environment, ctx, status))
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return String(value.name ?? '')
  return value === null ? '' : String(value)
}

function matrixLegs(job: Job, ctx: Record<string, Json>, status: StatusFunctions): Record<string, Json>[] {
  const strategy = job.strategy
  if (!strategy || !isMapping(strategy)) return [{}]
  const matrix = strategy.find('matrix')
  if (!matrix) return [{}]
  const value = toJson(tokenValue(matrix, ctx, status)) as Record<string, Json[]>
  let legs: Record<string, Json>[] = [{}]
  for (const [key, values] of Object.entries(value)) {
    if (key === 'include' || key === 'exclude') throw new Error('the simulation does not model matrix include/exclude')
    legs = legs.flatMap((l) => (values as Json[]).map((v) => ({ ...l, [key]: v })))
  }
  return legs
}

function failFast(job: Job, ctx: Record<string, Json>, status: StatusFunctions): boolean {
  const strategy = job.strategy
  const ff = strategy && isMapping(strategy) ? strategy.find('fail-fast') : undefined
  return ff === undefined ? true : isTruthy(tokenValue(ff, ctx, status))
}

function stepsContext(steps: StepRun[]): Record<string, Json> {
  return Object.fromEntries(
    steps.map((s) => [s.id, { outcome: s.ran ? s.outcome : 'skipped', conclusion: s.conclusion, outputs: s.outputs }]),
  )
}

function runLeg(
  wf: LoadedWorkflow,
  job: Job,
  base: Record<string, Json>,
  workflowEnv: Record<string, string>,
  secrets: Record<string, Json>,
  scenario: Scenario,
  matrix: Record<string, Json>,
): LegRun {
  const jobId = job.id.value
  const yamlSteps = wf.yaml.jobs[jobId]?.steps ?? []
  const jobEnv = { ...workflowEnv, ...mappingStrings(job.env, { ...base, env: workflowEnv, secrets }, ALWAYS) }
  const done: StepRun[] = []
  job.steps.forEach((step: Step, index) => {
    const y = yamlSteps[index] ?? {}
    const ctx = { ...base, env: jobEnv, steps: stepsContext(done), secrets, job: { status: 'success' }, runner: { temp: '/tmp' } }
    const status: StatusFunctions = {
      always: () => true,
      cancelled: () => false,
      failure: () => done.some((d) => d.conclusion === 'failure'),
      success: () => !done.some((d) => d.conclusion === 'failure'),
    }
    const condition = 'if' in step && step.if ? step.if.expression : 'success()'
    const ran = isTruthy(evaluate(condition, ctx, status))
    const env = ran && 'env' in step ? mappingStrings(step.env, ctx, status) : {}
    const withValues: Record<string, string> = {}
    if (ran)
      for (const [k, v] of Object.entries(y.with ?? {})) withValues[k] = typeof v === 'string' ? interpolate(v, ctx, status) : String(v)
    const ref: StepRef = {
      job: jobId,
      matrix,
      id: step.id,
      ...(y.name ? { name: y.name } : {}),
      ...('uses' in step ? { uses: step.uses.value } : {}),
      with: withValues,
      env,
    }
    if (!ran) {
      done.push({ ...ref, ran: false, outcome: 'skipped', conclusion: 'skipped', outputs: {} })
      return
    }
    const b = scenario.step?.(ref) ?? {}
    const outcome = b.outcome ?? 'success'
    const continueOnError = y['continue-on-error'] === true
    const conclusion = outcome === 'failure' && continueOnError ? 'success' : outcome
    done.push({ ...ref, ran: true, outcome, conclusion, outputs: b.outputs ?? {} })
  })
  const result: Result = done.some((d) => d.conclusion === 'failure')
    ? 'failure'
    : done.some((d) => d.conclusion === 'cancelled')
      ? 'cancelled'
      : 'success'
  return { matrix, result, steps: done, env: jobEnv }
}

const ALWAYS: StatusFunctions = { always: () => true, cancelled: () => false, failure: () => false, success: () => true }

/**
 * The scenario of "Re-run failed jobs" after `sim`: the jobs that failed or were cancelled, and
 * every job after them, run again in the next attempt; the others are carried with their result
 * and outputs, and a matrix keeps its legs that succeeded.
 */
export function rerunFailed(wf: LoadedWorkflow, sim: Simulation, next: Scenario): Scenario {
  const needsOf = new Map(wf.template.jobs.map((j) => [j.id.value, (j.needs ?? []).map((n) => n.value)]))
  const rerun = new Set(
    Object.values(sim.jobs)
      .filter((j) => j.result === 'failure' || j.result === 'cancelled')
      .map((j) => j.id),
  )
  let grew = true
  while (grew) {
    grew = false
    for (const [id, needs] of needsOf)
      if (!rerun.has(id) && needs.some((n) => rerun.has(n))) {
        rerun.add(id)
        grew = true
      }
  }
  const carried: Record<string, JobRun> = {}
  const carriedLegs: Record<string, LegRun[]> = {}
  for (const [id, j] of Object.entries(sim.jobs)) {
    if (!rerun.has(id)) carried[id] = j
    else if (j.legs.length > 1) carriedLegs[id] = j.legs.filter((l) => l.result === 'success')
  }
  const attempt = String(Number(sim.scenario.github?.run_attempt ?? '1') + 1)
  return { ...next, github: { ...sim.scenario.github, ...next.github, run_attempt: attempt }, carried, carriedLegs }
}

// ---------------------------------------------------------------------------------------------
// Reading a simulation

export const ran = (sim: Simulation, job: string): boolean => sim.jobs[job].result !== 'skipped' && !sim.jobs[job].carried

/** Every step that ran in this attempt, in job order and leg order. */
export function stepsRun(sim: Simulation, job?: string): StepRun[] {
  return sim.order
    .filter((id) => (job === undefined || id === job) && !sim.jobs[id].carried)
    .flatMap((id) => sim.jobs[id].legs.filter((l) => !l.carried).flatMap((l) => l.steps.filter((s) => s.ran)))
}

export const named = (s: StepRef, key: string): boolean => s.id === key || s.name === key

export interface Sent {
  job: string
  matrix: Record<string, Json>
  event: string
  message?: string
}

/** The notifications the run sends: every notify step that ran, with its event and message. */
export function notifications(sim: Simulation): Sent[] {
  return stepsRun(sim)
    .filter((s) => s.uses?.endsWith('/actions/notify'))
    .map((s) => ({
      job: s.job,
      matrix: s.matrix,
      event: s.with.event,
      ...(s.with.message !== undefined ? { message: s.with.message } : {}),
    }))
}

export { asString }
