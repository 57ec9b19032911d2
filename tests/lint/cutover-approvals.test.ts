// The approvals of the reusable cutover workflow, simulated with GitHub's own parser and
// expression evaluator (tests/lint/job-graph.ts): manual promotion (`approve-steps`: those canary
// steps deploy to the environment again, so its reviewers are asked again, and approval-guard
// records each), the two-person rule over a second environment (`min-approvals`), the Incident
// Commander, and the maintenance window and release freeze in every pre-flight and again at GO.
// The approval-guard step's inputs, as the workflow gives them, then run through the bundled
// action against the fake GitHub: one approver, or two with the actor among them, never pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { runAction } from '../harness/run-action.js'
import * as gh from '../support/github-shapes.js'
import {
  loadWorkflow,
  named,
  ran,
  simulate,
  stepsRun,
  type LoadedWorkflow,
  type Scenario,
  type StepBehaviour,
  type StepRef,
} from './job-graph.js'

const FILE = '.github/workflows/cutover.yml'
const RELEASE = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd'

let wf: LoadedWorkflow
beforeAll(async () => {
  wf = await loadWorkflow(FILE)
})

interface Step {
  weight: number
  approve: boolean
  round: number
}

interface Row {
  inputs?: Record<string, string | boolean>
  steps?: Step[]
  /** `job/step` that fail. */
  fail?: string[]
  preflightUses?: string
}

const plan = (approve: number[] = [], base = 1): Step[] => {
  let round = base
  return [10, 25, 50, 100].map((weight) => ({ weight, approve: approve.includes(weight), round: approve.includes(weight) ? ++round : 0 }))
}

function scenario(row: Row): Scenario {
  const steps = (row.steps ?? plan()).map((s) => ({ ...s, hold: '0s', wait: '15m' }))
  return {
    inputs: {
      environment: 'production',
      'release-ref': 'v1.4.0-rc.2',
      'gates-repository': 'acme/cutover-gates',
      'gates-ref': '0123456789abcdef0123456789abcdef01234567',
      ...row.inputs,
    },
    step: (s: StepRef): StepBehaviour | undefined => {
      if (row.fail?.some((f) => f === `${s.job}/${s.id}` || f === `${s.job}/${s.name}`)) return { outcome: 'failure' }
      if (s.id === 'stale-approval' || s.id === 'fail-cutover') return { outcome: 'failure' }
      const outputs: Record<string, Record<string, string>> = {
        'pin/pin': { sha: RELEASE },
        'pin/config-ref': { ref: 'main' },
        'pin/config': { sha: '2'.repeat(40) },
        'pin/plan': { steps: JSON.stringify(steps) },
        'preflight/checklist': {
          gates: 'api-readyz,wien-window,rc-freeze',
          uses: row.preflightUses ?? 'readyz,window,release-freeze',
          status: 'pass',
        },
        'decide/decide': { decision: 'GO' },
        'approve/guard': { approvals: '[]' },
        'approve/window': { gates: 'wien-window-go', status: 'pass' },
        'promote/promote': { at: '2026-03-29T01:05:00Z' },
        'bundle/sign': { decision: 'GO' },
      }
      return { outputs: outputs[`${s.job}/${s.id}`] ?? {} }
    },
  }
}

const run = (row: Row) => simulate(wf, scenario(row))
const legs = (sim: ReturnType<typeof run>) =>
  sim.jobs.promote.legs.map((l) => ({ weight: (l.matrix.step as { weight: number }).weight, environment: l.environment }))
const step = (sim: ReturnType<typeof run>, job: string, key: string) => stepsRun(sim, job).filter((s) => named(s, key))

