// What a captain sees when cutover.yml is wrong: the file, the line and the column, and the
// nearest right name for a wrong one.
import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/core/config.js'
import { parseInputs } from '../../src/core/inputs.js'
import { gates } from '../../src/gates/index.js'
import { nearest } from '../../src/lib/suggest.js'

const error = (text: string) => {
  try {
    parseConfig(text, 'cutover.yml', {})
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('parsed without an error')
}

describe('cutover.yml errors name file:line:column', () => {
  it('a YAML syntax error (the indentation one that used to say only what, not where)', () => {
    expect(error('version: 1\ngates:\n  - id: a\n    uses: readyz\n    with:\n      url: http://x\n     expect: a\n')).toMatch(
      /^cutover\.yml:7:1 is not valid YAML: All mapping items must start at the same column$/,
    )
    expect(error('version: 1\ngates:\n  - id: a\n    uses: readyz\n     with:\n      url: http://x\n')).toMatch(
      /^cutover\.yml:4:11 is not valid YAML: Nested mappings/,
    )
  })

  it('an unclosed quote, a tab and a duplicated key, each at its own spot', () => {
    expect(error('version: 1\ngates:\n  - id: "a\n')).toMatch(/^cutover\.yml:\d+:\d+ is not valid YAML: Missing closing/)
    expect(error('version: 1\ngates:\n\t- id: a\n')).toMatch(/^cutover\.yml:3:1 is not valid YAML/)
    expect(error('version: 1\nversion: 1\ngates: []\n')).toMatch(/^cutover\.yml:2:1 is not valid YAML: .*[Mm]ap keys must be unique/)
  })

  it('a stray key: where it is, and the key that was meant', () => {
    expect(error('version: 1\ngate:\n  - id: a\n    uses: readyz\n')).toMatch(/^cutover\.yml:2:1: /)
    expect(error('version: 1\ngates:\n  - id: a\n    uses: readyz\n    wth: {}\n')).toMatch(
      /^cutover\.yml:5:5: gates\[0\]: .*wth.* \(did you mean `with`\?\)/,
    )
  })

  it('a bad value and a duplicated id point at their line', () => {
    expect(error('version: 1\ngates:\n  - id: a b\n    uses: readyz\n')).toMatch(/^cutover\.yml:3:\d+: gates\[0\]\.id: /)
    expect(error('version: 1\ngates:\n  - id: a\n    uses: readyz\n  - id: a\n    uses: readyz\n')).toMatch(
      /^cutover\.yml:5:\d+: gate id "a" appears twice/,
    )
  })
})

describe('did you mean', () => {
  it('suggests `expect` for `expected`, and the gate for a misspelt `uses:`', () => {
    expect(() => parseInputs(gates.readyz.inputs, { url: 'http://x', expected: 'status=ok' }, 'gate "api"')).toThrow(
      /gate "api" has no `expected` \(did you mean `expect`\?\); accepted inputs are/,
    )
    expect(nearest('redyz', Object.keys(gates))).toBe('readyz')
    expect(nearest('keyrotation', Object.keys(gates))).toBe('key-rotation')
  })

  it('suggests nothing for a name near nothing, or an empty one', () => {
    expect(nearest('telepathy', Object.keys(gates))).toBeUndefined()
    expect(nearest('', Object.keys(gates))).toBeUndefined()
    expect(nearest('   ', ['a'])).toBeUndefined()
    expect(() => parseInputs(gates.readyz.inputs, { url: 'http://x', colour: 'red' })).toThrow(/has no `colour`; accepted/)
  })
})
