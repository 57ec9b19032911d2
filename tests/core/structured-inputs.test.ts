// What the command, sql and smoke gates added to the core: a structured (`yaml`) input that takes
// a YAML list of mappings from cutover.yml and the same list as an action's string, `${NAME}`
// inside such structures, and a gate-context sleep that an abort ends.
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { parseConfig } from '../../src/core/config.js'
import { defaultContext } from '../../src/core/gate.js'
import { input, parseInputs, secretValues } from '../../src/core/inputs.js'

const specs = {
  steps: input.custom(
    'yaml',
    'a YAML list',
    (raw) => parse(raw) as unknown,
  )('Steps.', {
    required: true,
    secret: (raw: string) => ((parse(raw) as { key?: string }[]) ?? []).flatMap((s) => (s.key ? [s.key] : [])),
  }),
  names: input.list('Names.'),
}

describe('structured inputs', () => {
  const steps = [
    { name: 'a', key: 'planted-key-1' },
    { name: 'b', nested: { list: [1, 'x'] } },
  ]

  it('a YAML list of mappings reaches the parser as the YAML text an action would get', () => {
    expect(parseInputs(specs, { steps }).steps).toEqual(steps)
    expect(parseInputs(specs, { steps: stringify(steps) }).steps).toEqual(steps)
  })

  it('secrets are found in the structure too', () => {
    expect(secretValues(specs, { steps })).toEqual(['planted-key-1'])
  })

  it('a list of plain values keeps the one-per-line form', () => {
    expect(parseInputs(specs, { steps: 'x', names: ['a', 'b'] }).names).toEqual(['a', 'b'])
  })

  it('${NAME} is read inside mappings and lists of a gate input', () => {
    const text =
      'version: 1\ngates:\n  - id: s\n    uses: smoke\n    with:\n      steps:\n        - url: ${BASE}/x\n          headers:\n            Authorization: Bearer ${TOKEN}\n'
    const c = parseConfig(text, 'cutover.yml', { BASE: 'https://api.example.com', TOKEN: 't0k' })
    expect(c.gates[0].with.steps).toEqual([{ url: 'https://api.example.com/x', headers: { Authorization: 'Bearer t0k' } }])
    expect(() => parseConfig(text, 'cutover.yml', { BASE: 'x' })).toThrow(/uses \$\{TOKEN\}, but the environment variable TOKEN is not set/)
  })
})

describe('GateContext.sleep', () => {
  // Were the abort ignored, these would wait ten minutes and the test would time out.
  it('an abort ends a long wait', async () => {
    const controller = new AbortController()
    const waiting = defaultContext().sleep(600_000, controller.signal)
    controller.abort()
    await expect(waiting).resolves.toBeUndefined()
  })

  it('an aborted signal does not wait at all', async () => {
    await expect(defaultContext().sleep(600_000, AbortSignal.abort())).resolves.toBeUndefined()
  })

  it('without a signal it still waits as asked', async () => {
    let done = false
    const waiting = defaultContext()
      .sleep(20)
      .then(() => (done = true))
    expect(done).toBe(false)
    await waiting
    expect(done).toBe(true)
  })
})
