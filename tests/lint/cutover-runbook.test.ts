// The runbook's rules, as a table, over the reusable cutover workflow: GitHub's own parser reads
// .github/workflows/cutover.yml and its own evaluator decides every job's and step's `if:` for a
// given run (tests/lint/job-graph.ts). Each row is a way a cutover can go; each assertion is a
// sentence of the seeds' runbooks (NO-GO stops before anyone approves, a failed step rolls back,
// a failed rollback is the loudest state, "GO decision made. System live." only when it is).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  loadWorkflow,
  named,
  notifications,
  ran,
  rerunFailed,
  simulate,
  stepsRun,
  type LoadedWorkflow,
  type Outcome,
  type Scenario,
  type Simulation,
  type StepBehaviour,
  type StepRef,
} from './job-graph.js'

const FILE = '.github/workflows/cutover.yml'
const WEIGHTS = [10, 25, 50, 100]
const HOLDS: Record<number, string> = { 10: '15m', 25: '30m', 50: '30m', 100: '60m' }
const RELEASE = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd'

let wf: LoadedWorkflow
beforeAll(async () => {
  wf = await loadWorkflow(FILE)
})

interface Failure {
  job: string
  /** A step id or name. */
  step: string
  weight?: number
  outcome?: Outcome
}

interface Row {
  decision?: 'GO' | 'NO-GO'
  evidence?: 'GO' | 'NO-GO'
  fail?: Failure[]
  inputs?: Record<string, string | boolean>
  github?: Scenario['github']
  cancelDuring?: string
}

const weightOf = (s: StepRef) => (s.matrix.step as { weight?: number } | undefined)?.weight

/**
 * What each step does when it runs: the outputs the real step would write, and the failures
 * of the row. Two steps fail by construction, and the table relies on it (checked below):
 * `stale-approval` (it runs only to refuse) and `fail-cutover` (a rollback fails the run).
 */
function behaviour(row: Row): (s: StepRef) => StepBehaviour | undefined {
  return (s) => {
    const failure = row.fail?.find((f) => f.job === s.job && named(s, f.step) && (f.weight === undefined || f.weight === weightOf(s)))
    if (failure) return { outcome: failure.outcome ?? 'failure' }
    if (s.id === 'stale-approval' || s.id === 'fail-cutover') return { outcome: 'failure' }
    const outputs: Record<string, Record<string, string>> = {
      'pin/pin': { sha: RELEASE },
      'pin/config-ref': { ref: 'main' },
      'pin/config': { sha: '2222222222222222222222222222222222222222' },
      'pin/plan': { steps: JSON.stringify(WEIGHTS.map((weight) => ({ weight, hold: HOLDS[weight], wait: '90m' }))) },
      'preflight/checklist': { gates: 'api-readyz,rc-proof', status: 'pass' },
      'preflight/baseline': { gates: 'canary-baseline', status: 'pass' },
      'decide/decide': { decision: row.decision ?? 'GO', summary: `decide: ${row.decision ?? 'GO'}` },
      'approve/guard': { approvals: '[]' },
      'promote/promote': { at: '2026-03-02T12:00:00Z' },
      'rollback/reason': { reason: 'canary-50: FAIL: error rate 2% above abort-error-rate 0.5%' },
      'rollback/rollback': { code: '0' },
      'bundle/required': { ids: 'api-readyz,rc-proof' },
      'bundle/sign': { decision: row.evidence ?? 'GO' },
    }
    return { outputs: outputs[`${s.job}/${s.id}`] ?? {} }
  }
}

function scenario(row: Row): Scenario {
  return {
    inputs: {
      environment: 'production',
      'release-ref': 'v3.6.5-rc1',
      'gates-repository': 'acme/cutover-gates',
      'gates-ref': '0123456789abcdef0123456789abcdef01234567',
      verify: 'api-readyz',
      'rollback-verify': 'api-readyz',
      'promote-command': './deploy/canary_step.sh "$WEIGHT"',
      'rollback-command': './deploy/abort.sh --reason "$REASON"',
      ...row.inputs,
    },
    secrets: { 'webhook-url': 'https://hooks.slack.com/services/T0/B0/x' },
    step: behaviour(row),
    ...(row.github ? { github: row.github } : {}),
    ...(row.cancelDuring ? { cancelDuring: row.cancelDuring } : {}),
  }
}

const run = (row: Row): Simulation => simulate(wf, scenario(row))
const events = (sim: Simulation) => notifications(sim).map((n) => n.event)
const promoted = (sim: Simulation) =>
  stepsRun(sim, 'promote')
    .filter((s) => s.id === 'promote')
    .map(weightOf)
