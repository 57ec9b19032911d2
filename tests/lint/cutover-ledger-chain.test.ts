// One hash chain across the reusable workflow's jobs, and the approval bound to the pre-flight
// decision: every job that records gate reports into the evidence continues the ledger of the job
// that ran before it, in the order of the job graph; the bundle job judges the folders as one
// chain, and compares the digest the reviewers approved with the pre-flight bundle it went on with.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadWorkflow, simulate, stepsRun, type LoadedWorkflow, type StepBehaviour, type StepRef } from './job-graph.js'

const FILE = '.github/workflows/cutover.yml'
const root = path.resolve(import.meta.dirname, '../..')
interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  env?: Record<string, string>
  with?: Record<string, string>
}
interface Job {
  needs?: string | string[]
  env?: Record<string, string>
  outputs?: Record<string, string>
  steps: Step[]
}
const wf = parse(readFileSync(path.join(root, FILE), 'utf8')) as { jobs: Record<string, Job> }
const needsOf = (id: string) => [wf.jobs[id].needs ?? []].flat()
/** Every job `id` waits for, directly or not. */
function before(id: string, seen = new Set<string>()): Set<string> {
  for (const n of needsOf(id)) if (!seen.has(n)) before(n, seen.add(n))
  return seen
}
const isUpload = (s: Step) => (s.uses ?? '').startsWith('actions/upload-artifact@')
/** The report folder a job uploads as evidence (`cutover-reports-*`), the one the bundle job judges. */
const evidenceFolders = (job: Job) =>
  job.steps.filter((s) => isUpload(s) && (s.with?.name ?? '').startsWith('cutover-reports-')).map((s) => s.with!.path.replace(/\/$/, ''))
/** The steps that run a gate action into the job's evidence folder (notify's reports are no evidence). */
const recordingSteps = (job: Job) => {
  const folders = evidenceFolders(job)
  return job.steps.filter((s) => (s.uses ?? '').startsWith('./.cutover-gates') && folders.includes(s.with?.['report-dir'] ?? ''))
}
const recordingJobs = () => Object.keys(wf.jobs).filter((id) => recordingSteps(wf.jobs[id]).length > 0)
/** The jobs a `${{ … }}` value reads a `ledger-head` of, in the order it names them. */
const headsNamed = (value: string) => [...value.matchAll(/needs\.([\w-]+)\.outputs\.ledger-head/g)].map((m) => m[1])

/** Every gate action, as a workflow step names it. */
const gatesActions = () => Object.fromEntries(readdirSync(path.join(root, 'actions')).map((d) => [`./.cutover-gates/actions/${d}`, d]))

/** The chain in the order the jobs run: each after the one before it in the graph. */
const CHAIN = ['preflight', 'approve', 'promote', 'verify', 'rollback']

let loaded: LoadedWorkflow
beforeAll(async () => {
  loaded = await loadWorkflow(FILE)
})

