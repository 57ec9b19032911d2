// The judged do not choose the judge, and nothing is lost on the way to the bundle: static tests
// of both reusable workflows, with GitHub's own parser and evaluator computing what each step
// would receive on a pull_request event and on a push.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadWorkflow, simulate, stepsRun, type LoadedWorkflow, type StepBehaviour, type StepRun } from './job-graph.js'

const root = path.resolve(import.meta.dirname, '../..')
const BASE = 'b'.repeat(40)
const HEAD = 'c'.repeat(40)
const MERGE = 'd'.repeat(40)
const GATES_REF = '0123456789abcdef0123456789abcdef01234567'

interface YamlStep {
  id?: string
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
const yamlOf = (rel: string) =>
  parse(readFileSync(path.join(root, rel), 'utf8')) as { jobs: Record<string, { steps: YamlStep[]; permissions?: Record<string, string> }> }

const isGate = (s: { uses?: string }) => s.uses === './.cutover-gates' || s.uses?.startsWith('./.cutover-gates/actions/')
const checkouts = (steps: StepRun[]) => steps.filter((s) => s.uses?.startsWith('actions/checkout@'))

describe('release-gates.yml: on pull requests the config and the gates come from the base', () => {
  let wf: LoadedWorkflow
  beforeAll(async () => {
    wf = await loadWorkflow('.github/workflows/release-gates.yml')
  })
  const inputs = { 'gates-repository': 'acme/cutover-gates', 'gates-ref': GATES_REF, config: 'ops/cutover.yml' }
  const pullRequest = {
    event_name: 'pull_request',
    sha: MERGE,
    event: { pull_request: { base: { sha: BASE }, head: { sha: HEAD } } },
  }

  function run(github: Record<string, unknown>) {
    const sim = simulate(wf, { inputs, github: github as never })
    const steps = stepsRun(sim, 'gates')
    const checklist = steps.find((s) => s.id === 'checklist')!
    const configPath = checklist.with.config
    const configDir = configPath.split('/')[0]
    const trusted = checkouts(steps).find((s) => s.with.path === configDir)
    return { steps, checklist, configPath, trusted }
  }

  it('the config path is read from a checkout of the base commit, never the head or the merge commit', () => {
    const { configPath, trusted } = run(pullRequest)
    expect(configPath).toBe('.cutover-base/ops/cutover.yml')
    expect(trusted?.with.ref).toBe(BASE)
    expect(trusted?.with.repository ?? '').toBe('')
  })

  it('the head is only measured: its own folder, no credentials, read-only before any gate runs, named by CUTOVER_RELEASE_DIR', () => {
    const { steps, checklist } = run(pullRequest)
    const head = checkouts(steps).find((s) => s.with.ref === HEAD)!
    expect(head.with.path).toBe('.cutover-head')
    expect(head.with['persist-credentials']).toBe('false')
    const readOnly = steps.findIndex((s) => s.name === 'Make the judged checkout read-only')
    expect(readOnly).toBeGreaterThan(steps.indexOf(head))
    expect(readOnly).toBeLessThan(steps.indexOf(checklist))
    expect(checklist.env.CUTOVER_RELEASE_DIR).toMatch(/\/\.cutover-head$/)
    // The checks attach to the head, the commit being judged.
    expect(checklist.with.sha).toBe(HEAD)
  })

  it('no checkout lands at the workspace root: `./` holds nothing a pull request wrote', () => {
    const { steps } = run(pullRequest)
    for (const c of checkouts(steps)) expect(c.with.path, JSON.stringify(c.with)).toMatch(/^\.cutover-(base|head|gates)$/)
    for (const c of checkouts(steps)) expect(c.with['persist-credentials']).toBe('false')
  })

  it('the gate actions come from Cutover Gates at the pinned gates-ref, and gates-ref must be a full SHA', () => {
    const { steps } = run(pullRequest)
    const gates = checkouts(steps).find((s) => s.with.path === '.cutover-gates')!
    expect(gates.with).toMatchObject({ repository: 'acme/cutover-gates', ref: GATES_REF })
    for (const s of yamlOf('.github/workflows/release-gates.yml').jobs.gates.steps.filter((x) => x.uses?.startsWith('./')))
      expect(isGate(s), s.uses).toBe(true)
    const check = steps.find((s) => s.name === 'Check the gates ref')!
    expect(check.env.GATES_REF).toBe(GATES_REF)
  })

  it('a pull request that edits cutover.yml changes neither the gates nor their inputs: no input of a gate comes from the head', () => {
    const { steps } = run(pullRequest)
    for (const s of steps.filter(isGate)) for (const [k, v] of Object.entries(s.with)) if (k !== 'sha') expect(v, k).not.toContain(HEAD)
    const text = readFileSync(path.join(root, '.github/workflows/release-gates.yml'), 'utf8')
    expect(text).not.toMatch(/config:\s*\.cutover-head|config:\s*\$\{\{\s*inputs\.config\s*\}\}/)
  })

  it('outside a pull request (push, workflow_dispatch) both sides are the commit of the run', () => {
    const { trusted, checklist, steps } = run({ event_name: 'push', sha: MERGE, event: {} })
    expect(trusted?.with.ref).toBe(MERGE)
    expect(checkouts(steps).find((s) => s.with.path === '.cutover-head')?.with.ref).toBe(MERGE)
    expect(checklist.with.sha).toBe(MERGE)
  })

  it('pull_request_target reads the same base: the workflow file and the config are then both the base branch’s', () => {
    const { trusted } = run({ ...pullRequest, event_name: 'pull_request_target' })
    expect(trusted?.with.ref).toBe(BASE)
  })
})

describe('cutover.yml: the release under test never supplies its own config', () => {
  let wf: LoadedWorkflow
  beforeAll(async () => {
    wf = await loadWorkflow('.github/workflows/cutover.yml')
  })
  const inputs = {
    environment: 'production',
    'release-ref': 'release/3.6',
    'gates-repository': 'acme/cutover-gates',
    'gates-ref': GATES_REF,
    verify: 'api-readyz',
    'rollback-verify': 'api-readyz',
  }
  const CONFIG_SHA = 'e'.repeat(40)
  const step = (sim: ReturnType<typeof simulate>, job: string, key: string) =>
    stepsRun(sim, job).find((s) => s.id === key || s.name === key)
  const run = (extra: Record<string, string> = {}, fail?: string) =>
    simulate(wf, {
      inputs: { ...inputs, ...extra },
      secrets: { 'webhook-url': 'https://hooks.example.com/x' },
      step: (s): StepBehaviour | undefined => {
        if (s.job === 'pin' && s.id === 'config-ref') return { outputs: { ref: extra['config-ref'] || 'main' } }
        if (s.job === 'pin' && s.id === 'config') return { outputs: { sha: CONFIG_SHA } }
        if (s.job === 'pin' && s.id === 'pin') return { outputs: { sha: HEAD } }
        if (s.job === 'pin' && s.id === 'plan') return { outputs: { steps: JSON.stringify([{ weight: 10, hold: '15m', wait: '30m' }]) } }
        if (s.job === 'decide' && s.id === 'decide') return { outputs: { decision: 'GO' } }
        if (s.job === 'bundle' && s.id === 'sign') return { outputs: { decision: 'GO' } }
        if (s.id === 'stale-approval' || s.id === 'fail-cutover') return { outcome: 'failure' }
        if (fail && s.job === 'promote' && s.id === fail) return { outcome: 'failure' }
        return undefined
      },
    })

  it('pin reads the config from config-ref, or else the default branch: never from release-ref', () => {
    const sim = run()
    const resolve = step(sim, 'pin', 'config-ref')!
    expect(resolve.env.CONFIG_REF).toBe('')
    const script = yamlOf('.github/workflows/cutover.yml').jobs.pin.steps.find((s) => s.id === 'config-ref')!.run!
    expect(script).toContain('.default_branch')
    expect(script).not.toMatch(/RELEASE/)
    const config = checkouts(stepsRun(sim, 'pin')).find((s) => s.with.path === '.cutover-config')!
    expect(config.with.ref).toBe('main')
    expect(config.with.ref).not.toBe(inputs['release-ref'])
    expect(step(run({ 'config-ref': 'v42' }), 'pin', 'config-ref')!.env.CONFIG_REF).toBe('v42')
  })

  it('every job reads the config pinned by pin, from .cutover-config, and every gate is handed that path', () => {
    const sim = run({}, 'canary')
    const all = stepsRun(sim)
    const configCheckouts = checkouts(all).filter((s) => s.with.path === '.cutover-config' && s.job !== 'pin')
    expect(new Set(configCheckouts.map((s) => s.job))).toEqual(new Set(['preflight', 'decide', 'approve', 'promote', 'rollback', 'bundle']))
    for (const c of configCheckouts) expect(c.with.ref, c.job).toBe(CONFIG_SHA)
    const withConfig = all.filter((s) => isGate(s) && s.with.config !== undefined)
    expect(withConfig.length).toBeGreaterThan(5)
    for (const s of withConfig) expect(s.with.config, `${s.job} ${s.name ?? s.id}`).toBe('.cutover-config/cutover.yml')
    // The checklist of every phase is a config-reading gate; none may miss its config.
    for (const s of all.filter((x) => x.uses === './.cutover-gates')) expect(s.with.config, `${s.job} ${s.id}`).toBeDefined()
  })

  it('the release is checked out at the pinned SHA in every job that runs a caller command or measures the release', () => {
    const ok = run()
    const rolledBack = run({}, 'canary')
    for (const [job, sim] of [
      ['preflight', ok],
      ['promote', ok],
      ['verify', ok],
      ['rollback', rolledBack],
    ] as const) {
      const rootCheckout = checkouts(stepsRun(sim, job)).find((s) => !s.with.path)
      expect(rootCheckout?.with.ref, job).toBe(HEAD)
      expect(rootCheckout?.with['persist-credentials']).toBe('false')
    }
  })
})

describe('cutover.yml: the bundle job keeps every ledger', () => {
  const y = yamlOf('.github/workflows/cutover.yml')

  it('every job uploads its whole report folder (reports and ledger.jsonl) under its own cutover-reports-* name', () => {
    const reportDirs: [string, string][] = []
    for (const [id, job] of Object.entries(y.jobs)) {
      for (const s of job.steps) {
        if (!isGate(s) || s.uses?.endsWith('/actions/notify')) continue
        // decide's report and bundle are no gate reports: the bundle would judge that folder as a
        // job that measured nothing (tests/bundle/workflow-evidence.test.ts), so they travel beside.
        if (id === 'bundle' || id === 'decide') continue
        const dir = String(s.with?.['report-dir'] ?? 'cutover-reports')
        reportDirs.push([id, dir])
      }
    }
    expect(reportDirs.length).toBeGreaterThan(5)
    const names = new Set<string>()
    for (const [id, dir] of new Map(reportDirs.map(([j, d]) => [`${j}/${d}`, [j, d] as const])).values()) {
      const upload = y.jobs[id].steps.find((s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.path === `${dir}/`)
      expect(upload, `${id} uploads ${dir}/`).toBeDefined()
      const name = String(upload!.with!.name)
      expect(name, `${id}: ${name}`).toMatch(/^cutover-reports-/)
      expect(names.has(name), `${name} is uploaded twice`).toBe(false)
      names.add(name)
    }
  })

  it('the pre-flight decision travels beside the evidence, not in a folder the bundle judges', () => {
    const upload = y.jobs.decide.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!
    expect(upload.with).toMatchObject({ name: 'cutover-decision-attempt-${{ github.run_attempt }}', path: 'decision-reports/' })
    const context = y.jobs.bundle.steps.find((s) => s.with?.path === 'context')!
    expect(context.with?.pattern).toBe('cutover-{baseline,decision,rollback-outcome}-attempt-*')
  })

  it('downloads every artifact into its own folder and decides over the folders of its attempts: nothing is copied or merged', () => {
    const steps = y.jobs.bundle.steps
    const download = steps.find(
      (s) => s.uses?.startsWith('actions/download-artifact@') && s.with?.pattern === 'cutover-reports-*-attempt-*',
    )!
    expect(download.with).toMatchObject({ path: 'evidence' })
    expect(download.with).not.toHaveProperty('merge-multiple')
    for (const s of steps.filter((x) => x.run)) expect(s.run, s.name).not.toMatch(/\b(cp|mv|rsync|find|ln)\b|\*\.json/)
    const sign = steps.find((s) => s.uses?.endsWith('/actions/decide'))!
    expect(sign.with).toMatchObject({
      reports: "${{ steps.required.outputs.folders || 'evidence/none-of-this-cutover' }}",
      'signing-key': '${{ secrets.signing-key }}',
      'hmac-key': '${{ secrets.hmac-key }}',
    })
    expect(sign.with?.required).toBeDefined()
    expect(sign.with?.config).toBe('.cutover-config/${{ inputs.config }}')
    // The bundle is written beside the folders, not into one of them.
    expect(sign.with?.bundle).toBe('evidence/cutover-summary.json')
    const upload = steps.find(
      (s) => s.uses?.startsWith('actions/upload-artifact@') && String(s.with?.name).startsWith('cutover-evidence-'),
    )!
    expect(String(upload.with?.path)).toMatch(/^evidence\/$/m)
  })

  it('every artifact carries its attempt: a re-run never collides with an earlier attempt, and finds what it relies on', async () => {
    const wf = await loadWorkflow('.github/workflows/cutover.yml')
    const sim = simulate(wf, {
      inputs: {
        environment: 'production',
        'release-ref': 'v1',
        'gates-repository': 'acme/cutover-gates',
        'gates-ref': GATES_REF,
        verify: 'api',
      },
      github: { run_attempt: '3' },
      step: (s): StepBehaviour | undefined => {
        if (s.job === 'pin' && s.id === 'plan') return { outputs: { steps: JSON.stringify([{ weight: 10, hold: '0s', wait: '15m' }]) } }
        if (s.job === 'decide' && s.id === 'decide') return { outputs: { decision: 'GO' } }
        if (s.job === 'promote' && s.id === 'canary') return { outcome: 'failure' }
        if (s.id === 'fail-cutover') return { outcome: 'failure' }
        return undefined
      },
    })
    const artifacts = stepsRun(sim).filter((s) => /^actions\/(upload|download)-artifact@/.test(s.uses ?? ''))
    const uploads = artifacts.filter((s) => s.uses!.startsWith('actions/upload-artifact@'))
    expect(new Set(uploads.map((s) => s.job))).toEqual(new Set(['preflight', 'decide', 'approve', 'promote', 'rollback', 'bundle']))
    for (const s of uploads) expect(s.with.name, s.job).toMatch(/-attempt-3$/)
    // A job finds another's artifact by the attempt that made it; the bundle takes every attempt's.
    for (const s of artifacts.filter((x) => x.uses!.startsWith('actions/download-artifact@')))
      expect(s.with.name ?? s.with.pattern, s.job).toMatch(s.job === 'bundle' ? /-attempt-\*$/ : /-attempt-3$/)
    const y = yamlOf('.github/workflows/cutover.yml')
    const byName = (job: string) =>
      y.jobs[job].steps.filter((x) => x.uses?.startsWith('actions/download-artifact@')).map((x) => x.with?.name)
    expect(byName('decide')).toEqual(['cutover-reports-preflight-attempt-${{ needs.preflight.outputs.attempt }}'])
    // The step before is of this attempt: a promotion runs only on an approval of this attempt, so every leg is too.
    expect(byName('promote')).toEqual([
      'cutover-baseline-attempt-${{ needs.preflight.outputs.attempt }}',
      'cutover-reports-canary-${{ matrix.step.after }}-attempt-${{ github.run_attempt }}',
    ])
    expect(byName('record')).toEqual(['cutover-final-decision-attempt-${{ needs.bundle.outputs.attempt }}'])
  })

  it('every decide is told what is required, reads the config and signs with the secrets', () => {
    for (const [id, job] of Object.entries(y.jobs))
      for (const s of job.steps.filter((x) => x.uses?.endsWith('/actions/decide'))) {
        expect(s.with?.required, id).toBeDefined()
        expect(s.with?.config, id).toBe('.cutover-config/${{ inputs.config }}')
        expect(s.with).toMatchObject({ 'signing-key': '${{ secrets.signing-key }}', 'hmac-key': '${{ secrets.hmac-key }}' })
      }
  })
})
