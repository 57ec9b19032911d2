// The parsers of the command, sql and smoke gates on arbitrary text: a value or an InputFormError
// (a sentence naming the accepted form), never another exception; and nothing they refuse is quoted
// when the input is a secret.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InputFormError } from '../../src/core/units.js'
import { envSecrets, parseEnv, parseExitCodes, parseVerdict } from '../../src/gates/command/spec.js'
import { parseColumnAssertions, parsePgUrl, parseRowCount, pgUrlSecrets } from '../../src/gates/sql/spec.js'
import { parseSteps, stepsSecrets } from '../../src/gates/smoke/spec.js'

const total = (parse: (raw: string) => unknown) => (raw: string) => {
  try {
    parse(raw)
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(InputFormError)
  }
}

// Text that looks like what these inputs hold, mixed with anything at all.
const yamlish = fc.oneof(
  fc.string(),
  fc.stringMatching(/^(- (name|url|method|headers|body|capture|expect|wait): [ -~]{0,20}\n){0,4}$/),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .array(
      fc.dictionary(
        fc.constantFrom('name', 'url', 'method', 'headers', 'body', 'expect', 'capture', 'expect-status', 'wait', 'interval'),
        fc.jsonValue(),
      ),
      { maxLength: 4 },
    )
    .map((v) => JSON.stringify(v)),
)

describe('parsers never crash', () => {
  it.each([
    ['exit-codes', parseExitCodes, fc.oneof(fc.string(), fc.stringMatching(/^(\d{1,4}[=:][a-zA-Z]{0,5}[,\n]?){0,5}$/))],
    ['verdict', parseVerdict, fc.oneof(fc.string(), fc.stringMatching(/^[\\()[\]\w:*+?|^$ ]{0,20}$/))],
    ['env', parseEnv, fc.oneof(fc.string(), fc.stringMatching(/^([A-Za-z_=]{0,6}=?[ -~]{0,8}\n?){0,4}$/))],
    [
      'postgres-url',
      parsePgUrl,
      fc.oneof(
        fc.string(),
        fc.webUrl().map((u) => u.replace(/^https?/, 'postgresql')),
        fc.stringMatching(/^postgres(ql)?:\/\/[ -~]{0,30}$/),
      ),
    ],
    ['expect-rows', parseRowCount, fc.oneof(fc.string(), fc.stringMatching(/^(none|some|[<>=!]{0,2} ?\d{0,12})$/))],
    ['expect (sql)', parseColumnAssertions, fc.oneof(fc.string(), fc.stringMatching(/^([\w ]{0,5}=['"]?[ -~]{0,6}\n?){0,3}$/))],
    ['steps', parseSteps, yamlish],
  ] as const)('%s', (_name, parse, arb) => {
    fc.assert(fc.property(arb as fc.Arbitrary<string>, total(parse as (raw: string) => unknown)), { numRuns: 400 })
  })

  it('secret finders never throw either', () => {
    fc.assert(
      fc.property(yamlish, (raw) => {
        for (const f of [envSecrets, pgUrlSecrets, stepsSecrets]) expect(Array.isArray(f(raw))).toBe(true)
      }),
      { numRuns: 400 },
    )
  })

  it('a refused secret input is never quoted', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{12,20}$/), (secret) => {
        for (const [parse, raw] of [
          [parseEnv, secret],
          [parseEnv, `TOKEN=${secret}\nTOKEN=${secret}`],
          [parsePgUrl, `postgresql://u:${secret}/x@db/app`],
          [parseSteps, `- name: a\n  url: http://x/\n  headers: { X-Key: "${secret}\\n" }`],
          [parseSteps, `- name: a\n  url: http://u:${secret}@x/`],
        ] as const) {
          try {
            parse(raw)
          } catch (err) {
            expect(String((err as Error).message)).not.toContain(secret)
            continue
          }
          throw new Error(`accepted ${raw}`)
        }
      }),
      { numRuns: 100 },
    )
  })
})