describe('approve-steps: manual promotion, the reviewers again before those steps', () => {
  it('the steps of approve-steps carry the environment; the others carry none', () => {
    const sim = run({ inputs: { 'approve-steps': '50,100' }, steps: plan([50, 100]) })
    expect(legs(sim)).toEqual([
      { weight: 10, environment: '' },
      { weight: 25, environment: '' },
      { weight: 50, environment: 'production' },
      { weight: 100, environment: 'production' },
    ])
  })

  it('without approve-steps no canary step waits for anyone', () => {
    expect(legs(run({})).every((l) => l.environment === '')).toBe(true)
  })

  it('each approved step records its approval, before its promotion, as the next wait for the reviewers', () => {
    const sim = run({ inputs: { 'approve-steps': '50,100' }, steps: plan([50, 100]) })
    const recorded = step(sim, 'promote', 'step-approval')
    expect(
      recorded.map((s) => [
        s.matrix.step && (s.matrix.step as unknown as Step).weight,
        s.with.id,
        s.with['approval-round'],
        s.with.environment,
        s.with['record-approvals'],
      ]),
    ).toEqual([
      [50, 'approval-guard-50', '2', 'production', 'true'],
      [100, 'approval-guard-100', '3', 'production', 'true'],
    ])
    // Before the promotion in its leg, and into the leg's reports (uploaded, so into the bundle).
    for (const leg of sim.jobs.promote.legs.filter((l) => (l.matrix.step as unknown as Step).approve)) {
      const order = leg.steps.filter((s) => s.ran).map((s) => s.id)
      expect(order.indexOf('step-approval')).toBeLessThan(order.indexOf('promote'))
      expect(leg.steps.find((s) => s.id === 'step-approval')!.with['report-dir']).toBe('canary-reports')
    }
  })

  it('the evidence bundle requires every step approval', () => {
    const sim = run({ inputs: { 'approve-steps': '50,100' }, steps: plan([50, 100]) })
    const required = step(sim, 'bundle', 'required')[0]
    expect(required.env.STEPS).toContain('"approve":true')
    // The bundle's list is computed by a script (run for real in cutover-scripts.test.ts); it reads the plan.
    expect(
      JSON.parse(required.env.STEPS)
        .filter((s: Step) => s.approve)
        .map((s: Step) => s.weight),
    ).toEqual([50, 100])
  })

  it('a step approval that does not hold fails the step, and the rollback runs', () => {
    const sim = run({ inputs: { 'approve-steps': '50' }, steps: plan([50]), fail: ['promote/step-approval'] })
    expect(sim.jobs.promote.result).toBe('failure')
    expect(step(sim, 'promote', 'promote').map((s) => (s.matrix.step as unknown as Step).weight)).toEqual([10, 25])
    expect(ran(sim, 'rollback')).toBe(true)
  })

  it('the promote job may read the approvals (actions: read)', () => {
    const job = wf.yaml.jobs.promote as { permissions?: Record<string, string> }
    expect(job.permissions).toMatchObject({ actions: 'read' })
  })
})

describe('the two-person rule: a second environment, then the GO', () => {
  const TWO = { 'min-approvals': '2', 'second-approval-environment': 'production-second-approval', 'incident-commander': 'ic-carol' }

  it('the second environment is waited for first, then the GO job, whose approval-guard counts both', () => {
    const sim = run({ inputs: TWO })
    expect(sim.jobs['approve-second'].legs[0].environment).toBe('production-second-approval')
    expect(sim.order.indexOf('approve-second')).toBeLessThan(sim.order.indexOf('approve'))
    expect(sim.jobs.approve.legs[0].environment).toBe('production')
    const guard = step(sim, 'approve', 'guard')[0]
    expect(guard.with).toMatchObject({
      environment: 'production',
      'record-approvals': 'true',
      'min-approvals': '2',
      'approval-environments': 'production-second-approval',
      'incident-commander': 'ic-carol',
    })
    expect(ran(sim, 'promote')).toBe(true)
  })

  it('without a second environment the GO job alone is asked', () => {
    const sim = run({})
    expect(sim.jobs['approve-second'].result).toBe('skipped')
    expect(ran(sim, 'approve')).toBe(true)
    expect(step(sim, 'approve', 'guard')[0].with).toMatchObject({
      'min-approvals': '1',
      'approval-environments': '',
      'incident-commander': '',
    })
  })

  it('a rejected second approval stops the cutover: no GO asked, nothing promoted, nothing to roll back', () => {
    const sim = run({ inputs: TWO, fail: ['approve-second/Second approval given'] })
    expect(sim.jobs['approve-second'].result).toBe('failure')
    expect(sim.jobs.approve.result).toBe('skipped')
    expect(ran(sim, 'promote')).toBe(false)
    expect(ran(sim, 'rollback')).toBe(false)
  })

  it('a team Incident Commander reads approvals with the approvals-token', () => {
    const sim = simulate(wf, { ...scenario({ inputs: TWO }), secrets: { 'approvals-token': 'ghs_appToken' } })
    expect(step(sim, 'approve', 'guard')[0].with['github-token']).toBe('ghs_appToken')
  })
})