const step = (sim: Simulation, job: string, key: string) => stepsRun(sim, job).find((s) => named(s, key))

describe('the table relies on two steps that always fail', () => {
  it('`stale-approval` and `fail-cutover` end their script with exit 1, unconditionally', () => {
    const y = parse(readFileSync(path.resolve(import.meta.dirname, '../..', FILE), 'utf8')) as {
      jobs: Record<string, { steps: { id?: string; run?: string }[] }>
    }
    const scripts = Object.values(y.jobs).flatMap((j) => j.steps.filter((s) => s.id === 'stale-approval' || s.id === 'fail-cutover'))
    expect(scripts.map((s) => s.id)).toEqual(['stale-approval', 'stale-approval', 'fail-cutover'])
    for (const s of scripts) expect(s.run?.trim().split('\n').at(-1)?.trim()).toBe('exit 1')
  })

  it("GitHub's parser reads the workflow without an error", () => {
    expect(wf.errors).toEqual([])
  })
})

describe('NO-GO means nobody is asked to approve', () => {
  it.each<[string, Row]>([
    ['decide says NO-GO', { decision: 'NO-GO', fail: [{ job: 'decide', step: 'decide' }] }],
    [
      'the pre-flight checklist failed',
      {
        decision: 'NO-GO',
        fail: [
          { job: 'preflight', step: 'checklist' },
          { job: 'decide', step: 'decide' },
        ],
      },
    ],
    [
      'the pre-flight reports could not be downloaded (no decision at all)',
      { fail: [{ job: 'decide', step: '__actions_download-artifact' }] },
    ],
    ['the config could not be pinned', { fail: [{ job: 'pin', step: 'config' }] }],
  ])('%s: no approval, no promotion, no rollback, no last known good', (_, row) => {
    const sim = run(row)
    for (const job of ['approve', 'promote', 'verify', 'rollback', 'record']) expect(ran(sim, job), job).toBe(false)
    expect(events(sim)).not.toContain('approved')
    expect(events(sim)).not.toContain('go')
  })

  it('the NO-GO is decided, recorded in a bundle and announced', () => {
    const sim = run({ decision: 'NO-GO', fail: [{ job: 'decide', step: 'decide' }] })
    expect(sim.jobs.decide.result).toBe('failure')
    expect(ran(sim, 'bundle')).toBe(true)
    expect(events(sim)).toEqual(['start', 'phase', 'no-go'])
  })
})

describe('a failed step at any weight rolls back and notifies', () => {
  const rows = WEIGHTS.flatMap((weight): [string, number, Row][] => [
    [`the canary gate fails at ${weight}%`, weight, { fail: [{ job: 'promote', step: 'canary', weight }] }],
    [`the promote command fails at ${weight}%`, weight, { fail: [{ job: 'promote', step: 'promote', weight }] }],
    [
      `the abort drill at ${weight}%`,
      weight,
      { inputs: { 'abort-drill': String(weight) }, fail: [{ job: 'promote', step: 'promote', weight }] },
    ],
  ])
  it.each(rows)('%s', (_, weight, row) => {
    const sim = run(row)
    // In order, and nothing after the failed step is promoted.
    expect(promoted(sim)).toEqual(WEIGHTS.filter((w) => w <= weight))
    expect(ran(sim, 'verify')).toBe(false)
    expect(ran(sim, 'rollback')).toBe(true)
    // The release is checked out, so `./deploy/abort.sh` exists, and the command runs.
    const checkout = stepsRun(sim, 'rollback').find((s) => s.uses?.startsWith('actions/checkout@') && !s.with.path)
    expect(checkout?.with.ref).toBe(RELEASE)
    expect(step(sim, 'rollback', 'rollback')?.env.ROLLBACK).toBe('./deploy/abort.sh --reason "$REASON"')
    const rollback = notifications(sim).find((n) => n.event === 'rollback')
    expect(rollback?.message).toMatch(/canary-50: FAIL/)
    // The failed step said so at its checkpoint, and nobody was told the system is live.
    expect(
      notifications(sim)
        .filter((n) => n.event === 'phase' && n.job === 'promote')
        .map((n) => n.message),
    ).toEqual(WEIGHTS.filter((w) => w <= weight).map((w) => `Canary ${w}%`))
    expect(events(sim)).not.toContain('go')
    expect(sim.jobs.rollback.result).toBe('failure')
  })

  it('the rollback is announced even when the rollback command fails, and before it runs', () => {
    const sim = run({
      fail: [
        { job: 'promote', step: 'canary', weight: 25 },
        { job: 'rollback', step: 'rollback' },
      ],
    })
    const order = stepsRun(sim, 'rollback').map((s) => s.name ?? s.id)
    expect(order.indexOf('Notify rollback')).toBeGreaterThan(-1)
    expect(order.indexOf('Notify rollback')).toBeLessThan(order.indexOf('Roll back'))
  })

  it('the rollback command runs even when everything before it in the job failed', () => {
    const sim = run({
      fail: [
        { job: 'promote', step: 'canary', weight: 10 },
        { job: 'rollback', step: '__actions_checkout' },
        { job: 'rollback', step: 'Notify rollback' },
      ],
    })
    expect(step(sim, 'rollback', 'rollback')).toBeDefined()
  })
})

