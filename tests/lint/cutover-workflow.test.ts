// The reusable cutover workflow's shape: the order of phases is a safety property, so prove it.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = path.resolve(import.meta.dirname, '../..')
interface Job {
  needs?: string | string[]
  if?: string
  environment?: string
  permissions?: Record<string, string>
  strategy?: { 'max-parallel'?: number; 'fail-fast'?: boolean; matrix?: Record<string, unknown> }
  steps?: { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }[]
}
const wf = parse(readFileSync(path.join(root, '.github/workflows/cutover.yml'), 'utf8')) as {
  on: { workflow_call: { inputs: Record<string, unknown>; secrets: Record<string, unknown> } }
  concurrency: { group: string; 'cancel-in-progress': boolean }
  jobs: Record<string, Job>
}
const jobs = wf.jobs
const needs = (j: Job) => (Array.isArray(j.needs) ? j.needs : j.needs ? [j.needs] : [])

/** Every job that, transitively, needs `id`. */
function dependents(id: string): Set<string> {
  const out = new Set<string>()
  let grew = true
  while (grew) {
    grew = false
    for (const [name, j] of Object.entries(jobs)) {
      if (!out.has(name) && needs(j).some((n) => n === id || out.has(n))) {
        out.add(name)
        grew = true
      }
    }
  }
  return out
}

describe('cutover.yml (reusable workflow)', () => {
  it('is called, with the contract inputs', () => {
    for (const input of [
      'environment',
      'release-ref',
      'config',
      'canary-steps',
      'promote-command',
      'rollback-command',
      'dry-run',
      'abort-drill',
    ]) {
      expect(wf.on.workflow_call.inputs, input).toHaveProperty(input)
    }
    expect((wf.on.workflow_call.inputs['canary-steps'] as { default: string }).default).toBe('10,25,50,100')
  })

  it('runs one cutover per environment at a time', () => {
    expect(wf.concurrency.group).toContain('inputs.environment')
    expect(wf.concurrency['cancel-in-progress']).toBe(false)
  })

  it('pins the release first; pre-flight and decide follow', () => {
    expect(needs(jobs.preflight)).toContain('pin')
    expect(needs(jobs.decide)).toEqual(expect.arrayContaining(['pin', 'preflight']))
    expect(jobs.preflight.steps?.find((s) => s.uses === './.cutover-gates')?.with?.sha).toBe('${{ needs.pin.outputs.sha }}')
  })

  it('the approval job carries the environment, depends on decide and runs only on GO', () => {
    expect(jobs.approve.environment).toBe('${{ inputs.environment }}')
    expect(needs(jobs.approve)).toEqual(expect.arrayContaining(['decide', 'approve-second']))
    // !failure(): a rejected second approval stops it; the second approval may be skipped (none asked).
    expect(jobs.approve.if).toBe("needs.decide.outputs.decision == 'GO' && !cancelled() && !failure()")
    expect(jobs.approve.steps?.some((s) => s.uses?.endsWith('/actions/approval-guard'))).toBe(true)
    expect(jobs['approve-second'].environment).toBe('${{ inputs.second-approval-environment }}')
    expect(jobs['approve-second'].if).toBe("needs.decide.outputs.decision == 'GO' && inputs.second-approval-environment != ''")
  })

  it('no promotion or verification can run after a NO-GO: they all hang off the approval, without always()', () => {
    const after = dependents('approve')
    expect(after).toEqual(new Set(['promote', 'verify', 'rollback', 'record', 'bundle']))
    for (const id of ['promote', 'verify']) {
      expect(dependents('approve').has(id)).toBe(true)
      expect(jobs[id].if ?? '').not.toMatch(/always\(\)|failure\(\)|cancelled\(\)/)
    }
    // The jobs that do run with always() check the approval (rollback) or only record (record/bundle).
    expect(jobs.rollback.if).toContain("needs.approve.result == 'success'")
    expect(jobs.record.if).toContain("needs.promote.result == 'success'")
    expect(jobs.bundle.steps?.some((s) => s.run && /deploy|promote|rollback/i.test(s.run))).toBe(false)
  })

  it('promotes in order, one step at a time, stopping at the first failure, each followed by the canary gate', () => {
    expect(jobs.promote.strategy).toMatchObject({ 'max-parallel': 1, 'fail-fast': true })
    const steps = jobs.promote.steps ?? []
    const promote = steps.findIndex((s) => s.run?.includes('$PROMOTE'))
    const canary = steps.findIndex((s) => s.uses === './.cutover-gates' && s.with?.only === '${{ inputs.canary-gate }}')
    expect(promote).toBeGreaterThan(-1)
    expect(canary).toBeGreaterThan(promote)
  })

  it('rolls back on a failure in any promotion or verification job', () => {
    expect(needs(jobs.rollback)).toEqual(expect.arrayContaining(['promote', 'verify', 'approve']))
    expect(jobs.rollback.if).toMatch(/always\(\)/)
    expect(jobs.rollback.if).toContain("needs.promote.result == 'failure'")
    expect(jobs.rollback.if).toContain("needs.verify.result == 'failure'")
    const last = jobs.rollback.steps?.at(-1)
    expect(last?.run).toMatch(/exit 1/)
  })

  it('dry-run and abort-drill reach the promote and rollback steps through env, never inline', () => {
    const promote = jobs.promote.steps?.find((s) => s.run?.includes('$PROMOTE'))
    expect(promote?.env).toMatchObject({
      DRY_RUN: '${{ inputs.dry-run }}',
      DRILL: '${{ inputs.abort-drill }}',
      PROMOTE: '${{ inputs.promote-command }}',
    })
    const rollback = jobs.rollback.steps?.find((s) => s.run?.includes('$ROLLBACK'))
    expect(rollback?.env).toMatchObject({ DRY_RUN: '${{ inputs.dry-run }}', ROLLBACK: '${{ inputs.rollback-command }}' })
  })

  it('records a deployment as last known good, and uploads one signed evidence bundle', () => {
    expect(jobs.record.permissions).toMatchObject({ deployments: 'write' })
    expect(jobs.record.steps?.some((s) => s.run?.includes('last-known-good record'))).toBe(true)
    const sign = jobs.bundle.steps?.find((s) => s.uses?.endsWith('/actions/decide'))
    expect(sign?.with).toMatchObject({ 'signing-key': '${{ secrets.signing-key }}', 'hmac-key': '${{ secrets.hmac-key }}' })
    expect(
      jobs.bundle.steps?.some(
        (s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.name === 'cutover-evidence-attempt-${{ github.run_attempt }}',
      ),
    ).toBe(true)
  })

  it('every job has explicit, least-privilege permissions', () => {
    for (const [id, j] of Object.entries(jobs)) {
      expect(j.permissions, id).toBeDefined()
      for (const [scope, level] of Object.entries(j.permissions ?? {})) {
        // id-token and attestations only for GitHub's artifact attestation (tests/lint/cutover-attestation.test.ts).
        const allowed = id === 'bundle' ? ['checks', 'deployments', 'id-token', 'attestations'] : ['checks', 'deployments']
        if (level === 'write') expect(allowed, `${id}: ${scope}: write`).toContain(scope)
      }
    }
  })
})
