// `cutover rehearse`: the promotion and rollback commands run exactly when they should.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { PlanError, planProblems, rehearse, type RehearsalPlan } from '../../src/cli/rehearse.js'
import { parseConfig } from '../../src/core/config.js'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { decide } from '../../src/gates/decide/gate.js'
import { gates } from '../../src/gates/index.js'
import { json, serve, type TestServer } from '../support/http.js'

let svc: TestServer
let dir: string
/** The canary endpoint's health, switchable per test. */
let canaryHealthy = true
/** When set, the canary answers degraded (a warn). */
let canaryWarn = false

beforeAll(async () => {
  svc = await serve((req, res) => {
    if (req.url === '/canary')
      return json(canaryHealthy ? 200 : 503, { status: canaryWarn ? 'warn' : canaryHealthy ? 'pass' : 'fail' })(req, res)
    if (req.url === '/warn') return json(200, { status: 'warn' })(req, res)
    if (req.url === '/down') return json(503, { status: 'fail' })(req, res)
    json(200, { status: 'pass' })(req, res)
  })
  dir = await mkdtemp(path.join(tmpdir(), 'rehearse-'))
})
afterAll(() => svc.close())

let runs = 0

async function run(planOverrides: Partial<RehearsalPlan>, preflightUrl = '/ok', decideBlock = '') {
  const log = path.join(dir, `log-${++runs}`)
  await writeFile(log, '')
  const config = parseConfig(
    `version: 1
${decideBlock}
gates:
  - {id: api, uses: readyz, with: {url: "${svc.url}${preflightUrl}"}}
  - {id: canary, uses: readyz, with: {url: "${svc.url}/canary"}}
rollout:
  steps: [25, 50]
  canary: canary
  promote: echo "promote $WEIGHT" >> ${log}
  rollback: echo "rollback $REASON" >> ${log}
`,
    path.join(dir, 'cutover.yml'),
    {},
  )
  const r = config.rollout!
  const plan: RehearsalPlan = {
    steps: r.steps,
    canary: r.canary,
    verify: r.verify,
    promote: r.promote,
    rollback: r.rollback,
    dryRun: false,
    ...planOverrides,
  }
  const out: string[] = []
  const result = await rehearse(
    config,
    plan,
    gates,
    defaultContext({ log: () => {} }),
    { language: 'en', reportDir: path.join(dir, `reports-${runs}`) },
    {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: process.env,
    },
  )
  return {
    result,
    reportDir: path.join(dir, `reports-${runs}`),
    log: (await readFile(log, 'utf8')).trim().split('\n').filter(Boolean),
    out: out.join('\n'),
  }
}