describe('a degraded service during the rollout rolls back: the step gates', () => {
  it.each(WEIGHTS)('a step gate (readyz degraded, so warn, failing the step) at %i% rolls back before the canary hold', (weight) => {
    const sim = run({ inputs: { 'step-gates': 'api-readyz' }, fail: [{ job: 'promote', step: 'step-gates', weight }] })
    const gates = stepsRun(sim, 'promote').filter((s) => s.id === 'step-gates')
    expect(gates.map((s) => [weightOf(s), s.with['fail-on'], s.with['id-suffix']])).toEqual(
      WEIGHTS.filter((w) => w <= weight).map((w) => [w, 'warn', `-${w}`]),
    )
    // The canary hold of the failed step never starts; nothing after it is promoted.
    expect(
      stepsRun(sim, 'promote')
        .filter((s) => s.id === 'canary')
        .map(weightOf),
    ).toEqual(WEIGHTS.filter((w) => w < weight))
    expect(ran(sim, 'rollback')).toBe(true)
    expect(ran(sim, 'record')).toBe(false)
  })

  it('without step-gates, each step runs only its canary gate', () => {
    expect(stepsRun(run({}), 'promote').filter((s) => s.id === 'step-gates')).toEqual([])
  })
})

describe('a cancelled verification or promotion rolls back', () => {
  it.each<[string, Row]>([
    ['the verification is cancelled', { fail: [{ job: 'verify', step: '__self', outcome: 'cancelled' }] }],
    ['the verification fails', { fail: [{ job: 'verify', step: '__self' }] }],
    ['the run is cancelled during the canary', { cancelDuring: 'promote' }],
    ['the run is cancelled during the verification', { cancelDuring: 'verify' }],
  ])('%s', (_, row) => {
    const sim = run(row)
    expect(ran(sim, 'rollback')).toBe(true)
    expect(ran(sim, 'record')).toBe(false)
    expect(events(sim)).toContain('rollback')
    expect(events(sim)).not.toContain('go')
  })
})

describe('a failed rollback is reported, loudly', () => {
  const canaryFails: Failure = { job: 'promote', step: 'canary', weight: 50 }
  it.each<[string, Failure[]]>([
    ['the rollback command fails', [canaryFails, { job: 'rollback', step: 'rollback' }]],
    ['the rollback command is cancelled (timed out)', [canaryFails, { job: 'rollback', step: 'rollback', outcome: 'cancelled' }]],
    ['the rollback verification fails', [canaryFails, { job: 'rollback', step: 'rollback-verify' }]],
  ])('%s: ROLLBACK FAILED in the summary, the check run and the notification', (_, fail) => {
    const sim = run({ fail })
    expect(step(sim, 'rollback', 'outcome')?.env.FAILED).toBe('true')
    expect(step(sim, 'rollback', 'Publish the rollback check run')?.env.FAILED).toBe('true')
    expect(step(sim, 'rollback', 'fail-cutover')?.env.FAILED).toBe('true')
    expect(events(sim)).toContain('rollback-failed')
    expect(ran(sim, 'record')).toBe(false)
  })

  it('a rollback that worked and was verified is not called failed', () => {
    const sim = run({ fail: [canaryFails] })
    expect(step(sim, 'rollback', 'Publish the rollback check run')?.env.FAILED).toBe('false')
    expect(events(sim)).not.toContain('rollback-failed')
    expect(
      notifications(sim)
        .filter((n) => n.job === 'rollback')
        .map((n) => [n.event, n.message]),
    ).toEqual([
      ['rollback', 'canary-50: FAIL: error rate 2% above abort-error-rate 0.5%'],
      ['phase', 'Rollback verification'],
    ])
  })

  it('without rollback-verify, the command alone decides', () => {
    const sim = run({ inputs: { 'rollback-verify': '' }, fail: [canaryFails] })
    expect(step(sim, 'rollback', 'rollback-verify')).toBeUndefined()
    expect(step(sim, 'rollback', 'outcome')?.env.FAILED).toBe('false')
  })

  it('the rule of a failed rollback is one expression, the same wherever it is used', () => {
    const y = parse(readFileSync(path.resolve(import.meta.dirname, '../..', FILE), 'utf8')) as {
      jobs: { rollback: { steps: { name?: string; env?: Record<string, string>; if?: string }[] } }
    }
    const rule =
      "steps.rollback.outcome != 'success' || steps.rollback-verify.outcome == 'failure' || steps.rollback-verify.outcome == 'cancelled'"
    const uses = y.jobs.rollback.steps.filter((s) => s.env?.FAILED !== undefined || s.if?.includes('steps.rollback.outcome'))
    expect(uses.length).toBe(4)
    for (const s of uses) expect(s.env?.FAILED ?? s.if).toContain(rule)
  })
})

