// The `run:` scripts of the reusable cutover workflow, executed for real with bash (as the runner
// runs a step: `bash -e`, with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files): the plan that turns
// canary-steps and canary-holds into each step's hold and wait, the rollback's reason and its
// outcome ("ROLLBACK FAILED"), and the list of gates the final bundle requires.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { writeReport } from '../../src/core/report.js'
import type { GateResult, Status } from '../../src/core/result.js'

const root = path.resolve(import.meta.dirname, '../..')
const wf = parse(readFileSync(path.join(root, '.github/workflows/cutover.yml'), 'utf8')) as {
  jobs: Record<string, { steps: { id?: string; run?: string }[] }>
}
const script = (job: string, id: string) => {
  const s = wf.jobs[job].steps.find((x) => x.id === id)?.run
  if (!s) throw new Error(`no run: script for ${job}/${id}`)
  return s
}

const scratch = mkdtempSync(path.join(tmpdir(), 'cutover-scripts-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface Ran {
  code: number
  outputs: Record<string, string>
  summary: string
  stdout: string
  stderr: string
  cwd: string
}

/** GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i].includes('=')) out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1)
  }
  return out
}

/** Runs a step's script as the runner does, in a fresh folder, with only the given env. */
function runStep(job: string, id: string, env: Record<string, string>, cwd = mkdtempSync(path.join(scratch, `${job}-${id}-`))): Ran {
  const out = path.join(cwd, '.github_output')
  const summary = path.join(cwd, '.github_summary')
  writeFileSync(out, '')
  writeFileSync(summary, '')
  const file = path.join(cwd, '.step.sh')
  writeFileSync(file, script(job, id))
  const r = spawnSync('bash', ['-e', file], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: cwd, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary, ...env },
  })
  const outputs = parseOutputs(readFileSync(out, 'utf8'))
  return { code: r.status ?? -1, outputs, summary: readFileSync(summary, 'utf8'), stdout: r.stdout, stderr: r.stderr, cwd }
}

describe('pin: the plan of the canary steps', () => {
  const env = {
    STEPS: '10,25,50,100',
    HOLDS: '10=15m,25=30m,50=30m,100=60m',
    EXTRA: '15m',
    DRILL: '',
    GATES_REF: '0123456789abcdef0123456789abcdef01234567',
    PREFLIGHT_FAIL_ON: 'fail',
    STEPS_FAIL_ON: 'warn',
    VERIFY_FAIL_ON: 'warn',
    APPROVE_STEPS: '',
    MIN_APPROVALS: '1',
    ENVIRONMENT: 'production',
    SECOND_ENVIRONMENT: '',
  }
  const plan = (over: Record<string, string> = {}) => runStep('pin', 'plan', { ...env, ...over })

  it("the seed's holds: 15m at 10%, 30m at 25% and 50%, 60m at 100%, each waiting its hold plus the extra wait", () => {
    const r = plan()
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.outputs.steps)).toEqual([
      { weight: 10, hold: '15m', wait: '30m', approve: false, round: 0, after: 0 },
      { weight: 25, hold: '30m', wait: '45m', approve: false, round: 0, after: 10 },
      { weight: 50, hold: '30m', wait: '45m', approve: false, round: 0, after: 25 },
      { weight: 100, hold: '1h', wait: '75m', approve: false, round: 0, after: 50 },
    ])
  })

  it('the caller overrides the holds and the extra wait', () => {
    const r = plan({ STEPS: '5,100', HOLDS: '5=90s,100=2h', EXTRA: '0s' })
    expect(JSON.parse(r.outputs.steps)).toEqual([
      { weight: 5, hold: '90s', wait: '90s', approve: false, round: 0, after: 0 },
      { weight: 100, hold: '2h', wait: '2h', approve: false, round: 0, after: 5 },
    ])
  })

  it('approve-steps: those steps wait for the reviewers again, numbered after the GO (and a second GO of the same environment)', () => {
    let r = plan({ APPROVE_STEPS: '50, 100' })
    expect(r.code, r.stderr).toBe(0)
    expect(
      JSON.parse(r.outputs.steps).map((s: { weight: number; approve: boolean; round: number }) => [s.weight, s.approve, s.round]),
    ).toEqual([
      [10, false, 0],
      [25, false, 0],
      [50, true, 2],
      [100, true, 3],
    ])
    r = plan({ APPROVE_STEPS: '100', MIN_APPROVALS: '2', SECOND_ENVIRONMENT: 'production' })
    expect(JSON.parse(r.outputs.steps).at(-1)).toMatchObject({ weight: 100, approve: true, round: 3 })
    r = plan({ APPROVE_STEPS: '100', MIN_APPROVALS: '2', SECOND_ENVIRONMENT: 'production-second-approval' })
    expect(JSON.parse(r.outputs.steps).at(-1)).toMatchObject({ weight: 100, approve: true, round: 2 })
  })

  it.each([
    ['a step without a hold', { STEPS: '10,25,75' }, /canary-holds names 50%.*\n.*canary-holds names 100%[\s\S]*no hold for the 75% step/],
    ['a hold that is not a duration', { HOLDS: '10=15m,25=half-an-hour,50=30m,100=60m' }, /"25=half-an-hour" is not weight=duration/],
    ['a watch longer than a job may run', { HOLDS: '10=15m,25=30m,50=30m,100=5h' }, /100% step would watch for 315m/],
    ['an abort drill at no step', { DRILL: '75' }, /abort-drill 75 is not one of the canary steps/],
    ['gates-ref that is not a commit SHA', { GATES_REF: 'v1' }, /gates-ref must be a full 40-character commit SHA/],
    ['a fail-on that does not exist', { STEPS_FAIL_ON: 'warning' }, /steps-fail-on must be fail, warn or never, got "warning"/],
    ['a weight above 100', { STEPS: '10,150', HOLDS: '10=1m' }, /canary-steps must be percentages 1-100/],
    ['an approve step that is no canary step', { APPROVE_STEPS: '50,75' }, /approve-steps names 75%, which is not one of the canary steps/],
    ['min-approvals that is not a count', { MIN_APPROVALS: '0' }, /min-approvals must be a whole number from 1 to 10, got "0"/],
    [
      'a two-person rule without a second environment',
      { MIN_APPROVALS: '2' },
      /min-approvals 2 needs second-approval-environment: GitHub asks only one reviewer of production to approve/,
    ],
  ])('refuses %s, naming it, before anything runs', (_, over, message) => {
    const r = plan(over)
    expect(r.code).not.toBe(0)
    expect(r.outputs.steps).toBeUndefined()
    expect(r.stderr).toMatch(message)
    expect(r.stderr).toMatch(/::error::/)
  })
})

