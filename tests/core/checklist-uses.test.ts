// `only` selects gates by id, and by kind with `uses:<gate>`: how the reusable workflow adds every
// window and release-freeze gate of cutover.yml to a named pre-flight.
import { describe, expect, it } from 'vitest'
import { selectGates } from '../../src/core/checklist.js'
import { parseConfig } from '../../src/core/config.js'

const config = parseConfig(
  `version: 1
gates:
  - id: api-readyz
    uses: readyz
    with: { url: https://api.example.com/readyz }
  - id: wien-window
    uses: window
    with: { allow: Sun 02:00-06:00 Europe/Vienna }
  - id: rc-freeze
    uses: release-freeze
  - id: canary
    uses: canary
`,
  'cutover.yml',
  {},
)
const KNOWN = ['readyz', 'window', 'release-freeze', 'canary', 'evidence']
const ids = (only: string[]) => selectGates(config, only, KNOWN).map((g) => g.id)

describe('selectGates: ids and uses:<gate>', () => {
  it('adds every gate of a kind, in the order of cutover.yml', () => {
    expect(ids(['api-readyz', 'uses:window', 'uses:release-freeze'])).toEqual(['api-readyz', 'wien-window', 'rc-freeze'])
    expect(ids(['uses:window'])).toEqual(['wien-window'])
  })

  it('a kind cutover.yml has none of selects nothing, beside ids', () => {
    expect(ids(['api-readyz', 'uses:evidence'])).toEqual(['api-readyz'])
  })

  it('refuses a selection of nothing, an unknown id, and a uses: of no gate', () => {
    expect(() => ids(['uses:evidence'])).toThrow(
      '--only uses:evidence selects no gate of cutover.yml; its gates are api-readyz, wien-window, rc-freeze, canary',
    )
    expect(() => ids(['api', 'uses:window'])).toThrow('--only names "api", not in cutover.yml')
    expect(() => ids(['uses:windows'])).toThrow('--only names "uses:windows", and no gate is called that')
  })
})