describe('last known good', () => {
  it('a successful run records it, then announces GO-LIVE: after the last step and the verification', () => {
    const sim = run({})
    expect(promoted(sim)).toEqual(WEIGHTS)
    expect(ran(sim, 'rollback')).toBe(false)
    expect(step(sim, 'record', 'Record the deployment')).toBeDefined()
    expect(events(sim)).toEqual(['start', 'phase', 'approved', 'phase', 'phase', 'phase', 'phase', 'phase', 'go'])
    expect(notifications(sim).map((n) => n.message ?? n.event)).toEqual([
      'start',
      'Pre-flight',
      'approved',
      'Canary 10%',
      'Canary 25%',
      'Canary 50%',
      'Canary 100%',
      'Verification',
      'go',
    ])
    expect(notifications(sim).at(-1)?.job).toBe('record')
  })

  it('without a verification, the last step is enough', () => {
    const sim = run({ inputs: { verify: '' } })
    expect(ran(sim, 'verify')).toBe(false)
    expect(ran(sim, 'record')).toBe(true)
  })

  it('evidence that says NO-GO (a broken ledger, a stale report) records nothing and announces nothing', () => {
    const sim = run({ evidence: 'NO-GO' })
    expect(ran(sim, 'record')).toBe(false)
    expect(events(sim)).not.toContain('go')
    expect(notifications(sim).at(-1)).toMatchObject({ job: 'bundle', event: 'phase', message: 'Evidence bundle' })
  })

  it.each<[string, Row]>([
    ['a failed canary', { fail: [{ job: 'promote', step: 'canary', weight: 100 }] }],
    ['a failed verification', { fail: [{ job: 'verify', step: '__self' }] }],
    [
      'a failed rollback',
      {
        fail: [
          { job: 'promote', step: 'canary', weight: 10 },
          { job: 'rollback', step: 'rollback' },
        ],
      },
    ],
    ['a cancelled run', { cancelDuring: 'promote' }],
  ])('a rollback never records it: %s', (_, row) => {
    const sim = run(row)
    expect(ran(sim, 'rollback')).toBe(true)
    expect(ran(sim, 'record')).toBe(false)
  })
})

describe('re-runs never promote on an earlier approval', () => {
  it('"re-run failed jobs" after a rolled-back canary: the promotion is refused, nothing is promoted, the rollback is retried', () => {
    const first = run({ fail: [{ job: 'promote', step: 'canary', weight: 50 }] })
    expect(promoted(first)).toEqual([10, 25, 50])
    const again = simulate(wf, rerunFailed(wf, first, scenario({})))
    expect(again.jobs.approve.carried).toBe(true)
    expect(again.jobs.approve.outputs.attempt).toBe('1')
    // Only the failed and the cancelled legs run again, and each refuses.
    const refused = stepsRun(again, 'promote').filter((s) => s.id === 'stale-approval')
    expect(refused.map(weightOf)).toEqual([50])
    expect(promoted(again)).toEqual([])
    expect(ran(again, 'record')).toBe(false)
    expect(ran(again, 'rollback')).toBe(true)
    // The reason step is told it is a re-run on an earlier approval (its wording: cutover-scripts.test.ts).
    expect(step(again, 'rollback', 'reason')?.env).toMatchObject({ APPROVED_ATTEMPT: '1', RUN_ATTEMPT: '2' })
  })

  it('a re-run after a failed verification verifies nothing and records nothing', () => {
    const first = run({ fail: [{ job: 'verify', step: '__self' }] })
    const again = simulate(wf, rerunFailed(wf, first, scenario({})))
    expect(step(again, 'verify', 'stale-approval')).toBeDefined()
    expect(step(again, 'verify', '__self')).toBeUndefined()
    expect(ran(again, 'record')).toBe(false)
  })

  it('a re-run of a failed rollback retries the rollback: it is never refused', () => {
    const first = run({
      fail: [
        { job: 'promote', step: 'canary', weight: 25 },
        { job: 'rollback', step: 'rollback' },
      ],
    })
    const again = simulate(wf, rerunFailed(wf, first, scenario({})))
    expect(step(again, 'rollback', 'rollback')).toBeDefined()
  })

  it('a re-run of a failed evidence bundle (nothing rolled back) records last known good, on the evidence since pre-flight', () => {
    const first = run({ fail: [{ job: 'bundle', step: 'sign' }] })
    expect(ran(first, 'record')).toBe(false)
    const again = simulate(wf, rerunFailed(wf, first, scenario({})))
    expect(promoted(again)).toEqual([])
    expect(step(again, 'bundle', 'required')?.env).toMatchObject({ FROM_ATTEMPT: '1', RUN_ATTEMPT: '2' })
    expect(step(again, 'record', 'Record the deployment')).toBeDefined()
    expect(notifications(again).map((n) => n.event)).toEqual(['go'])
  })

  it('"re-run all jobs" asks for a fresh approval, and promotes on it', () => {
    const sim = run({ github: { run_attempt: '2' } })
    expect(sim.jobs.approve.outputs.attempt).toBe('2')
    expect(promoted(sim)).toEqual(WEIGHTS)
  })
})

