// The hypercare example's cadence, executed for real with node as the runner runs a
// `shell: node {0}` step: which check is due is computed from the time since the cutover, a late
// run still makes it, and a due check that no run made is said to be missed (a warning), once.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = path.resolve(import.meta.dirname, '../..')
const wf = parse(readFileSync(path.join(root, 'examples/workflows/hypercare.yml'), 'utf8')) as {
  env: { GO_LIVE: string }
  jobs: Record<string, { steps: { id?: string; run?: string; shell?: string; if?: string }[]; if?: string }>
}
const step = wf.jobs.due.steps.find((s) => s.id === 'cadence')!
const scratch = mkdtempSync(path.join(tmpdir(), 'hypercare-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const GO_LIVE = Date.parse('2026-12-01T09:00:00Z')
const MIN = 60_000
const at = (ms: number) => new Date(GO_LIVE + ms).toISOString()

interface Run {
  /** Minutes after the go-live it started. */
  min: number
  conclusion?: string
  status?: string
}

function cadence(nowMin: number, runs: Run[], event = 'schedule') {
  const dir = mkdtempSync(path.join(scratch, 'run-'))
  const file = path.join(dir, 'cadence')
  writeFileSync(file, step.run!)
  const runsFile = path.join(dir, 'runs.jsonl')
  const rows = runs.map((r, i) => ({
    id: 100 + i,
    created_at: at(r.min * MIN),
    status: r.status ?? 'completed',
    conclusion: r.conclusion ?? 'success',
  }))
  // The run itself is listed too, in progress.
  rows.push({ id: 999, created_at: at(nowMin * MIN), status: 'in_progress', conclusion: null as unknown as string })
  writeFileSync(runsFile, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  const output = path.join(dir, 'output')
  const summary = path.join(dir, 'summary')
  writeFileSync(output, '')
  const r = spawnSync('node', [file], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      GO_LIVE: wf.env.GO_LIVE,
      NOW: at(nowMin * MIN),
      RUNS: runsFile,
      RUN_ID: '999',
      EVENT: event,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
    },
  })
  expect(r.status, r.stderr).toBe(0)
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  )
  const warnings = r.stdout.split('\n').filter((l) => l.startsWith('::warning'))
  return { outputs, warnings, stdout: r.stdout, summary: readFileSync(summary, 'utf8') }
}