describe('rollback: the reason, from the reports themselves', () => {
  const SHA = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd'
  async function reports(cwd: string, folder: string, entries: [string, Status, string][]) {
    for (const [id, status, summary] of entries) {
      const at = new Date(Date.UTC(2026, 2, 2, 12, 0)).toISOString()
      const r: GateResult = { id, gate: 'canary', status, summary, checks: [], metrics: {}, startedAt: at, finishedAt: at, durationMs: 0 }
      await writeReport(path.join(cwd, 'failed-reports', folder), r, { repository: 'acme/shop', sha: SHA, runId: '4242' })
    }
  }
  const base = { PROMOTE_RESULT: 'failure', VERIFY_RESULT: 'skipped', DRILL: '', APPROVED_ATTEMPT: '1', RUN_ATTEMPT: '1' }

  it('names the failing and warning steps with their own sentences, not the passing ones', async () => {
    const cwd = mkdtempSync(path.join(scratch, 'reasons-'))
    await reports(cwd, 'cutover-reports-canary-10', [['canary-10', 'pass', 'canary-10: PASS: 3 green windows']])
    await reports(cwd, 'cutover-reports-canary-50', [
      ['canary-50', 'fail', 'canary-50: FAIL: error rate 2% is above abort-error-rate 0.5%'],
    ])
    const r = runStep('rollback', 'reason', base, cwd)
    expect(r.code, r.stderr).toBe(0)
    expect(r.outputs.reason).toBe('canary-50: FAIL: error rate 2% is above abort-error-rate 0.5%')
  })

  it('an abort drill, and a re-run on an earlier approval, say so', () => {
    const r = runStep('rollback', 'reason', { ...base, DRILL: '50', APPROVED_ATTEMPT: '1', RUN_ATTEMPT: '2' })
    expect(r.outputs.reason).toBe(
      'abort drill at 50%; attempt 2 is a re-run on the approval of attempt 1, so nothing was promoted: the rollback is retried',
    )
  })

  it('with no report to quote (the promote command failed), the job results', () => {
    expect(runStep('rollback', 'reason', base).outputs.reason).toBe('promotion failure, verification skipped')
  })
})