describe('cutover rehearse', () => {
  it('promotes step by step and never rolls back when every canary is green', async () => {
    canaryHealthy = true
    const { result, log, out } = await run({})
    expect(log).toEqual(['promote 25', 'promote 50'])
    expect(result.exitCode).toBe(0)
    expect(result.rolledBack).toBe(false)
    expect(out).toContain('✓✓✓ REHEARSAL PASSED: GO, every step and the verification passed; nothing was rolled back')
    expect(result.timeline.map((t) => t.phase)).toEqual(['T-60 pre-flight', 'T+15 GO/NO-GO decision', 'promote 25%', 'promote 50%'])
  })

  it('the abort drill injects a failure at its step and the rollback runs exactly once', async () => {
    canaryHealthy = true
    const { result, log, out } = await run({ abortDrill: 50 })
    expect(log).toEqual(['promote 25', 'promote 50', 'rollback abort-drill at 50%'])
    expect(result.exitCode).toBe(0)
    expect(out).toContain('✓✓✓ ABORT DRILL PASSED: failure injected at 50%, rolled back cleanly')
    expect(result.rolledBack).toBe(true)
  })

  it('a failing canary stops promotion and rolls back', async () => {
    canaryHealthy = false
    const { result, log } = await run({})
    expect(log).toEqual(['promote 25', 'rollback canary or promotion failed at 25%'])
    expect(result.exitCode).toBe(2)
  })

  it('a NO-GO stops before any promotion: nothing to roll back', async () => {
    canaryHealthy = true
    const { result, log } = await run({}, '/down')
    expect(result.decision).toBe('NO-GO')
    expect(log).toEqual([])
    expect(result.exitCode).toBe(2)
  })

  it('a failing rollback fails the drill, and nothing claims it rolled back', async () => {
    canaryHealthy = true
    const { result, out } = await run({ abortDrill: 25, rollback: 'exit 3' })
    expect(result.exitCode).toBe(2)
    expect(result.rolledBack).toBe(false)
    expect(result.verdict).toBe('ROLLBACK FAILED: rollback command exited 3 (reason: abort-drill at 25%); the release was NOT rolled back')
    expect(out).not.toMatch(/; rolled back|rolled back cleanly/)
  })

  it.each<[string, Partial<RehearsalPlan>, RegExp]>([
    ['an abort drill at a weight that is not a step', { abortDrill: 75 }, /--abort-drill 75 is not one of the steps 25, 50/],
    ['promotion steps with no canary gate to judge them', { canary: undefined }, /no canary gate judges the promotion steps 25, 50/],
    ['an abort drill with no rollback command', { abortDrill: 25, rollback: undefined }, /names no rollback command/],
  ])('refuses %s before anything runs', async (_, plan, message) => {
    canaryHealthy = true
    const attempt = run(plan)
    await expect(attempt).rejects.toThrow(PlanError)
    await expect(attempt).rejects.toThrow(message)
    // Nothing was promoted, rolled back or measured.
    expect((await readFile(path.join(dir, `log-${runs}`), 'utf8')).trim()).toBe('')
    expect(existsSync(path.join(dir, `reports-${runs}`))).toBe(false)
  })

  it('refuses steps when the config has no rollout block', () => {
    const config = parseConfig(`version: 1\ngates:\n  - {id: canary, uses: canary, with: {source: x.json}}\n`, 'cutover.yml', {})
    expect(planProblems(config, { steps: [25], canary: 'canary', verify: [], dryRun: false })).toEqual([
      'cutover.yml has no `rollout:` block, so nothing says how to promote or roll back: add one (steps, canary, promote, rollback), or run `cutover check` for the pre-flight alone',
    ])
  })

  it('gives the verdict decide gives: a warning in pre-flight is NO-GO unless the config allows warnings', async () => {
    canaryHealthy = true
    const nogo = await run({}, '/warn')
    expect(nogo.result.decision).toBe('NO-GO')
    expect(nogo.log).toEqual([])
    expect(nogo.out).toContain('NO-GO: the rehearsal stopped before any promotion; nothing was promoted or rolled back')
    // The decide CLI on the very same reports says the same.
    const decided = await runGate(decide, { reports: nogo.reportDir, required: 'api' }, defaultContext({ log: () => {} }), { id: 'decide' })
    expect(decided.outputs.decision).toBe('NO-GO')

    const allowed = await run({}, '/warn', 'decide:\n  allow-warn: true')
    expect(allowed.result.decision).toBe('GO')
    expect(allowed.result.exitCode).toBe(1)
    expect(allowed.log).toEqual(['promote 25', 'promote 50'])
    expect(allowed.out).toContain('⚠⚠⚠ REHEARSAL PASSED with warnings accepted')
    expect(allowed.out).not.toContain('✗✗✗')
  })

  it('a degraded canary during the rollout rolls back (steps fail on warn, as in the workflow)', async () => {
    canaryWarn = true
    try {
      const { result, log } = await run({})
      expect(log).toEqual(['promote 25', 'rollback canary or promotion failed at 25%'])
      expect(result.exitCode).toBe(2)
      const tolerant = await run({ stepsFailOn: 'fail' })
      expect(tolerant.log).toEqual(['promote 25', 'promote 50'])
      expect(tolerant.result.exitCode).toBe(1)
    } finally {
      canaryWarn = false
    }
  })

  it('dry run echoes the commands instead of running them', async () => {
    canaryHealthy = true
    const { log, out } = await run({ dryRun: true, abortDrill: 25 })
    expect(log).toEqual([])
    expect(out).toMatch(/\(dry run\) would run: echo "promote \$WEIGHT"/)
    expect(out).toMatch(/\(dry run\) would run: echo "rollback \$REASON"/)
  })
})
