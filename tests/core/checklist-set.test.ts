// The checklist's `set`: the inputs a workflow gives one run of a gate over those of cutover.yml.
// It is how the reusable cutover workflow records the baseline in pre-flight and anchors every
// canary step to its promotion, so this is tested the way the workflow uses it: a cutover.yml
// with a canary gate, a real Prometheus over backfilled history, the checklist run for the
// pre-flight recording and then for the 100% step, on a clock the gate's sleep() moves.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseSet, runChecklist } from '../../src/core/checklist.js'
import { loadConfig } from '../../src/core/config.js'
import { defaultContext } from '../../src/core/gate.js'
import { InputFormError } from '../../src/core/units.js'
import { gates } from '../../src/gates/index.js'
import { openMetrics, prometheusSkip, startPrometheus, type PromServer } from '../support/prometheus.js'

const MIN = 60_000
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z')

describe('parseSet', () => {
  it('reads a flat mapping, every value as the string an action receives', () => {
    expect(parseSet('not-before: 2026-03-02T12:00:00Z\nhold: 15m\nmin-green-windows: 3\njudge: none\n')).toEqual({
      'not-before': '2026-03-02T12:00:00Z',
      hold: '15m',
      'min-green-windows': '3',
      judge: 'none',
    })
    // An empty line, as the workflow leaves when there is no baseline to name.
    expect(parseSet('hold: 0s\n\n')).toEqual({ hold: '0s' })
  })

  it.each([
    ['a list', '- hold: 15m'],
    ['a scalar', 'hold'],
    ['a nested value', 'queries:\n  p99: x'],
    ['a list value', 'url: [a, b]'],
    ['an empty value', 'hold:'],
    ['an input name that is not one', 'Hold Time: 15m'],
    ['nothing', '# nothing\n'],
    ['invalid YAML', 'hold: [15m'],
  ])('refuses %s, naming the form', (_, raw) => {
    expect(() => parseSet(raw)).toThrow(InputFormError)
  })
})

describe.skipIf(prometheusSkip !== '')(
  prometheusSkip || 'set: the workflow’s canary steps through the checklist, on a real Prometheus',
  () => {
    let prom: PromServer
    let t0: number
    /** The instant of the 100% promotion: from then the baseline serves nothing. */
    let P: number
    const dir = mkdtempSync(path.join(tmpdir(), 'cutover-set-'))
    const baseline = path.join(dir, 'cutover-baseline', 'baseline.json')

    beforeAll(async () => {
      t0 = Math.floor(Date.now() / MIN) * MIN
      P = t0 - 60 * MIN
      const after = (a: number, b: number) => (t: number) => (t >= P ? b : a)
      prom = await startPrometheus(
        openMetrics(
          [
            { labels: { service: 'shop', deployment: 'canary' }, rps: after(10, 100), errorRatio: () => 0, latencyScale: () => 1.02 },
            {
              labels: { service: 'shop', deployment: 'baseline' },
              rps: () => 90,
              errorRatio: () => 0.0002,
              latencyScale: () => 1,
              until: P,
            },
          ],
          t0 - 3 * 60 * MIN,
          t0,
        ),
      )
      // The trusted config: its canary gate waits 2m on its own; the workflow's `set` decides per step.
      writeFileSync(
        path.join(dir, 'cutover.yml'),
        [
          'version: 1',
          'gates:',
          '  - id: canary',
          '    uses: canary',
          '    with:',
          '      prometheus-url: ${PROM_URL}',
          '      canary-selector: service="shop",deployment="canary"',
          '      baseline-selector: service="shop",deployment="baseline"',
          '      interval: 1m',
          '      wait: 2m',
          '',
        ].join('\n'),
      )
    })
    afterAll(async () => {
      await prom?.stop()
      rmSync(dir, { recursive: true, force: true })
    })

    async function step(start: number, idSuffix: string, set: string) {
      let clock = start
      const slept: number[] = []
      const ctx = defaultContext({
        now: () => new Date(clock),
        sleep: async (ms) => {
          slept.push(ms)
          clock += ms
        },
        log: () => {},
        cwd: dir,
        workspace: dir,
      })
      const config = await loadConfig(path.join(dir, 'cutover.yml'), { PROM_URL: prom.url })
      const run = await runChecklist(config, gates, ctx, { only: ['canary'], idSuffix, set: parseSet(set), language: 'en' })
      return { result: run.rows[0].result, slept, end: () => clock }
    }

    it('pre-flight records the baseline; the 100% step, with no baseline traffic, is judged against it after its hold', async () => {
      const rec = await step(P - 2 * MIN, '-baseline', `record-baseline: ${baseline}\nwait: 0s\nhold: 0s\n`)
      expect(rec.result.id).toBe('canary-baseline')
      expect(rec.result.status, JSON.stringify(rec.result.checks, null, 1)).toBe('pass')
      expect(JSON.parse(readFileSync(baseline, 'utf8'))).toMatchObject({
        format: 'cutover-gates/canary-baseline@1',
        recordedAt: iso(P - 2 * MIN),
      })

      const full = await step(P + MIN, '-100', `not-before: ${iso(P)}\nhold: 15m\nwait: 20m\nbaseline-file: ${baseline}\n`)
      expect(full.result.id).toBe('canary-100')
      expect(full.result.status, JSON.stringify(full.result.checks, null, 1)).toBe('pass')
      // It held its 15 minutes from the promotion: not the config's 2m wait, not the gate's start.
      expect(full.end()).toBe(P + 15 * MIN)
      expect(full.result.checks.find((c) => c.name === 'recorded baseline')?.observed).toMatch(/^used in \d+ of \d+ windows$/)
    })

    it('the same step without the recorded baseline fails closed, rather than passing on no baseline', async () => {
      const r = await step(P + MIN, '-100', `not-before: ${iso(P)}\nhold: 15m\nwait: 20m\n`)
      expect(r.result.status).toBe('fail')
    })

    it('an input the gate does not take fails that gate, naming it', async () => {
      const r = await step(P + MIN, '-25', 'hold-for: 15m\n')
      expect(r.result.status).toBe('fail')
      expect(r.result.summary).toContain('hold-for')
    })

    it('a hold longer than the wait `set` gives is refused before anything is measured', async () => {
      const r = await step(P + MIN, '-50', `not-before: ${iso(P)}\nhold: 30m\nwait: 0s\n`)
      expect(r.result.status).toBe('fail')
      expect(r.result.summary).toMatch(/`wait` 0s is shorter than `hold` 30m/)
      expect(r.slept).toEqual([])
    })
  },
)