describe('rollback: the outcome, and ROLLBACK FAILED', () => {
  const base = {
    FAILED: 'false',
    ROLLBACK_OUTCOME: 'success',
    ROLLBACK_CODE: '0',
    VERIFY_OUTCOME: 'success',
    VERIFY_SUMMARY: 'checklist: PASS: 1 of 1 gates passed',
    REASON: 'canary-50: FAIL: error rate 2% is above abort-error-rate 0.5%',
    DRY_RUN: 'false',
  }
  const outcome = (cwd: string) => JSON.parse(readFileSync(path.join(cwd, 'rollback-outcome/rollback.json'), 'utf8'))

  it('a rollback that worked: "Rolled back", with the reason, and a record that says so', () => {
    const r = runStep('rollback', 'outcome', base)
    expect(r.code, r.stderr).toBe(0)
    expect(r.summary).toMatch(/^# ⏪ Rolled back\n\n\*\*Reason:\*\* canary-50: FAIL: error rate 2% is above abort-error-rate 0\.5%\./)
    expect(r.summary).not.toMatch(/FAILED/)
    expect(outcome(r.cwd)).toMatchObject({ failed: false, command: 'success', exitCode: 0, verification: 'success', why: null })
  })

  it.each([
    ['the command exited 3', { FAILED: 'true', ROLLBACK_OUTCOME: 'failure', ROLLBACK_CODE: '3' }, 'the rollback command exited 3'],
    [
      'the command timed out',
      { FAILED: 'true', ROLLBACK_OUTCOME: 'cancelled', ROLLBACK_CODE: '' },
      'the rollback command was cancelled (it timed out, or the run was cancelled)',
    ],
    [
      'the verification failed after the command worked',
      { FAILED: 'true', VERIFY_OUTCOME: 'failure', VERIFY_SUMMARY: 'api-readyz-rollback-verify: FAIL: HTTP 503' },
      'the rollback verification did not pass (api-readyz-rollback-verify: FAIL: HTTP 503)',
    ],
    ['the outcome could not be computed', { FAILED: '', ROLLBACK_OUTCOME: 'success' }, 'the rollback did not finish'],
  ])('%s: ROLLBACK FAILED with its reason, the trigger and what to do', (_, over, why) => {
    const r = runStep('rollback', 'outcome', { ...base, ...over })
    expect(r.code, r.stderr).toBe(0)
    expect(r.outputs.why).toBe(why)
    expect(r.summary.split('\n')[0]).toBe('# ❌ ROLLBACK FAILED')
    expect(r.summary).toContain(`**Why:** ${why}.`)
    expect(r.summary).toContain('**Rollback triggered by:** canary-50: FAIL')
    expect(r.summary).toMatch(/Incident Commander decides now/)
    expect(outcome(r.cwd)).toMatchObject({ failed: true, why })
  })
})

describe('bundle: every gate the cutover needed is required', () => {
  it('pre-flight gates, the baseline, the approval, each step and each verification', () => {
    const r = runStep('bundle', 'required', {
      FROM_ATTEMPT: '1',
      RUN_ATTEMPT: '1',
      PREFLIGHT: 'api-readyz,rc-proof',
      BASELINE: 'canary-baseline',
      STEPS: JSON.stringify([{ weight: 10 }, { weight: 100 }]),
      CANARY: 'canary',
      STEP_GATES: 'api-readyz',
      VERIFY: 'api-readyz\nsmoke',
    })
    expect(r.outputs.ids).toBe(
      'api-readyz,rc-proof,canary-baseline,approval-guard,api-readyz-10,canary-10,api-readyz-100,canary-100,api-readyz-verify,smoke-verify',
    )
  })

  it('with approve-steps and a window: each step approval, and the window checked again at GO', () => {
    const r = runStep('bundle', 'required', {
      FROM_ATTEMPT: '1',
      RUN_ATTEMPT: '1',
      PREFLIGHT: 'api-readyz,wien-window',
      BASELINE: '',
      STEPS: JSON.stringify([
        { weight: 50, approve: false, round: 0 },
        { weight: 100, approve: true, round: 2 },
      ]),
      CANARY: 'canary',
      STEP_GATES: '',
      VERIFY: '',
      WINDOW_AT_GO: 'wien-window-go',
    })
    expect(r.outputs.ids).toBe('api-readyz,wien-window,approval-guard,wien-window-go,canary-50,approval-guard-100,canary-100')
  })

  it('the evidence: the folders of every attempt since pre-flight that uploaded any, one glob each', () => {
    const cwd = mkdtempSync(path.join(scratch, 'evidence-'))
    for (const d of [
      'cutover-reports-preflight-attempt-1',
      'cutover-reports-canary-10-attempt-1',
      'cutover-reports-approval-attempt-2',
      'cutover-reports-canary-10-attempt-12',
    ])
      mkdirSync(path.join(cwd, 'evidence', d), { recursive: true })
    const env = { PREFLIGHT: 'a', BASELINE: '', STEPS: '[]', CANARY: 'canary', STEP_GATES: '', VERIFY: '' }
    expect(runStep('bundle', 'required', { ...env, FROM_ATTEMPT: '1', RUN_ATTEMPT: '3' }, cwd).outputs.folders).toBe(
      'evidence/*-attempt-1\nevidence/*-attempt-2',
    )
    // A fresh re-run of all jobs (its pre-flight in attempt 2) reads only its own.
    expect(runStep('bundle', 'required', { ...env, FROM_ATTEMPT: '2', RUN_ATTEMPT: '2' }, cwd).outputs.folders).toBe('evidence/*-attempt-2')
    expect(runStep('bundle', 'required', { ...env, FROM_ATTEMPT: '4', RUN_ATTEMPT: '4' }, cwd).outputs.folders).toBe('')
  })

  it('a pre-flight that named no gate requires one that cannot exist, so the bundle is NO-GO', () => {
    const r = runStep('bundle', 'required', {
      FROM_ATTEMPT: '1',
      RUN_ATTEMPT: '1',
      PREFLIGHT: '',
      BASELINE: '',
      STEPS: '[]',
      CANARY: 'canary',
      STEP_GATES: '',
      VERIFY: '',
    })
    expect(r.outputs.ids).toBe('pre-flight-named-no-gates,approval-guard')
  })
})

describe('the ledger chain across the jobs: each job finds the head it continues', () => {
  const SHA = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd'
  const hex = (c: string) => c.repeat(64)
  /** A folder's ledger as the gate actions write it; resolves to its last record's hash. */
  async function ledger(dir: string, ids: string[], start?: string): Promise<string> {
    const at = new Date(Date.UTC(2026, 2, 2, 12, 0)).toISOString()
    for (const id of ids) {
      const r: GateResult = {
        id,
        gate: 'canary',
        status: 'pass',
        summary: `${id}: PASS`,
        checks: [],
        metrics: {},
        startedAt: at,
        finishedAt: at,
        durationMs: 0,
      }
      await writeReport(dir, r, { repository: 'acme/shop', sha: SHA, runId: '4242' }, start ? { ledgerStart: start } : {})
    }
    const lines = readFileSync(path.join(dir, 'ledger.jsonl'), 'utf8').trimEnd().split('\n')
    return (JSON.parse(lines.at(-1)!) as { hash: string }).hash
  }

  it('the first canary step continues the GO job; a later one the last record the step before it uploaded', async () => {
    expect(runStep('promote', 'chain', { AFTER: '0', APPROVED_HEAD: hex('3') }).outputs.head).toBe(hex('3'))
    const cwd = mkdtempSync(path.join(scratch, 'chain-'))
    const last = await ledger(path.join(cwd, 'step-before'), ['approval-guard-10', 'canary-10'], hex('3'))
    const r = runStep('promote', 'chain', { AFTER: '10', APPROVED_HEAD: hex('3') }, cwd)
    expect(r.code, r.stderr).toBe(0)
    expect(r.outputs.head).toBe(last)
  })

  it.each([
    ['the GO job handed on no head', { AFTER: '0', APPROVED_HEAD: '' }, /the GO job \(approval-guard\)/],
    ['a head that is not one', { AFTER: '0', APPROVED_HEAD: 'e'.repeat(63) }, /the GO job/],
    ['the step before uploaded no ledger', { AFTER: '25', APPROVED_HEAD: hex('3') }, /the 25% step \(step-before\/ledger\.jsonl\)/],
  ])('promotes nothing when %s, saying whose head is missing', (_, env, whose) => {
    const r = runStep('promote', 'chain', env)
    expect(r.code).not.toBe(0)
    expect(r.outputs.head).toBeUndefined()
    expect(r.stdout).toMatch(/::error::Not promoted: this step's records must continue the ledger head of /)
    expect(r.stdout).toMatch(whose)
  })

  it("a torn last line of the step before's ledger is no head: nothing is promoted", async () => {
    const cwd = mkdtempSync(path.join(scratch, 'chain-'))
    await ledger(path.join(cwd, 'step-before'), ['canary-10'], hex('3'))
    writeFileSync(path.join(cwd, 'step-before', 'ledger.jsonl'), '{"seq":2,"time":"2026-', { flag: 'a' })
    expect(runStep('promote', 'chain', { AFTER: '10', APPROVED_HEAD: hex('3') }, cwd).code).not.toBe(0)
  })

  it('the rollback verification continues what recorded last: the verification, else the last canary step with a ledger, else the GO job', async () => {
    const steps = JSON.stringify([{ weight: 10 }, { weight: 50 }, { weight: 100 }])
    const base = { STEPS: steps, RUN_ATTEMPT: '1', APPROVED_HEAD: hex('3'), VERIFY_HEAD: '' }
    const cwd = mkdtempSync(path.join(scratch, 'rollback-chain-'))
    expect(runStep('rollback', 'chain', base, cwd).outputs.head).toBe(hex('3'))
    const ten = await ledger(path.join(cwd, 'failed-reports', 'cutover-reports-canary-10-attempt-1'), ['canary-10'], hex('3'))
    const fifty = await ledger(path.join(cwd, 'failed-reports', 'cutover-reports-canary-50-attempt-1'), ['canary-50'], ten)
    // The 100% step failed before it recorded anything: it uploaded no folder.
    expect(runStep('rollback', 'chain', base, cwd).outputs.head).toBe(fifty)
    // Another attempt's folders are not this attempt's chain.
    expect(runStep('rollback', 'chain', { ...base, RUN_ATTEMPT: '2' }, cwd).outputs.head).toBe(hex('3'))
    expect(runStep('rollback', 'chain', { ...base, VERIFY_HEAD: hex('5') }, cwd).outputs.head).toBe(hex('5'))
  })

  it('with no head anywhere the rollback still runs, and says the chain will be broken', () => {
    const r = runStep('rollback', 'chain', { STEPS: '[]', RUN_ATTEMPT: '1', APPROVED_HEAD: '', VERIFY_HEAD: '' })
    expect(r.code).toBe(0)
    expect(r.outputs.head).toBeUndefined()
    expect(r.stderr).toMatch(/::warning::No ledger head to continue/)
  })
})

describe('approve: the approvals bound to the pre-flight decision', () => {
  const DIGEST = `sha256:${'d'.repeat(64)}`
  const approvals = JSON.stringify([
    { user: 'release-captain', state: 'approved', comment: 'GO', environments: ['production'], recordedAt: '2026-03-02T12:00:00Z' },
  ])

  it('each approval records the digest the reviewers were shown; the job outputs it', () => {
    const r = runStep('approve', 'bind', { DIGEST, APPROVALS: approvals })
    expect(r.code, r.stderr).toBe(0)
    expect(r.outputs['approved-digest']).toBe(DIGEST)
    expect(JSON.parse(r.outputs.approvals)).toEqual([{ ...JSON.parse(approvals)[0], approvedDigest: DIGEST }])
    expect(r.summary).toBe(`1 approval of the pre-flight decision \`${DIGEST}\`.\n`)
  })

  it('the decide job names, on the page the reviewers see, the digest their approval is bound to', () => {
    const r = runStep('decide', 'to-approve', { DIGEST })
    expect(r.code, r.stderr).toBe(0)
    expect(r.summary).toContain(`\`${DIGEST}\` (decision-reports/preflight-decision.json)`)
  })

  it.each([
    [
      'decide gave no digest',
      { DIGEST: '', APPROVALS: approvals },
      /The pre-flight decision has no digest \(decide gave "", expected sha256:/,
    ],
    ['a digest of another form', { DIGEST: 'sha1:abc', APPROVALS: approvals }, /decide gave "sha1:abc"/],
    ['no approvals were recorded', { DIGEST, APPROVALS: '[]' }, /approval-guard recorded no approvals/],
    ['the approvals are not JSON', { DIGEST, APPROVALS: 'oops' }, /approval-guard recorded no approvals/],
  ])('fails closed when %s: nothing is promoted on an unbound approval', (_, env, message) => {
    const r = runStep('approve', 'bind', env)
    expect(r.code).not.toBe(0)
    expect(r.outputs['approved-digest']).toBeUndefined()
    expect(r.stderr).toMatch(message)
  })
})
