import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CanonicalJsonError, canonicalJson } from '../../../src/gates/decide/canonical.js'

describe('canonical JSON (RFC 8785)', () => {
  it('matches the RFC 8785 sample (§3.2.2): sorted keys, ES number and string forms', () => {
    const input =
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}'
    expect(canonicalJson(JSON.parse(input))).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    )
  })

  it('sorts keys by UTF-16 code units, at every depth', () => {
    // RFC 8785 §3.2.3: "\u20ac" (€) sorts before "\ud83d\ude00" (😀) sorts before "\ufb33".
    expect(canonicalJson({ '\ufb33': 1, '😀': 2, '€': 3, b: { z: 1, a: [{ y: 1, x: 2 }] }, a: null })).toBe(
      '{"a":null,"b":{"a":[{"x":2,"y":1}],"z":1},"€":3,"😀":2,"דּ":1}',
    )
  })

  it('refuses what JSON cannot hold instead of writing something else', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(CanonicalJsonError)
    expect(() => canonicalJson({ a: [Infinity] })).toThrow('$.a[0] is Infinity')
    expect(() => canonicalJson({ a: 1n })).toThrow('$.a is a bigint')
  })

  it('is a fixed point of parse: canonical(parse(canonical(x))) = canonical(x), for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = canonicalJson(v)
        expect(canonicalJson(JSON.parse(c))).toBe(c)
        // And it is still the same value.
        expect(JSON.parse(c)).toEqual(JSON.parse(JSON.stringify(v)))
      }),
    )
  })

  it('does not depend on the order keys were written in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse())
        expect(canonicalJson(reversed)).toBe(canonicalJson(o))
      }),
    )
  })
})