describe('every step holds and is judged only on what came after its promotion', () => {
  it('the canary gate of each step gets not-before from its promotion, its own hold, a wait at least as long, and the recorded baseline', () => {
    const sim = run({})
    const canary = stepsRun(sim, 'promote').filter((s) => s.id === 'canary')
    expect(canary.map((s) => [weightOf(s), parse(s.with.set)])).toEqual(
      WEIGHTS.map((w) => [
        w,
        {
          'not-before': '2026-03-02T12:00:00Z',
          hold: HOLDS[w],
          wait: '90m',
          'baseline-file': '/home/runner/work/shop/shop/cutover-baseline/baseline.json',
        },
      ]),
    )
    expect(canary.map((s) => s.with['fail-on'])).toEqual(['warn', 'warn', 'warn', 'warn'])
    const baseline = step(sim, 'preflight', 'baseline')
    expect(parse(baseline!.with.set)).toEqual({
      'record-baseline': '/home/runner/work/shop/shop/cutover-baseline/baseline.json',
      wait: '0s',
      hold: '0s',
    })
  })

  it('without record-baseline nothing is recorded and no step names a baseline file', () => {
    const sim = run({ inputs: { 'record-baseline': false } })
    expect(step(sim, 'preflight', 'baseline')).toBeUndefined()
    for (const s of stepsRun(sim, 'promote').filter((x) => x.id === 'canary')) expect(parse(s.with.set)).not.toHaveProperty('baseline-file')
    expect(step(sim, 'decide', 'decide')?.with.required.trim()).toBe('api-readyz,rc-proof')
  })

  it('decide requires every pre-flight gate and the baseline; with no gate named, a gate that cannot exist', () => {
    const sim = run({})
    expect(step(sim, 'decide', 'decide')?.with.required.split(/\s+/).filter(Boolean)).toEqual(['api-readyz,rc-proof', 'canary-baseline'])
    const none = simulate(wf, {
      ...scenario({}),
      step: (s) => (s.job === 'preflight' && s.id === 'checklist' ? { outcome: 'failure' } : behaviour({})(s)),
    })
    expect(step(none, 'decide', 'decide')?.with.required.split(/\s+/).filter(Boolean)).toEqual([
      'pre-flight-named-no-gates',
      'canary-baseline',
    ])
  })

  it('phase fail-on: pre-flight fails on a fail, the steps and the verifications on a warning, and each can be set', () => {
    const sim = run({ fail: [{ job: 'promote', step: 'canary', weight: 100 }] })
    expect(step(sim, 'preflight', 'checklist')?.with['fail-on']).toBe('fail')
    expect(step(sim, 'verify', '__self')).toBeUndefined()
    expect(step(sim, 'rollback', 'rollback-verify')?.with['fail-on']).toBe('warn')
    const set = run({ inputs: { 'preflight-fail-on': 'warn', 'steps-fail-on': 'fail', 'verify-fail-on': 'never' } })
    expect(step(set, 'preflight', 'checklist')?.with['fail-on']).toBe('warn')
    expect(step(set, 'promote', 'canary')?.with['fail-on']).toBe('fail')
    expect(step(set, 'verify', '__self')?.with['fail-on']).toBe('never')
  })
})