describe('hypercare: the check due is computed from the time since the cutover', () => {
  it('the example runs the script with node, every 30 minutes, and the checks only when one is due', () => {
    expect(step.shell).toBe('node {0}')
    expect(wf.env.GO_LIVE).toBe('2026-12-01T09:00:00Z')
    expect(wf.jobs.checks.if).toBe("needs.due.outputs.run == 'true'")
    expect(wf.jobs.due.steps.find((s) => s.if === "steps.cadence.outputs.missed != '0'")).toBeDefined()
  })

  it.each<[string, number, Run[], { run: string; slot?: string; missed: string }]>([
    ['before the first check falls due', 20, [], { run: 'false', missed: '0' }],
    ['the first run after T+30m', 31, [], { run: 'true', slot: 'T+0h30m every 30m (0-6h)', missed: '0' }],
    ['a second run inside the same 30 minutes', 50, [{ min: 31 }], { run: 'false', slot: 'T+0h30m every 30m (0-6h)', missed: '0' }],
    ['a run 25 minutes late still makes its check', 85, [{ min: 31 }], { run: 'true', slot: 'T+1h every 30m (0-6h)', missed: '0' }],
    [
      'hourly after 6h: a run at 6h40 after the 6h check',
      400,
      [{ min: 361 }],
      { run: 'false', slot: 'T+6h every 30m (0-6h)', missed: '0' },
    ],
    ['hourly after 6h: the 7h check', 425, [{ min: 361 }], { run: 'true', slot: 'T+7h hourly (6-24h)', missed: '0' }],
    ['3x daily after 24h: the 32h check', 33 * 60, [{ min: 24 * 60 + 10 }], { run: 'true', slot: 'T+32h 3x daily (24-72h)', missed: '0' }],
    [
      '3x daily after 24h: nothing between two checks',
      36 * 60,
      [{ min: 32 * 60 + 1 }],
      { run: 'false', slot: 'T+32h 3x daily (24-72h)', missed: '0' },
    ],
    ['after 72h hypercare is over', 81 * 60, [{ min: 72 * 60 + 5 }], { run: 'false', missed: '0' }],
  ])('%s', (_, now, runs, expected) => {
    const r = cadence(now, runs)
    expect(r.outputs).toMatchObject(expected)
    if (!expected.slot) expect(r.outputs.slot).toBeUndefined()
    expect(r.warnings).toEqual([])
  })

  it('a run that finds a due check was never made says so, as a warning naming it', () => {
    // Runs at T+31m, then nothing until T+1h45: the T+1h check was never made.
    const r = cadence(105, [{ min: 31 }])
    expect(r.outputs).toMatchObject({ run: 'true', slot: 'T+1h30m every 30m (0-6h)', missed: '1', 'missed-list': 'T+1h' })
    expect(r.warnings).toEqual([
      '::warning title=Hypercare check missed::The check due at T+1h (every 30m (0-6h), 2026-12-01T10:00:00.000Z) was never made: no run of this workflow started before the next one fell due.',
    ])
    expect(r.summary).toBe('⚠️ 1 due hypercare check was missed: T+1h.\n')
  })

  it('the miss is said once: the next run, after the one that found it, is quiet', () => {
    const r = cadence(121, [{ min: 31 }, { min: 105 }])
    expect(r.outputs).toMatchObject({ run: 'true', slot: 'T+2h every 30m (0-6h)', missed: '0' })
    expect(r.warnings).toEqual([])
  })

  it('schedules dropped for hours: every missed check is named, across cadences', () => {
    const r = cadence(8 * 60 + 5, [{ min: 5 * 60 + 31 }])
    expect(r.outputs).toMatchObject({ run: 'true', slot: 'T+8h hourly (6-24h)', missed: '2', 'missed-list': 'T+6h, T+7h' })
  })

  it('no run at all since the cutover: every earlier check is missed', () => {
    const r = cadence(95, [])
    expect(r.outputs).toMatchObject({ run: 'true', slot: 'T+1h30m every 30m (0-6h)', missed: '2', 'missed-list': 'T+0h30m, T+1h' })
  })

  it('a run that failed made its check (the check failed); one that was cancelled did not', () => {
    expect(cadence(50, [{ min: 31, conclusion: 'failure' }]).outputs).toMatchObject({ run: 'false', missed: '0' })
    const cancelled = cadence(70, [{ min: 31 }, { min: 40, conclusion: 'cancelled' }])
    expect(cancelled.outputs).toMatchObject({ run: 'true', missed: '0' })
    const r = cadence(95, [{ min: 31 }, { min: 61, conclusion: 'cancelled' }])
    expect(r.outputs).toMatchObject({ run: 'true', missed: '1', 'missed-list': 'T+1h' })
  })

  it('a manual run (workflow_dispatch) always makes a check', () => {
    expect(cadence(50, [{ min: 31 }], 'workflow_dispatch').outputs).toMatchObject({ run: 'true' })
    expect(cadence(10, [], 'workflow_dispatch').outputs).toMatchObject({ run: 'true' })
  })

  it('a GO_LIVE that is not an instant fails the step, naming it', () => {
    const dir = mkdtempSync(path.join(scratch, 'bad-'))
    const file = path.join(dir, 'cadence')
    writeFileSync(file, step.run!)
    const r = spawnSync('node', [file], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', GO_LIVE: 'tomorrow' } })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/GO_LIVE "tomorrow" is not an ISO instant/)
  })
})
