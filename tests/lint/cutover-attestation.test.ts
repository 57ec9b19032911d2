// The reusable workflow's evidence handover: GitHub's artifact attestation in the bundle job
// only (SHA-pinned, with the two permissions it needs there and nowhere else), a failure to attest
// turned into a warning naming the plan limit, the record job writing the last-known-good payload
// with the CLI, and the rollback job handing ROLLBACK_SHA to the rollback-command.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadWorkflow, simulate, stepsRun, type LoadedWorkflow, type StepRef, type StepBehaviour } from './job-graph.js'

const FILE = '.github/workflows/cutover.yml'
const text = readFileSync(path.resolve(import.meta.dirname, '../..', FILE), 'utf8')
interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  env?: Record<string, string>
  with?: Record<string, string>
  'continue-on-error'?: boolean
}
interface Job {
  permissions?: Record<string, string>
  outputs?: Record<string, string>
  steps: Step[]
}
const wf = parse(text) as { permissions?: Record<string, string>; jobs: Record<string, Job> }
const ATTEST = /^actions\/attest(?:-build-provenance)?@/

let loaded: LoadedWorkflow
beforeAll(async () => {
  loaded = await loadWorkflow(FILE)
})

/** The decide outputs and the attest outcome a run gives; everything else succeeds. */
function behaviour(attest: 'success' | 'failure'): (s: StepRef) => StepBehaviour | undefined {
  return (s) => {
    if (s.id === 'stale-approval' || s.id === 'fail-cutover') return { outcome: 'failure' }
    if (s.job === 'bundle' && s.id === 'attest') return { outcome: attest }
    const outputs: Record<string, Record<string, string>> = {
      'pin/pin': { sha: 'abcdefabcdefabcdefabcdefabcdefabcdefabcd' },
      'pin/config': { sha: '2222222222222222222222222222222222222222' },
      'pin/plan': { steps: JSON.stringify([{ weight: 100, hold: '15m', wait: '90m' }]) },
      'preflight/checklist': { gates: 'api-readyz', status: 'pass' },
      'decide/decide': { decision: 'GO' },
      'approve/guard': { approvals: '[]' },
      'bundle/required': { ids: 'api-readyz' },
      'bundle/sign': { decision: 'GO', bundle: 'evidence/cutover-summary.json', digest: `sha256:${'e'.repeat(64)}` },
    }
    return { outputs: outputs[`${s.job}/${s.id}`] ?? {} }
  }
}

describe('GitHub artifact attestation of the evidence', () => {
  it('id-token and attestations are granted in the bundle job only, never at the top level', () => {
    expect(wf.permissions?.['id-token']).toBeUndefined()
    expect(wf.permissions?.attestations).toBeUndefined()
    for (const [id, job] of Object.entries(wf.jobs)) {
      const granted = ['id-token', 'attestations'].filter((p) => job.permissions?.[p] !== undefined && job.permissions[p] !== 'none')
      expect(granted, id).toEqual(id === 'bundle' ? ['id-token', 'attestations'] : [])
    }
    expect(wf.jobs.bundle.permissions).toMatchObject({ 'id-token': 'write', attestations: 'write' })
  })

  it('the attest action runs in the bundle job only, pinned to a full commit SHA with its release in a comment', () => {
    const uses = Object.entries(wf.jobs).flatMap(([id, j]) => j.steps.filter((s) => ATTEST.test(s.uses ?? '')).map((s) => ({ id, s })))
    expect(uses.map((u) => u.id)).toEqual(['bundle'])
    const step = uses[0].s
    expect(step.uses).toMatch(/^actions\/attest(?:-build-provenance)?@[0-9a-f]{40}$/)
    const line = text.split('\n').find((l) => l.includes(`uses: ${step.uses}`))
    expect(line).toMatch(/ # v\d+\.\d+\.\d+$/)
    expect(step['continue-on-error']).toBe(true)
    expect(step.with?.['subject-path']).toBe('evidence/cutover-summary.json')
  })

  it('a failure to attest is a warning naming the plan limit, and a success says how to verify', () => {
    const fail = simulate(loaded, { step: behaviour('failure') })
    const outcome = stepsRun(fail, 'bundle').find((s) => s.name === 'Attestation outcome')
    expect(outcome?.ran).toBe(true)
    expect(outcome?.env.OUTCOME).toBe('failure')
    const script = wf.jobs.bundle.steps.find((s) => s.name === 'Attestation outcome')?.run ?? ''
    expect(script).toMatch(/::warning title=WARN: evidence not attested by GitHub::/)
    expect(script).toMatch(/plan that includes them .*plan limit/)
    expect(script).toMatch(/gh attestation verify evidence\/cutover-summary\.json -R \$REPO/)
    const ok = simulate(loaded, { step: behaviour('success') })
    expect(stepsRun(ok, 'bundle').find((s) => s.name === 'Attestation outcome')?.env.OUTCOME).toBe('success')
    // A failed attestation does not fail the evidence job: the decision still reaches the record job.
    expect(fail.jobs.bundle.result).toBe('success')
    expect(fail.jobs.record.result).not.toBe('skipped')
  })
})

describe('last known good and the rollback target', () => {
  it('the record job writes the payload with the CLI, with the evidence digest of the bundle job', () => {
    expect(wf.jobs.bundle.outputs?.digest).toBe('${{ steps.sign.outputs.digest }}')
    const rec = wf.jobs.record.steps.find((s) => s.name === 'Record the deployment')
    expect(rec?.run).toMatch(/last-known-good record --environment "\$ENVIRONMENT"/)
    expect(rec?.env).toMatchObject({ DIGEST: '${{ needs.bundle.outputs.digest }}', SHA: '${{ needs.pin.outputs.sha }}' })
    // After the checkouts: the CLI it runs is in .cutover-gates.
    const names = wf.jobs.record.steps.map((s) => s.name ?? s.uses ?? '')
    expect(names.findIndex((n) => n === 'Record the deployment')).toBeGreaterThan(names.findIndex((n) => n.startsWith('actions/checkout@')))
    const sim = simulate(loaded, { step: behaviour('success') })
    expect(stepsRun(sim, 'record').find((s) => s.name === 'Record the deployment')?.env.DIGEST).toBe(`sha256:${'e'.repeat(64)}`)
  })

  it('the rollback job reads the last known good and exports ROLLBACK_SHA to the rollback-command', () => {
    const target = wf.jobs.rollback.steps.findIndex((s) => s.id === 'target')
    const rollback = wf.jobs.rollback.steps.findIndex((s) => s.id === 'rollback')
    expect(target).toBeGreaterThan(-1)
    expect(target).toBeLessThan(rollback)
    expect(wf.jobs.rollback.steps[target].run).toMatch(/last-known-good --environment "\$ENVIRONMENT" --field git_sha/)
    expect(wf.jobs.rollback.steps[target].if).toBe('always()')
    const step = wf.jobs.rollback.steps[rollback]
    expect(step.env?.ROLLBACK_SHA).toBe('${{ steps.target.outputs.sha }}')
    expect(step.run).toMatch(/export REASON ROLLBACK_SHA/)
    expect(wf.jobs.rollback.permissions).toMatchObject({ deployments: 'read' })
  })
})