describe('the window and the release freeze: in every pre-flight, and the window again at GO', () => {
  it('a named pre-flight still runs every window and release-freeze gate; an unnamed one runs all gates', () => {
    let sim = run({ inputs: { preflight: 'api-readyz' } })
    expect(step(sim, 'preflight', 'checklist')[0].with.only).toBe('api-readyz,uses:window,uses:release-freeze')
    sim = run({})
    expect(step(sim, 'preflight', 'checklist')[0].with.only).toBe('')
  })

  it('when the pre-flight ran a window gate, GO checks it again and the bundle requires that report', () => {
    const sim = run({})
    const again = step(sim, 'approve', 'window')[0]
    expect(again.with).toMatchObject({ only: 'uses:window', 'id-suffix': '-go', 'report-dir': 'approval-reports' })
    expect(step(sim, 'bundle', 'required')[0].env.WINDOW_AT_GO).toBe('wien-window-go')
    expect(step(run({ preflightUses: 'readyz,release-freeze' }), 'approve', 'window')).toEqual([])
  })

  it('a window closed by the time of the approval stops the cutover before any promotion', () => {
    const sim = run({ fail: ['approve/window'] })
    expect(sim.jobs.approve.result).toBe('failure')
    expect(ran(sim, 'promote')).toBe(false)
    expect(ran(sim, 'rollback')).toBe(false)
    expect(step(sim, 'approve', 'Notify GO to start the cutover')).toEqual([])
  })
})

describe('min-approvals 2 against the fake GitHub, with the inputs the workflow gives approval-guard', () => {
  let fake: FakeGitHub
  beforeAll(async () => {
    fake = await startFakeGitHub()
  })
  afterAll(async () => {
    await fake.close()
  })

  async function guard(reviews: ReturnType<typeof gh.runReview>[]) {
    const sim = run({ inputs: { 'min-approvals': '2', 'second-approval-environment': 'production-second-approval' } })
    const inputs = { ...step(sim, 'approve', 'guard')[0].with }
    delete inputs['github-token']
    fake.on('repos/get-environment', (req) => ({
      status: 200,
      body: gh.environment({ name: req.params.environment_name, reviewers: ['alice', 'bob', 'octocat'] }),
    }))
    fake.on('actions/get-reviews-for-run', () => ({ status: 200, body: reviews }))
    fake.invalid.length = 0
    fake.invalidResponses.length = 0
    const r = await runAction('approval-guard', {
      inputs,
      apiUrl: fake.url,
      env: { GITHUB_RUN_ID: '42', GITHUB_ACTOR: 'octocat', GITHUB_TRIGGERING_ACTOR: 'octocat' },
    })
    expect(fake.invalid).toEqual([])
    expect(fake.invalidResponses).toEqual([])
    return r
  }

  it('fails with one approver', async () => {
    const r = await guard([gh.runReview('alice', ['production'])])
    expect(r.outputs.status).toBe('fail')
    expect(r.summary).toContain('Only 1 different person approved run 42 (alice), fewer than min-approvals 2')
  })

  it('fails with two approvers when one of them is the actor', async () => {
    const r = await guard([gh.runReview('octocat', ['production-second-approval']), gh.runReview('alice', ['production'])])
    expect(r.outputs.status).toBe('fail')
    expect(r.summary).toContain('octocat started or re-ran the run, so that approval does not count')
  })

  it('passes two approvers, neither the actor', async () => {
    const r = await guard([gh.runReview('bob', ['production-second-approval']), gh.runReview('alice', ['production'])])
    expect(r.code, r.stdout).toBe(0)
    expect(r.outputs.status).toBe('pass')
  })
})
