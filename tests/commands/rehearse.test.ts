// `cutover rehearse`: the promotion and rollback commands run exactly when they should.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rehearse, type RehearsalPlan } from '../../src/commands/rehearse.js'
import { parseConfig } from '../../src/core/config.js'
import { defaultContext } from '../../src/core/gate.js'
import { gates } from '../../src/gates/index.js'
import { json, serve, type TestServer } from '../support/http.js'

let svc: TestServer
let dir: string
/** The canary endpoint's health, switchable per test. */
let canaryHealthy = true

beforeAll(async () => {
  svc = await serve((req, res) => {
    if (req.url === '/canary') return json(canaryHealthy ? 200 : 503, { status: canaryHealthy ? 'pass' : 'fail' })(req, res)
    if (req.url === '/down') return json(503, { status: 'fail' })(req, res)
    json(200, { status: 'pass' })(req, res)
  })
  dir = await mkdtemp(path.join(tmpdir(), 'rehearse-'))
})
afterAll(() => svc.close())

async function run(planOverrides: Partial<RehearsalPlan>, preflightUrl = '/ok') {
  const log = path.join(dir, `log-${Math.random().toString(36).slice(2)}`)
  await writeFile(log, '')
  const config = parseConfig(
    `version: 1
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
    { language: 'en', reportDir: path.join(dir, 'reports') },
    {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: process.env,
    },
  )
  return { result, log: (await readFile(log, 'utf8')).trim().split('\n').filter(Boolean), out: out.join('\n') }
}

describe('cutover rehearse', () => {
  it('promotes step by step and never rolls back when every canary is green', async () => {
    canaryHealthy = true
    const { result, log, out } = await run({})
    expect(log).toEqual(['promote 25', 'promote 50'])
    expect(result.exitCode).toBe(0)
    expect(result.rolledBack).toBe(false)
    expect(out).toContain('ALL REHEARSALS PASSED')
    expect(result.timeline.map((t) => t.phase)).toEqual(['T-60 pre-flight', 'T+15 GO/NO-GO decision', 'promote 25%', 'promote 50%'])
  })

  it('the abort drill injects a failure at its step and the rollback runs exactly once', async () => {
    canaryHealthy = true
    const { result, log, out } = await run({ abortDrill: 50 })
    expect(log).toEqual(['promote 25', 'promote 50', 'rollback abort-drill at 50%'])
    expect(result.exitCode).toBe(0)
    expect(out).toContain('abort drill at 50% rolled back cleanly')
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

  it('a failing rollback fails the drill', async () => {
    canaryHealthy = true
    const { result } = await run({ abortDrill: 25, rollback: 'exit 3' })
    expect(result.exitCode).toBe(2)
    expect(result.verdict).toMatch(/rollback did not succeed/)
  })

  it('a promotion nobody judges is not a pass: without a canary gate the step fails and rolls back', async () => {
    canaryHealthy = true
    const { result, log } = await run({ canary: undefined })
    expect(log).toEqual(['promote 25', 'rollback canary or promotion failed at 25%'])
    expect(result.exitCode).toBe(2)
  })

  it('dry run echoes the commands instead of running them', async () => {
    canaryHealthy = true
    const { log, out } = await run({ dryRun: true, abortDrill: 25 })
    expect(log).toEqual([])
    expect(out).toMatch(/\(dry run\) would run: echo "promote \$WEIGHT"/)
    expect(out).toMatch(/\(dry run\) would run: echo "rollback \$REASON"/)
  })
})
