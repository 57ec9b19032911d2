import { describe, expect, it } from 'vitest'
import { InputError, commonInputs, input, parseInputs, secretValues } from '../../src/core/inputs.js'

const specs = {
  url: input.list('urls', { required: true }),
  timeout: input.duration('timeout', { default: '5s' }),
  consecutive: input.integer(1, 10)('n', { default: '1' }),
  follow: input.boolean('follow', { default: 'false' }),
  token: input.string('token', { secret: true }),
}

describe('input schema', () => {
  it('parses action strings and applies defaults', () => {
    const s = parseInputs(specs, { url: 'http://a\nhttp://b' })
    expect(s).toEqual({ url: ['http://a', 'http://b'], timeout: 5000, consecutive: 1, follow: false, token: undefined })
  })

  it('takes YAML scalars and lists as the config file writes them', () => {
    const s = parseInputs(specs, { url: ['http://a'], consecutive: 3, follow: true, timeout: '2m' })
    expect(s).toMatchObject({ url: ['http://a'], consecutive: 3, follow: true, timeout: 120_000 })
  })

  it('treats an empty string as not given, like the runner does', () => {
    expect(parseInputs(specs, { url: 'x', timeout: '' }).timeout).toBe(5000)
  })

  it('names the input and the accepted form', () => {
    const err = (() => {
      try {
        parseInputs(specs, { timeout: '5 parsecs', consecutive: '0', follow: 'yes' })
      } catch (e) {
        return e as InputError
      }
    })()
    expect(err).toBeInstanceOf(InputError)
    expect(err!.problems).toEqual([
      'input `url` is required: give one or more values, one per line',
      'input `timeout`: "5 parsecs" is not valid; expected a duration such as 500ms, 30s, 5m, 2h or 7d (several parts allowed: 1h30m)',
      'input `consecutive`: "0" is not valid; expected a whole number from 1 to 10',
      'input `follow`: "yes" is not valid; expected true or false',
    ])
  })

  it('refuses an input the gate does not have, listing the accepted ones', () => {
    expect(() => parseInputs(specs, { url: 'x', colour: 'red' }, 'cutover.yml gate "api"')).toThrow(
      'cutover.yml gate "api" has no `colour`; accepted inputs are `url`, `timeout`, `consecutive`, `follow`, `token`',
    )
  })

  it('never echoes a secret in an error', () => {
    const secretSpecs = { key: input.duration('k', { secret: true }) }
    expect(() => parseInputs(secretSpecs, { key: 'hunter2-very-secret' })).toThrow(/\(value hidden\)/)
    expect(() => parseInputs(secretSpecs, { key: 'hunter2-very-secret' })).not.toThrow(/hunter2/)
  })

  it('collects the values to mask', () => {
    expect(secretValues(specs, { token: 'abc123' })).toContain('abc123')
    expect(secretValues(commonInputs, { 'github-token': 'ghs_xyz' })).toContain('ghs_xyz')
  })
})

it('checklist `only` takes ids separated by newlines or commas', async () => {
  const { checklistInputs } = await import('../../src/core/checklist.js')
  expect(parseInputs(checklistInputs, { only: 'api, db\nweb' }).only).toEqual(['api', 'db', 'web'])
})

it('a malformed %-escape in a secret URL is masked, not a crash', async () => {
  const { canary } = await import('../../src/gates/canary/gate.js')
  const secrets = secretValues(canary.inputs, { 'prometheus-url': 'http://user:p%zz-secret@prom.example:9090' })
  expect(secrets.some((s) => s.includes('p%zz-secret'))).toBe(true)
})

describe('secret registration', () => {
  const PLANTED = 'pl4nted-Secret-v4lue-77'
  const specs = {
    key: input.custom('string', 'a key', (s) => {
      // A parser bug that quotes its input: the sentence must not.
      throw new Error(`cannot read ${s}`)
    })('key', { secret: true }),
    plain: input.custom('string', 'a number', (s) => {
      throw new Error(`cannot read ${s}`)
    })('plain'),
    command: input.string('a command'),
    url: input.string('a url', {
      secret: () => {
        throw new Error('derivation bug')
      },
    }),
  }

  it("a secret input's error never quotes it, even when its parser's own message would", () => {
    const problems = (() => {
      try {
        parseInputs({ key: specs.key, plain: specs.plain }, { key: PLANTED, plain: 'abc' })
      } catch (e) {
        return (e as InputError).problems
      }
    })()
    expect(problems).toEqual([
      'input `key`: (value hidden) is not valid; expected a key',
      'input `plain`: "abc" is not valid; expected cannot read abc',
    ])
  })

  it('a derivation that cannot read the value masks the value whole', () => {
    expect(secretValues(specs, { url: PLANTED })).toEqual([PLANTED, PLANTED])
  })

  it("a URL's password is secret in any input, even one not registered secret (a restore command)", () => {
    const command = `curl -fsS https://backup:${encodeURIComponent('p@ss#w0rd')}@store.example.com/latest -o /tmp/d && pg_restore /tmp/d`
    const values = secretValues(specs, { command })
    expect(values).toEqual(expect.arrayContaining(['p%40ss%23w0rd', 'p@ss#w0rd', 'backup:p@ss#w0rd']))
    // Ports and `@` in paths are not user-info.
    expect(secretValues(specs, { command: 'curl https://registry.example.com:443/@scope/pkg http://a:8080/x' })).toEqual([])
  })
})