describe('cutover.yml: one ledger chain across the jobs', () => {
  it('the jobs that record evidence are the chain, and its order is the order of the job graph', () => {
    expect(recordingJobs().sort()).toEqual([...CHAIN].sort())
    for (let i = 1; i < CHAIN.length; i++) {
      expect(before(CHAIN[i]).has(CHAIN[i - 1]), `${CHAIN[i]} runs after ${CHAIN[i - 1]}`).toBe(true)
      // No recording job runs between two links: the one before is the latest one it waits for.
      const between = CHAIN.filter((c) => c !== CHAIN[i - 1] && before(CHAIN[i]).has(c) && before(c).has(CHAIN[i - 1]))
      expect(between, CHAIN[i]).toEqual([])
    }
    // decide records no evidence: its bundle is bound by its digest, not chained.
    expect(recordingJobs()).not.toContain('decide')
  })

  it('the first job starts the chain; every later one continues the head of the job before it, which it needs', () => {
    for (const s of recordingSteps(wf.jobs.preflight))
      expect(s.env?.CUTOVER_LEDGER_PREV ?? wf.jobs.preflight.env?.CUTOVER_LEDGER_PREV).toBeUndefined()
    for (let i = 1; i < CHAIN.length; i++) {
      const id = CHAIN[i]
      const job = wf.jobs[id]
      for (const s of recordingSteps(job)) {
        const value = s.env?.CUTOVER_LEDGER_PREV ?? job.env?.CUTOVER_LEDGER_PREV
        expect(value, `${id}/${s.id ?? s.name}`).toBeDefined()
        // Straight from a job it needs, or through the job's `chain` step, which reads one.
        const chain = /^\$\{\{ steps\.chain\.outputs\.head \}\}$/.test(value!) ? job.steps.find((x) => x.id === 'chain') : undefined
        const named = chain ? headsNamed(Object.values(chain.env ?? {}).join('\n')) : headsNamed(value!)
        expect(named[0], `${id} continues the job before it`).toBe(CHAIN[i - 1])
        for (const n of named) expect(needsOf(id), `${id} needs ${n}`).toContain(n)
      }
    }
  })

  it('every job before the last hands on the head of its last recording step, the later steps first', () => {
    for (const id of CHAIN.slice(0, -1)) {
      const out = wf.jobs[id].outputs?.['ledger-head']
      expect(out, id).toBeDefined()
      const ids = [...out!.matchAll(/steps\.([\w-]+)\.outputs\.ledger-head/g)].map((m) => m[1])
      const recording = recordingSteps(wf.jobs[id]).map((s) => s.id)
      expect(
        recording.every((r) => r !== undefined),
        `${id}: every recording step has an id`,
      ).toBe(true)
      expect(ids, id).toEqual([...recording].reverse())
    }
  })

  it('a canary step after the first continues the step before it, from the ledger that step uploaded', () => {
    const job = wf.jobs.promote
    const upload = job.steps.find((s) => isUpload(s) && s.with!.name.startsWith('cutover-reports-canary-'))!
    const download = job.steps.find((s) => s.name === 'Ledger of the step before')!
    expect(download.if).toBe('matrix.step.after != 0')
    expect(download.with?.name).toBe(upload.with!.name.replace('matrix.step.weight', 'matrix.step.after'))
    const chain = job.steps.find((s) => s.id === 'chain')!
    expect(chain.run).toContain(`${download.with!.path}/ledger.jsonl`)
    // Before anything is promoted: a step without a head to continue promotes nothing.
    const names = job.steps.map((s) => s.id ?? s.name)
    expect(names.indexOf('chain')).toBeLessThan(names.indexOf('promote'))
    expect(names.indexOf('chain')).toBeGreaterThan(names.indexOf('stale-approval'))
  })

  it('every action output the workflow reads is one its action.yml declares (ledger-head, digest, approvals…)', () => {
    const declared = (uses: string) => {
      const dir = uses.replace(/^\.\/\.cutover-gates\/?/, '')
      const yml = parse(readFileSync(path.join(root, dir, 'action.yml'), 'utf8')) as { outputs?: Record<string, unknown> }
      return Object.keys(yml.outputs ?? {})
    }
    const read: string[] = []
    for (const [id, job] of Object.entries(wf.jobs)) {
      const texts = [
        ...Object.values(job.outputs ?? {}),
        ...job.steps.flatMap((s) => [...Object.values(s.env ?? {}), ...Object.values(s.with ?? {}), s.if ?? '']),
      ]
      for (const [, step, output] of texts.flatMap((t) => [...String(t).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)])) {
        const uses = job.steps.find((s) => s.id === step)?.uses
        expect(
          job.steps.some((s) => s.id === step),
          `${id}: no step ${step}`,
        ).toBe(true)
        if (!uses?.startsWith('./.cutover-gates')) continue
        expect(declared(uses), `${id}/${step} (${uses}) outputs ${output}`).toContain(output)
        read.push(`${id}/${step}.${output}`)
      }
    }
    expect(read).toEqual(expect.arrayContaining(['preflight/checklist.ledger-head', 'decide/decide.digest', 'approve/guard.approvals']))
    for (const uses of ['./.cutover-gates', ...Object.keys(gatesActions())]) expect(declared(uses), uses).toContain('ledger-head')
  })

  it('the bundle job judges the folders as one linked chain', () => {
    const sign = wf.jobs.bundle.steps.find((s) => s.id === 'sign')!
    expect(sign.uses).toBe('./.cutover-gates/actions/decide')
    expect(sign.with?.['ledger-chain']).toBe('linked')
  })
})

/** A run that goes all the way: every step succeeds, each recording step reports its own head. */
const head = (c: string) => c.repeat(64)
const DIGEST = `sha256:${'d'.repeat(64)}`
function behaviour(decision: 'GO' | 'NO-GO'): (s: StepRef) => StepBehaviour | undefined {
  const heads: Record<string, string> = {
    'preflight/checklist': head('1'),
    'preflight/baseline': head('2'),
    'approve/guard': head('3'),
    'promote/canary': head('4'),
    'verify/verify': head('5'),
  }
  return (s) => {
    if (s.id === 'stale-approval' || s.id === 'fail-cutover') return { outcome: 'failure' }
    const outputs: Record<string, Record<string, string>> = {
      'pin/pin': { sha: 'abcdefabcdefabcdefabcdefabcdefabcdefabcd' },
      'pin/config': { sha: '2222222222222222222222222222222222222222' },
      'pin/plan': { steps: JSON.stringify([10, 100].map((weight, i) => ({ weight, hold: '0s', wait: '5m', after: i ? 10 : 0 }))) },
      'preflight/checklist': { gates: 'api-readyz', status: 'pass' },
      'decide/decide': { decision, digest: DIGEST },
      'approve/guard': { approvals: '[{"user":"rc"}]' },
      'approve/bind': { approvals: `[{"user":"rc","approvedDigest":"${DIGEST}"}]`, 'approved-digest': DIGEST },
      'bundle/required': { ids: 'api-readyz' },
      'bundle/sign': { decision: 'GO' },
    }
    const key = `${s.job}/${s.id}`
    return { outputs: { ...outputs[key], ...(heads[key] ? { 'ledger-head': heads[key] } : {}) } }
  }
}

describe('cutover.yml: the chain and the binding, routed through a run', () => {
  it('each job gets the head of the job before it: pre-flight (its baseline) → approve → the first canary step → verify', () => {
    const sim = simulate(loaded, { inputs: { verify: 'api-readyz' }, step: behaviour('GO') })
    expect(sim.jobs.preflight.outputs['ledger-head']).toBe(head('2'))
    expect(sim.jobs.approve.legs[0].env?.CUTOVER_LEDGER_PREV).toBe(head('2'))
    expect(sim.jobs.approve.outputs['ledger-head']).toBe(head('3'))
    const chains = sim.jobs.promote.legs.map((l) => l.steps.find((s) => s.id === 'chain')!)
    expect(chains.map((c) => c.env.AFTER)).toEqual(['0', '10'])
    expect(chains[0].env.APPROVED_HEAD).toBe(head('3'))
    expect(sim.jobs.promote.legs[1].steps.find((s) => s.name === 'Ledger of the step before')?.with.name).toBe(
      'cutover-reports-canary-10-attempt-1',
    )
    expect(sim.jobs.promote.legs[0].steps.find((s) => s.name === 'Ledger of the step before')?.ran).toBe(false)
    expect(sim.jobs.verify.legs[0].env?.CUTOVER_LEDGER_PREV).toBe(head('4'))
  })

  it('the approval records the digest decide output, and the bundle job compares it with the pre-flight bundle it downloaded', () => {
    const sim = simulate(loaded, { step: behaviour('GO') })
    expect(wf.jobs.decide.outputs?.digest).toBe('${{ steps.decide.outputs.digest }}')
    expect(stepsRun(sim, 'approve').find((s) => s.id === 'bind')?.env.DIGEST).toBe(DIGEST)
    expect(sim.jobs.approve.outputs).toMatchObject({ 'approved-digest': DIGEST, approvals: expect.stringContaining(DIGEST) })
    const sign = stepsRun(sim, 'bundle').find((s) => s.id === 'sign')!
    expect(sign.with['approved-digest']).toBe(DIGEST)
    expect(sign.with.approvals).toContain(DIGEST)
    // The decide job's bundle, as the bundle job downloads it: context/<artifact>/<file>.
    const decideBundle = path.basename(wf.jobs.decide.steps.find((s) => s.id === 'decide')!.with!.bundle)
    const decisionUpload = wf.jobs.decide.steps.find((s) => isUpload(s))!.with!.name.replace('${{ github.run_attempt }}', '1')
    const download = wf.jobs.bundle.steps.find((s) => (s.with?.pattern ?? '').includes('decision'))!
    expect(download.with?.path).toBe('context')
    expect(sign.with['preflight-bundle']).toBe(`context/${decisionUpload}/${decideBundle}`)
  })

  it('a NO-GO pre-flight asks nobody: the bundle job gets neither a digest nor a pre-flight bundle to bind', () => {
    const sim = simulate(loaded, { step: behaviour('NO-GO') })
    expect(sim.jobs.approve.result).toBe('skipped')
    const sign = stepsRun(sim, 'bundle').find((s) => s.id === 'sign')!
    expect(sign.with['approved-digest']).toBe('')
    expect(sign.with['preflight-bundle']).toBe('')
    expect(sign.with['ledger-chain']).toBe('linked')
  })
})
